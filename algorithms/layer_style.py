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


def load_styled(context, uri: str, name: str, output: str) -> None:
    """Have Processing load ``uri`` into the project at the end of the run, with its
    default style applied (:func:`apply_default_style`): Processing itself loads result
    layers in one random colour."""
    from qgis.core import QgsProcessingContext

    details = QgsProcessingContext.LayerDetails(name, context.project(), output)
    processor = DefaultStyle()
    _KEPT.append(processor)  # Processing holds a C++ pointer only: keep the Python object
    details.setPostProcessor(processor)
    context.addLayerToLoadOnCompletion(uri, details)


#: the post-processors handed to Processing (see :func:`load_styled`)
_KEPT: list = []


def _post_processor_base():
    from qgis.core import QgsProcessingLayerPostProcessorInterface

    return QgsProcessingLayerPostProcessorInterface


class DefaultStyle(_post_processor_base()):
    """Applies a loaded result layer's own default style (renderer, labels, aliases)."""

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 - QGIS API
        apply_default_style(layer)
        if self in _KEPT:
            _KEPT.remove(self)
