"""The geo backend is chosen per call or context (``with geo.using(backend):``), never
swapped process-wide; every GeoPackage the library writes goes through it."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing

import pandas as pd
import pytest
import shapely

from qet_geo import geo
from qet_geo.io import write_table
from qet_geo.privacy import MARKER_KEY, MARKER_VALUE
from qet_geo.survey import write_respondents


class Recording(geo.PlainBackend):
    """The plain backend (points as a geometry column, the CRS in attrs) that notes each
    layer it writes, then writes it as the default backend does."""

    def __init__(self):
        self.written = []

    def write_layer(self, table, path, layer, metadata=None):
        self.written.append((layer, list(table.columns), geo.crs_of(table)))
        super().write_layer(table, path, layer, metadata=metadata)


def test_the_default_backend_outside_any_block():
    assert isinstance(geo.backend(), geo.PyprojBackend)
    assert not isinstance(geo.backend(), geo.PlainBackend)


def test_using_holds_inside_the_block_only_and_nests():
    outer, inner = Recording(), Recording()
    with geo.using(outer) as chosen:
        assert chosen is outer and geo.backend() is outer
        with geo.using(inner):
            assert geo.backend() is inner
        assert geo.backend() is outer
    assert isinstance(geo.backend(), geo.PyprojBackend)


def test_the_backend_is_back_after_an_error():
    with pytest.raises(ZeroDivisionError), geo.using(Recording()):
        1 / 0  # noqa: B018
    assert not isinstance(geo.backend(), Recording)


def test_another_thread_keeps_the_default():
    """A block in one thread (a Processing task) is not seen by another."""
    seen = []
    ready, done = threading.Event(), threading.Event()

    def other():
        ready.wait(10)
        seen.append(geo.backend())
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with geo.using(Recording()):
        ready.set()
        done.wait(10)
    thread.join(10)
    assert len(seen) == 1 and not isinstance(seen[0], Recording)


def _points(n=3, crs="EPSG:2154"):
    frame = pd.DataFrame({"respondent_id": [str(i) for i in range(n)], "source_row": range(n),
                          "weight": [1.0] * n})  # fmt: skip
    frame["geometry"] = shapely.points([650000.0 + i for i in range(n)], [6860000.0] * n)
    frame.attrs["crs"] = crs
    return frame


def test_geopackages_are_written_through_the_backend(tmp_path):
    """write_table (atomic, several layers) and write_respondents go through the backend of
    the block: a plain frame with its CRS in attrs becomes a point layer, GeoPackage 1.2,
    with the respondents marker, as the default backend writes it."""
    recording = Recording()
    target = tmp_path / "out.gpkg"
    with geo.using(recording):
        write_respondents(_points(), target)
        write_table(pd.DataFrame({"key": ["a"], "value": ["1"]}), target, layer="summary")
    assert recording.written == [
        ("respondents", ["respondent_id", "source_row", "weight", "geometry"], "EPSG:2154"),
        ("summary", ["key", "value"], None),
    ]
    with closing(sqlite3.connect(target)) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200  # GeoPackage 1.2
        kinds = dict(db.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns"))
        assert kinds == {"respondents": "POINT"}
        assert db.execute("SELECT srs_id FROM gpkg_contents WHERE table_name = 'respondents'").fetchone() == (2154,)  # fmt: skip
        [metadata] = db.execute("SELECT metadata FROM gpkg_metadata").fetchone()
        assert f'key="{MARKER_KEY}">{MARKER_VALUE}<' in metadata
        assert db.execute("SELECT COUNT(*) FROM summary").fetchone() == (1,)
    assert not list(tmp_path.glob(".*"))  # atomic: no temporary file left beside it


def test_a_failed_backend_write_leaves_the_old_file(tmp_path):
    """Atomic through any backend: a writer that fails leaves the previous file whole."""
    target = tmp_path / "out.gpkg"
    write_table(pd.DataFrame({"a": [1]}), target, layer="first")
    before = target.read_bytes()

    class Failing(geo.PlainBackend):
        def write_layer(self, table, path, layer, metadata=None):
            path.write_bytes(b"half a file")
            raise OSError("the writer failed")

    with pytest.raises(Exception, match="the writer failed"), geo.using(Failing()):
        write_table(pd.DataFrame({"a": [2]}), target, layer="second")
    assert target.read_bytes() == before
