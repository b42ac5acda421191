"""External verdicts as ledger rows, attached to the claims ledger.

:func:`verdicts` judges every :class:`~analysis.checks.figures.Figure` that a rule of
:mod:`analysis.checks.official` covers; :func:`rows` turns the verdicts into ledger rows
(:class:`analysis.checks.core.Row`: the ledger's columns, with kind, severity and the
diagnosis as a phrase, plus :data:`~analysis.checks.official.EXTERNAL_COLUMNS`: the verdict
as a key, the value, source, vintage, tolerance and note as phrases); :func:`attach` adds
them to a ledger frame: internal rows get empty external columns, and the
``coverage.none`` row of a number that only the official record can test is replaced by
its external row (such a number is no longer untestable). The ``status`` of an external
row uses the ledger's vocabulary: ``reproduced`` (equal to the official value), ``within
rounding`` (agrees within the stated tolerance under one rounding rule), ``contradicted``
(disagrees, or differs by definition: the diagnosis says which definition it fits).

:func:`analysis.checks.ledger.build` attaches them at its end; this module does not import
the ledger (the ledger imports it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from analysis.checks.arith import decimal_num, period_years
from analysis.checks.compare import decimal_candidates, is_bound, percents
from analysis.checks.core import (
    CONTRADICTED,
    LEDGER_COLUMNS,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    STATUSES,
    WITHIN,
    Row,
    phrase_json,
    phrase_of,
)
from analysis.checks.declarations import ATTRIBUTED_FORECASTS
from analysis.checks.figures import Figure, gap, gap_text
from analysis.checks.official import (
    AGREES,
    CHECK_IDS,
    DEFINITION,
    DISAGREES,
    EXTERNAL_COLUMNS,
    RULES,
    UNDATED_YEARS,
    UNDECIDED,
    VERDICTS,
    Context,
    Note,
    Reference,
    Rule,
    Verdict,
)
from analysis.checks.official_notes import series_notes, shift_note, table_steps
from analysis.checks.phrases import Phrase, interval, items, num, only_rules, say, unit
from analysis.checks.readings import Reading, judged
from analysis.checks.series_breaks import break_phrase
from analysis.methods import rounding
from analysis.methods.rounding import Interval

COLUMNS: tuple[str, ...] = (*LEDGER_COLUMNS, *EXTERNAL_COLUMNS)
#: The key of the external note of a number that nothing in the source tests (its former
#: ``coverage.none`` row is replaced by the external row): "untestable inside the source,
#: tested against the official record", then the note.
ONLY_EXTERNAL = "ext.only_external"


def _distance(point: object, ref: Reference) -> float:
    return abs(float(point) / float(ref.value) - 1) if ref.value else math.inf  # type: ignore[arg-type]


def _closest(point: Fraction, refs: Sequence[Reference]) -> Reference:
    return min(refs, key=lambda r: _distance(point, r))


#: The order in which a verdict chooses among references the text's own quantity: a
#: reference whose judged status is earlier wins (status, external verdict).
_TIERS: tuple[tuple[str, str], ...] = ((REPRODUCED, AGREES), (WITHIN, AGREES),
                                       (PLAUSIBLE, AGREES), (NOT_DECISIVE, UNDECIDED))


def _choose(point: Fraction, refs: Sequence[Reference], judged: dict[int, rounding.Verdict]
            ) -> tuple[str, str, Reference]:
    """(status, verdict, reference): an exact official figure first, then the closest one
    that fits within rounding (plausible: a part within its year), then the closest one
    met only through a bound (not decisive), then the closest other definition that fits,
    else the closest official figure (a disagreement)."""
    primary = [r for r in refs if not r.definition]
    for status, verdict in _TIERS:
        fits = [r for r in primary if judged[id(r)].status == status]
        if fits:
            return status, verdict, fits[0] if status == REPRODUCED else _closest(point, fits)
    alternatives = [r for r in refs if r.definition and judged[id(r)].status != CONTRADICTED]
    if alternatives:
        return CONTRADICTED, DEFINITION, _closest(point, alternatives)
    return CONTRADICTED, DISAGREES, _closest(point, primary)


def _judged(fig: Figure, r: Reference, claim: rounding.ByRule, point: Fraction
            ) -> rounding.Verdict:
    """One reference judged: the one ladder; a part of a year within the year's value is
    plausible (a bound holds, nothing is recomputed); a bound on either side leaves a
    fit not decisive; a rate across a documented break of its series is not decisive,
    whatever it gives."""
    if r.crosses is not None:  # the rate measures the series' break as well as the trade
        return rounding.Verdict(NOT_DECISIVE, ())
    bounded = r.bounded or is_bound(fig)
    v = rounding.verdict(r.value == point and not bounded and not r.at_most, claim,
                         r.intervals, bounded=bounded)
    if r.at_most and v.status in (WITHIN, NOT_DECISIVE):
        return rounding.Verdict(PLAUSIBLE, v.rules)
    cut = fig.truncated(fig.base)
    if v.status == CONTRADICTED and not r.at_most and cut is not None and any(
            cut.meets(iv) for iv in r.intervals.values()):
        return rounding.Verdict(NOT_DECISIVE, ())  # the official value, cut off, prints it
    return v


def judge(fig: Figure, refs: Sequence[Reference], check_id: str) -> Verdict | None:
    """The verdict on ``fig`` against ``refs`` (see :mod:`analysis.checks.official`);
    ``None`` when no reference measures the quantity the text names.

    Each reference is judged by :func:`analysis.methods.rounding.verdict`: the printed number's
    interval (:meth:`Figure.interval`) and the reference's, under the same rounding rule,
    must share a value under at least one of the two rules."""
    if not any(not r.definition for r in refs):
        return None
    claim = fig.intervals(fig.base)
    point = fig.point(fig.base)
    judged = {id(r): _judged(fig, r, claim, point) for r in refs}
    status, verdict, chosen = _choose(point, refs, judged)
    rule_note = only_rules(judged[id(chosen)]) if status == WITHIN else None
    return Verdict(fig, check_id, verdict, status, chosen,
                   tuple(r for r in refs if r is not chosen), rule_note=rule_note)


def _years(fig: Figure, rule: Rule) -> list[int | None] | None:
    """The years to try for ``fig`` under ``rule``; ``None``: the rule does not apply."""
    if rule.dated == "any":
        return [fig.year]
    if rule.dated == "strict":
        return [fig.year] if fig.year is not None and not fig.period else None
    if rule.dated == "period" and fig.year is None:
        return [None]
    if fig.year is not None:
        return [fig.year] if not fig.period else None
    if "Q" in fig.period:  # part of a year: only a rule that judges it against the year
        span = period_years(fig.period)
        return [span[1]] if rule.dated == "part" and span is not None else None
    span = period_years(fig.period) or UNDATED_YEARS
    return list(range(span[0], span[1] + 1))


_RANK = {AGREES: 0, UNDECIDED: 1, DEFINITION: 2, DISAGREES: 3}


def _slip_note(fig: Figure, verdict: Verdict) -> Note | None:
    """For a disagreeing percentage: would a dropped decimal separator explain it?"""
    if verdict.verdict == AGREES or fig.base != "percent" or fig.point() <= 100:
        return None
    candidates = decimal_candidates(fig.printed)
    if not candidates:
        return None
    r = verdict.reference
    fitting = [c for c in candidates
               if any(iv.contains(Fraction(c)) for iv in r.intervals.values())]
    if fitting:
        return say("note.ext_decimal_fits", candidates=percents(fitting))
    return say("note.ext_decimal_none", candidates=percents(candidates))


def _years_note(fig: Figure, years: list[int | None], best: Verdict) -> Note | None:
    if len(years) < 2:
        return None
    tried = [y for y in years if y is not None]
    fields: dict[str, object] = {"first": tried[0], "last": tried[-1],
                                 "best": best.reference.year}
    if fig.period:
        return say("note.ext_years_period", **fields, period=fig.period)
    return say("note.ext_years_undated", **fields)


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
                              shift_note(fig, rule, ctx, best, judge),
                              *series_notes(fig, rule, ctx, best)) if n is not None)
    return Verdict(best.figure, best.check_id, best.verdict, best.status, best.reference,
                   best.others, notes, best.rule_note)


def verdicts(figures: Iterable[Figure], ctx: Context | None = None) -> list[Verdict]:
    """Every external verdict for ``figures`` (those no rule covers are skipped)."""
    ctx = ctx or Context.load()
    figures = list(figures)
    ctx.table_steps = table_steps(figures)
    return [v for f in figures if (v := verdict_for(f, ctx)) is not None]


# ---------------------------------------------------------------------------------------
# Ledger rows
# ---------------------------------------------------------------------------------------


_SCALES = ((Fraction(10**12), "trillion"), (Fraction(10**9), "billion"),
           (Fraction(10**6), "million"))


def _scale(fig: Figure, *values: Fraction | None) -> tuple[Fraction, str]:
    """A factor and scale word for showing values of ``fig``'s base unit (USD → billion)."""
    if fig.base == "percent":
        return Fraction(1), ""
    biggest = max((abs(v) for v in values if v is not None), default=Fraction(0))
    for factor, word in _SCALES:
        if biggest >= factor:
            return factor, word
    return Fraction(1), ""


