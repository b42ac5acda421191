"""Checks of the numbers the dissertation prints: each recomputes a printed number from other
printed numbers and judges the difference against the printed rounding.

Why this module exists: a replication package usually redraws tables; an examiner needs to
know, for every stated number, whether the rest of the source reproduces it. Every check
here works from the *printed* text (``parse_number`` keeps the number of printed decimals),
so a printed ``1 580`` stands for the interval ``[1579.5, 1580.5]`` and a printed ``+12.0%``
for ``[11.95, 12.05]``. All arithmetic is exact (:class:`fractions.Fraction`).

Statuses (the same four everywhere):

* ``reproduced`` – the recomputed value equals the printed value exactly;
* ``within rounding`` – it differs, but the printed numbers are consistent once their
  rounding (and an explicit qualifier such as "about" or "more than") is allowed for;
* ``contradicted`` – inconsistent beyond rounding; the diagnosis gives the arithmetic and,
  where the numbers suggest one, a *hypothesis* about the cause (a unit slip, a dropped
  decimal separator);
* ``untestable`` – nothing in the source to check the number against.

Checks (``check_id``):

``identity.total``        total = exports + imports (Кесте 6, Кесте 7, text)
``identity.share``        a share of a total = 100 · part / total (text)
``shares.sum100``         shares of one whole sum to 100 (Кесте 3, Кесте 4)
``growth.recompute``      growth rate recomputed from the printed levels (Кесте 7)
``cross.same_quantity``   the same quantity and year printed in two places
``cross.cumulative``      a cumulative total vs the sum of yearly table figures
``text.restated``         a quantity stated twice in the running text
``text.impossible``       a value no quantity of its kind can take (a share above 100 %)
``survey.sum``            the printed shares of one question sum to 100 under rounding
``survey.granularity``    some sample size N in 1..5000 produces the printed shares
``survey.joint_n``        one N produces every question's shares (same respondents)
``survey.options``        the options reported are the options asked
``survey.repeated_block`` two questions print the same block of shares
``events.dates``          the dates given for one event agree
``coverage.none``         (no check possible; the row says why)

Functions return :class:`Row` objects; :mod:`analysis.checks.ledger` assembles them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from analysis.data import units
from analysis.data.parse import NumberFormatError, ParsedNumber, parse_number

REPRODUCED = "reproduced"
WITHIN = "within rounding"
CONTRADICTED = "contradicted"
UNTESTABLE = "untestable"
STATUSES: tuple[str, ...] = (REPRODUCED, WITHIN, CONTRADICTED, UNTESTABLE)

#: Relative half-width given to a number the source marks as approximate ("≈80%",
#: "шамамен", "жуық"). A convention, not a fact about the source: "about 80" is read as
#: 72..88. It is wider than any printed rounding, so an "about" figure is contradicted only
#: when it is more than 10 % away from the figure it is compared with.
APPROX_REL = Fraction(1, 10)

#: A ratio within this relative distance of 10, 100 or 1000 is reported as a possible unit
#: slip (or shifted decimal separator).
SLIP_REL = Fraction(5, 100)

CHECK_IDS: dict[str, str] = {
    "identity.total": "Total = exports + imports, within the combined rounding of the inputs.",
    "identity.share": "A printed share of a total equals 100 · parts / total, within the "
                      "rounding of all three.",
    "shares.sum100": "Shares of one whole must sum to 100 %, within their rounding.",
    "growth.recompute": "Growth rate recomputed from the printed levels (an interval over "
                        "their rounding) vs the printed rate's own rounding interval.",
    "cross.same_quantity": "The same quantity and year printed in two places must agree "
                           "within the rounding of both.",
    "cross.cumulative": "A cumulative total must be at least the sum of the yearly figures "
                        "it covers (and equal it when the periods coincide).",
    "text.restated": "A quantity stated twice in the text (same quantity and year) must "
                     "agree within rounding.",
    "text.impossible": "A share of a whole cannot exceed 100 % or fall below 0 %.",
    "survey.sum": "A question's printed shares must sum to 100 % within their rounding.",
    "survey.granularity": "Some number of respondents N in 1..5000 must produce every "
                          "printed share of the question (GRIM-style test).",
    "survey.joint_n": "One N must produce the shares of all questions (same respondents).",
    "survey.options": "The options reported (Қосымша Б) must be the options asked (Қосымша Ә).",
    "survey.repeated_block": "Two different questions should not print the same block of "
                             "shares; a full repeat under different labels suggests copy-paste.",
    "events.dates": "Every telling of one event must give the same date.",
    "coverage.none": "No other figure for this quantity in the source: nothing to test.",
}


# ---------------------------------------------------------------------------------------
# Ledger rows
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One ledger row: one claim judged by one check."""

    claim_id: str
    check_id: str
    exhibit: str
    source_lines: tuple[int, ...]
    value_printed: str
    inputs: str
    recomputed: str
    tolerance: str
    status: str
    diagnosis: str

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}; expected one of {STATUSES}")
        if self.check_id not in CHECK_IDS:
            raise ValueError(f"unknown check id {self.check_id!r}")

    @property
    def lines_text(self) -> str:
        return ";".join(str(n) for n in sorted(set(self.source_lines)))

    def as_dict(self) -> dict[str, str]:
        return {
            "claim_id": self.claim_id,
            "check_id": self.check_id,
            "status": self.status,
            "exhibit": self.exhibit,
            "source_lines": self.lines_text,
            "value_printed": self.value_printed,
            "inputs": self.inputs,
            "recomputed": self.recomputed,
            "tolerance": self.tolerance,
            "diagnosis": self.diagnosis,
        }


LEDGER_COLUMNS: tuple[str, ...] = ("claim_id", "check_id", "status", "exhibit", "source_lines",
                                   "value_printed", "inputs", "recomputed", "tolerance",
                                   "diagnosis")


# ---------------------------------------------------------------------------------------
# Numbers and intervals
# ---------------------------------------------------------------------------------------

