"""One wiring: ``qet-geo run`` and ``qetgeo:runpipeline`` are the same function
(``qet_geo.pipeline.run``), so on the documented example they write the same outputs.

The example configuration is run by the command line (a process of its own), by
``processing.run`` in this headless QGIS (the library inside ``geo.using(QgisBackend())``:
QGIS reads and writes every layer) and by the real ``qgis_process.bin`` (where QGIS's own
GEOS is in the global symbol scope, the job runs in a separate Python process); each into
its own folder. Then every output is compared:

- CSV tables (rejects, profiles.csv, the side tables of the GeoPackages): byte for byte;
- GeoPackages: every feature and attribute table (gpkg_contents), read with sqlite3, column
  names and types, every row (geometry blobs included) in fid order; the layer styles'
  QML; the respondents marker in gpkg_metadata;
- the model (profiles.json, profiles.private.json): equal JSON;
- the web map: the data embedded in the page (the page itself, byte for byte);
- the report (profiles.html) byte for byte; the manifest's list of files and sizes.

What legitimately differs, and only that, is left out: the times a file was written
(``gpkg_contents.last_change``, ``gpkg_metadata_reference.timestamp``,
``layer_styles.update_time``, the manifest's ``started``/``finished``), and the output
folder (the manifest names no folder; nothing else does either: see
test_security_layers.py). PDFs and PNGs carry their creation time (matplotlib) and are
checked elsewhere (test_forum.py).
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from plugin_testing import ROOT
from qgis.core import QgsProcessingException, QgsProcessingFeedback
from test_qgis_process import QGIS_PROCESS, config, qgis_process  # noqa: F401 - a fixture

CONFIG = ROOT / "sample_data" / "qet-geo.toml"
#: Files whose bytes differ by their creation time only (checked by test_forum.py).
TIMED = {".pdf", ".png", ".qgz"}
#: Columns holding the time a GeoPackage table was written.
WRITE_TIMES = {
    "gpkg_contents": ("last_change",),
    "gpkg_metadata_reference": ("timestamp",),
    "layer_styles": ("update_time",),
}


@pytest.fixture(scope="module")
def in_qgis(plugin, tmp_path_factory) -> tuple[Path, Logged]:
    """The example run by ``processing.run`` in this QGIS (the in-process path)."""
    import processing

    out = tmp_path_factory.mktemp("one-wiring") / "sorties"
    feedback = Logged()
    processing.run(
        "qetgeo:runpipeline", {"CONFIG": str(CONFIG), "OUTPUT_FOLDER": str(out)}, feedback=feedback
    )
    return out, feedback


class Logged(QgsProcessingFeedback):
    """A feedback that keeps its info lines, warnings and progress."""

    def __init__(self):
        super().__init__()
        self.info, self.warnings, self.progress = [], [], []
        self.progressChanged.connect(self.progress.append)

    def pushInfo(self, text):  # noqa: N802 - QGIS's name
        self.info.append(text)
        super().pushInfo(text)

    def pushWarning(self, text):  # noqa: N802 - QGIS's name
        self.warnings.append(text)
        super().pushWarning(text)


def _tables(path: Path) -> dict:
    """Every table of a GeoPackage a user reads (features, attributes, styles, metadata) as
    (columns with their types, rows in fid order), write times left out."""
    out = {}
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        names = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents ORDER BY 1")]
        names += [
            n
            for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if n in ("gpkg_metadata", "gpkg_metadata_reference", "gpkg_geometry_columns")
        ]
        for name in [*names, "gpkg_contents"]:
            info = db.execute(f'PRAGMA table_info("{name}")').fetchall()
            left_out = WRITE_TIMES.get(name, ())
            columns = [(c[1], c[2].upper()) for c in info if c[1] not in left_out]
            rounded = {"min_x", "min_y", "max_x", "max_y"} if name == "gpkg_contents" else ()
            if name == "layer_styles":
                columns = [c for c in columns if c[0] != "id"]
            selected = ", ".join(f'"{c}"' for c, _ in columns)
            rows = db.execute(f'SELECT {selected} FROM "{name}" ORDER BY 1').fetchall()
            # a layer's extent as each writer sums it up: equal to the 6th decimal
            keep = [c in rounded for c, _ in columns]
            rows = [tuple(round(v, 6) if k and v is not None else v
                          for v, k in zip(row, keep, strict=True)) for row in rows]  # fmt: skip
            out[name] = (columns, rows)
    return out


#: In an HTML page: the time matplotlib writes into an SVG figure (the report's) and the
#: random ids of its paths and clips (``m66247f7b5b``: svg.hashsalt is random), and the
#: random ids folium gives the map's elements (``map_a04f…``, 32 hex digits).
HTML_NOISE = re.compile(
    r"<dc:date>[^<]*</dc:date>|\b[mp][0-9a-f]{10}\b|(?<=_)[0-9a-f]{32}(?![0-9a-f])"
)


def _html(path: Path) -> str:
    return _rings(HTML_NOISE.sub("…", path.read_text(encoding="utf-8")))


def _rings(text: str) -> str:
    """The page with each polygon ring of its GeoJSON started at its smallest vertex: the
    command line simplifies the areas as a coverage (shapely), which may start a ring at
    another vertex; QGIS's older GEOS has no coverage simplification, so QGIS keeps the
    polygons as they are (``QgisBackend.simplify_coverage``)."""
    decoder, out, at = json.JSONDecoder(), [], 0
    for found in re.finditer(r'"coordinates":(?=\[\[\[)', text):
        if found.start() < at:
            continue
        value, end = decoder.raw_decode(text, found.end())
        polygons = value if isinstance(value[0][0][0], list) else [value]
        for polygon in polygons:
            for i, ring in enumerate(polygon):
                first = ring.index(min(ring[:-1]))
                polygon[i] = ring[first:-1] + ring[:first] + [ring[first]]
        out += [text[at : found.end()], json.dumps(value, separators=(",", ":"))]
        at = end
    return "".join([*out, text[at:]])


def _manifest(path: Path) -> list:
    """The files the manifest lists, with their sizes (but those of the timed files and of
    the pages, compared on their own)."""
    manifest = json.loads(path.read_text(encoding="utf-8"))
    return sorted((e["file"], None if Path(e["file"]).suffix in {*TIMED, ".html"} else e["size"])
                  for e in manifest["outputs"])  # fmt: skip


def differences(a: Path, b: Path) -> list[str]:
    """What differs between two output folders, beyond what legitimately does."""
    found = []
    names_a = sorted(p.name for p in a.iterdir())
    names_b = sorted(p.name for p in b.iterdir())
    if names_a != names_b:
        found.append(f"files: {names_a} != {names_b}")
    for name in sorted(set(names_a) & set(names_b)):
        x, y = a / name, b / name
        suffix = x.suffix.lower()
        if suffix in TIMED:
            continue
        if suffix == ".gpkg":
            tx, ty = _tables(x), _tables(y)
            for table in sorted(set(tx) | set(ty)):
                if tx.get(table) is None or ty.get(table) is None:
                    found.append(f"{name} [{table}]: only in one")
                elif tx[table][0] != ty[table][0]:
                    found.append(f"{name} [{table}]: columns {tx[table][0]} != {ty[table][0]}")
                elif tx[table][1] != ty[table][1]:
                    rows = [i for i, (r, s) in enumerate(zip(*(t[table][1] for t in (tx, ty)), strict=False))
                            if r != s]  # fmt: skip
                    found.append(f"{name} [{table}]: rows differ ({len(rows)}, first {rows[:3]}, "
                                 f"{len(tx[table][1])} vs {len(ty[table][1])} rows)")  # fmt: skip
        elif name == "manifest.json":
            if _manifest(x) != _manifest(y):
                found.append(f"{name}: {_manifest(x)} != {_manifest(y)}")
        elif suffix == ".html":
            if _html(x) != _html(y):
                found.append(f"{name}: the page differs")
        elif suffix == ".json":
            if json.loads(x.read_text("utf-8")) != json.loads(y.read_text("utf-8")):
                found.append(f"{name}: the JSON differs")
        elif x.read_bytes() != y.read_bytes():
            found.append(f"{name}: the bytes differ")
    return found


def test_runpipeline_in_qgis_writes_what_qet_geo_run_writes(in_qgis, cli_sample_job):
    cli, _ = cli_sample_job
    assert differences(cli, in_qgis[0]) == []


def test_the_comparison_sees_a_difference(in_qgis, tmp_path):
    """The comparison itself can fail: one value changed in one table is found."""
    import shutil

    copy = tmp_path / "sorties"
    shutil.copytree(in_qgis[0], copy)
    with closing(sqlite3.connect(copy / "areas.gpkg")) as db, db:
        db.execute("UPDATE profiles SET n = n + 1 WHERE rowid = 3")
    (copy / "profiles.csv").write_bytes((copy / "profiles.csv").read_bytes() + b"\r\n")
    found = differences(in_qgis[0], copy)
    assert len(found) == 2, found
    assert found[0].startswith("areas.gpkg [profiles]: rows differ (1, first [2]")
    assert found[1] == "profiles.csv: the bytes differ"


def test_runpipeline_reports_each_step_to_the_feedback(in_qgis):
    """The QGIS feedback hears each step ("[n/12] label", the bar step by step) and the
    run's warnings, as the command line's progress bar and warnings."""
    log = in_qgis[1]
    steps = [line for line in log.info if line.startswith("[")]
    assert steps[0] == "[1/12] survey import" and steps[-1] == "[12/12] QGIS project"
    assert "[8/12] the diagnostic (EMdV, NGC)" in steps
    assert len(steps) == 12
    assert "[9/12] the citizen vote" in steps
    assert log.progress[-1] == 100.0 and log.progress == sorted(log.progress)
    assert any(line.startswith("Outputs in ") for line in log.info)


def test_runpipeline_canceled_stops_between_steps(plugin, tmp_path):
    """Cancel asked while a step runs: the run stops before the next one, with the message
    of every qet-geo algorithm, and the manifest says the outputs are incomplete."""
    import processing

    feedback = Logged()
    feedback.progressChanged.connect(lambda value: value > 0 and feedback.cancel())
    out = tmp_path / "sorties"
    with pytest.raises(QgsProcessingException, match="Canceled: the outputs are incomplete."):
        processing.run("qetgeo:runpipeline", {"CONFIG": str(CONFIG), "OUTPUT_FOLDER": str(out)},
                       feedback=feedback)  # fmt: skip
    assert [line for line in feedback.info if line.startswith("[")] == ["[1/12] survey import"]
    assert json.loads((out / "manifest.json").read_text("utf-8"))["complete"] is False
    assert not (out / "profiles.json").exists()


@pytest.mark.skipif(not QGIS_PROCESS.is_file(), reason=f"{QGIS_PROCESS} is not installed")
def test_runpipeline_in_qgis_process_writes_what_qet_geo_run_writes(
    config,  # noqa: F811 - the fixture imported above
    cli_sample_job,
    tmp_path,
):
    cli, _ = cli_sample_job
    out = tmp_path / "sorties"
    done = qgis_process(config, "--json", "run", "qetgeo:runpipeline",
                        f"--CONFIG={CONFIG}", f"--OUTPUT_FOLDER={out}")  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert differences(cli, out) == []


def test_detectprofiles_writes_the_table_in_the_format_of_its_suffix(in_qgis, tmp_path):
    """One rule for the profiles table, the library's (``write_table``): the suffix chooses
    the format (.csv, .gpkg, .parquet), as ``qet-geo profiles detect --table``; an unknown
    suffix is an error naming the formats (it was renamed to .csv before)."""
    import processing

    out, _ = in_qgis
    base = {"INPUT": str(out / "respondents.gpkg"), "BOOTSTRAP": 0,
            "OUTPUT_MODEL": str(tmp_path / "model.json"), "OUTPUT": str(tmp_path / "l.gpkg")}  # fmt: skip
    done = processing.run(
        "qetgeo:detectprofiles", {**base, "OUTPUT_TABLE": str(tmp_path / "t.gpkg")}
    )
    assert done["OUTPUT_TABLE"] == str(tmp_path / "t.gpkg")
    with closing(sqlite3.connect(tmp_path / "t.gpkg")) as db:
        assert db.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall() == [
            ("profiles", "attributes")
        ]
        assert db.execute("SELECT COUNT(*) FROM profiles").fetchone()[0] == done["PROFILES"]
    assert not (tmp_path / "t.csv").exists()
    with pytest.raises(
        QgsProcessingException, match="unknown output format '.txt'; expected one of .gpkg"
    ):
        processing.run("qetgeo:detectprofiles", {**base, "OUTPUT_TABLE": str(tmp_path / "t.txt")})
    assert not (tmp_path / "t.txt").exists() and not (tmp_path / "t.csv").exists()
