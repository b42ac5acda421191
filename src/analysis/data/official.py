"""``data/external/``: official statistics set against the dissertation's numbers.

Why a second data folder: ``data/raw/`` holds what the dissertation prints; this folder holds
what the statistical record says (World Bank WDI, the Energy Institute's Statistical Review,
Kazakhstan's trade with Türkiye in two official statistical series, Kazakh and Turkish
officials' trade and investment figures). Its files are derived by the
package's own code (``kaztur external build`` from the snapshots in ``../shared/external/``,
``kaztur external refresh`` from the World Bank, WITS and UN Comtrade APIs) and are
committed, so that a clone
without the snapshots reproduces every comparison from them.

This module is the single description of those files: their columns, units, country codes
and keys (:data:`RESOURCES`), how they are loaded (:func:`load`, validated on every read),
and how ``kaztur verify`` checks them against ``data/external/datapackage.json``
(:func:`problems`: checksums, schema, units, provenance, and for the trade series the
years each must cover). A bad file is a :class:`~analysis.errors.DataError` naming file,
line and column. The trade table's own description and queries are in
:mod:`analysis.data.official_trade`; :func:`trade_value` and :func:`trade_reference` ask
them in one call.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis.data import official_trade as trade
from analysis.data.io import padded_cells, read_csv_text, read_json_object, sha256_file
from analysis.data.schemas import Field
from analysis.errors import DataError, Problem, rel

DESCRIPTOR = "datapackage.json"


def external_dir() -> Path:
    """``data/external/`` of the project (looked up at call time, so tests can move it)."""
    return config.ROOT / "data" / "external"


# ---------------------------------------------------------------------------------------
# Vocabularies: units, countries, indicators, series
# ---------------------------------------------------------------------------------------

#: unit -> (base unit, factor to the base unit). The base names are those of
#: :data:`analysis.data.units.UNITS` where the quantity is the same (USD, people, percent,
#: barrel, m3, tonne), so an external value converts to the unit of a transcribed one.
#: PPP dollars get their own base: they are not US dollars and never compare as such.
UNITS: dict[str, tuple[str, int]] = {
    "USD": ("USD", 1),
    "USD million": ("USD", 10**6),
    "international USD": ("international USD", 1),
    "USD per person": ("USD per person", 1),
    "international USD per person": ("international USD per person", 1),
    "people": ("people", 1),
    "percent": ("percent", 1),
    "LCU per USD": ("LCU per USD", 1),
    "tonne million": ("tonne", 10**6),
    "barrel/day thousand": ("barrel/day", 10**3),
    "barrel billion": ("barrel", 10**9),
    "m3 billion": ("m3", 10**9),
    "m3 trillion": ("m3", 10**12),
}

#: ISO 3166-1 alpha-3 codes (WLD: the World Bank's code for the world) and WDI's names.
COUNTRIES: dict[str, str] = {
    "AZE": "Azerbaijan", "HUN": "Hungary", "KAZ": "Kazakhstan", "KGZ": "Kyrgyz Republic",
    "RUS": "Russian Federation", "TKM": "Turkmenistan", "TUR": "Turkiye",
    "UZB": "Uzbekistan", "WLD": "World",
}


@dataclass(frozen=True)
class Indicator:
    code: str
    unit: str
    title: str


#: The WDI indicators the package uses (the snapshot's and the refresh's set).
WDI_INDICATORS: dict[str, Indicator] = {i.code: i for i in (
    Indicator("NY.GDP.MKTP.CD", "USD", "GDP (current US$)"),
    Indicator("NY.GDP.MKTP.KD.ZG", "percent", "GDP growth (annual %)"),
    Indicator("NY.GDP.PCAP.CD", "USD per person", "GDP per capita (current US$)"),
    Indicator("NY.GDP.PCAP.PP.CD", "international USD per person",
              "GDP per capita, PPP (current international $)"),
    Indicator("NY.GNP.MKTP.PP.CD", "international USD", "GNI, PPP (current international $)"),
    Indicator("NY.GNP.ATLS.CD", "USD", "GNI, Atlas method (current US$)"),
    Indicator("SP.POP.TOTL", "people", "Population, total"),
    Indicator("BX.KLT.DINV.CD.WD", "USD",
              "Foreign direct investment, net inflows (BoP, current US$)"),
    Indicator("TX.VAL.MRCH.CD.WT", "USD", "Merchandise exports (current US$)"),
    Indicator("TM.VAL.MRCH.CD.WT", "USD", "Merchandise imports (current US$)"),
    Indicator("TX.VAL.FUEL.ZS.UN", "percent", "Fuel exports (% of merchandise exports)"),
    Indicator("TG.VAL.TOTL.GD.ZS", "percent", "Merchandise trade (% of GDP)"),
    Indicator("NE.EXP.GNFS.ZS", "percent", "Exports of goods and services (% of GDP)"),
    Indicator("PA.NUS.FCRF", "LCU per USD",
              "Official exchange rate (LCU per US$, period average)"),
    Indicator("SL.UEM.TOTL.ZS", "percent",
              "Unemployment, total (% of total labor force) (modeled ILO estimate)"),
    Indicator("FP.CPI.TOTL.ZG", "percent", "Inflation, consumer prices (annual %)"),
)}

#: The WDI indicators that may be negative (flows, growth, inflation); every other WDI
#: indicator and every Energy Institute series is a level or a share and cannot be.
SIGNED_INDICATORS = frozenset({"BX.KLT.DINV.CD.WD", "FP.CPI.TOTL.ZG", "NY.GDP.MKTP.KD.ZG"})

#: Energy Institute series: key -> (table name in the Statistical Review, its unit as
#: printed there, our unit).
EI_SERIES: dict[str, tuple[str, str, str]] = {
    "oil_production_tonnes": ("Oil Production - tonnes", "Million tonnes", "tonne million"),
    "oil_production_barrels": ("Oil Production - barrels", "Thousand barrels daily",
                               "barrel/day thousand"),
    "gas_production": ("Gas Production - Bcm", "Billion cubic metres", "m3 billion"),
    "oil_consumption": ("Oil Consumption - Tonnes", "Million tonnes", "tonne million"),
    "gas_consumption": ("Gas Consumption - Bcm", "Billion cubic metres", "m3 billion"),
    "oil_proved_reserves": ("Oil - Proved reserves history", "Thousand million barrels",
                            "barrel billion"),
    "gas_proved_reserves": ("Gas - Proved reserves history", "Trillion cubic metres",
                            "m3 trillion"),
}

#: Quantities of the officials' figures (Kazakh-side naming: exports = KZ → TR).
OFFICIAL_QUANTITIES = ("trade_turnover", "exports_kz_to_tr", "imports_kz_from_tr",
                       "fdi_tr_to_kz_gross_inflow", "fdi_tr_to_kz_cumulative")
QUALIFIERS = ("exact", "approx", "more_than")
SIDES = ("KZ", "TR")
YEAR_RANGE = (1990, 2035)


# ---------------------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExternalResource:
    name: str
    path: str
    title: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


_SERIES_FIELDS = (
    Field("iso3", "string", "ISO 3166-1 alpha-3 country code (WLD: world).", True),
    Field("year", "integer", "Calendar year of the observation.", True),
    Field("value", "number", "The value in `unit`, as published (not rounded).", True),
    Field("unit", "string", "Unit of `value` (analysis.data.official.UNITS).", True),
)

_WDI_FIELDS = (Field("indicator", "string", "WDI indicator code.", True), *_SERIES_FIELDS)

RESOURCES: dict[str, ExternalResource] = {r.name: r for r in (
    ExternalResource(
        "wdi", "wdi.csv",
        "World Development Indicators: OTS members, observers, Russia and the world",
        _WDI_FIELDS, ("indicator", "iso3", "year")),
    ExternalResource(
        "wdi_gdp_earlier", "wdi_gdp_earlier.csv",
        "GDP (current US$) of an earlier WDI vintage, for the vintage comparison",
        _WDI_FIELDS, ("indicator", "iso3", "year")),
    ExternalResource(
        "energy_institute", "energy_institute.csv",
        "Energy Institute Statistical Review: oil and gas production, consumption, reserves",
        (Field("series", "string", "Series key (analysis.data.official.EI_SERIES).", True),
         *_SERIES_FIELDS), ("series", "iso3", "year")),
    ExternalResource(
        "kz_tr_official", "kz_tr_official.csv",
        "Kazakhstan–Türkiye trade and Turkish FDI as stated by officials (press reports)",
        (Field("figure_id", "string", "Stable id R01… in the snapshot's row order.", True),
         Field("quantity", "string", "What the figure measures (OFFICIAL_QUANTITIES).", True),
         Field("year_from", "integer", "First year covered.", True),
         Field("year_to", "integer", "Last year covered.", True),
         Field("months", "integer", "Months of year_to covered (12, or 9 for Jan–Sep).", True),
         Field("value", "number", "The figure as stated, in `unit`.", True),
         Field("unit", "string", "Unit of `value`.", True),
         Field("qualifier", "string", "exact, approx ('about') or more_than.", True),
         Field("side", "string", "Whose statistics: KZ or TR.", True),
         Field("reporter", "string", "Office that stated it (MFA, PM office, …).", True),
         Field("stated_on", "string", "Date of the statement or report (YYYY-MM-DD), if given."),
         Field("year_basis", "string", "stated, or inferred (the year is not in the report).",
               True),
         Field("attributed_to", "string", "Speaker and medium as reported.", True),
         Field("source_url", "string", "Where the figure was reported.", True),
         Field("note", "string", "Context from the snapshot (growth rates, caveats).")),
        ("figure_id",)),
    ExternalResource(
        "kz_tr_trade", "kz_tr_trade.csv",
        "Kazakhstan's goods trade with Türkiye as reported by Kazakhstan: BNS table 312101, "
        "UN Comtrade via WITS, and the Comtrade preview",
        trade.FIELDS, trade.KEY),
)}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# ---------------------------------------------------------------------------------------
# Validation of a tidy file
# ---------------------------------------------------------------------------------------


def _integer(text: str) -> int | None:
    return int(text) if re.fullmatch(r"-?\d+", text.strip()) else None


def _number(text: str) -> float | None:
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _convert(frame: pd.DataFrame, res: ExternalResource, path: Path) -> list[Problem]:
    problems = []
    for f in res.fields:
        for line, text in zip(frame["_line"], frame[f.name].astype(str), strict=True):
            if not text.strip():
                if f.required:
                    problems.append(Problem(rel(path), int(line), f.name, "a value", "empty"))
                continue
            ok = {"integer": _integer, "number": _number}.get(f.type, lambda s: s)(text)
            if ok is None:
                problems.append(Problem(rel(path), int(line), f.name, f"a {f.type}", text))
    return problems


def _rule(frame: pd.DataFrame, path: Path, column: str, expected: str,
          good: pd.Series) -> list[Problem]:
    bad = frame[~good.fillna(False).astype(bool)]
    return [Problem(rel(path), int(r["_line"]), column, expected, str(r[column]))
            for _, r in bad.iterrows()]


def _series_rules(frame: pd.DataFrame, path: Path) -> list[Problem]:
    years = pd.to_numeric(frame["year"])
    return (_rule(frame, path, "iso3", f"a country code ({', '.join(COUNTRIES)})",
                  frame["iso3"].isin(list(COUNTRIES)))
            + _rule(frame, path, "year", f"a year {YEAR_RANGE[0]}–{YEAR_RANGE[1]}",
                    years.between(*YEAR_RANGE)))


def _unit_rule(frame: pd.DataFrame, path: Path, key: str,
               expected: dict[str, str]) -> list[Problem]:
    """The key column names a known series, and the unit is that series' unit."""
    problems = _rule(frame, path, key, f"one of {', '.join(sorted(expected))}",
                     frame[key].isin(list(expected)))
    known = frame[frame[key].isin(list(expected))]
    want = known[key].map(expected)
    wrong = known["unit"] != want  # compared as whole columns: a file has thousands of rows
    for line, name, unit, got in zip(known.loc[wrong, "_line"], known.loc[wrong, key],
                                     want[wrong], known.loc[wrong, "unit"], strict=True):
        problems.append(Problem(rel(path), int(line), "unit",
                                f"{unit!r} (the unit of {name})", str(got)))
    return problems


