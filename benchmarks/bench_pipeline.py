"""Benchmark of ``kaztur run`` at equal core counts, against the floor and against the loop
a user would otherwise type.

Measured in one invocation, on a temporary copy of the project (data/raw and notebooks; the
library is the installed package) with an empty, temporary cache. Every notebook runs in
both languages (what ``kaztur run`` does by default), everywhere:

* floor(1):  one plain Python process running the notebooks' own code cells, in order,
  with the library imported once: the same analysis, the same figures rendered to PNG as
  the inline backend renders them (each displayed figure, and each still open at the end
  of a cell), the same rich representations, the same figure and table files. It does
  not pay for kernels, nbclient, HTML, hashing, copying.
* floor(N):  the same work split over N such processes (longest first onto the least
  loaded), run at once; its time is the slowest process.
* cold(1):   ``kaztur run --force --jobs 1``, pinned to the floor(1)'s one core;
* cold(N):   ``kaztur run --force --jobs N`` on the N cores of floor(N);
* loop(1):   ``papermill`` once per notebook and language, then ``jupyter nbconvert --to
  html`` on each result: what a user would type; executed notebooks and HTML only (no
  reader pages, figure/table files, manifest, hashes, index, ledger); one core.
* fresh(N):  ``kaztur run --force --jobs N`` with ``KAZTUR_FRESH_KERNELS=1``: every kernel
  started from its kernel spec as papermill's default engine starts one, instead of forked
  from the run's warm template; cold(N) / fresh(N) is what the template saves.
* warm:      ``kaztur run`` again with nothing changed (every notebook from the cache).

Targets (issue 10): cold(1) <= 1.5 x floor(1), cold(N) <= 1.5 x floor(N), cold(1) < loop(1).
Machine load changes everything: numbers from a shared machine are provisional.

    python benchmarks/bench_pipeline.py [--jobs N] [--skip-loop] [--json FILE]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.run.discovery import discover, python_source
from analysis.run.pipeline import copy_project

REPO = Path(__file__).resolve().parents[1]
LANGS = ("kk", "en")
BIN = Path(sys.executable).parent


def _pinned(cores: list[int]):
    def pin() -> None:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, set(cores))

    return pin


def timed(cmd: list[str], env: dict[str, str], cores: list[int], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          preexec_fn=_pinned(cores))
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return elapsed


def env_for(root: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ, KAZTUR_ROOT=str(root), KAZTUR_CACHE_DIR=str(cache),
               PYTHONHASHSEED="0")
    env.pop("KAZTUR_OUTPUT_DIR", None)
    return env


def kaztur(root: Path, cache: Path, cores: list[int], *args: str, **env: str) -> float:
    return timed([sys.executable, "-m", "analysis.run.cli", *args],
                 {**env_for(root, cache), **env}, cores, root)


# --------------------------------------------------------------------------- the floor


def _rich_reprs(value) -> None:
    """What the kernel's display formatters compute for a value: for a figure, the inline
    backend's PNG (IPython's own ``print_figure``, as its ``image/png`` formatter calls it);
    for anything else its rich representations and its repr."""
    if value is None:
        return
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    if isinstance(value, Figure):
        print_figure(value, "png", bbox_inches="tight")
        return
    for method in ("_repr_html_", "_repr_markdown_", "_repr_latex_", "_repr_svg_"):
        fn = getattr(value, method, None)
        if callable(fn):
            try:
                fn()
            except Exception:  # a formatter that fails is skipped, as in IPython
                pass
    repr(value)


def _render_open_figures() -> None:
    """The inline backend's end-of-cell work: each open figure to PNG, then closed."""
    import matplotlib.pyplot as plt

    for number in plt.get_fignums():
        _rich_reprs(plt.figure(number))
    plt.close("all")


def _cell_code(source: str) -> tuple[ast.Module, ast.Expression | None]:
    """A cell as a module plus its last expression (which the kernel displays)."""
    tree = ast.parse(python_source(source))
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    return tree, last


def floor_run(root: Path, out: Path, work: list[str]) -> dict[str, float]:
    """Run the given ``lang/stem`` items (default parameters, that language) here."""
    import matplotlib

    matplotlib.use("Agg")
    import IPython.display

    def display(*objs, **kwargs):
        for obj in objs:
            _rich_reprs(obj)

    IPython.display.display = display  # the notebooks import it from here
    by_stem = {nb.stem: nb for nb in discover(root / "notebooks")}
    times = {}
    for item in work:
        lang, stem = item.split("/")
        nb = by_stem[stem]
        start = time.perf_counter()
        cells = json.loads(nb.path.read_text(encoding="utf-8"))["cells"]
        os.environ["KAZTUR_OUTPUT_DIR"] = str(out / lang / nb.rel)
        os.chdir(nb.path.parent)
        namespace: dict = {"__name__": "__main__", "display": display}
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = cell["source"]
            source = "".join(source) if isinstance(source, list) else source
            body, last = _cell_code(source)
            exec(compile(body, nb.path.name, "exec"), namespace)
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                namespace["lang"] = lang
            if last is not None:
                _rich_reprs(eval(compile(last, nb.path.name, "eval"), namespace))
            _render_open_figures()
        times[item] = time.perf_counter() - start
    return times


