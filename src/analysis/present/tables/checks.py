"""The claims ledger as tables for ``05_checks``, in the notebook's language.

The ledger is language-neutral (:func:`analysis.checks.ledger.build`: keys, numbers and
phrases); each table here keeps its keys (``kind``, ``status``: the table specs of
``specs/checks.yaml`` label them) and writes its texts — diagnoses, inputs, recomputed
values, tolerances — in ``lang`` (:mod:`analysis.present.ledger_text`).
"""

from __future__ import annotations

import pandas as pd

from analysis.checks.core import (
    CHECK_IDS,
    CONTRADICTED,
    KINDS,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    STATUSES,
    UNTESTABLE,
    WITHIN,
    kind_of,
)
from analysis.checks.ledger import counts, kind_table, summary_order
from analysis.present import i18n, ledger_text
from analysis.present.ledger_text import kind_label, status_label

__all__ = ["check_status_table", "contradictions_table", "explanations", "kind_label",
           "kind_status_table", "ledger_head", "ledger_in", "serious_table", "status_label",
           "status_table", "summary_fields", "summary_sentence"]


def ledger_in(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ledger with its texts in ``lang`` and its keys (``kind``, ``status``,
    ``external_verdict``) kept for the table spec to label."""
    return ledger_text.texts(ledger, lang)


def status_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """Rows per status, in the order of :data:`analysis.checks.core.STATUSES`."""
    c = counts(ledger)
    return pd.DataFrame({"status": list(c), "count": list(c.values())})


def kind_status_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """Rows per kind (most serious kinds first) and status."""
    return kind_table(ledger)


def check_status_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """Rows per check and status (a check × status count table)."""
    tab = pd.crosstab(ledger["check_id"], ledger["status"]).reindex(
        columns=list(STATUSES), fill_value=0)
    tab = tab.reindex(sorted(tab.index)).reset_index()
    tab.columns.name = None
    return tab


def _contradictions(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = summary_order(ledger)
    return ledger_in(rows[rows["status"] == CONTRADICTED], lang)


def serious_table(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every contradiction, most serious first (severity, kind, gap), with its diagnosis
    in ``lang``."""
    cols = ["kind", "severity", "claim_id", "source_lines", "value_printed", "diagnosis"]
    return _contradictions(ledger, lang)[cols].reset_index(drop=True)


def contradictions_table(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every contradiction with its lines and its arithmetic in ``lang`` (the numbers used,
    the recomputed value and the rounding allowed), most serious first."""
    cols = ["kind", "claim_id", "check_id", "exhibit", "source_lines", "value_printed",
            "inputs", "recomputed", "tolerance"]
    out = _contradictions(ledger, lang)[cols].reset_index(drop=True)
    out["exhibit"] = [ledger_text.exhibits(e, lang) for e in out["exhibit"]]
    return out


def explanations(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each check with its kind, its rule in ``lang`` and the number of rows it produced."""
    used = ledger["check_id"].value_counts()
    order = {k: i for i, k in enumerate(KINDS)}
    ids = sorted(CHECK_IDS, key=lambda c: (order[kind_of(c)], c))
    return pd.DataFrame([{"kind": kind_of(cid), "check_id": cid,
                          "explanation": i18n.t(f"checks.explain.{cid}", lang),
                          "count": int(used.get(cid, 0))} for cid in ids])


def ledger_head(ledger: pd.DataFrame, lang: str, rows: int = 10) -> pd.DataFrame:
    """The first ``rows`` rows of the ledger, the columns a reader scans, in ``lang``."""
    cols = ["claim_id", "check_id", "kind", "status", "source_lines", "value_printed",
            "recomputed", "diagnosis"]
    return ledger_in(ledger.head(rows), lang)[cols].reset_index(drop=True)


def summary_fields(ledger: pd.DataFrame) -> dict[str, int]:
    """The counts the summary sentence ``checks.say.summary`` quotes."""
    c = counts(ledger)
    return {"n": len(ledger), "reproduced": c[REPRODUCED], "within": c[WITHIN],
            "plausible": c[PLAUSIBLE], "not_decisive": c[NOT_DECISIVE],
            "contradicted": c[CONTRADICTED], "untestable": c[UNTESTABLE]}


def summary_sentence(ledger: pd.DataFrame, lang: str) -> str:
    return i18n.t("checks.say.summary", lang, **summary_fields(ledger))
