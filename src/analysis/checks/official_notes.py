"""What an external trade verdict says besides its verdict: the other official series, the
officials' quotes, and the one-year-shift hypothesis.

Why a module of its own: the verdict (:mod:`analysis.checks.official_rows`) sets a number
against one series only — BNS table 312101 where it covers the year, else WITS — so that
nothing is spliced and nothing is chosen for fitting. What the reader must still be told
is said here as notes:

* the other compilation of the same flow and year(s), and how far it is from the
  reference: in 2020–2022 the two official series differ by a quarter to a half (the
  break, shown, never used to rescue a verdict); a rate that had to use WITS for a year
  BNS covers says so;
* the officials' quoted figures for that flow and year, each with whether it is a
  rounding of the reference series (corroboration, not the reference);
* for a disagreeing dated figure, whether it fits the reference of a neighbouring year:
  at its own rounding, or — for a table whose every trade cell is a multiple of 10, 100, …
  — at the table's step (a hypothesis about a shifted year, never a verdict).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction

import pandas as pd

from analysis.analyses import official as ext
from analysis.checks.figures import Figure, unit_factor
from analysis.checks.official import (
    AGREES,
    SERIES_FLOWS,
    SERIES_GROWTH,
    Context,
    Note,
    Reference,
    Rule,
    Verdict,
    musd,
)
from analysis.checks.phrases import num, say, unit
from analysis.data import official_trade as trade
from analysis.methods import rounding

Judge = Callable[[Figure, Sequence[Reference], str], Verdict | None]

#: Check ids whose verdicts may carry the shift hypothesis (levels and rates of trade).
SHIFT_CHECKS = ("external.reported", "external.trade")
#: Quotes' statuses against a series (:func:`analysis.analyses.official.quotes_vs_series`).
QUOTE_STATUSES = (ext.QUOTE_ROUNDS, ext.QUOTE_BOUND, ext.QUOTE_OUTSIDE)


def table_steps(figures: Iterable[Figure]) -> dict[str, Fraction]:
    """Per table, the step its trade cells are printed at: the largest power of ten that
    divides every one of them (:func:`analysis.analyses.official.table_step`)."""
    cells: dict[str, list[float]] = {}
    for f in figures:
        if f.source != "text" and f.key in SERIES_FLOWS:
            cells.setdefault(f.source, []).append(float(f.point()))
    return {source: ext.table_step(values) for source, values in sorted(cells.items())}


def _fits_at_step(fig: Figure, ref: Reference, step: Fraction) -> bool:
    """Does ``fig``, read as a rounding to ``step`` (in its own unit), meet ``ref``?"""
    factor = unit_factor(fig.unit)[1]
    value = fig.point()
    return any(rounding.rounding_interval(value, step, rule).scale(factor).meets(
        ref.intervals[rule]) for rule in rounding.RULES)


def shift_note(fig: Figure, rule: Rule, ctx: Context, verdict: Verdict,
               judge: Judge) -> Note | None:
    """For a disagreeing dated figure: does it fit the official figure of a neighbouring
    year (a one-year shift)? First at the figure's own rounding, then at its table's step."""
    if verdict.verdict == AGREES or fig.year is None or rule.check_id not in SHIFT_CHECKS:
        return None
    step = ctx.table_steps.get(fig.source, Fraction(0)) if fig.key in SERIES_FLOWS \
        else Fraction(0)
    own = rounding.step_of(fig.parsed)
    for year in (fig.year - 1, fig.year + 1):
        refs = ctx.references(rule, fig, year)
        other = judge(fig, refs, rule.check_id)
        if other is not None and other.verdict == AGREES:
            return say("note.ext_shift", year=year, ref=other.reference.label)
        primary = [r for r in refs if not r.definition]
        if step > own and any(_fits_at_step(fig, r, step) for r in primary):
            return say("note.ext_shift_step", year=year, ref=primary[0].label,
                       step=num(step), exhibit=fig.exhibit)
    return None


# ---------------------------------------------------------------------------------------
# The other series and the quotes
# ---------------------------------------------------------------------------------------


def _flow(fig: Figure) -> str | None:
    return SERIES_FLOWS.get(fig.key) or SERIES_GROWTH.get(fig.key)


def _pct(a: Fraction, b: Fraction) -> dict[str, str | None]:
    """100 · (a / b − 1), to one decimal (display)."""
    return num(Fraction(round((a / b - 1) * 1000), 10), 1)


def _value(ctx: Context, series: str, flow: str, year: int) -> Fraction | None:
    if ctx.trade is None:
        return None
    tv = trade.value(ctx.trade, series, flow, year)
    return None if tv is None else rounding.frac(tv.value_usd)


def _growth(ctx: Context, series: str, flow: str, years: tuple[int, ...]) -> Fraction | None:
    prev, cur = (_value(ctx, series, flow, y) for y in years)
    return None if prev is None or cur is None else (cur / prev - 1) * 100


def _other_rate(ctx: Context, flow: str, ref: Reference, other: str) -> Note | None:
    """A growth rate from BNS: the same rate from WITS, where it covers both years."""
    rate = _growth(ctx, other, flow, ref.years)
    if rate is None:
        return None
    return say("note.ext_other_series_rate", series=say(f"series.{other}"),
               flow=say(f"flow.{flow}"), prev_year=ref.years[0], year=ref.years[1],
               rate=num(Fraction(round(rate * 10), 10), 1),
               reference=say(f"series.{ref.series}"))


def _other_series(fig: Figure, ctx: Context, ref: Reference) -> Note | None:
    """The other compilation of the reference's flow and year(s) (the break, shown)."""
    flow = _flow(fig)
    if flow is None or not ref.series or not ref.years:
        return None
    year = ref.years[-1]
    other = trade.WITS if ref.series == trade.BNS else trade.BNS
    mine, theirs = _value(ctx, ref.series, flow, year), _value(ctx, other, flow, year)
    if len(ref.years) == 2 and ref.series == trade.WITS and theirs is not None:
        assert mine is not None
        return say("note.ext_wits_both_years", year=year, prev_year=ref.years[0],
                   pct=_pct(mine, theirs))
    if theirs is None or mine is None:
        return say("note.ext_no_bns", year=year) if other == trade.BNS else None
    if len(ref.years) == 2:
        return _other_rate(ctx, flow, ref, other)
    key = "note.ext_other_series_same" if abs(mine / theirs - 1) <= ext.BREAK_TOLERANCE \
        else "note.ext_other_series"
    return say(key, series=say(f"series.{other}"), flow=say(f"flow.{flow}"), year=year,
               value=musd(theirs), unit=unit("USD million"), pct=_pct(theirs, mine),
               reference=say(f"series.{ref.series}"))


