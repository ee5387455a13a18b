"""One rule for the CRS of a table with geometry (issue 13): ``qet_geo.geo.crs_of`` reads it
from any container (a GeoDataFrame, a plain frame's ``attrs["crs"]`` as on the paths QGIS
uses, ``Areas``, the library's results), ``with_crs`` sets it, and a table with geometry
whose CRS is gone (pandas' ``merge``, ``join`` and ``concat`` drop ``attrs``) is refused by
name instead of a CRS being assumed. The entry points take a GeoDataFrame, a plain frame or
the library's own objects the same way, with the same outputs."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from unit_helpers import ROOT

import qet_geo as qg
from qet_geo import geo
from qet_geo.areas import as_areas, read_area_map
from qet_geo.i18n import set_language
from qet_geo.io import write_table

SAMPLE = ROOT / "sample_data"
GPKG = SAMPLE / "quartier.gpkg"


@pytest.fixture(scope="module")
def job():
    """The sample survey labelled twice: as a notebook has it (a GeoDataFrame) and as QGIS
    has it (a plain frame with ``attrs["crs"]``: the library's plain backend); the areas
    and a service layer in both containers too."""
    survey = qg.read_survey(SAMPLE / "survey_su.tsv", schema="near-su")
    respondents = qg.add_footprints(survey.respondents)
    model = qg.ProfileModel("near").fit(respondents)
    with geo.using(geo.PlainBackend()):
        plain_survey = qg.read_survey(SAMPLE / "survey_su.tsv", schema="near-su")
    plain = qg.add_footprints(plain_survey.respondents)
    return dict(
        model=model,
        gdf=qg.assign_profiles(respondents, model),
        plain=qg.assign_profiles(plain, model),
        areas=qg.read_areas(GPKG, layer="iris"),
        areas_gdf=gpd.read_file(GPKG, layer="iris"),
        areas_plain=geo.read_frame(GPKG, "iris"),
        marches_gdf=gpd.read_file(GPKG, layer="marches"),
        marches_plain=geo.read_frame(GPKG, "marches"),
    )


def test_crs_of_reads_every_container(job):
    gdf, plain, areas = job["gdf"], job["plain"], job["areas"]
    assert isinstance(gdf, gpd.GeoDataFrame) and not isinstance(plain, gpd.GeoDataFrame)
    assert geo.crs_of(gdf, "respondents") == geo.crs_of(plain, "respondents") == "EPSG:4326"
    assert geo.crs_of(areas) == "EPSG:2154" and geo.crs_of(job["areas_gdf"]) == "EPSG:2154"
    # pd.DataFrame(gdf) loses attrs and the GeoDataFrame, not the geometry column's CRS
    assert geo.crs_of(pd.DataFrame(job["areas_gdf"]), "areas") == "EPSG:2154"
    # a table without geometry has no CRS to ask for; an empty geometry column neither
    assert geo.crs_of(pd.DataFrame({"a": [1]}), "table") is None
    assert geo.crs_of(pd.DataFrame({"geometry": [None]}), "table") is None
    # the results with geometry say theirs, as the areas do, and all give a GeoDataFrame
    amap = qg.map_areas(plain, areas, model=job["model"])
    assert geo.crs_of(amap, "area map") == "EPSG:2154"
    for result in (areas, amap):
        assert result.to_geodataframe().crs == "EPSG:2154"
    indicators, _, _ = read_area_map(amap)
    assert geo.crs_of(indicators, "area_indicators") == "EPSG:2154"


def test_with_crs_sets_it_on_either_container():
    frame = pd.DataFrame({"geometry": [shapely.Point(650_000, 6_860_000)]})
    plain = geo.with_crs(frame, "EPSG:2154")
    assert geo.crs_of(plain, "points") == "EPSG:2154" and geo.crs_of(frame) is None  # a copy
    assert type(plain) is pd.DataFrame
    gdf = geo.with_crs(gpd.GeoDataFrame(frame, geometry="geometry"), "EPSG:2154")
    assert isinstance(gdf, gpd.GeoDataFrame) and gdf.crs == "EPSG:2154"
    assert geo.crs_of(geo.with_crs(plain, None)) is None


def test_the_library_s_own_joins_keep_the_crs(job):
    """assign_profiles and profiles.detect join the profiles to the respondents (pandas'
    join drops attrs): the labelled respondents keep their CRS in both containers."""
    from qet_geo.profiles import detect

    for respondents in (job["plain"], job["gdf"]):
        assert geo.crs_of(qg.assign_profiles(respondents, job["model"]), "r") == "EPSG:4326"
    labelled = detect(job["plain"], model=qg.ProfileModel("near"), n_boot=0).labelled
    assert geo.crs_of(labelled, "labelled") == "EPSG:4326"


def _merged(frame: pd.DataFrame) -> pd.DataFrame:
    """What a user's merge with a table of their own gives: a plain frame, its CRS gone."""
    extra = pd.DataFrame({"key": np.arange(len(frame)), "note": "x"})
    merged = pd.DataFrame(frame).assign(key=np.arange(len(frame))).merge(extra, on="key")
    assert "geometry" in merged and "crs" not in merged.attrs
    return merged


def _no_crs_message(error, name: str) -> str:
    text = str(error.value)
    assert name in text and "no coordinate reference system" in text, text
    assert "with_crs" in text  # says how to set it again
    return text


def test_a_crs_dropped_by_a_merge_is_a_clear_error_of_the_entry_points(job):
    plain, areas, model = job["plain"], job["areas"], job["model"]
    merged = _merged(plain)
    with pytest.raises(qg.InputError) as error:
        qg.map_areas(merged, areas, model=model)
    _no_crs_message(error, "respondents")
    with pytest.raises(qg.InputError) as error:  # the areas given as a merged plain frame
        qg.map_areas(plain, _merged(job["areas_plain"]), model=model)
    _no_crs_message(error, "areas")
    with pytest.raises(qg.InputError) as error:  # a service layer of points
        qg.proximity(areas, {"marches": _merged(job["marches_plain"])})
    _no_crs_message(error, "marches")
    with pytest.raises(qg.InputError) as error:  # the areas of proximity
        qg.proximity(_merged(job["areas_plain"]), {"marches": job["marches_plain"]})
    _no_crs_message(error, "areas")
    population = _merged(job["areas_plain"].assign(population=100.0))
    with pytest.raises(qg.InputError) as error:
        qg.transit_access(qg.read_gtfs(SAMPLE / "gtfs"), areas, population=population)
    _no_crs_message(error, "population")
    set_language("fr")
    with pytest.raises(qg.InputError) as error:
        qg.map_areas(merged, areas, model=model)
    assert "n'ont pas de système de coordonnées" in str(error.value)
    assert "le redonner par qet_geo.geo.with_crs" in str(error.value)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a, b = pd.DataFrame(a), pd.DataFrame(b)
    assert list(a.columns) == list(b.columns)
    for column in a.columns:
        if column == "geometry":
            assert shapely.equals_exact(
                np.asarray(a[column], dtype=object), np.asarray(b[column], dtype=object), 0
            ).all()
        else:
            pd.testing.assert_series_equal(a[column], b[column], check_dtype=False)


def test_map_areas_gives_the_same_map_from_any_container(job):
    model = job["model"]
    expected = qg.map_areas(job["gdf"], job["areas"], model=model)
    for respondents in (job["gdf"], job["plain"]):
        for areas in (job["areas"], job["areas_gdf"], job["areas_plain"]):
            amap = qg.map_areas(respondents, areas, model=model)
            _same(amap.indicators, expected.indicators)
            assert amap.crs == expected.crs == "EPSG:2154"
            assert json.dumps(amap.summary, sort_keys=True, default=str) == json.dumps(
                expected.summary, sort_keys=True, default=str
            )


def test_proximity_gives_the_same_indicators_from_any_container(job):
    expected = qg.proximity(job["areas"], {"marches": f"{GPKG}:marches"})
    for areas in (job["areas"], job["areas_gdf"], job["areas_plain"]):
        for marches in (job["marches_gdf"], job["marches_plain"]):
            result = qg.proximity(areas, {"marches": marches})
            _same(result.areas, expected.areas)
            assert result.crs == expected.crs == "EPSG:2154"


def test_as_areas_takes_the_library_s_results_and_refuses_what_is_not_areas(job):
    amap = qg.map_areas(job["plain"], job["areas"], model=job["model"])
    again = as_areas(amap)
    assert again.crs == "EPSG:2154"
    assert list(again.frame["area_id"]) == list(job["areas"].frame["area_id"])
    with pytest.raises(qg.InputError, match="not areas"):
        as_areas([1, 2, 3])
    # transit (a layer below the areas) takes Areas, and says so of a frame
    with pytest.raises(
        qg.QetGeoError, match=r"areas = <GeoDataFrame>; expected .*areas_from_frame"
    ):
        qg.transit_access(qg.read_gtfs(SAMPLE / "gtfs"), job["areas_gdf"])
    access = qg.transit_access(
        qg.read_gtfs(SAMPLE / "gtfs"), qg.areas_from_frame(job["areas_plain"])
    )
    assert geo.crs_of(access, "access") == "EPSG:2154"


def test_a_plain_frame_with_points_is_written_in_its_crs(tmp_path):
    """The writers read the CRS by the rule: a plain frame's points to CSV as lon/lat (it
    failed: 'DataFrame' object has no attribute 'crs'), to GeoJSON; without a CRS, refused
    rather than written as if the coordinates were lon/lat."""
    frame = pd.DataFrame({"name": ["a"], "geometry": [shapely.Point(652_000, 6_862_000)]})
    plain = geo.with_crs(frame, "EPSG:2154")
    write_table(plain, tmp_path / "points.csv")
    row = pd.read_csv(tmp_path / "points.csv", encoding="utf-8-sig").iloc[0]
    assert 2.0 < row["longitude"] < 2.6 and 48.6 < row["latitude"] < 49.0  # Paris
    write_table(plain, tmp_path / "points.geojson")
    assert gpd.read_file(tmp_path / "points.geojson").crs == "EPSG:4326"
    write_table(plain, tmp_path / "points.gpkg", layer="points")
    assert gpd.read_file(tmp_path / "points.gpkg").crs == "EPSG:2154"
    for suffix in (".csv", ".geojson", ".gpkg"):
        with pytest.raises(qg.InputError, match="no coordinate reference system"):
            write_table(frame, tmp_path / f"lost{suffix}")
        assert not (tmp_path / f"lost{suffix}").exists()


def test_the_rule_loads_neither_geopandas_nor_pyproj():
    """Inside QGIS those wheels must not load: the rule works on plain frames without."""
    code = (
        "import sys, json, pandas as pd, shapely; from qet_geo import geo\n"
        "f = geo.with_crs(pd.DataFrame({'geometry': [shapely.Point(0, 0)]}), 'EPSG:2154')\n"
        "m = f.merge(pd.DataFrame({'a': [1]}), left_index=True, right_index=True)\n"
        "try:\n    geo.crs_of(m, 'table')\nexcept geo.InputError as e:\n    refused = str(e)\n"
        "print(json.dumps([geo.crs_of(f, 'table'), geo.crs_of(geo.with_crs_of(m, f)), refused,"
        " sorted(n for n in ('geopandas', 'pyproj', 'pyogrio') if n in sys.modules)]))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    crs, kept, refused, loaded = json.loads(done.stdout)
    assert crs == kept == "EPSG:2154" and "table" in refused and loaded == []


def test_the_web_map_takes_a_step_s_table_in_either_container(job, tmp_path):
    """``qg.webmap(amap, transit=…)``: the TransitAccess, its areas as a GeoDataFrame or as
    a plain frame with its CRS give the same page; the table with its CRS merged away is
    refused by name."""
    import re

    amap = qg.map_areas(job["plain"], job["areas"], model=job["model"])
    access = qg.transit_access(qg.read_gtfs(SAMPLE / "gtfs"), job["areas"])
    options = dict(
        title="Les Tilleuls", language="en", date=__import__("datetime").date(2026, 3, 10)
    )

    def page(transit, name):  # folium names its elements at random
        path = qg.webmap(amap, tmp_path / f"{name}.html", transit=transit, **options)
        return re.sub(r"[0-9a-f]{32}", "ID", path.read_text(encoding="utf-8"))

    expected = page(access, "result")
    assert page(access.to_geodataframe(), "gdf") == expected
    assert page(geo.with_crs(access.areas, access.crs), "plain") == expected
    with pytest.raises(qg.InputError) as error:
        page(_merged(geo.with_crs(access.areas, access.crs)), "merged")
    _no_crs_message(error, "ptal_areas")
