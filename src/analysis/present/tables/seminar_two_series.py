"""What seminar 6 (``seminar_06_two_series``; labels ``two.*``) says besides its tables: its
answers as sentences, every number computed from the same frames as the tables (by
:mod:`analysis.teaching.seminar_two_series`) and written by the one number formatter.
Its check cells use the pack's one feedback (:func:`analysis.present.tables.seminar.check`).
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.analyses import official
from analysis.present.i18n import t
from analysis.present.numbers import number, percent
from analysis.present.tables import official as official_tables
from analysis.teaching import seminar_two_series as seminar


def gap_fields(lang: str) -> dict[str, str]:
    """The caption field of the gap table: the tolerance within which the series agree."""
    return {"tolerance": official_tables.tolerance_text(float(official.BREAK_TOLERANCE), lang)}


def break_sentence(k7: pd.DataFrame, k6: pd.DataFrame, series: pd.DataFrame,
                   lang: str) -> Markdown:
    """Exercise 1's answer: notebook 06's sentence on the break (how far WITS lies below
    BNS in the years they differ, the year they meet again)."""
    gap = seminar.gap_table(series)
    side = seminar.side_by_side(k7, k6, series)
    key, facts = official_tables.break_facts(gap, official.break_span(gap), side, lang)
    return Markdown(t(key, lang, **facts))


def _flows(cells: pd.DataFrame, lang: str) -> str:
    """The flows of some cells, in the language, or "–"."""
    flows = [t(f"external.flow.{f}", lang) for f in dict.fromkeys(cells["flow"])]
    return ", ".join(flows) if flows else "–"


def _years(years: pd.Series) -> str:
    ys = sorted({int(y) for y in years})
    if len(ys) > 1 and ys[-1] - ys[0] + 1 == len(ys):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys) if ys else "–"


def _pct_range(values: pd.Series, lang: str) -> str:
    """The range of absolute percentages: "6,8–50,8%"."""
    low, high = float(values.abs().min()), float(values.abs().max())
    return f"{number(low, lang, 1)}–{percent(high, lang, 1)}"


def nearest_sentence(cells: pd.DataFrame, lang: str) -> Markdown:
    """Exercise 2's answer, from :func:`~analysis.teaching.seminar_two_series.nearest_both`:
    how many cells of each table follow a series (within the printed rounding), which
    series the others are nearer in the years the series differ, and how far even the
    nearer one lies."""
    k7_cells, k6_cells = (cells[cells["source"] == s] for s in ("k7", "k6"))
    differ = k7_cells[k7_cells["differ"]]
    nearer = differ[differ["nearer_pct"].notna()]
    k6_bns, k6_wits = (k6_cells[seminar.follows(k6_cells, code)] for code in seminar.COLUMNS)
    within = int((k7_cells["within_bns"] | k7_cells["within_wits"]).sum())
    facts = {
        "k7_n": len(k7_cells), "years": _years(k7_cells["year"]),
        "k7_step": number(float(k7_cells["step"].iloc[0]), lang),
        "k7_within": within,
        "k7_follows": t("two.say.follows_some" if within else "two.say.follows_none", lang),
        "span": _years(differ["year"]), "k7_differ": len(differ),
        "k7_wits": seminar.nearer_count(differ, seminar.WITS),
        "k7_bns": seminar.nearer_count(differ, seminar.BNS),
        "range": _pct_range(nearer["nearer_pct"], lang) if len(nearer) else "–",
        "agree": _years(k7_cells.loc[~k7_cells["differ"], "year"]),
        "k6_n": len(k6_cells), "k6_step": number(float(k6_cells["step"].iloc[0]), lang),
        "k6_within": int((k6_cells["within_bns"] | k6_cells["within_wits"]).sum()),
        "k6_wits": len(k6_wits), "k6_wits_flows": _flows(k6_wits, lang),
        "k6_bns": len(k6_bns), "k6_bns_flows": _flows(k6_bns, lang)}
    return Markdown(t("two.say.nearest", lang, **facts))


def splice_sentence(series: pd.DataFrame, lang: str) -> Markdown:
    """Exercise 3's answer: the growth into the first year BNS covers across the splice
    and within WITS, the points between them, and the same jump within WITS where its
    compilation changes again (the first year after the break)."""
    year, flow = seminar.SPLICE_YEAR, seminar.SPLICE_FLOW
    spliced = seminar.growth_pct(series, flow, year)
    wits = seminar.growth_pct(series, flow, year, (seminar.WITS,))
    facts = {"flow": t(f"external.flow.{flow}", lang), "before": year - 1, "year": year,
             "spliced": percent(spliced, lang, 2), "wits": percent(wits, lang, 2),
             "pp": number(abs(spliced - wits), lang, 1),
             "first": t(f"external.series.{seminar.reference_value(series, flow, year - 1)[0]}",
                        lang),
             "second": t(f"external.series.{seminar.reference_value(series, flow, year)[0]}",
                         lang)}
    span = official.break_span(seminar.gap_table(series))
    if span is None or pd.isna(seminar.value(series, seminar.WITS, flow, span[1] + 1)):
        return Markdown(t("two.say.splice", lang, **facts))
    after = span[1] + 1
    facts |= {"end": span[1], "after": after,
              "wits_after": percent(seminar.growth_pct(series, flow, after, (seminar.WITS,)),
                                    lang, 1),
              "bns_after": percent(seminar.growth_pct(series, flow, after, (seminar.BNS,)),
                                   lang, 1)}
    return Markdown(t("two.say.splice_after", lang, **facts))


def splice_fields(lang: str) -> dict[str, str]:
    """The caption field of the splice table: the flow it follows."""
    return {"flow": t(f"external.flow.{seminar.SPLICE_FLOW}", lang)}
