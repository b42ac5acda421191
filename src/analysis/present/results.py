"""Results as data: what a notebook publishes for the site, the front page and the findings.

Why: a number a reader is told ("the survey's smallest N is 573") must travel from the
notebook that computed it to every page that states it without being read back out of a
translated table, a caption or a page. So a notebook publishes it once, as data
(:meth:`analysis.present.notebook.Exhibits.publish`), in a form no language owns: numbers,
identifiers and label keys, never a translated string. Each notebook's output folder holds
them in ``results.json``::

    {"results": [
      {"key": "survey.sample_size", "text": "survey.result.sample_size",
       "section": "survey.result.section", "front": true, "ledger_check": "survey.joint_n",
       "cell": 12,
       "values": {"n": {"kind": "count", "value": 573},
                  "count": {"kind": "count", "value": 48}}}]}

* ``key``: a stable id (``<topic>.<name>``); renaming a label never changes it;
* ``values``: each a :class:`Value` (a number with the kind that says how it is written, or a
  label key);
* ``text``: the label key of the sentence that states the result, its ``{fields}`` the
  values (checked in both languages when published: no unfilled placeholder can reach a
  page); ``section``: the label key of the heading it belongs under;
* ``front``: shown on the site's front page; ``ledger_check``: the ledger check whose row
  it rests on (the front page links it); ``cell``: the execution count of the cell that
  published it (the site links the cell).

Pages write the values in their own language with :mod:`analysis.present.numbers`
(:meth:`Value.text`), so the Kazakh and English pages state the same numbers.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.present import numbers
from analysis.present.i18n import LANGS, t

if TYPE_CHECKING:  # the pages that read results need no pandas
    import pandas as pd

#: How a value is written: an integer with thousands separators, a number with decimals,
#: a fraction of 1 as a percentage, a confidence level (0.95 → 95), a year (no separator),
#: a label key (its text in the page's language), an identifier (as it is).
KINDS = ("count", "number", "percent", "level", "year", "label", "id")
#: Where a notebook's results are (in its output folder), and the suffix of a table's
#: language-neutral rows (``tables/<name>.data.csv``).
RESULTS_FILE = "results.json"
DATA_SUFFIX = ".data.csv"
_FIELD = re.compile(r"\{[A-Za-z_]\w*\}")


class ResultError(ValueError):
    """A result that cannot be published as declared (says which and why)."""


def unfilled(text: str) -> list[str]:
    """``{placeholders}`` left in a text meant for a reader (an empty list when none)."""
    return _FIELD.findall(text)


@dataclass(frozen=True)
class Value:
    """One published value: the raw number (or key) and how a page writes it."""

    value: float | int | str | None
    kind: str = "number"
    decimals: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ResultError(f"value kind must be one of {KINDS}, got {self.kind!r}")
        if self.kind in ("label", "id"):
            if not isinstance(self.value, str) or not self.value:
                raise ResultError(f"a {self.kind} value must be a non-empty string, "
                                  f"got {self.value!r}")
        elif self.value is not None and isinstance(self.value, str | bool):
            raise ResultError(f"a {self.kind} value must be a number or None, "
                              f"got {self.value!r}")
        elif self.value is not None and not math.isfinite(float(self.value)):
            # NaN and infinity are not JSON numbers: published as missing ("–")
            object.__setattr__(self, "value", None)

    def text(self, lang: str) -> str:
        """The value as a page in ``lang`` writes it."""
        v = self.value
        if self.kind == "label":
            return t(str(v), lang)
        if self.kind == "id":
            return str(v)
        if v is None:
            return numbers.MISSING
        if self.kind == "percent":
            return numbers.percent(float(v), lang, self.decimals, fraction=True)
        if self.kind == "level":
            return numbers.level(float(v), lang)
        group = self.kind != "year"
        places = self.decimals if self.kind == "number" else 0
        return numbers.number(float(v), lang, places, group=group)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "value": self.value}
        if self.decimals:
            out["decimals"] = self.decimals
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Value:
        return cls(value=data.get("value"), kind=str(data.get("kind", "number")),
                   decimals=int(data.get("decimals", 0)))


def _whole(value: float | None) -> int | None:
    if value is None or numbers.is_missing(value) or not math.isfinite(float(value)):
        return None
    return int(round(float(value)))


def count(value: float | None) -> Value:
    """A whole number of things (``1 580`` / ``1,580``)."""
    return Value(_whole(value), "count")


def _real(value: object) -> float | None:
    return None if value is None or numbers.is_missing(value) else float(value)  # type: ignore[arg-type]


def number(value: float | None, decimals: int = 0) -> Value:
    return Value(_real(value), "number", decimals)


def percent(fraction: float | None, decimals: int = 1) -> Value:
    """A share or rate given as a fraction of 1 (0.156 → ``15,6%``)."""
    return Value(_real(fraction), "percent", decimals)


def level(fraction: float) -> Value:
    """A confidence level (0.95 → ``95``, written before its ``%``)."""
    return Value(float(fraction), "level")


def year(value: float | None) -> Value:
    """A year (or a year to come, rounded), written without a thousands separator."""
    return Value(_whole(value), "year")


def label(key: str) -> Value:
    """A label key: its text in the page's language (``trade.q.trade_total``)."""
    return Value(key, "label")


