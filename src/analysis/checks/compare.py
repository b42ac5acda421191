"""Two printed figures of one quantity compared: across exhibits, restated in the text, and
the single-figure checks (an impossible value; a figure nothing can test).

Every comparison goes through :func:`analysis.methods.rounding.verdict`: reproduced when the printed
values are equal (and equally bounded), within rounding when under half-up or half-even
rounding one true value produces both, contradicted otherwise.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from analysis.checks.core import CONTRADICTED, UNTESTABLE, Row
from analysis.checks.figures import (
    Figure,
    bound_kind,
    display_scale,
    gap,
    gap_text,
    slip_note,
)
from analysis.methods import rounding
from analysis.methods.rounding import Interval, fmt


def _scaled_text(iv: Interval, k: Fraction) -> str:
    return iv.text(factor=k)


#: A note for a row: (English text, template key, template fields).
Note = tuple[str, str, dict[str, object]]


def compare(claim: Figure, ref: Figure, check_id: str, claim_id: str,
            note: Note | None = None) -> Row:
    """Judge ``claim`` against ``ref`` (same quantity) in ``ref``'s unit.

    reproduced: equal printed values; within rounding: under one rounding rule the
    intervals of both (rounding and qualifiers) share a value; contradicted: they do not –
    with the ratio, and a unit-slip hypothesis when the ratio is near 10, 100 or 1000.
    """
    lines = (*claim.lines, *ref.lines)
    exhibit = claim.exhibit if claim.exhibit == ref.exhibit else f"{claim.exhibit}; {ref.exhibit}"
    if claim.base != ref.base:
        return Row(claim_id, check_id, exhibit, lines, claim.printed, ref.describe(), "", "",
                   UNTESTABLE, f"units differ ({claim.unit} vs {ref.unit})", "units.differ",
                   {"a": claim.ref_fields(), "b": ref.ref_fields()})
    unit = ref.unit
    a, b = claim.point(unit), ref.point()
    ia, ib = claim.intervals(unit), ref.intervals()
    k, word = display_scale(unit, a, b)
    u = f"{word} {unit}".strip()

    def n(x: Fraction) -> str:
        return fmt(x / k)

    conv = "" if claim.unit == unit else f" (= {fmt(a)} {unit})"
    tol = f"claim {claim.tolerance_text()} {claim.unit}; reference {ref.tolerance_text()} {unit}"
    recomputed = f"{n(b)} {_scaled_text(ib['half_up'], k)}" + (f" {u}" if word else "")
    head = f"{claim.where()} gives {claim.stated()}{conv}; {ref.describe()}"
    same_bound = bound_kind(claim.qualifier) == bound_kind(ref.qualifier)
    v = rounding.verdict(a == b and same_bound, ia, ib)
    fields = {"a": claim.ref_fields(), "b": ref.ref_fields(), "unit": u,
              "ia": _scaled_text(ia["half_up"], k), "ib": _scaled_text(ib["half_up"], k),
              "diff": n(a - b), "rules": v.rule_text}
    if v.status == rounding.REPRODUCED:
        row = Row(claim_id, check_id, exhibit, lines, claim.printed, ref.describe(),
                  recomputed, tol, v.status, f"{head}: same value", "same.reproduced", fields)
    elif v.status == rounding.WITHIN:
        how = "same value" if a == b else f"difference {n(a - b)} {u}"
        extra = f"; {v.rule_text}" if v.rule_text else ""
        row = Row(claim_id, check_id, exhibit, lines, claim.printed, ref.describe(),
                  recomputed, tol, v.status,
                  f"{head}: {how}, consistent within rounding/qualifier "
                  f"({fields['ia']} meets {fields['ib']} {u}){extra}",
                  "same.within" if a != b else "same.within_same", fields)
    else:
        ratio = a / b if b != 0 else None
        fields["ratio"] = fmt(ratio, 3) if ratio is not None else ""
        diag = f"{head}: {n(a)} − {n(b)} = {n(a - b)} {u}"
        if ratio is not None:
            diag += f" (ratio {fmt(ratio, 3)})"
        diag += f", beyond rounding ({fields['ia']} vs {fields['ib']})"
        row = Row(claim_id, check_id, exhibit, lines, claim.printed, ref.describe(),
                  recomputed, tol, CONTRADICTED, diag, "same.contradicted", fields,
                  gap_text(gap(ia["half_up"], ib["half_up"])))
        slip = slip_note(ratio) if ratio is not None else None
        if slip:
            row = row.with_note(slip[0], slip[1], **slip[2])
    if note:
        text, template, note_fields = note
        row = row.with_note(text, template, **note_fields)
    return row


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
        a, b = later.period or "–", earlier.period or "–"
        note = (f"periods as printed: {a} vs {b}", "note.periods", {"a": a, "b": b})
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


def decimal_candidates(printed: str) -> list[str]:
    """Readings of a share above 100 with a decimal comma re-inserted (``407`` → ``40,7``,
    ``4,07``), keeping only those between 0 and 100."""
    digits = re.sub(r"\D", "", printed)
    out = []
    for k in range(1, len(digits)):
        head, tail = digits[: len(digits) - k], digits[len(digits) - k:]
        value = Decimal(f"{head}.{tail}")
        if value <= 100:
            out.append(f"{int(head)},{tail}%")
    return out


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
    fields: dict[str, object] = {"a": fig.ref_fields()}
    if fig.point() > 100:
        cands = decimal_candidates(fig.printed)
        ordered = sorted(cands, key=lambda c: Decimal(c.rstrip("%").replace(",", ".")))
        hint = ""
        if ordered:
            hint = (f"; likely a dropped decimal separator: {ordered[0]}?"
                    + (f" (or {', '.join(ordered[1:])})" if len(ordered) > 1 else "")
                    + " – a hypothesis, not a correction")
            fields["candidates"] = ", ".join(ordered)
        diag = (f"{fig.where()}: a share of a whole printed as {fig.printed}, above 100%"
                f"{hint}")
        template = "impossible.above" if ordered else "impossible.above_plain"
    else:
        diag = f"{fig.where()}: a share printed as {fig.printed}, below 0%"
        template = "impossible.below"
    return Row(claim_id, "text.impossible", fig.exhibit, fig.lines, fig.printed,
               f"{fig.label or fig.key}", "[0, 100]", "a share lies in [0, 100] %",
               CONTRADICTED, diag, template, fields,
               gap_text(gap(fig.interval(), allowed)))


# ---------------------------------------------------------------------------------------
# Untestable
# ---------------------------------------------------------------------------------------

NO_OTHER = "no other figure for this quantity in the source"


def untestable(fig: Figure, claim_id: str, why: str = "", template: str = "none.no_other",
               **fields: object) -> Row:
    """``coverage.none``: the claim is recorded, with the reason nothing can test it."""
    reason = why or NO_OTHER
    return Row(claim_id, "coverage.none", fig.exhibit, fig.lines, fig.printed,
               fig.label or fig.key, "", "", UNTESTABLE, reason,
               template if why or template != "none.no_other" else "none.no_other",
               {"a": fig.ref_fields(), "text": reason, **fields})