def _sign_rule(frame: pd.DataFrame, path: Path, key: str) -> list[Problem]:
    """Levels and shares (a GDP, a population, a production) are not negative."""
    signed = frame[key].isin(list(SIGNED_INDICATORS))
    return _rule(frame, path, "value", "a non-negative number (a level or a share)",
                 signed | (pd.to_numeric(frame["value"]) >= 0))


def _official_rules(frame: pd.DataFrame, path: Path) -> list[Problem]:
    y0, y1 = pd.to_numeric(frame["year_from"]), pd.to_numeric(frame["year_to"])
    dates = frame["stated_on"].fillna("")
    return (_rule(frame, path, "quantity", f"one of {', '.join(OFFICIAL_QUANTITIES)}",
                  frame["quantity"].isin(OFFICIAL_QUANTITIES))
            + _rule(frame, path, "qualifier", f"one of {', '.join(QUALIFIERS)}",
                    frame["qualifier"].isin(QUALIFIERS))
            + _rule(frame, path, "side", "KZ or TR", frame["side"].isin(SIDES))
            + _rule(frame, path, "unit", "'USD million'", frame["unit"] == "USD million")
            + _rule(frame, path, "year_to", "a year ≥ year_from within "
                    f"{YEAR_RANGE[0]}–{YEAR_RANGE[1]}", (y1 >= y0) & y1.between(*YEAR_RANGE))
            + _rule(frame, path, "months", "12 or 9",
                    pd.to_numeric(frame["months"]).isin([9, 12]))
            + _rule(frame, path, "year_basis", "stated or inferred",
                    frame["year_basis"].isin(["stated", "inferred"]))
            + _rule(frame, path, "stated_on", "a date YYYY-MM-DD or nothing",
                    dates.map(lambda d: not d or bool(_DATE.match(d))))
            + _rule(frame, path, "value", "a positive number",
                    pd.to_numeric(frame["value"]) > 0))


