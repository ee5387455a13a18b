"""Texts from data and from the user never run: not in the templates that build the pages
(nothing evaluated server-side), not in the published pages (a real headless Chromium with
``alert``, ``confirm`` and ``prompt`` hooked and the network off), not in the QGIS project.

Every payload is shown as the literal text it is, and the map still draws (the areas are
there, the popups open).
"""

from __future__ import annotations

import csv
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from html import escape
from pathlib import Path

import pytest
from pyproj import Transformer
from test_webmap import area_map, browser, browser_needed

from qet_geo.cli import main
from qet_geo.errors import InputError
from qet_geo.export.webmap import build_webmap, read_inputs

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "sample_data"
WAIT = 90  # seconds: an upper bound for a loaded machine, never a measure

#: texts that would run or break a page if they were written as they are
SCRIPT = "</script><script>alert(1)</script>"
COMMENT = "<!--<script>"
TEMPLATE_LITERAL = "${alert(1)}"
BACKTICK = "Gare d`Orléans"
JINJA = "{{7*7}}"
RAW = "{% raw %}"
ATTRIBUTE = '" onmouseover="alert(1)" x="'
IMAGE = "<img src=x onerror=alert(1)>"
LINE_ENDS = "a\u2028b\u2029c & <b>d</b>"
AREA_NAMES = [SCRIPT, COMMENT, TEMPLATE_LITERAL, BACKTICK, JINJA, RAW, ATTRIBUTE, IMAGE, LINE_ENDS]

#: alert, confirm and prompt recorded instead of shown, before any script of the page runs
HOOK = """
window.__calls = [];
["alert", "confirm", "prompt"].forEach(function (name) {
  window[name] = function () { window.__calls.push(name + ":" + Array.prototype.join.call(arguments, ",")); };
});
"""
#: elements carrying an event handler attribute (on…) or a javascript: link
HANDLERS = """
var found = [];
document.querySelectorAll("*").forEach(function (el) {
  Array.prototype.forEach.call(el.attributes, function (a) {
    if (/^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value)) { found.push(el.tagName + " " + a.name); }
  });
});
return found;
"""


def command(marker: Path) -> str:
    """A Jinja expression that creates ``marker`` if it is ever evaluated."""
    return "{{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}"


@pytest.fixture(scope="module")
def chromium():
    driver = browser()
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def scripts(chromium, tmp_path_factory):
    """The number of script elements of a page built from ordinary data."""
    folder = tmp_path_factory.mktemp("plain")
    page = folder / "carte.html"
    assert main(["export", "webmap", str(area_map(folder)), "-o", str(page)]) == 0
    open_map(chromium, page)
    return chromium.execute_script("return document.scripts.length")


def open_map(driver, page: Path, areas: int = 9) -> None:
    """Load the page and wait until the areas layer is drawn."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # forget what earlier pages logged
    driver.get(page.as_uri())
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    WebDriverWait(driver, WAIT).until(
        lambda d: (
            d.execute_script(
                "return document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length"
            )
            >= areas
        ),
        message="the areas layer is not drawn",
    )


def assert_inert(driver, scripts: int) -> None:
    """Nothing ran: no dialog called, no handler attribute, no script element added, no
    error in the console."""
    assert driver.execute_script("return window.__calls") == []
    assert driver.execute_script(HANDLERS) == []
    assert driver.execute_script("return document.scripts.length") == scripts
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def open_popup(driver, index: int) -> str:
    """Click the area ``index`` and return the name its popup shows (as text); the popup
    shown before is taken out of the page first (Leaflet takes it out after a fade)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script(
        "document.querySelectorAll('.leaflet-popup').forEach(function (p) { p.remove(); });"
        "var paths = document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive');"
        "paths[arguments[0]].dispatchEvent(new MouseEvent('click', {bubbles: true}));",
        index,
    )
    return WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script(
            "var b = document.querySelector('.leaflet-popup-content b'); return b ? b.textContent : null"
        )
    )


def set_profiles(gpkg: Path, names: dict | None = None, colours: dict | None = None) -> None:
    """Edit the profiles table of a written area map, as anyone holding the file can."""
    with sqlite3.connect(gpkg) as db:
        for profile, name in (names or {}).items():
            db.execute("UPDATE profiles SET name = ? WHERE profile = ?", (name, profile))
        for profile, colour in (colours or {}).items():
            db.execute("UPDATE profiles SET colour = ? WHERE profile = ?", (colour, profile))


