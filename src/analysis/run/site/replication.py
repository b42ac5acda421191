"""The replication report: per exhibit, how far the package reproduces it, and why.

The classes follow the AEA Data Editor's wording (fully / partially / not reproducible) and
are derived, never typed: from the exhibit map (``run/exhibit_map.yaml``: which notebook
writes which outputs), the run (did the notebook run, are the outputs there) and the
ledger (the verdicts of the exhibit's printed numbers).

* **fully**: every listed output was written by a notebook that ran, and every printed number
  of the exhibit that could be checked was reproduced or is within rounding;
* **partially**: the outputs are there but some printed numbers contradict the rest of the
  source (so the exhibit cannot be reproduced as printed), or only some outputs are there;
* **not reproducible**: no listed output was written (a notebook failed or did not run), or
  none of the exhibit's checkable numbers agrees.

Untestable numbers neither raise nor lower the class; the reason says how many there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    STATUSES,
    UNTESTABLE,
    WITHIN,
)
from analysis.present.i18n import t
from analysis.run.exhibit_map import Exhibit
from analysis.run.site.inputs import RunInputs
from analysis.run.site.ledger import exhibits_of, lines_of

FULLY, PARTIALLY, NOT = "fully", "partially", "not"
CLASSES = (FULLY, PARTIALLY, NOT)
MAX_LINES = 8  # contradicted lines named in a reason


@dataclass(frozen=True)
class Verdict:
    exhibit: Exhibit
    cls: str
    outputs_written: int
    outputs_listed: int
    failed_notebooks: tuple[str, ...]
    counts: dict[str, int]
    contradicted_lines: tuple[int, ...]
    ledger_name: str = ""  # how the ledger's ``exhibit`` column names this exhibit

    def reason(self, lang: str = "en") -> str:
        """One sentence or two, in ``lang``, built from the counts."""
        c = self.counts
        checked = c[REPRODUCED] + c[WITHIN] + c[CONTRADICTED]
        parts = [t("site.repl.outputs", lang, n=self.outputs_written,
                   total=self.outputs_listed)]
        if self.failed_notebooks:
            parts.append(t("site.repl.failed", lang, notebooks=", ".join(
                self.failed_notebooks)))
        if checked:
            parts.append(t("site.repl.checked", lang, ok=c[REPRODUCED] + c[WITHIN],
                           n=checked))
        if c[CONTRADICTED]:
            shown = ", ".join(str(n) for n in self.contradicted_lines[:MAX_LINES])
            more = "…" if len(self.contradicted_lines) > MAX_LINES else ""
            parts.append(t("site.repl.contradicted", lang, n=c[CONTRADICTED],
                           lines=shown + more))
        if c[PLAUSIBLE] + c[NOT_DECISIVE]:
            parts.append(t("site.repl.weak", lang, plausible=c[PLAUSIBLE],
                           not_decisive=c[NOT_DECISIVE]))
        if c[UNTESTABLE]:
            parts.append(t("site.repl.untestable", lang, n=c[UNTESTABLE]))
        if not checked and not c[UNTESTABLE]:
            parts.append(t("site.repl.no_numbers", lang))
        return "; ".join(parts) + "."


def exhibit_rows(ledger: pd.DataFrame | None, ex: Exhibit) -> tuple[pd.DataFrame, str]:
    """The ledger rows that concern ``ex`` (its id or either label in ``exhibit``), and
    the name the ledger uses for it."""
    if ledger is None or "exhibit" not in ledger.columns:
        return pd.DataFrame(columns=["status", "source_lines"]), ""
    names = (ex.label_kk, ex.id, ex.label_en)
    used = ledger["exhibit"].map(exhibits_of)
    hit = used.map(lambda v: bool(set(names) & set(v)))
    seen = {n for v in used[hit] for n in v}
    return ledger[hit], next((n for n in names if n in seen), "")


def _written(ex: Exhibit, run: RunInputs) -> int:
    return sum(1 for stem, kind, name in ex.outputs()
               if (out := run.output(stem, kind, name)) is not None and out.files)


def _failed(ex: Exhibit, run: RunInputs) -> tuple[str, ...]:
    return tuple(sorted({src.notebook for src in ex.sources
                         if (nb := run.notebook(src.notebook)) is None or nb.status != "ok"}))


def _class(listed: int, written: int, failed: bool, counts: dict[str, int]) -> str:
    agree = counts[REPRODUCED] + counts[WITHIN]
    if (listed and written == 0) or (counts[CONTRADICTED] and not agree):
        return NOT
    if written == listed and not failed and not counts[CONTRADICTED]:
        return FULLY
    return PARTIALLY


def classify(ex: Exhibit, run: RunInputs, ledger: pd.DataFrame | None) -> Verdict:
    listed = len(ex.outputs())
    written = _written(ex, run)
    failed = _failed(ex, run)
    rows, name = exhibit_rows(ledger, ex)
    counts = {s: int((rows["status"] == s).sum()) for s in STATUSES}
    bad = rows[rows["status"] == CONTRADICTED]
    lines = sorted({n for v in bad["source_lines"] for n in lines_of(v)})
    return Verdict(exhibit=ex, cls=_class(listed, written, bool(failed), counts),
                   outputs_written=written, outputs_listed=listed, failed_notebooks=failed,
                   counts=counts, contradicted_lines=tuple(lines), ledger_name=name)


def classify_all(exhibits: Sequence[Exhibit], run: RunInputs,
                 ledger: pd.DataFrame | None) -> list[Verdict]:
    return [classify(ex, run, ledger) for ex in exhibits]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(verdicts: Sequence[Verdict], lang: str = "en") -> str:
    """``reports/REPLICATION.md``: the summary counts and one row per exhibit."""
    totals = {c: sum(1 for v in verdicts if v.cls == c) for c in CLASSES}
    lines = [f"# {t('site.repl.title', lang)}", "",
             t("site.repl.intro", lang), "",
             t("site.repl.summary", lang, fully=totals[FULLY], partially=totals[PARTIALLY],
               not_=totals[NOT], n=len(verdicts)), "",
             f"| {t('site.repl.col.exhibit', lang)} | {t('site.repl.col.lines', lang)} "
             f"| {t('site.repl.col.class', lang)} | {t('site.repl.col.reason', lang)} |",
             "| --- | --- | --- | --- |"]
    for v in verdicts:
        ex = v.exhibit
        label = f"{ex.label(lang)}: {ex.title(lang)}"
        lines.append(f"| {_md_cell(label)} | {ex.lines or '–'} "
                     f"| {t('site.repl.class.' + v.cls, lang)} | {_md_cell(v.reason(lang))} |")
    return "\n".join(lines) + "\n"