def _trade_rules(frame: pd.DataFrame, path: Path) -> list[Problem]:
    """The trade table: vocabularies, positive values, provenance, and the coverage each
    series declares (:func:`analysis.data.official_trade.coverage_problems`)."""
    return (_rule(frame, path, "series", f"one of {', '.join(trade.TRADE_SERIES)}",
                  frame["series"].isin(list(trade.TRADE_SERIES)))
            + _rule(frame, path, "reporter", trade.REPORTER, frame["reporter"] == trade.REPORTER)
            + _rule(frame, path, "partner", trade.PARTNER, frame["partner"] == trade.PARTNER)
            + _rule(frame, path, "flow", " or ".join(trade.FLOWS),
                    frame["flow"].isin(trade.FLOWS))
            + _rule(frame, path, "value_usd", "a positive number of US dollars",
                    pd.to_numeric(frame["value_usd"]) > 0)
            + _rule(frame, path, "unit_in_source", f"one of {', '.join(trade.SOURCE_UNITS)}",
                    frame["unit_in_source"].isin(trade.SOURCE_UNITS))
            + _rule(frame, path, "source_commit", "a 40-hex commit with its repository and "
                    "file, or (an API answer) an https request and no repository or commit",
                    trade.provenance_ok(frame))
            + trade.coverage_problems(frame, path))


