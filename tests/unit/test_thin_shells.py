"""The commands are thin shells over the library (issue 13): what a command prints of its
result is the result's ``lines()``, the checks of combined parameters are the library's
(and come before any file is read), and the library's functions take what a user types."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qet_geo.cli import main
from qet_geo.errors import ParameterError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
AREAS = ["--areas", str(SAMPLE / "quartier.gpkg"), "--areas-layer", "iris"]


@pytest.fixture(scope="module")
def access():
    import qet_geo as qg
    from qet_geo.transit import TransitParameters

    areas = qg.read_areas(SAMPLE / "quartier.gpkg", layer="iris")
    return qg.transit_access(SAMPLE / "gtfs", areas, params=TransitParameters.of(date="2026-03-10"))


def _printed(capsys, *argv) -> list[str]:
    assert main(["--lang", "en", *map(str, argv)]) == 0
    return [
        line for line in capsys.readouterr().out.splitlines() if not line.startswith("written: ")
    ]


def test_transit_ptal_prints_the_lines_of_the_result(access, capsys, tmp_path):
    printed = _printed(capsys, "transit", "ptal", SAMPLE / "gtfs", *AREAS, "--date", "2026-03-10",
                       "-o", tmp_path / "t.gpkg")  # fmt: skip
    lines = access.lines(per_area=True, language="en")
    assert printed == [lines[0], *("  " + line for line in lines[1:])]
    assert len(lines) == 3 + 12  # the summary, then one line per area
    assert lines[0].startswith("PTAL on ") and "service day 2026-03-10 (given)" in lines[0]


def test_the_lines_are_in_the_language_asked(access):
    french = access.lines(language="fr")
    assert french[0].startswith("PTAL sur ") and "jour de service 2026-03-10 (donné)" in french[0]
    assert "lignes" in french[1] and "départs dans le créneau" in french[1]
    assert access.lines(language="en")[1].endswith("departures in the window")


def test_proximity_prints_the_lines_of_the_result(capsys, tmp_path):
    import qet_geo as qg

    service = f"marches={SAMPLE / 'quartier.gpkg'}:marches"
    printed = _printed(capsys, "constraints", "proximity", *AREAS, "--service", service,
                       "-o", tmp_path / "p.gpkg")  # fmt: skip
    areas = qg.read_areas(SAMPLE / "quartier.gpkg", layer="iris")
    lines = qg.proximity(areas, {"marches": f"{SAMPLE / 'quartier.gpkg'}:marches"}).lines("en")
    assert printed == [lines[0], "  " + lines[1]]
    assert lines == [
        "Proximity to 1 service layer(s) in 12 areas",
        "distances in metres in EPSG:2154",
    ]


def test_compare_checks_its_threshold_before_any_file_is_read(tmp_path, capsys):
    """The respondents and the feed do not exist: the threshold is said first, as a user's
    error (a threshold of 0 was an "unexpected error", exit 3)."""
    argv = ["--lang", "en", "compare", "--respondents", str(tmp_path / "none.gpkg"), *AREAS,
            "--gtfs", str(tmp_path / "none"), "-o", str(tmp_path / "c.gpkg")]  # fmt: skip
    assert main([*argv, "--min-cell", "2"]) == 2
    assert "--allow-below-3" in capsys.readouterr().err
    assert main([*argv, "--min-cell", "0", "--allow-below-3"]) == 2
    err = capsys.readouterr().err
    assert "the threshold must be at least 1 respondent" in err and "unexpected" not in err
    assert main([*argv, "--date", "10/03/2026"]) == 2
    assert "--date '10/03/2026': not a date" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_transit_parameters_are_read_from_text_and_checked():
    from qet_geo.transit import TransitParameters

    params = TransitParameters.of(date="2026-03-10", window="07:30-08:30", grid=50,
                                  route_types="99=bus", walk_speed=70)  # fmt: skip
    assert params.date == dt.date(2026, 3, 10) and params.grid == 50
    assert params.ptal.window == (27000, 30600) and params.ptal.walk_speed == 70
    assert params.ptal.route_types == params.route_types == {99: "bus"}
    with pytest.raises(ParameterError, match="Jour J '2026-02-30': not a date"):
        TransitParameters.of(date="2026-02-30", names={"date": "Jour J"})
    with pytest.raises(ParameterError, match="--grid 5: expected a number from 10"):
        TransitParameters.of(grid=5, names={"grid": "--grid"})
    with pytest.raises(ParameterError, match="time window '9h': expected HH:MM-HH:MM"):
        TransitParameters.of(window="9h")


def test_proximity_parameters_are_read_from_text_and_checked():
    from qet_geo.constraints.params import ProximityParameters, check_people

    params = ProximityParameters.of(within="300, 600", people="logements, écoles ,")
    assert params.within == (300.0, 600.0) and params.people == ("logements", "écoles")
    with pytest.raises(ParameterError, match="Parts \\(WITHIN\\): expected distances in metres"):
        ProximityParameters.of(within="300,loin", names={"within": "Parts (WITHIN)"})
    with pytest.raises(ParameterError, match="--people homes: no such --service layer"):
        check_people(["homes"], {"shops": None}, {"people": "--people", "services": "--service"})
    with pytest.raises(ValueError, match="not service layers: homes"):
        check_people(["homes"], {"shops": None})


def test_output_dates_and_poster_files():
    from qet_geo.export.params import output_date
    from qet_geo.export.poster import poster_paths

    assert output_date("") is None and output_date(" 2026-03-14 ") == dt.date(2026, 3, 14)
    with pytest.raises(
        ParameterError, match="Date \\(DATE\\): '14/03/2026' is not a date YYYY-MM-DD"
    ):
        output_date("14/03/2026", "Date (DATE)")
    assert poster_paths("out/affiche.pdf", None) == {"A3": Path("out/affiche.pdf")}
    assert poster_paths("affiche.pdf", ["A0", "A3", "A0"]) == {
        "A0": Path("affiche_A0.pdf"), "A3": Path("affiche_A3.pdf")}  # fmt: skip
