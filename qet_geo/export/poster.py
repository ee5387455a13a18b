"""A poster of the diagnostic for a neighbourhood forum, in French (default) or English: the
map of dominant profiles (small areas grey and hatched), the profile portraits, the footprint breakdown,
sources and date; PDF and PNG, A3 or A0, with type sizes read across a room.

Aggregates only (the area map GeoPackage and the profile model's portraits).
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..areas.indicators import AreaMap
from ..areas.output import check_area_map, read_area_map
from ..footprint.su import ngc_average
from ..geo import read_frame
from ..i18n import forum_language, tr
from ..io import atomic_path
from ..parameters import AREA_MAP_OR_FILE, check_argument
from ..threshold import SUPPRESSED_NOTE, suppressed_label
from .params import POSTER_SIZES
from .webmap import profile_table

#: paper sizes in millimetres (landscape)
SIZES = {"A3": (420.0, 297.0), "A0": (1189.0, 841.0)}
USAGE_COLOURS = {"alimentation": "#117733", "avion": "#88CCEE", "mobilite": "#DDCC77",
                 "achats": "#CC6677", "numerique": "#AA4499"}  # fmt: skip
USAGE_NAMES = {"alimentation": "Alimentation", "avion": "Avion", "mobilite": "Mobilité",
               "achats": "Achats", "numerique": "Numérique"}  # fmt: skip
#: The poster's words, per language (names come from the model as they are; descriptions are
#: made in the poster's language).
TEXT = {
    "fr": {
        "title": "Sphères d'Usages du quartier",
        "subtitle": "Qui partage quelles habitudes, où, avec quelle empreinte — {n} réponses",
        "none": "aucun profil nettement dominant",
        "profiles": "Les profils",
        "study": "étude",
        "france": "France",
        "axis": "t CO2e par an et par personne (cinq usages, Nos Gestes Climat)",
        "footprint": "Empreinte par usage",
        "usages": USAGE_NAMES,
        "sources": "Sources : enquête Sphères d'Usages (Quartiers en Transitions) ; empreintes Nos Gestes Climat 4.10.2 "
                   "(ADEME, MIT) ; {census}carte et calculs qet-geo, {date}. ",
        "census": "INSEE recensement {year} ; ",
        "no_answer": " Aucune réponse individuelle n'est montrée.",
        "percent": " %",
    },
    "en": {
        "title": "Usage profiles of the neighbourhood",
        "subtitle": "Who shares which habits, where, with which footprint — {n} answers",
        "none": "no clearly dominant profile",
        "profiles": "The profiles",
        "study": "study",
        "france": "France",
        "axis": "t CO2e per year and per person (five usages, Nos Gestes Climat)",
        "footprint": "Footprint per usage",
        "usages": {"alimentation": "Food", "avion": "Air travel", "mobilite": "Mobility",
                   "achats": "Purchases", "numerique": "Digital"},
        "sources": "Sources: Sphères d'Usages survey (Quartiers en Transitions); Nos Gestes Climat 4.10.2 "
                   "footprints (ADEME, MIT); {census}map and computations by qet-geo, {date}. ",
        "census": "INSEE census {year}; ",
        "no_answer": " No individual answer is shown.",
        "percent": "%",
    },
}  # fmt: skip


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import matplotlib.pyplot as plt
    matplotlib.rcParams["pdf.fonttype"] = 42  # text kept as text in the PDF
    return plt


def build_poster(area_map, model=None, *, size: str = "A3", title: str | None = None,
                 date: dt.date | None = None, language: str = "fr"):  # fmt: skip
    """The poster as a matplotlib figure, in French (default) or ``language="en"``, of an
    :class:`~qet_geo.areas.AreaMap` or of the GeoPackage written from it; ``model``: a
    fitted :class:`~qet_geo.profiles.ProfileModel` or its file."""
    if isinstance(model, (str, Path)):
        from ..profiles.model import ProfileModel  # scikit-learn: only when asked

        model = ProfileModel.load(model)
    lang = forum_language(language)
    t = TEXT[lang]
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Patch, PathPatch

    plt = _pyplot()
    fig, scale, base = page(size)
    date = date or dt.date.today()

    areas, profiles, summary = read_area_map(area_map)
    n_min = summary.min_cell
    source = "profiles" if isinstance(area_map, AreaMap) else str(area_map)
    colours, names = profile_table(profiles, source)
    names = {p: _plain(name) for p, name in names.items()}
    # the portraits as published (profiles under the threshold grouped, without portrait)
    portraits = {
        e["profile"]: e for e in (model.published_profiles(lang) if model is not None else [])
    }
    heading(fig, base, title or t["title"], t["subtitle"].format(n=summary.n))
    # the map
    ax = fig.add_axes([0.02, 0.10, 0.50, 0.78])
    ax.set_axis_off()
    fill = []
    for row in areas.itertuples():
        if bool(row.suppressed):
            fill.append("#BEBEBE")
        elif row.dominant_profile is not None and not pd.isna(row.dominant_profile):
            fill.append(colours.get(int(row.dominant_profile), "#FFFFFF"))
        else:
            fill.append("#FFFFFF")
    geometries = np.asarray(areas["geometry"].to_numpy(), dtype=object)
    suppressed = areas["suppressed"].astype(bool).to_numpy()
    # one collection of the areas (and one of the hatched ones) drawn at once: a country's
    # 50,000 areas as 50,000 patches took minutes
    shapes, shape_fill, hatched = [], [], []
    for geometry, colour, hidden in zip(geometries, fill, suppressed, strict=True):
        path = _path(geometry)
        if path is None:
            continue
        shapes.append(PathPatch(path))
        shape_fill.append(colour)
        if hidden:
            hatched.append(PathPatch(path))
    if shapes:
        ax.add_collection(PatchCollection(shapes, facecolors=shape_fill, edgecolors="#444444",
                                          linewidths=0.6 * scale))  # fmt: skip
    if hatched:
        ax.add_collection(PatchCollection(hatched, facecolors="none", edgecolors="#666666",
                                          hatch="///", linewidths=0))  # fmt: skip
    present = geometries[~pd.isna(geometries)]
    if len(present):
        x0, y0, x1, y1 = shapely.total_bounds(present)
        pad = 0.02 * max(x1 - x0, y1 - y0)
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    if len(present) <= 60:  # names only where they can be read
        for row, geometry, colour in zip(areas.itertuples(), geometries, fill, strict=True):
            if geometry is None or pd.isna(geometry):
                continue
            point = geometry.representative_point()
            ax.annotate(_plain(row.area_name), (point.x, point.y), ha="center", va="center", fontsize=base * 0.55,
                        color="#FFFFFF" if _dark(colour) else "#111111")  # fmt: skip
    handles = [
        Patch(facecolor=colours[p], edgecolor="#444444", label=f"{p}. {names[p]}") for p in colours
    ]
    handles.append(Patch(facecolor="#FFFFFF", edgecolor="#444444", label=t["none"]))
    handles.append(
        Patch(
            facecolor="#BEBEBE",
            edgecolor="#666666",
            hatch="///",
            label=suppressed_label(n_min, lang),
        )
    )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.01), fontsize=base * 0.8,
              frameon=False, ncol=1)  # fmt: skip
    # portraits
    y = 0.86
    fig.text(0.55, y, t["profiles"], fontsize=base * 1.6, weight="bold", va="top")
    y -= 0.045
    wrap = int(70 / max(scale, 1) * max(scale, 1))
    for p in colours:
        entry = portraits.get(p, {})
        share = entry.get("share")
        header = f"{p}. {names[p]}" + (
            f" — {share * 100:.0f}{t['percent']}" if share is not None else ""
        )
        fig.patches.append(plt.Rectangle((0.55, y - 0.022), 0.012, 0.022, transform=fig.transFigure,
                                         facecolor=colours[p], edgecolor="#444444"))  # fmt: skip
        fig.text(0.567, y, header, fontsize=base * 1.05, weight="bold", va="top")
        y -= 0.03
        description = entry.get("description", "")
        if description:
            body = _plain(_sentences(description, wrap, max_lines=5))
            lines = body.count("\n") + 1
            fig.text(0.567, y, body, fontsize=base * 0.72, va="top", color="#222222")
            y -= 0.022 * lines + 0.012
        else:
            y -= 0.01
    # footprint breakdown
    axf = fig.add_axes([0.60, 0.12, 0.36, max(0.12, min(0.25, y - 0.17))])
    rows, labels = [], []
    for p in colours:
        if (portraits.get(p) or {}).get("group"):
            continue  # no portrait for the small profiles grouped
        fp = (portraits.get(p) or {}).get("footprints") or {}
        rows.append([fp.get(u) or 0.0 for u in USAGE_COLOURS])
        labels.append(f"{p}")
    study = next(
        (e["footprints_study"] for e in portraits.values() if e.get("footprints_study")), {}
    )
    if study:
        rows.append([study.get(u) or 0.0 for u in USAGE_COLOURS])
        labels.append(t["study"])
    try:
        average = ngc_average()
        rows.append([average[u] for u in USAGE_COLOURS])
        labels.append(t["france"])
    except Exception:  # noqa: BLE001 - the average is a bonus
        pass
    values = np.array(rows, dtype=float) / 1000 if rows else np.zeros((0, 5))
    left = np.zeros(len(values))
    for j, usage in enumerate(USAGE_COLOURS):
        if len(values):
            axf.barh(range(len(values)), values[:, j], left=left, color=USAGE_COLOURS[usage],
                     label=t["usages"][usage], edgecolor="white")  # fmt: skip
            left += values[:, j]
    axf.set_yticks(range(len(labels)), labels, fontsize=base * 0.8)
    axf.invert_yaxis()
    axf.set_xlabel(t["axis"], fontsize=base * 0.8)
    axf.tick_params(axis="x", labelsize=base * 0.7)
    axf.set_title(t["footprint"], fontsize=base * 1.1, loc="left", weight="bold")
    axf.legend(
        fontsize=base * 0.65, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.28), frameon=False
    )
    for spine in ("top", "right"):
        axf.spines[spine].set_visible(False)
    footer(fig, base, sources_text(summary, date, lang))  # the census year read from the file
    return fig


def page(size: str):
    """A blank poster page of paper ``size`` (:data:`SIZES`): (figure, scale, base type
    size in points); the type sizes grow with the paper, so that the A0 reads across a room
    as the A3 at arm's length."""
    plt = _pyplot()
    if size not in SIZES:
        raise ValueError(tr("poster size {size}: expected one of {sizes}", size=repr(size),
                            sizes=", ".join(SIZES)))  # fmt: skip
    width_mm, height_mm = SIZES[size]
    scale = width_mm / SIZES["A3"][0]
    fig = plt.figure(figsize=(width_mm / 25.4, height_mm / 25.4))
    return fig, scale, 13 * scale