# ------------------------------------------------------------------ server side: templates


@pytest.mark.parametrize("title", [JINJA, RAW, "{% endraw %}{{ 7*7 }}", "{#", "}}{{"])
def test_a_title_is_never_a_template(tmp_path, title):
    gpkg = area_map(tmp_path)
    marker = tmp_path / "ran"
    page = tmp_path / "carte.html"
    for text in (title, command(marker)):
        assert main(["export", "webmap", str(gpkg), "--title", text, "-o", str(page)]) == 0
        html = page.read_text(encoding="utf-8")
        assert f"<h1>{escape(text)}</h1>" in html and f"<title>{escape(text)}</title>" in html
    assert not marker.exists()


def test_profile_names_and_census_year_from_the_file_are_never_templates(tmp_path):
    gpkg = area_map(tmp_path)
    marker = tmp_path / "ran"
    set_profiles(gpkg, names={1: command(marker), 2: JINJA})
    with sqlite3.connect(gpkg) as db:  # the sources line reads the census year from the file
        db.execute(
            "INSERT INTO study_summary (indicator, value) VALUES ('census', 'true'), "
            "('census_year', ?)",
            ('"' + command(marker).replace("'", "\\u0027") + '"',),
        )
    html = build_webmap(read_inputs(gpkg))
    assert not marker.exists()
    assert f"2. {JINJA}<br>" in html  # the legend, as written
    assert "2. 49<br>" not in html


# ------------------------------------------------------------------ in the browser


@browser_needed
def test_hostile_area_names_are_text_and_the_map_draws(tmp_path, chromium, scripts):
    gpkg = area_map(tmp_path, names=AREA_NAMES)
    page = tmp_path / "carte.html"
    assert main(["export", "webmap", str(gpkg), "--title", SCRIPT, "-o", str(page)]) == 0
    open_map(chromium, page)
    shown = {open_popup(chromium, index) for index in range(len(AREA_NAMES))}
    assert shown == set(AREA_NAMES)
    assert chromium.find_element("css selector", ".qg-title").text == SCRIPT
    assert chromium.title == SCRIPT
    assert_inert(chromium, scripts)


@browser_needed
@pytest.mark.parametrize("title", [JINJA, RAW, ATTRIBUTE, COMMENT, TEMPLATE_LITERAL])
def test_a_title_shows_as_literal_text(tmp_path, chromium, scripts, title):
    gpkg = area_map(tmp_path)
    page = tmp_path / "carte.html"
    assert main(["export", "webmap", str(gpkg), "--title", title, "-o", str(page)]) == 0
    open_map(chromium, page)
    assert chromium.find_element("css selector", ".qg-title").text == title
    assert chromium.title == title
    assert open_popup(chromium, 0) == "Zone 0"
    assert_inert(chromium, scripts)


@browser_needed
def test_hostile_profile_names_from_the_file_are_text(tmp_path, chromium, scripts):
    gpkg = area_map(tmp_path)
    set_profiles(gpkg, names={1: SCRIPT + COMMENT, 2: JINJA + ATTRIBUTE + TEMPLATE_LITERAL})
    page = tmp_path / "carte.html"
    assert main(["export", "webmap", str(gpkg), "-o", str(page)]) == 0
    open_map(chromium, page)
    legend = chromium.execute_script("return document.querySelector('.qg-legend').textContent")
    assert f"1. {SCRIPT + COMMENT}" in legend
    assert f"2. {JINJA + ATTRIBUTE + TEMPLATE_LITERAL}" in legend
    themes = chromium.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-control-layers-base label'))"
        ".map(function (l) { return l.textContent; })"
    )
    assert any(SCRIPT + COMMENT in theme for theme in themes)
    mixes = []
    for index in range(9):  # the popups of the areas shown give the profile mix
        assert open_popup(chromium, index).startswith("Zone ")
        mixes.append(
            chromium.execute_script(
                "return document.querySelector('.leaflet-popup-content').textContent"
            )
        )
    mixes = [mix for mix in mixes if "Répartition des profils" in mix]
    assert len(mixes) >= 5
    assert all(
        SCRIPT + COMMENT in mix and JINJA + ATTRIBUTE + TEMPLATE_LITERAL in mix for mix in mixes
    )
    assert_inert(chromium, scripts)


