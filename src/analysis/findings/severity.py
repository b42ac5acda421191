"""The severity of a finding: a stated rule, documented in ``docs/FINDINGS.md``.

Two things decide it, both from data:

1. **Size** — the discrepancy relative to the quantity: the largest relative gap of the
   finding's rows (the ledger's ``gap``: the distance between the printed number's rounding
   interval and the value it is set against, over the larger of the two; 0 when they
   touch). ``large`` from :data:`LARGE` (a quarter of the quantity or more), ``medium``
   from :data:`MEDIUM` (a twentieth), ``small`` below. A finding whose rows have no gap — a
   date, a place, a status, a named set, a direction told two ways — is ``categorical``
   and ranks with ``medium``: the reader cannot tell which telling is right.
2. **Whether a conclusion rests on it** — a conclusion of the dissertation, transcribed in
   ``data/raw/conclusions.csv`` with the words that tell what it rests on, names the
   finding's topic (``topic:trade``), one of its quantities (``quantity:ots_gdp``) or its
   kind of events (``events:ots``).

Then: ``high`` = a large discrepancy a conclusion rests on; ``medium`` = a large one no
conclusion rests on, or a medium or categorical one a conclusion rests on; ``low`` =
everything else. The ledger's own ``severity`` column is something else: the *class of the
check* (3: arithmetic broken in one place, 2: two tellings disagree, 1: a plausibility
signal), the same for every row a check makes; the finding's severity orders everything a
reader sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from analysis.findings.facts import Catalogue, Conclusion, RowFacts
from analysis.findings.grouping import topics_of

LARGE = Fraction(1, 4)
MEDIUM = Fraction(1, 20)
SIZES: tuple[str, ...] = ("large", "medium", "small", "categorical")
HIGH, MID, LOW = "high", "medium", "low"
SEVERITIES: tuple[str, ...] = (HIGH, MID, LOW)

__all__ = ["HIGH", "LARGE", "LOW", "MEDIUM", "MID", "SEVERITIES", "SIZES", "Severity",
           "assess", "selectors", "size_of"]


def size_of(rows: Sequence[RowFacts]) -> tuple[str, Fraction | None]:
    """The size class and the largest relative gap of ``rows`` (None: no row has one)."""
    gaps = [r.gap for r in rows if r.gap is not None]
    if not gaps:
        return "categorical", None
    top = max(gaps)
    if top >= LARGE:
        return "large", top
    return ("medium" if top >= MEDIUM else "small"), top


def selectors(rows: Sequence[RowFacts], cat: Catalogue) -> set[str]:
    """What the rows are about, in the selectors of ``conclusions.rests_on``."""
    out: set[str] = set()
    for row in rows:
        out |= {f"topic:{t}" for t in topics_of(row, cat)}
        quantities = {cat.quantity_of(f.ref) for f in row.figures} | {cat.quantity_of(
            row.subject)}
        out |= {f"quantity:{q}" for q in quantities if q}
        if row.event_key:
            ots = "org.ots" in row.notes or any(t.startswith("E") for t in row.telling_ids)
            out.add("events:ots" if ots else "events:text")
    return out


@dataclass(frozen=True)
class Severity:
    level: str                       # high, medium, low
    size: str                        # large, medium, small, categorical
    gap: Fraction | None             # the largest relative gap
    conclusions: tuple[Conclusion, ...]  # the conclusions that rest on the finding

    @property
    def rank(self) -> tuple[int, Fraction]:
        """Sort key, most serious first."""
        return SEVERITIES.index(self.level), -(self.gap or Fraction(0))


def _level(size: str, rests: bool) -> str:
    if size == "large":
        return HIGH if rests else MID
    if size in ("medium", "categorical") and rests:
        return MID
    return LOW


def assess(rows: Sequence[RowFacts], cat: Catalogue) -> Severity:
    """The severity of the finding made of ``rows`` (module docstring)."""
    size, gap = size_of(rows)
    about = selectors(rows, cat)
    resting = tuple(c for c in cat.conclusions if about & set(c.rests_on))
    return Severity(level=_level(size, bool(resting)), size=size, gap=gap,
                    conclusions=resting)
