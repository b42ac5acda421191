"""The public API for data: ``names()`` and ``load(name)``.

Raw resources (one per transcribed exhibit) come back typed and validated, exactly as
transcribed. Derived datasets reshape them into the tidy tables analyses use (one row per
year for trade, one per company for the 1994 consortium, ...), keeping the printed text
beside every value.

    >>> from analysis import datasets
    >>> trade = datasets.load("trade")
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.data.io import read_csv_text
from analysis.data.schemas import RESOURCES, validate
from analysis.errors import DataError, Problem, rel


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


def _cells_wide(name: str, columns: dict[str, str], text_columns: dict[str, str]) -> pd.DataFrame:
    """Pivot a per-year cell table (Кесте 7, 8) into one row per year."""
    cells = _raw(name)
    out = pd.DataFrame({"year": sorted(cells["year"].dropna().unique())})
    out["year"] = out["year"].astype("Int64")
    for key, col in columns.items():
        part = cells[cells["column_key"] == key].set_index("year")
        out[col] = out["year"].map(part["value"]).astype("Float64")
        out[f"{col}_printed"] = out["year"].map(part["number_printed"])
        out[f"{col}_line"] = out["year"].map(part["source_line"]).astype("Int64")
    for key, col in text_columns.items():
        part = cells[cells["column_key"] == key].set_index("year")
        out[f"{col}_kk"] = out["year"].map(part["printed"])
        out[f"{col}_en"] = out["year"].map(part["printed_en"])
    return out


def trade() -> pd.DataFrame:
    """Кесте 7: one row per year, values in USD million, printed text beside each value."""
    return _cells_wide(
        "k7_trade_2018_2023",
        {"exports": "exports_musd", "imports": "imports_musd",
         "trade_total": "trade_total_musd", "growth_pct": "growth_pct"},
        {"comment": "comment"},
    )


def investment() -> pd.DataFrame:
    """Кесте 8: one row per year; investment in USD million, project counts."""
    return _cells_wide(
        "k8_investment_2018_2023",
        {"tr_to_kz": "tr_to_kz_musd", "kz_to_tr": "kz_to_tr_musd", "projects": "projects"},
        {"sectors": "sectors"},
    )


def indicators_2020_2022() -> pd.DataFrame:
    """Кесте 6 in long form: one row per indicator and year."""
    cells = _raw("k6_indicators_2020_2022")
    nums = cells[cells["number_printed"].fillna("") != ""]
    out = nums[["row_key", "row_label_kk", "row_label_en", "year", "number_printed", "value",
                "unit", "source_line"]].rename(columns={"row_key": "indicator"})
    return out.sort_values(["indicator", "year"], kind="stable").reset_index(drop=True)


def _entity_table(name: str, part: int, label: str, columns: dict[str, str]) -> pd.DataFrame:
    cells = _raw(name)
    cells = cells[cells["part"] == part]
    rows = []
    for (row, key), group in cells.groupby(["row", "row_key"], sort=True):
        record: dict[str, object] = {"row": int(str(row)), label: key}
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


def consortium_1994() -> pd.DataFrame:
    """Кесте 3: one row per company with its printed share."""
    return _entity_table("k3_consortium_1994", 1, "company_key",
                         {"company": "company", "share": "share", "country": "country",
                          "details": "details"})


def energy_reserves() -> pd.DataFrame:
    """Кесте 4, part 1: oil and gas reserves."""
    return _entity_table("k4_energy_reserves_routes", 1, "resource_key",
                         {"resource": "resource", "volume": "volume", "main_fields": "fields"})


def oil_export_routes() -> pd.DataFrame:
    """Кесте 4, part 2: oil export routes and their (approximate) shares."""
    return _entity_table("k4_energy_reserves_routes", 2, "route_key",
                         {"route": "route", "share": "share", "pipeline": "pipeline",
                          "feature": "feature"})


DERIVED: dict[str, Callable[[], pd.DataFrame]] = {
    "trade": trade,
    "investment": investment,
    "indicators_2020_2022": indicators_2020_2022,
    "consortium_1994": consortium_1994,
    "energy_reserves": energy_reserves,
    "oil_export_routes": oil_export_routes,
}


def names() -> list[str]:
    """Every dataset ``load`` accepts: the raw resources, then the derived tables."""
    return sorted(RESOURCES) + sorted(DERIVED)


def load(name: str) -> pd.DataFrame:
    """A typed, validated DataFrame. Raises :class:`KeyError` for an unknown name and
    :class:`analysis.errors.DataError` (file, line, column, expectation) for bad data."""
    if name in RESOURCES:
        return _raw(name)
    if name in DERIVED:
        return DERIVED[name]()
    raise KeyError(f"unknown dataset {name!r}; known: {', '.join(names())}")
