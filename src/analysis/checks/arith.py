"""Arithmetic the source states or implies: totals, shares, growth rates, share sums and
cumulative totals, each recomputed as an exact interval over the printed rounding.

Every check builds, under each rounding rule, the interval of the recomputed quantity
(:mod:`analysis.methods.rounding`: sums, ratios, growth) and the interval of the printed one, and
asks :func:`analysis.methods.rounding.verdict` whether they share a value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from analysis.checks.compare import untestable
from analysis.checks.core import CONTRADICTED, REPRODUCED, WITHIN, Row
from analysis.checks.figures import Figure, bound_kind, display_scale, gap, gap_text, slip_note
from analysis.methods import rounding
from analysis.methods.rounding import RULES, Interval, Rule, fmt


def _lines(*figs: Figure) -> tuple[int, ...]:
    return tuple(ln for f in figs for ln in f.lines)


# ---------------------------------------------------------------------------------------
# Accounting identity
# ---------------------------------------------------------------------------------------


def sum_intervals(parts: Sequence[Figure], unit: str) -> dict[Rule, Interval]:
    """Under each rule, the interval of the sum of ``parts`` (in ``unit``)."""
    return {rule: rounding.total(p.interval(rule, unit) for p in parts) for rule in RULES}


def check_identity(total: Figure, parts: Sequence[Figure], claim_id: str) -> Row:
    """``identity.total``: the printed total must equal the sum of the printed parts.

    Under each rule the sum of the parts has the interval Σ of their intervals and the
    total its own: reproduced when Σ parts equals the printed total exactly; within rounding
    when under one rule the two intervals share a value; contradicted otherwise.
    """
    unit = total.unit
    pts = [p.point(unit) for p in parts]
    s = sum(pts, Fraction(0))
    sums = sum_intervals(parts, unit)
    tot = total.intervals()
    t = total.point()
    k, word = display_scale(unit, t, s)
    u = f" {word} {unit}" if word else ""

    def n(x: Fraction) -> str:
        return fmt(x / k)

    expr = " + ".join(n(p) for p in pts)
    inputs = "; ".join(p.describe() for p in parts)
    tol = (f"parts {' + '.join(p.tolerance_text() for p in parts)}; "
           f"total {total.tolerance_text()} {unit}")
    shown, shown_t = sums["half_up"].text(factor=k), tot["half_up"].text(factor=k)
    recomputed = f"{n(s)} {shown}{u}"
    lines = _lines(total, *parts)
    v = rounding.verdict(s == t, sums, tot)
    fields = {"total": total.ref_fields(), "parts": [p.ref_fields() for p in parts],
              "expr": expr, "sum": n(s), "unit": u.strip(), "off": n(s - t),
              "sum_iv": shown, "total_iv": shown_t, "rules": v.rule_text}
    gap_value = ""
    if v.status == REPRODUCED:
        diag = (f"{expr} = {n(s)}{u} matches the printed total {total.printed} "
                f"({total.where()})")
    elif v.status == WITHIN:
        diag = (f"{expr} = {n(s)}{u} vs printed total {total.printed}: off by {n(s - t)}, "
                f"within the combined rounding ({shown} meets {shown_t})"
                + (f"; {v.rule_text}" if v.rule_text else ""))
    else:
        diag = (f"{expr} = {n(s)}{u} but the printed total is {total.printed} "
                f"({total.where()}): off by {n(s - t)}, beyond the combined rounding "
                f"({shown} vs {shown_t})")
        gap_value = gap_text(gap(sums["half_up"], tot["half_up"]))
    row = Row(claim_id, "identity.total", total.exhibit, lines, total.printed, inputs,
              recomputed, tol, v.status, diag, f"identity.{_suffix(v.status)}", fields,
              gap_value)
    slip = slip_note(s / t) if t and v.status == CONTRADICTED else None
    return row.with_note(slip[0], slip[1], **slip[2]) if slip else row


def _suffix(status: str) -> str:
    return {REPRODUCED: "reproduced", WITHIN: "within", CONTRADICTED: "contradicted"}[status]


def check_share_of_total(share: Figure, parts: list[Figure], total: Figure,
                         claim_id: str) -> Row:
    """``identity.share``: a printed share of a total vs 100 · Σ parts / total.

    The recomputed share is an interval: smallest parts over the largest total to largest
    parts over the smallest total (a total printed as "more than" leaves the lower end at
    0). reproduced: equal to the printed share exactly; within rounding: under one rule the
    intervals share a value; contradicted otherwise.
    """
    unit = total.unit
    s = sum((p.point(unit) for p in parts), Fraction(0))
    recomputed_iv = {rule: rounding.share(rounding.total(p.interval(rule, unit) for p in parts),
                                          total.interval(rule)) for rule in RULES}
    point = s / total.point() * 100
    ish = share.intervals()
    expr = f"({' + '.join(p.printed for p in parts)}) / {total.printed} = {fmt(point)}%"
    inputs = "; ".join(f.describe() for f in [*parts, total])
    shown = recomputed_iv["half_up"].text()
    recomputed = f"{fmt(point)} {shown}"
    tol = f"share {share.tolerance_text()}; parts and total: their rounding/qualifiers"
    lines = _lines(share, *parts, total)
    exact = point == share.point() and total.qualifier == "exact"
    v = rounding.verdict(exact, recomputed_iv, ish)
    fields = {"share": share.ref_fields(), "parts": [p.ref_fields() for p in parts],
              "total": total.ref_fields(), "expr": expr, "iv": shown,
              "share_iv": ish["half_up"].text(), "rules": v.rule_text}
    gap_value = ""
    if v.status == REPRODUCED:
        diag = f"{expr}, exactly the printed {share.printed}"
    elif v.status == WITHIN:
        diag = (f"{expr} vs printed {share.printed}: consistent within rounding "
                f"({shown} meets {fields['share_iv']})"
                + (f"; {v.rule_text}" if v.rule_text else ""))
    else:
        diag = (f"{expr} but {share.printed} is printed ({share.where()}): "
                f"{shown} misses {fields['share_iv']}")
        gap_value = gap_text(gap(recomputed_iv["half_up"], ish["half_up"]))
    return Row(claim_id, "identity.share", share.exhibit, lines, share.printed, inputs,
               recomputed, tol, v.status, diag, f"share_of_total.{_suffix(v.status)}", fields,
               gap_value)


# ---------------------------------------------------------------------------------------
# Growth rates
# ---------------------------------------------------------------------------------------


def growth_intervals(prev: Figure, cur: Figure) -> tuple[Fraction, dict[Rule, Interval]]:
    """The point growth 100·(cur/prev − 1) of the printed levels and, under each rule, its
    interval over the levels' rounding and qualifiers (levels are non-negative)."""
    if prev.point() <= 0:
        raise ValueError("growth needs a positive previous level")
    point = (cur.point(prev.unit) / prev.point() - 1) * 100
    return point, {rule: rounding.growth(prev.interval(rule), cur.interval(rule, prev.unit))
                   for rule in RULES}


