"""Shared helpers for unit tests (no QGIS); imported by name (tests/unit is on sys.path)."""

from __future__ import annotations

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
