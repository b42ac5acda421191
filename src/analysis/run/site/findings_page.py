"""The findings page of the site: every finding with all it rests on, most serious first.

Each finding (:mod:`analysis.findings`) gets a heading, an anchor ``F-<id>`` that the front
page, the replication report and the exhibit pages link to, and its parts in the page's
language (:mod:`analysis.present.findings_text`): the statement, the source lines, the
arithmetic, the severity and why, firm or debatable, the tested causes (hypotheses and what
was ruled out), the proposed corrections, the conclusions of the dissertation it touches
(quoted as printed, ``data/raw/conclusions.csv``) and links to every ledger row it rests on.
The page opens with the headline and the stated rules (grouping, severity, firmness), which
``docs/FINDINGS.md`` gives in full.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from analysis.findings.headline import Headline
from analysis.findings.model import Finding
from analysis.present import findings_text as ft
from analysis.present.i18n import t
from analysis.run.site.ledger import row_anchor

DOC = "findings"

__all__ = ["DOC", "anchor", "findings_page", "link"]


def anchor(finding_id: str) -> str:
    """The ``id`` of a finding on the findings page."""
    return f"F-{finding_id}"


def link(from_doc: str, finding_id: str, text: str | None = None) -> str:
    """An HTML link from ``from_doc``'s page to a finding."""
    up = "../" * from_doc.count("/")
    url = f"{up}{DOC}.html#{anchor(finding_id)}"
    return f'<a href="{html.escape(url)}">{html.escape(text or finding_id)}</a>'


def _l(key: str, lang: str, **fields: object) -> str:
    return t(f"findings.page.{key}", lang, **fields)


def _rows(f: Finding) -> str:
    links = [f'<a href="ledger.html#{html.escape(row_anchor(c, k))}">'
             f"{html.escape(c)} · {html.escape(k)}</a>" for c, k in f.rows]
    return ", ".join(links)


def _conclusions(f: Finding, lang: str) -> list[str]:
    out = []
    for c in f.conclusions:
        quote = f"«{c.quote_kk}»" + (f" ({c.quote_en})" if lang == "en" else "")
        out.append(f"  * {c.id}, {html.escape(c.heading_kk)}, {ft.lines_text([c.line], lang)}: "
                   f"{html.escape(quote)}")
    return out


def _item(label: str, text: str) -> list[str]:
    return [f"* **{label}.** {text}"] if text else []


def finding_section(n: int, f: Finding, lang: str) -> list[str]:
    """One finding: heading, anchor and every part, in ``lang``."""
    fitting = [c for c in f.causes if c.fits]
    ruled_out = [c for c in f.causes if not c.fits]
    lines = [f'```{{raw}} html\n<span id="{anchor(f.id)}"></span>\n```', "",
             f"### {n}. {html.escape(ft.sentence(f.title, lang))}", "",
             html.escape(ft.sentence(f.statement, lang)), ""]
    lines += _item(_l("id", lang), f"`{f.id}`")
    lines += _item(_l("lines", lang), ft.lines_text(f.lines, lang))
    lines += _item(_l("scope", lang), ft.scope_label(f.scope, lang))
    lines += _item(_l("arithmetic", lang), html.escape(ft.sentence(f.arithmetic, lang)))
    lines += _item(_l("severity", lang), html.escape(ft.severity_text(f, lang)))
    lines += _conclusions(f, lang)
    lines += _item(_l("firmness", lang), html.escape(ft.firmness_text(f, lang)))
    lines += _item(_l("cause", lang), html.escape(
        "; ".join(f"{ft.cause_name(c.key, lang)}: {ft.say(c.evidence, lang)}" for c in fitting)
        or t("findings.cause.none", lang)))
    lines += _item(_l("ruled_out", lang), html.escape("; ".join(
        f"{ft.cause_name(c.key, lang)}: {ft.say(c.evidence, lang)}" for c in ruled_out)))
    if f.corrections:
        lines += [f"* **{_l('corrections', lang)}.**"]
        lines += [f"  * {html.escape(ft.sentence(c.phrase, lang))}" for c in f.corrections]
    lines += _item(_l("rows", lang), _rows(f))
    return [*lines, ""]


def findings_page(findings: Sequence[Finding], head: Headline | None, lang: str,
                  pdf: str | None = None, csv: str | None = None) -> str:
    """The findings page's MyST source (``pdf``: the examiner's report, ``csv``: the
    findings as CSV, to download)."""
    lines = [f"# {_l('title', lang)}", "", _l("intro", lang), ""]
    if head is not None:
        lines += [ft.headline_text(head, lang, "paragraph"), ""]
    downloads = [f"{{download}}`⬇ {t(key, lang)} <{target}>`" for key, target in
                 (("site.f.pdf", pdf), ("site.f.csv", csv)) if target]
    lines += [" · ".join(downloads), ""] if downloads else []
    lines += [f"## {_l('rules_heading', lang)}", "", _l("rule.grouping", lang), "",
              _l("rule.severity", lang), "", _l("rule.firmness", lang), "",
              _l("rule.causes", lang), "", f"## {_l('list_heading', lang)}", ""]
    if not findings:
        lines += [t("site.f.no_findings", lang), ""]
    for n, f in enumerate(findings, 1):
        lines += finding_section(n, f, lang)
    return "\n".join(lines) + "\n"
