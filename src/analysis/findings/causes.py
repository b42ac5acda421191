"""Cause hypotheses: each a test over the finding's rows, the ledger and the data.

A finding may have a likely cause. None is asserted: each test below decides whether its
cause *fits* the numbers and shows the evidence; a fitting cause is a hypothesis, a test that
applies but does not fit is reported too (so the reader sees what was ruled out). A test
that does not apply returns ``None``.

* :func:`one_year_shift` — the printed figure equals the official value of the year before
  (the checks' row notes ``note.ext_shift``/``note.ext_shift_step``, each a test with the
  one rounding model); for a table, also every trade cell against the year before with the
  matches chance alone would give (:func:`analysis.analyses.official.shift_summary`);
* :func:`dropped_separator` — a value impossible as printed (a share above 100 %) becomes
  possible with a decimal separator restored, and one such reading lies near the official
  value (within :data:`NEAR`);
* :func:`other_definition` — a figure of the finding fits the official value of another
  definition (GDP at PPP instead of nominal; members and observers counted as members),
  as the checks' ``differs by definition`` verdict shows;
* :func:`revised_forecast` — the rows compare a forecast with an outturn, or one forecast
  before and after a revision;
* :func:`swapped_flows` — a trade balance reversed between two tables: would exchanging one
  table's exports and imports give the other's values?
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import pandas as pd

from analysis.checks.phrases import Phrase, items, printed, say
from analysis.data.parse import NumberFormatError, parse_number
from analysis.findings.facts import DEFINITION, RowFacts
from analysis.findings.phrasing import ledger, line_items, rounded, where

#: A restored decimal reading is "near" the official value within this factor either way
#: (the year or the base of the official value may differ a little; stated, not tuned).
NEAR = Fraction(5, 4)
#: Definition keys of the checks (``analysis.checks.official.DEFINITIONS``) → the cause.
DEFINITION_CAUSE = {"ppp_members": "ppp_instead_of_nominal",
                    "ppp_observers": "ppp_instead_of_nominal",
                    "nominal_observers": "observers_counted_as_members",
                    "population_observers": "observers_counted_as_members"}
SHIFT_NOTES = frozenset({"note.ext_shift", "note.ext_shift_step"})
FORECAST_NOTES = ("note.ext_forecast", "diag.revision.")

__all__ = ["CAUSES", "Cause", "Evidence", "dropped_separator", "one_year_shift",
           "other_definition", "revised_forecast", "swapped_flows", "test_causes"]


@dataclass(frozen=True)
class Cause:
    """A tested cause: its key, whether it fits, and the evidence (a phrase)."""

    key: str
    fits: bool
    evidence: Phrase


@dataclass(frozen=True)
class Evidence:
    """What the tests may look at beyond the finding's rows."""

    rows: Sequence[RowFacts] = ()                       # the whole ledger
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)  # exhibit → long form
    series: pd.DataFrame | None = None                  # official series, long form

    def external_of(self, ref: str) -> RowFacts | None:
        """The external row of a figure (``<ref>.external``), if any."""
        return next((r for r in self.rows if r.external and r.claim_id == f"{ref}.external"),
                    None)


def _notes_with(row: RowFacts, column: str, keys: frozenset[str] | tuple[str, ...]
                ) -> list[dict[str, Any]]:
    phrase = row.phrase(column) or {}
    return [n for n in phrase.get("notes", [])
            if any(str(n.get("key", "")).startswith(k) for k in keys)]


# --- one-year shift ------------------------------------------------------------------


def _shift_items(rows: Sequence[RowFacts]) -> list[Phrase]:
    out = []
    for row in rows:
        fig = row.subject_figure
        if fig is None:
            continue
        for note in _notes_with(row, "diagnosis", SHIFT_NOTES):
            fields = note.get("fields", {})
            out.append(say("cause.shift_item", printed=printed(fig.printed),
                           where=where(fig), fits=fields.get("year", ""),
                           ref=ledger(fields.get("ref"))))
    return out


