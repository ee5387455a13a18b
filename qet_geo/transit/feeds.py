"""Several GTFS feeds at once: a region's operators (a folder of feeds, or a list), each read
by :func:`~qet_geo.transit.gtfs.read_gtfs`, each with its own service day, their ids kept
apart (French feeds reuse stop, route and trip ids across operators)."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError, Problem
from .gtfs import Feed, feed_geometry, read_gtfs

#: The separator between a feed's name and its own ids once several feeds are read together
#: ("star:1001"): one feed alone keeps its ids as they are.
NAMESPACE = ":"


def is_feed(path: Path) -> bool:
    """A zip, or a folder holding ``stops.txt`` (one feed, not a folder of feeds)."""
    return path.is_file() or (path / "stops.txt").is_file()


def feed_paths(spec, skipped: list | None = None) -> list[Path]:
    """The feeds of ``spec``: a path (a zip, a feed's folder, or a folder of feeds — its
    ``*.zip`` holding a ``stops.txt`` and its sub-folders holding one, in name order) or a
    list of such paths. A folder with no feed in it, or a feed given twice, is an error;
    the zips of a folder of feeds left out are warned of in ``skipped``."""
    items = [spec] if isinstance(spec, (str, os.PathLike)) else list(spec)
    if not items:
        raise InputError(Problem.of("gtfs", "no GTFS feed given", expected="a zip or a folder"))
    paths = [path for item in items for path in _listing(Path(item), skipped)]
    _once(paths)
    return paths


def _listing(path: Path, skipped: list | None) -> list[Path]:
    """The feeds of one path: itself, or those inside a folder of feeds."""
    if not path.exists():
        raise InputError(Problem.of(str(path), "file not found"))
    if is_feed(path):
        return [path]
    inside = []
    for p in sorted(path.iterdir(), key=lambda p: p.name):
        if p.is_dir() and is_feed(p):
            inside.append(p)
        elif p.is_file() and p.suffix.lower() == ".zip":
            if _zip_of_a_feed(p):
                inside.append(p)
            elif skipped is not None:
                skipped.append(Problem.of(str(p), "a GTFS zip in the folder of feeds without "
                                          "stops.txt: left out",
                                          expected="a GTFS feed (stops.txt, routes.txt, "
                                                   "trips.txt, stop_times.txt…)"))  # fmt: skip
    if not inside:
        raise InputError(
            Problem.of(str(path), "no GTFS feed in this folder",
                       expected="stops.txt and the other files of a feed, or feeds "
                                "(zips or folders) inside it")
        )  # fmt: skip
    return inside


def _once(paths) -> None:
    """A feed given twice (itself and through its folder of feeds, or a link) is an error."""
    seen: set[Path] = set()
    for path in paths:
        key = path.resolve()
        if key in seen:
            raise InputError(
                Problem.of(str(path), "the same GTFS feed is given twice",
                           expected="each feed once")
            )  # fmt: skip
        seen.add(key)


def _zip_of_a_feed(path: Path) -> bool:
    """A zip holding a ``stops.txt`` (a folder of feeds may hold other zips: documentation,
    shapes; they are left out, and said: :func:`feed_paths`). A file that is not a zip
    at all is kept: reading it says so."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return any(n.replace("\\", "/").rsplit("/", 1)[-1] == "stops.txt" for n in z.namelist())
    except (zipfile.BadZipFile, OSError):
        return True


def feed_names(paths) -> list[str]:
    """A short name per feed, unique: the file's stem ("star" for ``star.zip``), then
    ``-2``, ``-3``… for a stem already taken."""
    names: list[str] = []
    for path in paths:
        stem = Path(str(path)).name
        stem = stem[: -len(".zip")] if stem.lower().endswith(".zip") else stem
        stem = stem.replace(NAMESPACE, "_") or "gtfs"
        name, k = stem, 1
        while name in names:
            k += 1
            name = f"{stem}-{k}"
        names.append(name)
    return names


def read_feeds(spec) -> list[Feed]:
    """Every feed of ``spec`` (a Feed, a path — a feed, or a folder of feeds —, or a list of
    Feeds and paths), each read once by :func:`read_gtfs`."""
    if isinstance(spec, Feed):
        return [spec]
    items = [spec] if isinstance(spec, (str, os.PathLike)) else list(spec)
    skipped: list = []
    # each path listed once; a feed given twice is one error before any is read
    listed = [item if isinstance(item, Feed) else _listing(Path(item), skipped) for item in items]
    _once([p for entry in listed if not isinstance(entry, Feed) for p in entry])
    out: list[Feed] = []
    for entry in listed:
        if isinstance(entry, Feed):
            out.append(entry)
        else:
            out.extend(read_gtfs(path) for path in entry)
    if not out:
        raise InputError(Problem.of("gtfs", "no GTFS feed given", expected="a zip or a folder"))
    if skipped:  # said with the first feed's warnings (every caller shows them)
        out[0].warnings.extend(skipped)
    return out


def transit_geometry(gtfs):
    """What a map shows of the feeds of ``gtfs`` (a Feed, a path, a folder of feeds or a
    list, read once by :func:`read_feeds` when not read yet): (the boarding stops:
    stop_id, stop_name, stop_lat, stop_lon —, one line per route: (name, colour
    "#RRGGBB", [(lat, lon)…]) along its longest trip), the feeds' stops and lines together
    (stop ids prefixed by the feed's name when there are several)."""
    import pandas as pd

    feeds = read_feeds(gtfs)
    if len(feeds) == 1:
        return feed_geometry(feeds[0])
    all_stops, all_lines = [], []
    for name, feed in zip(feed_names([f.source for f in feeds]), feeds, strict=True):
        stops, lines = feed_geometry(feed)
        all_stops.append(stops.assign(stop_id=name + NAMESPACE + stops["stop_id"].astype(str)))
        all_lines.extend(lines)
    return pd.concat(all_stops, ignore_index=True), all_lines
