"""The public API for data: ``names()``, ``load(name)`` and ``describe(name)``.

Raw resources (one per transcribed exhibit) come back typed and validated, exactly as
transcribed. Derived datasets reshape them into the tidy tables analyses use (one row per
year for trade, one per company for the 1994 consortium, ...), keeping the printed text
beside every value. Each derived dataset is declared once (:data:`DERIVED`): how it is built
and what its columns mean, so that the data dictionary (``describe``, ``help(load)``,
``docs/DATA_DICTIONARY.md``) cannot drift from the data.

    >>> from analysis.data import datasets
    >>> trade = datasets.load("trade")
    >>> datasets.describe("trade")          # columns, types, units, meaning
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.data import processed
from analysis.data.io import read_csv_text
from analysis.data.schemas import RESOURCES, validate
from analysis.errors import DataError, EnvironmentProblem, Problem, rel


def _raw_path(name: str) -> Path:
    return config.RAW_DIR / RESOURCES[name].path


@lru_cache(maxsize=64)
def _load_raw_cached(name: str, path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    res = RESOURCES[name]
    frame = read_csv_text(Path(path), res.columns)
    return validate(frame, res, Path(path))


def load_raw_with_lines(name: str) -> pd.DataFrame:
    """A raw resource, typed and validated, with its ``_line`` column (the CSV line)."""
    path = _raw_path(name)
    if not path.is_file():
        raise DataError(Problem(rel(path), None, None, "this raw file", "missing"))
    stat = path.stat()
    return _load_raw_cached(name, str(path), stat.st_mtime_ns, stat.st_size).copy()


def _raw(name: str) -> pd.DataFrame:
    return load_raw_with_lines(name).drop(columns="_line").reset_index(drop=True)


@dataclass(frozen=True)
class Column:
    """One column of a public dataset, as the data dictionary shows it."""

    name: str
    type: str  # "string" | "integer" | "number" (Frictionless table-schema types)
    unit: str  # the unit of a number ("" when none, "see `unit`" when per row)
    description: str


@dataclass(frozen=True)
class Quantity:
    """A printed quantity of a per-year table (Кесте 7, 8): its cells' ``column_key`` in the
    raw file, the column it becomes, its unit and meaning."""

    key: str
    column: str
    unit: str
    meaning: str


@dataclass(frozen=True)
class Wide:
    """A per-year cell table pivoted to one row per year: each quantity gives a value,
    its printed text and its source line; each text column its Kazakh text and English
    translation."""

    resource: str
    title: str
    quantities: tuple[Quantity, ...]
    texts: dict[str, str]  # column_key -> column

    def build(self) -> pd.DataFrame:
        cells = _raw(self.resource)
        out = pd.DataFrame({"year": sorted(cells["year"].dropna().unique())})
        out["year"] = out["year"].astype("Int64")
        for q in self.quantities:
            part = cells[cells["column_key"] == q.key].set_index("year")
            out[q.column] = out["year"].map(part["value"]).astype("Float64")
            out[f"{q.column}_printed"] = out["year"].map(part["number_printed"])
            out[f"{q.column}_line"] = out["year"].map(part["source_line"]).astype("Int64")
        for key, col in self.texts.items():
            part = cells[cells["column_key"] == key].set_index("year")
            out[f"{col}_kk"] = out["year"].map(part["printed"])
            out[f"{col}_en"] = out["year"].map(part["printed_en"])
        return out

    def columns(self) -> tuple[Column, ...]:
        cols = [Column("year", "integer", "", "Calendar year of the row.")]
        for q in self.quantities:
            cols += [Column(q.column, "number", q.unit, f"{q.meaning}, parsed from the printed "
                            "text."),
                     Column(f"{q.column}_printed", "string", "",
                            f"{q.meaning}, exactly as printed ('–' for not given)."),
                     Column(f"{q.column}_line", "integer", "",
                            "Line of that cell in dissertation_kk.txt.")]
        for col in self.texts.values():
            cols += [Column(f"{col}_kk", "string", "", f"The {col} column as printed (Kazakh)."),
                     Column(f"{col}_en", "string", "", f"The {col} column in English.")]
        return tuple(cols)


@dataclass(frozen=True)
class Part:
    """A column of an entity table (Кесте 3, 4): its cells' ``column_key``, the column
    prefix it becomes, whether its cells hold a number, and its meaning."""

    key: str
    column: str
    meaning: str
    number: bool = False


@dataclass(frozen=True)
class Entities:
    """One part of a table with one row per entity (company, resource, route): every cell's
    printed text in Kazakh and English and its line; a numeric cell also its number printed,
    parsed value and unit."""

    resource: str
    part: int
    title: str
    label: str  # the row-key column (company_key, …)
    parts: tuple[Part, ...]

    def build(self) -> pd.DataFrame:
        cells = _raw(self.resource)
        cells = cells[cells["part"] == self.part]
        columns = {p.key: p.column for p in self.parts}
        rows = []
        for (row, key), group in cells.groupby(["row", "row_key"], sort=True):
            record: dict[str, object] = {"row": int(str(row)), self.label: key}
            for _, cell in group.iterrows():
                col = columns.get(cell["column_key"])
                if col is None:
                    continue
                record[f"{col}_kk"] = cell["printed"]
                record[f"{col}_en"] = cell["printed_en"] if cell["printed_en"] else cell["printed"]
                if cell["number_printed"]:
                    record[f"{col}_printed"] = cell["number_printed"]
                    record[f"{col}_value"] = cell["value"]
                    record[f"{col}_unit"] = cell["unit"]
                record[f"{col}_line"] = int(cell["source_line"])
            rows.append(record)
        return pd.DataFrame(rows).reset_index(drop=True)

    def columns(self) -> tuple[Column, ...]:
        cols = [Column("row", "integer", "", "Printed row of the table (1-based)."),
                Column(self.label, "string", "", "Machine key of the row.")]
        for p in self.parts:
            cols += [Column(f"{p.column}_kk", "string", "", f"{p.meaning}, as printed (Kazakh)."),
                     Column(f"{p.column}_en", "string", "", f"{p.meaning}, in English.")]
            if p.number:
                cols += [Column(f"{p.column}_printed", "string", "",
                                f"The number of the {p.column} cell exactly as printed."),
                         Column(f"{p.column}_value", "number", "see `" + p.column + "_unit`",
                                "That number parsed."),
                         Column(f"{p.column}_unit", "string", "",
                                "Unit of the value (analysis.data.units).")]
            cols.append(Column(f"{p.column}_line", "integer", "",
                               "Line of that cell in dissertation_kk.txt."))
        return tuple(cols)


@dataclass(frozen=True)
class Long:
    """Кесте 6 in long form: one row per indicator and year with a number."""

    resource: str
    title: str

    def build(self) -> pd.DataFrame:
        cells = _raw(self.resource)
        nums = cells[cells["number_printed"].fillna("") != ""]
        out = nums[[c.name if c.name != "indicator" else "row_key" for c in self.columns()]]
        out = out.rename(columns={"row_key": "indicator"})
        return out.sort_values(["indicator", "year"], kind="stable").reset_index(drop=True)

    def columns(self) -> tuple[Column, ...]:
        return (Column("indicator", "string", "", "Machine key of the printed indicator row."),
                Column("row_label_kk", "string", "", "Row label as printed (Kazakh)."),
                Column("row_label_en", "string", "", "Row label in English."),
                Column("year", "integer", "", "Year of the printed column."),
                Column("number_printed", "string", "", "The number exactly as printed."),
                Column("value", "number", "see `unit`", "That number parsed, multipliers "
                       "applied."),
                Column("unit", "string", "", "Unit of value (analysis.data.units)."),
                Column("source_line", "integer", "", "Line of the cell in dissertation_kk.txt."))


_MUSD = "USD million"

#: The derived datasets: tidy tables reshaped from the raw transcription, each declared once
#: (how it is built and what its columns mean).
DERIVED: dict[str, Wide | Entities | Long] = {
    "trade": Wide("k7_trade_2018_2023", "Кесте 7: Kazakhstan–Türkiye trade, one row per year",
                  (Quantity("exports", "exports_musd", _MUSD, "Kazakhstan's exports to Türkiye"),
                   Quantity("imports", "imports_musd", _MUSD,
                            "Kazakhstan's imports from Türkiye"),
                   Quantity("trade_total", "trade_total_musd", _MUSD, "Trade turnover"),
                   Quantity("growth_pct", "growth_pct", "percent",
                            "Printed year-on-year growth of turnover")),
                  {"comment": "comment"}),
    "investment": Wide("k8_investment_2018_2023",
                       "Кесте 8: Kazakhstan–Türkiye investment, one row per year",
                       (Quantity("tr_to_kz", "tr_to_kz_musd", _MUSD,
                                 "Turkish investment in Kazakhstan"),
                        Quantity("kz_to_tr", "kz_to_tr_musd", _MUSD,
                                 "Kazakh investment in Türkiye"),
                        Quantity("projects", "projects", "count", "Number of joint projects")),
                       {"sectors": "sectors"}),
    "indicators_2020_2022": Long("k6_indicators_2020_2022",
                                 "Кесте 6: indicators 2020–2022, one row per indicator and year"),
    "consortium_1994": Entities("k3_consortium_1994", 1,
                                "Кесте 3: the 1994 consortium, one row per company",
                                "company_key",
                                (Part("company", "company", "Company"),
                                 Part("share", "share", "Printed share in the consortium",
                                      number=True),
                                 Part("country", "country", "Country of the company"),
                                 Part("details", "details", "Details printed beside it"))),
    "energy_reserves": Entities("k4_energy_reserves_routes", 1,
                                "Кесте 4, part 1: oil and gas reserves", "resource_key",
                                (Part("resource", "resource", "Resource"),
                                 Part("volume", "volume", "Printed reserves", number=True),
                                 Part("main_fields", "fields", "Main fields named"))),
    "oil_export_routes": Entities("k4_energy_reserves_routes", 2,
                                  "Кесте 4, part 2: oil export routes and their shares",
                                  "route_key",
                                  (Part("route", "route", "Route"),
                                   Part("share", "share", "Approximate printed share",
                                        number=True),
                                   Part("pipeline", "pipeline", "Pipeline"),
                                   Part("feature", "feature", "Feature printed beside it"))),
}


def names() -> list[str]:
    """Every dataset ``load`` accepts: the raw resources, then the derived tables."""
    return sorted(RESOURCES) + sorted(DERIVED)


def title(name: str) -> str:
    """What the dataset holds, in one line."""
    if name in RESOURCES:
        res = RESOURCES[name]
        return f"{res.title} (raw: data/raw/{res.path}, source lines {res.source_lines[0]}–" \
               f"{res.source_lines[1]})"
    return f"{_known(name).title} (derived from data/raw/{RESOURCES[_known(name).resource].path})"


def columns(name: str) -> tuple[Column, ...]:
    """The dataset's columns: name, type, unit and meaning (the data dictionary)."""
    if name in RESOURCES:
        return tuple(Column(f.name, f.type, _raw_unit(f.name), f.description)
                     for f in RESOURCES[name].fields)
    return _known(name).columns()