Bound = Fraction | None  # None: unbounded on that side


def frac(x: Decimal | int | float | str | Fraction) -> Fraction:
    """Exact fraction of a Decimal/int/str (floats go through their shortest repr)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(Decimal(repr(x)))
    return Fraction(Decimal(str(x)))


def fmt(x: Fraction | Decimal | int | None, places: int = 4) -> str:
    """Plain text of an exact number: terminating decimals in full, others rounded to
    ``places`` decimals (half-even), trailing zeros dropped; ``None`` is infinity."""
    if x is None:
        return "∞"
    f = frac(x)
    d = Decimal(f.numerator) / Decimal(f.denominator)
    den = f.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        d = d.quantize(Decimal(1).scaleb(-places))
    text = format(d.normalize(), "f") if d != 0 else "0"
    return text


def fmt_interval(lo: Bound, hi: Bound, places: int = 4) -> str:
    left = "(-∞" if lo is None else f"[{fmt(lo, places)}"
    right = "∞)" if hi is None else f"{fmt(hi, places)}]"
    return f"{left}, {right}"


def overlap(a: tuple[Bound, Bound], b: tuple[Bound, Bound]) -> bool:
    """Do two closed intervals (None = unbounded) share a point?"""
    lo = max((x for x in (a[0], b[0]) if x is not None), default=None)
    hi = min((x for x in (a[1], b[1]) if x is not None), default=None)
    return lo is None or hi is None or lo <= hi


def half_width(parsed: ParsedNumber) -> Fraction:
    return frac(parsed.half_unit)


def unit_factor(unit: str) -> tuple[str, Fraction]:
    """Base unit and factor of a unit of the vocabulary (``USD million`` → USD, 10**6)."""
    base, factor = units.UNITS[unit]
    return base, Fraction(factor)


def slip_hint(ratio: Fraction) -> str:
    """A hypothesis when ``ratio`` is near a power of ten (10, 100, 1000), else ``""``."""
    if ratio <= 0:
        return ""
    names = {1: "a shifted decimal separator",
             2: "per cent vs fraction, or a shifted decimal separator",
             3: "million vs billion, or thousand vs million"}
    for k in (3, 2, 1):
        f = Fraction(10**k)
        for r in (ratio, 1 / ratio):
            if abs(r / f - 1) <= SLIP_REL:
                return f"possible unit slip (factor {10**k}: {names[k]})"
    return ""


def bound_kind(qualifier: str) -> str:
    """``lower`` (more than), ``upper`` (less than, up to) or ``point`` (everything else)."""
    if qualifier == "more_than":
        return "lower"
    if qualifier in ("less_than", "up_to"):
        return "upper"
    return "point"


def display_scale(unit: str, *values: Fraction | None) -> tuple[Fraction, str]:
    """A factor and word to show large numbers of a base unit readably (6300000000 USD →
    6.3 billion USD); units that already carry a scale (USD million) are left alone."""
    if unit not in units.UNITS or units.UNITS[unit][1] != 1:
        return Fraction(1), ""
    biggest = max((abs(v) for v in values if v is not None), default=Fraction(0))
    for factor, word in ((10**9, "billion"), (10**6, "million")):
        if biggest >= factor:
            return Fraction(factor), word
    return Fraction(1), ""


def _scaled(x: Bound, factor: Fraction) -> Bound:
    return None if x is None else x / factor


# ---------------------------------------------------------------------------------------
# Figures: printed numbers with their provenance
# ---------------------------------------------------------------------------------------

QUALIFIERS = ("exact", "approx", "more_than", "less_than", "up_to", "range_low", "range_high")


@dataclass(frozen=True)
class Figure:
    """A printed number and where it is printed.

    ``ref`` is the stable id of the claim it belongs to (``K7.2019.exports``, ``T123``);
    ``key`` the canonical quantity it measures (shared across tables and text so that the
    same quantity can be found in two places); ``printed`` the numeric token exactly as
    printed; ``qualifier`` as in ``text_claims.csv``.
    """

    ref: str
    source: str
    exhibit: str
    key: str
    year: int | None
    printed: str
    value: Decimal
    unit: str
    line: int
    qualifier: str = "exact"
    period: str = ""
    label: str = ""
    extra_lines: tuple[int, ...] = field(default_factory=tuple)

    @property
    def parsed(self) -> ParsedNumber:
        try:
            return parse_number(self.printed)
        except NumberFormatError:
            return ParsedNumber(text=self.printed, value=self.value)

    @property
    def approx(self) -> bool:
        return self.qualifier == "approx" or self.parsed.approx

    @property
    def base(self) -> str:
        return unit_factor(self.unit)[0]

    def point(self, unit: str | None = None) -> Fraction:
        """The printed value, in ``unit`` (default: its own)."""
        v = frac(self.value)
        return v if unit is None else v * self._scale(unit)

    def _scale(self, unit: str) -> Fraction:
        base_from, f_from = unit_factor(self.unit)
        base_to, f_to = unit_factor(unit)
        if base_from != base_to:
            raise ValueError(f"cannot convert {self.unit!r} to {unit!r}")
        return f_from / f_to

    def rounding(self) -> Fraction:
        """Half a unit of the last printed digit, in the figure's unit."""
        parsed = self.parsed
        if parsed.value is None:
            return Fraction(0)
        return half_width(parsed)

    def interval(self, unit: str | None = None) -> tuple[Bound, Bound]:
        """The values consistent with the printed number and its qualifier, in ``unit``.

        exact/range ends: the rounding interval; approx: at least ±10 % (see
        :data:`APPROX_REL`); more_than: from the lower rounding end upwards; less_than and
        up_to: up to the upper rounding end.
        """
        v = frac(self.value)
        h = self.rounding()
        if self.approx:
            h = max(h, abs(v) * APPROX_REL)
        lo: Bound = v - h
        hi: Bound = v + h
        if self.qualifier == "more_than":
            hi = None
        elif self.qualifier in ("less_than", "up_to"):
            lo = None
        s = Fraction(1) if unit is None else self._scale(unit)
        return (None if lo is None else lo * s, None if hi is None else hi * s)

    def tolerance_text(self) -> str:
        """The rounding radius (or qualifier) in words: ``±0.5``, ``±0.05 billion``."""
        if self.approx:
            return f"≈ ±{fmt(APPROX_REL * 100)}%"
        k, word = display_scale(self.unit, self.point())
        r = fmt(self.rounding() / k) + (f" {word}" if word else "")
        if self.qualifier == "more_than":
            return f"more than (from −{r})"
        if self.qualifier in ("less_than", "up_to"):
            return f"at most (to +{r})"
        return f"±{r}"

    def where(self) -> str:
        """``Кесте 7 line 1019`` / ``text line 1212``."""
        return f"{self.exhibit} line {self.line}"

    def stated(self) -> str:
        """The printed number with its qualifier in words: ``about 4 мың``."""
        qual = {"more_than": "more than ", "less_than": "less than ", "up_to": "up to ",
                "approx": "about "}.get(self.qualifier, "")
        return f"{qual}{self.printed}"

    def describe(self) -> str:
        """``Кесте 7 2020 exports 1 050 (line 1019)``; a text claim leads with its id
        (``T097: text 2019 …``) so that every claim can be found in the ledger."""
        bits = [f"{self.ref}: text" if self.source == "text" else self.exhibit]
        if self.year is not None:
            bits.append(str(self.year))
        if self.label:
            bits.append(self.label)
        shown_unit = "" if self.unit == "percent" and re.search(r"%|пайыз", self.printed) \
            else f" {self.unit}"
        return f"{' '.join(bits)} {self.stated()}{shown_unit} (line {self.line})"

    @property
    def lines(self) -> tuple[int, ...]:
        return (self.line, *self.extra_lines)