def heading(fig, base: float, title: str, subtitle: str) -> None:
    """The title and subtitle at the top of a poster (drawn as written: no math mode)."""
    fig.text(0.02, 0.965, _plain(title), fontsize=base * 2.6, weight="bold", va="top")
    fig.text(0.02, 0.905, _plain(subtitle), fontsize=base * 1.3, va="top", color="#333333")


def footer(fig, base: float, sources: str) -> None:
    """The sources line at the bottom of a poster, wrapped."""
    fig.text(0.02, 0.02, _plain(textwrap.fill(sources, width=130)), fontsize=base * 0.7,
             color="#333333", va="bottom")  # fmt: skip


def date_text(date: dt.date, language: str = "fr") -> str:
    """A poster's date: 01/03/2026 in French, 2026-03-01 in English."""
    return date.isoformat() if language == "en" else date.strftime("%d/%m/%Y")


def sources_text(summary, date: dt.date, language: str = "fr") -> str:
    """The sources line of the posters (matplotlib and QGIS print layout): the sources,
    the census year read from the area map's ``summary``, the date, the statistical
    secrecy note; in French (default) or ``language="en"``."""
    lang = forum_language(language)
    t = TEXT[lang]
    census = summary.census_year
    return (
        t["sources"].format(
            census=t["census"].format(year=census) if census else "",
            date=date_text(date, lang),
        )
        + SUPPRESSED_NOTE[lang].format(n=summary.min_cell)
        + t["no_answer"]
    )


