"""Figures of the survey (Қосымша Б): the appendix charts redrawn and the inference.

Each function takes the survey report, ``lang`` and ``ax=None`` and returns the figure (see
:mod:`analysis.present.figures.axes`). Printed percentages are written in the reader's
notation with their printed decimals (``31,94`` and ``19,5`` in Kazakh, ``31.94`` and
``19.5`` in English), never as the source happens to punctuate them.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.analyses.survey import SurveyReport
from analysis.data.parse import parse_number
from analysis.present import numbers
from analysis.present.figures.axes import figure_and_axes, finish, log_axis
from analysis.present.i18n import t

#: Characters of an option's name in the interval chart (longer names are shortened at a
#: word boundary and end in "…").
OPTION_WIDTH = 44


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def palette(n: int) -> list[tuple[float, float, float]]:
    """The colour-blind-safe palette the project uses, ``n`` colours."""
    return list(sns.color_palette("colorblind", n))


def plot_question(report: SurveyReport, question: int, lang: str,
                  ax: Axes | None = None) -> Figure:
    """One question as the appendix draws it: a bar per option in printed order.

    Options that the questionnaire never offered (reported-not-asked) are hatched, so the
    chart itself shows the reconciliation finding.
    """
    data = report.question(question)["results"]
    rec = report.reconciliation
    not_asked = set(rec[(rec["question"] == question)
                        & (rec["status"] == "reported_not_asked")]["option_order"].dropna())
    fig, ax = figure_and_axes(ax, (7.5, 4.2))
    x = np.arange(len(data))
    values = data["value"].astype(float).to_numpy()
    bars = ax.bar(x, values, color=palette(len(data)), edgecolor="black", linewidth=0.6)
    for bar, order in zip(bars, data["option_order"], strict=True):
        if order in not_asked:
            bar.set_hatch("//")
            bar.set_facecolor("white")
    for xi, v, text in zip(x, values, data["printed"], strict=True):
        ax.text(float(xi), float(v) + 0.8, numbers.as_printed(text, lang), ha="center",
                va="bottom", fontsize=9)
    ax.set_xticks(x)
    ax.set_xticklabels([_wrap(s, 16) for s in data[f"option_{lang}"]], fontsize=8.5)
    ax.set_ylabel(t("survey.axis.share", lang))
    ax.set_ylim(0, float(values.max()) * 1.18 + 2)
    title = t("survey.fig.question", lang, q=question,
              question=data[f"question_{lang}"].iloc[0])
    ax.set_title(_wrap(title, 70), fontsize=10.5)
    if not_asked:
        ax.legend(handles=[Patch(facecolor="white", edgecolor="black", hatch="//",
                                 label=t("survey.legend.not_asked", lang))],
                  loc="upper right", fontsize=8)
    return finish(fig, lang)


def _sum_text(printed_sum: object, lang: str) -> str:
    """A question's exact printed sum (``99.5``) in ``lang``'s notation."""
    return numbers.number(Decimal(str(printed_sum)), lang,
                          numbers.decimal_places(Decimal(str(printed_sum))))


def plot_overview(report: SurveyReport, lang: str, ax: Axes | None = None) -> Figure:
    """All questions as 100 %-stacked bars; the printed sum is written at the right end.
    Colours stand for the position of an option in its question (first, second, ...): the
    legend says so, since the options themselves differ from question to question."""
    res = report.results
    questions = sorted(res["question"].unique())
    n_colours = int(res.groupby("question").size().max())
    colours = palette(n_colours)
    sums = report.sums.set_index("question")["printed_sum"]
    fig, ax = figure_and_axes(ax, (8.5, 6.4))
    for row, q in enumerate(questions):
        part = res[res["question"] == q]
        left = 0.0
        for i, (value, text) in enumerate(zip(part["value"].astype(float), part["printed"],
                                              strict=True)):
            ax.barh(row, value, left=left, color=colours[i], edgecolor="white")
            if value >= 6:
                ax.text(left + value / 2, row, numbers.as_printed(text, lang).rstrip("%"),
                        ha="center", va="center", fontsize=7.5)
            left += value
        ax.text(left + 1, row, f"{t('survey.legend.sum', lang)} {_sum_text(sums[q], lang)}",
                va="center", fontsize=7.5)
    ax.set_yticks(range(len(questions)))
    ax.set_yticklabels([t("survey.q", lang, q=q) for q in questions], fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 118)
    ax.axvline(100, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xlabel(t("survey.axis.share", lang))
    ax.set_title(t("survey.fig.overview", lang))
    handles = [Patch(facecolor=colours[i], label=t("survey.legend.position", lang, k=i + 1))
               for i in range(n_colours)]
    ax.legend(handles=handles, title=t("survey.legend.positions", lang), loc="upper center",
              bbox_to_anchor=(0.5, -0.1), ncol=n_colours, fontsize=8, title_fontsize=8,
              frameon=False)
    return finish(fig, lang)


def plot_feasible(report: SurveyReport, lang: str, n_show: int = 1200,
                  ax: Axes | None = None) -> Figure:
    """Feasible N (Σk = N) per question and jointly, for N = 1..n_show, as a strip chart.

    Why: it shows at a glance that the integer percentages allow almost any N above ~100,
    while question 3's two-decimal shares allow only a few; the joint row is theirs.
    """
    sets = report.feasible_sets["sum_k_equals_N"]
    questions = sorted(sets)
    grid = np.zeros((len(questions) + 1, n_show), dtype=float)
    for row, q in enumerate(questions):
        sizes = sets[q]
        grid[row, sizes[sizes <= n_show] - 1] = 1.0
    grid[-1] = grid[:-1].min(axis=0)
    fig, ax = figure_and_axes(ax, (8, 4.6))
    ax.imshow(grid, aspect="auto", cmap="Greys", interpolation="nearest",
              extent=(0.5, n_show + 0.5, len(questions) + 0.5, -0.5), vmin=0, vmax=1)
    # rows with only a few feasible N (two-decimal shares) would vanish at this
    # resolution: draw each of their N as a visible tick
    for row in range(grid.shape[0]):
        hits = np.flatnonzero(grid[row]) + 1
        if 0 < hits.size <= 60:
            ax.vlines(hits, row - 0.45, row + 0.45, color="black", linewidth=1.6, zorder=3)
    labels = [t("survey.q", lang, q=q) for q in questions] + [t("survey.legend.joint", lang)]
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=8)
    joint = report.joint.set_index("constraint")["smallest_joint_n"].get("sum_k_equals_N")
    if joint is not None and not numbers.is_missing(joint) and int(joint) <= n_show:
        ax.axvline(int(joint), color="tab:red", linewidth=1.0, linestyle="--", zorder=1,
                   label=t("survey.legend.smallest", lang, n=numbers.number(int(joint), lang)))
        ax.legend(loc="lower right", fontsize=8, frameon=True)
    ax.set_xlabel(t("survey.axis.n", lang))
    ax.set_title(t("survey.fig.feasible", lang, n_show=numbers.number(n_show, lang)),
                 fontsize=10.5)
    ax.grid(False)
    return finish(fig, lang)


def _option_label(question: int, option: str, lang: str) -> str:
    name = textwrap.shorten(option, OPTION_WIDTH, placeholder=" …")
    return f"{t('survey.q_short', lang, q=question)} · {name}"


def plot_intervals(report: SurveyReport, lang: str, ax: Axes | None = None) -> Figure:
    """Per-option and simultaneous (Goodman) intervals for every option at the assumed N."""
    ci = report.intervals
    sim = report.simultaneous[report.simultaneous["method"] == "goodman"]
    sim = sim.set_index(["question", "option_order"])
    labels, ys = [], []
    y = 0.0
    fig, ax = figure_and_axes(ax, (8.5, 14))
    for q, part in ci.groupby("question", sort=True):
        for _, r in part.iterrows():
            g = sim.loc[(q, r["option_order"])]
            ax.plot([g["ci_low"], g["ci_high"]], [y + 0.18] * 2, color="tab:orange",
                    linewidth=1.2)
            ax.plot([r["ci_low"], r["ci_high"]], [y] * 2, color="tab:blue", linewidth=3)
            ax.plot([float(parse_number(str(r["printed"])).value or 0)], [y], "o",
                    color="black", markersize=3.5)
            labels.append(_option_label(int(str(q)), str(r[f"option_{lang}"]), lang))
            ys.append(y)
            y += 1
        y += 0.8
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xlabel(t("survey.axis.share", lang))
    level = numbers.number(100 * report.ci_level, lang, numbers.tick_decimals(
        [100 * report.ci_level]))
    ax.plot([], [], color="tab:blue", linewidth=3,
            label=t("survey.legend.option_ci", lang, method=report.ci_method, level=level))
    ax.plot([], [], color="tab:orange", linewidth=1.2,
            label=t("survey.legend.goodman", lang, level=level))
    ax.plot([], [], "o", color="black", markersize=3.5, label=t("survey.legend.printed", lang))
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    ax.set_title(_wrap(t("survey.fig.intervals", lang,
                         n=numbers.number(report.assumed.n, lang)), 60))
    return finish(fig, lang)


def plot_widths(frame: pd.DataFrame, report: SurveyReport, lang: str,
                ax: Axes | None = None) -> Figure:
    """Interval width against N for one option, with the inferred N marked."""
    q, order = int(frame["question"].iloc[0]), int(frame["option_order"].iloc[0])
    row = report.results[(report.results["question"] == q)
                         & (report.results["option_order"] == order)].iloc[0]
    label = (f"{t('survey.q', lang, q=q)}, {row[f'option_{lang}']} "
             f"({numbers.as_printed(str(row['printed']), lang)})")
    fig, ax = figure_and_axes(ax, (7, 3.8))
    ok = frame.dropna(subset=["width"])
    ax.plot(ok["n"], ok["width"], marker="o", markersize=3, linewidth=1.2)
    ax.axvline(report.assumed.n, color="tab:red", linestyle="--", linewidth=1,
               label=t("survey.legend.assumed", lang, n=numbers.number(report.assumed.n, lang)))
    ax.set_xscale("log")
    log_axis(ax.xaxis, lang)
    ax.set_xlabel(t("survey.axis.n", lang))
    ax.set_ylabel(t("survey.axis.width", lang))
    ax.set_title(_wrap(t("survey.fig.exercise", lang, question=label), 70), fontsize=10)
    ax.legend(fontsize=8)
    return finish(fig, lang)