def figure_from_record(record: dict[str, object], *, ref: str, source: str, exhibit: str,
                       key: str, label: str = "") -> Figure:
    """A :class:`Figure` from one row of a cell table or ``text_claims`` (as a dict)."""
    year = record.get("year")
    qualifier = str(record.get("qualifier") or "exact")
    period = record.get("period")
    return Figure(
        ref=ref, source=source, exhibit=exhibit, key=key,
        year=None if year is None or pd.isna(year) else int(year),
        printed=str(record["number_printed"]),
        value=Decimal(str(record["value"])),
        unit=str(record["unit"]),
        line=int(record["source_line"]),  # type: ignore[call-overload]
        qualifier=qualifier if qualifier in QUALIFIERS else "exact",
        period="" if period is None or pd.isna(period) else str(period),
        label=label,
    )


# ---------------------------------------------------------------------------------------
# Comparison of two figures of one quantity
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    status: str
    recomputed: str
    tolerance: str
    diagnosis: str


def compare(claim: Figure, ref: Figure) -> Verdict:
    """Judge ``claim`` against ``ref`` (same quantity) in ``ref``'s unit.

    reproduced: equal printed values; within rounding: the intervals of both (rounding and
    qualifiers) overlap; contradicted: they do not – with the ratio, and a unit-slip
    hypothesis when the ratio is near 10, 100 or 1000.
    """
    unit = ref.unit
    if claim.base != ref.base:
        return Verdict(UNTESTABLE, "", "", f"units differ ({claim.unit} vs {ref.unit})")
    a = claim.point(unit)
    b = ref.point()
    ia = claim.interval(unit)
    ib = ref.interval()
    k, word = display_scale(unit, a, b)
    u = f"{word} {unit}".strip()

    def n(x: Fraction) -> str:
        return fmt(x / k)

    def iv(i: tuple[Bound, Bound]) -> str:
        return fmt_interval(_scaled(i[0], k), _scaled(i[1], k))

    conv = "" if claim.unit == unit else f" (= {fmt(a)} {unit})"
    tol = f"claim {claim.tolerance_text()} {claim.unit}; reference {ref.tolerance_text()} {unit}"
    recomputed = f"{n(b)} {iv(ib)}" + (f" {u}" if word else "")
    head = f"{claim.where()} gives {claim.stated()}{conv}; {ref.describe()}"
    if a == b and bound_kind(claim.qualifier) == bound_kind(ref.qualifier):
        return Verdict(REPRODUCED, recomputed, tol, f"{head}: same value")
    if overlap(ia, ib):
        how = "same value" if a == b else f"difference {n(a - b)} {u}"
        return Verdict(WITHIN, recomputed, tol,
                       f"{head}: {how}, consistent within rounding/qualifier "
                       f"({iv(ia)} overlaps {iv(ib)} {u})")
    ratio = a / b if b != 0 else None
    diag = f"{head}: {n(a)} − {n(b)} = {n(a - b)} {u}"
    if ratio is not None:
        diag += f" (ratio {fmt(ratio, 3)})"
    diag += f", beyond rounding ({iv(ia)} vs {iv(ib)})"
    hint = slip_hint(ratio) if ratio is not None else ""
    if hint:
        diag += f"; {hint}"
    return Verdict(CONTRADICTED, recomputed, tol, diag)


def check_same_quantity(claim: Figure, ref: Figure, claim_id: str, note: str = "") -> Row:
    """``cross.same_quantity``: one quantity and year printed in two places must agree
    within the rounding of both (see :func:`compare`)."""
    v = compare(claim, ref)
    diag = v.diagnosis + (f"; {note}" if note else "")
    exhibit = claim.exhibit if claim.exhibit == ref.exhibit else f"{claim.exhibit}; {ref.exhibit}"
    return Row(claim_id, "cross.same_quantity", exhibit, (*claim.lines, *ref.lines),
               claim.printed, ref.describe(), v.recomputed, v.tolerance, v.status, diag)


