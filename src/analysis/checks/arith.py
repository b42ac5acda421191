"""Arithmetic the source states or implies: totals, shares, growth rates, share sums and
cumulative totals, each recomputed as an exact interval over the printed rounding.

Every check builds, under each rounding rule, the interval of the recomputed quantity
(:mod:`analysis.methods.rounding`: sums, ratios, growth) and the interval of the printed one, and
asks :func:`analysis.methods.rounding.verdict` whether they share a value. The rows say what
they found as phrases (:mod:`analysis.checks.phrases`), never as sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from analysis.checks.compare import is_bound, untestable
from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    WITHIN,
    Row,
    status_suffix,
)
from analysis.checks.figures import Figure, display_scale, gap, gap_text, slip_note
from analysis.checks.phrases import (
    Phrase,
    both,
    interval,
    items,
    num,
    only_rules,
    printed,
    say,
    unit,
    with_notes,
)
from analysis.methods import rounding
from analysis.methods.rounding import RULES, ByRule, Interval, Rule


def _lines(*figs: Figure) -> tuple[int, ...]:
    return tuple(ln for f in figs for ln in f.lines)


def figures(figs: Sequence[Figure]) -> Phrase:
    """The inputs of a row: each figure described, ``; ``-separated."""
    return say("in.figures", figures=items([f.ref_fields() for f in figs]))


def value_iv(value: Fraction, iv: Interval, k: Fraction = Fraction(1), word: str = "",
             unit_name: str = "") -> Phrase:
    """"6.4 [6.3, 6.5) billion USD": a recomputed value with its (half-up) interval, the
    unit named only when values are shown scaled (as the rows always did)."""
    return say("re.value_iv", value=num(value / k), iv=interval(iv, k),
               unit=unit(unit_name, word) if word else None)


# ---------------------------------------------------------------------------------------
# Accounting identity
# ---------------------------------------------------------------------------------------


def sum_intervals(parts: Sequence[Figure], unit_name: str) -> dict[Rule, Interval]:
    """Under each rule, the interval of the sum of ``parts`` (in ``unit_name``)."""
    return {rule: rounding.total(p.interval(rule, unit_name) for p in parts) for rule in RULES}


def check_identity(total: Figure, parts: Sequence[Figure], claim_id: str) -> Row:
    """``identity.total``: the printed total must equal the sum of the printed parts.

    Under each rule the sum of the parts has the interval Σ of their intervals and the
    total its own: reproduced when Σ parts equals the printed total exactly; within rounding
    when under one rule the two intervals share a value; contradicted otherwise.
    """
    unit_name = total.unit
    pts = [p.point(unit_name) for p in parts]
    s, t = sum(pts, Fraction(0)), total.point()
    sums, tot = sum_intervals(parts, unit_name), total.intervals()
    k, word = display_scale(unit_name, t, s)
    v = rounding.verdict(s == t and not is_bound(total, *parts), sums, tot,
                         bounded=is_bound(total, *parts))
    fields = {"total": total.ref_fields(), "expr": items([num(p / k) for p in pts], " + "),
              "sum": num(s / k), "unit": unit(unit_name, word) if word else None,
              "off": num((s - t) / k), "sum_iv": interval(sums["half_up"], k),
              "total_iv": interval(tot["half_up"], k)}
    tolerance = say("tol.parts_total", parts=items([p.tolerance() for p in parts], " + "),
                    total=total.tolerance(), unit=unit(unit_name))
    gap_value = gap_text(gap(sums["half_up"], tot["half_up"])) if v.status == CONTRADICTED \
        else ""
    row = Row(claim_id, "identity.total", total.exhibit, _lines(total, *parts), total.printed,
              v.status, say(f"diag.identity.{status_suffix(v.status)}", **fields),
              figures(parts), value_iv(s, sums["half_up"], k, word, unit_name), tolerance,
              gap_value)
    if v.status == CONTRADICTED:
        return row.with_note(slip_note(s / t) if t else None)
    return row.with_note(only_rules(v))


def check_share_of_total(share: Figure, parts: list[Figure], total: Figure,
                         claim_id: str) -> Row:
    """``identity.share``: a printed share of a total vs 100 · Σ parts / total.

    The recomputed share is an interval: smallest parts over the largest total to largest
    parts over the smallest total (a total printed as "more than" leaves the lower end at
    0). reproduced: equal to the printed share exactly; within rounding: under one rule the
    intervals share a value; contradicted otherwise.
    """
    unit_name = total.unit
    s = sum((p.point(unit_name) for p in parts), Fraction(0))
    recomputed_iv = {rule: rounding.share(rounding.total(p.interval(rule, unit_name)
                                                         for p in parts),
                                          total.interval(rule)) for rule in RULES}
    point = s / total.point() * 100
    ish = share.intervals()
    expr = say("frag.share_expr", parts=items([printed(p.printed) for p in parts], " + "),
               total=printed(total.printed), value=num(point))
    bounded = is_bound(share, total, *parts)
    exact = point == share.point() and total.qualifier == "exact" and not bounded
    v = rounding.verdict(exact, recomputed_iv, ish, bounded=bounded)
    fields = {"share": share.ref_fields(), "expr": expr,
              "iv": interval(recomputed_iv["half_up"]), "share_iv": interval(ish["half_up"])}
    gap_value = gap_text(gap(recomputed_iv["half_up"], ish["half_up"])) \
        if v.status == CONTRADICTED else ""
    return Row(claim_id, "identity.share", share.exhibit, _lines(share, *parts, total),
               share.printed, v.status,
               say(f"diag.share_of_total.{status_suffix(v.status)}", **fields),
               figures([*parts, total]), value_iv(point, recomputed_iv["half_up"]),
               say("tol.share_parts", share=share.tolerance()), gap_value
               ).with_note(only_rules(v))


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


def _rounded(point: Fraction, places: int) -> Decimal:
    """The recomputed rate rounded to the printed rate's decimals (display only)."""
    return (Decimal(point.numerator) / Decimal(point.denominator)).quantize(
        Decimal(1).scaleb(-places))


