"""binder/: the Binder files follow requirements.lock, and the launch links are right."""

from __future__ import annotations

import re

import pytest

from analysis import config
from analysis.run.site import binder

ROOT = config.ROOT
LOCK = (ROOT / "requirements.lock").read_text(encoding="utf-8")


def _pins(text: str) -> dict[str, str]:
    return {binder.normalise(m.group(1)): m.group(2)
            for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", text, re.M)}


def test_binder_files_are_what_the_lock_implies():
    """Fails when requirements.lock changes and binder/ is not regenerated
    (`python -m analysis.run.site.binder`)."""
    for rel, text in binder.expected_files(ROOT).items():
        assert (ROOT / rel).read_text(encoding="utf-8") == text, f"{rel} is stale"


def test_binder_requirements_pin_the_locks_versions_of_the_runtime():
    reqs = _pins((ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8"))
    lock = _pins(LOCK)
    assert reqs and all(lock.get(name) == ver for name, ver in reqs.items())
    for needed in ("pandas", "statsmodels", "matplotlib", "jupyterlab", "ipykernel",
                   "papermill", "pyyaml", "django-static-mathjax", "tzdata"):
        assert needed in reqs, needed
    for tool in ("pytest", "nbval", "ruff", "mypy", "playwright", "sphinx", "myst-nb",
                 "sphinx-book-theme", "import-linter", "hypothesis"):
        assert tool not in reqs, tool
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime == f"python-{binder.python_version(LOCK)}"


def test_runtime_closure_follows_via_annotations():
    lock = """# uv pip compile pyproject.toml --python-version 3.11
a==1.0 \\
    --hash=sha256:00
    # via kaztur-analysis (pyproject.toml)
b==2.0
    # via
    #   a
    #   devtool
c==3.0
    # via devtool
devtool==4.0
    # via kaztur-analysis (pyproject.toml)
"""
    names = [p.name for p in binder.runtime_pins(lock, {"a"})]
    assert names == ["a", "b"]
    assert binder.python_version(lock) == "3.11"


def test_post_build_makes_a_seminar_room():
    text = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
    assert "ipykernel install --sys-prefix --name kaztur" in text
    assert "kaztur data" in text and "analysis.run.handouts handouts" in text
    assert "pip install --no-deps" in text
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111


def test_launch_links(monkeypatch):
    monkeypatch.setenv("KAZTUR_BINDER_REPO", "someone/kaztur-analysis")
    binder.settings.cache_clear()
    try:
        teacher = binder.launch_url("seminar_01_growth")
        student = binder.launch_url("seminar_01_growth", student=True)
    finally:
        binder.settings.cache_clear()
    assert teacher == ("https://mybinder.org/v2/gh/someone/kaztur-analysis/main?urlpath="
                       "lab%2Ftree%2Fnotebooks%2Fseminar%2Fseminar_01_growth.ipynb")
    assert student.endswith("lab%2Ftree%2Freports%2Fhandouts%2Fseminar_01_growth.ipynb")


@pytest.mark.parametrize("repo", [""])
def test_no_repository_no_link(monkeypatch, repo):
    monkeypatch.setenv("KAZTUR_BINDER_REPO", repo)
    binder.settings.cache_clear()
    try:
        assert binder.launch_url("seminar_01_growth") is None
    finally:
        binder.settings.cache_clear()
