"""The site's own pages as MyST Markdown: front page (findings), exhibits, ledger, report.

Each function returns page text; the numbers in it come from :mod:`.findings`,
:mod:`.replication` and the run's saved files, formatted by the one number formatter
(:mod:`analysis.present.numbers`). Links to other pages are relative ``.html`` addresses
computed from document names (:func:`href`), so they work from ``file://``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from pathlib import Path
from typing import cast
from urllib.parse import quote

import pandas as pd

from analysis.present import numbers
from analysis.present.i18n import labels, t
from analysis.present.ledger_page import fragment
from analysis.run.exhibit_map import Exhibit
from analysis.run.site.findings import Findings, Growth, Source
from analysis.run.site.inputs import Output, RunInputs
from analysis.run.site.replication import Verdict, markdown

MAX_TABLE_ROWS = 60  # longer tables: the first rows, and the whole CSV as a download
FRONT_FIGURES = (("01_trade", "k7_trade_trend"), ("04_survey", "survey_feasible_n_strip"),
                 ("05_checks", "checks_status_counts"))


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


def a(url: str, text: str) -> str:
    return f'<a href="{url}">{_esc(text)}</a>'


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def source_links(doc: str, src: Source, run: RunInputs, lang: str) -> str:
    """``(notebook cell · ledger row)`` after a number."""
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
# relabelling: a table saved in one language, shown in the other
# ---------------------------------------------------------------------------------------


def relabel(text: str, run_lang: str, lang: str) -> str:
    """``text`` (a label in ``run_lang``) in ``lang``: the label whose ``run_lang`` text it
    is, preferring column headers; unchanged when no label matches (or same language)."""
    if run_lang == lang:
        return text
    hits = [k for k, v in labels().items() if v[run_lang] == text]
    if not hits:
        return text
    hits.sort(key=lambda k: (".col." not in k, k))
    return t(hits[0], lang)


def _num(value: float | None, lang: str, decimals: int = 0, group: bool = True) -> str:
    """:func:`analysis.present.numbers.number` (typed for ``Real``, which mypy does not
    match with ``float``)."""
    return numbers.number(cast(Real, value), lang, decimals, group)


def _plain(header: str, value: str) -> bool:
    year_like = re.fullmatch(r"(1[89]|20)\d\d", value) is not None
    return year_like or re.search(r"жыл|year|line|жол|^n$", header, re.I) is not None


def localise_cell(header: str, value: str, lang: str) -> str:
    """A saved CSV value as the site's language writes it (numbers only; text unchanged)."""
    if not re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
        return value
    decimals = len(value.split(".")[1]) if "." in value else 0
    return _num(float(value), lang, decimals, group=not _plain(header, value))


