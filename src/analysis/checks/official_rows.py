"""External verdicts as ledger rows, attached to the claims ledger.

:func:`verdicts` judges every :class:`~analysis.checks.figures.Figure` that a rule of
:mod:`analysis.checks.official` covers; :func:`rows` turns the verdicts into ledger rows
(:class:`analysis.checks.core.Row`: the ledger's columns, with kind, severity and a
template for the Kazakh and English diagnosis, plus
:data:`~analysis.checks.official.EXTERNAL_COLUMNS`); :func:`attach` adds them to a ledger
frame: internal rows get empty external columns, and the ``coverage.none`` row of a number
that only the official record can test is replaced by its external row (such a number is
no longer untestable). The ``status`` of an external row uses the ledger's vocabulary:
``reproduced`` (equal to the official value), ``within rounding`` (agrees within the
stated tolerance under one rounding rule), ``contradicted`` (disagrees, or differs by
definition: the diagnosis says which definition it fits).

:func:`analysis.checks.ledger.build` attaches them at its end; this module does not import
the ledger (the ledger imports it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

import pandas as pd

from analysis.checks.arith import period_years
from analysis.checks.compare import decimal_candidates
from analysis.checks.core import (
    CONTRADICTED,
    LEDGER_COLUMNS,
    REPRODUCED,
    STATUSES,
    WITHIN,
    Row,
)
from analysis.checks.figures import Figure, gap, gap_text
from analysis.checks.official import (
    AGREES,
    CHECK_IDS,
    DEFINITION,
    DEFINITIONS,
    DISAGREES,
    EXTERNAL_COLUMNS,
    RULES,
    UNDATED_YEARS,
    VERDICTS,
    Context,
    Note,
    Reference,
    Rule,
    Verdict,
)
from analysis.methods import rounding
from analysis.methods.rounding import Interval, fmt

COLUMNS: tuple[str, ...] = (*LEDGER_COLUMNS, *EXTERNAL_COLUMNS)
#: Starts the external note of a number that nothing in the source tests (its former
#: ``coverage.none`` row is replaced by the external row).
ONLY_EXTERNAL = "untestable inside the source, tested against the official record"


def _distance(point: object, ref: Reference) -> float:
    return abs(float(point) / float(ref.value) - 1) if ref.value else math.inf  # type: ignore[arg-type]


def judge(fig: Figure, refs: Sequence[Reference], check_id: str) -> Verdict | None:
    """The verdict on ``fig`` against ``refs`` (see :mod:`analysis.checks.official`);
    ``None`` when no reference measures the quantity the text names.

    Each reference is judged by :func:`analysis.methods.rounding.verdict`: the printed number's
    interval (:meth:`Figure.interval`) and the reference's, under the same rounding rule,
    must share a value under at least one of the two rules."""
    primary = [r for r in refs if not r.definition]
    if not primary:
        return None
    claim = fig.intervals(fig.base)
    point = fig.point(fig.base)
    judged = {id(r): rounding.verdict(r.value == point, claim, r.intervals) for r in refs}
    exact = [r for r in primary if judged[id(r)].status == REPRODUCED]
    fits = [r for r in primary if judged[id(r)].status == WITHIN]
    alternatives = [r for r in refs if r.definition and judged[id(r)].status != CONTRADICTED]
    if exact:
        status, verdict, chosen = REPRODUCED, AGREES, exact[0]
    elif fits:
        status, verdict, chosen = WITHIN, AGREES, min(fits, key=lambda r: _distance(point, r))
    elif alternatives:
        status, verdict = CONTRADICTED, DEFINITION
        chosen = min(alternatives, key=lambda r: _distance(point, r))
    else:
        status, verdict = CONTRADICTED, DISAGREES
        chosen = min(primary, key=lambda r: _distance(point, r))
    rule_text = judged[id(chosen)].rule_text if status == WITHIN else ""
    return Verdict(fig, check_id, verdict, status, chosen,
                   tuple(r for r in refs if r is not chosen), rule_text=rule_text)


def _years(fig: Figure, rule: Rule) -> list[int | None] | None:
    """The years to try for ``fig`` under ``rule``; ``None``: the rule does not apply."""
    if rule.dated == "any":
        return [fig.year]
    if rule.dated == "period" and fig.year is None:
        return [None]
    if fig.year is not None:
        return [fig.year] if not fig.period else None
    if "Q" in fig.period:
        return None  # part of a year: the series are annual
    span = period_years(fig.period) or UNDATED_YEARS
    return list(range(span[0], span[1] + 1))


_RANK = {AGREES: 0, DEFINITION: 1, DISAGREES: 2}


def _shift_note(fig: Figure, rule: Rule, ctx: Context, verdict: Verdict) -> Note | None:
    """For a disagreeing dated figure: does it fit the official figure of a neighbouring
    year (a one-year shift of the table)?"""
    if verdict.verdict == AGREES or fig.year is None or rule.check_id != "external.reported":
        return None
    for year in (fig.year - 1, fig.year + 1):
        other = judge(fig, ctx.references(rule, fig, year), rule.check_id)
        if other is not None and other.verdict == AGREES:
            label = other.reference.label
            return (f"it fits the official figure for {year} instead ({label}): the year "
                    "may be shifted", "external.shift", {"year": year, "ref": label})
    return None


def _slip_note(fig: Figure, verdict: Verdict) -> Note | None:
    """For a disagreeing percentage: would a dropped decimal separator explain it?"""
    if verdict.verdict == AGREES or fig.base != "percent" or fig.point() <= 100:
        return None
    r = verdict.reference
    candidates = decimal_candidates(fig.printed)
    if not candidates:
        return None

    def value(text: str) -> Fraction:
        return Fraction(text.rstrip("%").replace(",", "."))

    fitting = [c for c in candidates
               if any(iv.contains(value(c)) for iv in r.intervals.values())]
    if fitting:
        listed = ", ".join(fitting)
        return (f"read with a decimal separator restored ({listed}) it would fit",
                "external.decimal_fits", {"candidates": listed})
    listed = ", ".join(candidates)
    return (f"no reading with a decimal separator restored ({listed}) fits the external "
            "interval either", "external.decimal_none", {"candidates": listed})


def _years_note(fig: Figure, years: list[int | None], best: Verdict) -> Note | None:
    if len(years) < 2:
        return None
    tried = [y for y in years if y is not None]
    fields: dict[str, object] = {"first": tried[0], "last": tried[-1],
                                 "best": best.reference.year}
    what = f"the period {fig.period}" if fig.period else "no year printed"
    text = (f"{what}: compared with each year {tried[0]}–{tried[-1]}; the best fit is "
            f"{best.reference.year}")
    if fig.period:
        return text, "external.years_period", {**fields, "period": fig.period}
    return text, "external.years_undated", fields


def verdict_for(fig: Figure, ctx: Context) -> Verdict | None:
    rule = RULES.get(fig.key)
    years = None if rule is None else _years(fig, rule)
    if rule is None or years is None:
        return None
    found = [v for y in years
             if (v := judge(fig, ctx.references(rule, fig, y), rule.check_id))]
    if not found:
        return None
    point = fig.point(fig.base)
    best = min(found, key=lambda v: (_RANK[v.verdict], _distance(point, v.reference)))
    notes = tuple(n for n in (_years_note(fig, years, best), _slip_note(fig, best),
                              _shift_note(fig, rule, ctx, best)) if n is not None)
    return Verdict(best.figure, best.check_id, best.verdict, best.status, best.reference,
                   best.others, notes, best.rule_text)


def verdicts(figures: Iterable[Figure], ctx: Context | None = None) -> list[Verdict]:
    """Every external verdict for ``figures`` (those no rule covers are skipped)."""
    ctx = ctx or Context.load()
    return [v for f in figures if (v := verdict_for(f, ctx)) is not None]


# ---------------------------------------------------------------------------------------
# Ledger rows
# ---------------------------------------------------------------------------------------


_SCALES = ((Fraction(10**12), "trillion"), (Fraction(10**9), "billion"),
           (Fraction(10**6), "million"))


def _scale(fig: Figure, *values: Fraction | None) -> tuple[Fraction, str]:
    """A factor and word for showing values of ``fig``'s base unit (USD → billion USD)."""
    if fig.base == "percent":
        return Fraction(1), "%"
    biggest = max((abs(v) for v in values if v is not None), default=Fraction(0))
    for factor, word in _SCALES:
        if biggest >= factor:
            return factor, f" {word} {fig.base}"
    return Fraction(1), f" {fig.base}"


