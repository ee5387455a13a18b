"""A run's outputs in the current QGIS project (being written: helper "results")."""

from __future__ import annotations


def load_run(output_folder, *, project=None, iface=None, title: str | None = None):
    """Add the outputs a whole run wrote in ``output_folder`` (its ``manifest.json``) to
    ``project`` (default: the current one) in one layer group, each layer styled; return
    the group. Offers the web map and the poster in ``iface``'s message bar."""
    raise NotImplementedError
