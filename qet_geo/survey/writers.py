"""Writing the Respondents table and the rejects of an import."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..io import write_table


def write_respondents(
    respondents: pd.DataFrame, path: str | Path, layer: str = "respondents"
) -> Path:
    """Write Respondents to GeoPackage (layer ``respondents``), Parquet or CSV."""
    return write_table(respondents, path, layer=layer)


def write_rejects(rejects: pd.DataFrame, path: str | Path, layer: str = "rejects") -> Path:
    """Write the rejected rows with their reasons (a table, no geometry)."""
    return write_table(pd.DataFrame(rejects), path, layer=layer)
