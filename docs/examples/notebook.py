# %% [markdown]
# # The sample job, step by step, from Python
#
# Every step of `qet-geo run sample_data/qet-geo.toml`, with the public API only
# (`import qet_geo as qg`). Run it as a script, or open it as a notebook (Jupyter,
# VS Code and Spyder read the `# %%` cells): `docs/notebook.md` explains each cell.
#
#     python docs/examples/notebook.py [OUTPUT_FOLDER]

# %%
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no window: the map is saved as a PNG
import matplotlib.pyplot as plt  # noqa: E402

import qet_geo as qg  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="qet-geo-"))
OUT.mkdir(parents=True, exist_ok=True)

# %% 1. The survey: accepted respondents, rejected rows, and a report
survey = qg.read_survey(SAMPLE / "survey_su.tsv", schema="near-su")
print(survey.report.accepted, "respondents,", survey.report.rejected, "rows rejected")

# %% 2. Carbon footprints per usage (Nos Gestes Climat), kgCO2e per year
respondents = qg.add_footprints(survey.respondents)
print("mean footprint:", round(respondents["fp_total"].mean()), "kgCO2e/yr")

# %% 3. Usage profiles: fit the NEAR model, give each respondent a profile
model = qg.ProfileModel("near").fit(respondents)
labelled = qg.assign_profiles(respondents, model)
print(model.k_, "profiles:", model.published_names())

# %% 4. Areas and their indicators (raking to the census, small cells suppressed)
areas = qg.read_areas(SAMPLE / "quartier.gpkg", layer="iris")
census = qg.read_census(SAMPLE / "base-ic-evol-struct-pop-quartier.csv")
amap = qg.map_areas(labelled, areas, model=model, census=census, weights="raking")
print(amap.summary.areas, "areas,", amap.summary.areas_suppressed, "suppressed")

# %% 5. The map: dominant profile per area (a GeoDataFrame is one call away)
ax = amap.plot()
ax.figure.savefig(OUT / "dominant_profile.png", dpi=100, bbox_inches="tight")
plt.close(ax.figure)
gdf = amap.to_geodataframe()  # .explore() in a notebook, .to_file(...) for QGIS
print(gdf.crs, len(gdf), "areas")

# %% 6. Transit access (PTAL) from the sample GTFS feed
access = qg.transit_access(qg.read_gtfs(SAMPLE / "gtfs"), areas, spacing=100)
print(access.areas[["area_id", "ai_mean", "band_of_mean"]].head())

# %% 7. Proximity to services, each given as PATH:LAYER
services = {
    "alimentation": f"{SAMPLE / 'quartier.gpkg'}:commerces_alimentaires",
    "marches": f"{SAMPLE / 'quartier.gpkg'}:marches",
    "reparation": f"{SAMPLE / 'quartier.gpkg'}:reparation_occasion",
}
near = qg.proximity(areas, services, spacing=100, radius=500)
print(near.areas[["area_id", "dist_alimentation_mean"]].head())

# %% 8. Profiles against the constraints of the place
comparison = qg.compare(
    labelled, areas, access, model=model,
    services={"alimentation": services["alimentation"]}, pattern=amap.pattern,
)  # fmt: skip
print("Cramér's V:", comparison.summary.cramers_v_profiles_ptal)

# %% 9. For the forum: the offline web map and an A3 poster
page = qg.webmap(amap, OUT / "carte.html", transit=access, comparison=comparison,
                 title="Quartier fictif des Tilleuls")  # fmt: skip
pdf, png = qg.poster(amap, model, OUT / "affiche_A3.pdf", size="A3")
print("written:", page, pdf, png)
