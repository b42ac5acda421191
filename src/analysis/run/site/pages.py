"""The site's own pages as MyST Markdown: front page, exhibits, ledger, replication report.

Each function returns page text. The numbers in it come as data (:mod:`.front_facts`,
:mod:`.replication`) and are written by the one number formatter
(:mod:`analysis.present.numbers`); a table is printed with the cells its notebook showed
(its sidecar's ``shown``: already in the page's language and notation), never re-parsed.
Links to other pages are relative ``.html`` addresses computed from document names
(:func:`href`), so they work from ``file://``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from analysis.findings.model import Finding
from analysis.present import findings_text, numbers
from analysis.present.i18n import labels, t
from analysis.present.ledger_text import verdict_label
from analysis.run.exhibit_map import Exhibit
from analysis.run.site import findings_page
from analysis.run.site.front_facts import FrontFacts, Source, Statement
from analysis.run.site.inputs import Output, RunInputs
from analysis.run.site.ledger import fragment
from analysis.run.site.replication import Verdict, markdown

MAX_TABLE_ROWS = 60  # longer tables: the first rows, and the whole CSV as a download


def notebook_doc(rel: str) -> str:
    """Document name of a notebook page: ``notebooks/01_trade``,
    ``notebooks/seminar/seminar_01_growth`` (the repository's paths, without suffix)."""
    return f"notebooks/{rel.split('/')[0]}" if not rel.startswith("seminar/") \
        else f"notebooks/seminar/{rel.split('/')[1]}"


def student_doc(rel: str) -> str:
    return notebook_doc(rel) + "-student"


def href(from_doc: str, to_doc: str, anchor: str | None = None, query: str = "") -> str:
    """Relative address of ``to_doc``'s page from ``from_doc``'s page."""
    up = "../" * from_doc.count("/")
    return f"{up}{to_doc}.html{query}" + (f"#{anchor}" if anchor else "")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def a(url: str, text: str) -> str:
    return f'<a href="{html.escape(url)}">{_esc(text)}</a>'


def _count(n: int, lang: str) -> str:
    return numbers.number(n, lang)


def source_links(doc: str, src: Source, run: RunInputs, lang: str) -> str:
    """``(notebook cell · ledger row)`` after a fact."""
    links = []
    nb = run.notebook(src.notebook) if src.notebook else None
    if nb is not None:
        anchor = f"cell-{src.cell_id}" if src.cell_id else None
        links.append(a(href(doc, notebook_doc(nb.rel), anchor),
                       t("site.link.cell" if anchor else "site.link.notebook", lang)))
    if src.ledger_anchor:
        links.append(a(href(doc, "ledger", src.ledger_anchor), t("site.link.row", lang)))
    return f" ({' · '.join(links)})" if links else ""


# ---------------------------------------------------------------------------------------
# figures and tables in a page
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asset:
    """A file the page needs beside it in the source folder."""

    source: Path | None
    target: str  # relative to the source folder
    text: str | None = None


def figure_block(doc: str, out: Output, assets: list[Asset]) -> str:
    svg = out.file(".svg") or out.file(".png")
    if svg is None:
        return ""
    target = f"_files/{out.notebook}/{svg.name}"
    assets.append(Asset(svg, target))
    up = "../" * doc.count("/")
    return (f":::{{figure}} {up}{target}\n:alt: {out.caption}\n:class: kaztur-figure\n\n"
            f"{out.caption}\n:::\n")


def html_table(columns: Sequence[str], rows: Sequence[Sequence[str]], caption: str,
               printed: Sequence[bool] = ()) -> str:
    """A table of text cells as HTML (escaped; the site's table style; scrolls in its box
    when wider than the page); cells of ``printed`` columns quote the source as printed."""
    head = "".join(f'<th scope="col">{_esc(c)}</th>' for c in columns)
    flags = list(printed) + [False] * (len(columns) - len(printed))
    tds = ['<td class="kaztur-printed">' if p else "<td>" for p in flags]
    body = "\n".join("<tr>" + "".join(f"{td}{_esc(v)}</td>" for td, v in zip(tds, row,
                                                                             strict=False))
                     + "</tr>" for row in rows)
    return (f'<div class="kaztur-table-box"><table class="kaztur-table">'
            f"<caption>{_esc(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n{body}\n</tbody></table></div>")


def table_block(doc: str, out: Output, lang: str, assets: list[Asset]) -> str:
    """The table as its notebook showed it (first :data:`MAX_TABLE_ROWS` rows) and its CSV
    to download."""
    path = out.file(".csv")
    if out.shown is None or path is None:
        return ""
    download = f"_files/{out.notebook}/{path.name}"
    assets.append(Asset(path, download))
    up = "../" * doc.count("/")
    rows = out.shown.rows[:MAX_TABLE_ROWS]
    total = len(out.shown.rows)
    more = t("site.table.first_rows", lang, shown=_count(len(rows), lang),
             total=_count(total, lang)) + " " if total > len(rows) else ""
    link = f"{more}{{download}}`{t('site.table.csv', lang)} <{up}{download}>`"
    table = html_table(out.shown.columns, rows, out.caption, out.shown.printed)
    return (f"```{{raw}} html\n{table}\n```\n\n"
            f"{link}\n")


# ---------------------------------------------------------------------------------------
# the front page
# ---------------------------------------------------------------------------------------


def _statement_line(doc: str, s: Statement, run: RunInputs, lang: str) -> str:
    return f"* {_esc(s.result.sentence(lang))}{source_links(doc, s.source, run, lang)}"


def _section_head(section: str, lang: str) -> list[str]:
    if not section:
        return []
    note = f"{section}.note"
    return [f"### {t(section, lang)}", "",
            *([t(note, lang), ""] if note in labels() else [])]


def _finding_lines(f: FrontFacts, lang: str, doc: str, pdf: str | None) -> list[str]:
    """The headline, the most serious findings (each a short statement with its lines and
    a link to it), the link to all of them and to the examiner's report."""
    if not f.findings:
        return [t("site.f.no_findings", lang), ""]
    out = [findings_text.headline_text(f.headline, lang, "paragraph"), ""] \
        if f.headline is not None else []
    out += [f"### {t('site.f.findings_heading', lang)}", ""]
    for x in f.top:
        text = t("site.f.finding", lang, title=findings_text.sentence(x.title, lang),
                 lines=findings_text.lines_text(x.lines, lang),
                 severity=findings_text.severity_label(x.severity, lang),
                 firmness=findings_text.firmness_text(x, lang))
        link = findings_page.link(doc, x.id, t("site.link.finding", lang))
        out.append(f"1. {_esc(text)} ({link})")
    out += ["", a(href(doc, findings_page.DOC), t("site.f.all_findings", lang,
                                                   n=_count(len(f.findings), lang)))
            + (f" · {{download}}`⬇ {t('site.f.pdf', lang)} <{pdf}>`" if pdf else ""), ""]
    return out


def _status_lines(f: FrontFacts, lang: str) -> list[str]:
    if not f.missing:
        return [t("site.run.complete", lang), ""]
    return [t("site.run.partial", lang, notebooks=", ".join(f.missing)), ""]


def front_page(run: RunInputs, f: FrontFacts, toc: str, pdf: str | None = None
               ) -> tuple[str, list[Asset]]:
    """The front page an examiner reads in two minutes: the headline and the most serious
    findings, then the survey's sample size, growth with its intervals, and the record."""
    lang, doc, assets = run.lang, "index", list[Asset]()
    lines = [f"# {t('site.title', lang)}", "", t("site.intro", lang), "",
             *_status_lines(f, lang), f"## {t('site.f.heading', lang)}", "",
             *_finding_lines(f, lang, doc, pdf)]
    for section, statements in f.sections.items():
        lines += [*_section_head(section, lang),
                  *(_statement_line(doc, s, run, lang) for s in statements), ""]
    record = [x for x in f.findings if x.scope != "internal"]
    if f.headline is not None:
        counts = ", ".join(f"{verdict_label(k, lang)}: {_count(v, lang)}"
                           for k, v in f.headline.record_by_verdict.items() if v)
        lines += [f"### {t('site.f.external_heading', lang)}", "",
                  t("site.f.external", lang, counts=counts), ""]
        lines += [f"* {_esc(findings_text.sentence(x.title, lang))} "
                  f"({findings_page.link(doc, x.id, t('site.link.finding', lang))})"
                  for x in record] + [""]
    blocks = [figure_block(doc, out, assets) for out in f.figures]
    if any(blocks):
        lines += [f"### {t('site.f.figures', lang)}", "", *blocks, ""]
    return "\n".join(lines) + "\n" + toc, assets


# ---------------------------------------------------------------------------------------
# exhibits, ledger, replication
# ---------------------------------------------------------------------------------------


def exhibit_doc(ex: Exhibit) -> str:
    return f"exhibits/{ex.id}"


def _finding_links(doc: str, text: str, findings: Sequence[Finding]) -> str:
    """``text`` (an axis in words, naming finding ids) with each id a link to it."""
    out = _esc(text)
    for x in findings:
        out = out.replace(x.id, findings_page.link(doc, x.id), 1)
    return out


def axes_lines(doc: str, verdict: Verdict, lang: str) -> list[str]:
    """The three axes of the replication report for one exhibit, in ``lang``."""
    cls = t(f"site.repl.class.{verdict.cls}", lang)
    return [t("site.ex.axes", lang, cls=cls, reason=_esc(verdict.reason(lang))), "",
            t("site.ex.consistent", lang, text=_finding_links(
                doc, verdict.consistency_text(lang), verdict.consistency)), "",
            t("site.ex.record", lang, text=_finding_links(
                doc, verdict.record_text(lang), verdict.record)), ""]


def exhibit_page(ex: Exhibit, verdict: Verdict, run: RunInputs) -> tuple[str, list[Asset]]:
    lang, doc, assets = run.lang, exhibit_doc(ex), list[Asset]()
    lines = [f"# {ex.label(lang)}: {ex.title(lang)}", ""]
    if ex.lines:
        lines += [t("site.ex.lines", lang, lines=ex.lines), ""]
    lines += axes_lines(doc, verdict, lang)
    if verdict.ledger_name:
        query = f"?exhibit={quote(verdict.ledger_name)}"
        lines += [a(href(doc, "ledger", query=query), t("site.link.rows", lang)), ""]
    for src in ex.sources:
        nb = run.notebook(src.notebook)
        name = a(href(doc, notebook_doc(nb.rel)), src.notebook) if nb else src.notebook
        lines += [f"## {src.notebook}", "", t("site.ex.from", lang, notebook=name), ""]
        for kind, out_name in src.outputs():
            out = run.output(src.notebook, kind, out_name)
            if out is None or not out.files:
                lines += [f"* {t('site.ex.not_written', lang, name=out_name)}", ""]
                continue
            block = (figure_block(doc, out, assets) if kind == "figure"
                     else table_block(doc, out, lang, assets))
            lines += [block, ""]
    return "\n".join(lines) + "\n", assets


def exhibits_index(exhibits: Sequence[Exhibit], verdicts: Sequence[Verdict],
                   lang: str) -> str:
    lines = [f"# {t('site.ex.heading', lang)}", "", t("site.ex.intro", lang), ""]
    for ex, v in zip(exhibits, verdicts, strict=True):
        cls = t(f"site.repl.class.{v.cls}", lang)
        lines.append(f"* {a(href('exhibits/index', exhibit_doc(ex)), ex.label(lang))}: "
                     f"{ex.title(lang)} — *{cls}*")
    names = "\n".join(f"{ex.id}" for ex in exhibits)
    return "\n".join(lines) + f"\n\n```{{toctree}}\n:hidden:\n\n{names}\n```\n"


def ledger_page(ledger: pd.DataFrame, lang: str, exhibit_labels: Mapping[str, str],
                csv_download: str) -> str:
    """The ledger page: what the verdicts mean, the CSV, and the interactive table."""
    return (f"---\nhtml_theme.sidebar_secondary.remove: true\n---\n"
            f"# {t('site.ledger.heading', lang)}\n\n"
            f"{t('ledger_page.intro', lang, n=_count(len(ledger), lang))} "
            f"{{download}}`{t('site.ledger.csv', lang)} <{csv_download}>`\n\n"
            f"```{{raw}} html\n{fragment(ledger, lang, exhibit_labels)}\n```\n")


def replication_page(verdicts: Sequence[Verdict], lang: str, headline: str = "",
                     findings: Sequence[Finding] = ()) -> str:
    """The replication report (:func:`analysis.run.site.replication.markdown`) with each
    exhibit linked to its page and each finding id to the finding."""
    text = markdown(verdicts, lang, headline,
                    links={v.exhibit.id: f"{exhibit_doc(v.exhibit)}.md" for v in verdicts})
    for x in findings:
        text = text.replace(f" {x.id}", " " + findings_page.link("replication", x.id))
    return text
