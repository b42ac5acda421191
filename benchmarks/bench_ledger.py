"""Benchmark of ``kaztur check`` on scaled synthetic claim sets (issue 14, item 4).

Each scale s (default 1, 10, 30, 100) is a temporary copy of the project whose raw claims
are the shipped ones repeated s times with fresh ids (the same quantity keys, lines and
quotes, so that every copy meets every check that the original meets: restatements,
cross-table comparisons, share lists, parts and wholes, counts, durations). With
``--events`` the dated tellings and enumerated lists are repeated too. Every scale runs
``kaztur check`` in a fresh process; the script prints wall time, the ledger build time,
the peak resident memory, the number of ledger rows, and the growth exponent fitted by
least squares to log(time) against log(rows of input).

Targets: exponent <= 1.2; 30x under 15 s on the 2-core machine.

    python benchmarks/bench_ledger.py [--scales 1 10 30 100] [--events] [--json FILE]

The timings depend on the machine and its load; they are not reference figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.data import manifest

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
ROWS_FILE = "bench_rows.json"  # beside data/ in the scaled copy


def repeat(frame: pd.DataFrame, times: int, id_column: str, *, link: str | None = None
           ) -> pd.DataFrame:
    """``frame`` repeated ``times`` times; copy c > 1 gets ids suffixed ``rNNN`` (in
    ``id_column`` and, for a table that refers to it, in ``link``)."""
    parts = []
    for c in range(1, times + 1):
        part = frame.copy()
        if c > 1:
            for col in {id_column, link} - {None}:
                part[col] = part[col].astype(str) + f"r{c:03d}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def make_project(root: Path, scale: int, events: bool) -> int:
    """A project copy under ``root`` with the claims (and maybe events) scaled; returns
    the number of input rows the ledger reads from the scaled files."""
    shutil.copytree(RAW, root / "data" / "raw")
    # the official statistics the external verdicts read (not scaled: the same series)
    shutil.copytree(REPO / "data" / "external", root / "data" / "external")
    (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n", encoding="utf-8")
    read = {"keep_default_na": False, "dtype": str}
    claims = pd.read_csv(RAW / "text_claims.csv", **read)
    big = repeat(claims, scale, "claim_id")
    big.to_csv(root / "data" / "raw" / "text_claims.csv", index=False)
    rows = len(big)
    if events:
        for name, key in (("ots_events", "event_id"), ("text_dates", "event_id")):
            frame = repeat(pd.read_csv(RAW / f"{name}.csv", **read), scale, key)
            frame.to_csv(root / "data" / "raw" / f"{name}.csv", index=False)
            rows += len(frame)
        enums = pd.read_csv(RAW / "text_enumerations.csv", **read)
        repeat(enums, scale, "claim_id").to_csv(root / "data" / "raw" /
                                                "text_enumerations.csv", index=False)
        rows += len(enums) * scale
    # a deliberate change of the raw files: their checksums are recorded anew, as
    # `kaztur manifest` does (every command verifies them before it reads), and their
    # row counts declared anew (analysis.data.schemas.ROWS, set in the measured process)
    manifest.write(root / "data" / "raw")
    counts = {name: len(pd.read_csv(root / "data" / "raw" / f"{name}.csv", **read))
              for name in ("text_claims", "ots_events", "text_dates", "text_enumerations")}
    (root / ROWS_FILE).write_text(json.dumps(counts), encoding="utf-8")
    return rows


def child(out: str) -> None:
    """In the measured process: ``kaztur check --out OUT``, then report JSON on stdout's
    last line (build time and peak RSS of this process)."""
    from analysis import config
    from analysis.data import schemas
    from analysis.run import cli

    # the scaled files' row counts, declared as a transcription change declares them
    schemas.ROWS.update(json.loads((config.ROOT / ROWS_FILE).read_text(encoding="utf-8")))
    start = time.perf_counter()
    code = cli.main(["check", "--out", out])
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    rows = sum(1 for _ in open(Path(out) / "ledger.csv", encoding="utf-8")) - 1
    print(json.dumps({"code": code, "check_s": elapsed, "peak_mib": peak_kib / 1024,
                      "ledger_rows": rows}))


def measure(scale: int, events: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench_ledger_") as tmp:
        root = Path(tmp) / "project"
        inputs = make_project(root, scale, events)
        env = dict(os.environ, KAZTUR_ROOT=str(root), MPLBACKEND="Agg")
        env.pop("KAZTUR_REPORTS_DIR", None)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--child", str(Path(tmp) / "out")],
                              env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0 or not proc.stdout.strip():
            sys.exit(f"kaztur check failed at {scale}x:\n{proc.stdout[-2000:]}\n"
                     f"{proc.stderr[-4000:]}")
        got = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"scale": scale, "input_rows": inputs, "wall_s": wall, **got}


def exponent(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) on log(x)."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / \
        sum((a - mx) ** 2 for a in lx)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 10, 30, 100])
    ap.add_argument("--events", action="store_true", help="scale events and lists too")
    ap.add_argument("--json", type=Path, help="write the measurements here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    results = []
    print(f"{'scale':>6} {'input':>8} {'ledger':>8} {'wall s':>8} {'check s':>8} {'peak MiB':>9}")
    for s in args.scales:
        r = measure(s, args.events)
        results.append(r)
        print(f"{s:>5}x {r['input_rows']:>8} {r['ledger_rows']:>8} {r['wall_s']:>8.2f} "
              f"{r['check_s']:>8.2f} {r['peak_mib']:>9.0f}", flush=True)
    if len(results) > 1:
        xs = [float(r["input_rows"]) for r in results]
        k_wall = exponent(xs, [r["wall_s"] for r in results])
        k_check = exponent(xs, [r["check_s"] for r in results])
        print(f"fitted growth exponent: wall {k_wall:.2f}, ledger build {k_check:.2f} "
              "(target <= 1.2)")
        at30 = [r for r in results if r["scale"] == 30]
        if at30:
            verdict = "met" if at30[0]["wall_s"] < 15 else "NOT met"
            print(f"30x: {at30[0]['wall_s']:.1f} s wall (target < 15 s: {verdict})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
