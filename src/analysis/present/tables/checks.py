"""The claims ledger as bilingual tables for ``05_checks`` and ``kaztur check``'s pages.

The ledger's ``template`` and ``fields`` columns hold each diagnosis in a language-neutral
form (:mod:`analysis.checks.core`); :func:`explanation` renders it in Kazakh or English
from the templates ``checks.diag.<template>`` of ``labels/checks.yaml``. The ``diagnosis``
column stays the full English arithmetic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.checks.core import (
    CHECK_IDS,
    CONTRADICTED,
    KINDS,
    REPRODUCED,
    STATUSES,
    UNTESTABLE,
    WITHIN,
)
from analysis.checks.ledger import counts, kind_table, summary_order
from analysis.present import i18n

__all__ = ["check_status_table", "contradictions_table", "explanation", "explanations",
           "kind_status_table", "ledger_head", "serious_table", "status_table",
           "summary_fields",
           "summary_sentence"]


def status_label(status: str, lang: str) -> str:
    return i18n.t(f"checks.status.{status}", lang)


def kind_label(kind: str, lang: str) -> str:
    return i18n.t(f"checks.kind.{kind}", lang)


# ---------------------------------------------------------------------------------------
# Rendering a diagnosis in either language
# ---------------------------------------------------------------------------------------


def _exhibit(value: object, lang: str) -> str:
    return i18n.t("checks.text", lang) if value == "text" else str(value)


def _stated(fig: Mapping[str, Any], lang: str) -> str:
    qualifier = str(fig.get("qualifier") or "exact")
    key = f"checks.qual.{qualifier}"
    if key not in i18n.labels():
        key = "checks.qual.exact"
    return i18n.t(key, lang, n=fig.get("printed", ""))


def _figure(fig: Mapping[str, Any], lang: str) -> dict[str, str]:
    exhibit = _exhibit(fig.get("exhibit"), lang)
    label = str(fig.get("label_kk" if lang == "kk" else "label_en") or fig.get("label_en") or "")
    year = "" if fig.get("year") in (None, "") else str(fig.get("year"))
    stated = _stated(fig, lang)
    where = i18n.t("checks.where", lang, exhibit=exhibit, line=fig.get("line", ""))
    ref = str(fig.get("ref", ""))
    described = i18n.t("checks.describe", lang, exhibit=exhibit, year=year, label=label,
                       stated=stated, line=fig.get("line", ""))
    if fig.get("source") == "text" and ref:
        described = f"{ref}: {described}"
    return {"": " ".join(described.split()), "_where": where, "_stated": stated}


def _is_figure(value: object) -> bool:
    return isinstance(value, dict) and "ref" in value and "printed" in value


def _render_fields(fields: Mapping[str, Any], lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in fields.items():
        if name == "notes":
            continue
        if _is_figure(value):
            for suffix, text in _figure(value, lang).items():
                out[name + suffix] = text
        elif isinstance(value, list) and value and all(_is_figure(v) for v in value):
            out[name] = "; ".join(_figure(v, lang)[""] for v in value)
        elif name == "rules" and value:
            rule = "half_up" if "half-up" in str(value) else "half_even"
            out[name] = i18n.t(f"checks.rule.{rule}", lang)
        else:
            out[name] = "" if value is None else str(value)
    return out


class _Blank(dict[str, str]):
    """Format mapping that leaves a field the row does not carry empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _format(key: str, lang: str, fields: Mapping[str, str]) -> str:
    return i18n.t(key, lang).format_map(_Blank(fields))


def explanation(template: str, fields: str | Mapping[str, Any], lang: str) -> str:
    """The diagnosis of one ledger row in ``lang``, from its template and fields (JSON)."""
    data = json.loads(fields) if isinstance(fields, str) else dict(fields)
    if not template:
        return ""
    text = _format(f"checks.diag.{template}", lang, _render_fields(data, lang))
    for note in data.get("notes", []):
        key = f"checks.diag.{note['template']}"
        if key in i18n.labels():
            text += "; " + _format(key, lang, _render_fields(note["fields"], lang))
    return " ".join(text.split())


def with_explanations(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ledger with an ``explanation_text`` column in ``lang``."""
    out = ledger.copy()
    out["explanation_text"] = [explanation(t, f, lang)
                               for t, f in zip(out["template"], out["fields"], strict=True)]
    return out


# ---------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------


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


def serious_table(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every contradiction, most serious first (severity, kind, gap), explained in
    ``lang``."""
    rows = with_explanations(summary_order(ledger), lang)
    rows = rows[rows["status"] == CONTRADICTED]
    cols = ["kind", "severity", "claim_id", "source_lines", "value_printed", "recomputed",
            "explanation_text"]
    return rows[cols].reset_index(drop=True)


def contradictions_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """Every contradiction with its lines, printed value, recomputed value and arithmetic
    (the English diagnosis), most serious first."""
    rows = summary_order(ledger)
    rows = rows[rows["status"] == CONTRADICTED]
    cols = ["kind", "claim_id", "check_id", "exhibit", "source_lines", "value_printed",
            "recomputed", "diagnosis"]
    return rows[cols].reset_index(drop=True)


def explanations(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each check with its kind, its rule in ``lang`` and the number of rows it produced."""
    used = ledger["check_id"].value_counts()
    order = {k: i for i, k in enumerate(KINDS)}
    ids = sorted(CHECK_IDS, key=lambda c: (order[CHECK_IDS[c][0]], c))
    return pd.DataFrame([{"kind": CHECK_IDS[cid][0], "check_id": cid,
                          "explanation": i18n.t(f"checks.explain.{cid}", lang),
                          "count": int(used.get(cid, 0))} for cid in ids])


def ledger_head(ledger: pd.DataFrame, rows: int = 10) -> pd.DataFrame:
    """The first ``rows`` rows of the ledger, the columns a reader scans."""
    cols = ["claim_id", "check_id", "kind", "status", "source_lines", "value_printed",
            "recomputed", "diagnosis"]
    return ledger[cols].head(rows).reset_index(drop=True)


def summary_fields(ledger: pd.DataFrame) -> dict[str, int]:
    """The counts the summary sentence ``checks.say.summary`` quotes."""
    c = counts(ledger)
    return {"n": len(ledger), "reproduced": c[REPRODUCED], "within": c[WITHIN],
            "contradicted": c[CONTRADICTED], "untestable": c[UNTESTABLE]}


def summary_sentence(ledger: pd.DataFrame, lang: str) -> str:
    return i18n.t("checks.say.summary", lang, **summary_fields(ledger))
