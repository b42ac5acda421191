"""``kaztur site`` (``make site``, ``python -m analysis.run.site``): build the site unless
it is up to date.

    python -m analysis.run.site [--reports DIR] [--lang kk en] [--serial] [--force]

A build is skipped when nothing it reads changed since the last one: the run's files
(:meth:`RunInputs.input_files`, by size and modification time), the site code, templates,
labels and exhibit map (by content), and the installed Sphinx, MyST-NB and theme versions.
The fingerprint is kept in ``reports/site/.build/<lang>/stamp.json``. So ``make site`` after
a warm run costs a fraction of a second. When a run file changed, the pages are
regenerated and Sphinx runs only if a page's text changed (a re-run that wrote the same
notebook costs a few seconds), and then incrementally (it re-reads the changed pages).
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

from analysis import config
from analysis.run.site.inputs import LANGS, SiteInputError, discover

SITE_DIR = "site"
PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/analysis
CODE = ("run/site/*.py", "run/site/*.yaml", "run/site/theme/*/*", "run/exhibit_map.yaml",
        "present/labels/*.yaml", "present/ledger_page.py", "present/numbers.py",
        "checks/core.py", "checks/ledger.py")
TOOLS = ("sphinx", "myst-nb", "myst-parser", "sphinx-book-theme", "pydata-sphinx-theme",
         "django-static-mathjax")


def _versions() -> dict[str, str]:
    out = {}
    for name in TOOLS:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = ""
    return out


def code_fingerprint() -> str:
    """The site code, templates, labels, exhibit map and tool versions, as one hash."""
    items: list[object] = [_versions()]
    for pattern in CODE:
        for path in sorted(PACKAGE_DIR.glob(pattern)):
            items.append([path.relative_to(PACKAGE_DIR).as_posix(),
                          hashlib.sha256(path.read_bytes()).hexdigest()])
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()


def fingerprint(reports: Path, lang: str, code: str | None = None) -> str:
    """What a build of ``lang`` depends on, as one hash (``code``: :func:`code_fingerprint`,
    computed once for both languages)."""
    run = discover(reports, lang)
    items: list[object] = [lang, run.run_lang, str(run.root.resolve()),
                           code or code_fingerprint()]
    for path in sorted(set(run.input_files())):
        st = path.stat()
        items.append([str(path), st.st_size, st.st_mtime_ns])
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()


def _stamp(reports: Path, lang: str) -> dict[str, str]:
    try:
        return json.loads(stamp_path(reports, lang).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def stamp_path(reports: Path, lang: str) -> Path:
    return reports / SITE_DIR / ".build" / lang / "stamp.json"


def up_to_date(reports: Path, lang: str, print_: str) -> bool:
    built = reports / SITE_DIR / lang / "index.html"
    return built.is_file() and _stamp(reports, lang).get("fingerprint") == print_


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kaztur site",
                                     description="Build the replication site (reports/site/, "
                                                 "Kazakh and English) from the executed "
                                                 "notebooks in reports/, unless it is up to "
                                                 "date.")
    parser.add_argument("--reports", type=Path, default=None,
                        help="the run's folder (default: reports/ of the project)")
    parser.add_argument("--lang", nargs="+", choices=LANGS, default=list(LANGS))
    parser.add_argument("--serial", action="store_true", help="one Sphinx build at a time")
    parser.add_argument("--force", action="store_true", help="build even if up to date")
    args = parser.parse_args(argv)
    reports = args.reports or config.REPORTS_DIR
    start = time.perf_counter()
    try:
        code = code_fingerprint()
        prints = {lang: fingerprint(reports, lang, code) for lang in args.lang}
        todo = [lang for lang in args.lang
                if args.force or not up_to_date(reports, lang, prints[lang])]
        if todo:
            # deliberate lazy import: the up-to-date check above needs no pandas or Sphinx
            from analysis.run.site import build

            # same code as the last build: Sphinx runs only where a page's text changed
            same_code = {lang for lang in todo
                         if not args.force and _stamp(reports, lang).get("code") == code}
            build.build(reports, todo, args.serial, unchanged_ok=same_code)
            for lang in todo:
                stamp_path(reports, lang).write_text(json.dumps(
                    {"fingerprint": prints[lang], "code": code}) + "\n", encoding="utf-8")
    except SiteInputError as exc:
        print(f"make site: {exc}", file=sys.stderr)
        return 1
    took = time.perf_counter() - start
    done = ", ".join(todo) if todo else "nothing (up to date)"
    print(f"site: built {done} in {took:.1f} s → {reports / SITE_DIR / 'index.html'}")
    return 0
