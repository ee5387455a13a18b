"""The citizen vote of the forum (docs/forum.md, "Le vote / The vote"): which impact subject
the neighbourhood works on next.

The ballots are a table (CSV/TSV with ``,``, ``;`` or tab, UTF-8 with or without BOM or
Windows-1252, or a spreadsheet), one row per ballot: ``ballot_id`` and either ``subject``
(one choice: counted by plurality) or ``rank_1``, ``rank_2``, … (ranked ballots: counted by
instant run-off), and optionally ``area`` (the voter's IRIS or area id). Subjects are named
by their keys, by default the usage keys of the footprints, or by their titles, with case
and accents ignored — nothing else is guessed.

Every problem of the file is listed at once (unknown subject, duplicate ballot id, empty
ballot, a subject ranked twice, a gap in the ranks, a row that does not split into the
header's columns…) and the vote is then **not counted**: a count that silently left out
ballots would not be the vote.

Why instant run-off decides a ranked vote: one subject must come out of the forum for the
rest of the process; IRV elects a subject backed by a majority of the ballots still
expressing a preference in its last round, and a voter gains nothing by ranking a rival
last (the "burying" a Borda count rewards). Borda scores are shown beside it as a
consensus check. The shares carry Wilson 95 % intervals [Wilson-1927]; when the winner's
interval and the runner-up's overlap the lead is said to be an "ex aequo statistique".

By area, the table of the areas' first choices (with the ballots without an area as one
more line) goes through the area maps' disclosure mechanism
(:func:`qet_geo.areas.disclosure.protect`, [INSEE-secret], [Hundepool-2012]): an area
with fewer ballots than the threshold is hidden, a subject's count under the threshold
too, then what the whole vote's totals would give back by difference; an area with a hidden
count keeps its leader's name but not its share.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import limits
from ..areas.disclosure import protect
from ..areas.stats import wilson
from ..errors import InputError, ParameterError, Problem
from ..i18n import Count, Message, forum_language, language, tr
from ..io import atomic_path, split_layer, spreadsheet_text, with_crs, write_table
from ..survey.readers import read_table
from ..threshold import DEFAULT_MIN_CELL, check_min_cell

#: The default subjects: the usage keys of the footprints, their French and English titles.
SUBJECT_TITLES = {
    "alimentation": ("Alimentation", "Food"),
    "avion": ("Avion", "Air travel"),
    "mobilite": ("Mobilité", "Mobility"),
    "achats": ("Achats", "Purchases"),
    "numerique": ("Numérique", "Digital"),
    "chauffage": ("Chauffage", "Heating"),
}
#: The columns of a ballot file (case and surrounding spaces of the header ignored).
BALLOT_ID, SUBJECT, AREA, RANK = "ballot_id", "subject", "area", "rank_"
#: a header that looks like a ballot's column and is not one (its choices would be lost)
NEAR_MISS = re.compile(r"(.*(rank|rang|choi(ce|x)|pref|subj|suj|vote|voeu).*|ballot\w*|bulletin\w*|"
                       r"area\w*|zone\w*|iris\w*|code\W?iris|quartier\w*)", re.ASCII)  # fmt: skip
BALLOT_COLUMNS = (
    "ballot_id, and subject (one choice per ballot) or rank_1, rank_2, … (ranked ballots); "
    "area optional"
)
SUBJECTS_COLUMNS = "key and title (one row per subject)"
#: The files :func:`write_vote` writes in its folder.
VOTE_FILES = ("vote.csv", "vote_rounds.csv", "vote_areas.csv", "vote.png", "vote.pdf")
VOTE_AREAS = "vote_areas.gpkg"
#: Colours of the subjects on the chart and the web map (Okabe–Ito, colour-blind safe).
SUBJECT_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                   "#CC79A7", "#999999")  # fmt: skip

TEXT = {
    "fr": {
        "title": "Vote citoyen du forum",
        "plurality": "un sujet par bulletin, décompte à la majorité relative",
        "irv": "bulletins classés, décompte par vote alternatif (second tour instantané)",
        "ballots": "{n} bulletins",
        "share_axis": "part des bulletins ; premier choix avec son intervalle de confiance à 95 %",
        "winner": "Sujet retenu : {title}",
        "ahead": "avance au-delà des intervalles de confiance",
        "ahead_final": "en tête au dernier tour du vote alternatif, avance au-delà des intervalles de confiance",
        "first_round": "premier choix",
        "last_round": "dernier tour (report des voix)",
        "tie": "ex aequo statistique avec {other} (intervalles qui se recouvrent)",
        "hidden": "masqué (secret statistique, seuil {n} bulletins)",
        "cells_hidden": "des décomptes masqués (secret statistique, seuil {n} bulletins)",
        "no_area": "sans zone",
        "elected": "élu",
        "eliminated": "éliminé",
    },
    "en": {
        "title": "The forum's citizen vote",
        "plurality": "one subject per ballot, counted by plurality",
        "irv": "ranked ballots, counted by instant run-off",
        "ballots": "{n} ballots",
        "share_axis": "share of the ballots; first choice with its 95% confidence interval",
        "winner": "Subject chosen: {title}",
        "ahead": "lead beyond the confidence intervals",
        "ahead_final": "ahead in the run-off's last round, lead beyond the confidence intervals",
        "first_round": "first choice",
        "last_round": "last round (transferred votes)",
        "tie": "statistical tie with {other} (overlapping intervals)",
        "hidden": "hidden (statistical secrecy, threshold {n} ballots)",
        "cells_hidden": "some counts hidden (statistical secrecy, threshold {n} ballots)",
        "no_area": "no area",
        "elected": "elected",
        "eliminated": "eliminated",
    },
}


# ---------------------------------------------------------------------- subjects
@dataclass(frozen=True)
class Subject:
    """A subject of the vote: its ``key`` (what the outputs name it by), its ``title`` and
    the other names a ballot may give it (its titles), matched without case or accents."""

    key: str
    title: str
    aliases: tuple[str, ...] = ()

    def names(self) -> list[str]:
        return [self.key, self.title, *self.aliases]


def default_subjects(language: str = "fr") -> list[Subject]:
    """The six usage keys of the footprints with their titles in ``language`` ("fr", the
    default, or "en"); a ballot may name each by its key or either title."""
    english = forum_language(language) == "en"
    return [Subject(key, titles[1] if english else titles[0], titles)
            for key, titles in SUBJECT_TITLES.items()]  # fmt: skip


def fold(text) -> str:
    """A name as subjects are matched: without surrounding spaces, case or accents."""
    text = unicodedata.normalize("NFKD", str(text).strip()).casefold()
    return "".join(c for c in text if not unicodedata.combining(c))


def _cells(path, what) -> tuple[object, dict]:
    """A table read by the survey readers (bounded by :mod:`qet_geo.limits`) and its
    columns by folded name; problems of the header raised."""
    raw = read_table(path)
    columns: dict[str, str] = {}
    problems = []
    for column in raw.columns:
        # the reader names a repeated header "X (2)"; "Subject" and "subject" are one too
        repeated = re.fullmatch(r"(.+) \((\d+)\)", str(column))
        folded = fold(column)
        first = columns.get(folded) or (columns.get(fold(repeated.group(1))) if repeated else None)
        if first is not None:
            problems.append(_two_columns(raw, first, column))
            continue
        columns[folded] = column
    if problems:
        raise InputError(problems)
    return raw, columns


def _two_columns(raw, first, second) -> Problem:
    """Two columns of a table that name one thing (``Subject`` and ``subject``, ``rank_1``
    and ``rank_01``): one would be lost."""
    position = list(raw.columns)
    return Problem.of(raw.path, Message("two columns named {column!r} (columns {first} and {second})",
                                        column=str(first), first=position.index(first) + 1,
                                        second=position.index(second) + 1),
                      row=raw.header_row, column=str(second), expected="one column per question")  # fmt: skip


def read_subjects(path) -> list[Subject]:
    """The subjects of a subjects table (``forum_subjects.csv``: at least the columns ``key``
    and ``title``), in its order; a second title column ``title_en`` or ``title_fr`` is
    accepted as another name of the subject. A cell that starts with ``'`` is read without
    it (qet-geo's CSV files neutralise a formula so, :func:`qet_geo.io.spreadsheet_safe_text`)."""
    raw, columns = _cells(path, "subjects")
    name = raw.path
    problems = [Problem.of(name, Message("no column {column!r}", column=c), row=raw.header_row,
                           expected=SUBJECTS_COLUMNS) for c in ("key", "title") if c not in columns]  # fmt: skip
    if problems:
        raise InputError(problems)
    problems = [problem for _text, problem in raw.malformed.values()]
    others = [columns[c] for c in ("title_fr", "title_en") if c in columns]
    subjects, seen = [], {}
    for row, record in raw.data.iterrows():
        # a qet-geo table (diagnostic_forum_subjects.csv) neutralises formulas with a quote
        key, title = (spreadsheet_text(str(record[columns[c]]).strip()) for c in ("key", "title"))
        if not key and not title and not any(str(v).strip() for v in record):
            continue
        if not key:
            problems.append(Problem.of(name, "a subject without a key", row=int(row),
                                       column=columns["key"], value=title, expected="a subject key"))  # fmt: skip
            continue
        aliases = tuple(spreadsheet_text(str(record[c]).strip()) for c in others
                        if str(record[c]).strip())  # fmt: skip
        subject = Subject(key, title or key, aliases)
        for alias in dict.fromkeys(fold(n) for n in subject.names()):
            if alias in seen and seen[alias][1] != key:
                problems.append(Problem.of(name, Message("a subject name already given on row {first}",
                                                         first=seen[alias][0]),
                                           row=int(row), column=columns["key"], value=key,
                                           expected="keys and titles that name one subject each"))  # fmt: skip
            elif alias in seen:
                problems.append(Problem.of(name, Message("a subject key already given on row {first}",
                                                         first=seen[alias][0]),
                                           row=int(row), column=columns["key"], value=key,
                                           expected="each subject once"))  # fmt: skip
            seen.setdefault(alias, (int(row), key))
        subjects.append(subject)
    if problems:
        raise InputError(problems)
    if not subjects:
        raise InputError(Problem.of(name, "no subject in the file", expected=SUBJECTS_COLUMNS))
    return subjects


def as_subjects(subjects=None, language: str = "fr") -> list[Subject]:
    """Subjects given as None (:func:`default_subjects`), a subjects table's path, a table
    with the columns ``key`` and ``title``, or a list of :class:`Subject` or (key, title)."""
    if subjects is None:
        return default_subjects(language)
    if isinstance(subjects, (str, Path)):
        return read_subjects(subjects)
    if isinstance(subjects, pd.DataFrame):
        return [Subject(str(r["key"]), str(r.get("title") or r["key"]))
                for r in subjects.to_dict("records")]  # fmt: skip
    return [s if isinstance(s, Subject) else Subject(str(s[0]), str(s[1])) for s in subjects]


# ---------------------------------------------------------------------- ballots
@dataclass
class Ballots:
    """The ballots of a vote file, every one valid: each ballot's subjects (positions in
    ``subjects``) in the order of preference (one for a plurality ballot)."""

    source: str
    subjects: list[Subject]
    ranked: bool
    choices: list[tuple[int, ...]]
    ids: list[str]
    rows: list[int]
    areas: list[str | None] | None = None  # the voter's area id (None: not given)
    blank_rows: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    language: str = "fr"
    ignored: tuple = ()  # the file's other columns, not read

    def __len__(self) -> int:
        return len(self.choices)

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.subjects]


