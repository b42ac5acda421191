"""Declarative table specs: what each published table shows, keyed by its output name.

Why: a notebook cell should read like ``ex.table("k7_recomputed", trade.recomputed(k7))``.
Which columns a table shows, their headers, which hold fractions shown as percentages, how
many decimals, and which hold label keys is presentation, declared once per output in
``present/specs/<topic>.yaml``, not typed into notebook cells::

    k7_recomputed:
      title: trade.tab.k7_recomputed   # label key of the caption
      labels: trade                    # headers: label <labels>.col.<column>, else <column>
      columns: [year, exports, growth_pct]   # shown, in this order ({lang} → kk/en)
      percent: [export_share]          # fractions of 1, shown × 100
      digits: 2                        # decimals of floats (default 3) ...
      decimals: {year: 0}              # ... or per column
      values: {series: trade.q}        # string values that are label keys <prefix>.<value>
      lists: {repeated: energy.company}  # ", "-separated lists of such values
      plain: [source_line]             # integers printed without thousands separator
                                       # (default: year, *_year and *line* columns)
                                       # (``printed`` and ``*_printed`` columns quote the
                                       # source as printed: marked so in every page)
      as_printed: true                 # a table as printed: its cells are the printed
                                       # text and its headers the table's own
      text: [basis]                    # columns holding words in the reader's language
                                       # (left out of the language-neutral data file)

:func:`localize` turns a data frame into the table a reader sees (headers and value labels
in the notebook's language, rounded); :func:`display_text` formats every cell as text with
the language's number notation (:mod:`analysis.present.numbers`): ``–`` for a missing
value, localised yes/no for booleans, no ``980.0`` for a whole number, no index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from numbers import Real
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.io import parse_yaml
from analysis.present import numbers
from analysis.present.i18n import labels, t

SPEC_DIR = Path(__file__).parent / "specs"
DEFAULT_DIGITS = 3
_KEYS = frozenset({"title", "labels", "columns", "percent", "digits", "decimals", "values",
                   "lists", "plain", "as_printed", "text"})


@dataclass(frozen=True)
class TableSpec:
    """How one published table is shown (see the module docstring)."""

    name: str = ""
    title: str = ""
    labels: str = ""
    columns: tuple[str, ...] | None = None
    percent: tuple[str, ...] = ()
    digits: int = DEFAULT_DIGITS
    decimals: Mapping[str, int] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    lists: Mapping[str, str] = field(default_factory=dict)
    plain: tuple[str, ...] = ()
    as_printed: bool = False
    text: tuple[str, ...] = ()
    origin: str = ""  # the spec file it is declared in (``trade.yaml``)

    def is_plain(self, column: str) -> bool:
        """Years and line numbers read as labels, not quantities: no thousands separator."""
        return (column in self.plain or column == "year" or column.endswith("_year")
                or "line" in column)

    def quoted(self, column: str) -> bool:
        """Cells that quote the source as printed (``19.5%``, ``1 580``): a table as
        printed, a ``printed`` column or a ``*_printed`` one. They keep the source's own
        notation in every language."""
        return self.as_printed or column == "printed" or column.endswith("_printed")

    def shown(self, frame: pd.DataFrame, lang: str) -> list[str]:
        """The columns shown, ``{lang}`` filled in; a column the frame lacks is an error."""
        names = [str(c) for c in frame.columns]
        cols = [c.format(lang=lang) for c in self.columns] if self.columns else names
        missing = [c for c in cols if c not in names]
        if missing:
            raise KeyError(f"table {self.name or '(ad hoc)'}: the data has no column(s) "
                           f"{', '.join(missing)}; it has {', '.join(names)}")
        return cols


def _spec_from_entry(name: str, entry: Mapping[str, Any], origin: str) -> TableSpec:
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ValueError(f"{origin}: table {name!r} has unknown key(s) {', '.join(unknown)}; "
                         f"allowed: {', '.join(sorted(_KEYS))}")
    if "title" not in entry or "labels" not in entry:
        raise ValueError(f"{origin}: table {name!r} needs 'title' and 'labels'")
    columns = entry.get("columns")
    return TableSpec(
        name=name, title=str(entry["title"]), labels=str(entry["labels"]),
        columns=tuple(columns) if columns else None,
        percent=tuple(entry.get("percent", ())),
        digits=int(entry.get("digits", DEFAULT_DIGITS)),
        decimals={str(k): int(v) for k, v in (entry.get("decimals") or {}).items()},
        values={str(k): str(v) for k, v in (entry.get("values") or {}).items()},
        lists={str(k): str(v) for k, v in (entry.get("lists") or {}).items()},
        plain=tuple(entry.get("plain", ())),
        as_printed=bool(entry.get("as_printed", False)),
        text=tuple(entry.get("text", ())), origin=origin,
    )


@lru_cache(maxsize=1)
def specs() -> dict[str, TableSpec]:
    """Every table spec of ``present/specs/*.yaml``; a name defined twice is an error."""
    merged: dict[str, TableSpec] = {}
    for path in sorted(SPEC_DIR.glob("*.yaml")):
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
        for name, entry in data.items():
            if name in merged:
                raise ValueError(f"table spec {name!r} defined twice (again in {path.name})")
            merged[name] = _spec_from_entry(name, entry, path.name)
    return merged


def spec(name: str) -> TableSpec:
    try:
        return specs()[name]
    except KeyError:
        raise KeyError(f"no table spec {name!r}; declare it in a file of {SPEC_DIR}") from None


def header(column: str, prefix: str, lang: str) -> str:
    """The label of ``column``: ``<prefix>.col.<column>`` if defined, else the common
    label ``<column>`` (year, value, …); for a language-picked column (``option_kk``) the
    same for its base name (``option``). A column with no label is an error."""
    base = column.removesuffix(f"_{lang}")
    for key in (f"{prefix}.col.{column}", f"{prefix}.col.{base}", column):
        if key in labels():
            return t(key, lang)
    return t(base, lang)


def _adhoc(table: TableSpec | str, columns: Iterable[str] | None,
           values: Mapping[str, str] | None, percent: Iterable[str], digits: int) -> TableSpec:
    if not isinstance(table, str):
        return table
    return TableSpec(labels=table, columns=tuple(columns) if columns is not None else None,
                     percent=tuple(percent), digits=digits, values=dict(values or {}))


def _value_label(value: object, prefix: str, lang: str) -> object:
    return t(f"{prefix}.{value}", lang) if isinstance(value, str) and value else value


def _list_labels(value: object, prefix: str, lang: str) -> object:
    if not isinstance(value, str) or not value:
        return value
    return ", ".join(t(f"{prefix}.{item}", lang) for item in value.split(", "))


def _labelled(out: pd.DataFrame, table: TableSpec, lang: str) -> None:
    """Value keys of the spec's ``values`` and ``lists`` columns as their labels in ``lang``
    (in place)."""
    for col, prefix in table.values.items():
        if col in out:
            out[col] = out[col].map(lambda v, p=prefix: _value_label(v, p, lang))
    for col, prefix in table.lists.items():
        if col in out:
            out[col] = out[col].map(lambda v, p=prefix: _list_labels(v, p, lang))


def localize(frame: pd.DataFrame, table: TableSpec | str, lang: str,
             columns: Iterable[str] | None = None, values: Mapping[str, str] | None = None,
             percent: Iterable[str] = (), digits: int = DEFAULT_DIGITS) -> pd.DataFrame:
    """``frame`` as a reader sees it: the spec's columns, fractions × 100, floats rounded,
    value labels and headers in ``lang``. ``table`` is a :class:`TableSpec`, or a label
    prefix with the other arguments forming an ad-hoc spec."""
    table = _adhoc(table, columns, values, percent, digits)
    cols = table.shown(frame, lang)
    out = frame[cols].copy()
    for col in table.percent:
        if col in out:
            out[col] = out[col].astype(float) * 100
    _labelled(out, table, lang)
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(table.decimals.get(col, table.digits))
    if not table.as_printed:
        out.columns = [header(c, table.labels, lang) for c in cols]
    return out.reset_index(drop=True)


def neutral(frame: pd.DataFrame, table: TableSpec, lang: str) -> pd.DataFrame:
    """The rows of ``frame`` that the table shows, in no language: the spec's columns under
    their own names, value keys as keys, numbers unrounded (percent columns as fractions).
    Columns that hold a language's words are left out: the spec's ``{lang}`` columns and
    its ``text`` columns. Both languages' runs write the same file."""
    cols = [c for c, template in zip(table.shown(frame, lang), _templates(table, frame),
                                     strict=True)
            if "{lang}" not in template and c not in table.text]
    return frame[cols].reset_index(drop=True)


def _templates(table: TableSpec, frame: pd.DataFrame) -> list[str]:
    return list(table.columns) if table.columns else [str(c) for c in frame.columns]


def _cell_text(value: object, lang: str, decimals: int, plain: bool) -> str:
    """One cell as text: yes/no for a boolean, ``–`` for a missing value, a whole number
    without decimals, a :class:`~decimal.Decimal` with the decimals it carries (an exact
    sum such as ``99.5``), any other number with the column's decimals."""
    if isinstance(value, bool | np.bool_):
        return t("bool.true" if value else "bool.false", lang)
    if numbers.is_missing(value):
        return numbers.MISSING
    if isinstance(value, Decimal):
        return numbers.number(value, lang, numbers.decimal_places(value), group=not plain)
    if isinstance(value, Real):
        places = 0 if float(value).is_integer() else decimals
        return numbers.number(value, lang, places, group=not plain)
    return str(value)


def display_text(frame: pd.DataFrame, table: TableSpec, lang: str) -> pd.DataFrame:
    """Every cell of ``localize(frame, table, lang)`` as text in ``lang``'s notation (two
    columns with the same label stay two columns, so that a check can see them)."""
    shown = table.shown(frame, lang)
    localized = localize(frame, table, lang)
    columns = []
    for position, column in enumerate(shown):
        places = table.decimals.get(column, table.digits)
        cells = localized.iloc[:, position].astype(object)
        columns.append([_cell_text(v, lang, places, table.is_plain(column)) for v in cells])
    rows = [list(row) for row in zip(*columns, strict=True)] if columns else []
    return pd.DataFrame(rows, columns=list(localized.columns), index=range(len(localized)))
