"""HTML report of a profile model: portraits, choice of k, stability, quality, dendrogram.

One self-contained file (figures as inline SVG, no script, no network), meant for a forum:
in French by default, in English with ``language="en"`` — never in the language the
command's messages happen to be in (:func:`qet_geo.i18n.forum_language`). Every text from
the model (names, descriptions) is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import numpy as np

from ..i18n import forum_language, translate
from ..io import atomic_path
from . import methods
from .encoding import WEIGHT_PRESETS
from .near import linkage_matrix, near_cluster, stop_reason_text
from .notes import quality_message
from .portraits import (
    ANSWER_WORDS,
    ANSWER_WORDS_EN,
    READINGS_FR,
    USAGE_WORDS,
    USAGE_WORDS_EN,
    VARIABLE_WORDS,
    VARIABLE_WORDS_EN,
)
from .publish import numbering, publication

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}
.swatch{display:inline-block;width:1em;height:1em;border:1px solid #555;vertical-align:middle}
.warn{color:#8a4b00}.far-above{background:#f6d3c2}.above{background:#fbe8dd}
.far-below{background:#cfe3f1}.close-to{}
tr.question td,tr.question th{border-top:2px solid #888}td.share{color:#333}
th.apart,td.apart{border-left:3px double #888}.legend{max-width:60em}
"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _kg(value) -> str:
    return "" if value is None else f"{value:.0f}"


HEATING = "chauffage"


def _words(lang: str):
    """(variable words, answer words, usage words) of ``lang``."""
    if lang == "fr":
        return VARIABLE_WORDS, ANSWER_WORDS, USAGE_WORDS
    return VARIABLE_WORDS_EN, ANSWER_WORDS_EN, USAGE_WORDS_EN


def _reading_text(key: str, lang: str) -> str:
    return READINGS_FR[key] if lang == "fr" else key


def _percent(value, lang: str) -> str:
    if value is None:
        return ""
    text = f"{float(value) * 100:.0f}"
    return f"{text}\u202f%" if lang == "fr" else f"{text}%"


def monotone_tree(linkage: np.ndarray, done: int):
    """The merges of ``linkage`` (in the order they were made) drawn so that a horizontal
    line cuts the tree into the profiles of the first ``done`` merges.

    NEAR's merge distances are not monotone (a merge can be closer than the one before it):
    drawn as they are, the branches of later merges cross the line under earlier ones, and
    the line shows more branches than profiles. Each merge is drawn at the highest distance
    reached so far (the cumulative maximum: the merge order is kept, and a merge is never
    drawn under one that came before it); when that still puts the first merge after the
    cut at the height of the last one before it, the tree is drawn by merge step instead.
    Returns (linkage to draw, height of the cut, "distance" or "step")."""
    linkage = np.array(linkage, dtype=float).reshape(-1, 4)
    drawn = linkage.copy()
    drawn[:, 2] = np.maximum.accumulate(linkage[:, 2]) if len(linkage) else linkage[:, 2]
    heights = drawn[:, 2]
    if not len(heights):
        return drawn, 1.0, "distance"
    if done >= len(heights):  # one profile: the line above the root
        return drawn, float(heights[-1]) * 1.05 or 1.0, "distance"
    below = float(heights[done - 1]) if done > 0 else 0.0
    above = float(heights[done])
    if above > below:
        return drawn, (below + above) / 2, "distance"
    drawn[:, 2] = np.arange(1, len(drawn) + 1, dtype=float)
    return drawn, done + 0.5, "step"


def dendrogram_tree(model):
    """(linkage as drawn, cut height, "distance" or "step") of a NEAR or Ward model fitted
    in this session; None for other methods or a model read from a file."""
    data = getattr(model, "_distinct", None)
    if model.method not in ("near", "ward") or data is None or len(data[0]) < 2:
        return None

    x, w = data
    if model.method == "near":
        full = near_cluster(x, w, target_count=1, tie_tolerance=model.tie_tolerance)
        linkage = linkage_matrix(full.history, len(x), w)
        # the binary merges the detection made (a k-way merge is k - 1 of them)
        done = sum(
            len(group["merged"]) - 1
            for record in (model.history_ or [])
            for group in record.get("groups", [])
        )
    else:
        linkage = np.array(methods.ward(x, w, 1)[2]["linkage"], dtype=float)
        done = len(x) - model.k_
    return monotone_tree(linkage, done)


def dendrogram_svg(model, language: str = "fr") -> str | None:
    """The merge tree (NEAR or Ward) as inline SVG, with a line where the detection
    stopped, crossing exactly as many branches as it made profiles; None for other methods
    or a model read from a file."""
    tree = dendrogram_tree(model)
    if tree is None:
        return None
    lang = forum_language(language)
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    with warnings.catch_warnings():  # a system mpl_toolkits beside a venv matplotlib
        warnings.simplefilter("ignore", UserWarning)
        import matplotlib.pyplot as plt
    from scipy.cluster.hierarchy import dendrogram

    linkage, cut, axis = tree
    if axis == "step":
        ylabel = translate(lang, "merge step (1 = first merge)")
    elif model.method == "near":
        ylabel = translate(lang, "distance between centroids (NEAR weights), highest so far")
    else:
        ylabel = translate(lang, "Ward merge height")
    figure, axes = plt.subplots(figsize=(10, 4.5))
    dendrogram(
        linkage,
        ax=axes,
        truncate_mode="lastp",
        p=min(40, len(linkage) + 1),
        color_threshold=cut,
        above_threshold_color="#888888",
        no_labels=True,
    )
    axes.axhline(cut, color="#CC6677", linestyle="--", linewidth=1)
    axes.text(
        axes.get_xlim()[1],
        cut,
        " " + translate(lang, "stop: {k} profiles", k=model.k_),
        color="#CC6677",
        va="bottom",
        ha="right",
    )
    axes.set_ylabel(ylabel)
    axes.set_xlabel(translate(lang, "distinct answers (grouped)"))
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def report_html(model, language: str = "fr") -> str:
    """The report of what is published: the profiles under the model's ``min_cell`` are
    one row "small profiles grouped", without portrait (:mod:`qet_geo.profiles.publish`).
    In French by default, in English with ``language="en"``."""
    lang = forum_language(language)

    def t(text, **values):
        return _e(translate(lang, text, **values))

    variable_words, answer_words, usage_words = _words(lang)
    published = publication(model, lang)
    entries = published["profiles"]
    described = [e for e in entries if not e.get("group")]
    quality = published["quality"]
    title = translate(lang, "Usage profiles") + f" — {model.method}"
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        "<p>"
        + t(
            "{k} profile(s) published, {n} respondents ({excluded} left out for a missing answer).",
            k=len(described),
            n=model.n_respondents_ - model.excluded_,
            excluded=model.excluded_,
        )
        + "</p>",
    ]
    if model.method == "near" and getattr(model, "stop_reason_", None):
        parts.append(
            f"<p>{t('stopped: {reason}', reason=stop_reason_text(model.stop_reason_, lang))}</p>"
        )
    params = model.parameters_
    parts.append(
        "<p><small>"
        + _e(", ".join(f"{k}={v}" for k, v in params.items() if v is not None))
        + f" — qet-geo, {dt.date.today().isoformat()}</small></p>"
    )
    # quality
    if quality:
        parts.append(f"<h2>{t('Warnings')}</h2><ul>")
        for q in quality:
            note = _e(quality_message(q, lang))
            parts.append(
                f'<li class="warn">{t(q["kind"])}{" : " if lang == "fr" else ": "}{note}</li>'
            )
        parts.append("</ul>")
    # profiles
    parts.append(f"<h2>{t('Profiles')}</h2><table><tr>")
    headers = ["#", "name", "respondents", "share", "NEAR number"]
    if model.stability_:
        headers += ["stability (mean Jaccard)"]
    headers += ["description"]
    parts.append("".join(f"<th>{t(h)}</th>" for h in headers) + "</tr>")
    for e in entries:
        cells = [
            f'<span class="swatch" style="background:{_e(e["colour"])}"></span> '
            f"{int(e['profile'])}",
            _e(e["name"]),
            f'<td class="n">{"" if e["size"] is None else int(e["size"])}',
            f'<td class="n">{"" if e["share"] is None else _percent(e["share"], lang)}',
            f'<td class="n">{"" if e.get("near_number") is None else int(e["near_number"])}',
        ]
        if model.stability_:
            st = e.get("stability") or {}
            cells.append(
                ""
                if not st
                else f"{st.get('jaccard', float('nan')):.2f} ({t(st.get('status', ''))})"
            )
        cells.append(_e(e["description"]))
        parts.append(
            "<tr>" + "".join(c if c.startswith("<td") else f"<td>{c}" for c in cells) + "</tr>"
        )
    parts.append("</table>")
    parts.append(_answers_table(model, described, lang, t, variable_words, answer_words))
    parts.append(_footprints_table(described, lang, t, usage_words))
    # k scores
    if model.scores_:
        parts.append(f"<h2>{t('Choice of k')}</h2><table><tr><th>k</th><th>silhouette</th>")
        parts.append("<th>Calinski–Harabasz</th><th>Davies–Bouldin</th><th></th></tr>")
        for row in model.scores_:
            parts.append(
                f"<tr><td>{int(row['k'])}</td><td class=n>{row['silhouette']:.3f}</td>"
                f"<td class=n>{row['calinski_harabasz']:.1f}</td><td class=n>{row['davies_bouldin']:.3f}</td>"
                f"<td>{'✔' if row['chosen'] else ''}</td></tr>"
            )
        parts.append("</table>")
    if model.stability_ and model.stability_.get("ari") is not None:
        st = model.stability_
        parts.append(
            f"<h2>{t('Stability')}</h2><p>"
            + t(
                "Adjusted Rand index {ari:.2f} (90 % of resamples between {low:.2f} and {high:.2f}) over {n} bootstrap resamples; a profile is stable from a mean Jaccard of 0.75, unstable under 0.5.",
                ari=st["ari"],
                low=st["ari_low"],
                high=st["ari_high"],
                n=st["n_boot"],
            )
            + "</p>"
        )
    svg = dendrogram_svg(model, lang)
    if svg:
        parts.append(f"<h2>{t('Dendrogram')}</h2>{svg}")
        parts.append(
            '<p class="legend"><small>'
            + t(
                "Each merge is drawn at the highest distance reached so far (NEAR's merge "
                "distances are not monotone): the dashed line crosses one branch per profile."
            )
            + "</small></p>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def answer_shares(model, profiles) -> dict | None:
    """Published profile number (of ``profiles``, and "study") → variable → answer code →
    weighted share of the profile's respondents who gave it, or None where it is not
    published: an answer given by 1 to ``min_cell`` − 1 respondents of the profile, and —
    when that leaves a single hidden answer, which the others would give back by difference
    from 100 % — the smallest other one too. None when the model was read from a file (its
    answers are not kept there)."""
    data = getattr(model, "_answers", None)
    if data is None:
        return None

    codes, profile_of, weight, count = data
    number = numbering(model)
    published = np.array([number.get(int(p), 0) for p in profile_of], dtype=np.int64)
    groups = {"study": np.ones(len(codes), dtype=bool)}
    groups.update({int(p): published == int(p) for p in profiles})
    out: dict = {}
    for key, inside in groups.items():
        out[key] = {}
        total = float(weight[inside].sum())
        for j, variable in enumerate(model.variables):
            levels = np.unique(codes[:, j])
            cells = {}
            for level in levels:
                hit = inside & (codes[:, j] == level)
                n = int(count[hit].sum())
                share = float(weight[hit].sum() / total) if total else 0.0
                cells[str(int(level))] = [share, n]
            hidden = [c for c, (_, n) in cells.items() if 0 < n < model.min_cell]
            if len(hidden) == 1 and len(cells) > 1:
                others = sorted((n, c) for c, (_, n) in cells.items() if c not in hidden)
                hidden.append(others[0][1])
            out[key][variable] = {
                c: (None if c in hidden else share) for c, (share, _) in cells.items()
            }
    return out


def _answers_table(model, described, lang, t, variable_words, answer_words) -> str:
    """Per question: the profile's index (study = 100), then every answer's weighted share
    in the profile and in the whole study — two different numbers, labelled apart."""
    if not described or not described[0].get("index"):
        return ""
    shares = answer_shares(model, [e["profile"] for e in described])
    hidden_word = _e(translate(lang, "hidden"))
    parts = [f"<h2>{t('Answers and index scores')}</h2><table><tr>"]
    parts.append(f"<th>{t('question')}</th><th>{t('answer')}</th>")
    parts.append(f'<th class="n">{t("whole study")}</th>')
    parts.extend(f'<th class="n">{int(e["profile"])}. {_e(e["name"])}</th>' for e in described)
    parts.append("</tr>")
    for v in model.variables:
        word = variable_words.get(v, v)
        co2 = v in WEIGHT_PRESETS["current"]
        label = (
            "index of CO2 weight (study = 100)" if co2 else "index of the mean answer (study = 100)"
        )
        row = [f'<tr class="question"><th>{_e(word)}</th><th>{t(label)}</th>']
        row.append('<td class="n">100</td>')
        for e in described:
            index = e["index"].get(v)
            key = e["reading"].get(v, "close to")
            key = key if key in READINGS_FR else "close to"
            text = "" if index is None or not np.isfinite(index) else f"{float(index):.0f}"
            row.append(
                f'<td class="n {key.replace(" ", "-")}"><b>{text}</b><br>'
                f"<small>{_e(_reading_text(key, lang))}</small></td>"
            )
        parts.append("".join(row) + "</tr>")
        if shares is None:  # a model read from a file: the most frequent answer only
            row = [f"<tr><td></td><td>{t('most frequent answer')}</td><td></td>"]
            for e in described:
                modal = (e.get("modal") or {}).get(v)
                text = (
                    ""
                    if not modal
                    else f"{_e(answer_words.get(v, {}).get(modal['code'], modal['code']))} "
                    f"({_percent(modal['share'], lang)})"
                )
                row.append(f'<td class="n share">{text}</td>')
            parts.append("".join(row) + "</tr>")
            continue
        codes = sorted(shares["study"].get(v, {}), key=int)
        for code in codes:
            answer = answer_words.get(v, {}).get(int(code), str(code))
            row = [f"<tr><td></td><td>{_e(answer)}</td>"]
            for key, e in [("study", None), *((int(e["profile"]), e) for e in described)]:
                value = shares.get(key, {}).get(v, {}).get(code, 0.0)
                cell = hidden_word if value is None else _percent(value, lang)
                modal = ((e or {}).get("modal") or {}).get(v, {}).get("code")
                if modal is not None and str(modal) == code and value is not None:
                    cell = f"<b>{cell}</b>"
                row.append(f'<td class="n share">{cell}</td>')
            parts.append("".join(row) + "</tr>")
    parts.append('</table><p class="legend"><small>')
    parts.append(
        t(
            "Shares (%): of the profile's respondents (weighted), the share who gave this "
            "answer, in bold the most frequent; “whole study”: the same share among all "
            "respondents."
        )
        + " "
        + t(
            "Index (study = 100, not a share): the profile's mean of NEAR's CO2 weights of its "
            "answers to the question, over the same mean in the whole study, × 100; "
            "index < 80 far below, 80–120 close to, 120–200 above, > 200 far above."
        )
        + " "
        + t(
            "An answer given by fewer than {n} respondents of a profile is hidden (and one more "
            "when a single one would be given back by difference).",
            n=model.min_cell,
        )
    )
    parts.append("</small></p>")
    return "".join(parts)


def _footprints_table(described, lang, t, usage_words) -> str:
    """Mean footprints per usage; the total of the five usages, then heating apart."""
    if not described or not described[0].get("footprints"):
        return ""
    usages = [u for u in described[0]["footprints"] if u not in ("total", HEATING)]
    tail = [u for u in ("total", HEATING) if u in described[0]["footprints"]]
    heading = {u: usage_words.get(u, u) for u in usages}
    heading["total"] = translate(lang, "total of the five usages (without heating)")
    heading[HEATING] = translate(lang, "heating (apart, not in the total)")
    columns = usages + tail
    parts = [f"<h2>{t('Mean footprints (kgCO2e/yr)')}</h2><table><tr><th>#</th>"]
    parts.append(
        "".join(
            f"<th{' class=apart' if u == HEATING else ''}>{_e(heading[u])}</th>" for u in columns
        )
        + "</tr>"
    )
    for e in described:
        parts.append(
            f"<tr><td>{int(e['profile'])}</td>"
            + "".join(
                f'<td class="n{" apart" if u == HEATING else ""}">{_kg(e["footprints"][u])}</td>'
                for u in columns
            )
            + "</tr>"
        )
    study = described[0]["footprints_study"]
    parts.append(
        f"<tr><th>{t('whole study')}</th>"
        + "".join(
            f'<th class="n{" apart" if u == HEATING else ""}">{_kg(study[u])}</th>' for u in columns
        )
        + "</tr></table>"
    )
    if HEATING in columns:
        parts.append(
            '<p class="legend"><small>'
            + t(
                "Heating is not in the total: the total is the sum of the five usages of the "
                "method (food, air travel, mobility, purchases, digital), each a person's own "
                "and the same five as Nos Gestes Climat's French average it is compared with"
                "; heating is the dwelling's (Nos Gestes Climat's “logement . "
                "chauffage”, plus the electricity an electric system adds), estimated from the "
                "heating energy alone and computed only when the survey asks it, so it is "
                "shown apart."
            )
            + "</small></p>"
        )
    return "".join(parts)


def write_report(model, path, language: str = "fr") -> Path:
    """Write the HTML report (atomically), in French by default or ``language="en"``."""
    path = Path(path)
    text = report_html(model, language)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path