def describe(name: str) -> pd.DataFrame:
    """The data dictionary of one dataset as a table: ``column, type, unit, description``."""
    return pd.DataFrame([vars(c) for c in columns(name)],
                        columns=["name", "type", "unit", "description"]).rename(
        columns={"name": "column"})


def _raw_unit(field: str) -> str:
    return "see `unit`" if field == "value" else ""


def _known(name: str) -> Wide | Entities | Long:
    if name not in DERIVED:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(names())}")
    return DERIVED[name]


def load(name: str) -> pd.DataFrame:
    """A typed, validated DataFrame: read from ``data/processed/`` when that folder is a
    current build of ``data/raw/`` (:mod:`analysis.data.processed`: ``kaztur data`` and
    ``kaztur run`` build it), else built from ``data/raw/`` and validated now (the same
    table either way). Raises :class:`KeyError` for an unknown name,
    :class:`analysis.errors.EnvironmentProblem` when no project is found (it names the
    folder it looked in and how to point at one: ``KAZTUR_ROOT``), and
    :class:`analysis.errors.DataError` (file, line, column, expectation) for bad data.

    ``describe(name)`` gives any dataset's columns, units and meaning; the datasets:
    """
    _require_project(name)
    frame = processed.read(name)
    return build(name) if frame is None else frame