def _subject_index(subjects: list[Subject]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, subject in enumerate(subjects):
        for alias in subject.names():
            index.setdefault(fold(alias), i)
    return index


def read_ballots(path, subjects=None, *, language: str = "fr") -> Ballots:
    """Read and check a ballot file.

    Parameters
    ----------
    path : str or pathlib.Path
        The ballots: one row per ballot, columns ``ballot_id`` and ``subject`` (one choice)
        or ``rank_1``, ``rank_2``, … (ranked ballots), optionally ``area``. CSV/TSV (``,``,
        ``;`` or tab; UTF-8, UTF-8 with BOM or Windows-1252) or a spreadsheet.
    subjects : optional
        The subjects: None for the six usage keys (:func:`default_subjects`), a subjects
        table's path (``forum_subjects.csv``: columns ``key`` and ``title``), a table, or a
        list of :class:`Subject`.
    language : {"fr", "en"}
        The language of the default subjects' titles in the outputs.

    Returns
    -------
    Ballots

    Raises
    ------
    InputError
        Every problem of the file at once, the first saying how many rows are bad (the vote
        is not counted while one is): a missing column, a row that does not split into the
        header's columns, an empty or duplicate ballot id, an empty ballot, an unknown
        subject, a subject ranked twice, a rank after an empty one; each names the file,
        row, column, value and what was expected.
    """
    subjects = as_subjects(subjects, language)
    raw, columns = _cells(path, "ballots")
    name = raw.path
    ranks = {}
    header, misnamed = [], []
    ignored = []
    for folded, column in columns.items():
        if folded.startswith(RANK) and folded[len(RANK) :].isdigit():
            number = int(folded[len(RANK) :])
            if number in ranks:  # rank_1 and rank_01: one would be lost
                misnamed.append(_two_columns(raw, ranks[number], column))
                continue
            ranks[number] = column
        elif folded in (BALLOT_ID, SUBJECT, AREA):
            continue
        elif NEAR_MISS.fullmatch(folded):  # "rank 3", "rang_2", "subjects": a choice lost
            misnamed.append(Problem.of(name, "not a column of a ballot file", row=raw.header_row,
                                     column=str(column), value=str(column), expected=BALLOT_COLUMNS))  # fmt: skip
        else:
            ignored.append(str(column))
    if BALLOT_ID not in columns:
        header.append(Problem.of(name, Message("no column {column!r}", column=BALLOT_ID),
                                 row=raw.header_row, expected=BALLOT_COLUMNS))  # fmt: skip
    if SUBJECT in columns and ranks:
        header.append(Problem.of(name, "both a subject column and rank columns: one kind of ballot per file",
                                 row=raw.header_row, column=columns[SUBJECT], expected=BALLOT_COLUMNS))  # fmt: skip
    elif SUBJECT not in columns and not ranks:
        header.append(Problem.of(name, Message("no column {column!r}", column=SUBJECT),
                                 row=raw.header_row, expected=BALLOT_COLUMNS))  # fmt: skip
    for number in sorted(ranks):
        if number > 1 and number - 1 not in ranks:
            header.append(Problem.of(name, "a rank column without the one before it", row=raw.header_row,
                                     column=ranks[number], expected=Message("{column} before it", column=f"{RANK}{number - 1}")))  # fmt: skip
        elif number == 0:
            header.append(Problem.of(name, "ranks start at 1", row=raw.header_row,
                                     column=ranks[number], expected=f"{RANK}1"))  # fmt: skip
    header += misnamed
    if header:
        raise InputError(header)
    ranked = bool(ranks)
    choice_columns = [ranks[k] for k in sorted(ranks)] if ranked else [columns[SUBJECT]]
    index = _subject_index(subjects)
    keys = ", ".join(s.key for s in subjects)
    expected_subject = Message("a subject: {keys} (or its title)", keys=keys)
    folded_names = list(index)
    problems: dict[int, list[Problem]] = {}
    for row, (_text, problem) in raw.malformed.items():
        problems.setdefault(int(row), []).append(problem)

    data = raw.data
    id_column = columns[BALLOT_ID]
    area_column = columns.get(AREA)
    ids_seen: dict[str, int] = {}
    choices, ids, rows, areas = [], [], [], []
    blank = 0
    cells = {c: data[c].to_numpy(dtype=object) for c in data.columns}
    for position, row in enumerate(data.index.to_numpy()):
        row = int(row)
        if not any(str(cells[c][position]).strip() for c in data.columns):
            blank += 1
            continue
        mine = problems.setdefault(row, [])
        ballot_id = str(cells[id_column][position]).strip()
        if not ballot_id:
            mine.append(Problem.of(name, "a ballot without an id", row=row, column=id_column,
                                   value="", expected="a ballot id, once in the file"))  # fmt: skip
        elif ballot_id in ids_seen:
            mine.append(Problem.of(name, Message("a ballot id already given on row {first}",
                                                 first=ids_seen[ballot_id]),
                                   row=row, column=id_column, value=limits.echo(ballot_id),
                                   expected="a ballot id, once in the file"))  # fmt: skip
        else:
            ids_seen[ballot_id] = row
        chosen: list[int] = []
        where: dict[int, str] = {}
        empty_before = None
        for column in choice_columns:
            value = str(cells[column][position]).strip()
            if not value:
                empty_before = empty_before or column
                continue
            if empty_before is not None:
                mine.append(Problem.of(name, "a rank given after an empty one", row=row, column=column,
                                       value=limits.echo(value),
                                       expected=Message("{before} filled before {column}",
                                                        before=empty_before, column=column)))  # fmt: skip
            subject = index.get(fold(value))
            if subject is None:
                close = difflib.get_close_matches(fold(value), folded_names, n=1, cutoff=0.75)
                mine.append(Problem.of(name, "an unknown subject", row=row, column=column,
                                       value=limits.echo(value), expected=expected_subject,
                                       suggestion=subjects[index[close[0]]].key if close else None))  # fmt: skip
            elif subject in where:
                mine.append(Problem.of(name, Message("a subject ranked twice on one ballot (already {column})",
                                                     column=where[subject]),
                                       row=row, column=column, value=limits.echo(value),
                                       expected="each subject once on a ballot"))  # fmt: skip
            else:
                where[subject] = column
                chosen.append(subject)
        if not where and not any(str(cells[c][position]).strip() for c in choice_columns):
            mine.append(Problem.of(name, "an empty ballot: no subject chosen", row=row,
                                   column=choice_columns[0], value="", expected=expected_subject))  # fmt: skip
        if mine:
            continue
        choices.append(tuple(chosen))
        ids.append(ballot_id)
        rows.append(row)
        if area_column is not None:
            area = str(cells[area_column][position]).strip()
            areas.append(area or None)
    bad = {row: p for row, p in problems.items() if p}
    if bad:
        listed = [p for row in sorted(bad) for p in bad[row]]
        summary = Problem.of(name, Message(
            "{bad} of {rows} rows cannot be counted ({problems} problems): the vote is not "
            "counted until every ballot can be, so that none is left out silently",
            bad=Count(len(bad)), rows=Count(len(bad) + len(choices)), problems=Count(len(listed))),
            expected="every row a valid ballot")  # fmt: skip
        raise InputError([summary, *listed])
    if not choices:
        raise InputError(Problem.of(name, "no ballot in the file", expected=BALLOT_COLUMNS))
    return Ballots(name, subjects, ranked, choices, ids, rows,
                   areas if area_column is not None else None, blank, raw.encoding,
                   raw.delimiter, forum_language(language), tuple(ignored))  # fmt: skip


# ---------------------------------------------------------------------- counting
def _matrix(choices, width: int) -> np.ndarray:
    """The ballots as a matrix of subject positions in order of preference (−1: none)."""
    out = np.full((len(choices), max(width, 1)), -1, dtype=np.int64)
    for i, ballot in enumerate(choices):
        out[i, : len(ballot)] = ballot
    return out


def _first_choices(matrix: np.ndarray, m: int, continuing: np.ndarray | None = None):
    """The votes of each subject among the continuing ones (each ballot for its highest
    ranked continuing subject) and the number of ballots with none left (exhausted)."""
    mask = matrix >= 0
    if continuing is not None:
        mask &= continuing[np.where(matrix >= 0, matrix, 0)]
    has = mask.any(axis=1)
    first = matrix[np.arange(len(matrix)), mask.argmax(axis=1)][has]
    return np.bincount(first, minlength=m), int((~has).sum())


def _order_key(first: np.ndarray):
    """The order of elimination among equals: fewer first preferences first, then the one
    later in the subjects table (the table comes ranked: its earlier subjects are kept)."""
    return lambda i: (int(first[i]), -i)


def instant_runoff(matrix: np.ndarray, m: int) -> tuple[int, list[dict]]:
    """Instant run-off: the winner's position and each round (votes of the continuing
    subjects, exhausted ballots, the subject eliminated and whether a tie was broken).

    Each round every ballot counts for its highest-ranked continuing subject; a subject with
    more than half of the ballots still counting is elected; else the subject with the fewest
    votes is eliminated — among equals the one with fewer first preferences, then the one
    later in the subjects table — and its ballots pass to their next choice."""
    continuing = np.ones(m, dtype=bool)
    first, _ = _first_choices(matrix, m)
    rounds = []
    while True:
        votes, exhausted = _first_choices(matrix, m, continuing)
        active = len(matrix) - exhausted
        alive = np.flatnonzero(continuing)
        top = max(alive, key=lambda i: (int(votes[i]), int(first[i]), -i))
        record = {"votes": votes.copy(), "continuing": continuing.copy(), "active": active,
                  "exhausted": exhausted, "elected": None, "eliminated": None, "tie_broken": False}  # fmt: skip
        if 2 * votes[top] > active or len(alive) == 1:
            record["elected"] = int(top)
            rounds.append(record)
            return int(top), rounds
        low = min(int(votes[i]) for i in alive)
        lowest = [int(i) for i in alive if votes[i] == low]
        out = min(lowest, key=_order_key(first))
        record["eliminated"] = out
        record["tie_broken"] = len(lowest) > 1
        rounds.append(record)
        continuing[out] = False


def borda(matrix: np.ndarray, m: int) -> np.ndarray:
    """Borda scores: on each ballot the subject ranked i-th (from 0) gets m − 1 − i points,
    a subject not ranked none."""
    points = np.zeros(m, dtype=np.int64)
    for position in range(matrix.shape[1]):
        ranked = matrix[:, position]
        np.add.at(points, ranked[ranked >= 0], m - 1 - position)
    return points


@dataclass
class _Count:
    """One count (the whole vote or one area's)."""

    n: int
    votes: np.ndarray  # first preferences
    winner: int
    runner_up: int | None
    decisive: tuple  # (winner's votes, runner-up's votes, ballots counting) of the decision
    statistical_tie: bool
    tie_broken: bool
    rounds: list
    borda: np.ndarray | None


def _count(choices, m: int, ranked: bool) -> _Count:
    width = max((len(c) for c in choices), default=1)
    matrix = _matrix(choices, width)
    votes, _ = _first_choices(matrix, m)
    if ranked:
        winner, rounds = instant_runoff(matrix, m)
        last = (
            next(r for r in reversed(rounds) if r["continuing"].sum() >= 2) if m > 1 else rounds[-1]
        )
        others = [i for i in np.flatnonzero(last["continuing"]) if i != winner]
        runner = (
            max(others, key=lambda i: (int(last["votes"][i]), int(votes[i]), -i))
            if others
            else None
        )
        decisive = (int(last["votes"][winner]), None if runner is None else int(last["votes"][runner]),
                    int(last["active"]))  # fmt: skip
        tie_broken = runner is not None and last["votes"][runner] == last["votes"][winner]
        points = borda(matrix, m)
    else:
        order = sorted(range(m), key=lambda i: (-int(votes[i]), i))
        winner, runner = order[0], (order[1] if m > 1 else None)
        decisive = (
            int(votes[winner]),
            None if runner is None else int(votes[runner]),
            len(choices),
        )
        tie_broken = runner is not None and votes[runner] == votes[winner]
        rounds, points = [], None
    tie = False
    if runner is not None and decisive[2] > 0:
        low, high = wilson(np.array(decisive[:2], dtype=float) / decisive[2], decisive[2])
        tie = bool(low[0] <= high[1])
    return _Count(len(choices), votes, int(winner), None if runner is None else int(runner),
                  decisive, tie, bool(tie_broken), rounds, points)  # fmt: skip


AREA_SUMMARY_COLUMNS = ["area_id", "hidden", "n_ballots", "leader", "leader_title", "leader_share",
                        "leader_low", "leader_high", "statistical_tie", "note"]  # fmt: skip
AREA_LONG_COLUMNS = ["area_id", "hidden", "n_ballots", "key", "title", "votes", "share", "low",
                     "high", "leader", "note"]  # fmt: skip


@dataclass
class VoteResult:
    """A counted vote: per subject (:attr:`subjects`), the run-off's rounds (:attr:`rounds`,
    ranked ballots), per area (:attr:`areas`, long; :attr:`area_summary`, one row per area),
    the winner and whether its lead is beyond the intervals."""

    ballots: Ballots
    method: str  # "plurality" or "irv"
    min_cell: int
    subjects: pd.DataFrame
    rounds: pd.DataFrame | None
    areas: pd.DataFrame | None
    area_summary: pd.DataFrame | None
    winner: str
    runner_up: str | None
    statistical_tie: bool
    tie_broken: bool
    borda_winner: str | None
    unlocated: int | None = 0  # ballots without an area (None: hidden)
    padded: int = 0  # area ids read with their lost leading zeros (an area map given)
    area_map: object = None  # the Areas the ids were checked against
    warnings: list = field(default_factory=list)
    written: list = field(default_factory=list)  # the files :func:`vote` wrote

    @property
    def source(self) -> str:
        return self.ballots.source

    @property
    def language(self) -> str:
        return self.ballots.language

    def title(self, key) -> str:
        return next(s.title for s in self.ballots.subjects if s.key == key)

    def lines(self) -> list[str]:
        """The result as a person reads it (the command line, the Processing log), in the
        language of messages."""
        n = len(self.ballots)
        method = tr("ranked ballots, counted by instant run-off") if self.method == "irv" \
            else tr("one subject per ballot, counted by plurality")  # fmt: skip
        lines = [
            tr("{source}: {n} ballots ({method})", source=self.source, n=Count(n), method=method)
        ]
        if self.ballots.ignored:
            lines.append(tr("columns not read: {columns}", columns=", ".join(self.ballots.ignored)))
        for r in self.subjects.itertuples():
            text = tr("{rank}. {title} ({key}): {votes} votes, {share} [{low}–{high}]", rank=r.rank,
                      title=r.title, key=r.key, votes=Count(r.votes), share=_percent(r.share),
                      low=_percent(r.low), high=_percent(r.high))  # fmt: skip
            if self.method == "irv":
                text += " · " + tr("Borda {points}", points=Count(r.borda))
            lines.append(text)
        if self.rounds is not None:
            for number, group in self.rounds.groupby("round", sort=True):
                shown = ", ".join(f"{g.title} {g.votes}" for g in group.itertuples())
                exhausted = int(group["exhausted"].iloc[0])
                out = group[group["outcome"] == "eliminated"]
                won = group[group["outcome"] == "elected"]
                if len(won):
                    then = tr("{title} elected with {votes} of {active} ballots counting",
                              title=won["title"].iloc[0], votes=Count(int(won["votes"].iloc[0])),
                              active=Count(int(group["active"].iloc[0])))  # fmt: skip
                else:
                    then = tr("{title} eliminated", title=out["title"].iloc[0])
                    if bool(out["tie_broken"].iloc[0]):
                        then += " " + tr(
                            "(tie broken by fewer first choices, then the subjects' order)"
                        )
                lines.append(tr("round {k}: {votes} ({exhausted} exhausted); {then}", k=number,
                                votes=shown, exhausted=Count(exhausted), then=then))  # fmt: skip
        lines.append(tr("winner: {title} ({key})", title=self.title(self.winner), key=self.winner))
        if self.tie_broken:
            lines.append(tr("equal votes: decided by fewer first choices, then by the subjects' order")
                         if self.method == "irv" else tr("equal votes: decided by the subjects' order"))  # fmt: skip
        if self.runner_up is not None:
            if self.statistical_tie:
                lines.append(tr("statistical tie with {title}: their 95% intervals overlap",
                                title=self.title(self.runner_up)))  # fmt: skip
            else:
                lines.append(tr("the lead over {title} is beyond the 95% intervals",
                                title=self.title(self.runner_up)))  # fmt: skip
        if self.borda_winner is not None:
            lines.append(tr("Borda count (consensus check): {title} first", title=self.title(self.borda_winner))
                         + (" — " + tr("the same subject") if self.borda_winner == self.winner
                            else " — " + tr("another subject than the run-off's")))  # fmt: skip
        if self.area_summary is not None:
            shown = self.area_summary[~self.area_summary["hidden"]]
            lines.append(tr("{areas} areas: {shown} shown, {hidden} hidden (fewer than {n} ballots, or hidden with such an area so that none is given back by difference)",
                            areas=len(self.area_summary), shown=len(shown),
                            hidden=int(self.area_summary["hidden"].sum()), n=self.min_cell))  # fmt: skip
            for r in shown.itertuples():
                if r.leader is None or (isinstance(r.leader, float) and np.isnan(r.leader)):
                    said = tr("{area}: {n} ballots", area=r.area_id, n=Count(int(r.n_ballots)))
                    if int(r.n_ballots):
                        said += " — " + tr("the subject ahead hidden (statistical secrecy)")
                    lines.append(said)
                    continue
                lines.append(tr("{area}: {n} ballots, {title} ahead ({share})", area=r.area_id,
                                n=Count(int(r.n_ballots)), title=r.leader_title,
                                share=_percent(r.leader_share)))  # fmt: skip
            if self.unlocated is None:
                lines.append(tr("the ballots without an area: hidden (statistical secrecy)"))
            elif self.unlocated:
                lines.append(tr("{n} ballots without an area (counted in the whole vote only)",
                                n=Count(self.unlocated)))  # fmt: skip
            if self.padded:
                lines.append(
                    tr("{n} area ids read with their lost leading zeros", n=Count(self.padded))
                )
        return lines

    def to_json(self) -> dict:
        """The result as JSON-ready data (the command line's ``--json``)."""
        out = {
            "source": self.source, "method": self.method, "ballots": len(self.ballots),
            "min_cell": self.min_cell, "winner": {"key": self.winner, "title": self.title(self.winner)},
            "runner_up": self.runner_up, "statistical_tie": self.statistical_tie,
            "tie_broken": self.tie_broken, "borda_winner": self.borda_winner,
            "subjects": _records(self.subjects),
        }  # fmt: skip
        if self.rounds is not None:
            out["rounds"] = _records(self.rounds)
        if self.area_summary is not None:
            out["areas"] = _records(self.area_summary)
            out["area_subjects"] = _records(self.areas)
            out["unlocated"] = self.unlocated
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """The published tables: ``vote`` (per subject), ``vote_rounds`` (the run-off's
        rounds, ranked ballots), ``vote_areas`` (per area and subject, hidden areas one row
        without figures)."""
        tables = {"vote": self.subjects}
        if self.rounds is not None:
            tables["vote_rounds"] = self.rounds
        if self.areas is not None:
            tables["vote_areas"] = self.areas
        return tables


def _records(table: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in r.items()} for r in table.to_dict("records")]


