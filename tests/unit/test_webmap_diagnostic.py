"""The forum web map with the diagnostic's themes (issue 15): a diagnostic GeoPackage made
here by the library from the real Porte d'Orléans exports, on areas of a test area map;
the page's embedded figures held to the GeoPackage's ``area_estimates`` read with sqlite3
and combined here, hidden values null, the page offline in a real headless Chromium, and
labels from the file shown as text."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from test_webmap import ARTIFACTS, browser, browser_needed, click_area, open_page, wait_until

from qet_geo.areas import areas_from_frame, map_areas, write_area_map
from qet_geo.errors import InputError
from qet_geo.export.webmap import build_webmap, read_inputs, write_webmap
from qet_geo.i18n import set_language

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared")  # fmt: skip
DIAG = SHARED / "data" / "near-diag"
EMDV = DIAG / "Way Of Life Answer.json"
pytestmark = pytest.mark.skipif(not EMDV.is_file(), reason="../shared/data/near-diag is missing")

WANT = ("I_WISH_BUT_CANT", "I_WISH_AND_IT_IS_PLAN")
SET_ASIDE = ("non_concerne", "autres_raisons")
SCRIPT = "</script><script>alert(1)</script>"
JINJA = "{{7*7}}"
HOSTILE = SCRIPT + JINJA
HOOK = """
window.__calls = [];
["alert", "confirm", "prompt"].forEach(function (name) {
  window[name] = function () { window.__calls.push(name); };
});
"""


def area_map(folder: Path, names=None) -> Path:
    """An area map of a 3 × 3 grid of 200 m squares, three profiles mixed differently in
    each area, one area under the threshold."""
    x0, y0 = 650000.0, 6860000.0
    cells = [shapely.box(x0 + i * 200, y0 + j * 200, x0 + (i + 1) * 200, y0 + (j + 1) * 200)
             for j in range(3) for i in range(3)]  # fmt: skip
    frame = pd.DataFrame({"code": [f"Z{k}" for k in range(9)],
                          "nom": names or [f"Zone {k}" for k in range(9)], "geometry": cells})  # fmt: skip
    areas = areas_from_frame(frame, "zones", id_field="code", name_field="nom", crs="EPSG:2154")
    rng = np.random.default_rng(1)
    rows = []
    for k, cell in enumerate(cells):
        minx, miny, _, _ = cell.bounds
        weights = 0.2 + 0.4 * rng.dirichlet([1.0, 2.0, 1.0])  # every profile over 11
        for _ in range(5 if k == 4 else 120):
            point = shapely.Point(minx + 10 + rng.random() * 180, miny + 10 + rng.random() * 180)
            rows.append((point, int(rng.choice(3, p=weights)) + 1))
    respondents = pd.DataFrame({"geometry": [r[0] for r in rows], "profile": [r[1] for r in rows]})
    respondents["profile_name"] = [f"SU {p}" for p in respondents["profile"]]
    respondents.attrs["crs"] = "EPSG:2154"
    for usage in ("alimentation", "avion", "mobilite", "achats", "numerique"):
        respondents[f"fp_{usage}"] = 500.0 + 100 * respondents["profile"]
    respondents["fp_total"] = respondents[[c for c in respondents if c.startswith("fp_")]].sum(
        axis=1
    )
    path = folder / "areas.gpkg"
    write_area_map(map_areas(respondents, areas), path, csv=False)
    return path


def diagnostic(folder: Path, amap: Path) -> Path:
    """The real diagnostic (threshold 5, so that some figures show) estimated on the area
    map's areas but Z8, plus an area ZX that the map does not have."""
    from qet_geo.diagnostic.job import run_diagnostic

    table = gpd.read_file(amap, layer="area_indicators")
    table = table[["area_id", "area_name", "share_1", "share_2", "share_3", "geometry"]]
    extra = table.iloc[[0]].copy()
    extra["area_id"], extra["area_name"] = "ZX", "Ailleurs"
    extra["geometry"] = extra.translate(5000, 0)
    mine = pd.concat([table[table["area_id"] != "Z8"], extra], ignore_index=True)
    where = folder / "estimation.gpkg"
    gpd.GeoDataFrame(mine, crs=table.crs).to_file(where, layer="areas", driver="GPKG")
    out = folder / "diagnostic.gpkg"
    run_diagnostic(su=DIAG / "Su Answer.json", emdv=EMDV, ngc=DIAG / "Carbon Footprint Answer.json",
                   su_data=DIAG / "Su Data.json", min_cell=5, areas=f"{where}:areas", output=out)  # fmt: skip
    return out


