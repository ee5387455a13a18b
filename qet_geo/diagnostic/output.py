"""The diagnostic as files (docs/diagnostic.md): what is published — the analyses' tables
in one GeoPackage and a CSV beside it for each — and the private working file.

Published: aggregates only (:mod:`qet_geo.diagnostic.analyses`, every value under the
threshold hidden), and the testimonies a reviewer listed, with e-mail addresses, phone
numbers and street numbers masked. Private (``<stem>.private.gpkg``, never to be shared):
every free text with its id (``texts``: what a reviewer reads and picks from), the rejected
rows as read, and each respondent's link to a profile.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd

from .. import limits
from ..constraints.output import csv_of, write_layers
from ..errors import InputError, Problem
from ..geo import read_frame
from ..i18n import Message
from ..io import atomic_path, read_only_uri, write_table
from ..styles import diagnostic_styles, forum_styles
from ..survey.readers import read_table
from ..threshold import DEFAULT_MIN_CELL
from .analyses import ANALYSES, AREA_ANALYSES, Diagnostic
from .places import slug

#: the layers of the published GeoPackage, in order
PUBLISHED_LAYERS = (
    *ANALYSES,
    "profiles",
    "testimonies",
    "area_estimates",
    "place_bands",
    *AREA_ANALYSES.values(),
    # the room for manoeuvre and the forum's subjects
    "forum_subjects",
    "levers",
    "lever_savings",
    "structural",
    "area_potentials",
    "lever_areas",
)
#: the layers of the private working file
PRIVATE_LAYERS = ("texts", "emdv_links", "emdv_rejects", "ngc_links", "ngc_rejects")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+\s?33\s?\(?0?\)?\s?|0033\s?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s.\-]?\d){8,}(?!\d)")
_STREET = re.compile(
    r"(?<![\w])\d{1,4}\s*(?:bis|ter|quater|[a-d])?\s*,?\s+(?=(?:rue|avenue|av\.?|bd|boulevard|"
    r"place|pl\.|allée|allee|impasse|chemin|quai|square|passage|villa|cité|cite|route|sentier|"
    r"cours|rond-point|résidence|residence)\b)",
    re.IGNORECASE,
)


def private_path(path) -> Path:
    """The private working file of the published GeoPackage ``path``: beside it,
    ``<stem>.private.gpkg``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.private.gpkg")


def output_files(path, private=None) -> list[Path]:
    """Every file :func:`write_diagnostic` may write (for the checks made before any work)."""
    private = private_path(path) if private is None else Path(private)
    return [Path(path), *(csv_of(path, name) for name in PUBLISHED_LAYERS), report_path(path),
            private]  # fmt: skip


def report_path(path) -> Path:
    """The report beside the published GeoPackage ``path``: ``<stem>.html``."""
    return Path(path).with_suffix(".html")


def mask_personal(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers and street numbers masked."""
    text = _EMAIL.sub("[e-mail masqué]", str(text))
    text = _PHONE.sub("[téléphone masqué]", text)
    text = _LONG_NUMBER.sub("[numéro masqué]", text)
    return _STREET.sub("[n°] ", text)


def text_ids(private: pd.DataFrame, survey: str) -> pd.Series:
    """The id of each private text: survey, row and question (``emdv-12-comment``)."""
    return survey + "-" + private["row"].astype(str) + "-" + private["question"].astype(str)


def read_review(path, texts: pd.DataFrame) -> set:
    """The ids of the texts a reviewer publishes: the file's column ``text_id`` (a CSV
    or a spreadsheet, as the private ``texts`` layer gives them), the rows whose
    ``publish`` column, when there is one, says yes (oui, yes, 1, x, true)."""
    name = str(path)
    table = _review_table(path)
    columns = {c.strip().lower(): c for c in table.columns}
    if "text_id" not in columns:
        raise InputError(Problem.of(name, Message("no column {column!r}", column="text_id"),
                                    expected="text_id (and publish), as in the texts layer of the private file"))  # fmt: skip
    known = set(texts["text_id"])
    chosen = set()
    for row, record in table.iterrows():
        text_id = str(record[columns["text_id"]]).strip()
        if not text_id:
            continue
        if "publish" in columns:
            said = str(record[columns["publish"]]).strip().lower()
            if said not in {"oui", "yes", "1", "x", "true", "vrai", "o", "y"}:
                continue
        if text_id not in known:
            raise InputError(Problem.of(name, "a text id the private file lacks", row=int(row),
                                        column=columns["text_id"], value=limits.echo(text_id),
                                        expected="an id of the texts layer of the private file"))  # fmt: skip
        chosen.add(text_id)
    return chosen


def _review_table(path) -> pd.DataFrame:
    """The reviewer file as text cells indexed by row number (header = 1): a CSV or text
    file of one column (``text_id``) or more, or a spreadsheet."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        table = read_table(path)
        return table.data
    if not path.is_file():
        raise InputError(Problem.of(str(path), "file not found"))
    limits.check_file_size(path)
    text = path.read_bytes().decode("utf-8-sig", "replace")
    lines = text.splitlines()
    header = lines[0] if lines else ""
    delimiter = next((d for d in ("\t", ";", ",") if d in header), ",")
    rows = list(csv.reader(lines, delimiter=delimiter))
    if not rows:
        raise InputError(Problem.of(str(path), "the file is empty", expected="a column text_id"))
    width = len(rows[0])
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    return pd.DataFrame(body, columns=rows[0], index=range(2, len(body) + 2), dtype=object)


