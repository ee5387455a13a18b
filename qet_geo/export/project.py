"""A QGIS project (.qgz) beside the outputs, layers styled and ordered, so that a
facilitator opens one file.

Written as QGIS's own XML (no QGIS needed), with paths relative to the project so that
the folder can be copied to another computer. The area indicators carry the dominant
profile style; PTAL, the bivariate classes and proximity are there, hidden, to switch on.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
import xml.etree.ElementTree as ET
import zipfile
from contextlib import closing
from pathlib import Path

from .. import geo
from ..errors import InputError, Problem
from ..i18n import Message, forum_language
from ..io import atomic_path, read_only_uri, xml_attr, xml_text
from ..styles import qgis_version

#: (layer name in the GeoPackage, title, shown) of each known output, top first; each
#: layer carries its style in its GeoPackage (``qet_geo/styles.py``)
KNOWN = {
    "areas": [("area_indicators", "Profil dominant par zone", True)],
    "ptal": [("ptal_areas", "Accessibilité en transports (PTAL) par zone", False),
             ("ptal_grid", "PTAL — grille", False)],
    "compare": [("compare_areas", "Profil × accès aux transports (bivarié)", False)],
    "proximity": [("proximity_areas", "Proximité des services", False)],
    # the diagnostic (docs/diagnostic.md): its estimates per area, then its tables, which
    # draw nothing (shown: they are only there to be opened)
    "diagnostic": [("area_estimates", "Diagnostic — empreinte carbone estimée par zone", False),
                   ("satisfaction", "Satisfaction du cadre de vie (tableau)", True),
                   ("wishes", "Envie de changer (tableau)", True),
                   ("barriers", "Freins au changement (tableau)", True),
                   ("carbon", "Empreinte carbone par secteur (tableau)", True),
                   ("profiles", "Profils du diagnostic (tableau)", True),
                   ("place_bands", "Face au lieu : transports et commerces par classe (tableau)", True),
                   ("area_satisfaction", "Satisfaction par zone, répondants localisés (tableau)", True),
                   ("area_wishes", "Envie de changer par zone, répondants localisés (tableau)", True),
                   ("area_barriers", "Freins par zone, répondants localisés (tableau)", True),
                   ("area_carbon", "Empreinte carbone par zone, répondants localisés (tableau)", True),
                   # the room for manoeuvre and the forum's subjects (docs/manoeuvre.md)
                   ("area_potentials", "Forum — potentiel de réduction par habitant et par zone", False),
                   ("forum_subjects", "Sujets du forum, classés (tableau)", True),
                   ("levers", "Marges de manœuvre par levier et profil (tableau)", True),
                   ("structural", "Là où une action publique débloquerait un potentiel (tableau)", True)],
}  # fmt: skip
#: the layer-tree group of each kind's layers (the others at the top level)
GROUPS = {"diagnostic": {"fr": "Diagnostic", "en": "Diagnostic"}}
#: the layer titles and the project's title in English (the French ones are above)
TITLES_EN = {"area_indicators": "Dominant profile per area",
             "ptal_areas": "Public transport access (PTAL) per area", "ptal_grid": "PTAL — grid",
             "compare_areas": "Profile × transit access (bivariate)",
             "proximity_areas": "Proximity of services",
             "area_estimates": "Diagnostic — estimated carbon footprint per area",
             "satisfaction": "Satisfaction with the living environment (table)",
             "wishes": "Willingness to change (table)", "barriers": "Barriers to change (table)",
             "carbon": "Carbon footprint per sector (table)",
             "profiles": "Profiles of the diagnostic (table)",
             "place_bands": "Against the place: transit and shops per band (table)",
             "area_satisfaction": "Satisfaction per area, located respondents (table)",
             "area_potentials": "Forum — reduction potential per resident and area",
             "forum_subjects": "Forum subjects, ranked (table)",
             "levers": "Room for manoeuvre per lever and profile (table)",
             "structural": "Where a public action would unlock a potential (table)",
             "area_wishes": "Willingness to change per area, located respondents (table)",
             "area_barriers": "Barriers per area, located respondents (table)",
             "area_carbon": "Carbon footprint per area, located respondents (table)"}  # fmt: skip
TITLE = {"fr": "Sphères d'Usages du quartier", "en": "Usage profiles of the neighbourhood"}
#: the parts of a layer's style a project embeds (nothing else of a stored style is read)
STYLE_PARTS = ("renderer-v2", "labeling", "aliases")


def default_style(gpkg: Path, layer: str) -> str | None:
    """The QML of ``layer``'s default style in the GeoPackage ``gpkg`` (its
    ``layer_styles`` row marked ``useAsDefault``), None when it has none."""
    try:
        with closing(sqlite3.connect(read_only_uri(gpkg), uri=True)) as db:
            row = db.execute(
                "SELECT styleQML FROM layer_styles WHERE f_table_name = ? AND useAsDefault = 1 "
                "ORDER BY id DESC",
                (layer,),
            ).fetchone()
    except sqlite3.DatabaseError:  # no layer_styles table: no style
        return None
    return str(row[0]) if row else None


def write_project(path, outputs: dict, title: str | None = None, language: str = "fr",
                  layouts=None) -> Path:  # fmt: skip
    """Write ``path`` (.qgz) with the layers of ``outputs`` (kind → GeoPackage path, kinds
    of :data:`KNOWN`: ``"diagnostic"`` is the published diagnostic, its layers in a group
    "Diagnostic"), paths relative to the project; atomically. Titles in French (default)
    or ``language="en"``; ``title`` by default the study's in that language. ``layouts``:
    a function of {GeoPackage layer name: the project's layer id} giving the print layouts'
    ``<Layout>`` elements (:func:`~qet_geo.export.layout.layout_xml`)."""
    lang = forum_language(language)
    title = title or TITLE[lang]

    path = Path(path).with_suffix(".qgz")
    layers = []
    crs = None
    for kind, gpkg in outputs.items():
        if gpkg is None or kind not in KNOWN:
            continue
        gpkg = Path(gpkg)
        present = _gpkg_layers(gpkg)
        for layer, name, shown in KNOWN[kind]:
            if layer not in present:
                continue
            name = TITLES_EN.get(layer, name) if lang == "en" else name
            geometry_type, layer_crs = present[layer]
            crs = crs or layer_crs
            relative = Path(_relative(gpkg, path.parent))
            group = GROUPS.get(kind, {}).get(lang)
            source = f"./{relative.as_posix()}|layername={layer}"
            layers.append((layer_id_of(source), name, shown, source,
                           geometry_type, layer_crs, style_parts(default_style(gpkg, layer)), group))  # fmt: skip
    if not layers:
        raise InputError(Problem.of(", ".join(str(p) for p in outputs.values() if p), "no output to put in the project",
                                    expected="the area map GeoPackage (layer area_indicators) and other qet-geo outputs"))  # fmt: skip
    if not any(shown and geom for _, _, shown, _, geom, *_ in layers):
        # no map shown (the diagnostic alone): its first map layer is
        first = next((i for i, layer in enumerate(layers) if layer[4]), None)
        if first is not None:
            layers[first] = (*layers[first][:2], True, *layers[first][3:])
    tree = _tree(layers)
    maplayers = "".join(
        f'<maplayer type="vector" geometry="{_geometry(geom)}" autoRefreshEnabled="0" '
        f'refreshOnNotifyEnabled="0" labelsEnabled="{1 if labels else 0}">'
        f"<id>{lid}</id><datasource>{xml_text(source)}</datasource><layername>{xml_text(name)}</layername>"
        + (f"<srs>{_srs(layer_crs or '')}</srs>" if geom else "")
        + f'<provider encoding="UTF-8">ogr</provider>{style}</maplayer>'
        for lid, name, shown, source, geom, layer_crs, (style, labels), _ in layers
    )
    order = "".join(f'<layer id="{lid}"/>' for lid, _, _, _, geom, *_ in layers if geom)
    xml = (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
        f'<qgis projectname={xml_attr(title)} version="{qgis_version()}">'
        f'<homePath path=""/><title>{xml_text(title)}</title>'
        f"<projectCrs>{_srs(crs or 'EPSG:4326')}</projectCrs>"
        f"<layer-tree-group><customproperties/>{tree}</layer-tree-group>"
        f"<projectlayers>{maplayers}</projectlayers>"
        f"<layerorder>{order}</layerorder>"
        '<properties><Paths><Absolute type="bool">false</Absolute></Paths>'
        '<SpatialRefSys><ProjectionsEnabled type="int">1</ProjectionsEnabled></SpatialRefSys></properties>'
        + _layouts(layouts, layers)
        + "</qgis>"
    )
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path.stem + ".qgs", xml)
    return path


def _tree(layers) -> str:
    """The layer tree: the layers of no group, then each group with its layers, in order."""

    def node(lid, name, shown, source) -> str:
        return (f'<layer-tree-layer expanded="1" checked="{"Qt::Checked" if shown else "Qt::Unchecked"}" '
                f'id="{lid}" name={xml_attr(name)} source={xml_attr(source)} providerKey="ogr">'
                "<customproperties/></layer-tree-layer>")  # fmt: skip

    out = [node(*layer[:4]) for layer in layers if layer[-1] is None]
    for group in dict.fromkeys(layer[-1] for layer in layers if layer[-1] is not None):
        inner = "".join(node(*layer[:4]) for layer in layers if layer[-1] == group)
        out.append(f'<layer-tree-group name={xml_attr(group)} expanded="1" checked="Qt::Checked">'
                   f"<customproperties/>{inner}</layer-tree-group>")  # fmt: skip
    return "".join(out)


def _layouts(layouts, layers) -> str:
    """The project's ``<Layouts>`` element: those ``layouts`` gives for ``layers``' ids."""
    if layouts is None:
        return ""
    ids = {source.rsplit("|layername=", 1)[-1]: lid for lid, _, _, source, *_ in layers}
    return f"<Layouts>{layouts(ids)}</Layouts>"


def style_parts(qml) -> tuple[str, bool]:
    """The renderer, labels and aliases of a style (QML) read from a GeoPackage, parsed and
    written again, and whether its labels are on: whole elements of :data:`STYLE_PARTS`
    only, whatever the file holds (text cut out of it could close the project's own
    elements and add others, Python macros included); ("", False) when there is no style
    or it is not well-formed XML (QGIS then uses its default style)."""
    if not qml:
        return "", False
    try:
        root = ET.fromstring(str(qml))
    except ET.ParseError:
        return "", False
    parts = []
    for tag in STYLE_PARTS:
        found = root if root.tag == tag else root.find(f".//{tag}")
        if found is not None:
            found.tail = None
            parts.append(ET.tostring(found, encoding="unicode"))
    labels = root.get("labelsEnabled") == "1" and root.find(".//labeling") is not None
    return "".join(parts), labels


def _gpkg_layers(gpkg: Path) -> dict:
    """{layer: (geometry type, "AUTHORITY:CODE" or None)} of a GeoPackage's feature
    tables, and {table: ("", None)} of its attribute tables, read from its own tables (no
    GDAL needed)."""
    if not Path(gpkg).is_file():
        raise InputError(Problem.of(str(gpkg), "file not found", expected="a GeoPackage"))
    try:
        with closing(sqlite3.connect(read_only_uri(gpkg), uri=True)) as db:
            rows = db.execute(
                "SELECT g.table_name, g.geometry_type_name, s.organization, s.organization_coordsys_id "
                "FROM gpkg_geometry_columns g LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id"
            ).fetchall()
            tables = db.execute(
                "SELECT table_name FROM gpkg_contents WHERE data_type = 'attributes'"
            ).fetchall()
    except sqlite3.DatabaseError as exc:  # not SQLite, or SQLite without the GeoPackage tables
        raise InputError(
            Problem.of(str(gpkg), Message("not a readable GeoPackage: {error}", error=str(exc)),
                       expected="a GeoPackage written by qet-geo")
        ) from exc  # fmt: skip
    found = {str(table): ("", None) for (table,) in tables}
    found.update({
        str(table): (str(kind), f"{org.upper()}:{code}" if org and code and int(code) > 0 else None)
        for table, kind, org, code in rows
    })  # fmt: skip
    return found


def _geometry(kind: str) -> str:
    kind = (kind or "").lower()
    if "polygon" in kind:
        return "Polygon"
    if "line" in kind:
        return "Line"
    if "point" in kind:
        return "Point"
    return "No geometry"


def layer_id_of(source: str) -> str:
    """The id of the project layer of ``source`` (``./file.gpkg|layername=name``, relative to
    the project): stable, so that a print layout template naming it (a forum subject's
    panel beside the project) finds it in the project by its id."""
    name = source.rsplit("|layername=", 1)[-1]
    return f"{name}_{uuid.uuid5(uuid.NAMESPACE_URL, f'qet-geo:{source}').hex}"


def template_source(gpkg, folder, layer: str) -> str:
    """The source of ``gpkg``'s ``layer`` as a template in ``folder`` names it: relative to
    the folder when the GeoPackage is in it (beside the project of a run), else its file name
    alone; never an absolute path (the organiser's folders stay out of published files)."""
    path, folder = Path(gpkg).resolve(), Path(folder).resolve()
    try:
        relative = path.relative_to(folder).as_posix()
    except ValueError:
        relative = path.name
    return f"./{relative}|layername={layer}"


def _relative(target: Path, folder: Path) -> str:
    return os.path.relpath(Path(target).resolve(), Path(folder).resolve())


def _srs(authid: str) -> str:
    """A spatialrefsys element QGIS 3.22 reads from its authority id alone."""
    srid = authid.split(":", 1)[1] if authid.upper().startswith("EPSG:") else ""
    try:
        wkt = geo.backend().crs_wkt(authid) if authid else ""
    except Exception:  # noqa: BLE001 - QGIS then finds it by its id
        wkt = ""
    return (
        f'<spatialrefsys nativeFormat="Wkt"><wkt>{xml_text(wkt)}</wkt><proj4></proj4><srsid>0</srsid>'
        f"<srid>{xml_text(srid)}</srid><authid>{xml_text(authid)}</authid><description></description>"
        "<projectionacronym></projectionacronym><ellipsoidacronym></ellipsoidacronym>"
        "<geographicflag>false</geographicflag></spatialrefsys>"
    )