def editable(db) -> None:
    """The GeoPackage's spatial index triggers dropped (they call SpatiaLite functions that
    sqlite3 has not): the edits change no geometry, the index stays right."""
    triggers = db.execute("select name from sqlite_master where type = 'trigger' "
                          "and tbl_name = 'area_estimates'").fetchall()  # fmt: skip
    for (name,) in triggers:
        db.execute(f'drop trigger "{name}"')


def filled_copy(diag: Path, folder: Path) -> Path:
    """The diagnostic with the EMdV estimates of the areas filled in, as a bigger survey
    would give them (on the real exports, a profile's wishes are hidden, so are the areas'),
    but Z0 and Z4 (hidden in the area map), and a few left hidden: Z1's car wish (one of its two shares), Z2's housing (one item),
    Z3's car barrier (one family); in Z5 "Non concerné" is the largest car barrier."""
    path = folder / "filled.gpkg"
    shutil.copy(diag, path)
    rng = np.random.default_rng(7)
    with sqlite3.connect(path) as db:
        editable(db)
        columns = [r[1] for r in db.execute("pragma table_info(area_estimates)")]
        emdv = [c for c in columns if "__" in c and not c.startswith("carbon__")]
        for area in [f"Z{k}" for k in (1, 2, 3, 5, 6, 7)] + ["ZX"]:
            values = ", ".join(f'"{c}" = {rng.uniform(0.02, 0.5):.6f}' for c in emdv)
            db.execute(f"update area_estimates set {values} where area_id = ?", (area,))
        for area, column in (("Z1", "want_to_reduce_car_usage__I_WISH_AND_IT_IS_PLAN"),
                             ("Z2", "not_cold_house__NO"),
                             ("Z3", "reasons_to_continue_using_car__temps_organisation")):  # fmt: skip
            db.execute(f'update area_estimates set "{column}" = null where area_id = ?', (area,))
        db.execute("update area_estimates set reasons_to_continue_using_car__non_concerne = 0.9 "
                   "where area_id = 'Z5'")  # fmt: skip
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """(area map, the real diagnostic on its areas, that diagnostic filled in)."""
    folder = tmp_path_factory.mktemp("diag")
    amap = area_map(folder)
    diag = diagnostic(folder, amap)
    return amap, diag, filled_copy(diag, folder)


def embedded(page: str) -> tuple[dict, dict]:
    """The areas' GeoJSON and the configuration the page's script reads."""
    data = re.search(r"var data = (\{.*?\});\n", page).group(1)
    cfg = re.search(r"var cfg = (\{.*?\});\n", page).group(1)
    return json.loads(data), json.loads(cfg)


def estimates(path: Path) -> dict:
    """area_id → {column: value or None}, read with sqlite3."""
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return {r["area_id"]: dict(r) for r in db.execute("select * from area_estimates")}


def questions(path: Path, table: str, *columns) -> list:
    with sqlite3.connect(path) as db:
        rows = db.execute(f"select {', '.join(columns)} from {table} order by fid").fetchall()
    return list(dict.fromkeys(rows))


def both(a, b):
    return None if a is None or b is None else a + b


