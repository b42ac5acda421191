"""Text claims as figures, and the checks of the running text against the tables and
against itself: the same quantity in a table, growth rates, identities, shares of a total,
cumulative totals, restatements and impossible values.

Every comparison is found through the indexes of :mod:`analysis.checks.context`: a text
figure is compared only with figures of its quantity key (and year), never with all others.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis.checks import arith, compare
from analysis.checks.context import Builder, Context, Producer
from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    UNTESTABLE,
    WITHIN,
    Row,
)
from analysis.checks.declarations import (
    CUMULATIVE_OF,
    DECLINE_WORDS,
    GROWTH_SUFFIX,
    IDENTITIES,
    REVISIONS,
    SHARES_OF_TOTAL,
    TABLE_GROWTH_LEVEL,
    UNDATED_STOCKS,
)
from analysis.checks.figures import Figure, figure_from_record, slip_note
from analysis.checks.phrases import items, num, printed, say, with_notes
from analysis.checks.readings import root

LEVEL_QUALIFIERS = ("exact", "approx", "more_than", "at_least", "less_than", "up_to")


def text_figures(claims: pd.DataFrame) -> list[Figure]:
    """Every ``text_claims`` row as a :class:`Figure` (``ref`` = claim id)."""
    return [figure_from_record(rec, ref=str(rec["claim_id"]), source="text", exhibit="text",
                               key=str(rec["quantity_key"]), label=str(rec.get("label_en") or ""),
                               label_kk=str(rec.get("label_kk") or ""))
            for rec in claims.to_dict("records")]


def declines(claims: pd.DataFrame) -> set[str]:
    """Claim ids whose growth figure the text states as a fall (sign not printed)."""
    out = set()
    for rec in claims.to_dict("records"):
        text = f"{rec.get('label_en', '')} {rec.get('note_en', '')}".lower()
        if any(w in text for w in DECLINE_WORDS):
            out.add(str(rec["claim_id"]))
    return out


def is_decline(claims: pd.DataFrame, claim_id: str) -> bool:
    """Does the text say the growth figure is a fall (sign not printed)?"""
    return claim_id in declines(claims[claims["claim_id"] == claim_id])


# ---------------------------------------------------------------------------------------
# Text vs tables
# ---------------------------------------------------------------------------------------


def _undated_row(t: Figure, yearly: list[Figure], cid: str) -> Row:
    """An undated stock vs every year of a table: consistent if one year fits."""
    rows = [(compare.check_same_quantity(t, f, cid), f) for f in yearly]
    rank = {REPRODUCED: 0, WITHIN: 1, NOT_DECISIVE: 2, PLAUSIBLE: 2, CONTRADICTED: 3,
            UNTESTABLE: 4}
    best, ref = min(rows, key=lambda rf: (rank[rf[0].status],
                                          abs(t.point(rf[1].unit) - rf[1].point())))
    years = items([say("frag.year_value", year=f.year, value=printed(f.printed))
                   for f in yearly], ", ")
    fields = {"a": t.ref_fields(), "b": ref.ref_fields(), "years": years,
              "exhibit": ref.exhibit}
    if best.status == CONTRADICTED:
        a = t.point(ref.unit)
        diagnosis = say("diag.undated.contradicted", **fields, diff=num(a - ref.point()),
                        ratio=num(a / ref.point(), 3))
        diagnosis = with_notes(diagnosis, slip_note(a / ref.point()))
    else:
        diagnosis = say("diag.undated.fits", **fields)
    return Row(cid, best.check_id, best.exhibit, (*t.lines, *[f.line for f in yearly]),
               best.value_printed, best.status, diagnosis,
               say("in.exhibit_years", exhibit=ref.exhibit, years=years), best.recomputed,
               best.tolerance, best.gap)


def _pairs_by_source(t: Figure, cands: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """The table figures of ``t``'s quantity, per table, in year order."""
    return [(source, sorted((f for f in cands if f.source == source),
                            key=lambda f: (f.year or 0, f.ref)))
            for source in sorted({f.source for f in cands})]


def _same_year(t: Figure, f: Figure) -> bool:
    """A dated text figure meets the table cell of its year (or an undated cell); an
    undated one meets only undated cells."""
    if t.year is None:
        return f.year is None
    return f.year is None or f.year == t.year


def vs_tables(ctx: Context, b: Builder) -> None:
    """A text figure vs the table figures of its quantity (same year, or every year for an
    undated stock)."""
    for t in ctx.texts:
        if t.key.endswith(GROWTH_SUFFIX):
            continue
        cands = [f for f in ctx.table_index.by_key.get(t.key, []) if f.base == t.base]
        for source, src in _pairs_by_source(t, cands):
            cid = f"{t.ref}.cross.{source.lower()}"
            if t.year is None and t.key in UNDATED_STOCKS and all(f.year for f in src):
                b.add(_undated_row(t, src, cid), t, *src)
                continue
            for f in src:
                if _same_year(t, f):
                    b.add(compare.check_same_quantity(t, f, cid), t, f)


def _level(ctx: Context, source: str, key: str, year: int) -> Figure | None:
    index = ctx.text_index if source == "text" else ctx.table_index
    return index.first(source, key, year, LEVEL_QUALIFIERS)


