"""Writing the Respondents table and the rejects of an import."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..io import write_table
from ..privacy import MARKER_KEY, MARKER_VALUE


def write_respondents(
    respondents: pd.DataFrame, path: str | Path, layer: str = "respondents"
) -> Path:
    """Write Respondents to GeoPackage (layer ``respondents``), Parquet or CSV. A GeoPackage
    layer carries qet-geo's respondents marker (:mod:`qet_geo.privacy`): it is refused as a
    web map background or a service layer."""
    return write_table(respondents, path, layer=layer, metadata={MARKER_KEY: MARKER_VALUE})


def write_rejects(rejects: pd.DataFrame, path: str | Path, layer: str = "rejects") -> Path:
    """Write the rejected rows with their reasons (a table, no geometry); as CSV, text
    cells that a spreadsheet would run as a formula are neutralised (``io.spreadsheet_safe``)."""
    return write_table(pd.DataFrame(rejects), path, layer=layer)


def rejects_path(output: str | Path) -> Path:
    """Where the rejected rows of an import written to ``output`` go unless told: beside
    it, ``<stem>_rejects``, in the same GeoPackage format or else as CSV."""
    output = Path(output)
    suffix = ".gpkg" if output.suffix.lower() == ".gpkg" else ".csv"
    return output.with_name(f"{output.stem}_rejects{suffix}")