def _chance(ev: Evidence, tables: Sequence[str]) -> list[Phrase]:
    """Each table's cells against the official year before: matches and their chance."""
    if ev.series is None:
        return []
    # deliberate lazy import: only a finding about a table's trade cells needs it
    from analysis.analyses import official

    out = []
    for exhibit in tables:
        table = ev.tables.get(exhibit)
        if table is None or table.empty:
            continue
        cells = official.shift_cells(table, ev.series)
        summary = official.shift_summary(cells, ev.series)
        for lag in (0, 1):
            part = summary[summary["lag"] == lag]
            if part.empty:
                continue
            out.append(say(f"cause.shift_chance.{lag}", exhibit={"exhibit": exhibit},
                           cells=int(part["cells"].sum()), matches=int(part["matches"].sum()),
                           expected=rounded(float(part["expected"].sum()), 2),
                           p=rounded(float(part["p"].min()), 2)))
    return out


def _trade_tables(rows: Sequence[RowFacts], ev: Evidence) -> list[str]:
    """The tables whose trade cells (those of ``ev.tables``) the rows judge."""
    out = []
    for exhibit, table in sorted(ev.tables.items()):
        lines = set(table["line"].astype(int)) if "line" in table else set()
        if any(f.exhibit == exhibit and f.line in lines for r in rows for f in r.figures):
            out.append(exhibit)
    return out


def one_year_shift(rows: Sequence[RowFacts], ev: Evidence) -> Cause | None:
    trade = [r for r in rows if r.external and r.years]
    if not trade:
        return None
    found = _shift_items(trade)
    chance = _chance(ev, _trade_tables(trade, ev))
    if not found and not chance:
        return None
    evidence = say("cause.one_year_shift." + ("fits" if found else "no"),
                   fitting=items(found, "; ") if found else "",
                   chance=items(chance, "; ") if chance else "")
    return Cause("one_year_shift", bool(found), evidence)


# --- a dropped decimal separator -----------------------------------------------------


def candidates(row: RowFacts) -> list[Fraction]:
    phrase = row.phrase("diagnosis") or {}
    values = (phrase.get("fields", {}).get("candidates") or {}).get("items", [])
    out = []
    for v in values:
        text = ((v.get("fields") or {}).get("value") or {}).get("num")
        if text is not None:
            out.append(Fraction(text))
    return out


def official_value(row: RowFacts | None) -> Fraction | None:
    if row is None:
        return None
    value = ((row.phrase("recomputed") or {}).get("fields", {}).get("value") or {})
    text = value.get("num") if isinstance(value, dict) else None
    return None if text is None else Fraction(text)


def _near(cands: Sequence[Fraction], official: Fraction | None) -> list[Fraction]:
    """The candidates within :data:`NEAR` of a positive official value."""
    if official is None or official <= 0:
        return []
    return [c for c in cands if 1 / NEAR <= c / official <= NEAR]


def dropped_separator(rows: Sequence[RowFacts], ev: Evidence) -> Cause | None:
    impossible = [r for r in rows if r.check_id == "text.impossible" and candidates(r)]
    if not impossible:
        return None
    row = impossible[0]
    fig = row.subject_figure
    cands = candidates(row)
    external = next((r for r in rows if r.external), None) or (
        ev.external_of(fig.ref) if fig else None)
    official = official_value(external)
    near = _near(cands, official)
    key = "fits_alone" if official is None else "fits" if near else "no"
    evidence = say(f"cause.dropped_separator.{key}", printed=printed(row.value_printed),
                   line=line_items(row.lines),
                   candidates=items([rounded(c, 2) for c in cands], ", "),
                   official=rounded(official, 2) if official is not None else "",
                   near=items([rounded(c, 2) for c in near], ", "))
    return Cause("dropped_separator", key != "no", evidence)


# --- another definition --------------------------------------------------------------