def table_csv(path: Path, run_lang: str, lang: str, max_rows: int = MAX_TABLE_ROWS
              ) -> tuple[str, int]:
    """The table as CSV text for ``{csv-table}`` (headers and numbers in ``lang``, at most
    ``max_rows`` rows) and the number of rows of the whole table."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    heads = [relabel(str(c), run_lang, lang) for c in frame.columns]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(heads)
    for row in frame.head(max_rows).itertuples(index=False):
        writer.writerow([localise_cell(h, relabel(str(v), run_lang, lang), lang)
                         for h, v in zip(heads, row, strict=True)])
    return buf.getvalue(), len(frame)


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


def table_block(doc: str, out: Output, run: RunInputs, assets: list[Asset]) -> str:
    path = out.file(".csv")
    if path is None:
        return ""
    text, total = table_csv(path, run.run_lang, run.lang)
    target = f"_files/{out.notebook}/{out.name}.{run.lang}.csv"
    assets.append(Asset(None, target, text))
    download = f"_files/{out.notebook}/{path.name}"
    assets.append(Asset(path, download))
    up = "../" * doc.count("/")
    more = ""
    if total > MAX_TABLE_ROWS:
        more = (f"\n{t('site.f.missing', run.lang, what=f'{MAX_TABLE_ROWS}/{total}')} "
                f"{{download}}`{path.name} <{up}{download}>`\n")
    return (f":::{{csv-table}} {out.caption}\n:file: {up}{target}\n:header-rows: 1\n"
            f":class: kaztur-table\n:::\n{more}")


# ---------------------------------------------------------------------------------------
# the front page
# ---------------------------------------------------------------------------------------


def _pct(value: float | None, lang: str) -> str:
    return numbers.percent(cast(Real, value), lang, 1)


def growth_line(g: Growth, run: RunInputs, lang: str) -> str:
    method = relabel(g.method, run.run_lang, lang)
    if g.low is not None and g.high is not None:
        return t("site.f.growth_interval", lang, method=method, rate=_pct(g.rate, lang),
                 level=g.level or "?", low=_pct(g.low, lang), high=_pct(g.high, lang))
    return t("site.f.growth_rate", lang, method=method, rate=_pct(g.rate, lang))


def _ledger_section(f: Findings, run: RunInputs, lang: str, doc: str,
                    exhibit_labels: Mapping[str, str]) -> list[str]:
    c = f.counts
    out = [t("site.f.ledger", lang, total=f.total, contradicted=c.get("contradicted", 0),
             within=c.get("within rounding", 0), reproduced=c.get("reproduced", 0),
             untestable=c.get("untestable", 0))
           + source_links(doc, f.ledger_source, run, lang), ""]
    if f.contradictions:
        out += [f"### {t('site.f.contradictions', lang)}", ""]
    for x in f.contradictions:
        ex = "; ".join(exhibit_labels.get(e.strip(), e.strip()) for e in x.exhibit.split(";"))
        lines = ", ".join(str(n) for n in x.lines)
        text = t("site.f.contradiction", lang, lines=lines, exhibit=ex, printed=x.printed,
                 recomputed=x.recomputed)
        out.append(f"1. {text} {x.diagnosis}{source_links(doc, x.source, run, lang)}")
    return [*out, ""]


def front_page(run: RunInputs, f: Findings, lang: str,
               exhibit_labels: Mapping[str, str], toc: str) -> tuple[str, list[Asset]]:
    doc, assets = "index", list[Asset]()
    lines = [f"# {t('site.title', lang)}", "", t("site.intro", lang), ""]
    if run.run_lang != lang:
        lines += [t("site.run_lang_note", lang, run=t(f"site.lang.{run.run_lang}", lang),
                    code=lang), ""]
    lines += [f"## {t('site.f.heading', lang)}", ""]
    if f.total:
        lines += _ledger_section(f, run, lang, doc, exhibit_labels)
    if f.survey is not None:
        lines += [f"### {t('site.f.survey_heading', lang)}", "",
                  t("site.f.survey", lang, n=_num(f.survey.smallest, lang),
                    count=_num(f.survey.count, lang))
                  + source_links(doc, f.survey.source, run, lang), ""]
    if f.growth:
        lines += [f"### {t('site.f.growth_heading', lang)}", "", t("site.f.growth_note", lang),
                  ""]
        for series in dict.fromkeys(g.series for g in f.growth):
            items = [g for g in f.growth if g.series == series]
            parts = "; ".join(growth_line(g, run, lang) for g in items)
            lines.append(f"* **{relabel(series, run.run_lang, lang)}**: {parts}"
                         + source_links(doc, items[0].source, run, lang))
        lines.append("")
    if f.external:
        counts = ", ".join(f"{k}: {v}" for k, v in f.external.items())
        lines += [f"### {t('site.f.external_heading', lang)}", "",
                  t("site.f.external", lang, counts=counts), ""]
    figures = [run.output(stem, "figure", name) for stem, name in FRONT_FIGURES]
    blocks = [figure_block(doc, out, assets) for out in figures if out is not None]
    if blocks:
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
                     else table_block(doc, out, run, assets))
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


def ledger_page(ledger: pd.DataFrame, lang: str, exhibit_labels: Mapping[str, str]) -> str:
    return (f"---\nhtml_theme.sidebar_secondary.remove: true\n---\n"
            f"# {t('site.ledger.heading', lang)}\n\n"
            f"{t('ledger_page.intro', lang, n=len(ledger))}\n\n"
            f"```{{raw}} html\n{fragment(ledger, lang, exhibit_labels)}\n```\n")


def replication_page(verdicts: Sequence[Verdict], lang: str) -> str:
    text = markdown(verdicts, lang)
    for v in verdicts:  # exhibit names link to their pages
        label = f"{v.exhibit.label(lang)}: {v.exhibit.title(lang)}"
        cell = label.replace("|", "\\|")
        text = text.replace(f"| {cell} |", f"| [{cell}]({exhibit_doc(v.exhibit)}.md) |", 1)
    return text
