"""Benchmark of ``kaztur run`` against the floor of the same work done in one plain process.

Measured in one invocation, on a temporary copy of the project (data/raw and notebooks; the
library is the installed package) with an empty, temporary cache:

* cold:   ``kaztur run --force``: every notebook executed, HTML and reports built;
* warm:   ``kaztur run`` again with nothing changed (every notebook from the cache);
* param:  ``kaztur run -f`` with ``01_trade: {ci_level: 0.9}``: one notebook re-executed;
* floor:  one plain Python process running the notebooks' own code cells, in order, with the
  library imported once: the same analysis functions, the same figures rendered with Agg
  (as the inline backend does at the end of each cell), the same rich representations of
  displayed values computed, the same figure and table files written. What it does not pay
  for is exactly the pipeline's overhead: kernels, papermill, nbconvert, hashing, copying.

Targets (issue 3): cold <= 2.5 x floor; warm <= 1 s.

    python benchmarks/bench_pipeline.py [--repeat N] [--jobs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.run.pipeline import copy_project

REPO = Path(__file__).resolve().parents[1]


def kaztur(root: Path, cache: Path, *args: str) -> float:
    env = dict(os.environ, KAZTUR_ROOT=str(root), KAZTUR_CACHE_DIR=str(cache))
    env.pop("KAZTUR_OUTPUT_DIR", None)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "analysis.run.cli", *args], cwd=root, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"kaztur {' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    return elapsed


def floor(root: Path, out: Path) -> float:
    env = dict(os.environ, KAZTUR_ROOT=str(root), MPLBACKEND="Agg", PYTHONHASHSEED="0")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--floor-run", str(root), str(out)],
                          env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"floor failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return elapsed


# --------------------------------------------------------------------------- the floor


def _rich_reprs(value) -> None:
    """What the kernel's display formatters compute for a value."""
    if value is None:
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
        fig = plt.figure(number)
        fig.canvas.print_figure(io.BytesIO(), format="png", bbox_inches="tight")
    plt.close("all")


def _cell_code(source: str) -> tuple[ast.Module, ast.Expression | None]:
    """A cell as a module plus its last expression (which the kernel displays)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    return tree, last


def floor_run(root: Path, out: Path) -> None:
    """Run every notebook's code cells (default parameters) in this one process."""
    import matplotlib

    matplotlib.use("Agg")
    import IPython.display

    def display(*objs, **kwargs):
        for obj in objs:
            _rich_reprs(obj)

    IPython.display.display = display  # the notebooks import it from here
    sys.path.insert(0, str(REPO / "src"))
    from analysis.run.pipeline import discover

    for nb in discover(root / "notebooks"):
        cells = json.loads(nb.path.read_text(encoding="utf-8"))["cells"]
        os.environ["KAZTUR_OUTPUT_DIR"] = str(out / nb.rel)
        os.chdir(nb.path.parent)
        namespace: dict = {"__name__": "__main__", "display": display}
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            source = cell["source"]
            source = "".join(source) if isinstance(source, list) else source
            body, last = _cell_code(source)
            exec(compile(body, nb.path.name, "exec"), namespace)
            if last is not None:
                _rich_reprs(eval(compile(last, nb.path.name, "eval"), namespace))
            _render_open_figures()


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
    python = platform.python_version()
    return f"{os.cpu_count()} cores, {model}, Python {python}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of warm and floor")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    parser.add_argument("--floor-run", nargs=2, metavar=("ROOT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_run:
        floor_run(Path(args.floor_run[0]), Path(args.floor_run[1]))
        return 0

    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory(prefix="kaztur-bench-") as tmp:
        tmp_path = Path(tmp)
        root = copy_project(tmp_path / "project", REPO)
        cache = tmp_path / "cache"
        kaztur(root, cache, "data")
        print(f"machine: {machine()}")
        results: dict[str, float | list[float]] = {}

        results["cold"] = kaztur(root, cache, "run", "--force", *jobs)
        print(f"cold   kaztur run --force           {results['cold']:7.2f} s")
        warm = [kaztur(root, cache, "run", *jobs) for _ in range(args.repeat)]
        results["warm_all"] = warm
        results["warm"] = statistics.median(warm)
        print(f"warm   kaztur run (no change)        {results['warm']:7.2f} s  "
              f"(median of {', '.join(f'{w:.2f}' for w in warm)})")
        params = tmp_path / "params.yaml"
        params.write_text("01_trade:\n  ci_level: 0.9\n", encoding="utf-8")
        results["param"] = kaztur(root, cache, "run", "-f", str(params), *jobs)
        print(f"param  kaztur run, 01_trade ci=0.9   {results['param']:7.2f} s")
        floors = [floor(root, tmp_path / f"floor-{i}") for i in range(args.repeat)]
        results["floor_all"] = floors
        results["floor"] = min(floors)
        print(f"floor  one process, same work       {results['floor']:7.2f} s  "
              f"(best of {', '.join(f'{f:.2f}' for f in floors)})")
        cold_ratio = results["cold"] / results["floor"]
        print(f"ratio  cold / floor                 {cold_ratio:7.2f}    (target <= 2.5)")
        print(f"ratio  param / floor                {results['param'] / results['floor']:7.2f}")
        warm_ok = "met" if results["warm"] <= 1 else "NOT met"
        print(f"warm   target <= 1 s                 {warm_ok}")
        print(f"cold   target                        {'met' if cold_ratio <= 2.5 else 'NOT met'}")
        if args.json:
            args.json.write_text(json.dumps({"machine": machine(), **results,
                                             "cold_over_floor": cold_ratio}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
