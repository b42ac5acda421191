"""The replication report: every exhibit judged on three separate axes.

Reproducibility in the AEA sense a reader knows is one question; whether the source agrees
with itself, or with the official record, are two others. Keeping them apart is the point:
Кесте 7 is *fully reproduced* (every output rebuilt, its own totals and growth rates
recomputed exactly) and still *inconsistent* with Кесте 6 and *disagrees* with the
official series. All three are derived by code, never typed:

1. **Reproduced by the package** (fully / partially / not): from the exhibit map
   (``run/exhibit_map.yaml``: which notebook writes which outputs), the run (did the
   notebook run, are the outputs there) and the exhibit's *own arithmetic* (ledger rows
   whose numbers are all in this exhibit and that recompute it: totals, shares, parts,
   the survey's sums and sample size, :data:`OWN_KINDS`/:data:`OWN_CHECKS`):

   * **fully** — every listed output was written by a notebook that ran, and no row of its
     own arithmetic is contradicted;
   * **partially** — outputs are missing, a notebook failed, or its own arithmetic is
     contradicted somewhere (the package rebuilds it, but not as printed);
   * **not** — no listed output was written.

2. **Consistent with the rest of the text**: the findings inside the source
   (:mod:`analysis.findings`) that touch the exhibit, other than its own arithmetic.
3. **Agrees with the official record**: the findings against the record that touch it
   (for the exhibit that sets the dissertation against the record, ``record: true`` in the
   map, all of them), or the agreeing rows, or "no official series covers it".

Which ledger rows belong to an exhibit: those whose ``exhibit`` names it (its id or either
label), and for an exhibit that lists ``ledger_kinds`` (the OTS timeline: ``event``) the
rows of those kinds; such rows belong to no other exhibit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.checks.core import CHECK_IDS, CONTRADICTED, STATUSES
from analysis.findings.model import BOTH, INTERNAL, RECORD, Finding
from analysis.present.i18n import t
from analysis.run.exhibit_map import Exhibit
from analysis.run.site.inputs import RunInputs
from analysis.run.site.ledger import exhibits_of, lines_of

FULLY, PARTIALLY, NOT = "fully", "partially", "not"
CLASSES = (FULLY, PARTIALLY, NOT)
MAX_LINES = 8  # contradicted lines named in a reason
#: Kinds of check that recompute an exhibit's own arithmetic (when all its numbers are in
#: the exhibit), and the survey checks that do so for the appendix's percentages.
OWN_KINDS = frozenset({"identity", "share sum", "part-whole"})
OWN_CHECKS = frozenset({"survey.sum", "survey.granularity", "survey.joint_n"})
RECORD_COLUMN = "external_verdict"

__all__ = ["CLASSES", "FULLY", "NOT", "PARTIALLY", "Verdict", "classify", "classify_all",
           "exhibit_rows", "markdown", "own_rows"]


@dataclass(frozen=True)
class Verdict:
    exhibit: Exhibit
    cls: str
    outputs_written: int
    outputs_listed: int
    failed_notebooks: tuple[str, ...]
    counts: dict[str, int]                      # the exhibit's ledger rows by status
    own: dict[str, int]                         # its own arithmetic's rows by status
    own_contradicted_lines: tuple[int, ...]
    consistency: tuple[Finding, ...] = ()       # findings inside the source touching it
    record: tuple[Finding, ...] = ()            # findings against the record touching it
    record_rows: dict[str, int] = field(default_factory=dict)  # its external rows by verdict
    ledger_name: str = ""  # how the ledger's ``exhibit`` column names this exhibit

    # --- the three axes in words -------------------------------------------------------

    def reason(self, lang: str = "en") -> str:
        """Axis 1: why the exhibit is (fully, partially, not) reproduced."""
        parts = [t("site.repl.outputs", lang, n=self.outputs_written,
                   total=self.outputs_listed)]
        if self.failed_notebooks:
            parts.append(t("site.repl.failed", lang, notebooks=", ".join(
                self.failed_notebooks)))
        checked = sum(self.own.values())
        bad = self.own.get(CONTRADICTED, 0)
        if checked and bad:
            shown = ", ".join(str(n) for n in self.own_contradicted_lines[:MAX_LINES])
            more = "…" if len(self.own_contradicted_lines) > MAX_LINES else ""
            parts.append(t("site.repl.own_bad", lang, n=bad, total=checked,
                           lines=shown + more))
        elif checked:
            parts.append(t("site.repl.own_ok", lang, n=checked))
        else:
            parts.append(t("site.repl.own_none", lang))
        return "; ".join(parts) + "."

    def consistency_text(self, lang: str, ids: bool = True) -> str:
        """Axis 2 in words (finding ids listed when ``ids``)."""
        if not self.consistency:
            return t("site.repl.consistent", lang)
        return t("site.repl.inconsistent", lang, n=len(self.consistency),
                 ids=", ".join(f.id for f in self.consistency) if ids else "")

    def record_text(self, lang: str, ids: bool = True) -> str:
        """Axis 3 in words."""
        if self.record:
            return t("site.repl.record_bad", lang, n=len(self.record),
                     ids=", ".join(f.id for f in self.record) if ids else "")
        total = sum(self.record_rows.values())
        if total:
            return t("site.repl.record_ok", lang, n=total)
        return t("site.repl.record_none", lang)


def _names(ex: Exhibit) -> set[str]:
    return {ex.label_kk, ex.id, ex.label_en}


def claimed_kinds(exhibits: Sequence[Exhibit]) -> set[str]:
    """Kinds of check that an exhibit of the map claims (``ledger_kinds``)."""
    return {k for ex in exhibits for k in ex.ledger_kinds}


def exhibit_rows(ledger: pd.DataFrame | None, ex: Exhibit,
                 claimed: set[str] | frozenset[str] = frozenset()) -> tuple[pd.DataFrame, str]:
    """The ledger rows that concern ``ex`` (module docstring), and the name the ledger
    uses for it."""
    if ledger is None or "exhibit" not in ledger.columns:
        return pd.DataFrame(columns=["status", "source_lines", "check_id"]), ""
    used = ledger["exhibit"].map(exhibits_of)
    kinds = ledger["check_id"].map(lambda c: CHECK_IDS.get(str(c), ""))
    named = used.map(lambda v: bool(_names(ex) & set(v)))
    if ex.ledger_kinds:
        hit = named | kinds.isin(list(ex.ledger_kinds))
    else:
        hit = named & ~kinds.isin(list(claimed))
    seen = {n for v in used[named] for n in v}
    return ledger[hit], next((n for n in (ex.label_kk, ex.id, ex.label_en) if n in seen), "")


def own_rows(rows: pd.DataFrame, ex: Exhibit) -> pd.DataFrame:
    """The rows that recompute the exhibit's own arithmetic: all their numbers in it."""
    if rows.empty:
        return rows
    alone = rows["exhibit"].map(lambda v: bool(set(exhibits_of(v)) and set(exhibits_of(v))
                                               <= _names(ex)))
    kinds = rows["check_id"].map(lambda c: CHECK_IDS.get(str(c), ""))
    own = kinds.isin(list(OWN_KINDS)) | rows["check_id"].isin(list(OWN_CHECKS))
    return rows[alone & own]


