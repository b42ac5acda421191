"""The findings in words: every phrase of a finding written in Kazakh or English.

Why here: the findings layer (:mod:`analysis.findings`) says what it found as phrases — a
template key and its fields as data — like the ledger. This module writes them: a finding's
templates are the labels ``findings.<key>`` (``labels/findings.yaml``); a field that holds a
ledger phrase (``{"ledger": …}``) is written by the ledger's own templates
(:mod:`analysis.present.ledger_text`); numbers go through the one formatter, with the
Kazakh case endings a template asks for (``{n:abl}``).

:func:`frame` is ``reports/<lang>/findings.csv``: one row per finding, ids and keys as they
are, every text in the language. :func:`headline_text` writes the one set of numbers
(:mod:`analysis.findings.headline`) for the command line, the front page, ``REPLICATION.md``
and the README.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis.findings.headline import Headline
from analysis.findings.model import Finding
from analysis.present import i18n, ledger_text
from analysis.present.kk_endings import Inflected
from analysis.present.ledger_text import kind_label

__all__ = ["COLUMNS", "cause_name", "frame", "headline_text", "label", "say", "sentence",
           "severity_label"]

PREFIX = "findings."


def label(key: str, lang: str, **fields: Any) -> str:
    """The label ``findings.<key>`` in ``lang`` with its fields written (:func:`render`)."""
    return _format(i18n.t(PREFIX + key, lang), {k: render(v, lang) for k, v in
                                                fields.items()})


def _format(template: str, fields: Mapping[str, str]) -> str:
    return ledger_text.format_template(template, {k: Inflected(v) for k, v in fields.items()})


def _separator(sep: Any, lang: str) -> str:
    """A separator as it is (``"; "``), or a word's label with its spaces (``" and "``)."""
    if isinstance(sep, str):
        return sep
    return i18n.t(PREFIX + str(sep["key"]), lang)


def _items(value: Mapping[str, Any], lang: str) -> str:
    sep = _separator(value.get("sep", "; "), lang)
    return sep.join(t for v in value["items"] if (t := render(v, lang)))


def render(value: Any, lang: str) -> str:
    """One field of a finding's phrase in ``lang``."""
    if isinstance(value, Mapping):
        if "ledger" in value:
            return ledger_text.render(value["ledger"], lang) if value["ledger"] else ""
        if "key" in value and "fields" in value:
            return say(value, lang)
        if "items" in value:
            return _items(value, lang)
        if "exhibit" in value:
            return ledger_text.exhibit(value["exhibit"], lang)
        if "kind" in value:
            return kind_label(str(value["kind"]), lang)
    return ledger_text.render(value, lang)


def say(phrase: Mapping[str, Any] | None, lang: str) -> str:
    """A finding's phrase in ``lang`` ("" for none)."""
    if not phrase:
        return ""
    fields = {k: render(v, lang) for k, v in phrase.get("fields", {}).items()}
    return _format(i18n.t(PREFIX + str(phrase["key"]), lang), fields)


def sentence(phrase: Mapping[str, Any] | None, lang: str) -> str:
    """A phrase said as a sentence of its own: its first letter a capital."""
    text = say(phrase, lang)
    return text[:1].upper() + text[1:]


def severity_label(level: str, lang: str) -> str:
    return i18n.t(f"{PREFIX}severity.{level}", lang)


def cause_name(key: str, lang: str) -> str:
    return i18n.t(f"{PREFIX}cause.name.{key}", lang)


def firmness_text(f: Finding, lang: str) -> str:
    """``firm`` / ``debatable: <reason>``."""
    text = i18n.t(f"{PREFIX}firmness.{f.firmness}", lang)
    if f.firmness_reason:
        text += ": " + i18n.t(f"{PREFIX}firmness.reason.{f.firmness_reason}", lang)
    return text


def severity_text(f: Finding, lang: str) -> str:
    """The severity with why: the size of the discrepancy and the conclusions."""
    over = f.gap and float(f.gap) >= 1
    touching = f.gap != "" and float(f.gap) == 0  # the intervals meet at one edge
    key = "size.touching" if touching else f"size.{f.size}" + ("_over" if over else "")
    size = label(key, lang, pct=_pct(f.gap))
    why = label("severity.why.rests", lang, ids=", ".join(c.id for c in f.conclusions)) \
        if f.conclusions \
        else i18n.t(f"{PREFIX}severity.why.none", lang)
    return f"{severity_label(f.severity, lang)} ({size}; {why})"


