"""Producers for the declared relations (:mod:`analysis.checks.declarations`): share lists
of the text, parts of a whole, flows and capacities, factors between levels, one quantity
across years, and stated counts against the items a passage enumerates.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from analysis.checks import arith, relations
from analysis.checks.arith import Share
from analysis.checks.context import Builder, Context, Index, Producer
from analysis.checks.declarations import (
    DURATION_SPAN,
    DURATION_START,
    EVENT_COUNTS,
    EVENT_PERIODS,
    EVENT_SERIES,
    FACTORS,
    FLOW_CAPACITY,
    GROWTH_SUFFIX,
    MAIN_CHANNELS,
    OTHER_DATE_OR_SCOPE,
    PART_OF,
    REVISIONS,
    SHARE_LISTS,
)
from analysis.checks.figures import Figure
from analysis.checks.phrases import both, printed, say
from analysis.checks.readings import root
from analysis.methods.rounding import Interval


def _first(figs: list[Figure]) -> Figure | None:
    return min(figs, key=lambda f: f.ref) if figs else None


def _share(figs: list[Figure]) -> Share | None:
    """The share a quantity contributes: its first statement, or a printed range (low and
    high end on one line) as one share."""
    first = _first(figs)
    if first is None:
        return None
    high = None
    if first.qualifier.endswith("range_low"):
        high = next((f for f in figs if f.line == first.line
                     and f.qualifier.endswith("range_high")), None)
    return Share(first.label or first.key, first.line, first, upper=high,
                 label_kk=first.label_kk)


def share_lists(ctx: Context, b: Builder) -> None:
    """Each declared share list of the text, per year, under the one rule of
    :func:`analysis.checks.arith.check_share_sum` (complete: sum to 100 %; partial: the
    share left unaccounted, contradicted only above 100 %)."""
    for list_id, decl in sorted(SHARE_LISTS.items()):
        keys = decl.keys
        years = sorted({f.year for k in keys for f in ctx.text_index.by_key.get(k, [])},
                       key=lambda y: -1 if y is None else y)
        for year in years:
            shares, found = [], []
            for k in keys:
                share = _share(ctx.text_index.get(k, year, "text"))
                if share is not None:
                    shares.append(share)
                    found += [f for f in (share.figure, share.upper) if f is not None]
            if len(shares) < 2:
                continue
            cid = f"L.{list_id}" + (f".{year}" if year is not None else "") + ".sum100"
            b.add(arith.check_share_sum(shares, cid, "text", complete=decl.complete,
                                        basis=arith.list_basis(decl.basis, decl.marker,
                                                               decl.line)), *found)


def _wholes(ctx: Context, key: str, fig: Figure, undated_ok: bool = False) -> list[Figure]:
    """The figures of ``key`` a part or flow is compared with: the nearest text statement
    of the same year, and each table's figure of that year (for a capacity, an undated one
    when no figure of that year exists; for an undated flow, a target with no year, the
    first statement of the capacity in every year the source states it)."""
    out = []
    years = [fig.year] + ([None] if undated_ok and fig.year is not None else [])
    for year in years:
        near = ctx.text_index.nearest("text", key, year, fig.line)
        if near is not None:
            out.append(near)
        for source in ctx.table_index.sources():
            table = ctx.table_index.get(key, year, source)
            if table:
                out.append(table[0])
        if out:
            break
    if not out and undated_ok and fig.year is None:
        dated = sorted({f.year for f in ctx.text_index.by_key.get(key, []) if f.year})
        out = [f for y in dated if (f := ctx.text_index.first("text", key, y)) is not None]
    return out


def _at_most(ctx: Context, b: Builder, pairs: dict[str, str], check_id: str,
             suffix: str) -> None:
    for part in ctx.texts + ctx.tables:
        whole_key = pairs.get(part.key)
        if whole_key is None:
            continue
        for whole in _wholes(ctx, whole_key, part, undated_ok=check_id == "flow.capacity"):
            cid = f"{part.ref}.{suffix}.{whole.ref}"
            b.add(relations.check_at_most(part, whole, cid, check_id), part, whole)


def part_whole(ctx: Context, b: Builder) -> None:
    _at_most(ctx, b, PART_OF, "part.whole", "part_of")


def quarter_year(fig: Figure) -> int | None:
    """The year of a figure printed for part of a year ("2023 Q1"), else ``None``."""
    if fig.year is not None or "Q" not in fig.period:
        return None
    span = arith.period_years(fig.period)
    return span[0] if span is not None and span[0] == span[1] else None


def part_of_year(ctx: Context, b: Builder) -> None:
    """A figure for part of a year (a quarter) is a part of the same quantity's figure
    for the whole year: the first text statement of that year (no period) and each table's
    cell (``part.whole``, a plausibility check)."""
    for part in ctx.texts:
        year = quarter_year(part)
        if year is None:
            continue
        wholes = [f for f in ctx.text_index.get(part.key, year, "text")
                  if not f.period and f.qualifier in ("exact", "approx")]
        found = [min(wholes, key=lambda f: f.ref)] if wholes else []
        found += [t[0] for s in ctx.table_index.sources()
                  if (t := ctx.table_index.get(part.key, year, s))]
        for whole in found:
            if whole.base == part.base:
                b.add(relations.check_at_most(part, whole, f"{part.ref}.part_of_year."
                                              f"{whole.ref}"), part, whole)


def main_channels(ctx: Context, b: Builder) -> None:
    """The channel the text calls the main one carries at least as much as each other
    channel of its list in the same year (:data:`MAIN_CHANNELS`): the first statement
    of each channel and year."""
    for key, (others, words, line) in sorted(MAIN_CHANNELS.items()):
        for year in sorted({f.year for f in ctx.text_index.by_key.get(key, [])
                            if f.year is not None}):
            main = ctx.text_index.first("text", key, year)
            assert main is not None
            for other_key in others:
                other = ctx.text_index.first("text", other_key, year)
                if other is None or root(other.ref) == root(main.ref):
                    continue
                b.add(relations.check_main(main, other, f"{main.ref}.main.{other.ref}",
                                           words, line), main, other)


def revisions(ctx: Context, b: Builder) -> None:
    """One forecast before and after a revision the text states in words
    (:data:`REVISIONS`): the two figures of the key on the declared line, in order."""
    for key, (direction, verb, line) in sorted(REVISIONS.items()):
        figs = sorted((f for f in ctx.text_index.by_key.get(key, []) if f.line == line),
                      key=lambda f: f.ref)
        for before, after in zip(figs, figs[1:], strict=False):
            b.add(relations.check_revision(before, after, direction, verb,
                                           f"{after.ref}.revision.{before.ref}"),
                  before, after)


def other_dates(ctx: Context, b: Builder) -> None:
    """Quantities the text states for different dates or scopes
    (:data:`OTHER_DATE_OR_SCOPE`): each statement of one against the other's statements
    in the text and in each table (one row per source), their difference said, never a
    contradiction."""
    for (key_a, key_b), decl in sorted(OTHER_DATE_OR_SCOPE.items()):
        words = ((decl.words_a, decl.line_a), (decl.words_b, decl.line_b))
        for a in sorted(ctx.text_index.by_key.get(key_a, []), key=lambda f: f.ref):
            when = (a.year, a.period)  # the other side's statements of another date only
            groups = [[f for f in ctx.text_index.by_key.get(key_b, [])
                       if (f.year, f.period) != when]]
            groups += [[f for f in ctx.table_index.by_key.get(key_b, []) if f.source == s
                        and (f.year, f.period) != when] for s in ctx.table_index.sources()]
            for others in (g for g in groups if g):
                source = others[0].source.lower()
                b.add(relations.check_other_date(a, others, decl.relation, decl.differs,
                                                 words, f"{a.ref}.other_date.{source}"),
                      a, *others)


def flow_capacity(ctx: Context, b: Builder) -> None:
    _at_most(ctx, b, FLOW_CAPACITY, "flow.capacity", "within_capacity")


def factors(ctx: Context, b: Builder) -> None:
    """Declared factors ("grew fourfold"): after = factor × before."""
    refs = {**ctx.table_index.by_ref, **ctx.text_index.by_ref}
    for factor_id, (before_id, after_id) in sorted(FACTORS.items()):
        factor, before, after = refs.get(factor_id), refs.get(before_id), refs.get(after_id)
        if factor is None or before is None or after is None:
            continue
        b.add(relations.check_times(factor, before, after, f"{factor_id}.factor"),
              factor, before, after)


def _series(index: Index, b: Builder) -> None:
    by_key: dict[tuple[str, str], dict[int, list[Figure]]] = defaultdict(dict)
    for (source, key, year), figs in index.by_source.items():
        if year is not None:
            by_key[(source, key)][year] = figs
    for (_source, key), years in sorted(by_key.items()):
        if key.endswith(GROWTH_SUFFIX) or len(years) < 2:
            continue
        ordered = sorted(years)
        for y0, y1 in zip(ordered, ordered[1:], strict=False):
            earlier, later = _first(years[y0]), _first(years[y1])
            assert earlier is not None and later is not None
            if earlier.unit == "percent" or later.unit == "percent" \
                    or earlier.base != later.base or earlier.point() <= 0:
                continue
            if earlier.qualifier.endswith("range_high") or later.qualifier.endswith(
                    "range_low"):
                continue
            b.add(relations.check_jump(earlier, later, f"{later.ref}.series.{earlier.ref}"),
                  earlier, later)


def series(ctx: Context, b: Builder) -> None:
    """One quantity in consecutive stated years within one source (the text's own
    statements; each table's own rows): no implausible jump or fall."""
    _series(ctx.text_index, b)
    _series(ctx.table_index, b)


def _named(grp: pd.DataFrame) -> list[tuple[str, str]]:
    """(key, as printed) of each item of one enumeration, in printed order."""
    grp = grp.sort_values("item_no")
    return [(" ".join(str(e).lower().split()), str(k))
            for e, k in zip(grp["item_en"], grp["item_kk"], strict=True)]


def named_sets(ctx: Context, b: Builder) -> None:
    """Two statements of one count (same quantity, year and period) that each enumerate
    complete lists must name the same members (``count.named_sets``): each statement
    against the first earlier one that names its members."""
    if ctx.enumerations is None or ctx.enumerations.empty:
        return
    enum = ctx.enumerations
    complete = {str(c): g for c, g in enum.groupby("claim_id")
                if set(g["list_complete"]) == {"yes"}}
    for (_key, _year), figs in sorted(ctx.text_index.by_key_year.items(), key=str):
        named = sorted((f for f in figs if f.ref in complete), key=lambda f: f.ref)
        for earlier, later in zip(named, named[1:], strict=False):
            if later.period != earlier.period:
                continue
            ga, gb = complete[later.ref], complete[earlier.ref]
            lines = [int(x) for x in (*ga["source_line"], *gb["source_line"])]
            b.add(relations.check_named_sets(later, earlier, _named(ga), _named(gb), lines,
                                             f"{later.ref}.named.{earlier.ref}"),
                  later, earlier)


def counts(ctx: Context, b: Builder) -> None:
    """A stated count vs the items its passage enumerates (``text_enumerations.csv``)."""
    if ctx.enumerations is None or ctx.enumerations.empty:
        return
    for claim_id, grp in ctx.enumerations.groupby("claim_id", sort=True):
        count = ctx.text_index.by_ref.get(str(claim_id))
        if count is None:
            continue
        grp = grp.sort_values("item_no")
        complete = set(grp["list_complete"]) == {"yes"}
        b.add(relations.check_count(count, [str(x) for x in grp["item_kk"]],
                                    [int(x) for x in grp["source_line"]],
                                    f"{claim_id}.count", complete), count)


def _event_year(ctx: Context, event_key: str) -> tuple[int, int] | None:
    """(year, line) of the first telling of an event that prints a year."""
    if ctx.events is None:
        return None
    told = ctx.events[(ctx.events["event_key"] == event_key) & ctx.events["year"].notna()]
    if told.empty:
        return None
    first = told.sort_values("event_id").iloc[0]
    return int(first["year"]), int(first["source_line"])


def _ranges(ctx: Context, key: str) -> list[tuple[Figure, Figure]]:
    """The printed ranges of ``key``: on each line, the low ends paired in claim order
    with the high ends (one pass per line, not all pairs)."""
    lows: dict[int, list[Figure]] = defaultdict(list)
    highs: dict[int, list[Figure]] = defaultdict(list)
    for f in ctx.text_index.by_key.get(key, []):
        if f.qualifier.endswith("range_low"):
            lows[f.line].append(f)
        elif f.qualifier.endswith("range_high"):
            highs[f.line].append(f)
    out = []
    for line in sorted(lows):
        pairs = zip(sorted(lows[line], key=lambda f: f.ref),
                    sorted(highs.get(line, []), key=lambda f: f.ref), strict=False)
        out += list(pairs)
    return out


def durations(ctx: Context, b: Builder) -> None:
    """Durations and anniversaries vs the years of their start and end: the event a
    duration counts from (:data:`DURATION_START`), the printed range it spans
    (:data:`DURATION_SPAN`), and two anniversaries of one thing in different years (their
    implied start years must agree)."""
    for key, event_key in sorted(DURATION_START.items()):
        start = _event_year(ctx, event_key)
        stated = sorted(ctx.text_index.by_key.get(key, []), key=lambda f: f.ref)
        dated = [f for f in stated if f.year is not None]
        for d in stated:
            if start is None:
                continue
            if d.year is None:  # its end is printed only where another statement dates it
                if dated:
                    b.add(relations.check_implied_end(d, start, event_key, dated[0],
                                                      f"{d.ref}.duration.{dated[0].ref}"),
                          d, dated[0])
                continue
            expected = Interval.point(d.year - start[0])
            how = say("how.event", end=d.year, start=start[0], event=event_key, line=start[1])
            b.add(relations.check_duration(
                d, expected, how, (start[1],), f"{d.ref}.duration.{event_key}",
                say("in.event_year", event=event_key, year=start[0])), d)
    for key, range_key in sorted(DURATION_SPAN.items()):
        for lo, hi in _ranges(ctx, range_key)[:1]:
            expected = Interval.point(hi.point() - lo.point())
            how = say("how.span", hi=printed(hi.printed), lo=printed(lo.printed), line=lo.line)
            for d in sorted(ctx.text_index.by_key.get(key, []), key=lambda f: f.ref):
                b.add(relations.check_duration(
                    d, expected, how, lo.lines, f"{d.ref}.duration.{lo.ref}",
                    arith.figures([lo, hi])), d, lo, hi)
    _anniversaries(ctx, b)


def _anniversaries(ctx: Context, b: Builder) -> None:
    for key in sorted({k for k in ctx.text_index.by_key if k.endswith("_age_years")}):
        dated = sorted((f for f in ctx.text_index.by_key[key] if f.year is not None),
                       key=lambda f: (f.year, f.ref))
        if len(dated) < 2 or key in DURATION_START:
            continue
        first = dated[0]
        for later in dated[1:]:
            if later.year == first.year:
                continue
            assert later.year is not None and first.year is not None
            expected = first.interval("half_up").shift(later.year - first.year)
            how = say("how.implied", year=later.year, start_year=first.year,
                      printed=printed(first.printed), ref=first.ref, line=first.line)
            b.add(relations.check_duration(
                later, Interval(expected.lo, expected.hi, True, True), how, first.lines,
                f"{later.ref}.duration.{first.ref}", arith.figures([first])), later, first)


def _series_years(ctx: Context, series: str) -> list[tuple[str, int, int]]:
    """(event key, year, line) for each dated event of a series: the year most tellings
    give (ties: the earliest line), so one misprinted telling does not move the event."""
    if ctx.events is None:
        return []
    out = []
    for key in EVENT_SERIES[series]:
        told = ctx.events[(ctx.events["event_key"] == key) & ctx.events["year"].notna()]
        if told.empty:
            continue
        votes: dict[int, list[int]] = defaultdict(list)
        for year, line in zip(told["year"], told["source_line"], strict=True):
            votes[int(year)].append(int(line))
        year = max(votes, key=lambda y: (len(votes[y]), -min(votes[y])))
        out.append((key, year, min(votes[year])))
    return out


def _event_name(ctx: Context, key: str) -> dict[str, str]:
    """An event's name in both languages, as its first telling gives it."""
    assert ctx.events is not None
    first = ctx.events[ctx.events["event_key"] == key].sort_values("event_id").iloc[0]
    return both(str(first["event_kk"]), str(first["event_en"]))


def event_series(ctx: Context, b: Builder) -> None:
    """Counts of events in a window (:data:`EVENT_COUNTS`) and printed spans of a series
    (:data:`EVENT_PERIODS`) vs the dated events of the series (:data:`EVENT_SERIES`)."""
    for key, (series, lo, hi) in sorted(EVENT_COUNTS.items()):
        inside = [t for t in _series_years(ctx, series)
                  if (lo is None or t[1] >= lo) and (hi is None or t[1] <= hi)]
        for c in sorted(ctx.text_index.by_key.get(key, []), key=lambda f: f.ref):
            named = [say("frag.event_year", event=_event_name(ctx, k), year=y)
                     for k, y, _ in inside]
            b.add(relations.check_count(c, named, [line for _, _, line in inside],
                                        f"{c.ref}.events.{series}", True, "count.events"), c)
    for key, series in sorted(EVENT_PERIODS.items()):
        years = _series_years(ctx, series)
        for lo_fig, hi_fig in _ranges(ctx, key):
            if years:
                b.add(relations.check_series_period(lo_fig, hi_fig, years,
                                                    f"{lo_fig.ref}.period.{series}"),
                      lo_fig, hi_fig)


#: The relation producers, in the order the ledger runs them.
PRODUCERS: tuple[Producer, ...] = (share_lists, part_whole, part_of_year, flow_capacity,
                                   main_channels, revisions, other_dates, factors, series,
                                   counts, named_sets, durations, event_series)