def _round(x: Fraction, significant: int = 4) -> Fraction:
    """``x`` to ``significant`` digits (at least the units), for display only."""
    if x == 0:
        return x
    places = max(0, significant - 1 - math.floor(math.log10(abs(float(x)))))
    return Fraction(round(x * 10**places), 10**places)


def _amount(value: Fraction, fig: Figure, definition: str = "") -> Phrase:
    """An external value as the ledger shows it: 4 significant digits, in the claim's base
    unit with a scale word (``6.3 billion USD``), or a percentage; and the other
    definition it measures, if any."""
    k, word = _scale(fig, fig.point(fig.base), value)
    shown = num(_round(value / k))
    what = say("frag.definition", definition=say("def." + definition)) if definition else None
    if fig.base == "percent":
        return say("ext.value_percent", value=shown, definition=what)
    return say("ext.value", value=shown, unit=unit(fig.base, word), definition=what)


def _display(iv: Interval, k: Fraction) -> dict[str, object]:
    """``iv`` divided by ``k``, its ends to 5 significant digits (display only; the ends
    stay open or closed as computed)."""
    def end(b: Fraction | None) -> Fraction | None:
        return None if b is None else _round(b / k, 5)

    return interval(Interval(end(iv.lo), end(iv.hi), iv.lo_closed, iv.hi_closed))


