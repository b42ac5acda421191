"""``kaztur check``: build the claims ledger, print its summary, write its files.

``kaztur run`` builds the ledger too (in every run whose inputs changed, swapped in with the
rest of ``reports/``); this command rebuilds it on its own, after verifying every input
(``data/raw/`` and ``data/external/``, :mod:`analysis.run.preflight`):
into ``reports/<lang>/`` for both languages, or into ``--out DIR`` (one language,
``--lang``, default kk). Each folder gets

* ``ledger.csv``: the ledger in that language (:func:`analysis.present.ledger_text.frame`:
  the same ids, statuses, lines, printed values and numbers in every language, the texts
  in this one);
* ``ledger.json``: the language-neutral ledger, the same bytes in every folder
  (:func:`analysis.checks.ledger.to_json_text`: what programs read);
* ``findings.csv``: the findings (:mod:`analysis.findings`: the contradicted rows grouped
  into problems, most serious first) in that language
  (:func:`analysis.present.findings_text.frame`);
* ``findings.json``: the language-neutral findings, the same bytes in every folder
  (:func:`analysis.findings.model.to_json_text`).

The last line printed is the headline (:func:`analysis.findings.headline.headline`): the
one set of numbers the site, ``REPLICATION.md`` and the README show too.

The reader's page is the site's (``kaztur site``: :mod:`analysis.run.site.ledger`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis.checks import ledger
from analysis.checks.core import CONTRADICTED
from analysis.checks.ledger import counts, to_json_text
from analysis.data.io import atomic_write_text, table_to_csv_text
from analysis.findings import build as findings_build
from analysis.findings import model as findings_model
from analysis.findings.headline import Headline, headline
from analysis.findings.model import Finding
from analysis.present import findings_text, ledger_text
from analysis.run import preflight, progress, staging
from analysis.run.assignments import LANGUAGES


def reports_dir(out: str | os.PathLike[str] | None = None) -> Path:
    """``--out``, else ``$KAZTUR_REPORTS_DIR``, else ``config.REPORTS_DIR``."""
    if out:
        return Path(out)
    env = os.environ.get("KAZTUR_REPORTS_DIR")
    return Path(env) if env else config.REPORTS_DIR


def summary(table: pd.DataFrame, verbose: bool = False) -> str:
    """The ledger's summary (in English, the command line's language): one line, or
    (verbose) every contradiction too."""
    return ledger_text.summary_text(table, verbose=verbose)


def write(table: pd.DataFrame, folder: Path, lang: str = "kk",
          found: list[Finding] | None = None) -> list[Path]:
    """Write the neutral ledger ``table`` and its findings (``found``, else built here) into
    ``folder`` atomically: ``ledger.csv`` and ``findings.csv`` in ``lang``, ``ledger.json``
    and ``findings.json`` (module docstring); return their paths. The reader's pages are
    the site's (``kaztur site``)."""
    found = findings_build.build(table) if found is None else found
    written = ledger_text.frame(table, lang)
    return [atomic_write_text(folder / "ledger.csv", table_to_csv_text(written)),
            atomic_write_text(folder / "ledger.json", to_json_text(table)),
            atomic_write_text(folder / "findings.csv",
                              table_to_csv_text(findings_text.frame(found, lang))),
            atomic_write_text(folder / "findings.json", findings_model.to_json_text(found))]


def headline_line(h: Headline) -> str:
    """The headline as the command line's last line (English, the command line's
    language)."""
    return findings_text.headline_text(h, "en", "line")


def build_and_write(folders: Mapping[str, Path]) -> dict[str, Any]:
    """Build the ledger and its findings, write them into each ``{lang: folder}``; a
    summary record (with the headline as data)."""
    table = ledger.build()
    found = findings_build.build(table)
    for lang, folder in folders.items():
        write(table, folder, lang, found)
    source, official = ledger.contradiction_counts(table)
    return {"rows": len(table), "counts": counts(table),
            # in the source, and against the official record (external rows)
            "contradictions": source,
            "official_contradictions": official,
            # the run's last line, worded here, where the findings' words are loaded
            # already: the run's parent then ends without importing them (3 s a run)
            "headline_line": headline_line(headline(table, found)),
            "summary": summary(table), "summary_verbose": summary(table, verbose=True)}


def main(args: argparse.Namespace) -> int:
    """``kaztur check [--strict] [--out DIR] [--lang L] [-v]``: verify, build, print, write."""
    show = progress.Lines(sys.stderr, progress.VERBOSE if getattr(args, "verbose", False)
                          else progress.NORMAL, command="check")
    out = getattr(args, "out", None)
    if out or os.environ.get("KAZTUR_REPORTS_DIR"):
        folders = {getattr(args, "lang", None) or "kk": reports_dir(out)}
    else:
        folders = {lang: config.REPORTS_DIR / lang for lang in LANGUAGES}
    # where it writes, then what it reads: both refused before the ledger is built
    staging.require_writable([*folders.values(), staging.lock_folder(config.ROOT)])
    preflight.require_verified(config.ROOT)
    show.note("inputs verified (data/raw/ and data/external/)", progress.VERBOSE)
    built = ledger.build()
    found = findings_build.build(built)
    show.note(f"ledger built ({len(built)} rows); writing it", progress.VERBOSE)
    paths: list[Path] = []
    with staging.project_lock(config.ROOT, "check", lambda m: print(f"kaztur check: {m}",
                                                                    file=sys.stderr)):
        for lang, folder in folders.items():
            paths += write(built, folder, lang, found)
    print(summary(built, verbose=True))
    print("wrote " + ", ".join(str(p) for p in paths))
    print(headline_line(headline(built, found)))
    if getattr(args, "strict", False) and counts(built)[CONTRADICTED]:
        return 1
    return 0
