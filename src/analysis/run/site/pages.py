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

from analysis.present import numbers
from analysis.present.i18n import labels, t
from analysis.present.ledger_text import verdict_label
from analysis.run.exhibit_map import Exhibit
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


def _ledger_lines(f: FrontFacts, run: RunInputs, lang: str, doc: str,
                  exhibit_labels: Mapping[str, str]) -> list[str]:
    c = {k: _count(v, lang) for k, v in f.counts.items()}
    out = [t("site.f.ledger", lang, total=_count(f.total, lang),
             contradicted=c.get("contradicted", "0"), within=c.get("within rounding", "0"),
             reproduced=c.get("reproduced", "0"), untestable=c.get("untestable", "0"))
           + " " + a(href(doc, "ledger"), t("site.link.ledger", lang)), ""]
    if f.contradictions:
        out += [f"### {t('site.f.contradictions', lang)}", ""]
    for x in f.contradictions:
        ex = "; ".join(exhibit_labels.get(e.strip(), e.strip()) for e in x.exhibit.split(";"))
        text = t("site.f.contradiction", lang, lines=", ".join(str(n) for n in x.lines),
                 exhibit=ex, printed=x.printed, recomputed=x.recomputed)
        out.append(f"1. {_esc(text)} {_esc(x.diagnosis)}"
                   f"{source_links(doc, x.source, run, lang)}")
    return [*out, ""]


def _status_lines(f: FrontFacts, lang: str) -> list[str]:
    if not f.missing:
        return [t("site.run.complete", lang), ""]
    return [t("site.run.partial", lang, notebooks=", ".join(f.missing)), ""]


def front_page(run: RunInputs, f: FrontFacts, exhibit_labels: Mapping[str, str],
               toc: str) -> tuple[str, list[Asset]]:
    lang, doc, assets = run.lang, "index", list[Asset]()
    lines = [f"# {t('site.title', lang)}", "", t("site.intro", lang), "",
             *_status_lines(f, lang), f"## {t('site.f.heading', lang)}", ""]
    if f.total:
        lines += _ledger_lines(f, run, lang, doc, exhibit_labels)
    for section, statements in f.sections.items():
        lines += [*_section_head(section, lang),
                  *(_statement_line(doc, s, run, lang) for s in statements), ""]
    if f.external:
        counts = ", ".join(f"{verdict_label(k, lang) if f.keyed else k}: {_count(v, lang)}"
                           for k, v in f.external.items())
        lines += [f"### {t('site.f.external_heading', lang)}", "",
                  t("site.f.external", lang, counts=counts), ""]
    blocks = [figure_block(doc, out, assets) for out in f.figures]
    if any(blocks):
        lines += [f"### {t('site.f.figures', lang)}", "", *blocks, ""]
    return "\n".join(lines) + "\n" + toc, assets


# ---------------------------------------------------------------------------------------
# exhibits, ledger, replication
# ---------------------------------------------------------------------------------------


def exhibit_doc(ex: Exhibit) -> str:
    return f"exhibits/{ex.id}"


def exhibit_page(ex: Exhibit, verdict: Verdict, run: RunInputs) -> tuple[str, list[Asset]]:
    lang, doc, assets = run.lang, exhibit_doc(ex), list[Asset]()
    cls = t(f"site.repl.class.{verdict.cls}", lang)
    lines = [f"# {ex.label(lang)}: {ex.title(lang)}", ""]
    if ex.lines:
        lines += [t("site.ex.lines", lang, lines=ex.lines), ""]
    lines += [t("site.ex.class", lang, cls=cls, reason=verdict.reason(lang)), ""]
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


def replication_page(verdicts: Sequence[Verdict], lang: str) -> str:
    text = markdown(verdicts, lang)
    for v in verdicts:  # exhibit names link to their pages
        label = f"{v.exhibit.label(lang)}: {v.exhibit.title(lang)}"
        cell = label.replace("|", "\\|")
        text = text.replace(f"| {cell} |", f"| [{cell}]({exhibit_doc(v.exhibit)}.md) |", 1)
    return text