def _pct(gap: str) -> dict[str, str]:
    from decimal import ROUND_HALF_UP, Decimal

    value = Decimal(gap or "0") * 100
    return {"num": str(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))}


def causes_text(f: Finding, lang: str, tested: bool = False) -> str:
    """The fitting causes (hypotheses) with their evidence; ``tested``: also those that
    were tested and do not fit."""
    shown = [c for c in f.causes if c.fits or tested]
    if not shown:
        return i18n.t(f"{PREFIX}cause.none", lang)
    parts = []
    for c in shown:
        mark = i18n.t(f"{PREFIX}cause.{'fits' if c.fits else 'no'}", lang)
        parts.append(f"{cause_name(c.key, lang)} ({mark}): {say(c.evidence, lang)}")
    return " ".join(parts)


def corrections_text(f: Finding, lang: str, limit: int | None = None) -> str:
    shown = list(f.corrections if limit is None else f.corrections[:limit])
    text = "; ".join(say(c.phrase, lang) for c in shown)
    rest = len(f.corrections) - len(shown)
    if rest > 0:
        text += " " + label("more", lang, n=rest)
    return text


def scope_label(scope: str, lang: str) -> str:
    return i18n.t(f"{PREFIX}scope.{scope}", lang)


def lines_text(lines: Sequence[int], lang: str) -> str:
    from analysis.findings.phrasing import line_items

    return say(line_items(lines), lang) if lines else ""


#: The columns of ``findings.csv``.
COLUMNS: tuple[str, ...] = ("id", "severity", "title", "statement", "lines", "arithmetic",
                            "scope", "firmness", "severity_why", "cause", "correction",
                            "conclusions", "exhibits", "rows")


def frame(findings: Sequence[Finding], lang: str) -> pd.DataFrame:
    """``reports/<lang>/findings.csv``: the findings in ``lang`` (ids, keys and lines as
    they are; ``rows``: the ledger rows, ``claim_id|check_id`` joined by ``;``)."""
    rows = [{"id": f.id, "severity": f.severity, "title": sentence(f.title, lang),
             "statement": sentence(f.statement, lang),
             "lines": ";".join(str(n) for n in f.lines),
             "arithmetic": sentence(f.arithmetic, lang),
             "scope": scope_label(f.scope, lang),
             "firmness": firmness_text(f, lang), "severity_why": severity_text(f, lang),
             "cause": causes_text(f, lang), "correction": corrections_text(f, lang),
             "conclusions": ";".join(c.id for c in f.conclusions),
             "exhibits": ";".join(f.exhibits),
             "rows": ";".join(f"{c}|{k}" for c, k in f.rows)} for f in findings]
    return pd.DataFrame(rows, columns=list(COLUMNS))


# ---------------------------------------------------------------------------------------
# The headline
# ---------------------------------------------------------------------------------------


def _n(value: int, lang: str) -> str:
    from analysis.present import numbers

    return numbers.number(value, lang)


def headline_text(h: Headline, lang: str = "en", form: str = "paragraph") -> str:
    """The one set of numbers in ``lang``: ``form`` is ``line`` (the command line's last
    line) or ``paragraph`` (front page, REPLICATION.md, README)."""
    sev = {k: _n(v, lang) for k, v in h.findings_by_severity.items()}
    fields = dict(findings=_n(h.findings, lang), high=sev.get("high", "0"),
                  medium=sev.get("medium", "0"), low=sev.get("low", "0"),
                  firm=_n(h.firm, lang), debatable=_n(h.debatable, lang),
                  internal_findings=_n(h.findings_internal, lang),
                  record_findings=_n(h.findings_record, lang),
                  both_findings=_n(h.findings_both, lang),
                  rows=_n(h.rows, lang), internal_rows=_n(h.internal_rows, lang),
                  contradicted=_n(h.internal_contradicted, lang),
                  record_rows=_n(h.record_rows, lang), disagree=_n(h.record_disagree, lang),
                  definition=_n(h.record_definition, lang),
                  internal=_statuses(h.internal_by_status, lang),
                  record=_verdicts(h.record_by_verdict, lang))
    return _format(i18n.t(f"{PREFIX}headline.{form}", lang), fields)


def _statuses(counts: Mapping[str, int], lang: str) -> str:
    return ", ".join(f"{_n(n, lang)} {ledger_text.status_label(s, lang)}"
                     for s, n in counts.items() if n)


def _verdicts(counts: Mapping[str, int], lang: str) -> str:
    return ", ".join(f"{ledger_text.verdict_label(v, lang)}: {_n(n, lang)}"
                     for v, n in counts.items() if n)
