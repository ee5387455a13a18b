"""The forum posters of one paper size: the profiles' poster (:mod:`.poster`) and the
diagnostic's beside it (:mod:`.diagnostic_poster`), as ``qet-geo export poster
--diagnostic`` and ``qetgeo:exportposter`` write them (the one wiring of both)."""

from __future__ import annotations

from pathlib import Path

from .diagnostic_poster import as_diagnostic, write_diagnostic_poster
from .poster import area_profiles, diagnostic_poster_path, write_poster


def write_posters(path, area_map, model=None, *, size: str = "A3", title=None, date=None,
                  png: bool = True, language: str = "fr", diagnostic=None) -> dict[str, list[Path]]:  # fmt: skip
    """The forum posters of one paper size: the profiles' poster at ``path``
    (:func:`~qet_geo.export.poster.write_poster`) and, with ``diagnostic`` (a published
    diagnostic GeoPackage or its :class:`~qet_geo.diagnostic.analyses.Diagnostic`), the
    diagnostic's poster beside it (:func:`~qet_geo.export.poster.diagnostic_poster_path`)
    in the area map's profile names and colours
    (:func:`~qet_geo.export.poster.area_profiles`). The diagnostic and the area map are
    read, and refused when they are not what they should be, before anything is written.
    Returns ``{"poster": files, "diagnostic_poster": files}`` (the second ``[]`` without a
    diagnostic)."""
    written = {"poster": [], "diagnostic_poster": []}
    if diagnostic is not None:
        diagnostic = as_diagnostic(diagnostic)
        colours, names = area_profiles(area_map)
    written["poster"] = write_poster(path, area_map, model, size=size, title=title, date=date,
                                     png=png, language=language)  # fmt: skip
    if diagnostic is not None:
        written["diagnostic_poster"] = write_diagnostic_poster(
            diagnostic_poster_path(path, size), diagnostic, size=size, title=title, date=date,
            png=png, language=language, names=names, colours=colours)  # fmt: skip
    return written