def check_growth(growth: Figure, prev: Figure, cur: Figure, claim_id: str) -> Row:
    """``growth.recompute``: a printed growth rate vs 100·(cur/prev − 1) of the printed
    levels.

    The recomputed rate is an interval: its minimum uses the smallest current and the
    largest previous level their rounding allows, its maximum the reverse. reproduced when
    the rate computed from the printed levels equals the printed rate exactly (2 750 /
    2 200 − 1 = 25 %); within rounding when under one rule the recomputed interval meets
    the printed rate's rounding interval (1 770 / 1 580 − 1 = 12.025 % for a printed
    +12.0 %); contradicted otherwise.
    """
    point, ivs = growth_intervals(prev, cur)
    g = growth.point()
    ig = growth.intervals()
    inputs = f"{prev.describe()}; {cur.describe()}"
    shown, shown_g = ivs["half_up"].text(), ig["half_up"].text()
    recomputed = f"{fmt(point)} {shown}"
    d = growth.parsed.decimals
    tol = (f"rate {growth.tolerance_text()} points ({d} decimal{'' if d == 1 else 's'}); "
           f"levels {prev.tolerance_text()} / {cur.tolerance_text()}")
    expr = f"{cur.printed} / {prev.printed} − 1 = {fmt(point)}%"
    lines = _lines(growth, prev, cur)
    bounded = "point" != bound_kind(prev.qualifier) or "point" != bound_kind(cur.qualifier)
    v = rounding.verdict(point == g and not bounded, ivs, ig)
    fields = {"growth": growth.ref_fields(), "prev": prev.ref_fields(),
              "cur": cur.ref_fields(), "expr": expr, "iv": shown, "growth_iv": shown_g,
              "rules": v.rule_text}
    gap_value = ""
    template = f"growth.{_suffix(v.status)}"
    if v.status == REPRODUCED:
        diag = f"{expr}, exactly the printed {growth.printed}"
    elif v.status == WITHIN and bounded:
        template = "growth.bounded"
        diag = (f"{expr} from the printed numbers, printed {growth.printed}; but a level "
                f"is printed only as a bound ({prev.describe()}; {cur.describe()}), so the "
                f"rate can be anything in {shown}, which contains {shown_g}: consistent, "
                f"not reproducible")
    elif v.status == WITHIN:
        places = growth.parsed.decimals
        rounded = (Decimal(point.numerator) / Decimal(point.denominator)).quantize(
            Decimal(1).scaleb(-places))
        fields["rounded"] = str(rounded)
        diag = (f"{expr}, printed {growth.printed}: the recomputed interval {shown} meets "
                f"the printed rounding interval {shown_g} (the point value rounds to "
                f"{rounded}%)" + (f"; {v.rule_text}" if v.rule_text else ""))
    else:
        fields["off"] = fmt(g - point)
        diag = (f"{expr}, but {growth.printed} is printed ({growth.where()}): off by "
                f"{fmt(g - point)} points; even the extreme {shown} misses {shown_g}")
        gap_value = gap_text(gap(ivs["half_up"], ig["half_up"]))
    return Row(claim_id, "growth.recompute", growth.exhibit, lines, growth.printed, inputs,
               recomputed, tol, v.status, diag, template, fields, gap_value)


