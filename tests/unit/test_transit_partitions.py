"""PTAL in partitions over real IRIS (Paris and Hauts-de-Seine, INSEE's polygons) with
generated feeds of several operators: by département and by tile, here and on a Dask
cluster of two worker processes, the same figures as one run cell for cell; a partition
whose worker is killed is computed again."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest

from qet_geo.areas import read_areas
from qet_geo.cli import main
from qet_geo.engine import Engine
from qet_geo.errors import ParameterError
from qet_geo.transit import transit_access
from qet_geo.transit.feeds import read_feeds
from qet_geo.transit.partition import Partitioning

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
IDF = SHARED / "data" / "iris" / "idf-iris-commute-2018.gpkg"
sys.path.insert(0, str(ROOT / "bench"))

pytestmark = pytest.mark.skipif(not IDF.is_file(), reason="the shared IRIS data are not here")


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """Paris and Hauts-de-Seine's IRIS (1,608 polygons) as a GeoPackage, and two operators'
    feeds over them (about 150,000 stop times of the morning peak, the same ids in both)."""
    from synthetic import region_feeds

    folder = tmp_path_factory.mktemp("region")
    iris = pyogrio.read_dataframe(IDF, where="DEP IN ('75', '92')")
    iris = iris[["CODE_IRIS", "NOM_IRIS", "DEP", "voiture", "geometry"]]
    gpkg = folder / "iris.gpkg"
    pyogrio.write_dataframe(iris, gpkg, layer="iris")
    points = iris.geometry.representative_point()
    region_feeds(folder / "feeds", iris.total_bounds, feeds=2, stop_times=150_000,
                 centres=np.column_stack([points.x, points.y]), hours=(7.5, 9.75))  # fmt: skip
    areas = read_areas(gpkg, layer="iris", id_field="CODE_IRIS", name_field="NOM_IRIS")
    return folder, gpkg, areas, read_feeds(folder / "feeds")


def _same(a, b):
    pd.testing.assert_frame_equal(a.grid, b.grid, check_exact=True)
    pd.testing.assert_frame_equal(a.areas.drop(columns="geometry"),
                                  b.areas.drop(columns="geometry"), check_exact=True)  # fmt: skip


def test_partitions_by_departement_and_tile_give_the_single_run(region):
    _, _, areas, feeds = region
    single = transit_access(feeds, areas, spacing=200)
    assert single.summary.partitions == 1 and single.summary.grid_points > 5_000
    assert single.areas["ai_mean"].gt(0).mean() > 0.5  # the feeds serve most IRIS
    by_dep = transit_access(feeds, areas, spacing=200, partition="departement")
    assert by_dep.summary.partitions == 2
    _same(single, by_dep)
    seen = []
    tiles = transit_access(feeds, areas, spacing=200, partition=Partitioning("tile", 4_000),
                           progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert tiles.summary.partitions > 10 and seen[-1] == (tiles.summary.partitions,) * 2
    _same(single, tiles)
    # every grid point once: none lost nor counted twice on the seams
    assert tiles.grid[["x", "y"]].duplicated().sum() == 0
    assert tiles.areas["grid_points"].sum() == len(single.grid)


def test_partitions_with_population_points_give_the_single_run(region):
    _, _, areas, feeds = region
    rng = np.random.default_rng(4)
    x0, y0, x1, y1 = np.array([g.bounds for g in areas.geometries]).T
    xy = np.column_stack(
        [rng.uniform(x0.min(), x1.max(), 3000), rng.uniform(y0.min(), y1.max(), 3000)]
    )
    weights = rng.integers(1, 50, 3000).astype(float)
    single = transit_access(feeds, areas, spacing=250, population=(xy, weights))
    parts = transit_access(feeds, areas, spacing=250, population=(xy, weights),
                           partition=Partitioning("tile", 5_000))  # fmt: skip
    _same(single, parts)
    assert single.areas["population"].sum() > 0


def test_partitions_with_streets_a_fractional_spacing_and_the_grid_limit(region, monkeypatch):
    import shapely

    from qet_geo import limits

    _, _, areas, feeds = region
    x0, y0, x1, y1 = shapely.total_bounds(areas.geometries)
    # streets over the western half only: a partition without any street reaches nothing
    xs = np.arange(x0, (x0 + x1) / 2, 400.0)
    ys = np.arange(y0, y1, 400.0)
    streets = [shapely.LineString([(x, y0), (x, y1)]) for x in xs]
    streets += [shapely.LineString([(x0, y), ((x0 + x1) / 2, y)]) for y in ys]
    single = transit_access(feeds, areas, spacing=400, streets=streets)
    parts = transit_access(feeds, areas, spacing=400, streets=streets,
                           partition=Partitioning("tile", 3_000))  # fmt: skip
    _same(single, parts)
    east = single.grid["x"] > (x0 + x1) / 2 + 1_000
    assert (single.grid.loc[east, "ai"] == 0).all() and single.grid["ai"].gt(0).any()
    # a spacing that is not a whole number of metres: the same points to the bit
    _same(transit_access(feeds, areas, spacing=333.3),
          transit_access(feeds, areas, spacing=333.3, partition=Partitioning("tile", 4_000)))  # fmt: skip
    # the limit of grid points holds for the stitched grid too
    monkeypatch.setenv(limits.Limits.variable("grid_points"), "500")
    with pytest.raises(ParameterError, match="limit"):
        transit_access(feeds, areas, spacing=400, partition=Partitioning("tile", 3_000))


def test_engine_parameters_are_checked():
    with pytest.raises(ParameterError, match="--workers"):
        Engine.of("local", workers=2, names={"workers": "--workers", "engine": "--engine"})
    with pytest.raises(ParameterError, match="scheduler"):
        Engine.of("dask", scheduler="not an address")
    with pytest.raises(ParameterError, match="exclude each other"):
        Engine.of("dask", scheduler="tcp://127.0.0.1:8786", workers=2)
    with pytest.raises(ParameterError, match="workers"):
        Engine.of("dask", workers=0)
    assert Engine.of(workers=2).name == "dask"


def _layers(path):
    return {layer: pyogrio.read_dataframe(path, layer=layer)
            for layer in ("ptal_grid", "ptal_areas")}  # fmt: skip


def _same_files(a, b):
    la, lb = _layers(a), _layers(b)
    for layer in la:
        pd.testing.assert_frame_equal(la[layer], lb[layer], check_exact=True)


def _ptal(region, out, *options):
    folder, gpkg, _, _ = region
    return main(["transit", "ptal", str(folder / "feeds"), "--areas", str(gpkg),
                 "--areas-layer", "iris", "--id-field", "CODE_IRIS", "--name-field", "NOM_IRIS",
                 "--grid", "200", "-o", str(out), "--json", *options])  # fmt: skip


def test_dask_on_two_workers_gives_the_local_engine_s_files(region, tmp_path, capsys):
    pytest.importorskip("distributed")
    assert _ptal(region, tmp_path / "local.gpkg") == 0
    assert json.loads(capsys.readouterr().out)["engine"] == "local"
    assert _ptal(region, tmp_path / "dask.gpkg", "--engine", "dask", "--workers", "2",
                 "--partition", "tile", "--tile", "6000") == 0  # fmt: skip
    out = capsys.readouterr()
    summary = json.loads(out.out)
    assert summary["engine"] == "dask" and summary["partitions"] > 4
    assert "partition" in out.err  # the progress on standard error
    _same_files(tmp_path / "local.gpkg", tmp_path / "dask.gpkg")


try:
    from distributed import WorkerPlugin
except ImportError:  # the tests of Dask are skipped
    WorkerPlugin = object


class KillOnce(WorkerPlugin):
    """A Dask worker plugin that kills its worker's process the first time a partition
    starts there (a machine lost mid-run), once for the whole cluster (a marker file)."""

    name = "kill-once"

    def __init__(self, marker: str):
        self.marker = marker

    def setup(self, worker):
        self.worker = worker

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing" and "run_task" in str(key):
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.close(fd)
            os._exit(1)


def test_a_partition_whose_worker_is_killed_is_computed_again(region, tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    marker = tmp_path / "killed"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=50) as cluster, \
            distributed.Client(cluster) as client:  # fmt: skip
        client.register_plugin(KillOnce(str(marker)))
        assert _ptal(region, tmp_path / "dask.gpkg", "--scheduler", cluster.scheduler_address,
                     "--partition", "departement") == 0  # fmt: skip
    assert marker.exists()  # a worker was killed during a partition
    capsys.readouterr()
    assert _ptal(region, tmp_path / "local.gpkg", "--partition", "departement") == 0
    _same_files(tmp_path / "local.gpkg", tmp_path / "dask.gpkg")