def testimonies(texts: pd.DataFrame, chosen: set) -> pd.DataFrame:
    """The reviewed texts as published: theme, question and the text masked, in the order
    of theme, question and text (never the order of the rows)."""
    picked = texts[texts["text_id"].isin(chosen)]
    out = pd.DataFrame({"theme": picked["theme"].fillna("").astype(str),
                        "question": picked["question"].astype(str),
                        "text": [mask_personal(t) for t in picked["text"]]})  # fmt: skip
    return out.sort_values(["theme", "question", "text"]).reset_index(drop=True)


def write_diagnostic(diagnostic, path, *, private=None, texts=None, links=None, rejects=None,
                     published_texts=None, areas=(None, None), place_bands=None,
                     area_tables=None, manoeuvre=(), language: str = "fr") -> list[Path]:  # fmt: skip
    """The published GeoPackage ``path`` (the analyses' tables, the profiles, the reviewed
    testimonies, the estimates per area with their QGIS styles named in ``language``, the
    place indicators per band, the analyses per area of located respondents) with a CSV
    beside it per table, and the private working file."""
    layers = [(name, table, None) for name, table in diagnostic.tables().items()]
    if published_texts is not None and len(published_texts):
        layers.append(("testimonies", published_texts, None))
    styles = {}
    if areas[0] is not None:
        layers.append(("area_estimates", areas[0], areas[1]))
        styles["area_estimates"] = diagnostic_styles(areas[0], diagnostic.min_cell, language,
                                                     sectors=carbon_sectors(diagnostic))  # fmt: skip
    if place_bands is not None and len(place_bands):
        layers.append(("place_bands", place_bands, None))
    for name, table in (area_tables or {}).items():  # the analyses per area (located)
        layers.append((name, table, None))
    layers += [layer for layer in manoeuvre if layer[1] is not None]  # the room for manoeuvre
    forum = dict((name, table) for name, table, _ in manoeuvre if table is not None)
    if "area_potentials" in forum and "forum_subjects" in forum:
        ranked = forum["forum_subjects"]
        styles["area_potentials"] = forum_styles(
            forum["area_potentials"], list(zip(ranked["key"], ranked["title"], strict=True)),
            diagnostic.min_cell, language)  # fmt: skip
    written = write_layers(path, layers, styles)
    for name in PUBLISHED_LAYERS:  # a side file of an earlier run (its testimonies…) goes
        stale = csv_of(path, name)
        if stale not in written and stale.is_file():
            stale.unlink()
    private = private_path(path) if private is None else Path(private)
    private_layers = [("texts", texts if texts is not None else pd.DataFrame(), None)]
    for survey in ("emdv", "ngc"):
        for kind, frames in (("links", links or {}), ("rejects", rejects or {})):
            frame = frames.get(survey)
            if frame is not None:
                private_layers.append((f"{survey}_{kind}", frame, None))
    write_private(private, private_layers)
    return [*written, private]


