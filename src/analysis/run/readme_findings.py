"""The README's findings block, in Kazakh and English, generated from the shipped data.

    python -m analysis.run.readme_findings                  # print the block
    python -m analysis.run.readme_findings --write-readme   # rewrite it in README.md
    python -m analysis.run.readme_findings --check          # exit 1 when README.md is stale

Why: the README is the first page a reader sees; its counts and findings were typed by
hand and drifted from what the command line and the site said (issue 24). It is rebuilt
here from the ledger and its findings with the same functions as the command line's last
line, the site's front page and ``REPLICATION.md`` (:func:`analysis.findings.headline.
headline`, :func:`analysis.present.findings_text.headline_text`), and ``make lint`` runs
``--check``: a change of data or rules that moves a count fails lint until the README is
rewritten. It reads ``data/raw`` and ``data/external`` only (a clean clone has no
``reports/``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis.findings.headline import Headline
from analysis.findings.model import Finding
from analysis.run import readme_regions

REGION = "findings"
COMMAND = "python -m analysis.run.readme_findings --write-readme"
#: Findings listed per language: the most serious first (the rest: the site and the PDF).
TOP = 8
HEADINGS = {"kk": "Басты мәселелер (қазақша)", "en": "Main findings (English)"}
LANG_ORDER = ("kk", "en")


def _finding_item(f: Finding, lang: str) -> str:
    from analysis.present import findings_text as ft

    return (f"* **{ft.sentence(f.title, lang)}** ({ft.severity_label(f.severity, lang)}; "
            f"{ft.firmness_text(f, lang)}). {ft.sentence(f.statement, lang)}")


def render(h: Headline, findings: Sequence[Finding]) -> str:
    """The region's body: per language, the headline and the most serious findings."""
    from analysis.present import findings_text as ft

    out = [f"<!-- generated from data/raw and data/external by `{COMMAND}`; do not edit "
           "by hand -->", ""]
    for lang in LANG_ORDER:
        out += [f"#### {HEADINGS[lang]}", "", ft.headline_text(h, lang, "paragraph"), ""]
        out += [_finding_item(f, lang) for f in findings[:TOP]]
        out.append("")
    return "\n".join(out)


def build() -> str:
    """The block from the shipped data (the ledger and its findings, built now)."""
    from analysis.checks import ledger
    from analysis.findings import build as findings_build
    from analysis.findings.headline import headline

    table = ledger.build()
    found = findings_build.build(table)
    return render(headline(table, found), found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.run.readme_findings",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--readme", type=Path, default=None, help="default: <root>/README.md")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write-readme", action="store_true")
    group.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    from analysis import config

    body = build()
    if not (args.write_readme or args.check):
        sys.stdout.write(body)
        return 0
    return readme_regions.sync(args.readme or config.ROOT / "README.md", body, REGION,
                               COMMAND, check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