def check_restated(later: Figure, earlier: Figure, claim_id: str) -> Row:
    """``text.restated``: a quantity stated twice in the text (same quantity key and year)
    must agree within rounding and qualifiers (see :func:`compare`)."""
    v = compare(later, earlier)
    period = ""
    if later.period != earlier.period:
        period = f"; periods as printed: {later.period or '–'} vs {earlier.period or '–'}"
    return Row(claim_id, "text.restated", "text", (*later.lines, *earlier.lines),
               later.printed, earlier.describe(), v.recomputed, v.tolerance, v.status,
               v.diagnosis + period)


# ---------------------------------------------------------------------------------------
# Accounting identity
# ---------------------------------------------------------------------------------------


def check_identity(total: Figure, parts: Sequence[Figure], claim_id: str) -> Row:
    """``identity.total``: the printed total must equal the sum of the printed parts.

    The sum of the parts has the interval [Σ lo_i, Σ hi_i] (each part's rounding); the
    total has its own rounding interval. reproduced when Σ parts equals the printed total
    exactly; within rounding when the two intervals overlap; contradicted otherwise.
    """
    unit = total.unit
    pts = [p.point(unit) for p in parts]
    s = sum(pts, Fraction(0))
    ivs = [p.interval(unit) for p in parts]
    lo = None if any(i[0] is None for i in ivs) else sum(
        (i[0] for i in ivs if i[0] is not None), Fraction(0))
    hi = None if any(i[1] is None for i in ivs) else sum(
        (i[1] for i in ivs if i[1] is not None), Fraction(0))
    t = total.point()
    it = total.interval()
    k, word = display_scale(unit, t, s)
    u = f" {word} {unit}" if word else ""

    def n(x: Fraction) -> str:
        return fmt(x / k)

    def iv(a: Bound, b: Bound) -> str:
        return fmt_interval(_scaled(a, k), _scaled(b, k))

    expr = " + ".join(n(p) for p in pts)
    inputs = "; ".join(p.describe() for p in parts)
    tol = (f"parts {' + '.join(p.tolerance_text() for p in parts)}; "
           f"total {total.tolerance_text()} {unit}")
    recomputed = f"{n(s)} {iv(lo, hi)}{u}"
    lines = (*total.lines, *[ln for p in parts for ln in p.lines])
    if s == t:
        status = REPRODUCED
        diag = (f"{expr} = {n(s)}{u} matches the printed total {total.printed} "
                f"({total.where()})")
    elif overlap((lo, hi), it):
        status = WITHIN
        diag = (f"{expr} = {n(s)}{u} vs printed total {total.printed}: off by {n(s - t)}, "
                f"within the combined rounding ({iv(lo, hi)} overlaps {iv(*it)})")
    else:
        status = CONTRADICTED
        diag = (f"{expr} = {n(s)}{u} but the printed total is {total.printed} "
                f"({total.where()}): off by {n(s - t)}, beyond the combined rounding "
                f"({iv(lo, hi)} vs {iv(*it)})")
        hint = slip_hint(s / t) if t else ""
        if hint:
            diag += f"; {hint}"
    return Row(claim_id, "identity.total", total.exhibit, lines, total.printed, inputs,
               recomputed, tol, status, diag)


def check_share_of_total(share: Figure, parts: list[Figure], total: Figure,
                         claim_id: str) -> Row:
    """``identity.share``: a printed share of a total vs 100 · Σ parts / total.

    The recomputed share is an interval: smallest parts over the largest total to largest
    parts over the smallest total (a total printed as "more than" leaves the lower end at
    0). reproduced: equal to the printed share exactly; within rounding: the intervals
    overlap; contradicted otherwise.
    """
    unit = total.unit
    s = sum((p.point(unit) for p in parts), Fraction(0))
    ivs = [p.interval(unit) for p in parts]
    plo = sum((i[0] for i in ivs if i[0] is not None), Fraction(0))
    phi = None if any(i[1] is None for i in ivs) else sum(
        (i[1] for i in ivs if i[1] is not None), Fraction(0))
    tlo, thi = total.interval()
    point = s / total.point() * 100
    lo = Fraction(0) if thi is None else plo / thi * 100
    hi = None if (phi is None or not tlo or tlo <= 0) else phi / tlo * 100
    ish = share.interval()
    expr = (f"({' + '.join(p.printed for p in parts)}) / {total.printed} = "
            f"{fmt(point)}%")
    inputs = "; ".join(f.describe() for f in [*parts, total])
    recomputed = f"{fmt(point)} {fmt_interval(lo, hi)}"
    tol = (f"share {share.tolerance_text()}; parts and total: their rounding/qualifiers")
    lines = (*share.lines, *[ln for p in parts for ln in p.lines], *total.lines)
    if point == share.point() and total.qualifier == "exact":
        status, diag = REPRODUCED, f"{expr}, exactly the printed {share.printed}"
    elif overlap((lo, hi), ish):
        status = WITHIN
        diag = (f"{expr} vs printed {share.printed}: consistent within rounding "
                f"({fmt_interval(lo, hi)} overlaps {fmt_interval(*ish)})")
    else:
        status = CONTRADICTED
        diag = (f"{expr} but {share.printed} is printed ({share.where()}): "
                f"{fmt_interval(lo, hi)} misses {fmt_interval(*ish)}")
    return Row(claim_id, "identity.share", share.exhibit, lines, share.printed, inputs, recomputed,
               tol, status, diag)


# ---------------------------------------------------------------------------------------
# Growth rates
# ---------------------------------------------------------------------------------------


