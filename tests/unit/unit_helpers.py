"""Shared helpers for unit tests (no QGIS); imported by name (tests/unit is on sys.path)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
SURVEY_0 = FIXTURES / "near" / "survey_0.tsv"

# The six SU headers exactly as NEAR exports them (survey_0.tsv).
SU_HEADERS = [
    "Lors de vos repas, la viande est présente dans...",
    "Quel moyen de transport employez-vous le plus fréquemment dans la semaine ?",
    "Quelle est votre utilisation du numérique",
    "Lorsque vous avez besoin de quelque chose, vous favorisez",
    "Combien de fois prenez-vous l'avion par an ?",
    "Quelle est l'énergie de chauffage de votre logement ?",
]
SU_ANSWERS = [
    "Tous les repas ou presque",
    "Voiture individuelle",
    "Bureautique, Internet",
    "Mélange occasion/neuf",
    "1 à 3",
    "Gaz",
]


def su_rows(n: int, **overrides) -> list[list[str]]:
    """``n`` valid SU rows: id, six answers; ``overrides`` maps row index → changed cells."""
    rows = []
    for i in range(n):
        row = [str(i + 1), *SU_ANSWERS]
        for position, value in overrides.get(f"r{i}", {}).items():
            row[position] = value
        rows.append(row)
    return rows


def write_text(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> Path:
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


SU_HEADER = ["Identifiant", *SU_HEADERS]


def cli_in_process(*args, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``qet-geo ARGS`` run by :func:`qet_geo.cli.main` (what the console script runs) in
    this process, its exit status and output captured as ``subprocess.run`` gives them.

    For the many quick commands that end in an error or a check: a new Python process pays
    two seconds of imports each time (twenty under load).  The whole jobs still run in a
    process of their own.  An exception escaping ``main`` is a traceback on stderr and
    status 1, as in a process."""
    import contextlib
    import io
    import os
    import signal
    import traceback

    from qet_geo import i18n
    from qet_geo.cli import main

    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    language, sigterm, folder = i18n._language, signal.getsignal(signal.SIGTERM), os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:  # argparse: usage errors
                code = (
                    exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
                )
                if not isinstance(exit_.code, (int, type(None))):
                    print(exit_.code, file=sys.stderr)
            except Exception:  # noqa: BLE001 - what a process would print
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(folder)
        signal.signal(signal.SIGTERM, sigterm)
        i18n.set_language(language)
    return subprocess.CompletedProcess(
        ["qet-geo", *argv], code or 0, out.getvalue(), err.getvalue()
    )


def digests(folder: Path) -> dict:
    """SHA-256 of every file under ``folder``, by relative path."""
    import hashlib

    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
