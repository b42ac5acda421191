"""README timings, measured as a new user meets them: from a fresh clone.

    python3 benchmarks/fresh_clone.py [REPO] [--keep]

Clones REPO (default: this checkout) into a temporary folder and times, in that clone:

1. ``make reproduce`` (creates .venv from requirements.lock, verifies, builds processed data,
   runs every notebook in both languages with the ledger), from nothing;
2. ``make test`` (the whole suite, nbval and the browser test included);
3. ``.venv/bin/kaztur run --force`` (a cold run with the environment in place);
4. ``.venv/bin/kaztur run`` (nothing changed: every notebook from the cache).

It prints the machine (CPU model, cores, memory, load average) and one line per step, in a
form that can be pasted into the README. Run it on a quiet machine: on a shared one the
numbers say more about the neighbours. Needs git, make, Python >= 3.11 and network access
to the package index for step 1 (uv installs the locked requirements).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def machine() -> str:
    model, memory = platform.processor() or "unknown CPU", ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GB RAM"
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (f"{os.cpu_count()} cores, {model}{memory}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}; load average at "
            f"start {load[0]:.2f}")


def step(label: str, cmd: list[str], cwd: Path, log: Path) -> float:
    start = time.perf_counter()
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(cmd)}\n")
        out.flush()
        proc = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    elapsed = time.perf_counter() - start
    status = "ok" if proc.returncode == 0 else f"FAILED (exit {proc.returncode}; see {log})"
    print(f"{label:<34}{elapsed:8.1f} s  ({elapsed / 60:.1f} min)  {status}", flush=True)
    if proc.returncode != 0:
        sys.exit(1)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", nargs="?", default=str(REPO))
    parser.add_argument("--keep", action="store_true", help="keep the clone and its log")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="kaztur-fresh-"))
    clone = base / "kaztur-analysis"
    log = base / "fresh_clone.log"
    print(f"machine: {machine()}")
    subprocess.run(["git", "clone", "--quiet", args.repo, str(clone)], check=True)
    env_note = "KAZTUR_SOURCE_DIR" in os.environ or (clone.parent / "shared").is_dir()
    print(f"clone: {clone} (source text {'available' if env_note else 'not available'})")
    try:
        step("make reproduce (from nothing)", ["make", "reproduce"], clone, log)
        step("make test", ["make", "test"], clone, log)
        step("kaztur run --force (cold)", [".venv/bin/kaztur", "run", "--force", "-q"], clone,
             log)
        step("kaztur run (nothing changed)", [".venv/bin/kaztur", "run", "-q"], clone, log)
    finally:
        if args.keep:
            print(f"kept: {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