def _round(x: Fraction, significant: int = 4) -> Fraction:
    """``x`` to ``significant`` digits (at least the units), for display only."""
    if x == 0:
        return x
    places = max(0, significant - 1 - math.floor(math.log10(abs(float(x)))))
    return Fraction(round(x * 10**places), 10**places)


def _shown(x: Fraction, fig: Figure) -> str:
    k, unit = _scale(fig, fig.point(fig.base), x)
    return f"{fmt(_round(x / k))}{unit}"


def _display(iv: Interval, k: Fraction) -> str:
    """``iv`` divided by ``k``, its ends to 5 significant digits (display only; the ends
    stay open or closed as computed)."""
    def end(b: Fraction | None) -> Fraction | None:
        return None if b is None else _round(b / k, 5)

    return Interval(end(iv.lo), end(iv.hi), iv.lo_closed, iv.hi_closed).text()


def _intervals(v: Verdict) -> tuple[str, str, str]:
    """The printed and the external interval (half-up, as the ledger shows) and the unit."""
    fig, r = v.figure, v.reference
    k, unit = _scale(fig, fig.point(fig.base), r.value)
    return (_display(fig.interval("half_up", fig.base), k), _display(r.interval, k),
            unit.strip())


def _note(v: Verdict) -> str:
    bits = [v.reference.label]
    if v.verdict == DEFINITION:
        bits.append(f"the printed number fits this definition: {v.reference.definition}, "
                    "not the quantity the text names")
    others = [f"{o.label}{f' [{o.definition}]' if o.definition else ''}: "
              f"{_shown(o.value, v.figure)}" for o in v.others]
    if others:
        bits.append("also: " + "; ".join(others))
    if v.note:
        bits.append(v.note)
    return "; ".join(bits)


