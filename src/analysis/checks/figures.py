"""Figures: printed numbers with their provenance, and what each allows.

A :class:`Figure` is one number as printed in a table cell or the running text, with the
claim id it belongs to, the canonical quantity it measures (so that the same quantity can be
found in two places), its year or period, its unit and its line. Its interval comes from
:mod:`analysis.methods.rounding` (under either rounding rule, widened by the printed qualifier).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

import pandas as pd

from analysis.checks.phrases import Phrase, num, say, unit
from analysis.data import units
from analysis.data.parse import NumberFormatError, ParsedNumber, parse_number
from analysis.methods import rounding
from analysis.methods.rounding import QUALIFIERS, RULES, Interval, Rule, fmt, frac

#: A ratio within this relative distance of 10, 100 or 1000 is reported as a possible unit
#: slip (or shifted decimal separator).
SLIP_REL = Fraction(5, 100)



def unit_factor(unit: str) -> tuple[str, Fraction]:
    """Base unit and factor of a unit of the vocabulary (``USD million`` → USD, 10**6)."""
    base, factor = units.UNITS[unit]
    return base, Fraction(factor)


def slip_factor(ratio: Fraction) -> int | None:
    """10, 100 or 1000 when ``ratio`` (or its inverse) is that power of ten within
    :data:`SLIP_REL` (a unit slip or a shifted decimal separator is then a hypothesis),
    else ``None``."""
    if ratio <= 0:
        return None
    for k in (3, 2, 1):
        f = Fraction(10**k)
        for r in (ratio, 1 / ratio):
            if abs(r / f - 1) <= SLIP_REL:
                return 10**k
    return None


def slip_note(ratio: Fraction | None) -> Phrase | None:
    """The unit-slip hypothesis as a row note (``note.slip_10`` …), or ``None``."""
    factor = None if ratio is None else slip_factor(ratio)
    return None if factor is None else say(f"note.slip_{factor}")


def bound_kind(qualifier: str) -> str:
    """``lower`` (more than, at least), ``upper`` (less than, up to) or ``point``."""
    if qualifier in ("more_than", "at_least"):
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


def gap(a: Interval, b: Interval) -> Fraction:
    """Relative distance between two intervals: 0 when they meet, else the distance between
    their nearest ends over the larger magnitude (used to order contradictions)."""
    if a.meets(b):
        return Fraction(0)
    if a.hi is not None and b.lo is not None and a.hi <= b.lo:
        dist, scale = b.lo - a.hi, max(abs(b.lo), abs(a.hi))
    elif b.hi is not None and a.lo is not None and b.hi <= a.lo:
        dist, scale = a.lo - b.hi, max(abs(a.lo), abs(b.hi))
    else:
        return Fraction(0)
    return dist / scale if scale else Fraction(0)


def gap_text(value: Fraction) -> str:
    return fmt(value, 4)


@dataclass(frozen=True)
class Figure:
    """A printed number and where it is printed.

    ``ref`` is the stable id of the claim it belongs to (``K7.2019.exports``, ``T123``);
    ``key`` the canonical quantity it measures; ``printed`` the numeric token exactly as
    printed; ``qualifier`` as in ``text_claims.csv``; ``label``/``label_kk`` describe it in
    English and Kazakh.
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
    label_kk: str = ""

    # Parsing, the exact value and the intervals are computed once per figure (a figure
    # is immutable; cached_property stores beside the fields, outside eq and hash): the
    # ledger asks for them in every comparison the figure enters.
    @cached_property
    def parsed(self) -> ParsedNumber:
        try:
            return parse_number(self.printed)
        except NumberFormatError:
            return ParsedNumber(text=self.printed, value=self.value)

    @property
    def approx(self) -> bool:
        return self.qualifier.startswith("approx") or self.parsed.approx

    @property
    def base(self) -> str:
        return unit_factor(self.unit)[0]

    @property
    def lines(self) -> tuple[int, ...]:
        return (self.line, *self.extra_lines)

    def exact_value(self) -> Fraction:
        return self._exact

    @cached_property
    def _exact(self) -> Fraction:
        parsed = self.parsed
        if parsed.value is not None and parsed.fraction is not None:
            return parsed.fraction
        return frac(self.value)

    @cached_property
    def _intervals(self) -> dict[tuple[Rule, str | None], Interval]:
        return {}

    def point(self, unit: str | None = None) -> Fraction:
        """The printed value, in ``unit`` (default: its own)."""
        v = self.exact_value()
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
        return rounding.step_of(parsed) / 2

    def interval(self, rule: Rule = "half_up", unit: str | None = None) -> Interval:
        """The values consistent with the printed number and its qualifier under ``rule``,
        in ``unit`` (see :mod:`analysis.methods.rounding`)."""
        key = (rule, unit)
        if key not in self._intervals:
            self._intervals[key] = self._interval(rule, unit)
        return self._intervals[key]

    def _interval(self, rule: Rule, unit: str | None) -> Interval:
        parsed = self.parsed
        if parsed.value is None:
            raise ValueError(f"{self.ref}: {self.printed!r} has no value")
        base = rounding.rounding_interval(self.exact_value(), rounding.step_of(parsed), rule)
        qualifier = self.qualifier if self.qualifier in QUALIFIERS else "exact"
        if self.approx and qualifier == "exact":
            qualifier = "approx"
        iv = rounding.qualified(base, self.exact_value(), qualifier)
        return iv if unit is None else iv.scale(self._scale(unit))

    def truncated(self, unit: str | None = None) -> Interval | None:
        """The values truncation at the printed step would print as this figure (``None``
        for a bound, "about" or a number in words: only a plain printed number may be cut
        off)."""
        parsed = self.parsed
        if parsed.value is None or self.qualifier != "exact" or self.approx or parsed.word:
            return None
        iv = rounding.truncation_interval(self.exact_value(), rounding.step_of(parsed))
        return iv if unit is None else iv.scale(self._scale(unit))

    def intervals(self, unit: str | None = None) -> dict[Rule, Interval]:
        return {rule: self.interval(rule, unit) for rule in RULES}

    def tolerance(self) -> Phrase:
        """The rounding radius (or qualifier) allowed for the figure: ``±0.5``, ``±0.05
        billion``, "about (±10 %)", "more than (from −0.5)"."""
        if self.approx:
            return say("tol.approx", pct=num(rounding.APPROX_REL * 100))
        k, word = display_scale(self.unit, self.point())
        r, scale = num(self.rounding() / k), unit("", word) if word else None
        kind = bound_kind(self.qualifier)
        if kind == "lower":
            return say(f"tol.{self.qualifier}", r=r, scale=scale)
        if kind == "upper":
            return say("tol.at_most", r=r, scale=scale)
        return say("tol.plusminus", r=r, scale=scale) if self.rounding() \
            else say("tol.exact_words")

    def ref_fields(self) -> dict[str, Any]:
        """The figure in a language-neutral form for templates (``{x}`` described,
        ``{x_where}``, ``{x_stated}``, ``{x_tol}``: :mod:`analysis.checks.phrases`)."""
        return {"figure": {"ref": self.ref, "source": self.source, "exhibit": self.exhibit,
                           "year": self.year, "label_en": self.label,
                           "label_kk": self.label_kk, "printed": self.printed,
                           "qualifier": self.qualifier, "unit": self.unit,
                           "line": self.line, "tol": self.tolerance()}}


def figure_from_record(record: Mapping[Any, Any], *, ref: str, source: str, exhibit: str,
                       key: str, label: str = "", label_kk: str = "") -> Figure:
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
        line=int(record["source_line"]),
        qualifier=qualifier if qualifier in QUALIFIERS else "exact",
        period="" if period is None or pd.isna(period) else str(period),
        label=label, label_kk=label_kk,
    )
