"""Two printed figures of one quantity compared: across exhibits, restated in the text, and
the single-figure checks (an impossible value; a figure nothing can test).

Every comparison goes through :func:`analysis.methods.rounding.verdict`: reproduced when the printed
values are equal (and equally bounded), within rounding when under half-up or half-even
rounding one true value produces both, not decisive when they share a value only because
one of them is a bound on one side («астам», «дейін»), contradicted otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from analysis.checks.core import CONTRADICTED, NOT_DECISIVE, REPRODUCED, UNTESTABLE, Row
from analysis.checks.figures import (
    Figure,
    bound_kind,
    display_scale,
    gap,
    gap_text,
    slip_note,
)
from analysis.checks.phrases import Phrase, interval, items, num, only_rules, say, unit
from analysis.methods import rounding
from analysis.methods.rounding import Interval

#: A sentence added to a row (a unit slip, a reversed balance, periods that differ).
Note = Phrase


@dataclass(frozen=True)
class _Pair:
    """A claim and its reference in the reference's unit, and how to show their values."""

    claim: Figure
    ref: Figure

    @property
    def unit(self) -> str:
        return self.ref.unit

    @property
    def a(self) -> Fraction:
        return self.claim.point(self.unit)

    @property
    def b(self) -> Fraction:
        return self.ref.point()

    @property
    def scale(self) -> tuple[Fraction, str]:
        return display_scale(self.unit, self.a, self.b)

    def shown(self, x: Fraction) -> Phrase:
        return num(x / self.scale[0])

    def shown_unit(self) -> dict[str, str]:
        return unit(self.unit, self.scale[1])

    def converted(self) -> Phrase | None:
        """"(= 4500 USD million)" when the claim is printed in another unit."""
        if self.claim.unit == self.unit:
            return None
        return say("frag.converted", value=num(self.a), unit=unit(self.unit))

    def fields(self) -> dict[str, object]:
        k = self.scale[0]
        ia, ib = self.claim.interval("half_up", self.unit), self.ref.interval("half_up")
        return {"a": self.claim.ref_fields(), "b": self.ref.ref_fields(),
                "conv": self.converted(), "unit": self.shown_unit(),
                "ia": interval(ia, k), "ib": interval(ib, k), "diff": self.shown(self.a - self.b)}

    def recomputed(self) -> Phrase:
        k, word = self.scale
        return say("re.value_iv", value=self.shown(self.b),
                   iv=interval(self.ref.interval("half_up"), k),
                   unit=unit(self.unit, word) if word else None)

    def tolerance(self) -> Phrase:
        return say("tol.claim_ref", claim=self.claim.tolerance(),
                   claim_unit=unit(self.claim.unit), ref=self.ref.tolerance(),
                   ref_unit=unit(self.unit))


def _exhibit(claim: Figure, ref: Figure) -> str:
    return claim.exhibit if claim.exhibit == ref.exhibit else f"{claim.exhibit}; {ref.exhibit}"


def _units_differ(claim: Figure, ref: Figure, check_id: str, claim_id: str) -> Row:
    return Row(claim_id, check_id, _exhibit(claim, ref), (*claim.lines, *ref.lines),
               claim.printed, UNTESTABLE,
               say("diag.units.differ", a=claim.ref_fields(), b=ref.ref_fields()),
               inputs=say("in.figure", a=ref.ref_fields()))


def _contradiction(p: _Pair, fields: dict[str, object]) -> tuple[Phrase, Fraction | None]:
    ratio = p.a / p.b if p.b != 0 else None
    ratio_phrase = None if ratio is None else say("frag.ratio", ratio=num(ratio, 3))
    diagnosis = say("diag.same.contradicted", **fields, a_n=p.shown(p.a), b_n=p.shown(p.b),
                    ratio=ratio_phrase)
    return diagnosis, ratio


def is_bound(*figs: Figure) -> bool:
    """Is one of ``figs`` printed only as a bound on one side ("more than", "up to")?"""
    return any(bound_kind(f.qualifier) != "point" for f in figs)


def compare(claim: Figure, ref: Figure, check_id: str, claim_id: str,
            note: Note | None = None) -> Row:
    """Judge ``claim`` against ``ref`` (same quantity) in ``ref``'s unit.

    reproduced: equal printed values (equally bounded); within rounding: under one rounding
    rule the intervals of both (rounding and qualifiers) share a value; not decisive: they
    share one, but one of them is only a bound on one side, so the comparison could hardly
    fail; contradicted: they share none – with the ratio, and a unit-slip hypothesis when
    the ratio is near 10, 100 or 1000.
    """
    if claim.base != ref.base:
        return _units_differ(claim, ref, check_id, claim_id)
    p = _Pair(claim, ref)
    same_bound = bound_kind(claim.qualifier) == bound_kind(ref.qualifier)
    ia, ib = claim.intervals(p.unit), ref.intervals()
    v = rounding.verdict(p.a == p.b and same_bound, ia, ib, bounded=is_bound(claim, ref))
    fields = p.fields()
    gap_value, slip = "", None
    if v.status == REPRODUCED:
        diagnosis = say("diag.same.reproduced", **fields)
    elif v.status == NOT_DECISIVE:
        diagnosis = say("diag.same.bound", **fields)
    elif v.status == CONTRADICTED:
        diagnosis, ratio = _contradiction(p, fields)
        gap_value = gap_text(gap(ia["half_up"], ib["half_up"]))
        slip = slip_note(ratio)
    else:
        key = "diag.same.within_same" if p.a == p.b else "diag.same.within"
        diagnosis = say(key, **fields)
        slip = only_rules(v)
    row = Row(claim_id, check_id, _exhibit(claim, ref), (*claim.lines, *ref.lines),
              claim.printed, v.status, diagnosis, say("in.figure", a=ref.ref_fields()),
              p.recomputed(), p.tolerance(), gap_value)
    return row.with_note(slip).with_note(note)