def carbon_sectors(diagnostic) -> dict[str, str]:
    """{column of the area estimates: name} of NGC's level-1 sectors (``carbon__transport``
    → "Transport")."""
    carbon = diagnostic.carbon
    if not len(carbon):
        return {}
    top = carbon[carbon["level"].astype(str).isin(["1", "sector"])]
    return {f"carbon__{slug(k)}": str(label)
            for k, label in dict(zip(top["key"], top["label"], strict=True)).items()}  # fmt: skip


def write_private(path: Path, layers) -> None:
    """The private working file: one GeoPackage, no CSV beside it (a CSV travels too
    easily)."""
    with atomic_path(path) as tmp:
        for name, table, _ in layers:
            if len(table.columns):
                write_table(text_cells(table), tmp, layer=name, atomic=False)


def text_cells(table: pd.DataFrame) -> pd.DataFrame:
    """Cells GDAL writes: tuples of codes as ``{A,B}`` text."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = [("{" + ",".join(map(str, v)) + "}") if isinstance(v, (tuple, list)) else v
                           for v in out[column]]  # fmt: skip
    return out


def read_diagnostic(path) -> Diagnostic:
    """The published diagnostic GeoPackage ``path`` (written by :func:`write_diagnostic`)
    as a :class:`~qet_geo.diagnostic.analyses.Diagnostic`: its tables as written (hidden
    values NaN), an empty table for an analysis it lacks, the threshold read from its
    ``profiles`` table."""
    name = str(path)
    if not Path(path).is_file():
        reason = "is a folder, expected a file" if Path(path).is_dir() else "file not found"
        raise InputError(Problem.of(name, reason, expected="a diagnostic GeoPackage"))
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as db:
            present = {str(r[0]) for r in db.execute("SELECT table_name FROM gpkg_contents")}
    except sqlite3.DatabaseError as exc:
        raise InputError(Problem.of(name, Message("not a readable GeoPackage: {error}", error=str(exc)),
                                    expected="a diagnostic GeoPackage (qet-geo diagnostic summarize)")) from exc  # fmt: skip
    if "profiles" not in present or not present & set(ANALYSES):
        raise InputError(Problem.of(name, "not a diagnostic GeoPackage",
                                    expected="a diagnostic GeoPackage (qet-geo diagnostic summarize)"))  # fmt: skip
    tables = {}
    for layer in (*ANALYSES, "profiles"):
        frame = read_frame(path, layer) if layer in present else pd.DataFrame()
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
        if "profile" in frame.columns:
            frame["profile"] = frame["profile"].astype(str)
        tables[layer] = frame
    profiles = tables["profiles"]
    threshold = pd.to_numeric(profiles.get("min_cell", pd.Series(dtype=float)), errors="coerce")
    min_cell = int(threshold.max()) if threshold.notna().any() else DEFAULT_MIN_CELL
    return Diagnostic(**tables, min_cell=min_cell)


def read_forum(path) -> tuple[pd.DataFrame, pd.DataFrame | None, int]:
    """The forum's subjects of the published diagnostic ``path`` (its ``forum_subjects``
    table, ranked), its subjects' potential per area (``area_potentials``, with geometry and
    CRS; None when the diagnostic has no areas) and its threshold."""
    name = str(path)
    if not Path(path).is_file():
        reason = "is a folder, expected a file" if Path(path).is_dir() else "file not found"
        raise InputError(Problem.of(name, reason, expected="a diagnostic GeoPackage"))
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as db:
            present = {str(r[0]) for r in db.execute("SELECT table_name FROM gpkg_contents")}
    except sqlite3.DatabaseError as exc:
        raise InputError(Problem.of(name, Message("not a readable GeoPackage: {error}", error=str(exc)),
                                    expected="a diagnostic GeoPackage (qet-geo diagnostic summarize)")) from exc  # fmt: skip
    if "forum_subjects" not in present:
        raise InputError(Problem.of(name, "no forum subjects in this diagnostic",
                                    expected="a diagnostic made with the SU answers' six habits "
                                             "(qet-geo diagnostic summarize --su, or qet-geo run)"))  # fmt: skip
    subjects = pd.DataFrame(
        read_frame(path, "forum_subjects").drop(columns="geometry", errors="ignore")
    )
    subjects = subjects.sort_values("rank", kind="stable").reset_index(drop=True)
    areas = read_frame(path, "area_potentials") if "area_potentials" in present else None
    min_cell = read_diagnostic(path).min_cell
    subjects.attrs["min_cell"] = min_cell
    return subjects, areas, min_cell