def build(name: str) -> pd.DataFrame:
    """Dataset ``name`` built from ``data/raw/`` and validated, whatever ``data/processed/``
    holds (what ``kaztur data`` writes there); errors as :func:`load`'s."""
    _require_project(name)
    if name in RESOURCES:
        return _raw(name)
    return DERIVED[name].build()


def _require_project(name: str) -> None:
    if name not in RESOURCES and name not in DERIVED:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(names())}")
    problem = config.project_problem()
    if problem:
        raise EnvironmentProblem(
            f"cannot load {name!r}: {problem} From Python: "
            "os.environ['KAZTUR_ROOT'] = '/path/to/kaztur-analysis' before importing "
            "analysis.")


def _help_entry(name: str) -> str:
    """One dataset in ``help(load)``: its title, then its columns with their units (the
    data dictionary's first columns; ``describe`` adds the meanings)."""
    cols = ", ".join(f"{c.name} [{c.unit}]" if c.unit else c.name for c in columns(name))
    lines = textwrap.wrap(f"columns: {cols}", 84, break_on_hyphens=False)
    return f"\n    * ``{name}``: {title(name)}" + "".join(f"\n      {line}" for line in lines)


load.__doc__ = (load.__doc__ or "") + "".join(_help_entry(n) for n in names()) + "\n"
