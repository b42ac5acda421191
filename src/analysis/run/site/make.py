"""``kaztur site`` (``make site``, ``python -m analysis.run.site``): build the site, crash-only,
unless it is up to date.

    kaztur site [--reports DIR] [--lang kk en] [--serial] [--force]

A build is skipped when nothing it reads changed since the last one: what the site shows of
the run (:meth:`RunInputs.content` and every file it reads, by content: a ``kaztur run`` that
executed nothing rewrites the same bytes and does not count as a change), the site code,
templates, catalogs, labels and exhibit map, the findings and the examiner's report's code,
and the installed Sphinx, MyST-NB, theme and typst versions. The fingerprint is kept with the
site (``reports/site/.build/<lang>/stamp.json``, with the files' hashes by size and
modification time, so an unchanged file is not read again). So ``make site`` after a warm
run costs a fraction of a second. When a run file changed, the pages (and the examiner's
report) are regenerated and Sphinx runs only if a page changed, and then incrementally;
after a change of the site's code every page is rebuilt.

The build itself (:mod:`.build`) works in a staging folder and swaps in only a complete site,
under the project's lock (one ``kaztur`` command at a time writes ``reports/``). Errors end
in one message and exit status 1 (bad or missing run files, a Sphinx error, a full disk, a
read-only folder); a signal stops the ``sphinx-build`` children and exits 130 or 143
(:func:`analysis.run.cli.main`). In every case the previous site stays as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from analysis import config
from analysis.run.site.inputs import LANGS, SiteInputError, discover

SITE_DIR = "site"
BUILD = ".build"
PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/analysis
CODE = ("run/site/*.py", "run/site/*.yaml", "run/site/theme/**/*.*", "run/site/locale/*/*/*.po",
        "run/exhibit_map.yaml", "run/exhibit_map.py",
        "present/labels/*.yaml", "present/numbers.py", "present/results.py",
        "present/findings_text.py", "present/ledger_text.py", "findings/*.py",
        "checks/core.py", "checks/ledger.py")
TOOLS = ("sphinx", "myst-nb", "myst-parser", "sphinx-book-theme", "pydata-sphinx-theme",
         "django-static-mathjax", "babel", "typst")


def _versions() -> dict[str, str]:
    out = {}
    for name in TOOLS:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = ""
    return out


def code_fingerprint() -> str:
    """The site code, templates, catalogs, labels, exhibit map and tool versions, as one
    hash."""
    items: list[object] = [_versions()]
    for pattern in CODE:
        for path in sorted(PACKAGE_DIR.glob(pattern)):
            items.append([path.relative_to(PACKAGE_DIR).as_posix(),
                          hashlib.sha256(path.read_bytes()).hexdigest()])
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()


def file_hash(path: Path, known: dict[str, Any], seen: dict[str, Any]) -> str:
    """``path``'s sha256, taken from ``known`` (the last stamp's) when its size and
    modification time are unchanged; recorded in ``seen`` for the next stamp."""
    st = path.stat()
    key = str(path)
    old = known.get(key)
    if isinstance(old, list) and old[:2] == [st.st_size, st.st_mtime_ns]:
        sha = str(old[2])
    else:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    seen[key] = [st.st_size, st.st_mtime_ns, sha]
    return sha


def fingerprint(reports: Path, lang: str, code: str, known: dict[str, Any] | None = None
                ) -> tuple[str, dict[str, Any]]:
    """What a build of ``lang`` depends on, as one hash, and the file hashes it used."""
    run = discover(reports, lang)
    seen: dict[str, Any] = {}
    items: list[object] = [lang, str(reports.resolve()), code, run.content()]
    manifest = run.root / "manifest.json"  # its timings change with every run
    for path in sorted(set(run.input_files()) - {manifest}):
        items.append([path.relative_to(reports).as_posix(), file_hash(path, known or {}, seen)])
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest(), seen


def stamp_path(reports: Path, lang: str) -> Path:
    return reports / SITE_DIR / BUILD / lang / "stamp.json"


def read_stamp(reports: Path, lang: str) -> dict[str, Any]:
    try:
        data = json.loads(stamp_path(reports, lang).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def up_to_date(reports: Path, lang: str, print_: str) -> bool:
    built = reports / SITE_DIR / lang / "index.html"
    return built.is_file() and read_stamp(reports, lang).get("fingerprint") == print_


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kaztur site",
                                description="Build the replication site (reports/site/, "
                                            "Kazakh and English) from the executed notebooks "
                                            "in reports/, unless it is up to date; "
                                            "reports/index.html leads to it.")
    p.add_argument("--reports", type=Path, default=None,
                   help="the run's folder (default: reports/ of the project)")
    p.add_argument("--lang", nargs="+", choices=LANGS, default=list(LANGS))
    p.add_argument("--serial", action="store_true", help="one Sphinx build at a time")
    p.add_argument("--force", action="store_true", help="rebuild every page")
    return p


def _build(reports: Path, langs: Sequence[str], serial: bool, force: bool) -> list[str]:
    """Under the lock: what is out of date, built; the languages built (empty: none)."""
    code = code_fingerprint()
    stamps: dict[str, dict[str, Any]] = {}
    for lang in langs:
        known = read_stamp(reports, lang)
        print_, files = fingerprint(reports, lang, code, known.get("files"))
        stamps[lang] = {"fingerprint": print_, "code": code, "files": files}
    todo = [lang for lang in langs
            if force or not up_to_date(reports, lang, stamps[lang]["fingerprint"])]
    outside = ["index.html", "REPLICATION.md",
               *(f"examiner_report_{lang}.pdf" for lang in langs)]
    if not todo and all((reports / name).is_file() for name in outside):
        return []
    # deliberate lazy import: the up-to-date check above needs no pandas or Sphinx
    from analysis.run.site import build

    if not todo:
        build.finish(reports)  # the files outside site/, should a run have removed them
        return []
    fresh = force or any(read_stamp(reports, lang).get("code") != code for lang in todo)
    return build.build(reports, todo, {lang: stamps[lang] for lang in todo}, serial=serial,
                       fresh=fresh)


def main(argv: Sequence[str] | None = None) -> int:
    """``kaztur site``; exit status 0 or 1 (signals: see :func:`analysis.run.cli.main`)."""
    from analysis.run import staging
    from analysis.run.exits import os_error_message

    args = parser().parse_args(argv)
    reports = (args.reports or config.REPORTS_DIR).resolve()
    start = time.perf_counter()
    try:
        # found before any work: the swap would replace reports/site/ and the files beside
        # it (a read-only site folder used to cost a whole build, then EBUSY at the swap)
        staging.require_writable([reports, reports / SITE_DIR])
        with staging.project_lock(reports.parent, "site",
                                  lambda m: print(f"kaztur site: {m}", file=sys.stderr)):
            built = _build(reports, args.lang, args.serial, args.force)
    except SiteInputError as exc:
        print(f"kaztur site: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kaztur site: {os_error_message('site', exc)}", file=sys.stderr)
        return 1
    took = time.perf_counter() - start
    done = ", ".join(built) if built else "nothing (up to date)"
    print(f"site: built {done} in {took:.1f} s → {reports / 'index.html'}")
    return 0
