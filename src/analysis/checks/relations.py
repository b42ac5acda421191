"""Relations between quantities that are not sums: a factor ("three times"), a part and its
whole, a flow and the capacity of its route, a quantity from one year to the next, and a
stated count against the items the passage enumerates.

Each is a small function judged by :func:`analysis.methods.rounding.verdict`. An inequality
(a part within its whole, a flow within a capacity, no implausible jump) is a plausibility
test: it never recomputes a number, so when it holds — for the printed values themselves,
or only for some values their rounding allows (the diagnosis says which) — its status is
*plausible*, never *reproduced*; *contradicted* when no values hold it.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from analysis.checks.arith import figures, value_iv
from analysis.checks.compare import is_bound
from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    Row,
    status_suffix,
)
from analysis.checks.figures import Figure, gap, gap_text
from analysis.checks.phrases import Phrase, interval, items, num, only_rules, printed, say
from analysis.methods import rounding
from analysis.methods.rounding import RULES, Interval, Rule

#: A quantity that changes by more than this factor from one year to the next (either way)
#: is an implausible jump; over a gap of g years the factor is JUMP_FACTOR ** g. A stated
#: threshold, not a fact: doubling or halving within a year is rare for the trade,
#: investment, output and population figures this text prints.
JUMP_FACTOR = Fraction(2)


def _base(unit: str) -> str:
    return unit.removesuffix("/year")


def _exhibit(a: Figure, b: Figure) -> str:
    return a.exhibit if a.exhibit == b.exhibit else f"{a.exhibit}; {b.exhibit}"


def check_times(factor: Figure, before: Figure, after: Figure, claim_id: str) -> Row:
    """``identity.product``: ``after = factor × before`` ("grew fourfold", "three times
    more"). The ratio ``after / before`` over the levels' intervals must meet the printed
    factor's interval (a factor printed "more than 4 times" is a lower bound)."""
    ratio_iv = {rule: rounding.ratio(after.interval(rule, before.unit), before.interval(rule))
                for rule in RULES}
    point = after.point(before.unit) / before.point()
    ifac = factor.intervals()
    bounded = is_bound(factor, before, after)
    v = rounding.verdict(point == factor.point() and factor.qualifier == "exact"
                         and not bounded, ratio_iv, ifac, bounded=bounded)
    fields = {"factor": factor.ref_fields(),
              "expr": say("frag.ratio_expr", after=printed(after.printed),
                          before=printed(before.printed), value=num(point)),
              "iv": interval(ratio_iv["half_up"]), "factor_iv": interval(ifac["half_up"])}
    return Row(claim_id, "identity.product", factor.exhibit,
               (*factor.lines, *before.lines, *after.lines), factor.printed, v.status,
               say(f"diag.product.{status_suffix(v.status)}", **fields),
               figures([before, after]), value_iv(point, ratio_iv["half_up"]),
               say("tol.factor", factor=factor.tolerance()),
               gap_text(gap(ratio_iv["half_up"], ifac["half_up"]))
               if v.status == CONTRADICTED else "").with_note(only_rules(v))


def check_at_most(part: Figure, whole: Figure, claim_id: str,
                  check_id: str = "part.whole") -> Row:
    """``part.whole`` / ``flow.capacity``: ``part ≤ whole``. Units must share a base (a
    year's flow in tonnes is compared with a capacity in tonnes per year)."""
    if _base(part.base) != _base(whole.base):
        raise ValueError(f"{part.ref} ({part.unit}) and {whole.ref} ({whole.unit}) are not "
                         "in comparable units")
    unit = whole.unit if part.base == whole.base else None
    ip = part.intervals(unit) if unit else part.intervals()
    iw = whole.intervals()
    room = {rule: Interval(None, iw[rule].hi, False, iw[rule].hi_closed) for rule in RULES}
    a = part.point(unit) if unit else part.point()
    b = whole.point()
    v = rounding.verdict(False, ip, room)
    status = CONTRADICTED if v.status == CONTRADICTED else PLAUSIBLE
    key = "capacity" if check_id == "flow.capacity" else "part"
    suffix = "contradicted" if status == CONTRADICTED else \
        "plausible" if a <= b else "plausible_rounding"
    fields = {"part": part.ref_fields(), "whole": whole.ref_fields(), "a": num(a),
              "b": num(b), "part_iv": interval(ip["half_up"]),
              "whole_iv": interval(iw["half_up"])}
    row = Row(claim_id, check_id, _exhibit(part, whole), (*part.lines, *whole.lines),
              part.printed, status, say(f"diag.{key}.{suffix}", **fields),
              say("in.figure", a=whole.ref_fields()),
              say("re.at_most_iv", value=num(b), iv=interval(iw["half_up"])),
              say(f"tol.{key}", part=part.tolerance(), whole=whole.tolerance()),
              gap_text(gap(ip["half_up"], room["half_up"])) if status == CONTRADICTED else "")
    return row.with_note(only_rules(v)) if suffix == "plausible_rounding" else row


def jump_interval(gap_years: int) -> Interval:
    """The ratios a quantity may move by over ``gap_years`` years without being an
    implausible jump: [1/F**g, F**g] (:data:`JUMP_FACTOR`)."""
    f = JUMP_FACTOR ** gap_years
    return Interval(1 / f, f)


def check_jump(earlier: Figure, later: Figure, claim_id: str) -> Row:
    """``series.jump``: one quantity in two years (``earlier.year < later.year``) must not
    change by more than :data:`JUMP_FACTOR` per year. The ratio later/earlier over both
    figures' rounding (and qualifiers) must meet the allowed range of ratios."""
    if earlier.year is None or later.year is None or later.year <= earlier.year:
        raise ValueError("series.jump needs two dated figures in increasing years")
    years = later.year - earlier.year
    ratio_iv: dict[Rule, Interval] = {
        rule: rounding.ratio(later.interval(rule, earlier.unit), earlier.interval(rule))
        for rule in RULES}
    point = later.point(earlier.unit) / earlier.point()
    allowed = jump_interval(years)
    v = rounding.verdict(False, ratio_iv, {rule: allowed for rule in RULES})
    status = CONTRADICTED if v.status == CONTRADICTED else PLAUSIBLE
    limit = interval(allowed, places=3)
    fields = {"earlier": earlier.ref_fields(), "later": later.ref_fields(),
              "ratio": num(point, 3), "years": years, "limit": limit,
              "iv": interval(ratio_iv["half_up"], places=3), "factor": num(JUMP_FACTOR),
              "direction": say("frag.rise" if point > 1 else "frag.fall")}
    key = "diag.jump.contradicted" if status == CONTRADICTED else "diag.jump.plausible"
    return Row(claim_id, "series.jump", _exhibit(earlier, later),
               (*earlier.lines, *later.lines), later.printed, status, say(key, **fields),
               say("in.figure", a=earlier.ref_fields()),
               say("re.value_iv", value=num(point, 3),
                   iv=interval(ratio_iv["half_up"], places=3), unit=None),
               say("tol.ratio_within", limit=limit),
               gap_text(gap(ratio_iv["half_up"], allowed)) if status == CONTRADICTED else "")


def check_count(count: Figure, listed_items: Sequence[object], item_lines: Sequence[int],
                claim_id: str, complete: bool = True, check_id: str = "count.enumerated") -> Row:
    """``count.enumerated``: a stated count vs the items the passage enumerates.
    A count printed "more than n" needs more than n items; "about n" allows ±10 %. When the
    passage lists only some of them ("among them …", ``complete=False``), the count must be
    at least the number listed. ``count.events``: the same test against the dated events
    of a series (the summits the text itself numbers) that fall in the count's window; its
    diagnoses use the ``count_events.*`` templates. An item is a quotation of the source
    or a phrase (an event's name and year)."""
    n = len(listed_items)
    ic = count.intervals()
    listed = Interval.point(n) if complete else Interval(Fraction(n), None, True, False)
    v = rounding.verdict(count.point() == n and count.qualifier == "exact" and complete,
                         {rule: listed for rule in RULES}, ic,
                         bounded=not complete or is_bound(count))
    fields = {"count": count.ref_fields(), "n": n, "items": items(listed_items),
              "partial": None if complete else say("frag.partial_list")}
    base = "count_events" if check_id == "count.events" else "count"
    return Row(claim_id, check_id, count.exhibit, (*count.lines, *item_lines),
               count.printed, v.status, say(f"diag.{base}.{status_suffix(v.status)}", **fields),
               say("in.items", n=n), say("re.count", n=n), count.tolerance(),
               gap_text(gap(listed, ic["half_up"])) if v.status == CONTRADICTED else "")


def expected_value(expected: Interval) -> Phrase:
    """A duration the source implies: one number, or an interval when a year is itself
    derived from a rounded duration."""
    if expected.lo is not None and expected.lo == expected.hi:
        return num(expected.lo)
    return interval(expected)


def check_duration(duration: Figure, expected: Interval, how: Phrase, lines: Sequence[int],
                   claim_id: str, inputs: Phrase) -> Row:
    """``identity.duration``: a stated duration or anniversary ("34 жылдық кезең", "125
    жылдық мерейтой" in 2018) vs the years the source gives for its start and end
    (``expected``: end − start, an interval when a year is itself derived from a rounded
    duration). ``how`` says where ``expected`` comes from (a phrase: ``how.*``)."""
    stated = duration.intervals()
    exact = (expected.lo == expected.hi == duration.point() and duration.qualifier == "exact"
             and expected.lo_closed and expected.hi_closed)
    v = rounding.verdict(exact, {rule: expected for rule in RULES}, stated,
                         bounded=is_bound(duration))
    shown = expected_value(expected)
    fields = {"duration": duration.ref_fields(), "how": how, "expected": shown,
              "stated_iv": interval(stated["half_up"])}
    return Row(claim_id, "identity.duration", duration.exhibit, (*duration.lines, *lines),
               duration.printed, v.status,
               say(f"diag.duration.{status_suffix(v.status)}", **fields), inputs,
               say("re.value", value=shown), duration.tolerance(),
               gap_text(gap(expected, stated["half_up"])) if v.status == CONTRADICTED else "")


def check_series_period(low: Figure, high: Figure, years: Sequence[tuple[str, int, int]],
                        claim_id: str) -> Row:
    """``events.series_period``: a printed span of a series ("the summits of 1992–2010")
    vs the first and last year of the series' dated events (``years``: (event key, year,
    line)). Both ends must match; a year is exact, so there is no rounding to allow."""
    first, last = min(years, key=lambda t: t[1]), max(years, key=lambda t: t[1])
    ok = low.point() == first[1] and high.point() == last[1]
    status = REPRODUCED if ok else CONTRADICTED
    span = f"{first[1]}–{last[1]}"
    fields = {"low": low.ref_fields(), "high": high.ref_fields(), "span": span,
              "first": first[0], "last": last[0], "n": len(years)}
    return Row(claim_id, "events.series_period", low.exhibit,
               (*low.lines, first[2], last[2]), f"{low.printed}–{high.printed}", status,
               say(f"diag.series_period.{status_suffix(status)}", **fields),
               figures([low, high]), say("re.value", value=span), say("tol.exact_years"))


def check_main(main: Figure, other: Figure, claim_id: str, words: str, line: int) -> Row:
    """``text.main``: the channel the text calls the main one (``words`` on ``line``)
    carries at least as much as another channel of the same year: plausible when it does
    (at the printed values, or only within their rounding: the diagnosis says which),
    contradicted when even the extremes of rounding put the other channel above it."""
    iw = main.intervals(other.unit) if main.base == other.base else main.intervals()
    io = other.intervals()
    room = {rule: Interval(None, iw[rule].hi, False, iw[rule].hi_closed) for rule in RULES}
    v = rounding.verdict(False, io, room)
    status = CONTRADICTED if v.status == CONTRADICTED else PLAUSIBLE
    a, b = other.point(), main.point(other.unit)
    fields = {"main": main.ref_fields(), "other": other.ref_fields(), "words": f"«{words}»",
              "line": line, "a": num(a), "b": num(b),
              "ratio": num(a / b, 3) if b else None}
    key = "contradicted" if status == CONTRADICTED else "plausible"
    return Row(claim_id, "text.main", _exhibit(main, other), (*main.lines, *other.lines, line),
               other.printed, status, say(f"diag.main.{key}", **fields),
               say("in.figure", a=main.ref_fields()),
               say("re.at_most_iv", value=num(b), iv=interval(iw["half_up"])),
               say("tol.part", part=other.tolerance(), whole=main.tolerance()),
               gap_text(gap(io["half_up"], room["half_up"])) if status == CONTRADICTED else "")


_DIRECTION = {"down": -1, "up": 1}


def check_revision(before: Figure, after: Figure, direction: str, verb: str,
                   claim_id: str) -> Row:
    """``text.revision``: one forecast before and after a revision the text states in words
    (``verb``, "lowered"): the change after − before must have the stated sign. reproduced
    when it does at every value the rounding of both allows, within rounding when only at
    some, contradicted when at none. The size (points and per cent) is reported."""
    sign = _DIRECTION[direction]
    diffs = {rule: after.interval(rule, before.unit) - before.interval(rule) for rule in RULES}
    want = Interval(Fraction(0), None, False, False) if sign > 0 \
        else Interval(None, Fraction(0), False, False)
    always = all(diffs[rule].within(want) for rule in RULES)
    v = rounding.verdict(always, diffs, {rule: want for rule in RULES})
    change = after.point(before.unit) - before.point()
    fields = {"before": before.ref_fields(), "after": after.ref_fields(),
              "verb": f"«{verb}»", "change": num(change),
              "relative": num(change / before.point() * 100, 1) if before.point() else None,
              "iv": interval(diffs["half_up"]),
              "direction": say(f"frag.direction_{direction}")}
    return Row(claim_id, "text.revision", before.exhibit, (*before.lines, *after.lines),
               f"{before.printed} → {after.printed}", v.status,
               say(f"diag.revision.{status_suffix(v.status)}", **fields),
               figures([before, after]), say("re.value_iv", value=num(change),
                                             iv=interval(diffs["half_up"]), unit=None),
               say("tol.revision", before=before.tolerance(), after=after.tolerance()),
               gap_text(gap(diffs["half_up"], want)) if v.status == CONTRADICTED else "")


def check_other_date(a: Figure, others: Sequence[Figure], relation: str, differs: str,
                     words: tuple[tuple[str, int], tuple[str, int]], claim_id: str) -> Row:
    """``text.other_date``: a quantity set against one the text states for another date or
    scope (a stake then and now, a part now against a whole of earlier years). The
    difference (and ratio) is reported; since the dates or scopes differ, no difference
    can contradict: not decisive."""
    ref = max(others, key=lambda o: (o.year or 0, o.ref))  # the latest the other side gives
    diff = a.point(ref.unit) - ref.point() if a.base == ref.base else None
    (wa, la), (wb, lb) = words
    fields = {"a": a.ref_fields(), "b": ref.ref_fields(),
              "others": items([say("frag.year_value", year=o.year or "–",
                                   value=printed(o.printed)) for o in others], ", "),
              "diff": num(diff) if diff is not None else None,
              "ratio": num(a.point(ref.unit) / ref.point(), 3)
              if diff is not None and ref.point() else None,
              "words_a": f"«{wa}»", "line_a": la, "words_b": f"«{wb}»", "line_b": lb,
              "differs": say(f"frag.differs_{differs}")}
    lines = (*a.lines, *(ln for o in others for ln in o.lines), la, lb)
    return Row(claim_id, "text.other_date", _exhibit(a, ref), lines, a.printed, NOT_DECISIVE,
               say(f"diag.other_date.{relation}", **fields), figures(list(others)),
               say("re.value", value=num(diff) if diff is not None else "–"),
               say("tol.other_date"))


def check_implied_end(duration: Figure, start: tuple[int, int], event: str,
                      dated: Figure, claim_id: str) -> Row:
    """``identity.duration`` for a duration that prints no year (an age, "15 years since
    the founding"): counted from its start event, it ends in start + duration; another
    statement of the same duration prints a year. They agree only if they are of the same
    date, which nothing printed fixes: not decisive, with the arithmetic."""
    end = start[0] + duration.point()
    fields = {"duration": duration.ref_fields(), "event": event, "start": start[0],
              "start_line": start[1], "end": int(end), "dated": dated.ref_fields(),
              "same": say("frag.same_end" if end == dated.year else "frag.other_end")}
    return Row(claim_id, "identity.duration", duration.exhibit,
               (*duration.lines, start[1], *dated.lines), duration.printed, NOT_DECISIVE,
               say("diag.duration.implied_end", **fields),
               say("in.event_year", event=event, year=start[0]), say("re.value", value=num(end)),
               duration.tolerance())


def check_named_sets(later: Figure, earlier: Figure, named_later: Sequence[tuple[str, str]],
                     named_earlier: Sequence[tuple[str, str]], lines: Sequence[int],
                     claim_id: str) -> Row:
    """``count.named_sets``: two statements of one count that each name their members
    must name the same members, not only the same number. Items are compared by their
    English names (``named_*``: (name, as printed) pairs); two names are one member when
    the words of one are all among the other's ("sea" and "by sea from Aktau"), so a
    fuller wording is never a different member."""
    only_a = [p for k, p in named_later if not any(_same_item(k, o) for o, _ in named_earlier)]
    only_b = [p for k, p in named_earlier if not any(_same_item(k, o) for o, _ in named_later)]
    status = REPRODUCED if not only_a and not only_b else CONTRADICTED
    fields = {"later": later.ref_fields(), "earlier": earlier.ref_fields(),
              "a": items([f"«{p}»" for _, p in named_later], ", "),
              "b": items([f"«{p}»" for _, p in named_earlier], ", "),
              "only_a": items([f"«{p}»" for p in only_a], ", "),
              "only_b": items([f"«{p}»" for p in only_b], ", "),
              "union": len(named_earlier) + len(only_a)}
    key = "reproduced" if status == REPRODUCED else "contradicted"
    return Row(claim_id, "count.named_sets", later.exhibit,
               (*later.lines, *earlier.lines, *lines), later.printed, status,
               say(f"diag.named_sets.{key}", **fields), say("in.figure", a=earlier.ref_fields()),
               say("re.count", n=len(named_earlier) + len(only_a)), say("tol.exact_names"))


def _same_item(a: str, b: str) -> bool:
    """One member named twice: the words of one name are all among the other's."""
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa
