"""qet_geo: maps of neighbourhood usage profiles (Sphères d'Usages) from resident surveys.

The library never imports QGIS; the QGIS plugin (``plugin/``, ``algorithms/``) and the
command line (``qet_geo.cli``) are thin shells over it.
"""

__version__ = "0.1.0"
