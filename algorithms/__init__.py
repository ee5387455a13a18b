"""QGIS Processing provider ``qetgeo`` and one module per algorithm (thin shells over qet_geo).

Each algorithm module declares ``ALGORITHM`` (its class) and ``REQUIRES`` (the Python
packages it imports, by import name); the provider registers an algorithm only when all of
them can be found, and reports the others (see ``provider.py``).
"""