def _key_problems(frame: pd.DataFrame, res: ExternalResource, path: Path) -> list[Problem]:
    dup = frame[frame.duplicated(list(res.key), keep="first")]
    return [Problem(rel(path), int(r["_line"]), res.key[-1],
                    f"a unique ({', '.join(res.key)})",
                    "/".join(str(r[k]) for k in res.key)) for _, r in dup.iterrows()]


def _wdi_rules(frame: pd.DataFrame, path: Path) -> list[Problem]:
    units = {k: v.unit for k, v in WDI_INDICATORS.items()}
    return (_series_rules(frame, path) + _unit_rule(frame, path, "indicator", units)
            + _sign_rule(frame, path, "indicator"))


def _energy_rules(frame: pd.DataFrame, path: Path) -> list[Problem]:
    units = {k: v[2] for k, v in EI_SERIES.items()}
    return (_series_rules(frame, path) + _unit_rule(frame, path, "series", units)
            + _sign_rule(frame, path, "series"))


#: The value rules of each resource (run once every field has its type).
_RULES = {"wdi": _wdi_rules, "wdi_gdp_earlier": _wdi_rules, "energy_institute": _energy_rules,
          "kz_tr_official": _official_rules, "kz_tr_trade": _trade_rules}


def validate(frame: pd.DataFrame, res: ExternalResource, path: Path) -> pd.DataFrame:
    """Type and check a text frame of ``res`` read from ``path`` (with ``_line``); raise a
    :class:`DataError` listing every problem, else return the typed frame."""
    problems = _convert(frame, res, path)
    if not problems:
        problems += _RULES[res.name](frame, path)
        problems += _key_problems(frame, res, path)
    problems += padded_cells(frame, path)
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or ""))
        raise DataError(problems)
    out = frame.copy()
    for f in res.fields:
        if f.type == "integer":
            out[f.name] = pd.to_numeric(out[f.name]).astype("int64")
        elif f.type == "number":
            out[f.name] = pd.to_numeric(out[f.name]).astype("float64")
        else:
            out[f.name] = out[f.name].fillna("").astype(str)
    return out