def _written(ex: Exhibit, run: RunInputs) -> int:
    return sum(1 for stem, kind, name in ex.outputs()
               if (out := run.output(stem, kind, name)) is not None and out.files)


def _failed(ex: Exhibit, run: RunInputs) -> tuple[str, ...]:
    return tuple(sorted({src.notebook for src in ex.sources
                         if (nb := run.notebook(src.notebook)) is None or nb.status != "ok"}))


def _class(listed: int, written: int, failed: bool, own_bad: int) -> str:
    if listed and written == 0:
        return NOT
    if written == listed and not failed and not own_bad:
        return FULLY
    return PARTIALLY


def _own_finding(f: Finding, own_ids: set[tuple[str, str]]) -> bool:
    return bool(f.rows) and all(r in own_ids for r in f.rows)


def _touching(ex: Exhibit, findings: Sequence[Finding], row_ids: set[tuple[str, str]],
              own_ids: set[tuple[str, str]]) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """(findings inside the source, findings against the record) that touch ``ex``."""
    touching = [f for f in findings if any(r in row_ids for r in f.rows)]
    inside = tuple(f for f in touching if f.scope in (INTERNAL, BOTH)
                   and not _own_finding(f, own_ids))
    if ex.record:
        record = tuple(f for f in findings if f.scope in (RECORD, BOTH))
    else:
        record = tuple(f for f in touching if f.scope in (RECORD, BOTH))
    return inside, record


