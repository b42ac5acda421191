"""The claims ledger: every number the dissertation prints, recomputed and judged.

:func:`build` loads the transcribed data (``analysis.data.datasets``), turns every printed number
of the tables (Кесте 1–8) and of the running text (``text_claims``) into a
:class:`~analysis.checks.figures.Figure`, runs every row producer of :data:`PRODUCERS` and
returns one row per claim and check (columns: :mod:`analysis.checks.core`). A number that
nothing in the source can test still gets a row (status ``untestable``) saying what is
missing, so that the ledger covers every printed number.

Adding a source of rows: write a producer ``f(ctx: Context, out: Builder) -> None`` that
adds rows with ``out.add(row, *figures_judged)`` and append it to :data:`PRODUCERS`; the
untestable pass runs after every producer.

External verdicts (:mod:`analysis.checks.official`, the printed numbers against the
official record in ``data/external/``) are attached at the end of :func:`build` by
:func:`analysis.checks.official_rows.attach`: one ``external.*`` row per number a rule
covers, with the columns :data:`~analysis.checks.official.EXTERNAL_COLUMNS` added to every
row; a number only the official record tests loses its ``coverage.none`` row.

Which numbers measure the same quantity and how quantities relate is declared in
:mod:`analysis.checks.declarations`; comparisons are found through indexes
(:mod:`analysis.checks.context`), so the work grows linearly with the claims.

``kaztur check`` prints :func:`summary_text` (counts by kind and status, the most serious
contradictions) and writes ``ledger.csv`` and ``ledger.html``. Contradictions are findings
of the source, not failures: the exit status is 0 unless ``--strict`` is given.
"""

from __future__ import annotations

from itertools import chain, islice

import pandas as pd

from analysis.checks import official_rows, relation_rows, survey_rows, tables, text
from analysis.checks.compare import NO_OTHER, untestable
from analysis.checks.context import Builder, Context, Producer
from analysis.checks.core import (
    CONTRADICTED,
    KINDS,
    REPRODUCED,
    STATUSES,
    UNTESTABLE,
    WITHIN,
    to_frame,
)
from analysis.checks.declarations import CELL_RESOURCES, DURATION_START, NOT_THE_SAME
from analysis.checks.events import event_rows
from analysis.checks.figures import Figure
from analysis.checks.official import Context as ExternalContext
from analysis.data import datasets
from analysis.data.parse import NumberFormatError, parse_number

__all__ = ["CELL_RESOURCES", "COLUMNS", "PRODUCERS", "assemble", "build", "context", "counts",
           "figures", "summary_order", "summary_text", "to_frame"]


def survey(ctx: Context, b: Builder) -> None:
    """The survey checks (Қосымша Ә, Қосымша Б)."""
    if ctx.results is None:
        return
    b.extend(survey_rows.survey_sum_rows(ctx.results))
    b.extend(survey_rows.survey_granularity_rows(ctx.results))
    b.extend(survey_rows.survey_repeat_rows(ctx.results))
    if ctx.questionnaire is not None:
        b.extend(survey_rows.survey_option_rows(ctx.questionnaire, ctx.results))


def events(ctx: Context, b: Builder) -> None:
    """The tellings of each event: dates, places, ordinals."""
    if ctx.events is not None:
        b.extend(event_rows(ctx.events))


#: The columns of the ledger :func:`build` returns and ``kaztur check`` writes: the row
#: columns of :mod:`analysis.checks.core` and the external ones.
COLUMNS: tuple[str, ...] = official_rows.COLUMNS

#: Every row producer, in order; add a new source of rows here (module docstring).
PRODUCERS: list[Producer] = [*tables.PRODUCERS, *text.PRODUCERS, *relation_rows.PRODUCERS,
                             survey, events]


# ---------------------------------------------------------------------------------------
# Untestable: what is missing
# ---------------------------------------------------------------------------------------


def _leading_digit_missing(printed: str) -> bool:
    try:
        return parse_number(printed).leading_digit_missing
    except NumberFormatError:
        return False


def _when(f: Figure) -> str:
    """The year and period a figure is printed for, in words ("2023 (2023 Q1)", "undated")."""
    if f.year is not None:
        return f"{f.year} ({f.period})" if f.period else str(f.year)
    return f.period or "undated"


