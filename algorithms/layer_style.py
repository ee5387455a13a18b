"""Applying a layer's own style inside QGIS: the default style QGIS keeps for it (for a
GeoPackage layer, the row of its ``layer_styles`` table marked ``useAsDefault``).

Processing loads result layers without it (they arrive in one random colour), so every
layer qet-geo adds to a project goes through :func:`apply_default_style`: the one place
where QGIS reads a qet-geo style.
"""

from __future__ import annotations


def apply_default_style(layer) -> bool:
    """Load ``layer``'s default style (renderer, labels, field aliases); True if one was
    found. A layer without one keeps QGIS's default symbol."""
    if layer is None or not layer.isValid():
        return False
    _message, loaded = layer.loadDefaultStyle()
    if loaded:
        layer.triggerRepaint()
    return bool(loaded)