def from_text(name: str, text_frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Validate an in-memory text frame (no ``_line`` needed: rows count from line 2)."""
    frame = text_frame.astype(str).copy()
    if "_line" not in frame:
        frame.insert(0, "_line", range(2, len(frame) + 2))
    return validate(frame, RESOURCES[name], path)


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _load_cached(name: str, path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    res = RESOURCES[name]
    return validate(read_csv_text(Path(path), res.columns), res, Path(path))


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """An external resource, typed and validated (see :data:`RESOURCES`)."""
    if name not in RESOURCES:
        raise KeyError(f"unknown external dataset {name!r}; known: {', '.join(RESOURCES)}")
    path = (folder or external_dir()) / RESOURCES[name].path
    if not path.is_file():
        raise DataError(Problem(rel(path), None, None,
                                "this external data file (run `kaztur external build` "
                                "beside ../shared/external/, or restore it from git)",
                                "missing"))
    stat = path.stat()
    frame = _load_cached(name, str(path), stat.st_mtime_ns, stat.st_size)
    return frame.drop(columns="_line").reset_index(drop=True)


def descriptor(folder: Path | None = None) -> dict[str, Any]:
    """``data/external/datapackage.json`` as a dict (a missing or broken file is an error)."""
    path = (folder or external_dir()) / DESCRIPTOR
    if not path.is_file():
        raise DataError(Problem(rel(path), None, None, "the external data descriptor",
                                "missing"))
    return read_json_object(path, "the external data descriptor")


def source_of(name: str, folder: Path | None = None) -> dict[str, str]:
    """The provenance of resource ``name``: title, vintage, licence, URL, sha256, …"""
    for entry in descriptor(folder).get("resources", []):
        if entry.get("name") == name:
            return dict(entry["sources"][0])
    raise KeyError(f"{DESCRIPTOR} has no resource {name!r}")


def vintage(name: str, folder: Path | None = None) -> str:
    return str(source_of(name, folder)["vintage"])


def trade_value(series: str, flow: str, year: int,
                folder: Path | None = None) -> trade.TradeValue | None:
    """The official value of ``flow`` (export, import or turnover) in ``year`` from
    ``series`` (BNS-312101, WITS-TradeStats, UN-Comtrade-preview), with its edition and
    source; None where the series does not cover the year."""
    return trade.value(load("kz_tr_trade", folder), series, flow, year)


def trade_reference(flow: str, year: int,
                    folder: Path | None = None) -> trade.TradeValue | None:
    """The value a verdict uses for ``flow`` in ``year``: BNS where it covers the year,
    else WITS (:data:`analysis.data.official_trade.REFERENCE_ORDER`); None if neither."""
    return trade.reference(load("kz_tr_trade", folder), flow, year)


# ---------------------------------------------------------------------------------------
# The descriptor and `kaztur verify`
# ---------------------------------------------------------------------------------------

#: What every resource's provenance must state.
SOURCE_KEYS = ("title", "publisher", "url", "vintage", "licence", "sha256")


def schema_of(res: ExternalResource) -> dict[str, Any]:
    return {"fields": [{"name": f.name, "type": f.type, "description": f.description,
                        "constraints": {"required": True} if f.required else {}}
                       for f in res.fields],
            "primaryKey": list(res.key)}


def units_of(name: str, frame: pd.DataFrame) -> dict[str, str]:
    """The units a resource uses, keyed by series (for the descriptor)."""
    if name == "kz_tr_trade":
        return {str(s): trade.UNIT for s in sorted(set(frame["series"]))}
    key = {"wdi": "indicator", "wdi_gdp_earlier": "indicator",
           "energy_institute": "series"}.get(name, "quantity")
    pairs = frame[[key, "unit"]].drop_duplicates().sort_values(key)
    return {str(k): str(u) for k, u in zip(pairs[key], pairs["unit"], strict=True)}


def _entry_problems(res: ExternalResource, entry: dict[str, Any],
                    folder: Path, desc_path: Path) -> list[Problem]:
    path = folder / res.path
    if not path.is_file():
        return [Problem(rel(path), None, None, "this external data file", "missing")]
    out = []
    actual = f"sha256:{sha256_file(path)}"
    if entry.get("hash") != actual:
        out.append(Problem(rel(path), None, None,
                           f"checksum {entry.get('hash')} from {DESCRIPTOR} (external files "
                           "are written by `kaztur external build|refresh`, never by hand)",
                           actual))
    if entry.get("schema") != schema_of(res):
        out.append(Problem(rel(desc_path), None, res.name,
                           "the schema defined in analysis.data.official", "a different one"))
    sources = entry.get("sources") or [{}]
    missing = [k for k in SOURCE_KEYS if not str(sources[0].get(k) or "").strip()]
    if missing:
        out.append(Problem(rel(desc_path), None, res.name,
                           f"provenance with {', '.join(SOURCE_KEYS)}",
                           f"no {', '.join(missing)}"))
    try:
        frame = load(res.name, folder)
    except DataError as exc:
        return out + exc.problems
    if entry.get("units") != units_of(res.name, frame):
        out.append(Problem(rel(desc_path), None, res.name,
                           f"the units of {res.path}: {units_of(res.name, frame)}",
                           str(entry.get("units"))))
    return out


def problems(folder: Path | None = None) -> list[Problem]:
    """Every problem with ``data/external/``: descriptor, checksums, schema, units, country
    codes, provenance. Empty means all is well."""
    folder = folder or external_dir()
    desc_path = folder / DESCRIPTOR
    try:
        desc = descriptor(folder)
    except DataError as exc:
        return exc.problems
    listed = {e.get("name"): e for e in desc.get("resources", [])}
    out: list[Problem] = []
    for name, res in RESOURCES.items():
        entry = listed.pop(name, None)
        if entry is None:
            out.append(Problem(rel(desc_path), None, None, f"an entry for {res.path}", "none"))
            continue
        out += _entry_problems(res, entry, folder, desc_path)
    for name in sorted(str(n) for n in listed):
        out.append(Problem(rel(desc_path), None, name,
                           "only resources defined in analysis.data.official",
                           "unknown resource"))
    return out