def write_gtfs(folder: Path, stop_names: list[str], route_names: list[str]) -> Path:
    """A GTFS feed with one stop per name inside the test grid and one route per name."""
    to_wgs84 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
    folder.mkdir(parents=True, exist_ok=True)

    def write(name, header, rows):
        with open(folder / name, "w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(header)
            out.writerows(rows)

    stops = []
    for k, name in enumerate(stop_names):
        lon, lat = to_wgs84.transform(650050.0 + 50 * k, 6860100.0 + 40 * k)
        stops.append((f"S{k}", name, f"{lat:.7f}", f"{lon:.7f}"))
    write("stops.txt", ["stop_id", "stop_name", "stop_lat", "stop_lon"], stops)
    write("routes.txt", ["route_id", "route_short_name", "route_type"],
          [(f"R{k}", name, 3) for k, name in enumerate(route_names)])  # fmt: skip
    write("trips.txt", ["route_id", "service_id", "trip_id"],
          [(f"R{k}", "WK", f"T{k}") for k in range(len(route_names))])  # fmt: skip
    times = []
    for k in range(len(route_names)):
        for q, stop in enumerate(stops):
            times.append((f"T{k}", f"08:{q:02d}:00", f"08:{q:02d}:00", stop[0], q + 1))
    write("stop_times.txt", ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], times)  # fmt: skip
    write("calendar.txt", ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday",
                           "saturday", "sunday", "start_date", "end_date"],
          [("WK", 1, 1, 1, 1, 1, 0, 0, "20260101", "20261231")])  # fmt: skip
    return folder


@browser_needed
def test_hostile_stop_and_route_names_are_text(tmp_path, chromium, scripts):
    stops = [BACKTICK, TEMPLATE_LITERAL, "`;alert(1);`", SCRIPT, COMMENT, IMAGE, ATTRIBUTE, JINJA]
    routes = [BACKTICK + TEMPLATE_LITERAL, SCRIPT + IMAGE]
    gtfs = write_gtfs(tmp_path / "gtfs", stops, routes)
    gpkg = area_map(tmp_path)
    page = tmp_path / "carte.html"
    assert main(["export", "webmap", str(gpkg), "--gtfs", str(gtfs), "-o", str(page)]) == 0
    open_map(chromium, page)
    assert open_popup(chromium, 0) == "Zone 0"
    # the transit overlay switched on: its lines and stops are drawn, their names as tooltips
    chromium.execute_script(
        "document.querySelectorAll('.leaflet-popup-close-button').forEach(function (b) { b.click(); });"
        "document.querySelector('.leaflet-control-layers-overlays input').click()"
    )
    from selenium.webdriver.support.ui import WebDriverWait

    total = 9 + len(stops) + len(routes)
    WebDriverWait(chromium, WAIT).until(
        lambda d: (
            d.execute_script(
                "return document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length"
            )
            >= total
        )
    )
    tooltips = set()
    for index in range(9, total):
        text = chromium.execute_script(
            "document.querySelectorAll('.leaflet-tooltip').forEach(function (t) { t.remove(); });"
            "var paths = document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive');"
            "paths[arguments[0]].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
            "var t = document.querySelector('.leaflet-tooltip'); return t ? t.textContent.trim() : null",
            index,
        )
        tooltips.add(text)
    assert tooltips == set(stops) | set(routes)
    assert_inert(chromium, scripts)