def ident(value: str) -> Value:
    """An identifier written as it is (``T312``, ``survey.joint_n``)."""
    return Value(value, "id")


@dataclass(frozen=True)
class Result:
    """One published result (see the module docstring)."""

    key: str
    values: Mapping[str, Value] = field(default_factory=dict)
    text: str = ""
    section: str = ""
    front: bool = False
    ledger_check: str = ""
    cell: int | None = None

    def fields(self, lang: str) -> dict[str, str]:
        """Every value as ``lang`` writes it (the fields of its sentence, or of a caption)."""
        return {k: v.text(lang) for k, v in self.values.items()}

    def sentence(self, lang: str) -> str:
        """The sentence that states the result in ``lang`` (empty without ``text``)."""
        if not self.text:
            return ""
        return t(self.text, lang, **self.fields(lang))

    def check(self) -> None:
        """Refuse what a page could not state: no key, an unknown label, a sentence with a
        field no value fills (in either language)."""
        if not re.fullmatch(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)+", self.key):
            raise ResultError(f"result key {self.key!r} must be dotted words "
                              "(<topic>.<name>)")
        for lang in LANGS:
            try:
                texts = [self.sentence(lang)] + ([t(self.section, lang)] if self.section
                                                 else [])
                texts += [v.text(lang) for v in self.values.values()]
            except KeyError as exc:
                what = str(exc.args[0])
                if not what.startswith("no label"):
                    what = f"its text {self.text} needs the value {what}"
                raise ResultError(f"result {self.key}: {what}") from None
            left = [x for text in texts for x in unfilled(text)]
            if left:
                raise ResultError(f"result {self.key}: {', '.join(sorted(set(left)))} not "
                                  f"filled in its {lang} text")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key,
                               "values": {k: v.to_json() for k, v in self.values.items()}}
        for name in ("text", "section", "ledger_check"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.front:
            out["front"] = True
        if self.cell is not None:
            out["cell"] = self.cell
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Result:
        values = {str(k): Value.from_json(v) for k, v in (data.get("values") or {}).items()}
        cell = data.get("cell")
        return cls(key=str(data["key"]), values=values, text=str(data.get("text", "")),
                   section=str(data.get("section", "")), front=bool(data.get("front")),
                   ledger_check=str(data.get("ledger_check", "")),
                   cell=int(cell) if cell is not None else None)


def read_results(folder: Path) -> list[Result]:
    """The results published into ``folder`` (a notebook's output folder), in order."""
    path = folder / RESULTS_FILE
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Result.from_json(r) for r in data.get("results", [])]


def growth_results(summary: pd.DataFrame, topic: str, ci_level: float) -> list[Result]:
    """One front-page result per series of a growth table
    (:func:`analysis.methods.growth.growth_table`: series keys, rates as fractions): the
    endpoint CAGR and the least-squares rate with its HC3 interval. ``topic`` is the label
    prefix of the series names (``trade``: ``trade.q.<series>``)."""
    out = []
    for series, rows in summary.groupby("series", sort=False):
        cagr = rows[rows["method"] == "cagr"]
        hc3 = rows[(rows["method"] == "ols_log") & (rows["se_type"] == "HC3")]
        if cagr.empty or hc3.empty:
            continue
        fit = hc3.iloc[0]
        out.append(Result(
            key=f"{topic}.growth.{series}",
            values={"series": label(f"{topic}.q.{series}"),
                    "start": year(fit["start_year"]), "end": year(fit["end_year"]),
                    "n": count(fit["n"]), "cagr": percent(cagr["rate"].iloc[0]),
                    "rate": percent(fit["rate"]), "low": percent(fit["ci_low"]),
                    "high": percent(fit["ci_high"]), "level": level(ci_level)},
            text="result.growth", section="result.section.growth", front=True))
    return out
