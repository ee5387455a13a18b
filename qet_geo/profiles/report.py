"""HTML report of a profile model: portraits, choice of k, stability, quality, dendrogram.

One self-contained file (figures as inline SVG, no script, no network), in the language of
the messages (French or English). Every text from the model (names, descriptions) is
HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import numpy as np

from ..i18n import language, tr
from ..io import atomic_path
from .portraits import READINGS_FR, VARIABLE_WORDS, answer_label

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}
.swatch{display:inline-block;width:1em;height:1em;border:1px solid #555;vertical-align:middle}
.warn{color:#8a4b00}.far-above{background:#f6d3c2}.above{background:#fbe8dd}
.far-below{background:#cfe3f1}.close-to{}
"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _kg(value) -> str:
    return "" if value is None else f"{value:.0f}"


def _reading_text(key: str) -> str:
    return READINGS_FR[key] if language() == "fr" else key


def dendrogram_svg(model) -> str | None:
    """The merge tree (NEAR or Ward) as inline SVG, with a line where the detection
    stopped; None for other methods or a model read from a file."""
    data = getattr(model, "_distinct", None)
    if model.method not in ("near", "ward") or data is None or len(data[0]) < 2:
        return None
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    with warnings.catch_warnings():  # a system mpl_toolkits beside a venv matplotlib
        warnings.simplefilter("ignore", UserWarning)
        import matplotlib.pyplot as plt
    from scipy.cluster.hierarchy import dendrogram

    from . import methods
    from .near import linkage_matrix, near_cluster

    x, w = data
    if model.method == "near":
        full = near_cluster(x, w, target_count=1, tie_tolerance=model.tie_tolerance)
        linkage = linkage_matrix(full.history, len(x), w)
        made = [r["distance"] for r in (model.history_ or []) if r.get("groups")]
        heights = sorted({r["distance"] for r in full.history})
        last = made[-1] if made else 0.0
        after = [h for h in heights if h > last * (1 + 1e-9)]
        cut = (last + after[0]) / 2 if after else last
        ylabel = tr("distance between centroids (NEAR weights)")
    else:
        linkage = np.array(methods.ward(x, w, 1)[2]["linkage"], dtype=float)
        heights = np.sort(linkage[:, 2])
        k = model.k_
        cut = (heights[-k] + heights[-k + 1]) / 2 if 1 < k <= len(heights) else heights[-1]
        ylabel = tr("Ward merge height")
    figure, axes = plt.subplots(figsize=(10, 4.5))
    dendrogram(
        linkage,
        ax=axes,
        truncate_mode="lastp",
        p=min(40, len(x)),
        color_threshold=cut,
        above_threshold_color="#888888",
        no_labels=True,
    )
    axes.axhline(cut, color="#CC6677", linestyle="--", linewidth=1)
    axes.text(
        axes.get_xlim()[1],
        cut,
        " " + tr("stop: {k} profiles", k=model.k_),
        color="#CC6677",
        va="bottom",
        ha="right",
    )
    axes.set_ylabel(ylabel)
    axes.set_xlabel(tr("distinct answers (grouped)"))
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def report_html(model) -> str:
    """The report of what is published: the profiles under the model's ``min_cell`` are
    one row "small profiles grouped", without portrait (:mod:`qet_geo.profiles.publish`)."""
    from .publish import publication

    fr = language() == "fr"
    published = publication(model)
    entries = published["profiles"]
    described = [e for e in entries if not e.get("group")]
    quality = published["quality"]
    title = tr("Usage profiles") + f" — {model.method}"
    parts = [
        f'<!DOCTYPE html><html lang="{"fr" if fr else "en"}"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        "<p>"
        + _e(
            tr(
                "{k} profiles, {n} respondents ({excluded} left out for a missing answer).",
                k=len(described),
                n=model.n_respondents_ - model.excluded_,
                excluded=model.excluded_,
            )
        )
        + "</p>",
    ]
    if model.method == "near" and getattr(model, "stop_reason_", None):
        parts.append(f"<p>{_e(tr('stopped: {reason}', reason=model.stop_reason_))}</p>")
    params = model.get_params()
    parts.append(
        "<p><small>"
        + _e(", ".join(f"{k}={v}" for k, v in params.items() if v is not None))
        + f" — qet-geo, {dt.date.today().isoformat()}</small></p>"
    )
    # quality
    if quality:
        parts.append(f"<h2>{_e(tr('Warnings'))}</h2><ul>")
        for q in quality:
            parts.append(f'<li class="warn">{_e(tr(q["kind"]))} : {_e(q["message"])}</li>')
        parts.append("</ul>")
    # profiles
    parts.append(f"<h2>{_e(tr('Profiles'))}</h2><table><tr>")
    headers = ["#", tr("name"), tr("respondents"), tr("share"), tr("NEAR number")]
    if model.stability_:
        headers += [tr("stability (mean Jaccard)")]
    headers += [tr("description")]
    parts.append("".join(f"<th>{_e(h)}</th>" for h in headers) + "</tr>")
    for e in entries:
        cells = [
            f'<span class="swatch" style="background:{_e(e["colour"])}"></span> '
            f"{int(e['profile'])}",
            _e(e["name"]),
            f'<td class="n">{"" if e["size"] is None else int(e["size"])}',
            f'<td class="n">{"" if e["share"] is None else format(float(e["share"]), ".1%")}',
            f'<td class="n">{"" if e.get("near_number") is None else int(e["near_number"])}',
        ]
        if model.stability_:
            s = e.get("stability") or {}
            cells.append(
                ""
                if not s
                else f"{s.get('jaccard', float('nan')):.2f} ({_e(tr(s.get('status', '')))})"
            )
        cells.append(_e(e["description"]))
        parts.append(
            "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}" for c in cells) + "</tr>"
        )
    parts.append("</table>")
    # index scores
    parts.append(f"<h2>{_e(tr('Index scores (study = 100)'))}</h2><table><tr><th>#</th>")
    parts.append(
        "".join(f"<th>{_e(VARIABLE_WORDS.get(v, v) if fr else v)}</th>" for v in model.variables)
        + "</tr>"
    )
    for e in described:
        row = [f"<td>{int(e['profile'])}</td>"]
        for v in model.variables:
            index = e["index"].get(v)
            key = e["reading"].get(v, "close to")
            key = key if key in READINGS_FR else "close to"
            modal = e["modal"].get(v)
            label = answer_label(v, modal["code"]) if modal else ""
            row.append(
                f'<td class="n {key.replace(" ", "-")}" title="{_e(_reading_text(key))}">'
                f"{'' if index is None else f'{float(index):.0f}'}<br><small>{_e(label)}</small></td>"
            )
        parts.append("<tr>" + "".join(row) + "</tr>")
    parts.append(
        "</table><p><small>"
        + _e(tr("index < 80 far below, 80–120 close to, 120–200 above, > 200 far above"))
        + "</small></p>"
    )
    # footprints
    if described and described[0].get("footprints"):
        usages = list(described[0]["footprints"])
        parts.append(f"<h2>{_e(tr('Mean footprints (kgCO2e/yr)'))}</h2><table><tr><th>#</th>")
        parts.append("".join(f"<th>{_e(u)}</th>" for u in usages) + "</tr>")
        for e in described:
            parts.append(
                f"<tr><td>{int(e['profile'])}</td>"
                + "".join(f'<td class="n">{_kg(e["footprints"][u])}</td>' for u in usages)
                + "</tr>"
            )
        study = described[0]["footprints_study"]
        parts.append(
            f"<tr><th>{_e(tr('study'))}</th>"
            + "".join(f'<th class="n">{_kg(study[u])}</th>' for u in usages)
            + "</tr></table>"
        )
    # k scores
    if model.scores_:
        parts.append(f"<h2>{_e(tr('Choice of k'))}</h2><table><tr><th>k</th><th>silhouette</th>")
        parts.append("<th>Calinski–Harabasz</th><th>Davies–Bouldin</th><th></th></tr>")
        for row in model.scores_:
            parts.append(
                f"<tr><td>{int(row['k'])}</td><td class=n>{row['silhouette']:.3f}</td>"
                f"<td class=n>{row['calinski_harabasz']:.1f}</td><td class=n>{row['davies_bouldin']:.3f}</td>"
                f"<td>{'✔' if row['chosen'] else ''}</td></tr>"
            )
        parts.append("</table>")
    if model.stability_ and model.stability_.get("ari") is not None:
        s = model.stability_
        parts.append(
            f"<h2>{_e(tr('Stability'))}</h2><p>"
            + _e(
                tr(
                    "Adjusted Rand index {ari:.2f} (90 % of resamples between {low:.2f} and {high:.2f}) over {n} bootstrap resamples; a profile is stable from a mean Jaccard of 0.75, unstable under 0.5.",
                    ari=s["ari"],
                    low=s["ari_low"],
                    high=s["ari_high"],
                    n=s["n_boot"],
                )
            )
            + "</p>"
        )
    svg = dendrogram_svg(model)
    if svg:
        parts.append(f"<h2>{_e(tr('Dendrogram'))}</h2>{svg}")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(model, path) -> Path:
    """Write the HTML report (atomically)."""
    path = Path(path)
    text = report_html(model)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path
