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

The ledger is language-neutral: its texts are phrases (:mod:`analysis.checks.phrases`);
:mod:`analysis.present.ledger_text` writes them in Kazakh or English, and ``kaztur check``
prints its summary (counts by kind and status, the most serious contradictions) and writes
``ledger.json`` (this frame) and each language's ``ledger.csv``. Contradictions are
findings of the source, not failures: the exit status is 0 unless ``--strict`` is given.
"""

from __future__ import annotations

import json
import os
from itertools import chain, islice
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.checks import official_rows, relation_rows, survey_rows, tables, text, trends
from analysis.checks.compare import untestable
from analysis.checks.context import Builder, Context, Producer
from analysis.checks.core import (
    CHECK_IDS,
    CONTRADICTED,
    KINDS,
    STATUSES,
    SUMMARY_ORDER,
    TEXT_COLUMNS,
    Row,
    kind_of,
    phrase_json,
    phrase_of,
    to_frame,
)
from analysis.checks.declarations import CELL_RESOURCES, DURATION_START, NOT_THE_SAME
from analysis.checks.events import event_rows, status_rows
from analysis.checks.figures import Figure
from analysis.checks.official import Context as ExternalContext
from analysis.checks.phrases import Phrase, items, printed, say
from analysis.checks.readings import reading_figures, reading_index
from analysis.data import datasets
from analysis.data.parse import NumberFormatError, parse_number

__all__ = ["CELL_RESOURCES", "COLUMNS", "PRODUCERS", "assemble", "build", "context", "counts",
           "figures", "summary_order", "kind_table", "contradiction_counts", "to_frame",
           "to_json_text", "from_json_text"]


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

def statuses(ctx: Context, b: Builder) -> None:
    """A country's status told twice for one time must agree (``text_statuses``)."""
    if ctx.statuses is not None:
        b.extend(status_rows(ctx.statuses))


#: Every row producer, in order; add a new source of rows here (module docstring).
PRODUCERS: list[Producer] = [*tables.PRODUCERS, *text.PRODUCERS, *relation_rows.PRODUCERS,
                             survey, events, statuses, trends.table_trends]


# ---------------------------------------------------------------------------------------
# Untestable: what is missing
# ---------------------------------------------------------------------------------------


def _leading_digit_missing(text: str) -> bool:
    try:
        return parse_number(text).leading_digit_missing
    except NumberFormatError:
        return False


def _when(f: Figure) -> int | str | Phrase:
    """The year and period a figure is printed for: ``2023``, ``2023 (2023 Q1)``, the
    period alone, or "undated"."""
    if f.year is not None:
        return say("frag.year_period", year=f.year, period=f.period) if f.period else f.year
    return f.period or say("frag.undated")


def _same_range(a: Figure, b: Figure) -> bool:
    """The two ends of one printed range (same line, both range qualifiers)."""
    return a.line == b.line and "range" in a.qualifier and "range" in b.qualifier


def _other_years(ctx: Context, f: Figure) -> list[Figure]:
    """Up to six other statements of the quantity (other years or periods)."""
    return list(islice((o for o in chain(ctx.text_index.by_key.get(f.key, []),
                                         ctx.table_index.by_key.get(f.key, []))
                        if o.ref != f.ref and not _same_range(o, f)), 6))


def untestable_reason(ctx: Context, f: Figure) -> Phrase:
    """Why nothing tests ``f``, naming what is missing (a ``diag.none.*`` phrase)."""
    if f.key in NOT_THE_SAME:
        return say(f"diag.none.not_the_same.{f.key}")
    if f.key in DURATION_START and f.year is None:
        return say("diag.none.no_reference_year", event=DURATION_START[f.key])
    if _leading_digit_missing(f.printed):
        return say("diag.none.leading_digit", a=f.ref_fields())
    others = _other_years(ctx, f)
    if others:
        listed = items([say("frag.when_value", when=_when(o), value=printed(o.printed),
                            line=o.line) for o in others], ", ")
        key = "diag.none.other_years_undated" if f.year is None and not f.period \
            else "diag.none.other_years"
        return say(key, when=_when(f), others=listed)
    if "range" in f.qualifier:
        return say("diag.none.range")
    if f.source == "text" and f.period and f.year is None:
        return say("diag.none.period_only", period=f.period)
    return say("diag.none.no_other")