def _definition_key(text: str) -> str:
    return next(k for k, d in DEFINITIONS.items() if d == text)


_TEMPLATES = {AGREES: "external.agrees", DEFINITION: "external.definition",
              DISAGREES: "external.disagrees"}


def ledger_row(v: Verdict) -> Row:
    """The verdict as a ledger :class:`~analysis.checks.core.Row` (kind ``external``, its
    severity, a diagnosis in English and as a template for both languages)."""
    fig, r = v.figure, v.reference
    ratio = float(fig.point(fig.base)) / float(r.value) if r.value else math.nan
    value = _shown(r.value, fig) + (f" [{r.definition}]" if r.definition else "")
    ia, ib, unit = _intervals(v)
    shown = f"printed {ia} {unit} vs external {ib} {unit}".replace(" %", "%")
    fields: dict[str, object] = {"a": fig.ref_fields(), "ref": r.label, "source": r.source,
                                 "vintage": r.vintage, "ia": ia, "ib": ib, "unit": unit,
                                 "ratio": f"{ratio:.3f}", "value": value,
                                 "rules": v.rule_text}
    template = ("external.reproduced" if v.status == REPRODUCED else _TEMPLATES[v.verdict])
    diagnosis = (f"{fig.describe()} vs {r.label} ({r.source}, vintage {r.vintage}): "
                 f"{shown}; ratio {ratio:.3f}: {v.verdict}")
    if v.rule_text:
        diagnosis += f" ({v.rule_text})"
    gap_value = "" if v.status != CONTRADICTED else gap_text(
        gap(fig.interval("half_up", fig.base), r.interval))
    row = Row(f"{fig.ref}.external", v.check_id, fig.exhibit, fig.lines, fig.printed,
              r.label, value, f"printed {fig.tolerance_text()}; external {r.tolerance}",
              v.status, diagnosis, template, fields, gap_value)
    if v.verdict == DEFINITION:
        row = row.with_note(f"fits {r.definition}", f"external.def.{_definition_key(r.definition)}")
    for text, note_template, note_fields in v.notes:
        row = row.with_note(text, note_template, **note_fields)
    return row


