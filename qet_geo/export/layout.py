"""The poster as a QGIS print layout (QGIS 3.22 XML, written without QGIS): a ``.qpt``
template beside the matplotlib poster, and the same layout inside the QGIS project, that a
planner edits and exports from QGIS.

On the page (A3 or A0 landscape, type sizes growing with the paper): the study's title and
the number of answers, the map of the area indicators, the profiles "N. name" each beside
a box of its colour (label and shape items: a legend item would list every layer the
project holds), the areas without a dominant profile and the hidden ones, the
statistical-secrecy note, a scale bar, the sources and the date.

Every text from the configuration or the files is escaped for XML and kept from QGIS's
expression evaluation (a label's ``[% … %]`` and ``$CURRENT_DATE`` are shown as written).
Aggregates only: the area map GeoPackage, as for the poster.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from pathlib import Path

import shapely

from ..areas.output import read_area_map
from ..geo import crs_of
from ..i18n import forum_language, tr
from ..io import atomic_path, xml_attr, xml_text
from ..threshold import SUPPRESSED_RULE, suppressed_label
from .poster import SIZES, TEXT, sources_text
from .project import _srs
from .webmap import GREY, profile_table

#: the legend's heading and the layout's name, per language (the rest is the poster's)
WORDS = {
    "fr": {"dominant": "Profil dominant", "name": "Affiche {size} — {title}"},
    "en": {"dominant": "Dominant profile", "name": "Poster {size} — {title}"},
}
FONT = "DejaVu Sans"
_AUTHID = re.compile(r"[A-Za-z]+:\d+")
_DDP = (
    '<Option type="Map"><Option type="QString" value="" name="name"/><Option name="properties"/>'
    '<Option type="QString" value="collection" name="type"/></Option>'
)


def layout_xml(area_map, *, size: str = "A3", title: str | None = None,
               date: dt.date | None = None, language: str = "fr",
               layer_id: str | None = None) -> str:  # fmt: skip
    """The ``<Layout>`` element of the poster of ``area_map`` (an
    :class:`~qet_geo.areas.AreaMap` or its GeoPackage) as QGIS 3.22 writes it, in French
    (default) or ``language="en"``. With ``layer_id`` (the area indicators layer of a
    project), the map item shows that layer only; without (a template), the layers shown
    in the project it is loaded into."""
    lang = forum_language(language)
    if size not in SIZES:
        raise ValueError(tr("poster size {size}: expected one of {sizes}", size=repr(size),
                            sizes=", ".join(SIZES)))  # fmt: skip
    t, w = TEXT[lang], WORDS[lang]
    width, height = SIZES[size]
    k = width / SIZES["A3"][0]  # positions and type sizes grow with the paper
    date = date or dt.date.today()
    areas, profiles, summary = read_area_map(area_map)
    source = str(area_map) if isinstance(area_map, (str, os.PathLike)) else "profiles"
    colours, names = profile_table(profiles, source)
    title = str(title or t["title"])

    items = [
        _label("title", title, 10, 8, 400, 18, k, 30, bold=True),
        _label("subtitle", t["subtitle"].format(n=summary.n), 10, 26, 400, 10, k, 15, colour="51,51,51"),
    ]  # fmt: skip
    map_uuid = _uuid("map", k)
    map_box = (10, 40, 250, 226)
    items.append(_map(map_uuid, map_box, k, areas, layer_id))
    items.append(_scalebar(map_uuid, 12, 268, k))
    x, y = 270, 40
    items.append(_label("legend heading", w["dominant"], x, y, 140, 10, k, 16, bold=True))
    y += 13
    entries = [(f"{p}. {names[p]}", _fill(colours[p])) for p in colours]
    entries.append((t["none"], _fill("#F6F4EE", dotted=True)))  # as on the map (styles.py)
    entries.append((suppressed_label(summary.min_cell, lang), _fill(GREY, hatched=True)))
    step = min(10.0, 150.0 / max(len(entries), 1))  # a long list still fits above the note
    for i, (text, symbol) in enumerate(entries, start=1):
        items.append(_shape(f"legend box {i}", x, y, 9, min(6, step - 2), k, symbol))
        items.append(_label(f"legend {i}", text, x + 12, y - 0.3, 128, step, k, 12))
        y += step
    y = max(y + 6, 215)
    items.append(_label("privacy note", SUPPRESSED_RULE[lang].format(n=summary.min_cell),
                        x, y, 140, 22, k, 11))  # fmt: skip
    items.append(_label("sources", sources_text(summary, date, lang), 10, 281, 400, 14, k, 8, colour="51,51,51"))  # fmt: skip
    page = _item(
        65638, _uuid("page", k), 0, 0, width / k, height / k, k, z=0, background=True,
        children=_fill("#FFFFFF", outline=False),
    )  # fmt: skip
    name = w["name"].format(size=size, title=title)
    return (
        f'<Layout name={xml_attr(name)} units="mm" worldFileMap="" printResolution="300">'
        '<Snapper snapToGuides="1" tolerance="5" snapToItems="1" snapToGrid="0"/>'
        '<Grid resolution="10" offsetUnits="mm" offsetY="0" resUnits="mm" offsetX="0"/>'
        f'<PageCollection>{page}<GuideCollection visible="1"/></PageCollection>'
        + "".join(items)
        + "<customproperties/></Layout>"
    )


def write_layout(path, area_map, *, size: str = "A3", title: str | None = None,
                 date: dt.date | None = None, language: str = "fr") -> Path:  # fmt: skip
    """Write the print layout template (``.qpt``: the ``<Layout>`` element as the document,
    as QGIS saves one) of :func:`layout_xml` to ``path``, atomically."""
    path = Path(path).with_suffix(".qpt")
    xml = layout_xml(area_map, size=size, title=title, date=date, language=language)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(xml, encoding="utf-8")
    return path


def literal(text) -> str:
    """``text`` as a label item shows it: QGIS evaluates ``[% … %]`` and replaces
    ``$CURRENT_DATE`` in a label's text, so each ``[%`` becomes an expression giving "["
    followed by "%", and ``$CURRENT_DATE`` an expression giving its letters."""
    text = str(text).replace("[%", "[% '[' %]%")
    return text.replace("$CURRENT_DATE", "$[% 'CURRENT_DATE' %]")


def _uuid(item_id: str, k: float) -> str:
    """The uuid of an item: the same for the same item of the same paper size, so that two
    runs write the same file."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"qet-geo:layout:{k:g}:{item_id}")) + "}"


