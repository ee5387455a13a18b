"""The forum web map in a real headless Chromium, with the network off."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from qet_geo.areas import areas_from_frame, map_areas, write_area_map
from qet_geo.export.webmap import build_webmap, read_inputs, write_webmap

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
browser_needed = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="Chromium and chromedriver are not installed (make test installs them)",
)
EVIL = "<img src=x onerror=alert(1)>"


def area_map(tmp_path, names=None, profile_names=("Marche et vélo", "Voiture")) -> Path:
    """An area map of a 3 × 3 grid of 200 m squares with respondents in each (one area
    under the threshold), written as the areas step writes it."""
    x0, y0 = 650000.0, 6860000.0
    cells = [shapely.box(x0 + i * 200, y0 + j * 200, x0 + (i + 1) * 200, y0 + (j + 1) * 200)
             for j in range(3) for i in range(3)]  # fmt: skip
    ids = [f"Z{k}" for k in range(9)]
    frame = pd.DataFrame(
        {"code": ids, "nom": names or [f"Zone {k}" for k in range(9)], "geometry": cells}
    )
    areas = areas_from_frame(frame, "zones", id_field="code", name_field="nom", crs="EPSG:2154")
    rng = np.random.default_rng(0)
    rows = []
    for k, cell in enumerate(cells):
        count = 5 if k == 4 else 30
        minx, miny, _, _ = cell.bounds
        for i in range(count):
            rows.append((shapely.Point(minx + 10 + rng.random() * 180, miny + 10 + rng.random() * 180),
                         1 if i % 3 else 2))  # fmt: skip
    respondents = pd.DataFrame({"geometry": [r[0] for r in rows], "profile": [r[1] for r in rows],
                                "profile_name": [profile_names[r[1] - 1] for r in rows]})  # fmt: skip
    respondents.attrs["crs"] = "EPSG:2154"
    for usage in ("alimentation", "avion", "mobilite", "achats", "numerique"):
        respondents[f"fp_{usage}"] = 500.0 + 100 * np.array([r[1] for r in rows])
    respondents["fp_total"] = respondents[[c for c in respondents if c.startswith("fp_")]].sum(
        axis=1
    )
    result = map_areas(respondents, areas)
    path = tmp_path / "areas.gpkg"
    write_area_map(result, path, csv=False)
    return path


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--window-size=1400,1000", "--proxy-server=http://127.0.0.1:9",
                     "--host-resolver-rules=MAP * ~NOTFOUND"):  # fmt: skip  # no network at all
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


WAIT = 90  # seconds: an upper bound for a loaded machine, never a measure


def wait_until(driver, condition, message: str):
    """Wait for ``condition(driver)`` to be truthy (a loaded machine only makes it slower)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(condition, message=message)


def open_page(driver, page: Path, areas: int = 9) -> None:
    """Load the page and wait until the areas layer is drawn."""
    driver.get(page.as_uri())
    wait_until(
        driver,
        lambda d: d.execute_script("return document.readyState") == "complete",
        "the page did not load",
    )
    wait_until(
        driver,
        lambda d: (
            d.execute_script(
                "return document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length"
            )
            >= areas
        ),
        "the areas layer is not drawn",
    )


def click_area(driver, index):
    """Click the area ``index`` and return the text of its popup (the popup shown before is
    taken out of the page first: Leaflet takes it out only after a fade)."""
    driver.execute_script(
        "document.querySelectorAll('.leaflet-popup').forEach(function (p) { p.remove(); });"
        "var paths = document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive');"
        "paths[arguments[0]].dispatchEvent(new MouseEvent('click', {bubbles: true}));",
        index,
    )
    return wait_until(
        driver,
        lambda d: d.execute_script(
            "var p = document.querySelector('.leaflet-popup-content');"
            "return p && p.innerText ? p.innerText : null"
        ),
        f"no popup for area {index}",
    )