@pytest.mark.parametrize("which", ["real", "filled"])
def test_the_page_embeds_the_area_estimates(made, which):
    amap, real, filled = made
    diag = real if which == "real" else filled
    page = build_webmap(read_inputs(amap, diagnostic=diag), offline=True)
    data, cfg = embedded(page)
    rows = estimates(diag)
    features = {f["properties"]["id"]: f["properties"] for f in data["features"]}
    assert set(features) == {f"Z{k}" for k in range(9)}  # ZX, not on the map, left out
    assert "dg" not in features["Z8"]  # on the map, not estimated: no data
    # the wishes: the share of "would like to" = I_WISH_BUT_CANT + I_WISH_AND_IT_IS_PLAN
    wishes = [key for (key,) in questions(diag, "wishes", "key")]
    order = {"want_to_reduce_car_usage": 0, "want_to_reduce_meat_and_fish": 1,
             "prefer_buy_french_and_season_food": 2, "prefer_second_and": 3}  # fmt: skip
    wishes.sort(key=order.get)
    themes = {}
    for key, theme in questions(diag, "satisfaction", "key", "theme"):
        themes.setdefault(theme, []).append(key)
    theme_order = ["housing", "parks_life", "mobility", "food", "services", "politics"]
    assert sorted(themes, key=theme_order.index) == theme_order
    barriers = {}
    for key, lever, family in questions(diag, "barriers", "key", "lever", "family"):
        if family is not None:
            barriers.setdefault((key, lever), []).append(family)
    barrier_keys = sorted(
        barriers, key=lambda kl: ["car", "meat", "local_food", "second_hand"].index(kl[1])
    )
    nodes = [k for k, level in questions(diag, "carbon", "key", "level") if int(level) == 0]
    nodes += [k for k, level in questions(diag, "carbon", "key", "level") if int(level) == 1]
    assert nodes == [
        "bilan",
        "transport",
        "alimentation",
        "logement",
        "divers",
        "services sociétaux",
    ]
    from qet_geo.diagnostic.places import slug

    counts = {g: {"shown": 0, "hidden": 0} for g in "wsbc"}

    def count(group, value):
        counts[group]["hidden" if value is None else "shown"] += 1

    for area in (f"Z{k}" for k in range(8)):
        row, dg = rows[area], features[area]["dg"]
        for i, key in enumerate(wishes):
            expected = both(row[f"{key}__{WANT[0]}"], row[f"{key}__{WANT[1]}"])
            got = dg["w"][i]
            count("w", got)
            if expected is None:
                assert got is None
            else:
                assert got == pytest.approx(expected, abs=1e-4)
        for i, theme in enumerate(theme_order):
            values = [row[f"{key}__NO"] for key in themes[theme]]
            got = dg["s"][i]
            count("s", got)
            if any(v is None for v in values):
                assert got is None
            else:
                assert got == pytest.approx(sum(values) / len(values), abs=1e-4)
        for i, (key, _) in enumerate(barrier_keys):
            values = {f: row[f"{key}__{slug(f)}"] for f in barriers[(key, _)]}
            main = [f for f in values if slug(f) not in SET_ASIDE]
            got = dg["b"][i]
            count("b", got)
            if any(values[f] is None for f in main):
                assert got is None
            else:
                best = max(main, key=lambda f: values[f])
                assert cfg["diag"]["families"][got] == best
        for i, node in enumerate(nodes):
            expected = row[f"carbon__{slug(node)}"]
            got = dg["c"][i]
            count("c", got)
            assert got is None if expected is None else got == pytest.approx(expected, abs=0.05)
    # Z4 under the threshold in the area map and Z0 hidden with it: their estimates too
    assert counts["c"] == {"shown": 6 * 6, "hidden": 2 * 6}
    if which == "real":  # on the real exports most profile figures are hidden: the areas'
        # estimates take the hidden part of the mix at the other profiles' figures, so that
        # some are shown; the hidden area and the one the area map hides have none
        for board, themes in (("w", 4), ("s", 6), ("b", 4)):
            assert counts[board]["shown"] > 0 and counts[board]["hidden"] >= 2 * themes
    else:
        assert counts["w"] == {"shown": 6 * 4 - 1, "hidden": 2 * 4 + 1}  # Z1's car wish
        assert counts["s"] == {"shown": 6 * 6 - 1, "hidden": 2 * 6 + 1}  # Z2's housing
        assert counts["b"] == {"shown": 6 * 4 - 1, "hidden": 2 * 4 + 1}  # Z3's car
        assert features["Z1"]["dg"]["w"][0] is None and features["Z2"]["dg"]["s"][0] is None
        assert features["Z3"]["dg"]["b"][0] is None
        # "Non concerné" is the largest in Z5, but another family is cited: set aside
        assert cfg["diag"]["families"][features["Z5"]["dg"]["b"][0]] != "Non concerné"
    assert all(v is None for group in features["Z4"]["dg"].values() for v in group)
    assert all(v is not None for v in features["Z1"]["dg"]["c"])
    titles = [layer[0] for layer in cfg["layers"]]
    assert "Envie de changer — mobilité durable (estimation par profils)" in titles
    assert ("Insatisfaction — logement : part moyenne d&#x27;avis négatifs (estimation par profils)"
            in titles)  # fmt: skip
    assert "Frein principal — alimentation plus végétale (estimation par profils)" in titles
    assert "Empreinte carbone — Total, t CO2e/an (estimation par profils)" in titles
    # with the SU answers, the room for manoeuvre: a theme per forum subject (six)
    subjects = [t for t in titles if t.startswith("Potentiel — ")]
    assert len(subjects) == 6
    assert len(titles) == 1 + 3 + 6 + 4 + 6 + 4 + 6 + len(subjects)
    boards = [b["title"] for b in cfg["boards"]]
    assert boards == ["Profils d'usages", "Empreinte des usages", "Envie de changer",
                      "Insatisfaction", "Freins", "Empreinte carbone (Nos Gestes Climat)",
                      "Sujets du forum : marges de manœuvre"]  # fmt: skip
    assert [b["open"] for b in cfg["boards"]] == [True] + [False] * 6  # 36 themes: one open
    assert "Espace et Mode de Vie (EMdV) et Nos Gestes Climat (NGC)" in page  # the sources
    assert page.count("Chiffres estimés d&#x27;après la répartition des profils") == 20 + len(
        subjects
    )
    assert "<script src=" not in page and '<link rel="stylesheet" href="http' not in page