@browser_needed
def test_the_whole_run_from_a_configuration_with_hostile_title_and_names(
    tmp_path, chromium, scripts
):
    marker = tmp_path / "ran"
    title = command(marker) + " " + SCRIPT + " " + JINJA
    config = tmp_path / "qet-geo.toml"
    config.write_text(
        f"title = {_toml(title)}\n"
        f'output = "{(tmp_path / "out").as_posix()}"\n'
        "[survey]\n"
        f'file = "{(SAMPLE / "survey_su.tsv").as_posix()}"\n'
        "[profiles]\nbootstrap = 0\n"
        f"names = {{ 1 = {_toml(SCRIPT + COMMENT)}, 2 = {_toml(JINJA + RAW + TEMPLATE_LITERAL)} }}\n"
        "[areas]\n"
        f'file = "{(SAMPLE / "quartier.gpkg").as_posix()}"\nlayer = "iris"\n'
        "[outputs]\nposter = false\nproject = true\n",
        encoding="utf-8",
    )
    assert main(["run", str(config)]) == 0
    assert not marker.exists()
    out = tmp_path / "out"
    open_map(chromium, out / "carte.html", areas=12)
    assert chromium.find_element("css selector", ".qg-title").text == title
    legend = chromium.execute_script("return document.querySelector('.qg-legend').textContent")
    assert SCRIPT + COMMENT in legend and JINJA + RAW + TEMPLATE_LITERAL in legend
    assert open_popup(chromium, 0)
    assert_inert(chromium, scripts)
    # the profile report: the names as text, nothing runs
    chromium.get_log("browser")
    chromium.get((out / "profiles.html").as_uri())
    body = chromium.execute_script("return document.body.textContent")
    assert SCRIPT + COMMENT in body and JINJA + RAW + TEMPLATE_LITERAL in body
    assert_inert(chromium, 0)
    # the QGIS project: the title as text
    root = project_xml(out / "projet.qgz")
    assert root.find("title").text == title and root.get("projectname") == title


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ------------------------------------------------------------------ colours from data


BAD_COLOUR = '#332288"/><img src=x onerror=alert(1)>'


@pytest.mark.parametrize("colour", [BAD_COLOUR, "red;background:url(http://x/)", "#33228", ""])
def test_a_bad_profile_colour_in_the_file_is_refused_by_the_web_map(tmp_path, capsys, colour):
    gpkg = area_map(tmp_path)
    set_profiles(gpkg, colours={2: colour})
    page = tmp_path / "carte.html"
    assert main(["export", "webmap", str(gpkg), "-o", str(page)]) == 2
    message = capsys.readouterr().err
    assert str(gpkg) in message and "'colour'" in message and "#RRGGBB" in message
    assert "Traceback" not in message
    assert not page.exists()
    with pytest.raises(InputError, match="not a colour"):
        build_webmap(_unchecked(gpkg))


def _unchecked(gpkg):
    """The inputs read without the check of read_inputs (as a caller building its own)."""
    import pandas as pd

    from qet_geo.export.webmap import WebMapInputs
    from qet_geo.geo import read_frame

    profiles = pd.DataFrame(read_frame(gpkg, "profiles").drop(columns="geometry", errors="ignore"))
    return WebMapInputs(
        read_frame(gpkg, "area_indicators"), profiles, {"min_cell": 11}, source=str(gpkg)
    )


def test_a_bad_profile_colour_in_the_file_is_refused_by_the_poster(tmp_path, capsys):
    gpkg = area_map(tmp_path)
    set_profiles(gpkg, colours={1: BAD_COLOUR})
    assert main(["export", "poster", str(gpkg), "--no-png", "-o", str(tmp_path / "a.pdf")]) == 2
    message = capsys.readouterr().err
    assert str(gpkg) in message and "'colour'" in message and "Traceback" not in message
    assert not (tmp_path / "a.pdf").exists()


# ------------------------------------------------------------------ offline page, project


def test_an_area_named_after_the_cdn_does_not_break_the_offline_page(tmp_path):
    names = ["https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"] + [
        f"Zone {k}" for k in range(1, 9)
    ]
    gpkg = area_map(tmp_path, names=names)
    page = tmp_path / "carte.html"
    assert main(["export", "webmap", str(gpkg), "-o", str(page)]) == 0
    assert "<script src=" not in page.read_text(encoding="utf-8")