def _intervals(v: Verdict) -> dict[str, object]:
    """The printed and the external interval (half-up, as the ledger shows) and the unit."""
    fig, r = v.figure, v.reference
    k, word = _scale(fig, fig.point(fig.base), r.value)
    shown_unit = unit("percent") if fig.base == "percent" else unit(fig.base, word)
    return {"ia": _display(fig.interval("half_up", fig.base), k),
            "ib": _display(r.interval, k), "unit": shown_unit}


def note(v: Verdict) -> Phrase:
    """The external note: the reference, the definition it measures, the others tried
    (with their values) and the verdict's notes."""
    others = [say("frag.ext_other", ref=o.label, value=_amount(o.value, v.figure,
                                                               o.definition))
              for o in v.others]
    notes = [say("note.ext_fits_definition", definition=say("def." + v.reference.definition))
             if v.verdict == DEFINITION else None,
             say("note.ext_also", others=items(others)) if others else None, *v.notes]
    return {**say("ext.note", ref=v.reference.label),
            "notes": [n for n in notes if n is not None]}


_TEMPLATES = {AGREES: "diag.external.agrees", DEFINITION: "diag.external.definition",
              DISAGREES: "diag.external.disagrees", UNDECIDED: "diag.external.not_decisive"}


def _ratio(fig: Figure, r: Reference) -> dict[str, str] | None:
    """The printed value over the external one, to 3 decimals (none when it is 0)."""
    if not r.value:
        return None
    return decimal_num(Decimal(f"{float(fig.point(fig.base)) / float(r.value):.3f}"))


