"""``qet-geo export webmap|poster|project --diagnostic`` (issue 15): the diagnostic on the
forum outputs of the command line, as ``qet-geo run`` puts it there (one wiring: the
library calls the run makes). The inputs are made here from the sample: a profile model and
an area map (``qet-geo profiles detect``, ``qet-geo areas map``), the diagnostic of the
sample's EMdV and NGC answers on that map's areas
(:func:`qet_geo.diagnostic.job.run_diagnostic`). Checked: the page embeds the GeoPackage's
``area_estimates``, the diagnostic's poster is written beside the profiles' with the area
map's names, the project holds the group "Diagnostic"; a file that is not a diagnostic is
refused with the library's message (exit code 2), an output over an input too."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
from unit_helpers import ROOT

from qet_geo.cli import main
from qet_geo.export import diagnostic_poster_path, webmap
from qet_geo.export.poster import area_profiles
from qet_geo.manifest import MANIFEST

SAMPLE = ROOT / "sample_data"
#: A profile name written into the area map (not the model's): the diagnostic's poster
#: takes the names of the area map, as the run's does.
RENAMED = "Profil renommé dans la carte"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict:
    """The sample's model, area map (profile 1 renamed) and diagnostic on its areas."""
    from qet_geo.diagnostic.job import run_diagnostic

    folder = tmp_path_factory.mktemp("export-diagnostic")
    model, areas = folder / "profiles.json", folder / "areas.gpkg"
    assert main(["profiles", "detect", str(SAMPLE / "survey_su.tsv"), "--bootstrap", "0",
                 "-o", str(model), "--labelled", str(folder / "respondents.gpkg")]) == 0  # fmt: skip
    assert main(["areas", "map", "--respondents", str(folder / "respondents.gpkg"),
                 "--areas", str(SAMPLE / "quartier.gpkg"), "--areas-layer", "iris",
                 "--model", str(model), "--no-csv", "-o", str(areas)]) == 0  # fmt: skip
    with sqlite3.connect(areas) as db:
        db.execute("update profiles set name = ? where profile = 1", (RENAMED,))
    diagnostic = folder / "diagnostic.gpkg"
    run_diagnostic(su=SAMPLE / "survey_su.tsv", emdv=SAMPLE / "emdv_answers.json",
                   ngc=SAMPLE / "ngc_answers.json", model=model, areas=areas, output=diagnostic)  # fmt: skip
    return {"model": model, "areas": areas, "diagnostic": diagnostic}


def _rows(path: Path, sql: str) -> list:
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute(sql)]


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def test_webmap_shows_the_diagnostic_themes_with_the_area_estimates(made, tmp_path, capsys):
    from qet_geo.diagnostic.places import slug

    page = tmp_path / "carte.html"
    assert main(["export", "webmap", str(made["areas"]), "--diagnostic", str(made["diagnostic"]),
                 "-o", str(page)]) == 0  # fmt: skip
    assert f"written: {page}" in capsys.readouterr().out
    text = page.read_text(encoding="utf-8")
    for words in ("Envie de changer", "estimation par profils", "Empreinte carbone"):
        assert words in text, words
    # the figures of one area, as the page embeds them, are those of area_estimates
    data = json.loads(re.search(r"var data = (\{.*?\});\n", text).group(1))
    shown = {f["properties"]["id"]: f["properties"]["dg"] for f in data["features"]
             if "dg" in f["properties"]}  # fmt: skip
    estimates = {r["area_id"]: r for r in _rows(made["diagnostic"], "select * from area_estimates")}
    carbon = _rows(made["diagnostic"], "select key, level from carbon order by fid")
    nodes = list(dict.fromkeys(r["key"] for level in (0, 1) for r in carbon
                               if int(r["level"]) == level))  # fmt: skip
    area = next(a for a in sorted(shown) if all(v is not None for v in shown[a]["c"]))
    expected = [estimates[area][f"carbon__{slug(node)}"] for node in nodes]
    assert shown[area]["c"] == pytest.approx(expected, abs=0.05)
    assert min(expected) > 0
    # the page of the command line is the library's (webmap(..., diagnostic=)), but for
    # folium's random element ids
    same = webmap(made["areas"], tmp_path / "library.html", diagnostic=made["diagnostic"])
    assert _unnamed(same.read_text(encoding="utf-8")) == _unnamed(text)


def _unnamed(page: str) -> str:
    return re.sub(r"_[0-9a-f]{32}\b", "_ID", page)


def test_poster_writes_the_diagnostic_poster_beside_it_named_as_the_run(made, tmp_path, capsys):
    output = tmp_path / "affiche_A3.pdf"
    assert main(["export", "poster", str(made["areas"]), "--model", str(made["model"]),
                 "--diagnostic", str(made["diagnostic"]), "--size", "A3", "-o", str(output)]) == 0  # fmt: skip
    written = [line.split(": ", 1)[1] for line in capsys.readouterr().out.splitlines()]
    assert [Path(p).name for p in written] == ["affiche_A3.pdf", "affiche_A3.png",
                                               "affiche_diagnostic_A3.pdf", "affiche_diagnostic_A3.png"]  # fmt: skip
    text = _pdf_text(tmp_path / "affiche_diagnostic_A3.pdf")
    for words in (
        "Satisfaction du cadre de vie",
        "Envie de changer",
        "Freins",
        "Empreinte carbone",
    ):
        assert words in text, words
    assert RENAMED in " ".join(text.split())  # the area map's profile names
    assert "Les profils" in _pdf_text(output)  # the profiles' poster as before