def untestable_rows(ctx: Context, b: Builder) -> None:
    """A ``coverage.none`` row for every figure no check has judged."""
    for f in [*ctx.tables, *ctx.texts]:
        if f.ref in b.tested:
            continue
        b.add(untestable(f, f"{f.ref}.none", untestable_reason(ctx, f)), f)


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
    readings = datasets.load("text_readings")
    table_figs, text_figs = _figures(cells, claims)
    return Context(
        tables=table_figs, texts=[*text_figs, *reading_figures(readings, claims)],
        claims=claims, cells=cells,
        results=datasets.load("survey_results"),
        questionnaire=datasets.load("survey_questionnaire"),
        events=pd.concat([datasets.load("ots_events"), datasets.load("text_dates")],
                         ignore_index=True),
        enumerations=datasets.load("text_enumerations"),
        readings=readings, trends=datasets.load("text_trends"),
        statuses=datasets.load("text_statuses"),
    )


def assemble(ctx: Context, producers: list[Producer] | None = None,
             extra: list[Row] | None = None) -> pd.DataFrame:
    """Run every producer on ``ctx`` (tests pass crafted contexts), add ``extra`` rows
    (made from the official record: the trend claims against the official series), then
    the untestable pass; rows sorted by claim id and check id."""
    b = Builder(readings=reading_index(ctx.readings, ctx.claims))
    for producer in PRODUCERS if producers is None else producers:
        producer(ctx, b)
    b.extend(extra or [])
    untestable_rows(ctx, b)
    return to_frame(b.rows)


def build(external: ExternalContext | None = None) -> pd.DataFrame:
    """The whole ledger from the shipped data, sorted by claim id and check id, with the
    external verdicts attached (judged against ``external``, default the shipped snapshots
    of ``data/external/``: ``ExternalContext.load()``)."""
    ctx = context()
    external = external or ExternalContext.load()
    found = official_rows.verdicts([*ctx.tables, *ctx.texts], external)
    extra = trends.official_trends(ctx, external.trade)
    return official_rows.attach(assemble(ctx, extra=extra),
                                official_rows.rows(found, reading_index(ctx.readings,
                                                                        ctx.claims)))


def current(external: ExternalContext | None = None) -> pd.DataFrame:
    """The ledger as the notebooks show it, built once per run. Inside ``kaztur run`` the
    run's ledger task built it before any notebook that calls this started, and this loads
    that file (``ledger.json``, named by ``$KAZTUR_RUN_LEDGER``:
    :data:`analysis.config.RUN_LEDGER_ENV`); anywhere else (JupyterLab, plain papermill, a
    script) it is :func:`build` now. The same frame either way (tested). With ``external``
    other than the default context (a notebook's parameters chose another vintage or
    tolerance) the run's ledger is not the one asked for, and this builds that one."""
    if external is not None and not external.is_default():
        return build(external)
    path = os.environ.get(config.RUN_LEDGER_ENV, "")
    if path:
        return from_json_text(Path(path).read_text(encoding="utf-8"))
    return build(external)


# ---------------------------------------------------------------------------------------
# Output: counts, order, summary
# ---------------------------------------------------------------------------------------


def counts(ledger: pd.DataFrame) -> dict[str, int]:
    """Rows per status, in the order of :data:`analysis.checks.core.STATUSES`."""
    return {s: int((ledger["status"] == s).sum()) for s in STATUSES}


