"""``kz_tr_trade.csv``: Kazakhstan's goods trade with Türkiye as Kazakhstan reports it.

Why a table of its own: until it came, every external trade verdict rested on figures that
officials quoted to the press. This table holds two statistical compilations of the same
flows and a third for corroboration:

* **BNS-312101**: the Bureau of National Statistics of Kazakhstan, table 312101 ("main
  indicators of foreign trade by country"), the national statistics;
* **WITS-TradeStats**: UN Comtrade data with Kazakhstan as reporter, via the World Bank's
  WITS (the international compilation);
* **UN-Comtrade-preview**: Comtrade's public preview of the imports (corroboration only:
  equal to WITS where both exist).

The two main series are *different compilations* of one flow: for some years they differ
by far more than rounding (see :mod:`analysis.analyses.official`). They are kept apart,
never spliced; a comparison names the series it uses.

This module is the single description of the table: its fields, vocabularies, the years
each series must cover (:data:`COVERAGE`, so that a truncated file is named as truncated),
the coverage rule :func:`coverage_problems` that :mod:`analysis.data.official` applies
(with the vocabularies) on every read and in ``kaztur verify``, and the queries a check
needs (:func:`value`, :func:`reference`): "the official value of flow F in year Y from
series S, with its edition and source".

It imports nothing of :mod:`analysis.data.official` (which imports it), so the queries take
the loaded frame; :func:`analysis.data.official.trade_value` and
:func:`analysis.data.official.trade_reference` load and ask in one call.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from analysis.data.schemas import Field
from analysis.errors import Problem, rel

BNS, WITS, PREVIEW = "BNS-312101", "WITS-TradeStats", "UN-Comtrade-preview"
EXPORT, IMPORT, TURNOVER = "export", "import", "turnover"
#: Flows as the table stores them, from the reporter's side: ``export`` is Kazakhstan's
#: exports to Türkiye, ``import`` its imports from Türkiye.
FLOWS: tuple[str, ...] = (EXPORT, IMPORT)
#: Flows a query may ask for: the stored ones and their sum (same series and year).
QUERY_FLOWS: tuple[str, ...] = (EXPORT, IMPORT, TURNOVER)
#: The reporter and partner of every row (the file's scope).
REPORTER, PARTNER = "KAZ", "TUR"
#: The units the source files gave (``value_usd`` is always in US dollars).
SOURCE_UNITS: tuple[str, ...] = ("USD", "thousand USD", "million USD")
UNIT = "USD"


@dataclass(frozen=True)
class TradeSeries:
    """One series: who publishes it and what it is for."""

    code: str
    title: str
    publisher: str
    role: str            # "national", "international" or "corroboration"
    interface: str       # how it can be fetched anew (or why it cannot)


TRADE_SERIES: dict[str, TradeSeries] = {s.code: s for s in (
    TradeSeries(BNS, "BNS table 312101, main indicators of foreign trade by country",
                "Bureau of National Statistics of the Republic of Kazakhstan", "national",
                "none documented: stat.gov.kz publishes table 312101 as spreadsheet files; "
                "snapshot only"),
    TradeSeries(WITS, "WITS TradeStats-Trade, UN Comtrade data with Kazakhstan as reporter",
                "World Bank, WITS (UN Comtrade data)", "international",
                "WITS API (SDMX), no key"),
    TradeSeries(PREVIEW, "UN Comtrade public preview, reporter 398, partner 792, total",
                "United Nations Statistics Division, UN Comtrade", "corroboration",
                "UN Comtrade public preview API, no subscription key"),
)}

#: The years every series must cover for each flow (first, last), the snapshot's coverage.
#: A file missing any of these rows is truncated; a refresh may extend a series by later
#: (or earlier) years, but never leave a gap.
COVERAGE: dict[tuple[str, str], tuple[int, int]] = {
    (BNS, EXPORT): (2020, 2025), (BNS, IMPORT): (2020, 2025),
    (WITS, EXPORT): (2015, 2023), (WITS, IMPORT): (2015, 2023),
    (PREVIEW, IMPORT): (2015, 2025),
}


@dataclass(frozen=True)
class SeriesBreak:
    """A documented change in how a series is compiled: the years ``first``–``last`` are
    compiled differently from the years before and after them, so a change between years
    on different sides (before, within, after) measures the compilation as well as the
    trade. ``key`` names its words in both languages (the label ``checks.break.<key>``);
    ``documented`` cites where it is documented."""

    series: str
    first: int
    last: int
    key: str
    documented: str


#: The comparability break the upstream documentation states for the Comtrade submission:
#: ``data/external/README.md`` ("the source repository's own metadata says the Comtrade
#: submission understates non-EAEU partners in those years", 2020–2022) and the
#: snapshot's README (``kz_tr_trade_kz_reporter.csv``: "the WITS/Comtrade figures are
#: 26–38 % below BNS … and converge again in 2023"). It holds for WITS and for the
#: Comtrade preview (the same submission; equal to WITS up to 2023).
_COMTRADE_DOC = ("data/external/README.md, kz_tr_trade.csv section; the snapshot's README "
                 "(kz_tr_trade_kz_reporter.csv), citing the metadata of "
                 "makenerzhan-gif/kazakhstan-economic-data")
#: Each series' documented breaks, declared as data beside :data:`COVERAGE`. A growth
#: rate, a trend step or an "other series" rate may use a series only for two years on
#: the same side of each of its breaks (:mod:`analysis.checks.series_breaks`). BNS 312101
#: documents none.
BREAKS: dict[str, tuple[SeriesBreak, ...]] = {
    code: (SeriesBreak(code, 2020, 2022, "comtrade_non_eaeu", _COMTRADE_DOC),)
    for code in (WITS, PREVIEW)
}

#: The series a comparison uses for a year, in order of preference: the national
#: statistics where they cover the year, else the international compilation. The preview
#: never serves as the reference (it duplicates WITS where both exist).
REFERENCE_ORDER: tuple[str, ...] = (BNS, WITS)

FIELDS: tuple[Field, ...] = (
    Field("series", "string", "Series code (analysis.data.official_trade.TRADE_SERIES).",
          True),
    Field("reporter", "string", "ISO3 code of the reporting country (KAZ).", True),
    Field("partner", "string", "ISO3 code of the partner country (TUR).", True),
    Field("flow", "string", "export (Kazakhstan to Türkiye) or import (from Türkiye), from "
          "the reporter's side.", True),
    Field("year", "integer", "Calendar year of the flow.", True),
    Field("value_usd", "number", "The value in US dollars, converted from the source's unit "
          "(authoritative).", True),
    Field("unit_in_source", "string", "Unit of the file or answer the value was read from "
          "(USD, thousand USD, million USD).", True),
    Field("source_table", "string", "The original table or query the value comes from.",
          True),
    Field("edition", "string", "Edition of the original table as the source states it, or "
          "'unknown'.", True),
    Field("source_repo", "string", "GitHub repository of the extract (empty for an API "
          "answer)."),
    Field("source_path", "string", "File in that repository, or the API request.", True),
    Field("source_commit", "string", "Commit of that file (empty for an API answer)."),
)
KEY: tuple[str, ...] = ("series", "reporter", "partner", "flow", "year")

_COMMIT = re.compile(r"^[0-9a-f]{40}$")


# ---------------------------------------------------------------------------------------
# Coverage (on the text frame, after every field has its type)
# ---------------------------------------------------------------------------------------


def provenance_ok(frame: pd.DataFrame) -> pd.Series:
    """A snapshot row names repository, file and a 40-hex commit; an API row names its
    request (an https URL) and leaves repository and commit empty."""
    repo = frame["source_repo"].fillna("").str.strip()
    commit = frame["source_commit"].fillna("").str.strip()
    path = frame["source_path"].fillna("").str.strip()
    from_repo = (repo != "") & commit.map(lambda c: bool(_COMMIT.match(c)))
    from_api = (repo == "") & (commit == "") & path.str.startswith("https://")
    return from_repo | from_api


def _span(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def coverage_problems(frame: pd.DataFrame, path: Path) -> list[Problem]:
    """Every declared (series, flow) has every year of :data:`COVERAGE`; no other series
    or flow appears; a series extended beyond its declared years has no gap."""
    out: list[Problem] = []
    years = pd.to_numeric(frame["year"]).astype(int)
    held = {key: sorted(set(years[(frame["series"] == key[0]) & (frame["flow"] == key[1])]))
            for key in COVERAGE}
    for (series, flow), (first, last) in COVERAGE.items():
        have = held[(series, flow)]
        lost = [y for y in range(first, last + 1) if y not in have]
        if lost:
            out.append(Problem(rel(path), None, "year",
                               f"every year {first}–{last} of {series} {flow} (its declared "
                               "coverage, analysis.data.official_trade.COVERAGE)",
                               f"no row for {_span(lost)}: the file is truncated"))
        elif have and have[-1] - have[0] + 1 != len(have):
            gaps = [y for y in range(have[0], have[-1] + 1) if y not in have]
            out.append(Problem(rel(path), None, "year",
                               f"consecutive years of {series} {flow}",
                               f"a gap at {_span(gaps)}"))
    declared = ", ".join(f"{s} {f}" for s, f in COVERAGE)
    for _, r in frame.iterrows():
        pair = (r["series"], r["flow"])
        if r["series"] in TRADE_SERIES and r["flow"] in FLOWS and pair not in COVERAGE:
            out.append(Problem(rel(path), int(r["_line"]), "flow",
                               f"a declared series and flow ({declared})", " ".join(pair)))
    return out


# ---------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TradeValue:
    """One official value with what a verdict must say about it."""

    series: str
    flow: str            # export, import or turnover (the sum of both, same series and year)
    year: int
    value_usd: float
    edition: str
    source_table: str
    source: str          # repository@commit:file, or the API request; "; " between parts
    unit_in_source: str

    @property
    def value_musd(self) -> float:
        """The value in USD million (the unit of the dissertation's tables)."""
        return self.value_usd / 1e6

    @property
    def publisher(self) -> str:
        return TRADE_SERIES[self.series].publisher

    @property
    def role(self) -> str:
        return TRADE_SERIES[self.series].role


def _source_text(row: pd.Series) -> str:
    if str(row["source_repo"]).strip():
        return f"{row['source_repo']}@{row['source_commit']}:{row['source_path']}"
    return str(row["source_path"])


def _exact_sum(a: float, b: float) -> float:
    """``a + b`` of two values given to the cent, without binary rounding noise."""
    return float(Decimal(repr(float(a))) + Decimal(repr(float(b))))


def _joined(values: list[str]) -> str:
    return "; ".join(dict.fromkeys(values))


def long(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with a ``turnover`` row (export + import) for every series and year that
    has both flows, and a ``source`` column: series, flow, year, value_usd, edition,
    source_table, source, unit_in_source. Sorted by series, flow, year."""
    base = frame.assign(source=frame.apply(_source_text, axis=1) if len(frame) else "")
    cols = ["series", "flow", "year", "value_usd", "edition", "source_table", "source",
            "unit_in_source"]
    rows = [base[cols]]
    exp = base[base["flow"] == EXPORT].set_index(["series", "year"])
    imp = base[base["flow"] == IMPORT].set_index(["series", "year"])
    both = exp.index.intersection(imp.index)
    if len(both):
        a, b = exp.loc[both], imp.loc[both]
        turnover = pd.DataFrame({
            "flow": TURNOVER, "value_usd": [_exact_sum(x, y) for x, y in zip(
                a["value_usd"], b["value_usd"], strict=True)],
            "edition": [_joined([x, y]) for x, y in zip(a["edition"], b["edition"],
                                                        strict=True)],
            "source_table": [_joined([x, y]) for x, y in zip(
                a["source_table"], b["source_table"], strict=True)],
            "source": [_joined([x, y]) for x, y in zip(a["source"], b["source"],
                                                       strict=True)],
            "unit_in_source": [_joined([x, y]) for x, y in zip(
                a["unit_in_source"], b["unit_in_source"], strict=True)]},
            index=both).reset_index()
        rows.append(turnover[cols])
    out = pd.concat(rows, ignore_index=True)
    order = {f: i for i, f in enumerate(QUERY_FLOWS)}
    return out.sort_values(["series", "flow", "year"], kind="mergesort",
                           key=lambda s: s.map(order) if s.name == "flow" else s
                           ).reset_index(drop=True)


def value(frame: pd.DataFrame, series: str, flow: str, year: int) -> TradeValue | None:
    """The value of ``flow`` in ``year`` from ``series``, or None where the series does not
    cover it. ``turnover`` is export + import of the same series and year (None unless
    both exist)."""
    if series not in TRADE_SERIES:
        raise KeyError(f"unknown trade series {series!r}; known: {', '.join(TRADE_SERIES)}")
    if flow not in QUERY_FLOWS:
        raise KeyError(f"unknown flow {flow!r}; known: {', '.join(QUERY_FLOWS)}")
    return _values(frame).get((series, flow, int(year)))


#: the values of the last few tables asked, by their content (:func:`_values`)
_VALUES: dict[str, dict[tuple[str, str, int], TradeValue]] = {}


def _values(frame: pd.DataFrame) -> dict[tuple[str, str, int], TradeValue]:
    """Every value of ``frame`` (turnover included, :func:`long`) by series, flow and year,
    built once per table content: the ledger asks one table for some 230 values, and
    building the long form for each of them took 3 s of a 5 s build. Keyed by a hash of
    the columns and cells, so a changed table is never answered from an older one."""
    cells = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    key = hashlib.sha256(repr(list(frame.columns)).encode() + cells).hexdigest()
    if key not in _VALUES:
        found: dict[tuple[str, str, int], TradeValue] = {}
        for r in long(frame).to_dict("records"):
            found.setdefault((str(r["series"]), str(r["flow"]), int(r["year"])), TradeValue(
                str(r["series"]), str(r["flow"]), int(r["year"]), float(r["value_usd"]),
                str(r["edition"]), str(r["source_table"]), str(r["source"]),
                str(r["unit_in_source"])))
        while len(_VALUES) >= 4:
            del _VALUES[next(iter(_VALUES))]
        _VALUES[key] = found
    return _VALUES[key]


def reference(frame: pd.DataFrame, flow: str, year: int,
              order: tuple[str, ...] = REFERENCE_ORDER) -> TradeValue | None:
    """The value a verdict sets a number of ``year`` against: the first series of
    ``order`` (BNS, then WITS) that covers the year, or None."""
    for series in order:
        found = value(frame, series, flow, year)
        if found is not None:
            return found
    return None