def test_english_and_a_run_given_as_it_is(made, tmp_path):
    amap, diag, _ = made
    page = build_webmap(read_inputs(amap, diagnostic=diag), language="en", offline=False)
    _, cfg = embedded(page)
    titles = [layer[0] for layer in cfg["layers"]]
    assert "Willingness to change — sustainable mobility (estimated from the profiles)" in titles
    assert "Carbon footprint — food, t CO2e/yr (estimated from the profiles)" in titles
    assert cfg["diag"]["text"]["diag_heading"] == "Diagnostic (estimated from the profiles)"
    assert "Nos Gestes Climat (NGC) surveys, estimated from the profiles" in page
    # the run itself (qet-geo run has it at hand): the same figures
    from qet_geo.diagnostic.job import run_diagnostic

    areas = tmp_path / "estimation.gpkg"
    table = gpd.read_file(amap, layer="area_indicators")
    table[["area_id", "area_name", "share_1", "share_2", "share_3", "geometry"]].to_file(
        areas, layer="areas", driver="GPKG"
    )
    run = run_diagnostic(
        emdv=EMDV, su_data=DIAG / "Su Data.json", min_cell=5, areas=f"{areas}:areas"
    )
    data, _ = embedded(build_webmap(read_inputs(amap, diagnostic=run)))
    from_file, _ = embedded(build_webmap(read_inputs(amap, diagnostic=diag)))
    for mine, theirs in zip(data["features"][:8], from_file["features"][:8], strict=True):
        assert mine["properties"]["dg"]["w"] == theirs["properties"]["dg"]["w"]
        assert mine["properties"]["dg"]["c"] == []  # no NGC answers given to this run


def test_a_file_that_is_not_a_diagnostic_is_a_clear_error(made, tmp_path):
    amap, diag, _ = made
    set_language("fr")
    try:
        with pytest.raises(InputError) as error:
            read_inputs(amap, diagnostic=amap)  # the area map given as the diagnostic
        text = str(error.value)
        assert "areas.gpkg" in text and "area_estimates" in text
        assert "couche absente du fichier" in text and "un GeoPackage de diagnostic" in text
        assert "area_indicators" in text  # the layers it has
        with pytest.raises(InputError, match="fichier introuvable"):
            read_inputs(amap, diagnostic=tmp_path / "absent.gpkg")
        # area estimates alone, no table of the diagnostic
        lone = tmp_path / "lone.gpkg"
        pyogrio.write_dataframe(
            gpd.read_file(diag, layer="area_estimates"), lone, layer="area_estimates"
        )
        with pytest.raises(InputError) as error:
            read_inputs(amap, diagnostic=lone)
        assert "lone.gpkg" in str(error.value) and "pas un diagnostic" in str(error.value)
        assert "satisfaction, wishes, barriers, carbon" in str(error.value)
        # a table without its labels
        broken = tmp_path / "broken.gpkg"
        shutil.copy(diag, broken)
        with sqlite3.connect(broken) as db:
            db.execute("alter table wishes rename column label to libelle")
        with pytest.raises(InputError) as error:
            read_inputs(amap, diagnostic=broken)
        assert "broken.gpkg [wishes]" in str(error.value) and "pas de colonne 'label'" in str(
            error.value
        )
    finally:
        set_language("en")


