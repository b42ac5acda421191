"""What every row producer of the ledger gets: the figures, the frames, and indexes.

Why indexes: comparisons are made only between figures that share a quantity key (and a
year, a source or an exhibit), found by dictionary look-up, so the ledger grows linearly
with the number of claims instead of with the number of pairs (``benchmarks/bench_ledger.py``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from analysis.checks.core import UNTESTABLE, Row
from analysis.checks.figures import Figure
from analysis.checks.readings import Reading, judged

Key = tuple[str, int | None]


@dataclass
class Index:
    """Figures by quantity key; by key and year; by source, key and year; by ref."""

    by_key: dict[str, list[Figure]] = field(default_factory=lambda: defaultdict(list))
    by_key_year: dict[Key, list[Figure]] = field(default_factory=lambda: defaultdict(list))
    by_source: dict[tuple[str, str, int | None], list[Figure]] = field(
        default_factory=lambda: defaultdict(list))
    by_ref: dict[str, Figure] = field(default_factory=dict)
    _by_line: dict[tuple[str, str, int | None, tuple[str, ...]],
                   tuple[list[int], list[Figure]]] = field(default_factory=dict)
    _first: dict[tuple[str, str, int | None, tuple[str, ...]], Figure | None] = field(
        default_factory=dict)

    @classmethod
    def of(cls, figures: Iterable[Figure]) -> Index:
        idx = cls()
        for f in figures:
            idx.by_key[f.key].append(f)
            idx.by_key_year[(f.key, f.year)].append(f)
            idx.by_source[(f.source, f.key, f.year)].append(f)
            idx.by_ref.setdefault(f.ref, f)
        return idx

    def get(self, key: str, year: int | None = None, source: str | None = None
            ) -> list[Figure]:
        if source is None:
            return self.by_key_year.get((key, year), [])
        return self.by_source.get((source, key, year), [])

    def _subset(self, source: str, key: str, year: int | None,
                qualifiers: tuple[str, ...]) -> list[Figure]:
        figs = self.by_source.get((source, key, year), [])
        return [f for f in figs if not qualifiers or f.qualifier in qualifiers]

    def first(self, source: str, key: str, year: int | None,
              qualifiers: tuple[str, ...] = ()) -> Figure | None:
        """The figure with the smallest ref in a bucket (optionally only some qualifiers);
        cached, so repeated look-ups cost O(1)."""
        k = (source, key, year, qualifiers)
        if k not in self._first:
            figs = self._subset(source, key, year, qualifiers)
            self._first[k] = min(figs, key=lambda f: f.ref) if figs else None
        return self._first[k]

    def nearest(self, source: str, key: str, year: int | None, line: int,
                qualifiers: tuple[str, ...] = ()) -> Figure | None:
        """The figure of a bucket printed nearest to ``line`` (ties: the smaller ref), by
        bisection on the bucket sorted by line."""
        k = (source, key, year, qualifiers)
        if k not in self._by_line:
            figs = sorted(self._subset(source, key, year, qualifiers),
                          key=lambda f: (f.line, f.ref))
            self._by_line[k] = ([f.line for f in figs], figs)
        lines, figs = self._by_line[k]
        if not figs:
            return None
        i = bisect_left(lines, line)
        cands = []
        for j in (i - 1, i):
            if 0 <= j < len(figs):
                near = lines[j]
                # every figure on that nearest line, to break ties by ref
                lo, hi = bisect_left(lines, near), bisect_left(lines, near + 1)
                cands += figs[lo:hi]
        return min(cands, key=lambda f: (abs(f.line - line), f.ref))

    def sources(self) -> list[str]:
        return sorted({s for s, _, _ in self.by_source})


@dataclass
class Context:
    """The inputs of one ledger build (tests pass crafted ones)."""

    tables: list[Figure]
    texts: list[Figure]
    claims: pd.DataFrame
    cells: dict[str, pd.DataFrame] = field(default_factory=dict)
    results: pd.DataFrame | None = None
    questionnaire: pd.DataFrame | None = None
    events: pd.DataFrame | None = None
    enumerations: pd.DataFrame | None = None
    #: ``text_readings`` (the readings' figures are among ``texts``), ``text_trends``,
    #: ``text_statuses``.
    readings: pd.DataFrame | None = None
    trends: pd.DataFrame | None = None
    statuses: pd.DataFrame | None = None
    table_index: Index = field(init=False)
    text_index: Index = field(init=False)

    def __post_init__(self) -> None:
        self.table_index = Index.of(self.tables)
        self.text_index = Index.of(self.texts)


@dataclass
class Builder:
    """Collects rows and remembers which figures some check has looked at. A row that
    judges one reading of a number with several says so, and a contradiction under a less
    likely reading is not decisive (:func:`analysis.checks.readings.judged`)."""

    rows: list[Row] = field(default_factory=list)
    tested: set[str] = field(default_factory=set)
    readings: dict[str, Reading] = field(default_factory=dict)

    def add(self, row: Row | None, *figures: Figure) -> None:
        if row is None:
            return
        row = judged(row, figures, self.readings)
        self.rows.append(row)
        if row.status != UNTESTABLE:
            self.tested.update(f.ref for f in figures)

    def extend(self, rows: Iterable[Row]) -> None:
        self.rows.extend(rows)


#: A row producer of the ledger: reads the context, adds rows (with the figures each row
#: judged) to the builder. :data:`analysis.checks.ledger.PRODUCERS` lists them in order.
Producer = Callable[[Context, Builder], None]
