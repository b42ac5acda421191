"""Typed notebook parameters, declared once and validated before execution.

papermill only *warns* about a parameter the notebook does not declare; here an unknown
name, a value of the wrong type or out of range is an error that stops the run. Each
notebook's ``parameters`` cell holds the defaults below, and its next cell calls
:func:`validate` (through ``analysis.present.session.start``) so that a student who edits a
value in JupyterLab gets the same check.

A student who types ``lang = "ru"`` or ``question = 99`` must see one line saying what is
wrong, in the notebook's language, not a traceback through this module: a
:class:`ParameterError` carries what went wrong as data (a label key and its fields), and
IPython shows its :meth:`~ParameterError._render_traceback_`, that one line (labels
``param.*``), instead of a traceback. On the command line (``kaztur run -p ...``) the
English message is printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from analysis.present import numbers
from analysis.present.i18n import LANGS, t


def _shown(value: Any) -> str:
    """A value as a student typed it: text in double quotes, anything else as Python."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


class ParameterError(ValueError):
    """A parameter is unknown, of the wrong type or out of range.

    ``str(error)`` is the English message (the command line, logs); ``key`` and ``fields``
    say the same as data, for :meth:`localized` (label ``param.error.<key>``). ``lang`` is
    the notebook's language, set by :func:`from_notebook_globals`; None (``lang`` itself is
    wrong) gives the line in both languages.
    """

    def __init__(self, message: str, key: str = "", **fields: Any) -> None:
        super().__init__(message)
        self.key = key
        self.fields = fields
        self.lang: str | None = None

    def localized(self, lang: str | None) -> str:
        """The message in ``lang`` (Kazakh · English when ``lang`` is None)."""
        if not self.key:
            return str(self)
        if lang not in LANGS:
            return " · ".join(self.localized(each) for each in LANGS)
        return t(f"param.error.{self.key}", lang,
                 **{k: v(lang) if callable(v) else v for k, v in self.fields.items()})

    def _render_traceback_(self) -> list[str]:
        """What IPython shows instead of a traceback: the one line of :meth:`localized`."""
        return [self.localized(self.lang)]


def _limit(value: float) -> Any:
    """A bound in the language's notation, no thousands separator (``0,999``, ``2018``)."""
    places = numbers.decimal_places(Decimal(str(value)))
    return lambda lang: numbers.number(value, lang, places, group=False)


def _either(values: tuple[Any, ...]) -> Any:
    """``"kk" or "en"`` in the language asked for (a field filled when localised)."""
    return lambda lang: t("param.or", lang).join(_shown(v) for v in values)


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
        fields = {"name": self.name, "value": _shown(value)}
        if isinstance(value, bool) and bool not in self.types:
            raise ParameterError(f"{where}: expected {self.type_name}, got a boolean {value!r}",
                                 "type", expected=self.localized_type, **fields)
        if not isinstance(value, self.types):
            # an int is acceptable where a float is expected (0 → 0.0), nothing else is
            if float in self.types and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            else:
                raise ParameterError(
                    f"{where}: expected {self.type_name}, got {type(value).__name__} {value!r}",
                    "type", expected=self.localized_type, **fields)
        if value is None:
            return value
        if self.choices is not None and value not in self.choices:
            raise ParameterError(f"{where}: expected one of {list(self.choices)}, got {value!r}",
                                 "choice", choices=_either(self.choices), **fields)
        if self.minimum is not None and value < self.minimum:
            raise ParameterError(f"{where}: expected at least {self.minimum}, got {value!r}",
                                 "minimum", limit=_limit(self.minimum), **fields)
        if self.maximum is not None and value > self.maximum:
            raise ParameterError(f"{where}: expected at most {self.maximum}, got {value!r}",
                                 "maximum", limit=_limit(self.maximum), **fields)
        return value

    @property
    def type_name(self) -> str:
        return " or ".join("None" if t is type(None) else t.__name__ for t in self.types)

    def localized_type(self, lang: str) -> str:
        """The accepted types in ``lang``: ``бүтін сан немесе None``."""
        return t("param.or", lang).join(t(f"param.type.{k.__name__}", lang)
                                        for k in self.types)


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
    # Seminar pack (notebooks/seminar/; exercises and solutions in analysis.teaching).
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
    "seminar_06_two_series": (LANG,),
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
            f"it takes: {', '.join(params)}",
            "unknown", names=", ".join(unknown), known=", ".join(params))
    result = defaults(notebook)
    for name, value in values.items():
        result[name] = params[name].check(notebook, value)
    if "start_year" in result and "end_year" in result:
        if result["end_year"] - result["start_year"] < 2:
            raise ParameterError(
                f"notebook {notebook!r}: start_year={result['start_year']} and end_year="
                f"{result['end_year']} leave fewer than 3 years, too few to fit a trend",
                "span", start=result["start_year"], end=result["end_year"])
    return result


def from_notebook_globals(notebook: str, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the declared parameters as they stand in a running notebook; an error
    speaks the notebook's language (both languages when ``lang`` is the wrong value)."""
    try:
        return validate(notebook, {p.name: namespace[p.name] for p in spec(notebook)
                                   if p.name in namespace})
    except ParameterError as exc:
        lang = namespace.get("lang")
        exc.lang = lang if isinstance(lang, str) and lang in LANGS else None
        raise


def parse_assignment(text: str) -> tuple[str, Any]:
    """``name=value`` from the command line; the value is read as YAML (so 0.9 is a
    float, 2020 an int, null is None, and kk a string)."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise ParameterError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), yaml.safe_load(raw) if raw.strip() else ""