def growth_interval(prev: Figure, cur: Figure) -> tuple[Fraction, Bound, Bound]:
    """(point, min, max) of 100·(cur/prev − 1) over the intervals of both levels.

    Levels are non-negative, so an open lower end counts as 0 and an open upper end of the
    previous level makes the minimum −100 %; an open upper end of the current level (or a
    previous level that may be 0) leaves the maximum unbounded (``None``).
    """
    p_lo, p_hi = prev.interval()
    c_lo, c_hi = cur.interval(prev.unit)
    if prev.point() <= 0:
        raise ValueError("growth needs a positive previous level")
    point = (cur.point(prev.unit) / prev.point() - 1) * 100
    c_lo = max(c_lo, Fraction(0)) if c_lo is not None else Fraction(0)
    lo = Fraction(-100) if p_hi is None else (c_lo / p_hi - 1) * 100
    hi: Bound = None
    if c_hi is not None and p_lo is not None and p_lo > 0:
        hi = (c_hi / p_lo - 1) * 100
    return point, lo, hi


def check_growth(growth: Figure, prev: Figure, cur: Figure, claim_id: str) -> Row:
    """``growth.recompute``: a printed growth rate vs 100·(cur/prev − 1) of the printed
    levels.

    The recomputed rate is an interval: its minimum uses the smallest current and the
    largest previous level their rounding allows, its maximum the reverse. reproduced when
    the rate computed from the printed levels equals the printed rate exactly (2 750 /
    2 200 − 1 = 25 %); within rounding when the recomputed interval overlaps the printed
    rate's rounding interval (1 770 / 1 580 − 1 = 12.025 % for a printed +12.0 %);
    contradicted otherwise.
    """
    point, lo, hi = growth_interval(prev, cur)
    g = growth.point()
    ig = growth.interval()
    inputs = f"{prev.describe()}; {cur.describe()}"
    recomputed = f"{fmt(point)} {fmt_interval(lo, hi)}"
    d = growth.parsed.decimals
    tol = (f"rate {growth.tolerance_text()} points ({d} decimal{'' if d == 1 else 's'}); "
           f"levels {prev.tolerance_text()} / {cur.tolerance_text()}")
    expr = f"{cur.printed} / {prev.printed} − 1 = {fmt(point)}%"
    lines = (*growth.lines, *prev.lines, *cur.lines)
    bounded = "point" != bound_kind(prev.qualifier) or "point" != bound_kind(cur.qualifier)
    if point == g and not bounded:
        status, diag = REPRODUCED, f"{expr}, exactly the printed {growth.printed}"
    elif overlap((lo, hi), ig) and bounded:
        status = WITHIN
        diag = (f"{expr} from the printed numbers, printed {growth.printed}; but a level "
                f"is printed only as a bound ({prev.describe()}; {cur.describe()}), so the "
                f"rate can be anything in {fmt_interval(lo, hi)}, which contains "
                f"{fmt_interval(*ig)}: consistent, not reproducible")
    elif overlap((lo, hi), ig):
        places = growth.parsed.decimals
        shown = (Decimal(point.numerator) / Decimal(point.denominator)).quantize(
            Decimal(1).scaleb(-places))
        status = WITHIN
        diag = (f"{expr}, printed {growth.printed}: the recomputed interval "
                f"{fmt_interval(lo, hi)} overlaps the printed rounding interval "
                f"{fmt_interval(*ig)} (the point value rounds to {shown}%)")
    else:
        status = CONTRADICTED
        diag = (f"{expr}, but {growth.printed} is printed ({growth.where()}): off by "
                f"{fmt(g - point)} points; even the extreme {fmt_interval(lo, hi)} "
                f"misses {fmt_interval(*ig)}")
    return Row(claim_id, "growth.recompute", growth.exhibit, lines, growth.printed, inputs,
               recomputed, tol, status, diag)


# ---------------------------------------------------------------------------------------
# Shares that must sum to 100
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """One printed share of a whole. ``figure`` is ``None`` when the cell holds words only
    ("Аз үлес", a small share): known to be positive, size unknown."""

    label: str
    line: int
    figure: Figure | None = None
    words: str = ""


