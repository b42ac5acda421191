"""The claims ledger as bilingual tables for ``05_checks``."""

from __future__ import annotations

import pandas as pd

from analysis.checks import core as checks
from analysis.checks.core import CONTRADICTED, REPRODUCED, STATUSES, UNTESTABLE, WITHIN
from analysis.checks.ledger import counts
from analysis.present import i18n


def status_label(status: str, lang: str) -> str:
    return i18n.t(f"checks.status.{status}", lang)


def localise(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Ledger columns renamed to ``lang`` and statuses translated; the diagnosis (generated
    arithmetic) stays in English, as its header says."""
    out = frame.copy()
    if "status" in out:
        out["status"] = [status_label(s, lang) for s in out["status"]]
    return out.rename(columns={c: i18n.t(f"checks.col.{c}", lang) for c in out.columns
                               if f"checks.col.{c}" in i18n.labels()})


def status_table(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rows per status, in the order of :data:`analysis.checks.STATUSES`."""
    c = counts(ledger)
    return localise(pd.DataFrame({"status": list(c), "count": list(c.values())}), lang)


def check_status_table(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rows per check and status (a check × status count table)."""
    tab = pd.crosstab(ledger["check_id"], ledger["status"]).reindex(
        columns=list(STATUSES), fill_value=0)
    tab = tab.reindex(sorted(tab.index)).reset_index()
    tab.columns.name = None
    return tab.rename(columns={s: status_label(s, lang) for s in STATUSES}
                      | {"check_id": i18n.t("checks.col.check_id", lang)})


def contradictions_table(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every contradiction with its lines, printed value, recomputed value and arithmetic."""
    rows = ledger[ledger["status"] == CONTRADICTED]
    cols = ["claim_id", "check_id", "exhibit", "source_lines", "value_printed", "recomputed",
            "diagnosis"]
    return localise(rows[cols].reset_index(drop=True), lang)


def explanations(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each check with its rule in ``lang`` and the number of ledger rows it produced."""
    used = ledger["check_id"].value_counts()
    rows = [{"check_id": cid, "explanation": i18n.t(f"checks.explain.{cid}", lang),
             "count": int(used.get(cid, 0))} for cid in checks.CHECK_IDS]
    return localise(pd.DataFrame(rows), lang)


def summary_sentence(ledger: pd.DataFrame, lang: str) -> str:
    c = counts(ledger)
    return i18n.t("checks.say.summary", lang, n=len(ledger), reproduced=c[REPRODUCED],
             within=c[WITHIN], contradicted=c[CONTRADICTED], untestable=c[UNTESTABLE])