def growth(ctx: Context, b: Builder) -> None:
    """A growth rate stated in the text, recomputed from the levels of each table and of
    the text itself (year and year − 1). A fall stated in words gets a negative sign."""
    falls = declines(ctx.claims)
    sources = [*ctx.table_index.sources(), "text"]
    for t in ctx.texts:
        if not t.key.endswith(GROWTH_SUFFIX) or t.year is None:
            continue
        level_key = TABLE_GROWTH_LEVEL.get(t.key, t.key[: -len(GROWTH_SUFFIX)])
        rate = t
        if t.ref in falls and t.point() > 0:
            rate = replace(t, value=-t.value, printed=f"-{t.printed.strip()}")
        for source in sources:
            prev = _level(ctx, source, level_key, t.year - 1)
            cur = _level(ctx, source, level_key, t.year)
            if prev is None or cur is None or prev.base != cur.base:
                continue
            row = arith.check_growth(rate, prev, cur, f"{t.ref}.growth.{source.lower()}")
            if rate is not t:
                row = replace(row, value_printed=t.printed).with_note(
                    say("note.fall", printed=printed(rate.printed)))
            if source != "text":
                row = replace(row, exhibit=f"text; {prev.exhibit}")
            b.add(row, t, prev, cur)


def identities(ctx: Context, b: Builder) -> None:
    """A total stated in the text vs the parts stated in the text for the same year (or both
    undated; the nearest statement of each part)."""
    for t in ctx.texts:
        part_keys = IDENTITIES.get(t.key)
        if not part_keys:
            continue
        chosen = []
        for pk in part_keys:
            part = ctx.text_index.nearest("text", pk, t.year, t.line, ("exact",))
            if part is None:
                break
            chosen.append(part)
        if len(chosen) == len(part_keys):
            b.add(arith.check_identity(t, chosen, f"{t.ref}.identity"), t, *chosen)


def shares(ctx: Context, b: Builder) -> None:
    """A share of a total stated in the text vs its parts and total (nearest statements)."""
    for t in ctx.texts:
        rel = SHARES_OF_TOTAL.get(t.key)
        if rel is None:
            continue
        part_keys, total_key = rel
        parts = [ctx.text_index.nearest("text", k, t.year, t.line) for k in part_keys]
        total = ctx.text_index.nearest("text", total_key, t.year, t.line)
        if total is None or any(p is None for p in parts):
            continue
        found = [p for p in parts if p is not None]
        b.add(arith.check_share_of_total(t, found, total, f"{t.ref}.share"), t, total, *found)


def cumulative(ctx: Context, b: Builder) -> None:
    """A cumulative total in the text vs the sum of a table's yearly figures."""
    for t in ctx.texts:
        yearly_key = CUMULATIVE_OF.get(t.key)
        if yearly_key is None:
            continue
        yearly_all = ctx.table_index.by_key.get(yearly_key, [])
        for source in sorted({f.source for f in yearly_all}):
            yearly = sorted((f for f in yearly_all if f.source == source),
                            key=lambda f: f.year or 0)
            b.add(arith.check_cumulative(t, yearly, f"{t.ref}.cumulative.{source.lower()}"),
                  t, *yearly)


def _signature(f: Figure) -> tuple[str, str, str, str]:
    return (f.printed.strip(), f.unit, f.qualifier, f.period)


def restated(ctx: Context, b: Builder) -> None:
    """The same quantity key and year stated twice; the two ends of one printed range
    ("200–300 million") are not a restatement.

    Each statement is compared with the first statement of every distinct earlier value
    (printed number, unit, qualifier, period): a repeat of an earlier value is compared
    with its first statement only, since a repeat adds no new comparison. The number of
    rows grows with the statements, not with their pairs.
    """
    for (_key, _year), figs in sorted(ctx.text_index.by_key_year.items(), key=str):
        if len(figs) < 2:
            continue
        first_of: dict[tuple[str, str, str, str], Figure] = {}
        for later in sorted(figs, key=lambda f: f.ref):
            sig = _signature(later)
            earlier_firsts = ([first_of[sig]] if sig in first_of
                              else sorted(first_of.values(), key=lambda f: f.ref))
            for earlier in earlier_firsts:
                if _comparable(later, earlier):
                    b.add(compare.check_restated(later, earlier,
                                                 f"{later.ref}.restated.{earlier.ref}"),
                          later, earlier)
            first_of.setdefault(sig, later)


def _comparable(later: Figure, earlier: Figure) -> bool:
    if root(later.ref) == root(earlier.ref):
        return False  # two readings of one printed number are not two statements
    if later.key in REVISIONS and later.line == earlier.line:
        return False  # a forecast before and after its revision: text.revision
    ends = {later.qualifier, earlier.qualifier}
    if ends & {"range_low", "range_high", "approx_range_low", "approx_range_high"} \
            and later.line == earlier.line:
        return False
    if later.period != earlier.period and later.key not in CUMULATIVE_OF \
            and later.key not in UNDATED_STOCKS:
        return False
    return later.base == earlier.base


def impossible(ctx: Context, b: Builder) -> None:
    for t in ctx.texts:
        b.add(compare.check_impossible(t, f"{t.ref}.impossible"), t)


#: The text producers, in the order the ledger runs them.
PRODUCERS: tuple[Producer, ...] = (vs_tables, growth, identities, shares, cumulative,
                                   restated, impossible)