def _same_range(a: Figure, b: Figure) -> bool:
    """The two ends of one printed range (same line, both range qualifiers)."""
    return a.line == b.line and "range" in a.qualifier and "range" in b.qualifier


def untestable_reason(ctx: Context, f: Figure) -> tuple[str, str, dict[str, object]]:
    """Why nothing tests ``f``: (reason, template, fields), naming what is missing."""
    if f.key in NOT_THE_SAME:
        return NOT_THE_SAME[f.key], "none.not_the_same", {}
    if f.key in DURATION_START and f.year is None:
        event = DURATION_START[f.key]
        return (f"a duration counted from {event}, but the source prints no year it is "
                "counted to; nothing fixes its end", "none.no_reference_year",
                {"event": event})
    if _leading_digit_missing(f.printed):
        return (f"printed {f.printed!r} without a leading digit (a digit has dropped out of "
                "the source); read literally as a fraction, nothing to test it against",
                "none.leading_digit", {})
    others = list(islice((o for o in chain(ctx.text_index.by_key.get(f.key, []),
                                           ctx.table_index.by_key.get(f.key, []))
                          if o.ref != f.ref and not _same_range(o, f)), 6))
    if others:
        listed = ", ".join(f"{_when(o)}: {o.printed} (line {o.line})" for o in others)
        when = "undated" if _when(f) == "undated" else f"for {_when(f)}"
        return (f"no other figure for this quantity {when}; the source states it only "
                f"for other years or periods ({listed}), and no check relates them",
                "none.other_years", {"when": _when(f), "others": listed})
    if "range" in f.qualifier:
        return ("one end of a printed range; nothing else in the source states this "
                "quantity", "none.range", {})
    if f.source == "text" and f.period and f.year is None:
        return (f"no other figure for this quantity and period ({f.period}) in the source",
                "none.period_only", {"period": f.period})
    return NO_OTHER, "none.no_other", {}


def untestable_rows(ctx: Context, b: Builder) -> None:
    """A ``coverage.none`` row for every figure no check has judged."""
    for f in [*ctx.tables, *ctx.texts]:
        if f.ref in b.tested:
            continue
        reason, template, fields = untestable_reason(ctx, f)
        b.add(untestable(f, f"{f.ref}.none", reason, template, **fields), f)


# ---------------------------------------------------------------------------------------
# Assembling the ledger
# ---------------------------------------------------------------------------------------


def _figures(cells: dict[str, pd.DataFrame], claims: pd.DataFrame
             ) -> tuple[list[Figure], list[Figure]]:
    return ([f for name in CELL_RESOURCES for f in tables.table_figures(cells[name])],
            text.text_figures(claims))


def figures() -> list[Figure]:
    """Every printed number the ledger judges (the tables', then the text's), as
    :func:`build` makes them; loads only the cell tables and ``text_claims``."""
    table_figs, text_figs = _figures({name: datasets.load(name) for name in CELL_RESOURCES},
                                     datasets.load("text_claims"))
    return [*table_figs, *text_figs]


def context() -> Context:
    """The shipped data as a :class:`Context`. Raises
    :class:`analysis.errors.DataError` for bad input data (from ``datasets.load``)."""
    cells = {name: datasets.load(name) for name in CELL_RESOURCES}
    claims = datasets.load("text_claims")
    table_figs, text_figs = _figures(cells, claims)
    return Context(
        tables=table_figs, texts=text_figs, claims=claims, cells=cells,
        results=datasets.load("survey_results"),
        questionnaire=datasets.load("survey_questionnaire"),
        events=pd.concat([datasets.load("ots_events"), datasets.load("text_dates")],
                         ignore_index=True),
        enumerations=datasets.load("text_enumerations"),
    )


def assemble(ctx: Context, producers: list[Producer] | None = None) -> pd.DataFrame:
    """Run every producer on ``ctx`` (tests pass crafted contexts), then the untestable
    pass; rows sorted by claim id and check id."""
    b = Builder()
    for producer in PRODUCERS if producers is None else producers:
        producer(ctx, b)
    untestable_rows(ctx, b)
    return to_frame(b.rows)


def build(external: ExternalContext | None = None) -> pd.DataFrame:
    """The whole ledger from the shipped data, sorted by claim id and check id, with the
    external verdicts attached (judged against ``external``, default the shipped snapshots
    of ``data/external/``: ``ExternalContext.load()``)."""
    ctx = context()
    found = official_rows.verdicts([*ctx.tables, *ctx.texts], external)
    return official_rows.attach(assemble(ctx), official_rows.rows(found))


