"""Several GTFS feeds at once (a region's operators), checked by hand: ids kept apart when
two feeds use the same ones, one access point for one stop served by two feeds (and only
then), each feed's own service day; a partitioned run that gives the single run's figures
cell for cell ([TfL-PTAL-2015] for the figures)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box
from test_transit import ORIGIN, every, write_feed

from qet_geo.areas import areas_from_frame
from qet_geo.cli import main
from qet_geo.errors import InputError, ParameterError
from qet_geo.transit import read_gtfs, transit_access
from qet_geo.transit.feeds import feed_names, feed_paths, read_feeds
from qet_geo.transit.partition import Partitioning, departement

X0, Y0 = ORIGIN


def _operator(folder, stop_xy, start="20260101"):
    """A feed of one bus route leaving stop "S" every 10 minutes (f = 6 in 08:15–09:15),
    with the ids every such feed uses: S, END, B1, B1-0-0…, service WK."""
    trips, times = every(10, "B1", "S", "END")
    write_feed(folder, [("S", *stop_xy), ("END", 5000, 0)], [("B1", 3)], trips, times)
    (folder / "calendar.txt").write_text(
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        f"WK,1,1,1,1,1,0,0,{start},20261231\n",
        encoding="utf-8",
    )
    return folder


def _areas():
    """One square of 200 m centred on ORIGIN: four grid points at (±50, ±50) m."""
    zones = pd.DataFrame({"code": ["C"], "geometry": [box(X0 - 100, Y0 - 100, X0 + 100, Y0 + 100)]})
    return areas_from_frame(zones, "zones", id_field="code", crs="EPSG:2154")


def _edf(distance_m):
    return 30 / (distance_m / 80 + 0.5 * 60 / 6 + 2.0)  # walk + SWT 5 + bus reliability 2


def test_two_feeds_with_the_same_ids_at_one_stop_are_two_routes_at_one_access_point(tmp_path):
    a = _operator(tmp_path / "feeds" / "alpha", (0, 0))
    b = _operator(tmp_path / "feeds" / "beta", (0, 0))
    assert read_gtfs(a).stops["stop_id"].tolist() == read_gtfs(b).stops["stop_id"].tolist()
    alone = transit_access(a, _areas())
    both = transit_access(tmp_path / "feeds", _areas())  # a folder of feeds
    edf = _edf(np.hypot(50, 50))
    assert alone.areas.loc[0, "ai_mean"] == pytest.approx(edf, abs=1e-3)
    # two routes (alpha:B1 and beta:B1, not one B1 counted once): max + half the other
    assert both.areas.loc[0, "ai_mean"] == pytest.approx(1.5 * edf, abs=1e-3)
    s = both.summary
    assert s.routes == 2 and s.access_points == 1 and s.access_points_merged == 1
    assert [f["name"] for f in s.feeds] == ["alpha", "beta"] and s.feed == "alpha, beta"
    assert (both.grid["saps"] == 1).all()


def test_stops_of_two_feeds_apart_are_two_access_points(tmp_path):
    a = _operator(tmp_path / "alpha", (0, 0))
    b = _operator(tmp_path / "beta", (0, 30))  # 30 m north: another stop
    both = transit_access([a, b], _areas())
    expected = []
    for dx, dy in ((-50, -50), (50, -50), (-50, 50), (50, 50)):
        e = sorted([_edf(np.hypot(dx, dy)), _edf(np.hypot(dx, dy - 30))])
        expected.append(e[1] + 0.5 * e[0])
    assert both.areas.loc[0, "ai_mean"] == pytest.approx(np.mean(expected), abs=1e-3)
    assert both.summary.access_points == 2 and both.summary.access_points_merged == 0
    # 3 m apart: the same stop in two feeds, one access point (said in the summary)
    c = _operator(tmp_path / "gamma", (0, 3))
    close = transit_access([a, c], _areas())
    assert close.summary.access_points == 1 and close.summary.access_points_merged == 1
    assert close.summary.routes == 2


def test_each_feed_has_its_own_service_day(tmp_path, capsys):
    _operator(tmp_path / "feeds" / "alpha", (0, 0), start="20260101")  # a Thursday
    _operator(tmp_path / "feeds" / "beta", (0, 0), start="20260302")  # a Monday
    out = tmp_path / "ptal.gpkg"
    gpkg = tmp_path / "zones.gpkg"
    pyogrio.write_dataframe(_areas().to_geodataframe(), gpkg, layer="zones")
    assert main(["transit", "ptal", str(tmp_path / "feeds"), "--areas", str(gpkg),
                 "-o", str(out), "--json"]) == 0  # fmt: skip
    summary = json.loads(capsys.readouterr().out)
    days = {f["name"]: (f["service_date"], f["date_chosen"]) for f in summary["feeds"]}
    assert days == {"alpha": ("2026-01-01", "busiest weekday of the feed"),
                    "beta": ("2026-03-02", "busiest weekday of the feed")}  # fmt: skip
    assert summary["service_date"] == "2026-01-01, 2026-03-02" and summary["routes"] == 2
    table = dict(pyogrio.read_dataframe(out, layer="ptal_summary")[["key", "value"]].to_numpy())
    assert [f["service_date"] for f in json.loads(table["feeds"])] == ["2026-01-01", "2026-03-02"]
    # the same in text
    assert main(["transit", "ptal", str(tmp_path / "feeds" / "alpha"),
                 str(tmp_path / "feeds" / "beta"), "--areas", str(gpkg), "-o", str(out)]) == 0  # fmt: skip
    text = capsys.readouterr().out
    assert (
        "feed beta: service day 2026-03-02" in text
        or "flux beta : jour de service 2026-03-02" in text
    )
    # a given date outside one feed's validity: the error names that feed
    with pytest.raises(InputError) as caught:
        transit_access(tmp_path / "feeds", _areas(), date=dt.date(2026, 2, 3))
    assert "beta" in str(caught.value) and "2026-02-03" in str(caught.value)


def test_feed_lists_and_folders_and_their_errors(tmp_path):
    a = _operator(tmp_path / "x" / "star", (0, 0))
    shutil.make_archive(str(tmp_path / "x" / "star"), "zip", a)  # star.zip beside star/
    assert [p.name for p in feed_paths(tmp_path / "x")] == ["star", "star.zip"]
    assert feed_names(feed_paths(tmp_path / "x")) == ["star", "star-2"]
    with pytest.raises(InputError, match="given twice"):
        read_feeds([a, tmp_path / "x" / "star"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no GTFS feed in this folder"):
        read_feeds(tmp_path / "empty")
    with pytest.raises(InputError, match="not found"):
        read_feeds([a, tmp_path / "nowhere.zip"])


def test_departement_codes_and_partition_parameters():
    assert departement("751010101") == "75" and departement("2A0040000") == "2A"
    assert departement("971010000") == "971" and departement("75056") == "75"
    assert departement("IN") is None and departement("97") is None
    assert departement("9X1010000") is None
    with pytest.raises(ParameterError, match="tile"):
        Partitioning.of("tile", 10)
    with pytest.raises(ParameterError, match="partition"):
        Partitioning.of("county")
    with pytest.raises(ParameterError, match="tile"):
        Partitioning.of("tile", float("nan"))


def test_a_partition_by_departement_needs_insee_codes(tmp_path):
    a = _operator(tmp_path / "alpha", (0, 0))
    with pytest.raises(InputError) as caught:
        transit_access(a, _areas(), partition="departement")
    assert "'C'" in str(caught.value) and "tile" in str(caught.value)
    # auto: by tile when the ids are not codes, and the summary says which
    used = transit_access(a, _areas(), partition="auto").summary.partitioning
    assert used["by"] == "tile" and used["asked"] == "auto"
    with pytest.raises(ParameterError, match="tile"):  # --tile is never ignored silently
        Partitioning.of("departement", 20_000)


def test_a_zip_without_stops_in_a_folder_of_feeds_is_left_out_and_said(tmp_path):
    import zipfile

    _operator(tmp_path / "feeds" / "alpha", (0, 0))
    with zipfile.ZipFile(tmp_path / "feeds" / "README.zip", "w") as z:
        z.writestr("lisez-moi.txt", "documentation")
    feeds = read_feeds(tmp_path / "feeds")
    assert len(feeds) == 1
    assert any("README.zip" in str(w) and "left out" in str(w) for w in feeds[0].warnings)


def test_command_line_options_replace_the_configuration_s_run_keys():
    import argparse

    from qet_geo.cli._common import engine_of

    def args(**given):
        return argparse.Namespace(**{k: None for k in ("engine", "scheduler", "workers",
                                                       "partition", "tile")} | given)  # fmt: skip

    config = {"engine": "dask", "workers": 2, "scheduler": None, "partition": None, "tile": None}
    part, engine = engine_of(args(engine="local"), config)
    assert engine.name == "local" and engine.workers is None and part.by == "none"
    part, engine = engine_of(args(scheduler="tcp://127.0.0.1:8786"), config)
    assert engine.scheduler == "tcp://127.0.0.1:8786" and engine.workers is None
    part, engine = engine_of(args(workers=3), {})
    assert engine.name == "dask" and engine.workers == 3 and part.by == "auto"
    for address in ("tcp://[::1", "ucx://127.0.0.1:8786", "tcp://127.0.0.1:99999", "foo"):
        with pytest.raises(ParameterError, match="scheduler"):
            engine_of(args(scheduler=address), {})
