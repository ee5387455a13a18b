"""Writing the configuration ``qet-geo run`` reads (``qet_geo/tomlfile.py``): what the QGIS
Diagnostic dock saves reads back as it was, keeps every key of a loaded file, cannot be
broken out of by a value, and is a configuration the pipeline accepts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import tomllib

from qet_geo.errors import InputError
from qet_geo.pipeline import load_config
from qet_geo.tomlfile import dump_toml, read_config, write_config

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "qet-geo.toml"


def test_the_sample_reads_back_with_every_key(tmp_path):
    data = read_config(SAMPLE)
    data["futur"] = {"clé inconnue": "gardée"}  # unknown sections and keys are kept
    path = write_config(tmp_path / "copie.toml", data, header="écrit par un test\nligne 2")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == data
    assert path.read_text(encoding="utf-8").startswith("# écrit par un test\n# ligne 2\n")


def test_the_pipeline_reads_what_is_written(tmp_path):
    data = read_config(SAMPLE)
    base = SAMPLE.parent
    for section, key in (
        ("survey", "file"),
        ("areas", "file"),
        ("areas", "census"),
        ("transit", "gtfs"),
        ("diagnostic", "emdv"),
        ("diagnostic", "ngc"),
        ("forum", "votes"),
    ):
        data[section][key] = str(base / data[section][key])
    data["proximity"]["services"] = {
        k: str(base / v) for k, v in data["proximity"]["services"].items()
    }
    data["outputs"]["background"] = [str(base / v) for v in data["outputs"]["background"]]
    data["output"] = str(tmp_path / "sorties")
    data["transit"]["date"] = dt.date(2026, 3, 10)
    config = load_config(write_config(tmp_path / "conf.toml", data))
    assert config.output == tmp_path / "sorties"
    assert config["transit"]["date"] in (dt.date(2026, 3, 10), "2026-03-10")


@pytest.mark.parametrize(
    "hostile",
    [
        'a"\nmalicious = true\n[survey]\nfile = "/etc/passwd',
        'back\\slash\\"',
        "\x00\x1f\x7f",
        "é\ud800",
    ],
)
def test_a_value_never_breaks_out_of_its_string(tmp_path, hostile):
    data = {"title": hostile, "survey": {"file": "x.csv", hostile: hostile}}
    back = tomllib.loads(dump_toml(data))
    assert set(back) == {"title", "survey"} and set(back["survey"]) == {
        "file",
        hostile.replace("\ud800", "\ufffd"),
    }
    assert back["title"] == hostile.replace("\ud800", "\ufffd")


def test_what_toml_cannot_hold_is_refused(tmp_path):
    with pytest.raises(ValueError, match="areas.min_cell"):
        dump_toml({"areas": {"min_cell": float("nan")}})
    with pytest.raises(ValueError, match="a object"):
        dump_toml({"x": object()})
    assert not list(tmp_path.iterdir())


def test_a_bad_file_names_its_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[survey\nfile = 1\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.toml") as err:
        read_config(bad)
    assert "2" in str(err.value)
    with pytest.raises(InputError, match="file not found"):
        read_config(tmp_path / "absent.toml")


def test_times_and_datetimes_read_back():
    data = tomllib.loads("t = 07:32:00\nd = 2026-03-10\nw = 2026-03-10T08:15:00+01:00\n")
    assert tomllib.loads(dump_toml(data)) == data
