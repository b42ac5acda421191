"""Relations between quantities that are not sums: a factor ("three times"), a part and its
whole, a flow and the capacity of its route, a quantity from one year to the next, and a
stated count against the items the passage enumerates.

Each is a small function judged by :func:`analysis.methods.rounding.verdict`; an inequality is
*reproduced* when the printed values themselves satisfy it, *within rounding* when only
some values their rounding allows do, *contradicted* when none do.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from analysis.checks.core import CONTRADICTED, REPRODUCED, WITHIN, Row
from analysis.checks.figures import Figure, gap, gap_text
from analysis.methods import rounding
from analysis.methods.rounding import RULES, Interval, Rule, fmt

#: A quantity that changes by more than this factor from one year to the next (either way)
#: is an implausible jump; over a gap of g years the factor is JUMP_FACTOR ** g. A stated
#: threshold, not a fact: doubling or halving within a year is rare for the trade,
#: investment, output and population figures this text prints.
JUMP_FACTOR = Fraction(2)


def _suffix(status: str) -> str:
    return {REPRODUCED: "reproduced", WITHIN: "within", CONTRADICTED: "contradicted"}[status]


def _base(unit: str) -> str:
    return unit.removesuffix("/year")


def check_times(factor: Figure, before: Figure, after: Figure, claim_id: str) -> Row:
    """``identity.product``: ``after = factor × before`` ("grew fourfold", "three times
    more"). The ratio ``after / before`` over the levels' intervals must meet the printed
    factor's interval (a factor printed "more than 4 times" is a lower bound)."""
    ratio_iv = {rule: rounding.ratio(after.interval(rule, before.unit), before.interval(rule))
                for rule in RULES}
    point = after.point(before.unit) / before.point()
    ifac = factor.intervals()
    v = rounding.verdict(point == factor.point() and factor.qualifier == "exact", ratio_iv,
                         ifac)
    shown, shown_f = ratio_iv["half_up"].text(), ifac["half_up"].text()
    expr = f"{after.printed} / {before.printed} = {fmt(point)}"
    fields = {"factor": factor.ref_fields(), "before": before.ref_fields(),
              "after": after.ref_fields(), "expr": expr, "iv": shown, "factor_iv": shown_f,
              "rules": v.rule_text}
    if v.status == REPRODUCED:
        diag = f"{expr}, exactly the printed factor {factor.stated()}"
    elif v.status == WITHIN:
        diag = (f"{expr} vs the printed factor {factor.stated()}: {shown} meets {shown_f}"
                + (f"; {v.rule_text}" if v.rule_text else ""))
    else:
        diag = (f"{expr}, but the text says {factor.stated()} times ({factor.where()}): "
                f"{shown} misses {shown_f}")
    return Row(claim_id, "identity.product", factor.exhibit,
               (*factor.lines, *before.lines, *after.lines), factor.printed,
               f"{before.describe()}; {after.describe()}", f"{fmt(point)} {shown}",
               f"factor {factor.tolerance_text()}; levels their rounding", v.status, diag,
               f"product.{_suffix(v.status)}", fields,
               gap_text(gap(ratio_iv["half_up"], ifac["half_up"]))
               if v.status == CONTRADICTED else "")


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
    status = REPRODUCED if v.status == WITHIN and a <= b else v.status
    word = "capacity" if check_id == "flow.capacity" else "whole"
    fields = {"part": part.ref_fields(), "whole": whole.ref_fields(), "a": fmt(a),
              "b": fmt(b), "word": word, "part_iv": ip["half_up"].text(),
              "whole_iv": iw["half_up"].text(), "rules": v.rule_text}
    head = f"{part.describe()} vs {word} {whole.describe()}"
    if status == REPRODUCED:
        diag = f"{head}: {fmt(a)} ≤ {fmt(b)}"
    elif status == WITHIN:
        diag = (f"{head}: {fmt(a)} > {fmt(b)} as printed, but their rounding "
                f"({fields['part_iv']}, {fields['whole_iv']}) lets the part fit"
                + (f"; {v.rule_text}" if v.rule_text else ""))
    else:
        diag = (f"{head}: the part {fmt(a)} exceeds its {word} {fmt(b)} even at the extremes "
                f"of their rounding ({fields['part_iv']} vs at most {fields['whole_iv']})")
    key = "capacity" if check_id == "flow.capacity" else "part"
    return Row(claim_id, check_id, part.exhibit if part.exhibit == whole.exhibit
               else f"{part.exhibit}; {whole.exhibit}", (*part.lines, *whole.lines),
               part.printed, whole.describe(), f"≤ {fmt(b)} {iw['half_up'].text()}",
               f"part {part.tolerance_text()}; {word} {whole.tolerance_text()}", status, diag,
               f"{key}.{_suffix(status)}", fields,
               gap_text(gap(ip["half_up"], room["half_up"])) if status == CONTRADICTED else "")


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
    status = REPRODUCED if v.status == WITHIN and allowed.contains(point) else v.status
    head = (f"{earlier.describe()} → {later.describe()}: ratio {fmt(point, 3)} over "
            f"{years} year{'s' if years > 1 else ''}")
    limit = f"[{fmt(allowed.lo, 3)}, {fmt(allowed.hi, 3)}]"
    fields = {"earlier": earlier.ref_fields(), "later": later.ref_fields(),
              "ratio": fmt(point, 3), "years": years, "limit": limit,
              "iv": ratio_iv["half_up"].text(3), "factor": fmt(JUMP_FACTOR)}
    if status == CONTRADICTED:
        diag = (f"{head}, outside the plausible {limit} (at most ×{fmt(JUMP_FACTOR)} a year "
                f"either way) even at the extremes of rounding {fields['iv']}: an "
                f"implausible {'jump' if point > 1 else 'fall'} (a finding to check, not "
                f"proof of an error)")
    else:
        diag = f"{head}, within the plausible {limit} (×{fmt(JUMP_FACTOR)} a year either way)"
    return Row(claim_id, "series.jump", earlier.exhibit if earlier.exhibit == later.exhibit
               else f"{earlier.exhibit}; {later.exhibit}", (*earlier.lines, *later.lines),
               later.printed, earlier.describe(), f"{fmt(point, 3)} {fields['iv']}",
               f"ratio within {limit}", status, diag,
               "jump.contradicted" if status == CONTRADICTED else "jump.plausible", fields,
               gap_text(gap(ratio_iv["half_up"], allowed)) if status == CONTRADICTED else "")


def check_count(count: Figure, items: Sequence[str], item_lines: Sequence[int],
                claim_id: str, complete: bool = True, check_id: str = "count.enumerated") -> Row:
    """``count.enumerated``: a stated count vs the items the passage enumerates.
    A count printed "more than n" needs more than n items; "about n" allows ±10 %. When the
    passage lists only some of them ("among them …", ``complete=False``), the count must be
    at least the number listed. ``count.events``: the same test against the dated events
    of a series (the summits the text itself numbers) that fall in the count's window; its
    diagnoses use the ``count_events.*`` templates."""
    n = len(items)
    ic = count.intervals()
    listed = Interval.point(n) if complete else Interval(Fraction(n), None, True, False)
    v = rounding.verdict(count.point() == n and count.qualifier == "exact" and complete,
                         {rule: listed for rule in RULES}, ic)
    shown = "; ".join(items)
    fields = {"count": count.ref_fields(), "n": n, "items": shown, "complete": complete}
    some = "" if complete else " of them (a partial list: 'among them')"
    what = "the dated events of the series in its window are" if check_id == "count.events" \
        else "the passage enumerates"
    if v.status == REPRODUCED:
        diag = f"{count.where()} states {count.stated()}; {what} {n}: {shown}"
    elif v.status == WITHIN:
        diag = f"{count.where()} states {count.stated()}; {what} {n}{some} ({shown}), consistent"
    else:
        diag = f"{count.where()} states {count.stated()}, but {what} {n}{some}: {shown}"
    base = "count_events" if check_id == "count.events" else "count"
    return Row(claim_id, check_id, count.exhibit, (*count.lines, *item_lines),
               count.printed, f"{n} items", str(n), count.tolerance_text(),
               v.status, diag, f"{base}.{_suffix(v.status)}", fields,
               gap_text(gap(listed, ic["half_up"])) if v.status == CONTRADICTED else "")


def check_duration(duration: Figure, expected: Interval, how: str, lines: Sequence[int],
                   claim_id: str, inputs: str) -> Row:
    """``identity.duration``: a stated duration or anniversary ("34 жылдық кезең", "125
    жылдық мерейтой" in 2018) vs the years the source gives for its start and end
    (``expected``: end − start, an interval when a year is itself derived from a rounded
    duration). ``how`` says in words where ``expected`` comes from."""
    stated = duration.intervals()
    exact = (expected.lo == expected.hi == duration.point() and duration.qualifier == "exact"
             and expected.lo_closed and expected.hi_closed)
    v = rounding.verdict(exact, {rule: expected for rule in RULES}, stated)
    shown = fmt(expected.lo) if expected.lo is not None and expected.lo == expected.hi \
        else expected.text()
    fields = {"duration": duration.ref_fields(), "how": how, "expected": shown,
              "stated_iv": stated["half_up"].text(), "rules": v.rule_text}
    head = f"{duration.where()} states {duration.stated()} years; {how}"
    if v.status == REPRODUCED:
        diag = f"{head} = {shown}: the same"
    elif v.status == WITHIN:
        diag = f"{head} = {shown}, consistent with {stated['half_up'].text()}"
    else:
        diag = f"{head} = {shown}, but {duration.printed} is printed ({stated['half_up'].text()})"
    return Row(claim_id, "identity.duration", duration.exhibit, (*duration.lines, *lines),
               duration.printed, inputs, shown, duration.tolerance_text(), v.status, diag,
               f"duration.{_suffix(v.status)}", fields,
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
    lead = f"{low.where()} prints {low.printed}–{high.printed}"
    if status == REPRODUCED:
        diag = f"{lead}; the {len(years)} dated events of the series run {span}"
    else:
        diag = (f"{lead}, but the {len(years)} dated events of the series run {span} "
                f"({first[0]} … {last[0]})")
    return Row(claim_id, "events.series_period", low.exhibit,
               (*low.lines, first[2], last[2]), f"{low.printed}–{high.printed}",
               f"{low.describe()}; {high.describe()}", span, "exact (years)", status, diag,
               f"series_period.{_suffix(status)}", fields)