# ---------------------------------------------------------------------------------------
# Output: counts, order, summary
# ---------------------------------------------------------------------------------------


def counts(ledger: pd.DataFrame) -> dict[str, int]:
    """Rows per status, in the order of :data:`analysis.checks.core.STATUSES`."""
    return {s: int((ledger["status"] == s).sum()) for s in STATUSES}


def summary_order(ledger: pd.DataFrame) -> pd.DataFrame:
    """Contradictions first, most serious first (severity, then kind in the order of
    :data:`~analysis.checks.core.KINDS`, then the relative gap); then within rounding,
    reproduced, untestable, each by claim id."""
    rank = {CONTRADICTED: 0, WITHIN: 1, REPRODUCED: 2, UNTESTABLE: 3}
    kind_rank = {k: i for i, k in enumerate(KINDS)}
    gap = pd.to_numeric(ledger["gap"], errors="coerce").fillna(0) if "gap" in ledger \
        else pd.Series(0, index=ledger.index)
    out = ledger.assign(
        _r=ledger["status"].map(rank),
        _s=-pd.to_numeric(ledger["severity"], errors="coerce").fillna(0)
        if "severity" in ledger else 0,
        _k=ledger["kind"].map(kind_rank).fillna(len(KINDS)) if "kind" in ledger else 0,
        _g=-gap.where(ledger["status"] == CONTRADICTED, 0))
    out = out.sort_values(["_r", "_s", "_k", "_g", "claim_id", "check_id"], kind="mergesort")
    return out.drop(columns=["_r", "_s", "_k", "_g"]).reset_index(drop=True)


def kind_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """Rows per kind (in :data:`KINDS` order) and status."""
    tab = pd.crosstab(ledger["kind"], ledger["status"]).reindex(
        index=[k for k in KINDS if k in set(ledger["kind"])], columns=list(STATUSES),
        fill_value=0)
    tab.columns.name = None
    tab.index.name = "kind"
    return tab.reset_index()


#: Contradictions the short summary shows (``verbose=True``: all).
SUMMARY_TOP = 12


def contradiction_counts(ledger: pd.DataFrame) -> tuple[int, int]:
    """Contradicted rows inside the source, and against the official record (external)."""
    contra = ledger[ledger["status"] == CONTRADICTED]
    official = int(official_rows.is_external(contra).sum())
    return len(contra) - official, official


def summary_text(ledger: pd.DataFrame, verbose: bool = False) -> str:
    """A short grouped summary: counts by status (and, when the external verdicts are
    attached, split into internal and external), by kind, then the most serious
    contradictions; ``verbose=True``: every contradiction, grouped by kind."""
    c = counts(ledger)
    lines = [f"kaztur check: {len(ledger)} ledger rows – "
             + ", ".join(f"{n} {s}" for s, n in c.items())]
    if "external_verdict" in ledger:
        lines.append(f"  {official_rows.summary_line(ledger)}")
    tab = kind_table(ledger)
    width = max([len(k) for k in tab["kind"]] + [4])
    lines.append(f"  {'kind':<{width}}  " + "  ".join(f"{s:>12}" for s in STATUSES))
    for _, r in tab.iterrows():
        lines.append(f"  {r['kind']:<{width}}  "
                     + "  ".join(f"{int(r[s]):>12}" for s in STATUSES))
    contra = summary_order(ledger)
    contra = contra[contra["status"] == CONTRADICTED]
    if contra.empty:
        return "\n".join(lines)
    shown = contra if verbose else contra.head(SUMMARY_TOP)
    source, official = contradiction_counts(contra)
    head = (f"{source} contradiction(s) in the source"
            + (f" and {official} with the official record" if official else "")
            + ", most serious first"
            + ("" if verbose or len(contra) <= SUMMARY_TOP
               else f" (the first {SUMMARY_TOP}; --verbose for all)") + ":")
    lines.append(head)
    kind = None
    for _, r in shown.iterrows():
        if r["kind"] != kind:
            kind = r["kind"]
            lines.append(f" [{kind}]")
        lines.append(f"  ✗ {r['claim_id']} [{r['check_id']}] lines {r['source_lines']}: "
                     f"{r['diagnosis']}")
    return "\n".join(lines)
