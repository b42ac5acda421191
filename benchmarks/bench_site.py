"""How long `kaztur site` (`make site`) takes: cold, warm, after a run that executed nothing,
after one notebook changed.

    .venv/bin/python benchmarks/bench_site.py [--reports reports]

Works on a copy of an existing reports/ folder (run `make reproduce`, or `kaztur run`,
first), without its site, so the real site is left alone. The site is built by `kaztur
site` alone (`make reproduce` runs it after `kaztur run`); the benchmark times only that
command, never a notebook. Prints one line per case:

* cold: no previous build (both languages, Sphinx from scratch, two processes at once,
  staging folder, swap);
* warm: the same inputs again (the up-to-date check only);
* one notebook re-run, same content: its executed notebook touched (a new modification
  time: hashed again, found identical, nothing built);
* a run that executed nothing: every file of the run copied anew (new files, same bytes)
  and the manifests' timings changed (nothing built);
* one notebook changed: a cell added to it (its language rebuilt incrementally in the
  staging folder, seeded by hard links: Sphinx re-reads the changed page only, then swap).

Timings depend on the machine and its load: report them with the machine and the load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(reports: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "analysis.run.site", "--reports", str(reports)],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - start, proc.stdout.strip()


def _like_a_run_that_executed_nothing(reports: Path) -> float:
    """What a ``kaztur run`` that executed nothing leaves: the same bytes in new files (from
    the cache) and manifests with new timings; the time of the site build after it."""
    for lang in ("kk", "en"):
        folder = reports / lang
        fresh = folder.with_name(f"{lang}.fresh")
        shutil.copytree(folder, fresh)  # new files, same content, same modification times
        shutil.rmtree(folder)
        fresh.rename(folder)
        manifest = folder / "manifest.json"
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["run"] = {**data.get("run", {}), "start": "later", "duration": 1.0}
        manifest.write_text(json.dumps(data), encoding="utf-8")
    took, _ = timed(reports)
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=ROOT / "reports")
    args = parser.parse_args()
    if not any((args.reports / lang / "manifest.json").is_file() for lang in ("kk", "en")):
        print(f"no run in {args.reports}: run `make reproduce` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "reports"
        shutil.copytree(args.reports, reports,
                        ignore=shutil.ignore_patterns("site", ".site-*", "index.html"))
        print(f"machine: {os.cpu_count()} cores; {sys.platform}")
        cold, _ = timed(reports)
        warm, out = timed(reports)
        notebook = next(reports.glob("kk/01_trade/01_trade.ipynb"))
        os.utime(notebook)
        touched, _ = timed(reports)
        noop = _like_a_run_that_executed_nothing(reports)
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        nb["cells"].append({"cell_type": "markdown", "id": "bench", "metadata": {},
                            "source": "benchmark"})
        notebook.write_text(json.dumps(nb), encoding="utf-8")
        changed, _ = timed(reports)
    print(f"cold (both languages):        {cold:6.1f} s")
    print(f"warm (nothing changed):       {warm:6.1f} s   [{out}]")
    print(f"one notebook re-run, same:    {touched:6.1f} s")
    print(f"a run that executed nothing:  {noop:6.1f} s")
    print(f"one notebook changed:         {changed:6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