def _ids(rows: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(rows["claim_id"].astype(str), rows["check_id"].astype(str), strict=True)) \
        if not rows.empty and "claim_id" in rows.columns else set()


def _record_rows(ledger: pd.DataFrame | None, rows: pd.DataFrame, ex: Exhibit
                 ) -> dict[str, int]:
    source = ledger if ex.record and ledger is not None else rows
    if source is None or RECORD_COLUMN not in source.columns:
        return {}
    values = source[RECORD_COLUMN].fillna("").astype(str)
    return {str(k): int(v) for k, v in values[values != ""].value_counts().sort_index().items()}


def classify(ex: Exhibit, run: RunInputs, ledger: pd.DataFrame | None,
             findings: Sequence[Finding] = (),
             claimed: set[str] | frozenset[str] = frozenset()) -> Verdict:
    listed = len(ex.outputs())
    written = _written(ex, run)
    failed = _failed(ex, run)
    rows, name = exhibit_rows(ledger, ex, claimed)
    own = own_rows(rows, ex)
    own_counts = {s: int((own["status"] == s).sum()) for s in STATUSES if not own.empty}
    bad = own[own["status"] == CONTRADICTED] if not own.empty else own
    lines = sorted({n for v in bad.get("source_lines", []) for n in lines_of(v)})
    inside, record = _touching(ex, findings, _ids(rows), _ids(own))
    return Verdict(exhibit=ex, cls=_class(listed, written, bool(failed),
                                          own_counts.get(CONTRADICTED, 0)),
                   outputs_written=written, outputs_listed=listed, failed_notebooks=failed,
                   counts={s: int((rows["status"] == s).sum()) for s in STATUSES},
                   own={k: v for k, v in own_counts.items() if v},
                   own_contradicted_lines=tuple(lines), consistency=inside, record=record,
                   record_rows=_record_rows(ledger, rows, ex), ledger_name=name)


def classify_all(exhibits: Sequence[Exhibit], run: RunInputs, ledger: pd.DataFrame | None,
                 findings: Sequence[Finding] = ()) -> list[Verdict]:
    claimed = claimed_kinds(exhibits)
    return [classify(ex, run, ledger, findings, claimed) for ex in exhibits]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary(verdicts: Sequence[Verdict], lang: str) -> str:
    totals = {c: sum(1 for v in verdicts if v.cls == c) for c in CLASSES}
    return t("site.repl.summary", lang, fully=totals[FULLY], partially=totals[PARTIALLY],
             not_=totals[NOT], n=len(verdicts),
             consistent=sum(1 for v in verdicts if not v.consistency),
             record=sum(1 for v in verdicts if not v.record))


def markdown(verdicts: Sequence[Verdict], lang: str = "en", headline: str = "",
             links: Mapping[str, str] | None = None) -> str:
    """``reports/REPLICATION.md`` (and the site's page): the three axes per exhibit.
    ``headline``: the one set of numbers (a paragraph); ``links``: exhibit id → page."""
    lines = [f"# {t('site.repl.title', lang)}", "", t("site.repl.intro", lang), ""]
    lines += [headline, ""] if headline else []
    lines += [summary(verdicts, lang), "",
              f"| {t('site.repl.col.exhibit', lang)} | {t('site.repl.col.lines', lang)} "
              f"| {t('site.repl.col.class', lang)} | {t('site.repl.col.consistent', lang)} "
              f"| {t('site.repl.col.record', lang)} |",
              "| --- | --- | --- | --- | --- |"]
    for v in verdicts:
        ex = v.exhibit
        label = _md_cell(f"{ex.label(lang)}: {ex.title(lang)}")
        if links and ex.id in links:
            label = f"[{label}]({links[ex.id]})"
        cls = f"**{t('site.repl.class.' + v.cls, lang)}**: {v.reason(lang)}"
        lines.append(f"| {label} | {ex.lines or '–'} | {_md_cell(cls)} "
                     f"| {_md_cell(v.consistency_text(lang))} "
                     f"| {_md_cell(v.record_text(lang))} |")
    return "\n".join(lines) + "\n"
