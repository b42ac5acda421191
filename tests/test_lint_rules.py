"""The lint rules bite: import contracts generated from the package tree
(tools/lint_layers.py) and the radon complexity cap (tools/lint_complexity.py), each tried on
a scratch copy of the tree with one deliberate breach."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _lint_layers(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "tools" / "lint_layers.py"), "--root",
                           str(root)], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def scratch_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """src/analysis and pyproject.toml copied once; each test adds a file and removes it."""
    root = tmp_path_factory.mktemp("lint") / "project"
    shutil.copytree(REPO / "src" / "analysis", root / "src" / "analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def _with_module(root: Path, rel: str, code: str):
    path = root / "src" / "analysis" / rel
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return path


def test_the_scratch_tree_passes_as_it_is(scratch_tree):
    proc = _lint_layers(scratch_tree)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(("rel", "code", "says"), [
    # a new data module that imports the presentation layer: layers broken
    ("data/new_loader.py", "from analysis.present import numbers\n", "BROKEN"),
    # a new analysis that imports another analysis: independence broken
    ("analyses/new_topic.py", "from analysis.analyses import trade\n", "BROKEN"),
    # a new analysis that draws
    ("analyses/new_chart.py", "import matplotlib\n", "BROKEN"),
    # a new top-level module that belongs to no layer
    ("stray.py", "X = 1\n", "in 0 layers"),
])
def test_a_new_module_that_breaks_a_rule_fails_lint(scratch_tree, rel, code, says):
    """Guard: the contracts are generated from the tree, so a module nobody listed is covered
    the moment it exists."""
    path = _with_module(scratch_tree, rel, code)
    try:
        proc = _lint_layers(scratch_tree)
    finally:
        path.unlink()
    assert proc.returncode != 0
    assert says in proc.stdout + proc.stderr
    assert rel.removesuffix(".py").replace("/", ".") in proc.stdout + proc.stderr


def test_complexity_is_counted_as_radon_counts_it(tmp_path):
    """Guard: boolean operators count (ruff's McCabe count leaves them out), so a condition
    chained 15 times fails the cap of 15."""
    conds = " and ".join(f"x{i}" for i in range(16))
    args = ", ".join(f"x{i}" for i in range(16))
    source = tmp_path / "chained.py"
    source.write_text(f"def chained({args}):\n    return {conds}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "lint_complexity.py"), "--max",
                           "15", str(source)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "chained has complexity 16" in proc.stderr
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "C901",
                           "--config", "lint.mccabe.max-complexity = 15", str(source)],
                          capture_output=True, text=True, timeout=60)
    assert ruff.returncode == 0, "ruff's count would let it through: the reason for radon"