def ledger_row(v: Verdict) -> Row:
    """The verdict as a ledger :class:`~analysis.checks.core.Row` (kind ``external``, its
    severity, a diagnosis as a phrase)."""
    fig, r = v.figure, v.reference
    fields = {"a": fig.ref_fields(), "ref": r.label, "source": r.source,
              "vintage": r.vintage, "ratio": _ratio(fig, r), **_intervals(v)}
    if r.crosses is not None:
        fields["brk"] = break_phrase(r.crosses)
    truncated = v.status == NOT_DECISIVE and not r.bounded and not is_bound(fig)
    key = "diag.external.reproduced" if v.status == REPRODUCED else \
        "diag.external.part_of_year" if v.status == PLAUSIBLE else \
        "diag.external.across_break" if r.crosses is not None else \
        "diag.external.truncated" if truncated else _TEMPLATES[v.verdict]
    gap_value = "" if v.status != CONTRADICTED else gap_text(
        gap(fig.interval("half_up", fig.base), r.interval))
    row = Row(f"{fig.ref}.external", v.check_id, fig.exhibit, fig.lines, fig.printed,
              v.status, say(key, **fields), r.label, _amount(r.value, fig, r.definition),
              say("tol.external", printed=fig.tolerance(), external=r.tolerance), gap_value)
    row = row.with_note(v.rule_note)
    if v.verdict == DEFINITION:
        row = row.with_note(say(f"note.def.{r.definition}"))
    for extra in v.notes:
        row = row.with_note(extra)
    return row


def forecast(row_: Row, v: Verdict) -> Row:
    """A number the text attributes to forecasters or analysts
    (:data:`analysis.checks.declarations.ATTRIBUTED_FORECASTS`) set against an outturn:
    the row says so, and a disagreement is not decisive (a forecast may miss)."""
    words = ATTRIBUTED_FORECASTS.get(v.figure.ref)
    if words is None:
        return row_
    row_ = row_.with_note(say("note.ext_forecast", words=f"«{words[0]}»", line=words[1],
                              vintage=v.reference.vintage))
    if row_.status == CONTRADICTED:
        return replace(row_, status=NOT_DECISIVE, gap="")
    return row_


def row(v: Verdict, readings: dict[str, Reading] | None = None) -> dict[str, str]:
    """One ledger row (ledger columns and external columns) for a verdict; a verdict on
    one reading of a number says so, and a disagreement under a less likely reading is
    not decisive (:func:`analysis.checks.readings.judged`)."""
    r = v.reference
    judged_row = judged(forecast(ledger_row(v), v), (v.figure,), readings or {})
    verdict = UNDECIDED if judged_row.status == NOT_DECISIVE and v.verdict in (
        DISAGREES, DEFINITION) else v.verdict
    out = judged_row.as_dict()
    return {**out, "external_verdict": verdict, "external_value": out["recomputed"],
            "external_source": phrase_json(r.source), "external_vintage": phrase_json(r.vintage),
            "external_tolerance": phrase_json(r.tolerance),
            "external_note": phrase_json(note(v))}


def rows(found: Iterable[Verdict], readings: dict[str, Reading] | None = None
         ) -> pd.DataFrame:
    """External verdicts as ledger rows, sorted by claim id."""
    frame = pd.DataFrame([row(v, readings) for v in found], columns=list(COLUMNS))
    return frame.sort_values(["claim_id", "check_id"], kind="mergesort").reset_index(drop=True)


def _only_external(note_json: str) -> str:
    return phrase_json(say(ONLY_EXTERNAL, note=phrase_of(note_json)))


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
    added.loc[mark, "external_note"] = added.loc[mark, "external_note"].map(_only_external)
    merged = pd.concat([out[~only_external], added], ignore_index=True)
    return merged.sort_values(["claim_id", "check_id"], kind="mergesort").reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Counting both ways
# ---------------------------------------------------------------------------------------


def is_external(frame: pd.DataFrame) -> pd.Series:
    return frame["check_id"].isin(list(CHECK_IDS))


def is_only_external(note_cell: object) -> bool:
    """Is this the external note of a number only the official record tests?"""
    phrase = phrase_of(note_cell)
    return phrase is not None and phrase.get("key") == ONLY_EXTERNAL


def counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Rows per internal status and per external verdict; ``only_external``: numbers that
    nothing in the source tests and the official record does."""
    external = frame[is_external(frame)]
    internal = frame[~is_external(frame)]
    # a ledger with no external row may come without the external columns (a test's, or
    # one built from raw data alone)
    only = (external["external_note"].map(is_only_external) if "external_note" in external
            else pd.Series([], dtype=bool))
    verdicts = (external["external_verdict"] if "external_verdict" in external
                else pd.Series([], dtype=str))
    return {"internal": {s: int((internal["status"] == s).sum()) for s in STATUSES},
            "external": {v: int((verdicts == v).sum()) for v in VERDICTS},
            "only_external": {"numbers": int(only.sum())}}
