"""The documented notebook (docs/examples/notebook.py, explained in docs/notebook.md) runs
the sample job end to end with the public API only and draws a map."""

import ast
import os
import subprocess
import sys

import numpy as np
from unit_helpers import ROOT

NOTEBOOK = ROOT / "docs" / "examples" / "notebook.py"


def test_notebook_uses_the_public_api_only():
    tree = ast.parse(NOTEBOOK.read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names]  # fmt: skip
    imported += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    ours = [name for name in imported if name.split(".")[0] == "qet_geo"]
    assert ours == ["qet_geo"]  # import qet_geo as qg, nothing under it
    used = {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "qg"}  # fmt: skip
    import qet_geo

    assert used <= set(qet_geo.__all__)
    assert {"read_survey", "map_areas", "transit_access", "proximity", "compare", "webmap",
            "poster"} <= used  # fmt: skip
    cells = [line for line in NOTEBOOK.read_text(encoding="utf-8").splitlines()
             if line.startswith("# %%")]  # fmt: skip
    assert len(cells) >= 8
    doc = (ROOT / "docs" / "notebook.md").read_text(encoding="utf-8")
    assert "docs/examples/notebook.py" in doc


def test_notebook_runs_the_sample_job_and_draws_a_map(tmp_path):
    import matplotlib.image

    out = tmp_path / "sorties"
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    done = subprocess.run([sys.executable, str(NOTEBOOK), str(out)], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": path, "MPLBACKEND": "Agg"},
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    png = out / "dominant_profile.png"
    assert png.stat().st_size > 10_000
    image = matplotlib.image.imread(png)
    height, width = image.shape[:2]
    assert height >= 300 and width >= 300
    colours = np.unique((image[..., :3] * 255).round().astype(int).reshape(-1, 3), axis=0)
    assert len(colours) >= 4  # the profiles' colours, grey, white, the outlines
    page = (out / "carte.html").read_text(encoding="utf-8")
    import geopandas as gpd

    areas = gpd.read_file(ROOT / "sample_data" / "quartier.gpkg", layer="iris")
    for code in areas["code_iris"]:
        assert str(code) in page
    assert "Quartier fictif des Tilleuls" in page
    assert (out / "affiche_A3.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "affiche_A3.png").stat().st_size > 10_000
    assert "respondents" in done.stdout and "Cramér" in done.stdout
