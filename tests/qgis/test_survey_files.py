"""``qetgeo:importsurvey`` on the survey files of issue 12: the Processing algorithm calls the
library's import, so it keeps the rows a stray quote or byte does not touch and refuses a
byte order mark alone or two longitude columns with the same clear errors."""

from __future__ import annotations

import pytest
from qgis.core import QgsProcessingException
from test_importsurvey import ANSWERS, HEADERS, layer, run


def _rows(n: int) -> list[list[str]]:
    return [[f"R{i}", *(answer for answer, _ in ANSWERS), ""] for i in range(1, n + 1)]


def _write(path, header, rows, delimiter="\t", encoding="utf-8"):
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_a_stray_quote_and_a_stray_byte_reject_their_rows_only(plugin, tmp_path):
    rows = _rows(600)
    rows[2][-1] = '"Trop de voitures'  # file row 4
    rows[10][-1] = "Marché"  # file row 12: written below in Windows-1252
    source = _write(tmp_path / "guillemet.tsv", ["Identifiant", *HEADERS, "Commentaire"], rows)
    source.write_bytes(source.read_bytes().replace("Marché".encode(), "Marché".encode("cp1252")))

    results = run({"INPUT": str(source), "OUTPUT": str(tmp_path / "r.gpkg")})

    assert (results["ROWS_READ"], results["ACCEPTED"], results["REJECTED"]) == (600, 598, 2)
    assert layer(results["OUTPUT"]).featureCount() == 598


def test_a_bom_alone_and_two_longitude_columns_are_clear_errors(plugin, tmp_path):
    bom = tmp_path / "vide.csv"
    bom.write_bytes(b"\xef\xbb\xbf")
    with pytest.raises(QgsProcessingException) as error:
        run({"INPUT": str(bom), "OUTPUT": str(tmp_path / "b.gpkg")})
    assert str(bom) in str(error.value) and "empty (no header)" in str(error.value)

    header = ["Identifiant", *HEADERS, "longitude", "latitude", "longitude"]
    rows = [[*row[:-1], "2.35", "48.85", "7.75"] for row in _rows(2)]
    twice = _write(tmp_path / "deux.csv", header, rows, delimiter=";")
    with pytest.raises(QgsProcessingException) as error:
        run({"INPUT": str(twice), "OUTPUT": str(tmp_path / "d.gpkg")})
    assert "'longitude' (column 8), 'longitude' (column 10)" in str(error.value)
