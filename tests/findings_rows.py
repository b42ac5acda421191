"""Crafted ledger rows for the findings' tests: made-up numbers, never the dissertation's.

A row is built as the checks build it (language-neutral phrases with ``figure`` fields),
so the findings layer reads it exactly as it reads the real ledger.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from analysis.checks.official_rows import COLUMNS
from analysis.findings.facts import Catalogue, Conclusion


def fig(ref: str, exhibit: str = "text", year: int | None = 2001, line: int = 10,
        printed: str = "100", unit: str = "USD million", label: str = "") -> dict[str, Any]:
    """A figure field as the checks write it."""
    source = "text" if exhibit == "text" else "K" + exhibit.split()[-1]
    return {"figure": {"ref": ref, "source": source, "exhibit": exhibit, "year": year,
                       "line": line, "printed": printed, "unit": unit,
                       "label_en": label or ref, "label_kk": label or ref,
                       "qualifier": "exact"}}


def phrase(key: str, notes: list[dict] | None = None, **fields: Any) -> str:
    out: dict[str, Any] = {"key": key, "fields": fields}
    if notes:
        out["notes"] = notes
    return json.dumps(out, ensure_ascii=False)


def row(claim_id: str, check_id: str, *figures: dict, **kw: Any) -> dict[str, str]:
    """One neutral ledger row comparing ``figures`` (the first is the subject). Keywords:
    status (contradicted), gap ("0.3"), verdict, exhibit, lines (from the figures), notes,
    diag (more diagnosis fields), recomputed, external_source (phrases as JSON)."""
    fields = {f"f{i}": f for i, f in enumerate(figures)} | (kw.get("diag") or {})
    exhibits = kw.get("exhibit") or "; ".join(dict.fromkeys(f["figure"]["exhibit"]
                                                             for f in figures))
    line_list = kw.get("lines") or ";".join(str(f["figure"]["line"]) for f in figures)
    out = dict.fromkeys(COLUMNS, "")
    out.update({"claim_id": claim_id, "check_id": check_id,
                "status": kw.get("status", "contradicted"), "exhibit": exhibits,
                "source_lines": line_list, "gap": kw.get("gap", "0.3"),
                "value_printed": figures[0]["figure"]["printed"] if figures else "",
                "diagnosis": phrase("diag.x", kw.get("notes"), **fields),
                "external_verdict": kw.get("verdict", ""),
                "recomputed": kw.get("recomputed", ""),
                "external_source": kw.get("external_source", "")})
    return out


def ledger(*rows: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(COLUMNS))


def catalogue(conclusions: tuple[Conclusion, ...] = (), **quantities: str) -> Catalogue:
    """Every crafted figure measures ``q_<ref>`` of topic trade unless given
    (``ref="quantity:topic"``)."""
    quantity, topic = {}, {}
    for ref, spec in quantities.items():
        key, _, top = spec.partition(":")
        quantity[ref] = key
        topic[key] = top or "trade"
    return Catalogue(quantity=quantity, topic=topic, conclusions=conclusions)


def conclusion(cid: str, *rests_on: str) -> Conclusion:
    return Conclusion(id=cid, line=1, part="conclusion", heading_kk="ҚОРЫТЫНДЫ",
                      quote_kk="сауда өсті", basis_kk="өсті", quote_en="trade grew",
                      rests_on=tuple(rests_on))