def _growth_diagnosis(v: rounding.Verdict, growth: Figure, point: Fraction,
                      fields: dict[str, object]) -> Phrase:
    if v.status == REPRODUCED:
        return say("diag.growth.reproduced", **fields)
    if v.status == NOT_DECISIVE:
        return say("diag.growth.bounded", **fields)
    if v.status == WITHIN:
        return say("diag.growth.within", **fields, rounded=decimal_num(
            _rounded(point, growth.parsed.decimals)))
    return say("diag.growth.contradicted", **fields, off=num(growth.point() - point))


def decimal_num(d: Decimal) -> dict[str, str]:
    """A rounded number with the decimals it carries (``12.0`` stays ``12.0``)."""
    return {"num": format(d, "f")}


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
    ig = growth.intervals()
    bounded = is_bound(prev, cur, growth)
    v = rounding.verdict(point == growth.point() and not bounded, ivs, ig, bounded=bounded)
    fields: dict[str, object] = {
        "growth": growth.ref_fields(), "prev": prev.ref_fields(), "cur": cur.ref_fields(),
        "expr": say("frag.growth_expr", cur=printed(cur.printed), prev=printed(prev.printed),
                    value=num(point)),
        "iv": interval(ivs["half_up"]), "growth_iv": interval(ig["half_up"])}
    tolerance = say("tol.growth", rate=growth.tolerance(), decimals=growth.parsed.decimals,
                    prev=prev.tolerance(), cur=cur.tolerance())
    gap_value = gap_text(gap(ivs["half_up"], ig["half_up"])) if v.status == CONTRADICTED else ""
    row = Row(claim_id, "growth.recompute", growth.exhibit, _lines(growth, prev, cur),
              growth.printed, v.status, _growth_diagnosis(v, growth, point, fields),
              figures([prev, cur]), value_iv(point, ivs["half_up"]), tolerance, gap_value)
    return row if bounded else row.with_note(only_rules(v))


