"""How long `make site` takes: cold, warm (nothing changed) and after one changed notebook.

    .venv/bin/python benchmarks/bench_site.py [--reports reports]

Works on a copy of an existing reports/ folder (run `make reproduce`, or `kaztur run` and
`kaztur check`, first), so the real site is left alone. Prints one line per case:

* cold: no previous build (both languages, Sphinx from scratch, two processes at once);
* warm: the same inputs again (the up-to-date check only);
* one notebook re-run, same content: its executed notebook touched (pages regenerated,
  found identical, no Sphinx run);
* one notebook changed: a cell added to it (both languages rebuilt incrementally: Sphinx
  re-reads the changed page only).

No notebook is executed in any case. Timings depend on the machine and its load: report
them with the machine.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=ROOT / "reports")
    args = parser.parse_args()
    if not (args.reports / "manifest.json").is_file() and not any(
            (args.reports / lang / "manifest.json").is_file() for lang in ("kk", "en")):
        print(f"no run in {args.reports}: run `make reproduce` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "reports"
        shutil.copytree(args.reports, reports, ignore=shutil.ignore_patterns("site"))
        print(f"machine: {os.cpu_count()} cores; {sys.platform}")
        cold, _ = timed(reports)
        warm, out = timed(reports)
        notebook = next(reports.rglob("01_trade.ipynb"))
        os.utime(notebook)
        touched, _ = timed(reports)
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        nb["cells"].append({"cell_type": "markdown", "id": "bench", "metadata": {},
                            "source": "benchmark"})
        notebook.write_text(json.dumps(nb), encoding="utf-8")
        changed, _ = timed(reports)
    print(f"cold (both languages):        {cold:6.1f} s")
    print(f"warm (nothing changed):       {warm:6.1f} s   [{out}]")
    print(f"one notebook re-run, same:    {touched:6.1f} s")
    print(f"one notebook changed:         {changed:6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