def _plain(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not np.isfinite(value) else round(float(value), 6)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _percent(value, lang: str | None = None) -> str:
    if value is None or not np.isfinite(value):
        return "—"
    lang = lang or language()
    text = f"{100 * value:.1f}"
    return text.replace(".", ",") + "\u202f%" if lang == "fr" else text + "%"


def _subject_table(ballots: Ballots, count: _Count) -> pd.DataFrame:
    m = len(ballots.subjects)
    share = count.votes / count.n
    low, high = wilson(share, np.full(m, count.n))
    table = pd.DataFrame({"key": ballots.keys, "title": [s.title for s in ballots.subjects],
                          "votes": count.votes.astype(int), "share": share, "low": low, "high": high})  # fmt: skip
    if count.rounds:
        # the run-off's order: the winner, then the subjects out last, the still continuing
        # at the end by their votes in the last round
        last = count.rounds[-1]
        alive = sorted((i for i in np.flatnonzero(last["continuing"]) if i != count.winner),
                       key=lambda i: (-int(last["votes"][i]), -int(count.votes[i]), i))  # fmt: skip
        out = [r["eliminated"] for r in count.rounds if r["eliminated"] is not None]
        order = [count.winner, *alive, *reversed(out)]
        table["rank"] = [order.index(i) + 1 for i in range(m)]
        final = {}
        for r in count.rounds:
            for i in np.flatnonzero(r["continuing"]):
                final[int(i)] = int(r["votes"][i])
        table["final_votes"] = [final.get(i, 0) for i in range(m)]
        table["eliminated_in_round"] = [next((k + 1 for k, r in enumerate(count.rounds) if r["eliminated"] == i), None)
                                        for i in range(m)]  # fmt: skip
        table["eliminated_in_round"] = table["eliminated_in_round"].astype("Int64")
        table["borda"] = count.borda.astype(int)
        table["borda_rank"] = pd.Series(-count.borda).rank(method="min").astype(int).to_numpy()
    else:
        table["rank"] = pd.Series(-count.votes).rank(method="min").astype(int).to_numpy()
    table["winner"] = [i == count.winner for i in range(m)]
    front = ["rank", "key", "title", "votes", "share", "low", "high"]
    table = table[front + [c for c in table.columns if c not in front]]
    return table.sort_values(["rank", "key"], kind="stable").reset_index(drop=True)


def _rounds_table(ballots: Ballots, count: _Count) -> pd.DataFrame:
    rows = []
    for k, r in enumerate(count.rounds, start=1):
        for i in np.flatnonzero(r["continuing"]):
            outcome = (
                "elected" if r["elected"] == i else "eliminated" if r["eliminated"] == i else ""
            )
            rows.append({"round": k, "key": ballots.keys[i], "title": ballots.subjects[i].title,
                         "votes": int(r["votes"][i]), "active": r["active"],
                         "share_of_active": r["votes"][i] / r["active"] if r["active"] else np.nan,
                         "exhausted": r["exhausted"], "outcome": outcome,
                         "tie_broken": bool(r["tie_broken"]) and outcome == "eliminated"})  # fmt: skip
    return pd.DataFrame(rows)


def _match_areas(ids: list, areas, name: str) -> tuple[list, int]:
    """The ballots' area ids against the area map: lost leading zeros given back (the map's
    ids all of one length), an id the map lacks an error naming it."""
    known = [str(a) for a in areas.frame["area_id"]]
    known_set = set(known)
    lengths = {len(a) for a in known}
    width = lengths.pop() if len(lengths) == 1 else None
    out, padded, unknown = [], 0, {}
    for row, area in ids:
        if area is None or area in known_set:
            out.append(area)
            continue
        if width and area.isdigit() and len(area) < width and area.zfill(width) in known_set:
            out.append(area.zfill(width))
            padded += 1
            continue
        unknown.setdefault(area, row)
        out.append(area)
    if unknown:
        raise InputError([Problem.of(name, "an area id the area map lacks", row=row, column=AREA,
                                     value=limits.echo(area),
                                     expected=Message("an area id of {areas}", areas=areas.source))
                          for area, row in unknown.items()])  # fmt: skip
    return out, padded


def read_area_map(spec):
    """The areas of ``spec`` (``PATH[:LAYER]`` or :class:`~qet_geo.areas.zones.Areas`)."""
    if spec is None or hasattr(spec, "frame"):
        return spec
    from ..areas.zones import read_areas

    path, layer = split_layer(str(spec))
    return read_areas(path, layer=layer)


def count_votes(ballots: Ballots, *, min_cell: int = DEFAULT_MIN_CELL, allow_below_3: bool = False,
                areas=None) -> VoteResult:  # fmt: skip
    """Count a vote.

    Parameters
    ----------
    ballots : Ballots
        The ballots (:func:`read_ballots`).
    min_cell : int
        The disclosure threshold: an area with fewer ballots shows no figure (default 11).
    allow_below_3 : bool
        Allow a threshold under 3.
    areas : str or Areas, optional
        An area map (``PATH[:LAYER]``): the ballots' area ids are checked against it, their
        lost leading zeros given back.

    Returns
    -------
    VoteResult
        Per subject its first-choice votes and share with a Wilson 95 % interval and its
        rank; plurality ballots decided by the most votes, ranked ballots by instant
        run-off (the rounds kept) with Borda scores beside; the winner and whether its lead
        over the runner-up is beyond their intervals; per area the same, areas under the
        threshold hidden (and the next smallest when only one is).
    """
    try:
        check_min_cell(min_cell, allow_below_3)
    except ValueError as exc:
        raise ParameterError(str(exc)) from exc
    m = len(ballots.subjects)
    whole = _count(ballots.choices, m, ballots.ranked)
    subjects = _subject_table(ballots, whole)
    rounds = _rounds_table(ballots, whole) if ballots.ranked else None
    keys = ballots.keys
    result = VoteResult(ballots, "irv" if ballots.ranked else "plurality", min_cell, subjects,
                        rounds, None, None, keys[whole.winner],
                        None if whole.runner_up is None else keys[whole.runner_up],
                        whole.statistical_tie, whole.tie_broken,
                        keys[int(np.argmax(whole.borda))] if whole.borda is not None else None)  # fmt: skip
    if ballots.areas is None:
        return result
    area_ids = list(ballots.areas)
    area_map = read_area_map(areas)
    if area_map is not None:
        area_ids, result.padded = _match_areas(list(zip(ballots.rows, area_ids, strict=True)),
                                               area_map, ballots.source)  # fmt: skip
        result.area_map = area_map
    groups: dict = {}
    for i, area in enumerate(area_ids):
        groups.setdefault(area, []).append(i)
    order = sorted((a for a in groups if a is not None), key=str)
    if area_map is not None:  # the map's areas without a ballot are cells too (none)
        order = list(dict.fromkeys([*order, *map(str, area_map.frame["area_id"])]))
    located = [a for a in order if groups.get(a)]
    counted = {
        a: _count([ballots.choices[i] for i in groups[a]], m, ballots.ranked) for a in located
    }
    rows = [*located, *([None] if groups.get(None) and located else [])]
    first = np.array([(counted[a].votes if a is not None else
                       _count([ballots.choices[i] for i in groups[None]], m, ballots.ranked).votes)
                      for a in rows], dtype=np.int64).reshape(len(rows), m)  # fmt: skip
    # the areas' first choices go through the area maps' mechanism, with the whole vote as
    # the column totals: no hidden count comes back by difference; a subject without a
    # vote is 0 everywhere, known from the whole vote, nothing to protect
    voted = first.sum(axis=0) > 0
    cells_hidden = np.zeros(first.shape, bool)
    areas_hidden = np.zeros(len(rows), bool)
    if len(rows):
        pattern = protect(first[:, voted], min_cell)
        cells_hidden[:, voted] = pattern.cell
        areas_hidden = pattern.area
    area_hidden = {a: bool(areas_hidden[r]) for r, a in enumerate(rows)}
    cell_hidden = {a: cells_hidden[r] for r, a in enumerate(rows)}
    long, summary = [], []
    t = TEXT[ballots.language]
    for area in order:
        mine = groups.get(area, [])
        masked = area_hidden.get(area, False)
        row = {"area_id": area, "hidden": masked, "n_ballots": np.nan if masked else len(mine)}
        cells = cell_hidden.get(area, np.zeros(m, bool))
        if masked or not mine or cells.any():
            # a hidden area; or an area with a hidden count: its leader (and whether it ties)
            # would bound that count, and with its neighbours' give it back
            note = (
                t["hidden"].format(n=min_cell)
                if masked
                else (t["cells_hidden"].format(n=min_cell) if mine else "")
            )
            summary.append({**row, "leader": None, "leader_title": None, "leader_share": np.nan,
                            "leader_low": np.nan, "leader_high": np.nan, "statistical_tie": None,
                            "note": note})  # fmt: skip
        if masked or not mine:
            long.append({**row, "key": None, "title": None, "votes": np.nan if masked else 0,
                         "share": np.nan, "low": np.nan, "high": np.nan, "leader": None,
                         "note": note})  # fmt: skip
            continue
        count = counted[area]
        share = count.votes / count.n
        low, high = wilson(share, np.full(m, count.n))
        if not cells.any():
            # the winner's share where it was decided: the first choices of plurality
            # ballots (published cells); not the run-off's last round of ranked ballots:
            # with the whole vote's rounds, one area's last round gives another's back
            won, _, counting = count.decisive
            small = ballots.ranked
            lead = won / counting if counting and not small else np.nan
            lead_low, lead_high = wilson(np.array([lead]), np.array([counting]))
            summary.append({**row, "leader": keys[count.winner], "leader_title": ballots.subjects[count.winner].title,
                            "leader_share": lead, "leader_low": float(lead_low[0]),
                            "leader_high": float(lead_high[0]),
                            "statistical_tie": None if small else count.statistical_tie, "note": ""})  # fmt: skip
        for i, subject in enumerate(ballots.subjects):
            gone = bool(cells[i])
            long.append({**row, "key": subject.key, "title": subject.title,
                         "votes": np.nan if gone else int(count.votes[i]),
                         "share": np.nan if gone else share[i], "low": np.nan if gone else low[i],
                         "high": np.nan if gone else high[i],
                         "leader": None if cells.any() else i == count.winner,
                         "note": t["hidden"].format(n=min_cell) if gone else ""})  # fmt: skip
    result.areas = pd.DataFrame(long, columns=AREA_LONG_COLUMNS)
    result.area_summary = pd.DataFrame(summary, columns=AREA_SUMMARY_COLUMNS)
    # the ballots without an area: their count only where their line is published (all of
    # them when no ballot says its area: the whole vote)
    result.unlocated = len(groups.get(None, [])) if not area_hidden.get(None, False) else None
    return result


# ---------------------------------------------------------------------- outputs
def vote_figure(result: VoteResult, language: str | None = None):
    """A horizontal bar chart of the subjects' first-choice shares with their 95 % intervals
    and, for ranked ballots, the run-off's last round beside them (the round that decides),
    the winner marked, in French (default) or English (a matplotlib Figure, Agg canvas)."""
    import textwrap

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lang = forum_language(language or result.language)
    t = TEXT[lang]
    table = result.subjects.sort_values("rank", kind="stable")
    labels = [_plain_text("\n".join(textwrap.wrap(f"{title} ★" if key == result.winner else title, 30)))
              for key, title in zip(table["key"], table["title"], strict=True)]  # fmt: skip
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    final = _last_round(result, table["key"])
    verdict = t["ahead_final" if final is not None else "ahead"]
    if result.statistical_tie and result.runner_up is not None:
        verdict = t["tie"].format(other=result.title(result.runner_up))
    said = textwrap.wrap(
        f"{t['winner'].format(title=result.title(result.winner))} — {verdict}", 110
    )
    # room below the axis for its label and every line of the verdict
    below = 0.75 + 0.2 * len(said)
    fig = Figure(figsize=(9, 1.15 + below + (0.35 + 0.2 * lines) * len(table)))
    FigureCanvasAgg(fig)
    height = fig.get_figheight()
    bottom, top = below / height, 1 - 0.9 / height
    ax = fig.add_axes((0.33, bottom, 0.62, top - bottom))
    y = np.arange(len(table))[::-1]
    colours = [
        SUBJECT_COLOURS[result.ballots.keys.index(k) % len(SUBJECT_COLOURS)] for k in table["key"]
    ]
    share = table["share"].to_numpy(float)
    errors = [share - table["low"].to_numpy(float), table["high"].to_numpy(float) - share]
    size = 0.8 if final is None else 0.42
    # the two bars of a subject in the last round around its label, one bar centred else
    shift = np.zeros(len(table)) if final is None else np.where(np.isfinite(final), 0.21, 0.0)
    ax.barh(y + shift, 100 * share, height=size, color=colours, edgecolor="#333333",
            xerr=100 * np.clip(np.vstack(errors), 0, None),
            error_kw={"ecolor": "#222222", "capsize": 3},
            label=t["first_round"])  # fmt: skip
    for yi, d, s_, high in zip(y, shift, share, table["high"].to_numpy(float), strict=True):
        ax.text(100 * high + 1, yi + d, _percent(s_, lang), fontsize=8, va="center")
    right = 100 * float(table["high"].max())
    if final is not None:
        ax.barh(y - shift, 100 * np.nan_to_num(final), height=size, color=colours, alpha=0.45,
                edgecolor="#333333", hatch="//", label=t["last_round"])  # fmt: skip
        for yi, d, f in zip(y, shift, final, strict=True):
            if np.isfinite(f):
                ax.text(100 * f + 1, yi - d, _percent(f, lang), fontsize=8, va="center")
        right = max(right, 100 * float(np.nanmax(final)))
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_yticks(y, labels, fontsize=9)
    ax.set_xlim(0, max(right * 1.2, 10))
    ax.set_xlabel(t["share_axis"], fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    method = t["irv" if result.method == "irv" else "plurality"]
    fig.text(0.02, 1 - 0.35 / height, t["title"], ha="left", fontsize=13, fontweight="bold")
    fig.text(0.02, 1 - 0.62 / height,
             f"{t['ballots'].format(n=_count_text(len(result.ballots), lang))} · {method}", fontsize=9)  # fmt: skip
    fig.text(0.02, 0.15 / height, _plain_text("\n".join(said)), fontsize=9, fontweight="bold",
             va="bottom")  # fmt: skip
    return fig


def _last_round(result: VoteResult, keys) -> np.ndarray | None:
    """Each subject's share of the ballots still counting in the run-off's last round
    (NaN: eliminated before), in the order of ``keys``; None for plurality ballots."""
    rounds = result.rounds
    if rounds is None or not len(rounds) or rounds["round"].max() <= 1:
        return None
    last = rounds[rounds["round"] == rounds["round"].max()].set_index("key")
    return np.array([float(last.loc[k, "share_of_active"]) if k in last.index else np.nan
                     for k in keys])  # fmt: skip


def _plain_text(text: str) -> str:
    """A title from a file as matplotlib shows it as text: ``$`` would start mathtext."""
    return str(text).replace("$", r"\$")


def _count_text(n: int, lang: str) -> str:
    text = f"{n:,}"
    return text.replace(",", "\u202f") if lang == "fr" else text


def vote_map(result: VoteResult, areas=None) -> pd.DataFrame:
    """One polygon per area of the map with the vote there: ``n_ballots``, ``hidden``, the
    leading subject (``leader``, ``leader_title``, ``leader_share`` and its interval),
    ``statistical_tie``, each subject's share ``share__<key>`` (NaN where hidden)."""
    area_map = read_area_map(areas) if areas is not None else result.area_map
    if result.area_summary is None:
        raise InputError(Problem.of(result.source, Message("no column {column!r}", column=AREA),
                                    expected="an area column for a vote by area"))  # fmt: skip
    if result.area_map is None or area_map is not result.area_map:
        result = count_votes(result.ballots, min_cell=result.min_cell, allow_below_3=True,
                             areas=area_map)  # fmt: skip
    summary = result.area_summary.set_index("area_id")
    frame = area_map.frame[["area_id", "area_name", "geometry"]].copy()
    frame["area_id"] = frame["area_id"].astype(str)
    for column in ("n_ballots", "hidden", "leader", "leader_title", "leader_share",
                   "leader_low", "leader_high", "statistical_tie", "note"):  # fmt: skip
        frame[column] = frame["area_id"].map(summary[column])
    shares = result.areas.pivot_table(index="area_id", columns="key", values="share", dropna=False) \
        if result.areas["key"].notna().any() else pd.DataFrame()  # fmt: skip
    for key in result.ballots.keys:
        values = shares[key] if key in shares else pd.Series(dtype=float)
        frame[f"share__{key}"] = frame["area_id"].map(values).astype(float)
    frame["hidden"] = frame["hidden"].fillna(True).astype(bool)
    frame["min_cell"] = result.min_cell
    frame["statistical_tie"] = frame["statistical_tie"].astype(object)
    return with_crs(frame, area_map.crs)


def write_vote(
    result: VoteResult, folder, areas=None, *, language: str | None = None
) -> list[Path]:
    """Write the vote into ``folder``, each file atomically: ``vote.csv`` (per subject),
    ``vote_rounds.csv`` (the run-off, ranked ballots), ``vote_areas.csv`` (per area, an area
    column given), ``vote.png`` and ``vote.pdf`` (the chart) and, with an area map
    ``areas`` (``PATH[:LAYER]`` or :class:`~qet_geo.areas.zones.Areas`), ``vote_areas.gpkg``
    (GeoPackage 1.2, layer ``vote_areas``) for the web map's "Vote" theme. Returns the
    files written."""
    folder = Path(folder)
    layer = vote_map(result, areas) if areas is not None else None  # checked before writing
    written = []
    for name, table in result.tables().items():
        written.append(write_table(table, folder / f"{name}.csv"))
    fig = vote_figure(result, language)
    for suffix in ("png", "pdf"):
        target = folder / f"vote.{suffix}"
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=suffix, dpi=150)
        written.append(target)
    if layer is not None:
        meta = {
            "method": result.method,
            "min_cell": str(result.min_cell),
            "source": "qet-geo forum votes",
        }
        written.append(write_table(layer, folder / VOTE_AREAS, layer="vote_areas", metadata=meta))
    return written


def vote(path, folder=None, *, subjects=None, areas=None, min_cell: int = DEFAULT_MIN_CELL,
         allow_below_3: bool = False, language: str = "fr") -> VoteResult:  # fmt: skip
    """Read, count and (with ``folder``) write a vote: :func:`read_ballots`,
    :func:`count_votes`, :func:`write_vote` in one call (the command line, the Processing
    algorithm). The files written are in ``result.written``."""
    ballots = read_ballots(path, subjects, language=language)
    area_map = read_area_map(areas)
    result = count_votes(ballots, min_cell=min_cell, allow_below_3=allow_below_3, areas=area_map)
    result.written = write_vote(result, folder, area_map) if folder is not None else []
    return result
