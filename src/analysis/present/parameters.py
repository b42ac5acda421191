"""Typed notebook parameters, declared once and validated before execution.

papermill only *warns* about a parameter the notebook does not declare; here an unknown
name, a value of the wrong type or out of range is an error that stops the run. Each
notebook's ``parameters`` cell holds the defaults below, and its next cell calls
:func:`validate` so that a student who edits a value in JupyterLab gets the same check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml


class ParameterError(ValueError):
    """A parameter is unknown, of the wrong type or out of range."""


@dataclass(frozen=True)
class Param:
    name: str
    types: tuple[type, ...]
    default: Any
    help: str
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None

    def check(self, notebook: str, value: Any) -> Any:
        where = f"notebook {notebook!r}, parameter {self.name!r}"
        if isinstance(value, bool) and bool not in self.types:
            raise ParameterError(f"{where}: expected {self.type_name}, got a boolean {value!r}")
        if not isinstance(value, self.types):
            # an int is acceptable where a float is expected (0 → 0.0), nothing else is
            if float in self.types and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            else:
                raise ParameterError(
                    f"{where}: expected {self.type_name}, got {type(value).__name__} {value!r}"
                )
        if value is None:
            return value
        if self.choices is not None and value not in self.choices:
            raise ParameterError(f"{where}: expected one of {list(self.choices)}, got {value!r}")
        if self.minimum is not None and value < self.minimum:
            raise ParameterError(f"{where}: expected at least {self.minimum}, got {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise ParameterError(f"{where}: expected at most {self.maximum}, got {value!r}")
        return value

    @property
    def type_name(self) -> str:
        return " or ".join("None" if t is type(None) else t.__name__ for t in self.types)


LANG = Param("lang", (str,), "kk", "Language of titles, labels and tables: kk or en.",
             choices=("kk", "en"))
CI_LEVEL = Param("ci_level", (float,), 0.95, "Confidence level of intervals.",
                 minimum=0.5, maximum=0.999)
START_YEAR = Param("start_year", (int,), 2018, "First year of the series used.",
                   minimum=2018, maximum=2023)
END_YEAR = Param("end_year", (int,), 2023, "Last year of the series used.",
                 minimum=2018, maximum=2023)

NOTEBOOKS: dict[str, tuple[Param, ...]] = {
    "00_overview": (LANG,),
    "01_trade": (START_YEAR, END_YEAR, CI_LEVEL, LANG),
    "02_investment": (START_YEAR, END_YEAR, CI_LEVEL, LANG),
    "03_energy": (LANG,),
    "04_survey": (
        Param("sample_size", (int, type(None)), None,
              "Assumed number of respondents; None uses the smallest N consistent with "
              "every printed percentage.", minimum=1, maximum=5000),
        CI_LEVEL,
        Param("ci_method", (str,), "wilson", "Per-option interval method.",
              choices=("wilson", "beta", "agresti_coull", "jeffreys")),
        LANG,
    ),
    "05_checks": (LANG,),
    "06_external": (
        Param("side", (str,), "KZ", "Whose officials' quoted trade figures are checked as "
              "roundings of the official series: KZ (Kazakh side) or TR (Turkish side).",
              choices=("KZ", "TR")),
        Param("vintage", (str,), "current", "WDI vintage of the OTS nominal GDP: current or "
              "earlier (data/external/wdi_gdp_earlier.csv).", choices=("current", "earlier")),
        Param("tolerance", (float,), 0.05, "Relative tolerance for WDI and Energy Institute "
              "levels.", minimum=0.0, maximum=0.5),
        LANG,
    ),
    # Seminar pack (notebooks/seminar/; exercises and solutions in analysis.teaching.seminar).
    "seminar_01_growth": (LANG,),
    "seminar_02_shares": (LANG,),
    "seminar_03_intervals": (
        Param("sample_size", (int, type(None)), 100,
              "Assumed number of respondents (the dissertation never states it); change it "
              "and re-run to watch the intervals move. None, as in 04_survey, uses the "
              "smallest N consistent with every printed percentage.", minimum=1, maximum=5000),
        Param("question", (int,), 4, "Survey question (Қосымша Б) whose options are shown.",
              minimum=1, maximum=13),
        CI_LEVEL,
        LANG,
    ),
    "seminar_04_contradiction": (LANG,),
    "seminar_05_vintages": (LANG,),
}


def spec(notebook: str) -> tuple[Param, ...]:
    try:
        return NOTEBOOKS[notebook]
    except KeyError:
        raise ParameterError(
            f"no parameter schema for notebook {notebook!r}; known: {', '.join(NOTEBOOKS)}"
        ) from None


def defaults(notebook: str) -> dict[str, Any]:
    return {p.name: p.default for p in spec(notebook)}


def validate(notebook: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults overlaid with ``values``, each checked; unknown names are errors."""
    params = {p.name: p for p in spec(notebook)}
    unknown = sorted(set(values) - set(params))
    if unknown:
        raise ParameterError(
            f"notebook {notebook!r} has no parameter(s) {', '.join(map(repr, unknown))}; "
            f"it takes: {', '.join(params)}"
        )
    result = defaults(notebook)
    for name, value in values.items():
        result[name] = params[name].check(notebook, value)
    if "start_year" in result and "end_year" in result:
        if result["end_year"] - result["start_year"] < 2:
            raise ParameterError(
                f"notebook {notebook!r}: start_year={result['start_year']} and end_year="
                f"{result['end_year']} leave fewer than 3 years, too few to fit a trend"
            )
    return result


def from_notebook_globals(notebook: str, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the declared parameters as they stand in a running notebook."""
    return validate(notebook, {p.name: namespace[p.name] for p in spec(notebook)
                               if p.name in namespace})


def parse_assignment(text: str) -> tuple[str, Any]:
    """``name=value`` from the command line; the value is read as YAML (so 0.9 is a
    float, 2020 an int, null is None, and kk a string)."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise ParameterError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), yaml.safe_load(raw) if raw.strip() else ""