# ---------------------------------------------------------------------------------------
# Shares that must sum to 100
# ---------------------------------------------------------------------------------------


def _share_ref(s: Share) -> str:
    """``T004: `` for a share transcribed from the text, so every claim is found in the
    ledger by its id; nothing for a table cell (its exhibit and line name it)."""
    refs = [f.ref for f in (s.figure, s.upper) if f is not None and f.source == "text"]
    return f"{'–'.join(refs)}: " if refs else ""


@dataclass(frozen=True)
class Share:
    """One printed share of a whole. ``figure`` is ``None`` when the share is given in words
    only ("Аз үлес", a small share; "the rest"): known to be positive, size unknown."""

    label: str
    line: int
    figure: Figure | None = None
    words: str = ""
    upper: Figure | None = None  # the high end when the share is printed as a range

    def interval(self, rule: Rule) -> Interval:
        assert self.figure is not None
        iv = self.figure.interval(rule)
        if self.upper is not None:
            iv = iv.hull(self.upper.interval(rule))
        return iv.clip_below(0)  # a share is never negative ("up to 2 %" is 0..2)

    @property
    def printed(self) -> str:
        if self.figure is None:
            return f"«{self.words}»"
        return self.figure.printed + (f"–{self.upper.printed}" if self.upper else "")


#: A share in words: positive, size unknown.
_WORDS_SHARE = Interval(Fraction(0), None, False, False)