def _item(kind: int, uid: str, x, y, w, h, k: float, *, z: int, children: str = "",
          item_id: str = "", background: bool = False, frame: bool = False, **attrs) -> str:  # fmt: skip
    """A ``LayoutItem`` of type ``kind`` at (x, y) mm, size (w, h) mm on an A3 page, scaled
    by ``k`` for larger paper."""
    extra = "".join(f" {key}={xml_attr(value)}" for key, value in attrs.items())
    pos = f"{x * k:g},{y * k:g},mm"
    return (
        f'<LayoutItem type="{kind}" uuid="{uid}" templateUuid="{uid}" id={xml_attr(item_id)} '
        f'position="{pos}" positionOnPage="{pos}" size="{w * k:g},{h * k:g},mm" zValue="{z}" '
        f'frame="{str(frame).lower()}" background="{str(background).lower()}" visibility="1" '
        'itemRotation="0" referencePoint="0" positionLock="false" blendMode="0" opacity="1" '
        f'excludeFromExports="0" groupUuid="" outlineWidthM="0.3,mm" frameJoinStyle="miter"{extra}>'
        '<FrameColor alpha="255" red="68" green="68" blue="68"/>'
        '<BackgroundColor alpha="255" red="255" green="255" blue="255"/>'
        f"<LayoutObject><dataDefinedProperties>{_DDP}</dataDefinedProperties>"
        f"<customproperties/></LayoutObject>{children}</LayoutItem>"
    )


def _label(item_id: str, text, x, y, w, h, k: float, points: float, *, bold: bool = False,
           colour: str = "17,17,17") -> str:  # fmt: skip
    red, green, blue = colour.split(",")
    font = f"{FONT},{points * k:g},-1,5,{75 if bold else 50},0,0,0,0,0"
    return _item(
        65641, _uuid(item_id, k), x, y, w, h, k, z=3, item_id=item_id, labelText=literal(text),
        htmlState="0", marginX="0", marginY="0", halign="1", valign="32",
        children=f'<LabelFont description={xml_attr(font)} style=""/>'
        f'<FontColor alpha="255" red="{red}" green="{green}" blue="{blue}"/>',
    )  # fmt: skip


def _rgba(colour: str) -> str:
    h = colour.lstrip("#")
    return ",".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4)) + ",255"


def _fill_layer(colour: str, style: str, outline: bool) -> str:
    props = {"color": _rgba(colour), "style": style, "outline_color": "68,68,68,255",
             "outline_style": "solid" if outline else "no", "outline_width": "0.26",
             "outline_width_unit": "MM", "joinstyle": "miter"}  # fmt: skip
    return (
        '<layer class="SimpleFill" enabled="1" locked="0" pass="0">'
        + "".join(f'<prop k="{key}" v="{value}"/>' for key, value in props.items())
        + "</layer>"
    )


def _fill(colour: str, *, hatched: bool = False, dotted: bool = False, outline: bool = True) -> str:
    """A fill ``symbol`` of a checked "#RRGGBB" colour; ``hatched``: diagonal lines over;
    ``dotted``: grey dots over."""
    layers = _fill_layer(colour, "solid", outline)
    if hatched:
        layers += _fill_layer("#666666", "b_diagonal", False)
    if dotted:
        layers += _fill_layer("#8C8C8C", "dense6", False)
    return (
        f'<symbol type="fill" name="" alpha="1" clip_to_extent="1" force_rhr="0">{layers}</symbol>'
    )