def hostile_copy(diag: Path, folder: Path) -> Path:
    """The diagnostic with labels and a family name changed as anyone holding the file can:
    a carbon sector's label, a satisfaction theme, a barrier family (the most cited)."""
    path = folder / "hostile.gpkg"
    shutil.copy(diag, path)
    from qet_geo.diagnostic.places import slug

    with sqlite3.connect(path) as db:
        editable(db)
        db.execute("update carbon set label = ? where key = 'transport'", (HOSTILE,))
        db.execute("update satisfaction set theme = ? where theme = 'housing'", (HOSTILE,))
        db.execute("update barriers set family = ? where key = 'reasons_to_continue_using_car' "
                   "and family = 'Manque de confiance'", (HOSTILE,))  # fmt: skip
        old = "reasons_to_continue_using_car__manque_de_confiance"
        new = f"reasons_to_continue_using_car__{slug(HOSTILE)}"
        db.execute(f'alter table area_estimates rename column "{old}" to "{new}"')
        db.execute(f'update area_estimates set "{new}" = 0.9')
    return path


def test_hostile_labels_are_never_templates_nor_markup(made, tmp_path):
    amap, _, diag = made
    page = build_webmap(read_inputs(amap, diagnostic=hostile_copy(diag, tmp_path)), offline=True)
    assert SCRIPT not in page  # escaped for where it lands
    assert "Empreinte carbone — &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in page
    # the legend and the themes' titles, as written: no template evaluated them
    assert (
        "<b>Empreinte carbone — &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}, t CO2e/an"
        in page
    )
    assert (
        "Insatisfaction — &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}} : part"
        in page
    )
    assert "— 49" not in page and "alert(1)</script>49" not in page
    _, cfg = embedded(page)
    assert HOSTILE in cfg["diag"]["families"]  # the JSON text, parsed: the name itself


