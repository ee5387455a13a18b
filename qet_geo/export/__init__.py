"""Forum-ready outputs: offline web map, poster, QGIS project."""
