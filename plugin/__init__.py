"""QGIS GUI glue of qet-geo: start-up and unload, menu, dependency report, translations.

Nothing here computes anything: the work is done by ``qet_geo`` through the Processing
algorithms of ``algorithms/``.
"""