def check_share_sum(shares: Sequence[Share], claim_id: str, exhibit: str,
                    target: Fraction = Fraction(100), at_most: bool = False) -> Row:
    """``shares.sum100``: the shares of one whole must sum to 100 % within their rounding.

    Numeric shares contribute their rounding (or ≈) interval; a share printed in words
    ("small share") contributes (0, ∞): positive but unbounded. reproduced when the numeric
    shares sum to exactly 100 and none is in words; within rounding when, under one rule,
    100 lies in the interval of the sum; contradicted otherwise. ``at_most``: the list is
    not exhaustive (partners "and others"), so the sum must only not exceed 100.
    """
    numeric = [s for s in shares if s.figure is not None]
    nums = [s.figure for s in numeric if s.figure is not None]
    words = [s for s in shares if s.figure is None]
    ranges = any(s.upper is not None for s in numeric)
    total = sum((f.point() for f in nums), Fraction(0))
    sums = {rule: rounding.total([*(s.interval(rule) for s in numeric),
                                  *([_WORDS_SHARE] if words else [])]) for rule in RULES}
    want = Interval(None, target, False, True) if at_most else Interval.point(target)
    lines = tuple(s.line for s in shares)
    printed = " + ".join(s.printed for s in numeric) + "".join(f" + «{w.words}»" for w in words)
    inputs = "; ".join(f"{_share_ref(s)}{s.label} {s.printed} (line {s.line})" for s in shares)
    tol = "; ".join(f"{s.label} {s.figure.tolerance_text() if s.figure else '(0, ∞): words'}"
                    for s in shares)
    shown = sums["half_up"].text()
    recomputed = f"{fmt(total)} {shown}"
    v = rounding.verdict(not words and not ranges and not at_most and total == target, sums,
                         {rule: want for rule in RULES})
    if ranges:
        total_text = f"{fmt(sums['half_up'].lo or 0)}–{fmt(sums['half_up'].hi or 0)} (ranges)"
    else:
        total_text = fmt(total)
    fields: dict[str, object] = {"printed": printed, "sum": total_text, "iv": shown,
                                 "target": fmt(target), "rules": v.rule_text,
                                 "at_most": at_most}
    gap_value = ""
    template = f"sum.{_suffix(v.status)}"
    if v.status == REPRODUCED:
        diag = f"{printed} = {fmt(total)}%"
    elif v.status == WITHIN:
        diag = (f"{printed}: numeric shares sum to {total_text}%; "
                + (f"at most {fmt(target)}% is possible within {shown}" if at_most
                   else f"{fmt(target)}% lies in {shown}")
                + (f"; {v.rule_text}" if v.rule_text else ""))
        if words:
            template = "sum.within_words"
            lo = sums["half_up"].lo or Fraction(0)
            room = target - lo
            fields.update(words=", ".join(w.label for w in words), room=fmt(room))
            diag += (f". The shares in words ({fields['words']}) must be positive, so the "
                     f"numeric shares can leave at most {fmt(room)} points for them")
            if any(f.approx for f in nums):
                strict = sum((f.point() - f.rounding() for f in nums), Fraction(0))
                fields["strict"] = fmt(max(target - strict, Fraction(0)))
                template = "sum.within_words_approx"
                diag += (f" – and only because they are approximate (≈): by printed "
                         f"rounding alone at most {fields['strict']} points")
    else:
        gap_pts = target - total
        fields.update(gap=fmt(abs(gap_pts)), missing=gap_pts > 0)
        diag = (f"{printed} = {fmt(total)}%, "
                + (f"above {fmt(target)}%" if at_most else f"not {fmt(target)}%")
                + f": {fmt(abs(gap_pts))} points {'missing' if gap_pts > 0 else 'too many'}; "
                f"rounding allows only {shown}")
        if gap_pts > 0:
            diag += ("; either members/shares are missing from the list or shares are "
                     "misprinted (hypothesis)")
        gap_value = gap_text(gap(sums["half_up"], want))
    return Row(claim_id, "shares.sum100", exhibit, lines, printed, inputs, recomputed, tol,
               v.status, diag, template, fields, gap_value)


# ---------------------------------------------------------------------------------------
# Cumulative totals
# ---------------------------------------------------------------------------------------

_YEARS = re.compile(r"(1[89]\d\d|20\d\d)")


def period_years(period: str) -> tuple[int, int] | None:
    """First and last year of a printed period such as ``2005–2022`` (``None`` if none)."""
    years = [int(y) for y in _YEARS.findall(period or "")]
    if not years:
        return None
    return min(years), max(years)