def _shape(item_id: str, x, y, w, h, k: float, symbol: str) -> str:
    return _item(65643, _uuid(item_id, k), x, y, w, h, k, z=2, item_id=item_id, shapeType="1",
                 cornerRadiusMeasure="0,mm", children=symbol)  # fmt: skip


def _map(uid: str, box, k: float, areas, layer_id: str | None, *, source: str | None = None,
         name: str | None = None, provider: str = "ogr", style: str | None = None) -> str:  # fmt: skip
    """The map item of ``areas``' extent and CRS; with ``layer_id``, showing that layer only
    (with ``source`` and ``name``, a template's layer QGIS finds in the project it is loaded
    into by its name, source and ``provider``), drawn with ``style`` (a QML document: the
    item keeps it, whatever the layer's current style) when given."""
    x, y, w, h = box
    extent = '<Extent xmin="0" ymin="0" xmax="0" ymax="0"/>'
    geometries = areas["geometry"].dropna().to_numpy() if "geometry" in areas else []
    if len(geometries):  # the areas' bounds, padded, widened to the item's proportions
        x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(geometries))
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half_w, half_h = max(x1 - x0, 1e-9) * 0.52, max(y1 - y0, 1e-9) * 0.52
        if half_w / half_h < w / h:
            half_w = half_h * w / h
        else:
            half_h = half_w * h / w
        extent = (
            f'<Extent xmin="{cx - half_w!r}" ymin="{cy - half_h!r}" xmax="{cx + half_w!r}" '
            f'ymax="{cy + half_h!r}"/>'
        )
    crs = crs_of(areas)
    if crs:
        srs = _srs(crs) if _AUTHID.fullmatch(crs) else (
            f'<spatialrefsys nativeFormat="Wkt"><wkt>{xml_text(crs)}</wkt></spatialrefsys>'
        )  # fmt: skip
        extent += f"<crs>{srs}</crs>"
    ref = (f" name={xml_attr(name)} source={xml_attr(source)} provider={xml_attr(provider)}"
           if source is not None else "")  # fmt: skip
    layers = f"<Layer{ref}>{xml_text(layer_id)}</Layer>" if layer_id else ""
    return _item(
        65639, uid, x, y, w, h, k, z=1, item_id="map", frame=True, background=True,
        keepLayerSet="true" if layer_id else "false", drawCanvasItems="true", mapRotation="0",
        followPreset="false", followPresetName="", isTemporal="0", mapFlags="0",
        labelMargin="0,mm",
        children=f"{extent}<LayerSet>{layers}</LayerSet>"
        + _layer_style(layer_id, style, ref)
        + '<AtlasMap scalingMode="2" margin="0.1" atlasDriven="0"/>',
    )  # fmt: skip


def _layer_style(layer_id: str | None, style: str | None, ref: str) -> str:
    """The map item's own style of its layer (``<LayerStyles>``, as QGIS 3.22 writes a map
    item that keeps its layer styles); "" without a style."""
    if not layer_id or not style:
        return ""
    body = style[style.index("<qgis") :] if "<qgis" in style else style  # no DOCTYPE inside
    return (f"<LayerStyles><LayerStyle layerid={xml_attr(layer_id)}{ref}>{body}</LayerStyle>"
            "</LayerStyles>")  # fmt: skip


def _scalebar(map_uuid: str, x, y, k: float) -> str:
    text = (
        f'<text-style fontFamily="{FONT}" fontSize="{10 * k:g}" fontSizeUnit="Point" '
        'textColor="17,17,17,255" fontWeight="50" fontItalic="0" textOpacity="1" '
        'multilineHeight="1" blendMode="0" allowHtml="0"/>'
    )
    return _item(
        65646, _uuid("scale bar", k), x, y, 90, 11, k, z=4, item_id="scale bar", mapUuid=map_uuid,
        style="Single Box", unitType="meters", unitLabel="m", numSegments="2",
        numSegmentsLeft="0", numSubdivisions="1", subdivisionsHeight="1.5",
        numUnitsPerSegment="100", segmentSizeMode="1", minBarWidth=f"{25 * k:g}",
        maxBarWidth=f"{40 * k:g}", numMapUnitsPerScaleBarUnit="1", height=f"{2.5 * k:g}",
        labelBarSpace="2", boxContentSpace="1", alignment="0", outlineWidth="0.3",
        lineJoinStyle="miter", lineCapStyle="square", labelVerticalPlacement="0",
        labelHorizontalPlacement="0",
        children=text + '<strokeColor alpha="255" red="0" green="0" blue="0"/>'
        '<fillColor alpha="255" red="0" green="0" blue="0"/>'
        '<fillColor2 alpha="255" red="255" green="255" blue="255"/>',
    )  # fmt: skip