def _quotes(ctx: Context) -> pd.DataFrame:
    if ctx.quotes_checked is None:
        assert ctx.trade is not None
        ctx.quotes_checked = ext.quotes_vs_series(ctx.official, ext.series_long(ctx.trade))
    return ctx.quotes_checked


def _quote_notes(fig: Figure, ctx: Context, ref: Reference) -> list[Note]:
    """Each KZ official's quote of the flow and year, as corroboration: a rounding of the
    reference series, a bound it satisfies, or outside it."""
    flow = SERIES_FLOWS.get(fig.key)
    if flow is None or not ref.series or ref.at_most or ctx.trade is None:
        return []
    quotes = _quotes(ctx)
    column = "bns_status" if ref.series == trade.BNS else "wits_status"
    hits = quotes[(quotes["flow"] == flow) & (quotes["year"] == ref.years[-1])]
    out = []
    for q in hits.to_dict("records"):
        status = str(q[column])
        if status not in QUOTE_STATUSES:
            continue
        qualifier = "more_than" if q["qualifier"] == "more_than" else \
            "approx" if q["qualifier"] == "approx" else "exact"
        out.append(say("note.ext_quote", id=str(q["figure_id"]),
                       value=say(f"qual.{qualifier}", n=say(
                           "frag.amount", value=num(rounding.frac(float(q["quote"]))),
                           unit=unit("USD million"))),
                       stated=str(q["stated_on"] or "–"), status=say(f"quote.{status}"),
                       series=say(f"series.{ref.series}")))
    return out


def series_notes(fig: Figure, rule: Rule, ctx: Context, verdict: Verdict) -> list[Note]:
    """The notes of an ``external.trade`` verdict: the other series, then the quotes."""
    if rule.check_id != "external.trade":
        return []
    ref = verdict.reference
    other = _other_series(fig, ctx, ref)
    return [n for n in (other, *_quote_notes(fig, ctx, ref)) if n is not None]


__all__ = ["series_notes", "shift_note", "table_steps"]
