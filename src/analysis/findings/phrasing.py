"""Small helpers for the findings' phrases (:mod:`analysis.checks.phrases` form).

A finding's phrase is ``{"key": "<key>", "fields": {...}}`` with its template under
``findings.<key>`` in ``present/labels/findings.yaml``; a field may hold a ledger phrase,
marked ``{"ledger": <phrase>}``, which the presentation layer writes with the ledger's own
templates (``checks.<key>``), and numbers rounded for prose (:func:`rounded`: never the four
decimals of an interval end).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from analysis.checks.phrases import Phrase, items, say
from analysis.findings.facts import FigureRef

__all__ = ["ledger", "line_items", "rounded", "where"]


def rounded(x: Fraction | float | int | Decimal, places: int = 1) -> dict[str, str]:
    """``x`` rounded half up to ``places`` decimals, as an exact-decimal field."""
    if isinstance(x, Fraction):
        value = Decimal(x.numerator) / Decimal(x.denominator)
    else:
        value = Decimal(str(x))
    quantum = Decimal(1).scaleb(-places)
    return {"num": str(value.quantize(quantum, rounding=ROUND_HALF_UP))}


def ledger(phrase: Phrase | None) -> dict[str, Any] | str:
    """A ledger phrase inside a finding's phrase ("" for none)."""
    return {"ledger": phrase} if phrase else ""


def line_items(lines: Any) -> Phrase:
    """Source lines in words, ascending and once each: ``line 444`` / ``lines 436, 857``
    (``444-жол`` / ``436, 857-жолдар``)."""
    found = sorted({int(n) for n in lines})
    if len(found) == 1:
        return say("lines.one", line=found[0])
    return say("lines.many", lines=items(found, ", "))


def where(fig: FigureRef) -> Phrase:
    """Where a figure stands: its exhibit, year (when it has one) and line."""
    if fig.year is None:
        return say("where.undated", exhibit={"exhibit": fig.exhibit},
                   line=line_items([fig.line]))
    return say("where.dated", exhibit={"exhibit": fig.exhibit}, year=fig.year,
               line=line_items([fig.line]))