def _plain(text) -> str:
    """Text from the data drawn as it is: a "$" would start matplotlib's math mode."""
    return str(text).replace("$", r"\$")


def _path(geometry):
    """A matplotlib Path of a (multi)polygon, holes included; None when empty."""
    from matplotlib.path import Path as MplPath

    if geometry is None or geometry.is_empty:
        return None
    polygons = getattr(geometry, "geoms", [geometry])
    vertices, codes = [], []
    for polygon in polygons:
        if polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            vertices.append(xy)
            codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY])
    if not vertices:
        return None
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _dark(colour: str) -> bool:
    """Is a fill dark enough to need white text (relative luminance under 0.4)?"""
    h = colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4


def _sentences(description: str, width: int, max_lines: int) -> str:
    """The description without its first sentence (name and share, shown above), as many
    whole sentences as fit in ``max_lines`` wrapped lines."""
    parts = [p.strip() for p in description.replace(". ", ".\n").splitlines() if p.strip()]
    parts = parts[1:] if len(parts) > 1 else parts
    chosen = []
    for part in parts:
        text = textwrap.fill(" ".join([*chosen, part]), width=width)
        if text.count("\n") + 1 > max_lines and chosen:
            break
        chosen.append(part)
    return textwrap.fill(" ".join(chosen), width=width)


def write_poster(path, area_map, model=None, *, size: str = "A3", title=None, date=None,
                 png: bool = True, language: str = "fr") -> list[Path]:  # fmt: skip
    """Write the poster as PDF (vector) and, with ``png``, as PNG beside it (150 dpi for
    A3, 50 dpi for A0); written atomically; in French (default) or ``language="en"``."""
    fig = build_poster(area_map, model, size=size, title=title, date=date, language=language)
    return save_poster(fig, path, size=size, png=png)