def summary_order(ledger: pd.DataFrame) -> pd.DataFrame:
    """Contradictions first, most serious first (severity, then kind in the order of
    :data:`~analysis.checks.core.KINDS`, then the relative gap); then within rounding,
    reproduced, untestable (:data:`~analysis.checks.core.SUMMARY_ORDER`), each by claim id.
    The kind is the check's (from ``check_id``), so a ledger whose ``kind`` column is
    written in a language sorts the same."""
    rank = {s: i for i, s in enumerate(SUMMARY_ORDER)}
    kind_rank = {k: i for i, k in enumerate(KINDS)}
    gap = pd.to_numeric(ledger["gap"], errors="coerce").fillna(0) if "gap" in ledger \
        else pd.Series(0, index=ledger.index)
    severity = pd.to_numeric(ledger["severity"], errors="coerce").fillna(0) \
        if "severity" in ledger else pd.Series(0, index=ledger.index)
    kind = ledger["check_id"].map(lambda c: kind_rank.get(CHECK_IDS.get(c, ""), len(KINDS)))
    out = ledger.assign(_r=ledger["status"].map(rank), _s=-severity, _k=kind,
                        _g=-gap.where(ledger["status"] == CONTRADICTED, 0))
    out = out.sort_values(["_r", "_s", "_k", "_g", "claim_id", "check_id"], kind="mergesort")
    return out.drop(columns=["_r", "_s", "_k", "_g"]).reset_index(drop=True)


def kind_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """Rows per kind (a key of :data:`KINDS`, in that order) and status."""
    kinds = ledger["check_id"].map(kind_of)
    tab = pd.crosstab(kinds, ledger["status"]).reindex(
        index=[k for k in KINDS if k in set(kinds)], columns=list(STATUSES), fill_value=0)
    tab.columns.name = None
    tab.index.name = "kind"
    return tab.reset_index()


# ---------------------------------------------------------------------------------------
# The language-neutral ledger file
# ---------------------------------------------------------------------------------------

#: The columns of the neutral ledger that hold phrases (JSON objects in ``ledger.json``).
PHRASE_COLUMNS: tuple[str, ...] = (*TEXT_COLUMNS, "external_value", "external_source",
                                   "external_vintage", "external_tolerance", "external_note")

#: Version of the layout of ``ledger.json`` (a consumer checks it).
JSON_VERSION = 1


def _record(row: dict[str, str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for column, cell in row.items():
        if column in PHRASE_COLUMNS:
            out[column] = phrase_of(cell)
        elif column == "source_lines":
            out[column] = [int(x) for x in str(cell).split(";") if x]
        elif column == "severity":
            out[column] = int(cell)
        else:
            out[column] = cell or None
    return out


def to_json_text(ledger: pd.DataFrame) -> str:
    """The ledger as ``ledger.json``: the language-neutral file that programs read (the
    site, a findings layer). ``{"version": 1, "columns": [...], "rows": [...]}``; one object
    per row with :data:`COLUMNS`: ids, keys (``kind``, ``status``, ``external_verdict``) and
    printed values as strings, ``severity`` as a number, ``source_lines`` as a list of
    numbers, ``gap`` as an exact decimal string (``null`` when none), and the texts as
    phrases (:mod:`analysis.checks.phrases`: a template key and its fields as data; ``null``
    when none). One row per line, keys sorted, so the same ledger gives the same bytes and
    a changed row shows as one changed line."""
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    rows = [dump(_record({str(k): str(v) for k, v in r.items()}))
            for r in ledger.to_dict("records")]
    return (f'{{"version":{JSON_VERSION},"columns":{dump(list(ledger.columns))},"rows":[\n'
            + ",\n".join(rows) + "\n]}\n")


def from_json_text(text: str) -> pd.DataFrame:
    """``ledger.json`` back as the neutral ledger frame (the inverse of
    :func:`to_json_text`)."""
    payload = json.loads(text)
    if payload.get("version") != JSON_VERSION:
        raise ValueError(f"ledger.json version {payload.get('version')!r}; this reader "
                         f"understands version {JSON_VERSION}")

    def cell(column: str, value: object) -> str:
        if column in PHRASE_COLUMNS:
            return phrase_json(value if isinstance(value, dict) else None)
        if column == "source_lines":
            return ";".join(str(n) for n in value) if isinstance(value, list) else ""
        return "" if value is None else str(value)

    rows = [{c: cell(c, r.get(c)) for c in payload["columns"]} for r in payload["rows"]]
    return pd.DataFrame(rows, columns=payload["columns"])


def contradiction_counts(ledger: pd.DataFrame) -> tuple[int, int]:
    """Contradicted rows inside the source, and against the official record (external)."""
    contra = ledger[ledger["status"] == CONTRADICTED]
    official = int(official_rows.is_external(contra).sum())
    return len(contra) - official, official