@browser_needed
def test_offline_map_in_chromium_with_the_network_off(tmp_path):
    gpkg = area_map(tmp_path)
    page = write_webmap(tmp_path / "carte.html", read_inputs(gpkg), offline=True)
    text = page.read_text(encoding="utf-8")
    assert "<script src=" not in text and '<link rel="stylesheet" href="http' not in text
    driver = browser()
    try:
        open_page(driver, page)
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
        assert driver.execute_script("return typeof L") == "object"  # Leaflet, inlined
        # the layer control: a button that opens the list of themes
        toggle = driver.find_element("css selector", ".leaflet-control-layers-toggle")
        assert toggle.is_displayed()
        assert not driver.find_element(
            "css selector", ".leaflet-control-layers-base"
        ).is_displayed()
        from selenium.webdriver import ActionChains

        ActionChains(driver).move_to_element(toggle).perform()
        themes = wait_until(
            driver,
            lambda d: [
                label
                for label in d.find_elements("css selector", ".leaflet-control-layers-base label")
                if label.is_displayed()
            ],
            "hovering the layer control does not show the themes",
        )
        assert len(themes) >= 3
        assert len(themes) == len(
            driver.find_elements("css selector", ".leaflet-control-layers-base label")
        )
        assert "Profil dominant" in themes[0].text
        ActionChains(driver).move_by_offset(-600, 300).perform()  # leave: the list closes
        wait_until(
            driver,
            lambda d: (
                not d.find_element("css selector", ".leaflet-control-layers-base").is_displayed()
            ),
            "the list of themes stays open after the pointer left",
        )
        legend = driver.find_element("css selector", ".qg-legend").text
        assert (
            "Marche et vélo" in legend
            and "masqué (secret statistique, seuil 11 réponses)" in legend
        )
        table = pyogrio.read_dataframe(gpkg, layer="area_indicators")
        shown = 0
        for index in range(len(table)):
            popup = click_area(driver, index)
            name = popup.splitlines()[0]
            row = table[table["area_name"] == name].iloc[0]
            if row["suppressed"]:
                assert "masqué (secret statistique, seuil 11 réponses)" in popup
            else:
                assert f"{int(row['n'])} réponses" in popup
                if pd.notna(row["share_1"]):
                    assert f"Marche et vélo : {round(row['share_1'] * 100)} %" in popup
                shown += 1
        assert shown >= 7
        suppressed = driver.execute_script(
            "return document.querySelectorAll('path.qg-suppressed').length"
        )
        assert suppressed >= 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "webmap.png"))
    finally:
        driver.quit()


@browser_needed
def test_a_hostile_area_name_shows_as_text_and_runs_nothing(tmp_path):
    names = [EVIL] + [f"Zone {k}" for k in range(1, 9)]
    gpkg = area_map(tmp_path, names=names)
    page = write_webmap(tmp_path / "carte.html", read_inputs(gpkg), offline=True, title=EVIL)
    driver = browser()
    try:
        open_page(driver, page)
        table = pyogrio.read_dataframe(gpkg, layer="area_indicators")
        popup = click_area(driver, int(np.flatnonzero(table["area_name"] == EVIL)[0]))
        assert popup.splitlines()[0] == EVIL  # the name, as text
        assert (
            driver.execute_script(
                "return document.querySelectorAll('.leaflet-popup-content img').length"
            )
            == 0
        )
        assert driver.find_element("css selector", ".qg-title").text == EVIL
        from selenium.common.exceptions import NoAlertPresentException

        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text  # noqa: B018 - no alert was raised
    finally:
        driver.quit()


def test_aggregates_only_and_english(tmp_path):
    gpkg = area_map(tmp_path)
    html = build_webmap(read_inputs(gpkg), language="en", offline=False)
    assert 'lang="en"' in html and "hidden (statistical secrecy, threshold 11 answers)" in html
    assert "respondent" not in html.lower().replace("respondents", "")  # no respondent field


def test_simplified_without_gaps():
    from qet_geo.export.webmap import _simplified_wgs84

    # a wiggly shared border between two areas
    border = [(0, y * 10) for y in range(101)]
    wiggle = [(5 * np.sin(y), y * 10) for y in range(101)]
    left = shapely.Polygon([(-500, 0), *wiggle, (-500, 1000)])
    right = shapely.Polygon([*wiggle, (500, 1000), (500, 0)])
    frame = gpd.GeoDataFrame({"id": [1, 2]}, geometry=[left, right], crs="EPSG:2154").translate(
        650000, 6860000
    )
    frame = gpd.GeoDataFrame({"id": [1, 2]}, geometry=frame, crs="EPSG:2154")
    out = _simplified_wgs84(frame, 20.0)
    a, b = out.geometry.to_numpy()
    assert shapely.get_num_coordinates(a) < shapely.get_num_coordinates(left)
    # still neighbours along the whole border: no gap, no overlap
    assert a.intersection(b).length > 0.8 * 1000 / 111000
    assert a.intersection(b).area < 1e-12
    assert border  # the straight border is the reference shape of the test