def save_poster(fig, path, *, size: str = "A3", png: bool = True) -> list[Path]:
    """Write the figure ``fig`` as PDF (vector) at ``path`` and, with ``png``, as PNG beside
    it (150 dpi for A3, 50 dpi for A0), atomically, and close it: the files written."""
    plt = _pyplot()
    written = poster_files(path, png=png)
    try:  # the PDF is moved into place only once the PNG is: a full disk leaves neither
        with atomic_path(written[0]) as tmp:
            fig.savefig(tmp, format="pdf")
            if png:
                with atomic_path(written[1]) as tmp_png:
                    fig.savefig(tmp_png, format="png", dpi=150 if size == "A3" else 50)
    finally:
        plt.close(fig)
    return written


def poster_paths(path, sizes) -> dict[str, Path]:
    """Paper size → the PDF to write for each of ``sizes`` (the first of
    :data:`~qet_geo.export.params.POSTER_SIZES` when none): ``path`` for one size, one file
    per size otherwise (``<stem>_A0.pdf``…)."""
    sizes = list(dict.fromkeys(sizes or [POSTER_SIZES[0]]))
    outputs = {}
    for size in sizes:
        pdf = Path(path)
        if len(sizes) > 1:
            pdf = pdf.with_name(f"{pdf.stem}_{size}{pdf.suffix or '.pdf'}")
        outputs[size] = pdf
    return outputs


def poster_files(path, png: bool = True) -> list[Path]:
    """The files :func:`write_poster` writes for ``path``: the PDF and the PNG beside it."""
    pdf = Path(path).with_suffix(".pdf")
    return [pdf, pdf.with_suffix(".png")] if png else [pdf]


def area_profiles(area_map) -> tuple[dict, dict]:
    """({profile: colour}, {profile: name}) of an area map (an
    :class:`~qet_geo.areas.AreaMap` or its GeoPackage), in profile order: the names and
    colours its maps and posters show, those the diagnostic's poster takes
    (:func:`~qet_geo.export.diagnostic_poster.write_diagnostic_poster`). A file that is not
    an area map is refused."""
    if isinstance(area_map, AreaMap):
        return profile_table(area_map.profiles, "profiles")
    check_area_map(area_map)
    return profile_table(read_frame(area_map, "profiles"), str(area_map))


def diagnostic_poster_path(path, size: str) -> Path:
    """The diagnostic's poster written beside the profiles' poster ``path`` of paper
    ``size``, named as ``qet-geo run`` names it: ``affiche_A3.pdf`` →
    ``affiche_diagnostic_A3.pdf``, ``affiche.pdf`` → ``affiche_diagnostic.pdf``."""
    pdf = Path(path).with_suffix(".pdf")
    end = f"_{size}"
    if pdf.stem.endswith(end) and len(pdf.stem) > len(end):
        return pdf.with_name(f"{pdf.stem[: -len(end)]}_diagnostic{end}.pdf")
    return pdf.with_name(f"{pdf.stem}_diagnostic.pdf")


def poster(area_map, model=None, path="affiche.pdf", *, size: str = "A3", title=None,
           date=None, png: bool = True, language: str = "fr") -> list[Path]:  # fmt: skip
    """Write a forum poster: the map of dominant profiles, the profiles' portraits and
    the study's key figures, as a vector PDF and a PNG beside it.

    Parameters
    ----------
    area_map : AreaMap, str or pathlib.Path
        The indicators per area (:func:`qet_geo.map_areas`), or their GeoPackage.
    model : ProfileModel, optional
        The fitted model: its portraits are printed beside the map.
    path : str or pathlib.Path
        The PDF to write (atomically); the PNG gets the same name.
    size : {"A3", "A0"}
        The paper size (the PNG at 150 dpi for A3, 50 dpi for A0).
    title, date, language
        The title printed (default the method's), the date (default today), the language
        ("fr" or "en").
    png : bool
        Write the PNG too.

    Returns
    -------
    list of pathlib.Path
        The PDF and, with ``png``, the PNG.

    References
    ----------
    [QeT-method]: the forum it serves; [Gale-2016]: the portraits;
    [Tol-colour-schemes], [Okabe-Ito-2008]: the profiles' colours; [NGC-model]: the
    footprints, credited on the poster. The page is ``docs/forum.md``.

    Examples
    --------
    >>> import qet_geo as qg
    >>> qg.poster(amap, model, "out/affiche_A3.pdf")  # doctest: +SKIP
    [PosixPath('out/affiche_A3.pdf'), PosixPath('out/affiche_A3.png')]
    """
    check_argument(area_map, (AreaMap, str, os.PathLike), "poster", "area_map", AREA_MAP_OR_FILE)
    return write_poster(path, area_map, model, size=size, title=title, date=date, png=png,
                        language=language)  # fmt: skip