def _definition(row: RowFacts) -> str:
    for node in _keys_in(row.phrase("external_note")) + _keys_in(row.phrase("diagnosis")):
        if node.startswith("def.") or node.startswith("note.def."):
            return node.rsplit(".", 1)[-1]
    return ""


def _keys_in(phrase: Any) -> list[str]:
    out: list[str] = []
    if isinstance(phrase, dict):
        if isinstance(phrase.get("key"), str):
            out.append(phrase["key"])
        for v in phrase.values():
            out += _keys_in(v)
    elif isinstance(phrase, list):
        for v in phrase:
            out += _keys_in(v)
    return out


def other_definition(rows: Sequence[RowFacts], ev: Evidence) -> list[Cause]:
    """One cause per kind of definition that a figure of the finding fits."""
    refs = list(dict.fromkeys(f.ref for r in rows for f in r.figures))
    found: dict[str, list[Phrase]] = {}
    for ref in refs:
        ext = ev.external_of(ref)
        if ext is None or ext.verdict != DEFINITION:
            continue
        key = _definition(ext)
        cause = DEFINITION_CAUSE.get(key)
        fig = ext.subject_figure
        if cause is None or fig is None:
            continue
        found.setdefault(cause, []).append(say(
            "cause.definition_item", printed=printed(fig.printed), where=where(fig),
            value=ledger(ext.phrase("recomputed"))))
    return [Cause(cause, True, say(f"cause.{cause}", items=items(found[cause], "; ")))
            for cause in sorted(found)]


# --- a forecast ----------------------------------------------------------------------


def revised_forecast(rows: Sequence[RowFacts], ev: Evidence) -> Cause | None:
    hits = [r for r in rows if any(k.startswith(FORECAST_NOTES) for k in r.notes)]
    if not hits:
        return None
    lines = sorted({n for r in hits for n in r.lines})
    return Cause("revised_forecast", True, say("cause.revised_forecast",
                                              lines=line_items(lines)))


# --- exports and imports swapped -----------------------------------------------------


def _value(field_value: Any) -> Fraction | None:
    text = field_value.get("printed") if isinstance(field_value, dict) else None
    try:
        parsed = parse_number(str(text)).value if text else None
    except NumberFormatError:
        return None
    return None if parsed is None else Fraction(parsed)


def swapped_flows(rows: Sequence[RowFacts], ev: Evidence) -> Cause | None:
    notes = [n.get("fields", {}) for r in rows for n in _notes_with(r, "diagnosis",
                                                                   ("note.balance_reversed",))]
    if not notes:
        return None
    years, fits = [], True
    for f in {str(n.get("year")): n for n in notes}.values():
        ex_a, im_a, ex_b, im_b = (_value(f.get(k)) for k in ("ex_a", "im_a", "ex_b", "im_b"))
        if None in (ex_a, im_a, ex_b, im_b):
            continue
        fits = fits and ex_a == im_b and im_a == ex_b
        years.append(say("cause.swap_item", year=f.get("year", ""),
                         exhibit_a={"exhibit": f.get("exhibit_a", "")},
                         exhibit_b={"exhibit": f.get("exhibit_b", "")}, ex_a=f.get("ex_a"),
                         im_a=f.get("im_a"), ex_b=f.get("ex_b"), im_b=f.get("im_b")))
    if not years:
        return None
    return Cause("swapped_flows", fits, say("cause.swapped_flows." + ("fits" if fits else "no"),
                                            items=items(years, "; ")))


Test = Callable[[Sequence[RowFacts], Evidence], "Cause | list[Cause] | None"]
#: Every cause test, in the order a finding lists them.
CAUSES: tuple[Test, ...] = (one_year_shift, dropped_separator, other_definition,
                            revised_forecast, swapped_flows)


def test_causes(rows: Sequence[RowFacts], ev: Evidence) -> list[Cause]:
    """Every test's result on the finding made of ``rows`` (those that apply)."""
    out: list[Cause] = []
    for test in CAUSES:
        found = test(rows, ev)
        if isinstance(found, list):
            out += found
        elif found is not None:
            out.append(found)
    return out