def check_share_sum(shares: Sequence[Share], claim_id: str, exhibit: str,
                    target: Fraction = Fraction(100)) -> Row:
    """``shares.sum100``: the shares of one whole must sum to 100 % within their rounding.

    Numeric shares contribute their rounding (or ≈) interval; a share printed in words
    ("small share") contributes (0, ∞): positive but unbounded. reproduced when the numeric
    shares sum to exactly 100 and none is in words; within rounding when 100 lies in the
    interval of the sum; contradicted otherwise.
    """
    nums = [s.figure for s in shares if s.figure is not None]
    words = [s for s in shares if s.figure is None]
    total = sum((f.point() for f in nums), Fraction(0))
    ivs = [f.interval() for f in nums]
    lo = sum((i[0] for i in ivs if i[0] is not None), Fraction(0))
    hi: Bound = None if words or any(i[1] is None for i in ivs) else sum(
        (i[1] for i in ivs if i[1] is not None), Fraction(0))
    lines = tuple(s.line for s in shares)
    printed = " + ".join(f.printed for f in nums) + "".join(f" + «{w.words}»" for w in words)
    inputs = "; ".join(f"{s.label} {s.figure.printed if s.figure else s.words} (line {s.line})"
                       for s in shares)
    tol = "; ".join(f"{s.label} {s.figure.tolerance_text() if s.figure else '(0, ∞): words'}"
                    for s in shares)
    recomputed = f"{fmt(total)} {fmt_interval(lo, hi)}"
    lo_ok = lo < target if words else lo <= target
    hi_ok = hi is None or target <= hi
    if not words and total == target:
        status = REPRODUCED
        diag = f"{printed} = {fmt(total)}%"
    elif lo_ok and hi_ok:
        status = WITHIN
        diag = (f"{printed}: numeric shares sum to {fmt(total)}%; 100% lies in "
                f"{fmt_interval(lo, hi)}")
        if words:
            strict = sum((f.point() - f.rounding() for f in nums), Fraction(0))
            room = target - lo
            diag += (f". The shares in words ({', '.join(w.label for w in words)}) must be "
                     f"positive, so the numeric shares can leave at most {fmt(room)} points "
                     f"for them")
            if any(f.approx for f in nums):
                diag += (f" – and only because they are approximate (≈): by printed "
                         f"rounding alone at most {fmt(max(target - strict, Fraction(0)))} "
                         f"points")
    else:
        status = CONTRADICTED
        gap = target - total
        diag = (f"{printed} = {fmt(total)}%, not 100%: {fmt(abs(gap))} points "
                f"{'missing' if gap > 0 else 'too many'}; rounding allows only "
                f"{fmt_interval(lo, hi)}")
        if gap > 0:
            diag += ("; either members/shares are missing from the table or shares are "
                     "misprinted (hypothesis)")
    return Row(claim_id, "shares.sum100", exhibit, lines, printed, inputs, recomputed, tol,
               status, diag)


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
                          f"{table_years[0]}–{table_years[-1]}")
    years = sorted(f.year for f in used if f.year is not None)
    s = sum((f.point() for f in used), Fraction(0))
    lo = sum((f.interval()[0] or Fraction(0) for f in used), Fraction(0))
    hi = sum((f.interval()[1] or Fraction(0) for f in used), Fraction(0))
    ia = claim.interval(unit)
    a = claim.point(unit)
    bound = (not start_known or span is None or span[0] < table_years[0]
             or span[1] > table_years[-1])
    expr = " + ".join(f.printed for f in used)
    exhibits = sorted({f.exhibit for f in used})
    head = (f"{claim.where()} gives {claim.stated()} (= {fmt(a)} {unit}) for "
            f"{claim.period or 'an unstated period'}; {', '.join(exhibits)} "
            f"{years[0]}–{years[-1]}: {expr} = {fmt(s)}")
    tol = f"claim {claim.tolerance_text()} {claim.unit}; yearly figures' rounding summed"
    lines = (*claim.lines, *[ln for f in used for ln in f.lines])
    inputs = "; ".join(f.describe() for f in used)
    if bound:
        ok = ia[1] is None or ia[1] >= lo
        if ok:
            status = WITHIN
            diag = (f"{head}; the claim's period is {'longer' if start_known else 'unstated'}"
                    f", so the table sum is a lower bound and {fmt(a)} ≥ {fmt(s)} is "
                    f"consistent (a bound, not a reproduction)")
        else:
            status = CONTRADICTED
            diag = (f"{head}; the cumulative total is smaller than the table's own sum for "
                    f"part of its period ({fmt(a)} < {fmt(lo)})")
        recomputed = f"≥ {fmt(s)} [{fmt(lo)}, ∞)"
    else:
        recomputed = f"{fmt(s)} {fmt_interval(lo, hi)}"
        if a == s:
            status, diag = REPRODUCED, f"{head}: same value"
        elif overlap(ia, (lo, hi)):
            status, diag = WITHIN, f"{head}: consistent within rounding"
        else:
            status = CONTRADICTED
            diag = f"{head}: off by {fmt(a - s)} (ratio {fmt(a / s, 3)})"
            hint = slip_hint(a / s) if s else ""
            if hint:
                diag += f"; {hint}"
    exhibit = "; ".join([claim.exhibit, *exhibits])
    return Row(claim_id, "cross.cumulative", exhibit, lines, claim.printed, inputs,
               recomputed, tol, status, diag)


# ---------------------------------------------------------------------------------------
# Impossible values in the text
# ---------------------------------------------------------------------------------------