def project_xml(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        [name] = archive.namelist()
        return ET.fromstring(archive.read(name).decode("utf-8"))


def test_a_style_from_the_file_cannot_add_elements_to_the_project(tmp_path):
    gpkg = area_map(tmp_path)
    evil = (
        '<qgis><renderer-v2 type="singleSymbol"></renderer-v2></maplayer></projectlayers>'
        "<properties><Macros><pythonCode>import os; os.system('touch ran')</pythonCode></Macros>"
        '</properties><projectlayers><maplayer><renderer-v2 type="x"></renderer-v2></qgis>'
    )
    with sqlite3.connect(gpkg) as db:
        db.execute("UPDATE layer_styles SET styleQML = ? WHERE useAsDefault = 1", (evil,))
    title = "\x0b\"/><Macros><pythonCode>1</pythonCode></Macros><title x='"
    project = tmp_path / "projet.qgz"
    assert (
        main(["export", "project", "--areas", str(gpkg), "--title", title, "-o", str(project)]) == 0
    )
    root = project_xml(project)
    assert not list(root.iter("Macros"))
    assert not list(root.iter("pythonCode"))
    assert len(root.findall("projectlayers")) == 1 and len(root.findall("properties")) == 1
    assert root.find("title").text == title.lstrip("\x0b")


def test_the_style_written_by_qet_geo_is_kept_in_the_project(tmp_path):
    gpkg = area_map(tmp_path)
    project = tmp_path / "projet.qgz"
    assert main(["export", "project", "--areas", str(gpkg), "-o", str(project)]) == 0
    [layer] = project_xml(project).iter("maplayer")
    renderer = layer.find("renderer-v2")
    assert renderer.get("type") == "RuleRenderer"
    labels = [rule.get("label") for rule in renderer.iter("rule")]
    assert (
        "1. Marche et vélo" in labels and "masqué (secret statistique, seuil 11 réponses)" in labels
    )


@browser_needed
def test_a_background_layer_name_is_text(tmp_path, chromium, scripts, monkeypatch):
    import geopandas as gpd
    import shapely

    marker = tmp_path / "ran"
    gpkg = area_map(tmp_path)
    monkeypatch.chdir(tmp_path)  # the command below makes "ran" there
    layers = []
    shown = JINJA + " " + RAW
    for stem in (shown, "{{ lipsum.__globals__['os'].popen('touch ran').read() }}"):
        frame = gpd.GeoDataFrame(
            {"k": [1]}, geometry=[shapely.box(650000, 6860000, 650600, 6860600)], crs="EPSG:2154"
        )
        frame.to_file(tmp_path / "fond.gpkg", driver="GPKG", layer="fond")
        background = tmp_path / f"{stem}.gpkg"  # the file's name, shown in the layer control
        (tmp_path / "fond.gpkg").rename(background)
        layers += ["--background", str(background)]
    page = tmp_path / "carte.html"
    assert main(["export", "webmap", str(gpkg), *layers, "-o", str(page)]) == 0
    assert not marker.exists()
    open_map(chromium, page, areas=11)
    overlays = chromium.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
        ".map(function (l) { return l.textContent.trim(); })"
    )
    assert shown in overlays
    assert_inert(chromium, scripts)


def test_texts_from_the_file_are_drawn_as_they_are_on_the_poster(tmp_path):
    import subprocess

    gpkg = area_map(tmp_path, names=[r"Zone $\frac{1}$"] + [f"Zone {k}" for k in range(1, 9)])
    set_profiles(gpkg, names={1: r"Vélo $x^2$", 2: JINJA + SCRIPT})
    with sqlite3.connect(gpkg) as db:  # the sources line reads the census year from the file
        db.execute(
            "INSERT INTO study_summary (indicator, value) VALUES ('census_year', ?)",
            (r"2021 $\frac{1}$",),
        )
    pdf = tmp_path / "affiche.pdf"
    title = r"Titre $\frac{a}$ " + JINJA
    assert main(["export", "poster", str(gpkg), "--no-png", "--title", title, "-o", str(pdf)]) == 0
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True)
    text = text.stdout.replace("\n", " ")
    for expected in (title, r"2021 $\frac{1}$", r"Vélo $x^2$", JINJA + SCRIPT, r"Zone $\frac{1}$"):
        assert expected in text, expected


def test_a_profile_name_with_characters_xml_cannot_hold_keeps_the_style(tmp_path):
    """A name with a control character (pasted from a spreadsheet) and XML's own characters:
    the style stored in areas.gpkg stays well-formed (QGIS would drop it, and the project
    would lose it), the name shown without the control character."""
    name = 'Marche\x0b & <vélo> "x"'
    gpkg = area_map(tmp_path, profile_names=(name, "Voiture"))
    with sqlite3.connect(gpkg) as db:
        styles = [row[0] for row in db.execute("SELECT styleQML FROM layer_styles")]
    labels = [rule.get("label") for style in styles for rule in ET.fromstring(style).iter("rule")]
    assert '1. Marche & <vélo> "x"' in labels
    project = tmp_path / "projet.qgz"
    assert main(["export", "project", "--areas", str(gpkg), "-o", str(project)]) == 0
    [layer] = project_xml(project).iter("maplayer")
    assert '1. Marche & <vélo> "x"' in [r.get("label") for r in layer.iter("rule")]