# ---------------------------------------------------------------------------------------
# Shares that must sum to 100
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """One printed share of a whole. ``figure`` is ``None`` when the share is given in words
    only ("Аз үлес", a small share; "the rest"): known to be positive, size unknown.
    ``label``/``label_kk`` name it in English and Kazakh."""

    label: str
    line: int
    figure: Figure | None = None
    words: str = ""
    upper: Figure | None = None  # the high end when the share is printed as a range
    label_kk: str = ""

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

    @property
    def ref(self) -> str:
        """``T004`` (``T004–T005`` for a range) for a share transcribed from the text, so
        every claim is found in the ledger by its id; ``""`` for a table cell (its exhibit
        and line name it)."""
        return "–".join(f.ref for f in (self.figure, self.upper)
                        if f is not None and f.source == "text")

    def name(self) -> dict[str, str]:
        return both(self.label_kk or self.label, self.label)

    def shown(self) -> Phrase:
        """The share as an input: its id, label, printed value and line."""
        value = printed(self.printed) if self.figure is not None else self.printed
        return say("in.share_ref" if self.ref else "in.share", ref=self.ref, label=self.name(),
                   printed=value, line=self.line)

    def tolerance(self) -> Phrase:
        if self.figure is None:
            return say("tol.share_words", label=self.name())
        return say("tol.share", label=self.name(), tol=self.figure.tolerance())


#: A share in words: positive, size unknown.
_WORDS_SHARE = Interval(Fraction(0), None, False, False)


@dataclass(frozen=True)
class ShareSum:
    """The sum of a list of shares under each rule, and what it must be: exactly the
    target for a complete list, at most the target for a partial one."""

    shares: Sequence[Share]
    target: Fraction
    complete: bool

    @property
    def numeric(self) -> list[Share]:
        return [s for s in self.shares if s.figure is not None]

    @property
    def words(self) -> list[Share]:
        return [s for s in self.shares if s.figure is None]

    @property
    def ranges(self) -> bool:
        return any(s.upper is not None for s in self.numeric)

    @property
    def total(self) -> Fraction:
        return sum((s.figure.point() for s in self.numeric if s.figure is not None), Fraction(0))

    @property
    def sums(self) -> ByRule:
        extra = [_WORDS_SHARE] if self.words else []
        return {rule: rounding.total([*(s.interval(rule) for s in self.numeric), *extra])
                for rule in RULES}

    @property
    def want(self) -> Interval:
        return (Interval.point(self.target) if self.complete
                else Interval(None, self.target, False, True))

    def verdict(self) -> rounding.Verdict:
        """A complete list: reproduced, within rounding or contradicted; a partial one:
        not decisive (it can fail only above the target) or contradicted."""
        exact = not self.words and not self.ranges and self.complete \
            and self.total == self.target
        return rounding.verdict(exact, self.sums, {rule: self.want for rule in RULES},
                                bounded=not self.complete)

    def printed(self) -> str:
        """The shares as printed, ``+``-joined (the row's ``value_printed``)."""
        return (" + ".join(s.printed for s in self.numeric)
                + "".join(f" + «{w.words}»" for w in self.words))

    def printed_phrase(self) -> Phrase:
        return items([*(printed(s.printed) for s in self.numeric),
                      *(f"«{w.words}»" for w in self.words)], " + ")

    def total_shown(self) -> Phrase:
        """The numeric total; for ranges, the span of the sum ("60–70 (ranges)")."""
        if not self.ranges:
            return num(self.total)
        iv = self.sums["half_up"]
        return say("frag.range_sum", lo=num(iv.lo or 0), hi=num(iv.hi or 0))

    def unaccounted(self) -> dict[str, object]:
        """What a partial list leaves for the members it does not give: the target less
        the printed shares, and its interval over their rounding (never below 0)."""
        iv = self.sums["half_up"]
        hi = None if iv.lo is None else self.target - iv.lo
        if iv.hi is None or self.target - iv.hi <= 0:
            lo, lo_closed = Fraction(0), True
        else:
            lo, lo_closed = self.target - iv.hi, iv.hi_closed
        return {"left": num(max(self.target - self.total, Fraction(0))),
                "left_iv": interval(Interval(lo, hi, lo_closed, iv.lo_closed))}

    def words_room(self) -> dict[str, object]:
        """What the numeric shares leave for the shares in words (positive, size unknown);
        ``strict``: what printed rounding alone would leave when some share is "≈"."""
        room = self.target - (self.sums["half_up"].lo or Fraction(0))
        out: dict[str, object] = {"words": items([w.name() for w in self.words], ", "),
                                  "room": num(room)}
        approx = [s.figure for s in self.numeric if s.figure is not None and s.figure.approx]
        if approx:
            strict = sum((s.figure.point() - s.figure.rounding() for s in self.numeric
                          if s.figure is not None), Fraction(0))
            out["strict"] = num(max(self.target - strict, Fraction(0)))
        return out