_GROWTH_WORDS = ("growth", "increase", "change", "rise", "grew", "decline", "decrease", "fall",
                 "drop", "rate", "yoy", "өс", "арт", "төмен")


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
    back, smallest first (407 % → 4,07 % or 40,7 %).
    """
    if not is_share(fig):
        return None
    v = fig.point()
    if 0 <= v <= 100:
        return None
    if v > 100:
        cands = decimal_candidates(fig.printed)
        ordered = sorted(cands, key=lambda c: Decimal(c.rstrip("%").replace(",", ".")))
        hint = ""
        if ordered:
            hint = (f"; likely a dropped decimal separator: {ordered[0]}?"
                    + (f" (or {', '.join(ordered[1:])})" if len(ordered) > 1 else "")
                    + " – a hypothesis, not a correction")
        diag = (f"{fig.where()}: a share of a whole printed as {fig.printed}, above 100%"
                f"{hint}")
    else:
        diag = f"{fig.where()}: a share printed as {fig.printed}, below 0%"
    return Row(claim_id, "text.impossible", fig.exhibit, fig.lines, fig.printed,
               f"{fig.label or fig.key}", "[0, 100]", "a share lies in [0, 100] %",
               CONTRADICTED, diag)


# ---------------------------------------------------------------------------------------
# Untestable
# ---------------------------------------------------------------------------------------


def untestable(fig: Figure, claim_id: str, why: str = "") -> Row:
    """``coverage.none``: the claim is recorded, with the reason nothing can test it."""
    reason = why or "no other figure for this quantity in the source"
    return Row(claim_id, "coverage.none", fig.exhibit, fig.lines, fig.printed,
               fig.label or fig.key, "", "", UNTESTABLE, reason)


# ---------------------------------------------------------------------------------------
# Survey checks (computations in analysis.survey)
# ---------------------------------------------------------------------------------------


def _q(q: int) -> str:
    return f"S.Q{int(q):02d}"


def _lines(frame: pd.DataFrame) -> tuple[int, ...]:
    return tuple(int(x) for x in frame["source_line"])


def survey_sum_rows(results: pd.DataFrame) -> list[Row]:
    """``survey.sum``: per question, 100 must lie in [Σ lo_i, Σ hi_i] of the printed shares
    (closed intervals: either tie rule of the author's software). Exact sum of 100:
    reproduced."""
    from analysis import survey

    table = survey.sum_table(results)
    rows = []
    for _, r in table.iterrows():
        q = int(r["question"])
        part = results[results["question"] == q].sort_values("option_order")
        printed = " + ".join(str(p) for p in part["printed"])
        recomputed = f"{r['printed_sum']} [{fmt(frac(r['sum_lo']))}, {fmt(frac(r['sum_hi']))}]"
        tol = f"±{fmt(frac(r['max_rounding_error']))} (sum of the options' rounding)"
        if r["printed_sum"] == "100":
            status, diag = REPRODUCED, f"{printed} = 100%"
        elif bool(r["feasible"]):
            status = WITHIN
            diag = (f"{printed} = {r['printed_sum']}%: off by {fmt(frac(r['deviation']))}, "
                    f"within the options' rounding")
        else:
            status = CONTRADICTED
            diag = (f"{printed} = {r['printed_sum']}%: 100% lies outside "
                    f"[{fmt(frac(r['sum_lo']))}, {fmt(frac(r['sum_hi']))}] – rounding "
                    f"cannot explain it")
        rows.append(Row(f"{_q(q)}.sum", "survey.sum", "Қосымша Б", _lines(part),
                        printed, f"{len(part)} options of question {q}", recomputed, tol,
                        status, diag))
    return rows


def survey_granularity_rows(results: pd.DataFrame, n_max: int = 5000) -> list[Row]:
    """``survey.granularity`` per question and ``survey.joint_n`` for all questions.

    A question is consistent when some N in 1..n_max lets every option have an integer
    count that rounds to its printed share (the per-option test of
    :func:`analysis.survey.feasible_mask`); the joint test asks for one N that works for
    every question. No such N: contradicted.
    """
    from analysis import survey

    summary = survey.feasible_size_summary(results, n_max=n_max)
    per = summary[summary["constraint"] == "per_option"].set_index("question")
    exh = summary[summary["constraint"] == "sum_k_equals_N"].set_index("question")
    rows = []
    for q in sorted(per.index):
        r = per.loc[q]
        part = results[results["question"] == q].sort_values("option_order")
        printed = ", ".join(str(p) for p in part["printed"])
        decimals = max(survey.parse_printed_percent(str(p)).decimals for p in part["printed"])
        tol = f"each share ±{fmt(Fraction(5, 10 ** (decimals + 1)))} points; N in 1..{n_max}"
        if int(r["n_feasible"]) == 0:
            status = CONTRADICTED
            recomputed = f"no feasible N in 1..{n_max}"
            diag = (f"no number of respondents N ≤ {n_max} yields {printed}: the shares "
                    f"cannot all be counts out of one N")
        else:
            status = WITHIN
            e_small = exh.loc[q, "smallest_n"] if q in exh.index else None
            recomputed = (f"smallest N = {int(r['smallest_n'])}; {int(r['n_feasible'])} of "
                          f"{n_max} N feasible ({r['feasible_n_preview']})")
            diag = (f"{printed} can come from N = {int(r['smallest_n'])} respondents "
                    f"(or {int(r['n_feasible']) - 1} other N ≤ {n_max})")
            if e_small is not None and not pd.isna(e_small):
                diag += f"; with counts summing to N the smallest is {int(e_small)}"
        rows.append(Row(f"{_q(q)}.granularity", "survey.granularity", "Қосымша Б",
                        _lines(part), printed, f"{len(part)} options of question {q}",
                        recomputed, tol, status, diag))
    joint = survey.smallest_joint_n(results, n_max=n_max)
    joint_exh = survey.smallest_joint_n(results, n_max=n_max, exhaustive=True)
    sizes = survey.joint_feasible_sizes(results, n_max=n_max)
    restrictive = per.sort_values(["n_feasible", "smallest_n"]).index[0] if len(per) else None
    if joint is None:
        status = CONTRADICTED
        recomputed = f"no N in 1..{n_max} fits every question"
        diag = (f"no single number of respondents ≤ {n_max} produces the shares of all "
                f"{len(per)} questions; if one sample answered them all, the shares are "
                f"inconsistent (or item non-response/misprints)")
    else:
        status = WITHIN
        recomputed = (f"smallest joint N = {joint}"
                      + (f" (counts summing to N: {joint_exh})" if joint_exh else "")
                      + f"; {len(sizes)} joint N ≤ {n_max}")
        diag = (f"all {len(per)} questions fit N = {joint} respondents"
                + (f"; question {restrictive} is the most restrictive "
                   f"({per.loc[restrictive, 'feasible_n_preview']})" if restrictive else "")
                + "; the source never states N, so this is inferred")
    rows.append(Row("S.joint.granularity", "survey.joint_n", "Қосымша Б", _lines(results),
                    f"{len(results)} printed shares", f"{len(per)} questions", recomputed,
                    f"each share ±half its last digit; N in 1..{n_max}", status, diag))
    return rows


def survey_option_rows(questionnaire: pd.DataFrame, results: pd.DataFrame) -> list[Row]:
    """``survey.options``: per question, the options reported must be the options asked.

    Identical or equal after normalisation: reproduced; paired only as renamed (wording
    differs, similarity ≥ 0.5): within rounding (consistent up to wording); any option
    asked but not reported, or reported but never asked: contradicted.
    """
    from analysis import survey

    detail = survey.reconcile_options(questionnaire, results)
    rows = []
    for q, grp in detail.groupby("question", sort=True):
        q = int(q)
        asked = questionnaire[questionnaire["question"] == q]
        reported = results[results["question"] == q]
        lines = (*_lines(asked), *_lines(reported))
        statuses = set(grp["status"])
        missing = grp[grp["status"] == "asked_not_reported"]
        extra = grp[grp["status"] == "reported_not_asked"]
        renamed = grp[grp["status"] == "renamed"]
        bits = []
        for _, r in missing.iterrows():
            bits.append(f"asked {r['option_letter']}) «{r['asked_kk']}» is not reported")
        for _, r in extra.iterrows():
            bits.append(f"reported «{r['reported_kk']}» ({r['printed']}) was never asked"
                        + (f" (closest asked: «{r['best_candidate']}»)"
                           if isinstance(r["best_candidate"], str) else ""))
        ren = [f"«{r['asked_kk']}» → «{r['reported_kk']}»" for _, r in renamed.iterrows()]
        if missing.empty and extra.empty:
            if renamed.empty:
                status = REPRODUCED
                diag = f"all {len(asked)} options asked are reported under the same labels"
            else:
                status = WITHIN
                diag = (f"all {len(asked)} options match, {len(renamed)} under a different "
                        f"wording: " + "; ".join(ren))
        else:
            status = CONTRADICTED
            diag = "; ".join(bits)
            if ren:
                diag += "; renamed: " + "; ".join(ren)
        recomputed = ", ".join(f"{s}: {int((grp['status'] == s).sum())}"
                               for s in sorted(statuses))
        rows.append(Row(f"{_q(q)}.options", "survey.options", "Қосымша Ә; Қосымша Б", lines,
                        f"{len(reported)} options reported",
                        f"{len(asked)} options asked (Қосымша Ә)", recomputed,
                        "labels paired when similarity ≥ 0.5", status, diag))
    return rows


def survey_repeat_rows(results: pd.DataFrame) -> list[Row]:
    """``survey.repeated_block``: pairs of questions printing the same shares.

    The same multiset of all shares in two questions (the whole block repeated):
    contradicted, as suspected copy-paste – most telling when a share sits under a
    different option. A partial overlap (a run of ≥ 3 shared values): within rounding,
    since whole-number percentages coincide by chance.
    """
    from analysis import survey

    table = survey.repeated_blocks(results)
    rows = []
    for _, r in table.iterrows():
        qa, qb = int(r["question_a"]), int(r["question_b"])
        part = results[results["question"].isin([qa, qb])]
        full = bool(r["identical_ordered"]) or bool(r["identical_multiset"])
        if full:
            status = CONTRADICTED
            diag = (f"questions {qa} and {qb} print the same shares ({r['values_a']} vs "
                    f"{r['values_b']}); {int(r['relabelled'])} of them under different "
                    f"options ({r['value_labels']}): suspected copy-paste (hypothesis)")
        else:
            status = WITHIN
            diag = (f"questions {qa} and {qb} share {r['shared_values']} "
                    f"(run {r['run_values']}); plausible by chance at whole-number precision")
        rows.append(Row(f"S.Q{qa:02d}-Q{qb:02d}.repeat", "survey.repeated_block", "Қосымша Б",
                        _lines(part), f"Q{qa}: {r['values_a']}",
                        f"Q{qb}: {r['values_b']}", f"shared: {r['shared_values']}",
                        "exact equality of printed values", status, diag))
    return rows


# ---------------------------------------------------------------------------------------
# Event dates
# ---------------------------------------------------------------------------------------


def _date_text(y: object, m: object, d: object) -> str:
    parts = ["????" if y is None or pd.isna(y) else str(int(y))]  # type: ignore[call-overload]
    if m is not None and not pd.isna(m):
        parts.append(f"{int(m):02d}")  # type: ignore[call-overload]
        if d is not None and not pd.isna(d):
            parts.append(f"{int(d):02d}")  # type: ignore[call-overload]
    return "-".join(parts)


def event_rows(events: pd.DataFrame) -> list[Row]:
    """``events.dates``: the tellings of one event (same ``event_key``) must agree.

    Year, month and day are compared where both tellings print them: all equal and equally
    precise → reproduced; equal where both print a part but one is less precise (a year
    only) → within rounding; any part differing → contradicted. An event told once is
    untestable (``coverage.none``).
    """
    rows = []
    for key, grp in events.groupby("event_key", sort=True):
        grp = grp.sort_values("event_id")
        # source_lines are lines of the dissertation; other documents are named in inputs
        lines = _lines(grp[grp["source_doc"] == "dissertation_kk.txt"])
        dates = [_date_text(r["year"], r["month"], r["day"]) for _, r in grp.iterrows()]
        tellings = "; ".join(f"{r['event_id']} «{r['date_printed']}» ({d}, "
                             f"{r['source_doc']} line {r['source_line']})"
                             for d, (_, r) in zip(dates, grp.iterrows(), strict=True))
        first = grp.iloc[0]
        name = str(first["event_en"])
        cid = f"E.{key}"
        if len(grp) == 1:
            rows.append(Row(f"{cid}.dates", "coverage.none", "text", lines,
                            str(first["date_printed"]), name, "", "", UNTESTABLE,
                            f"{name}: told once ({dates[0]}); no other date for this event"))
            continue
        conflict = []
        for part in ("year", "month", "day"):
            where: dict[int, list[str]] = defaultdict(list)
            for _, r in grp.iterrows():
                v = r[part]
                if v is not None and not pd.isna(v):
                    where[int(v)].append(f"{r['source_line']}"
                                         + ("" if r["source_doc"] == "dissertation_kk.txt"
                                            else f" of {r['source_doc']}"))
            if len(where) > 1:
                conflict.append(f"{part} " + " vs ".join(
                    f"{v} (line{'s' if len(ls) > 1 else ''} {', '.join(ls)})"
                    for v, ls in sorted(where.items())))
        if conflict:
            status = CONTRADICTED
            diag = f"{name}: the tellings disagree – {'; '.join(conflict)}"
        elif len(set(dates)) == 1:
            status, diag = REPRODUCED, f"{name}: every telling gives {dates[0]}"
        else:
            status = WITHIN
            diag = (f"{name}: the tellings agree where both give a part, at different "
                    f"precision ({', '.join(sorted(set(dates)))})")
        rows.append(Row(f"{cid}.dates", "events.dates", "text", lines,
                        " | ".join(str(x) for x in grp["date_printed"]), tellings,
                        " | ".join(dates), "year, month, day compared where printed",
                        status, diag))
    return rows


def with_claim_id(rows: Iterable[Row], prefix: str) -> list[Row]:
    """Prefix claim ids (used when a check is reused for another exhibit)."""
    return [replace(r, claim_id=f"{prefix}{r.claim_id}") for r in rows]
