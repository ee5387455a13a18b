"""The forum's subjects on the web map (issue 16): one theme per subject, the potential per
resident of each area from the diagnostic's ``area_potentials``, in the subjects' rank
order; offline in a real headless Chromium, with its legend saying it is a potential."""

from __future__ import annotations

import sqlite3

import pytest
from test_webmap import ARTIFACTS, browser, browser_needed, open_page, wait_until
from test_webmap_diagnostic import EMDV, area_map, diagnostic, embedded

from qet_geo.export.webmap import build_webmap, read_inputs, write_webmap

pytestmark = pytest.mark.skipif(not EMDV.is_file(), reason="../shared/data/near-diag is missing")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forum")
    amap = area_map(folder)
    return amap, diagnostic(folder, amap)


def forum(path):
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        subjects = [dict(r) for r in db.execute("select * from forum_subjects order by rank")]
        areas = {r["area_id"]: dict(r) for r in db.execute("select * from area_potentials")}
    return subjects, areas


def test_one_theme_per_subject_with_the_areas_potentials(made):
    amap, diag = made
    subjects, areas = forum(diag)
    assert [s["key"] for s in subjects][:1] and len(subjects) == 6
    page = build_webmap(read_inputs(amap, diagnostic=diag), offline=True)
    data, cfg = embedded(page)
    titles = [layer[0] for layer in cfg["layers"]]
    wanted = [f"Potentiel — {s['title']}, kg CO2e/an par habitant" for s in subjects]
    got = [t for t in titles if t.startswith("Potentiel — ")]
    assert got == [w.replace("'", "&#x27;") for w in wanted] or got == wanted  # rank order
    # the values each area carries are the GeoPackage's (hidden: null)
    specs = [layer[1] for layer in cfg["layers"] if layer[0] in got]
    compared = 0
    for feature in data["features"]:
        p = feature["properties"]
        area = p.get("id") or p.get("area_id")
        if area not in areas or not p.get("dg"):
            continue
        for subject, spec in zip(subjects, specs, strict=True):
            value = areas[area][f"{subject['key']}__per_resident_kg"]
            shown = p["dg"][spec["group"]][spec["index"]]
            assert shown == (None if value is None else round(value, 1))
            compared += value is not None
    assert compared >= 6


@browser_needed
def test_the_subjects_themes_in_chromium_offline(made, tmp_path):
    amap, diag = made
    subjects, _ = forum(diag)
    page = write_webmap(tmp_path / "carte.html", read_inputs(amap, diagnostic=diag), offline=True)
    driver = browser()
    try:
        open_page(driver, page)
        assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
        driver.find_element("css selector", ".leaflet-control-layers-toggle").click()
        boards = wait_until(driver, lambda d: [s for s in d.find_elements("css selector", ".qg-board summary")
                                               if s.text == "Sujets du forum : marges de manœuvre"],
                            "no board of the forum's subjects")  # fmt: skip
        boards[0].click()
        first = subjects[0]["title"]
        label = wait_until(driver, lambda d: [x for x in d.find_elements("css selector", ".qg-board label")
                                              if x.is_displayed() and first in x.text],
                           "the first subject's theme is missing")[0]  # fmt: skip
        label.find_element("css selector", "input").click()
        legend = wait_until(driver, lambda d: d.find_element("css selector", ".qg-dleg:not([hidden])").text,
                            "the theme's legend does not show")  # fmt: skip
        assert first in legend and "un potentiel, pas une prévision" in legend
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "webmap_forum_subject.png"))
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    finally:
        driver.quit()