def check_cumulative(claim: Figure, yearly: Sequence[Figure], claim_id: str) -> Row:
    """``cross.cumulative``: a cumulative total vs the sum of the yearly table figures.

    The yearly figures used are those inside the claim's period (all of them when the
    claim prints no period). When the period extends beyond the table's years, the table
    sum is only a lower bound: the claim is consistent when its interval reaches the sum's
    lower end. When the period lies inside the table's years, the two must agree within the
    rounding of the yearly figures (their intervals add up).
    """
    unit = yearly[0].unit
    span = period_years(claim.period)
    table_years = sorted(f.year for f in yearly if f.year is not None)
    start_known = span is not None
    if span is None and claim.year is not None:
        span = (table_years[0], claim.year)  # "so far, as of <year>": start unknown
    used = [f for f in yearly if span is None or (f.year is not None
                                                   and span[0] <= f.year <= span[1])]
    if not used:
        return untestable(claim, claim_id,
                          f"period {claim.period or '–'} does not overlap the table years "
                          f"{table_years[0]}–{table_years[-1]}", "none.period",
                          period=claim.period or "–",
                          years=f"{table_years[0]}–{table_years[-1]}")
    years = sorted(f.year for f in used if f.year is not None)
    s = sum((f.point() for f in used), Fraction(0))
    sums = sum_intervals(used, unit)
    ia = claim.intervals(unit)
    a = claim.point(unit)
    bound = (not start_known or span is None or span[0] < table_years[0]
             or span[1] > table_years[-1])
    expr = " + ".join(f.printed for f in used)
    exhibits = sorted({f.exhibit for f in used})
    head = (f"{claim.where()} gives {claim.stated()} (= {fmt(a)} {unit}) for "
            f"{claim.period or 'an unstated period'}; {', '.join(exhibits)} "
            f"{years[0]}–{years[-1]}: {expr} = {fmt(s)}")
    tol = f"claim {claim.tolerance_text()} {claim.unit}; yearly figures' rounding summed"
    lines = _lines(claim, *used)
    inputs = "; ".join(f.describe() for f in used)
    fields: dict[str, object] = {"a": claim.ref_fields(), "a_value": fmt(a), "unit": unit,
                                 "period": claim.period, "exhibits": ", ".join(exhibits),
                                 "years": f"{years[0]}–{years[-1]}", "expr": expr,
                                 "sum": fmt(s)}
    gap_value = ""
    if bound:
        at_least = {r: Interval(sums[r].lo, None, sums[r].lo_closed, False) for r in RULES}
        v = rounding.verdict(False, ia, at_least)
        low = sums["half_up"].lo or Fraction(0)
        fields["low"] = fmt(low)
        if v.status == WITHIN:
            template = "cumulative.bound" if start_known else "cumulative.bound_unstated"
            diag = (f"{head}; the claim's period is {'longer' if start_known else 'unstated'}"
                    f", so the table sum is a lower bound and {fmt(a)} ≥ {fmt(s)} is "
                    f"consistent (a bound, not a reproduction)")
        else:
            template = "cumulative.below"
            diag = (f"{head}; the cumulative total is smaller than the table's own sum for "
                    f"part of its period ({fmt(a)} < {fmt(low)})")
            gap_value = gap_text(gap(ia["half_up"], at_least["half_up"]))
        recomputed = f"≥ {fmt(s)} {at_least['half_up'].text()}"
    else:
        recomputed = f"{fmt(s)} {sums['half_up'].text()}"
        v = rounding.verdict(a == s, ia, sums)
        template = f"cumulative.{_suffix(v.status)}"
        if v.status == REPRODUCED:
            diag = f"{head}: same value"
        elif v.status == WITHIN:
            diag = f"{head}: consistent within rounding"
        else:
            fields.update(off=fmt(a - s), ratio=fmt(a / s, 3))
            diag = f"{head}: off by {fmt(a - s)} (ratio {fmt(a / s, 3)})"
            gap_value = gap_text(gap(ia["half_up"], sums["half_up"]))
    row = Row(claim_id, "cross.cumulative", "; ".join([claim.exhibit, *exhibits]), lines,
              claim.printed, inputs, recomputed, tol, v.status, diag, template, fields,
              gap_value)
    slip = slip_note(a / s) if s and not bound and v.status == CONTRADICTED else None
    return row.with_note(slip[0], slip[1], **slip[2]) if slip else row