def _share_sum_within(ss: ShareSum, fields: dict[str, object]) -> Phrase:
    base = say("diag.sum.within", **fields)
    if not ss.words:
        return base
    room = ss.words_room()
    key = "diag.sum.within_words_approx" if "strict" in room else "diag.sum.within_words"
    return say(key, base=base, **room)


def _share_sum_contradicted(ss: ShareSum, fields: dict[str, object]) -> Phrase:
    gap_pts = ss.target - ss.total
    fields = {**fields, "gap": num(abs(gap_pts))}
    if not ss.complete:
        return say("diag.sum.above", **fields)
    if gap_pts > 0:  # the hypothesis: members or shares missing, or shares misprinted
        return with_notes(say("diag.sum.missing", **fields), say("note.sum_missing"))
    return say("diag.sum.excess", **fields)


def list_basis(basis: str, marker: str, line: int) -> Phrase:
    """Why a list counts as complete or partial: its basis and the words that tell
    (:class:`analysis.checks.declarations.ShareList`)."""
    return say(f"note.list.{basis}", marker=f"«{marker}»", line=line)


def check_share_sum(shares: Sequence[Share], claim_id: str, exhibit: str,
                    target: Fraction = Fraction(100), complete: bool = True,
                    basis: Phrase | None = None) -> Row:
    """``shares.sum100``: the one rule for a list of shares of one whole.

    Numeric shares contribute their rounding (or ≈) interval; a share printed in words
    ("small share") contributes (0, ∞): positive but unbounded. A ``complete`` list (the
    source says so: it names the rest or prints the total) must sum to 100 %: reproduced
    when the numeric shares sum to exactly 100 and none is in words; within rounding when,
    under one rule, 100 lies in the interval of the sum; contradicted otherwise. A partial
    list can only say how much it leaves unaccounted: not decisive, with that share and
    its interval; contradicted only when even its smallest sum is above 100. ``basis``
    (a ``note.list.*`` phrase: :func:`list_basis`) says which applies and why.
    """
    ss = ShareSum(shares, target, complete)
    v = ss.verdict()
    sums = ss.sums
    fields: dict[str, object] = {"printed": ss.printed_phrase(), "sum": ss.total_shown(),
                                 "iv": interval(sums["half_up"]), "target": num(target)}
    gap_value = ""
    if v.status == REPRODUCED:
        diagnosis = say("diag.sum.reproduced", **fields)
    elif v.status == WITHIN:
        diagnosis = _share_sum_within(ss, fields)
    elif v.status == NOT_DECISIVE:
        diagnosis = say("diag.sum.partial", **fields, **ss.unaccounted())
    else:
        diagnosis = _share_sum_contradicted(ss, fields)
        gap_value = gap_text(gap(sums["half_up"], ss.want))
    return Row(claim_id, "shares.sum100", exhibit, tuple(s.line for s in shares),
               ss.printed(), v.status, diagnosis,
               say("in.shares", shares=items([s.shown() for s in shares])),
               value_iv(ss.total, sums["half_up"]),
               say("tol.shares", shares=items([s.tolerance() for s in shares])),
               gap_value).with_note(basis).with_note(only_rules(v))


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


@dataclass(frozen=True)
class Cumulative:
    """A cumulative claim and the yearly table figures inside its period."""

    claim: Figure
    used: Sequence[Figure]
    start_known: bool    # the claim prints its period (else "so far, as of <year>")

    @property
    def unit(self) -> str:
        return self.used[0].unit

    @property
    def a(self) -> Fraction:
        return self.claim.point(self.unit)

    @property
    def s(self) -> Fraction:
        return sum((f.point() for f in self.used), Fraction(0))

    @property
    def exhibits(self) -> list[str]:
        return sorted({f.exhibit for f in self.used})

    def fields(self) -> dict[str, object]:
        years = sorted(f.year for f in self.used if f.year is not None)
        return {"a": self.claim.ref_fields(), "a_value": num(self.a), "unit": unit(self.unit),
                "period": self.claim.period or say("frag.period_unstated"),
                "exhibits": ", ".join(self.exhibits), "years": f"{years[0]}–{years[-1]}",
                "expr": items([printed(f.printed) for f in self.used], " + "),
                "sum": num(self.s)}