def floor(root: Path, out: Path, groups: list[list[str]], cores: list[int]
          ) -> tuple[float, dict[str, float]]:
    """Run each group in its own process, all at once, on ``cores``; wall time and the
    per-item times."""
    env = dict(os.environ, KAZTUR_ROOT=str(root), MPLBACKEND="Agg", PYTHONHASHSEED="0")
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, __file__, "--floor-run", str(root),
                               str(out / f"g{i}"), *group], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, preexec_fn=_pinned(cores))
             for i, group in enumerate(groups)]
    times: dict[str, float] = {}
    for proc in procs:
        stdout, stderr = proc.communicate()
        if proc.returncode != 0:
            sys.exit(f"floor failed:\n{stdout[-2000:]}\n{stderr[-4000:]}")
        times.update(json.loads(stdout.strip().splitlines()[-1]))
    return time.perf_counter() - start, times


def split(times: dict[str, float], n: int) -> list[list[str]]:
    """Longest first onto the least loaded of ``n`` groups."""
    groups: list[list[str]] = [[] for _ in range(n)]
    loads = [0.0] * n
    for item, t in sorted(times.items(), key=lambda kv: -kv[1]):
        i = loads.index(min(loads))
        groups[i].append(item)
        loads[i] += t
    return [g for g in groups if g]


# --------------------------------------------------------------------------- the loop


def loop(root: Path, out: Path, work: list[str], cores: list[int]) -> float:
    """papermill per notebook and language, then nbconvert --to html on each."""
    env = env_for(root, out / "cache")
    by_stem = {nb.stem: nb for nb in discover(root / "notebooks")}
    start = time.perf_counter()
    for item in work:
        lang, stem = item.split("/")
        nb = by_stem[stem]
        target = out / lang / f"{stem}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(BIN / "papermill"), str(nb.path), str(target), "-k", "kaztur",
                        "-p", "lang", lang, "--cwd", str(nb.path.parent), "--no-progress-bar"],
                       env=env, check=True, capture_output=True, preexec_fn=_pinned(cores))
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(target)],
                       env=env, check=True, capture_output=True, preexec_fn=_pinned(cores))
    return time.perf_counter() - start


# --------------------------------------------------------------------------- main


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
            f"{platform.system()}{load}")


def _row(label: str, value: float, note: str = "") -> None:
    print(f"{label:<46}{value:8.2f} s  {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=None, help="N (default: all cores)")
    parser.add_argument("--skip-loop", action="store_true", help="skip papermill+nbconvert")
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    parser.add_argument("--floor-run", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_run:
        root, out, *work = args.floor_run
        print(json.dumps(floor_run(Path(root), Path(out), work)))
        return 0

    n = args.jobs or os.cpu_count() or 1
    one, cores = [0], list(range(n))
    with tempfile.TemporaryDirectory(prefix="kaztur-bench-") as tmp:
        tmp_path = Path(tmp)
        root = copy_project(tmp_path / "project", REPO)
        cache = tmp_path / "cache"
        kaztur(root, cache, cores, "data")
        work = [f"{lang}/{nb.stem}" for lang in LANGS for nb in discover(root / "notebooks")]
        print(f"machine: {machine()}")
        print(f"work: {len(work)} notebook runs ({len(work) // len(LANGS)} notebooks x "
              f"{len(LANGS)} languages)")
        r: dict[str, float] = {}
        r["floor1"], times = floor(root, tmp_path / "floor1", [work], one)
        _row("floor(1)  one process, same work", r["floor1"])
        r[f"floor{n}"], _ = floor(root, tmp_path / "floorN", split(times, n), cores)
        _row(f"floor({n})  the same split over {n} processes", r[f"floor{n}"])
        r["cold1"] = kaztur(root, cache, one, "run", "--force", "--jobs", "1", "-q")
        _row("cold(1)   kaztur run --force --jobs 1", r["cold1"],
             f"ratio to floor(1) {r['cold1'] / r['floor1']:.2f} (target <= 1.5)")
        r[f"cold{n}"] = kaztur(root, cache, cores, "run", "--force", "--jobs", str(n), "-q")
        _row(f"cold({n})   kaztur run --force --jobs {n}", r[f"cold{n}"],
             f"ratio to floor({n}) {r[f'cold{n}'] / r[f'floor{n}']:.2f} (target <= 1.5)")
        r[f"fresh{n}"] = kaztur(root, cache, cores, "run", "--force", "--jobs", str(n), "-q",
                                KAZTUR_FRESH_KERNELS="1")
        _row(f"fresh({n})  the same, kernels started from the kernel spec", r[f"fresh{n}"],
             f"cold({n}) / fresh({n}) {r[f'cold{n}'] / r[f'fresh{n}']:.2f}: what the "
             "template saves")
        r["warm"] = kaztur(root, cache, cores, "run", "-q")
        _row("warm      kaztur run, nothing changed", r["warm"])
        if not args.skip_loop:
            r["loop1"] = loop(root, tmp_path / "loop", work, one)
            _row("loop(1)   papermill + nbconvert per notebook", r["loop1"],
                 f"cold(1)/loop(1) {r['cold1'] / r['loop1']:.2f} (target < 1)")
        if args.json:
            args.json.write_text(json.dumps({"machine": machine(), "jobs": n, **r}, indent=2)
                                 + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
