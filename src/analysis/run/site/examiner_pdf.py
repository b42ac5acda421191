"""The examiner's report as a PDF, one per language, typeset offline with typst.

Why typst: it installs from PyPI with its fonts (the wheel embeds Libertinus Serif, which
covers Kazakh Cyrillic), compiles in a fraction of a second without TeX or a browser, and
gives the same bytes for the same source (``date: none``: no creation time in the file).

The report holds, in the page's language: the headline (:mod:`analysis.findings.headline`),
every finding with its lines, arithmetic, severity and why, firm or debatable, cause and
proposed corrections (:mod:`analysis.present.findings_text`), the replication report on its
three axes (:mod:`analysis.run.site.replication`) and the method (the grouping, severity
and firmness rules). It is built from the run's files only (``reports/<lang>/``:
``findings.json``, ``ledger.json``, the manifest and results), like the site:

* ``kaztur site`` (``make reproduce``, ``make site``) puts it in the site (``_files/``, linked
  from every page) and writes ``reports/examiner_report_<lang>.pdf``;
* ``python -m analysis.run.site.examiner_pdf [--reports DIR] [--lang kk en]`` (``make pdf``)
  writes only the PDFs.

Every text is given to typst as a string literal (:func:`lit`), so no character of the
source can be read as markup.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from analysis.findings.headline import Headline
from analysis.findings.model import Finding
from analysis.present import findings_text as ft
from analysis.present.i18n import t
from analysis.run.site.replication import Verdict

FONT = "Libertinus Serif"
FILE = "examiner_report_{lang}.pdf"

__all__ = ["FILE", "compile_pdf", "lit", "main", "report_for", "typst_source"]


def lit(text: str) -> str:
    """``text`` as a typst string literal in markup (``#("…")``): nothing in it is markup."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'#("{escaped}")'


def _bold_markdown(text: str) -> str:
    """The headline's ``**…**`` as typst strong text, the rest literal."""
    parts = text.split("**")
    return "".join(f"#strong[{lit(p)}]" if i % 2 else lit(p) for i, p in enumerate(parts)
                   if p)


def _term(label: str, text: str) -> str:
    return f"/ {lit(label)}: {lit(text)}\n" if text else ""


def _finding(n: int, f: Finding, lang: str) -> str:
    head = (f"=== {lit(f'{n}. ' + ft.sentence(f.title, lang))}\n\n"
            f"{lit(ft.sentence(f.statement, lang))}\n\n")
    fitting = "; ".join(f"{ft.cause_name(c.key, lang)}: {ft.say(c.evidence, lang)}"
                        for c in f.causes if c.fits) or t("findings.cause.none", lang)
    quotes = "; ".join(f"{c.id} ({ft.lines_text([c.line], lang)}): «{c.quote_kk}»"
                       for c in f.conclusions)
    terms = "".join([
        _term(t("findings.page.id", lang), f.id),
        _term(t("findings.page.lines", lang), ft.lines_text(f.lines, lang)),
        _term(t("findings.page.scope", lang), ft.scope_label(f.scope, lang)),
        _term(t("findings.page.arithmetic", lang), ft.sentence(f.arithmetic, lang)),
        _term(t("findings.page.severity", lang), ft.severity_text(f, lang)),
        _term(t("findings.page.conclusions", lang), quotes),
        _term(t("findings.page.firmness", lang), ft.firmness_text(f, lang)),
        _term(t("findings.page.cause", lang), fitting),
        _term(t("findings.page.corrections", lang), "; ".join(
            ft.sentence(c.phrase, lang) for c in f.corrections)),
        _term(t("findings.page.rows", lang), str(len(f.rows)))])
    return head + terms + "\n"


def _cell(text: str) -> str:
    return f"[{lit(text)}]"


def _replication(verdicts: Sequence[Verdict], lang: str) -> str:
    head = [t(f"site.repl.col.{c}", lang) for c in ("exhibit", "class", "consistent",
                                                     "record")]
    cells = [f"table.header({', '.join(f'[*{lit(h)}*]' for h in head)})"]
    for v in verdicts:
        ex = v.exhibit
        cls = f"{t('site.repl.class.' + v.cls, lang)}: {v.reason(lang)}"
        cells += [_cell(f"{ex.label(lang)}: {ex.title(lang)}" + (f" ({ex.lines})"
                                                                  if ex.lines else "")),
                  _cell(cls), _cell(v.consistency_text(lang)), _cell(v.record_text(lang))]
    return ("#set text(size: 8pt)\n#table(columns: (2fr, 2fr, 2fr, 2fr), inset: 4pt, "
            "stroke: 0.4pt + luma(160),\n  " + ",\n  ".join(cells) + ")\n"
            "#set text(size: 10pt)\n")


def typst_source(lang: str, head: Headline | None, findings: Sequence[Finding],
                 verdicts: Sequence[Verdict]) -> str:
    """The report's typst source in ``lang`` (module docstring)."""
    title = t("findings.pdf.title", lang)
    parts = [f'#set document(title: "{title}", date: none)\n',
             "#set page(paper: \"a4\", margin: (x: 2cm, y: 2cm), numbering: \"1\")\n",
             f'#set text(font: "{FONT}", size: 10pt, lang: "{lang}", ligatures: false)\n',
             "#set par(justify: true)\n#set heading(numbering: none)\n",
             f"= {lit(title)}\n\n{lit(t('findings.pdf.subtitle', lang))}\n\n"]
    if head is not None:
        parts.append(_bold_markdown(ft.headline_text(head, lang, "paragraph")) + "\n\n")
    parts.append(f"== {lit(t('findings.page.list_heading', lang))}\n\n")
    parts += [_finding(n, f, lang) for n, f in enumerate(findings, 1)]
    parts.append(f"== {lit(t('site.repl.title', lang))}\n\n{lit(t('site.repl.intro', lang))}"
                 "\n\n" + _replication(verdicts, lang) + "\n")
    parts.append(f"== {lit(t('findings.pdf.method', lang))}\n\n")
    for key in ("grouping", "severity", "firmness", "causes"):
        parts.append(_bold_markdown(t(f"findings.page.rule.{key}", lang)) + "\n\n")
    parts.append(lit(t("findings.pdf.colophon", lang)) + "\n")
    return "".join(parts)


def compile_pdf(source: str) -> bytes:
    """Typeset ``source`` with typst's embedded fonts only (offline, the same bytes for the
    same source)."""
    import typst

    out = typst.compile(source.encode("utf-8"), format="pdf", ignore_system_fonts=True)
    if not isinstance(out, bytes):
        raise RuntimeError("typst returned no PDF")
    return out


def report_for(reports: Path, lang: str) -> bytes:
    """The report of the run in ``reports/`` in ``lang``, as PDF bytes."""
    # deliberate lazy imports: the run's files are read only when a report is wanted
    from analysis.run import exhibit_map
    from analysis.run.site import front_facts, replication
    from analysis.run.site.inputs import discover

    run = discover(reports, lang)
    neutral = front_facts.neutral_ledger(run)
    facts_ = front_facts.collect(run, neutral)
    verdicts = replication.classify_all(exhibit_map.load(), run, neutral, facts_.findings)
    return compile_pdf(typst_source(lang, facts_.headline, facts_.findings, verdicts))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis.run.site.examiner_pdf``: write the PDFs into ``reports/``."""
    from analysis import config
    from analysis.data.io import atomic_write_bytes
    from analysis.run.site.inputs import LANGS, SiteInputError

    p = argparse.ArgumentParser(prog="python -m analysis.run.site.examiner_pdf",
                                description="Typeset the examiner's report (PDF) of the run "
                                            "in reports/, one per language.")
    p.add_argument("--reports", type=Path, default=None)
    p.add_argument("--lang", nargs="+", choices=LANGS, default=list(LANGS))
    args = p.parse_args(argv)
    reports = (args.reports or config.REPORTS_DIR).resolve()
    for lang in args.lang:
        start = time.perf_counter()
        try:
            data = report_for(reports, lang)
        except SiteInputError as exc:
            print(f"examiner_pdf: {exc}", file=sys.stderr)
            return 1
        path = atomic_write_bytes(reports / FILE.format(lang=lang), data)
        print(f"examiner_pdf: wrote {path} ({len(data) // 1024} KiB) in "
              f"{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