@browser_needed
def test_the_diagnostic_themes_in_chromium_offline(made, tmp_path):
    amap, _, diag = made
    page = write_webmap(tmp_path / "carte.html", read_inputs(amap, diagnostic=diag), offline=True)
    rows = estimates(diag)
    table = pyogrio.read_dataframe(amap, layer="area_indicators")
    driver = browser()
    try:
        open_page(driver, page)
        assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
        toggle = driver.find_element("css selector", ".leaflet-control-layers-toggle")
        toggle.click()  # a tap opens the list of themes
        boards = wait_until(driver, lambda d: [s.text for s in d.find_elements("css selector", ".qg-board summary")
                                                if s.is_displayed()], "the boards do not show")  # fmt: skip
        assert boards[0] == "Profils d'usages" and "Envie de changer" in boards
        # the keyboard: Enter on the board's heading opens it, space checks a theme
        from selenium.webdriver.common.keys import Keys

        summary = [s for s in driver.find_elements("css selector", ".qg-board summary")
                   if s.text == "Envie de changer"][0]  # fmt: skip
        summary.send_keys(Keys.ENTER)
        label = wait_until(driver, lambda d: [x for x in d.find_elements("css selector", ".qg-board label")
                                              if x.is_displayed() and "mobilité durable" in x.text],
                           "the board does not open")[0]  # fmt: skip
        label.find_element("css selector", "input").send_keys(Keys.SPACE)
        wait_until(driver, lambda d: d.find_element("css selector", ".qg-dleg:not([hidden])").is_displayed(),
                   "the theme's legend does not show")  # fmt: skip
        legend = driver.find_element("css selector", ".qg-dleg:not([hidden])").text
        assert "Envie de changer — mobilité durable (estimation par profils)" in legend
        assert "Espace et Mode de Vie (EMdV) et Nos Gestes Climat (NGC)" in legend
        assert "masqué" in legend
        sources = driver.find_element("css selector", ".qg-sources").text
        assert "Espace et Mode de Vie (EMdV) et Nos Gestes Climat (NGC)" in sources
        seen = 0
        for index in range(len(table)):
            popup = click_area(driver, index)
            area = table[table["area_name"] == popup.splitlines()[0]].iloc[0]["area_id"]
            assert "Diagnostic (estimation par profils)" in popup
            if area == "Z8":
                assert (
                    "pas d'estimation pour cette zone" in popup
                    and "mobilité durable\t—\t—" in popup
                )
                continue
            row = rows[area]
            share = both(row["want_to_reduce_car_usage__I_WISH_BUT_CANT"],
                         row["want_to_reduce_car_usage__I_WISH_AND_IT_IS_PLAN"])  # fmt: skip
            shown = "masqué" if share is None else f"{round(share * 100)}\u202f%"
            assert "\tenvie de changer\tfrein principal" in popup  # the table's heading
            car = {c.split("__")[1]: v for c, v in row.items()  # the families (lower case)
                   if c.startswith("reasons_to_continue_using_car__") and c.split("__")[1].islower()}  # fmt: skip
            main = {f: v for f, v in car.items() if f not in SET_ASIDE}
            names = {"accessibilite_pratique": "Accessibilité pratique",
                     "temps_organisation": "Temps & Organisation",
                     "manque_de_confiance": "Manque de confiance",
                     "image_et_sociabilite": "Image et sociabilité"}  # fmt: skip
            barrier = "masqué" if None in main.values() else names[max(main, key=main.get)]
            assert f"mobilité durable\t{shown}\t{barrier}\n" in popup
            total = row["carbon__bilan"]
            value = "masqué" if total is None else f"{total / 1000:.1f} t CO2e/an".replace(".", ",")
            assert f"Empreinte carbone estimée : {value}" in popup
            seen += 1
        assert seen == 8
        hatched = driver.execute_script(
            "return document.querySelectorAll('path.qg-suppressed').length"
        )
        assert hatched >= 1  # Z4: hidden
        click_area(driver, 0)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "webmap_diagnostic.png"))
        assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    finally:
        driver.quit()


@browser_needed
def test_hostile_labels_and_area_names_show_as_text_in_chromium(tmp_path):
    names = [HOSTILE] + [f"Zone {k}" for k in range(1, 9)]
    amap = area_map(tmp_path, names=names)
    diag = hostile_copy(filled_copy(diagnostic(tmp_path, amap), tmp_path), tmp_path)
    page = write_webmap(tmp_path / "carte.html", read_inputs(amap, diagnostic=diag), offline=True,
                        title=HOSTILE)  # fmt: skip
    driver = browser()
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    try:
        open_page(driver, page)
        scripts = driver.execute_script("return document.scripts.length")
        control = driver.execute_script(
            "return document.querySelector('.leaflet-control-layers-base').textContent"
        )
        assert f"Empreinte carbone — {HOSTILE}, t CO2e/an" in control
        assert f"Insatisfaction — {HOSTILE} : part moyenne" in control
        legend = driver.execute_script("return document.querySelector('.qg-legend').textContent")
        assert HOSTILE in legend
        popup = click_area(driver, 0)
        assert popup.splitlines()[0] == HOSTILE  # Z0, hidden in the area map
        assert "mobilité durable\tmasqué\tmasqué" in popup
        popup = click_area(driver, 1)  # Z1: the hostile family is its most cited car barrier
        assert popup.splitlines()[0] == "Zone 1"
        assert f"mobilité durable\tmasqué\t{HOSTILE}" in popup
        assert driver.execute_script("return window.__calls") == []
        assert driver.execute_script("return document.scripts.length") == scripts
        assert (
            driver.execute_script(
                "return document.querySelectorAll('.leaflet-popup-content script, .leaflet-popup-content img').length"
            )
            == 0
        )
        assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        driver.quit()