def check_same_quantity(claim: Figure, ref: Figure, claim_id: str,
                        note: Note | None = None) -> Row:
    """``cross.same_quantity``: one quantity and year printed in two places must agree
    within the rounding of both (see :func:`compare`)."""
    return compare(claim, ref, "cross.same_quantity", claim_id, note)


def check_restated(later: Figure, earlier: Figure, claim_id: str) -> Row:
    """``text.restated``: a quantity stated twice in the text (same quantity key and
    period) must agree within rounding and qualifiers (see :func:`compare`)."""
    note: Note | None = None
    if later.period != earlier.period:
        note = say("note.periods", a=later.period or "–", b=earlier.period or "–")
    return compare(later, earlier, "text.restated", claim_id, note)


# ---------------------------------------------------------------------------------------
# Impossible values
# ---------------------------------------------------------------------------------------

_GROWTH_WORDS = ("growth", "increase", "change", "rise", "grew", "decline", "decrease", "fall",
                 "drop", "rate", "yoy", "өс", "арт", "төмен", "shorter", "faster", "longer",
                 "cheaper", "reduction", "higher", "lower")


def is_share(fig: Figure) -> bool:
    """A percentage that is a share of a whole (not a growth rate or a change)."""
    if fig.unit != "percent":
        return False
    text = f"{fig.key} {fig.label}".lower()
    return not any(word in text for word in _GROWTH_WORDS)


def decimal_candidates(printed: str) -> list[Decimal]:
    """Readings of a share above 100 with a decimal separator re-inserted (``407`` → 40.7,
    4.07), keeping only those between 0 and 100, smallest first."""
    digits = re.sub(r"\D", "", printed)
    out = []
    for k in range(1, len(digits)):
        head, tail = digits[: len(digits) - k], digits[len(digits) - k:]
        value = Decimal(f"{int(head)}.{tail}")
        if value <= 100:
            out.append(value)
    return sorted(out)


def percents(values: list[Decimal]) -> Phrase:
    """Readings such as 4.07 and 40.7 as "4,07%, 40,7%" in the reader's notation."""
    return items([say("frag.percent", value=num(v)) for v in values], ", ")


def check_impossible(fig: Figure, claim_id: str) -> Row | None:
    """``text.impossible``: a share of a whole must lie in [0, 100] %.

    Returns ``None`` when the value is possible (or not a share). For a share above 100 the
    diagnosis offers, as a hypothesis, the readings with a dropped decimal separator put
    back, smallest first (407 % → 4,07 % or 40,7 %). Under either rule the printed value's
    interval must meet [0, 100]: 100,4 % is possible (it may round from 100), 101 % is not.
    """
    if not is_share(fig):
        return None
    allowed = Interval(Fraction(0), Fraction(100))
    v = rounding.verdict(False, fig.intervals(), {r: allowed for r in rounding.RULES})
    if v.status != CONTRADICTED:
        return None
    if fig.point() > 100:
        cands = decimal_candidates(fig.printed)
        diagnosis = (say("diag.impossible.above", a=fig.ref_fields(), candidates=percents(cands))
                     if cands else say("diag.impossible.above_plain", a=fig.ref_fields()))
    else:
        diagnosis = say("diag.impossible.below", a=fig.ref_fields())
    return Row(claim_id, "text.impossible", fig.exhibit, fig.lines, fig.printed, CONTRADICTED,
               diagnosis, say("in.label", a=fig.ref_fields()),
               say("re.interval", iv=interval(allowed)), say("tol.share_range"),
               gap_text(gap(fig.interval(), allowed)))


# ---------------------------------------------------------------------------------------
# Untestable
# ---------------------------------------------------------------------------------------


def untestable(fig: Figure, claim_id: str, why: Phrase | None = None) -> Row:
    """``coverage.none``: the claim is recorded, with the reason nothing can test it
    (default ``none.no_other``: no other figure for this quantity in the source)."""
    return Row(claim_id, "coverage.none", fig.exhibit, fig.lines, fig.printed, UNTESTABLE,
               why or say("diag.none.no_other"), say("in.label", a=fig.ref_fields()))