def _cumulative_scope(claim: Figure, yearly: Sequence[Figure]
                      ) -> tuple[list[Figure], bool, bool]:
    """(the yearly figures inside the claim's period, whether the table sum is only a floor
    because the period reaches beyond the table's years or is unstated, whether the claim
    prints its period). A claim with a year but no period runs "so far, as of <year>"
    from the table's first year."""
    table_years = sorted(f.year for f in yearly if f.year is not None)
    span = period_years(claim.period)
    start_known = span is not None
    if span is None and claim.year is not None:
        span = (table_years[0], claim.year)
    used = [f for f in yearly if span is None or (f.year is not None
                                                   and span[0] <= f.year <= span[1])]
    bound = (not start_known or span is None or span[0] < table_years[0]
             or span[1] > table_years[-1])
    return used, bound, start_known


def _cumulative_bound(c: Cumulative, ia: ByRule) -> tuple[str, Phrase, Phrase, str]:
    """A period longer than the table's (or unstated): the table sum is only a floor."""
    sums = sum_intervals(c.used, c.unit)
    at_least = {r: Interval(sums[r].lo, None, sums[r].lo_closed, False) for r in RULES}
    v = rounding.verdict(False, ia, at_least)
    fields = {**c.fields(), "low": num(sums["half_up"].lo or Fraction(0))}
    recomputed = say("re.at_least_iv", value=num(c.s), iv=interval(at_least["half_up"]))
    if v.status == WITHIN and is_bound(c.claim):  # two floors always meet
        return NOT_DECISIVE, say("diag.cumulative.two_floors", **fields), recomputed, ""
    if v.status == WITHIN:  # a bound holds: plausible, not a reproduction
        key = "diag.cumulative.bound" if c.start_known else "diag.cumulative.bound_unstated"
        return PLAUSIBLE, say(key, **fields), recomputed, ""
    return (v.status, say("diag.cumulative.below", **fields), recomputed,
            gap_text(gap(ia["half_up"], at_least["half_up"])))


def _cumulative_exact(c: Cumulative, ia: ByRule) -> tuple[str, Phrase, Phrase, str]:
    """A period inside the table's years: the two must agree within rounding."""
    sums = sum_intervals(c.used, c.unit)
    v = rounding.verdict(c.a == c.s and not is_bound(c.claim), ia, sums,
                         bounded=is_bound(c.claim))
    fields = c.fields()
    gap_value = ""
    if v.status == CONTRADICTED:
        fields.update(off=num(c.a - c.s), ratio=num(c.a / c.s, 3))
        gap_value = gap_text(gap(ia["half_up"], sums["half_up"]))
    return (v.status, say(f"diag.cumulative.{status_suffix(v.status)}", **fields),
            value_iv(c.s, sums["half_up"]), gap_value)


def check_cumulative(claim: Figure, yearly: Sequence[Figure], claim_id: str) -> Row:
    """``cross.cumulative``: a cumulative total vs the sum of the yearly table figures.

    The yearly figures used are those inside the claim's period (all of them when the
    claim prints no period). When the period extends beyond the table's years, the table
    sum is only a lower bound: the claim is consistent when its interval reaches the sum's
    lower end. When the period lies inside the table's years, the two must agree within the
    rounding of the yearly figures (their intervals add up).
    """
    used, bound, start_known = _cumulative_scope(claim, yearly)
    if not used:
        table_years = sorted(f.year for f in yearly if f.year is not None)
        return untestable(claim, claim_id, say(
            "diag.none.period", period=claim.period or "–",
            years=f"{table_years[0]}–{table_years[-1]}"))
    c = Cumulative(claim, used, start_known)
    ia = claim.intervals(c.unit)
    judge = _cumulative_bound if bound else _cumulative_exact
    status, diagnosis, recomputed, gap_value = judge(c, ia)
    row = Row(claim_id, "cross.cumulative", "; ".join([claim.exhibit, *c.exhibits]),
              _lines(claim, *used), claim.printed, status, diagnosis, figures(used),
              recomputed, say("tol.cumulative", claim=claim.tolerance(),
                              unit=unit(claim.unit)), gap_value)
    contradicted = status == CONTRADICTED and not bound and c.s
    return row.with_note(slip_note(c.a / c.s) if contradicted else None)