def test_the_diagnostic_poster_takes_the_names_and_colours_of_the_area_map(made):
    colours, names = area_profiles(made["areas"])
    assert names[1] == RENAMED and list(names) == sorted(names)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours.values())
    rows = _rows(made["areas"], "select profile, colour from profiles order by profile")
    assert colours == {int(r["profile"]): r["colour"].upper() for r in rows}


@pytest.mark.parametrize(("pdf", "size", "expected"), [
    ("affiche_A3.pdf", "A3", "affiche_diagnostic_A3.pdf"),  # as qet-geo run names it
    ("out/affiche_A0.pdf", "A0", "out/affiche_diagnostic_A0.pdf"),
    ("affiche.pdf", "A3", "affiche_diagnostic.pdf"),
    ("affiche_A3.pdf", "A0", "affiche_A3_diagnostic.pdf"),
    ("A3.pdf", "A3", "A3_diagnostic.pdf"),
])  # fmt: skip
def test_the_diagnostic_poster_is_named_after_the_poster(pdf, size, expected):
    assert diagnostic_poster_path(pdf, size) == Path(expected)


def test_poster_of_two_sizes_writes_two_diagnostic_posters(made, tmp_path, capsys):
    assert main(["export", "poster", str(made["areas"]), "--diagnostic", str(made["diagnostic"]),
                 "--size", "A3", "--size", "A0", "--no-png", "-o", str(tmp_path / "affiche.pdf")]) == 0  # fmt: skip
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["affiche_A0.pdf", "affiche_A3.pdf", "affiche_diagnostic_A0.pdf",
                     "affiche_diagnostic_A3.pdf"]  # fmt: skip


def test_project_puts_the_diagnostic_in_its_group(made, tmp_path):
    for name in ("areas", "diagnostic"):
        shutil.copy(made[name], tmp_path / made[name].name)
    output = tmp_path / "projet.qgz"
    assert main(["export", "project", "--areas", str(tmp_path / "areas.gpkg"),
                 "--diagnostic", str(tmp_path / "diagnostic.gpkg"), "-o", str(output)]) == 0  # fmt: skip
    with zipfile.ZipFile(output) as project:
        xml = project.read("projet.qgs").decode("utf-8")
    assert 'name="Diagnostic"' in xml
    assert "./diagnostic.gpkg|layername=area_estimates" in xml
    assert "./areas.gpkg|layername=area_indicators" in xml


COMMANDS = {
    "webmap": lambda areas, diag, out: ["webmap", areas, "--diagnostic", diag, "-o", out / "c.html"],
    "poster": lambda areas, diag, out: ["poster", areas, "--diagnostic", diag, "-o", out / "a.pdf"],
    "project": lambda areas, diag, out: ["project", "--areas", areas, "--diagnostic", diag,
                                         "-o", out / "p.qgz"],
}  # fmt: skip


def _refused(made, tmp_path, capsys, command, diagnostic) -> str:
    out = tmp_path / "out"
    out.mkdir()
    argv = ["export", *map(str, COMMANDS[command](made["areas"], diagnostic, out))]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "unexpected" not in err
    assert list(out.iterdir()) == []  # nothing written, not even the profiles' poster
    return err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_area_map_given_as_the_diagnostic_is_refused(made, tmp_path, capsys, command):
    err = _refused(made, tmp_path, capsys, command, made["areas"])
    assert f"{made['areas']}:" in err and "expected a diagnostic GeoPackage" in err
    missing = "'area_estimates': no such layer" if command == "webmap" else "not a diagnostic"
    assert missing in err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_file_that_is_no_geopackage_is_refused(made, tmp_path, capsys, command):
    junk = tmp_path / "diagnostic.gpkg"
    junk.write_text("pas un GeoPackage", encoding="utf-8")
    err = _refused(made, tmp_path, capsys, command, junk)
    assert f"{junk}: not a readable" in err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_missing_diagnostic_is_refused(made, tmp_path, capsys, command):
    err = _refused(made, tmp_path, capsys, command, tmp_path / "absent.gpkg")
    assert "absent.gpkg: file not found" in err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_diagnostic_from_an_unfinished_run_is_refused(made, tmp_path, capsys, command):
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(made["diagnostic"], run / "diagnostic.gpkg")
    (run / MANIFEST).write_text(json.dumps({"complete": False}), encoding="utf-8")
    err = _refused(made, tmp_path, capsys, command, run / "diagnostic.gpkg")
    assert "did not finish" in err


def test_no_output_over_the_diagnostic(made, tmp_path, capsys):
    diag = tmp_path / "diagnostic.gpkg"
    shutil.copy(made["diagnostic"], diag)
    before = diag.read_bytes()
    # the page, and the diagnostic's poster (a side file of the poster) onto the diagnostic
    pdf = tmp_path / "affiche_diagnostic.pdf"
    shutil.copy(made["diagnostic"], pdf)
    for argv in (["webmap", made["areas"], "--diagnostic", diag, "-o", diag],
                 ["poster", made["areas"], "--diagnostic", pdf, "--no-png", "-o", tmp_path / "affiche.pdf"],
                 ["project", "--areas", made["areas"], "--diagnostic", tmp_path / "d.qgz",
                  "-o", tmp_path / "d.qgz"]):  # fmt: skip
        if argv[0] == "project":
            shutil.copy(made["diagnostic"], tmp_path / "d.qgz")
        assert main(["export", *map(str, argv)]) == 2, argv
        assert "is an input of this command" in capsys.readouterr().err
    assert diag.read_bytes() == before
    assert not (tmp_path / "affiche.pdf").exists()
