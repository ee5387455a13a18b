"""QGIS entry point of the qet-geo plugin.

QGIS imports this package when it scans the plugin folder, so it imports nothing itself:
the plugin (and through it the library and its dependencies) is imported only when QGIS
calls :func:`classFactory`.
"""


def classFactory(iface):
    """Create the plugin; ``iface`` is None under ``qgis_process``."""
    from .plugin.plugin import QetGeoPlugin

    return QetGeoPlugin(iface)
