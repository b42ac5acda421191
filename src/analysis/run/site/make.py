"""``make site`` (``python -m analysis.run.site``): build the site unless it is up to date.

    python -m analysis.run.site [--reports DIR] [--lang kk en] [--serial] [--force]

A build is skipped when nothing it reads changed since the last one: the run's files
(:meth:`RunInputs.input_files`, by size and modification time), the site code, templates,
labels and exhibit map (by content), and the installed Sphinx, MyST-NB and theme versions.
The fingerprint is kept in ``reports/site/.build/<lang>/stamp.json``. So ``make site`` after
a warm run costs a fraction of a second; a changed input rebuilds that language
(incrementally: Sphinx re-reads only changed pages).
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
CODE = ("run/site/*.py", "run/site/*.yaml", "run/site/theme/*/*", "run/exhibits.yaml",
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


def fingerprint(reports: Path, lang: str) -> str:
    """What a build of ``lang`` depends on, as one hash."""
    run = discover(reports, lang)
    items: list[object] = [lang, run.run_lang, str(run.root.resolve()), _versions()]
    for path in sorted(set(run.input_files())):
        st = path.stat()
        items.append([str(path), st.st_size, st.st_mtime_ns])
    for pattern in CODE:
        for path in sorted(PACKAGE_DIR.glob(pattern)):
            items.append([path.relative_to(PACKAGE_DIR).as_posix(),
                          hashlib.sha256(path.read_bytes()).hexdigest()])
    return hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()


def stamp_path(reports: Path, lang: str) -> Path:
    return reports / SITE_DIR / ".build" / lang / "stamp.json"


def up_to_date(reports: Path, lang: str, print_: str) -> bool:
    stamp = stamp_path(reports, lang)
    built = reports / SITE_DIR / lang / "index.html"
    if not (stamp.is_file() and built.is_file()):
        return False
    try:
        return json.loads(stamp.read_text(encoding="utf-8")).get("fingerprint") == print_
    except ValueError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.run.site",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=None,
                        help="the run's folder (default: reports/ of the project)")
    parser.add_argument("--lang", nargs="+", choices=LANGS, default=list(LANGS))
    parser.add_argument("--serial", action="store_true", help="one Sphinx build at a time")
    parser.add_argument("--force", action="store_true", help="build even if up to date")
    args = parser.parse_args(argv)
    reports = args.reports or config.REPORTS_DIR
    start = time.perf_counter()
    try:
        prints = {lang: fingerprint(reports, lang) for lang in args.lang}
        todo = [lang for lang in args.lang
                if args.force or not up_to_date(reports, lang, prints[lang])]
        if todo:
            # deliberate lazy import: the up-to-date check above needs no pandas or Sphinx
            from analysis.run.site import build

            build.build(reports, todo, args.serial)
            for lang in todo:
                stamp_path(reports, lang).write_text(
                    json.dumps({"fingerprint": prints[lang]}) + "\n", encoding="utf-8")
    except SiteInputError as exc:
        print(f"make site: {exc}", file=sys.stderr)
        return 1
    took = time.perf_counter() - start
    done = ", ".join(todo) if todo else "nothing (up to date)"
    print(f"site: built {done} in {took:.1f} s → {reports / SITE_DIR / 'index.html'}")
    return 0
