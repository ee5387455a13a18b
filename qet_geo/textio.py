"""Helpers shared by the readers of delimited text (survey CSV/TSV, GTFS files)."""

from __future__ import annotations

import numpy as np


def one_row_per_line(text: str) -> bool:
    """True when no quoted value spans lines: every line has an even number of quotes
    (vectorised; the readers then use Arrow's fast reader)."""
    if '"' not in text:
        return True
    buffer = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    quotes = np.flatnonzero(buffer == ord('"'))
    newlines = np.flatnonzero(buffer == ord("\n"))
    per_line = np.bincount(np.searchsorted(newlines, quotes), minlength=len(newlines) + 1)
    return not (per_line % 2).any()