def row(v: Verdict) -> dict[str, str]:
    """One ledger row (ledger columns and external columns) for a verdict."""
    r = v.reference
    out = ledger_row(v).as_dict()
    return {**out, "external_verdict": v.verdict, "external_value": out["recomputed"],
            "external_source": r.source, "external_vintage": r.vintage,
            "external_tolerance": r.tolerance, "external_note": _note(v)}


def rows(found: Iterable[Verdict]) -> pd.DataFrame:
    """External verdicts as ledger rows, sorted by claim id."""
    frame = pd.DataFrame([row(v) for v in found], columns=list(COLUMNS))
    return frame.sort_values(["claim_id", "check_id"], kind="mergesort").reset_index(drop=True)


def attach(ledger_frame: pd.DataFrame, external_rows: pd.DataFrame) -> pd.DataFrame:
    """The ledger with its external columns and rows (see the module docstring)."""
    out = ledger_frame.copy()
    for column in EXTERNAL_COLUMNS:
        out[column] = ""
    tested = {c.removesuffix(".external") for c in external_rows["claim_id"]}
    only_external = (out["check_id"] == "coverage.none") & out["claim_id"].isin(
        {f"{ref}.none" for ref in tested})
    replaced = {c.removesuffix(".none") for c in out.loc[only_external, "claim_id"]}
    added = external_rows[list(out.columns)].copy()
    mark = added["claim_id"].str.removesuffix(".external").isin(replaced)
    added.loc[mark, "external_note"] = ONLY_EXTERNAL + "; " + added.loc[mark, "external_note"]
    merged = pd.concat([out[~only_external], added], ignore_index=True)
    return merged.sort_values(["claim_id", "check_id"], kind="mergesort").reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Counting both ways
# ---------------------------------------------------------------------------------------


def is_external(frame: pd.DataFrame) -> pd.Series:
    return frame["check_id"].isin(list(CHECK_IDS))


def counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Rows per internal status and per external verdict; ``only_external``: numbers that
    nothing in the source tests and the official record does."""
    external = frame[is_external(frame)]
    internal = frame[~is_external(frame)]
    only = external["external_note"].str.startswith(ONLY_EXTERNAL)
    return {"internal": {s: int((internal["status"] == s).sum()) for s in STATUSES},
            "external": {v: int((external["external_verdict"] == v).sum()) for v in VERDICTS},
            "only_external": {"numbers": int(only.sum())}}


def summary_line(frame: pd.DataFrame) -> str:
    """``internal: …; external: …`` for ``kaztur check``'s summary."""
    c = counts(frame)
    internal = ", ".join(f"{n} {s}" for s, n in c["internal"].items())
    # "19 agree, 3 differ by definition": the verdicts are verbs, said of several numbers
    plural = {AGREES: "agree", DEFINITION: "differ by definition", DISAGREES: "disagree"}
    external = ", ".join(f"{n} {plural.get(v, v) if n != 1 else v}"
                         for v, n in c["external"].items())
    return (f"internal verdicts: {internal}; external verdicts: {external} "
            f"({c['only_external']['numbers']} numbers tested only against the official "
            "record)")
