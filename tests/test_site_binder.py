"""binder/ read as repo2docker reads it: the requirements follow requirements.lock (the
runtime closure, plus one commented build pin), and postBuild, run offline in a scratch
copy of the repository, writes every file the site's launch links open, in both languages,
with no answer in a student's notebook."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import answer_leaks
import pytest

from analysis import config
from analysis.run import handouts
from analysis.run.site import binder

ROOT = config.ROOT
LOCK = (ROOT / "requirements.lock").read_text(encoding="utf-8")
REQUIREMENTS = ROOT / "binder" / "requirements.txt"


def _pins(text: str) -> dict[str, str]:
    return {binder.normalise(m.group(1)): m.group(2)
            for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", text, re.M)}


def test_binder_files_are_what_the_lock_implies():
    """Fails when requirements.lock changes and binder/ is not regenerated
    (`python -m analysis.run.site.binder`)."""
    for rel, text in binder.expected_files(ROOT).items():
        assert (ROOT / rel).read_text(encoding="utf-8") == text, f"{rel} is stale"


def test_binder_requirements_pin_the_locks_versions_of_the_runtime():
    text = REQUIREMENTS.read_text(encoding="utf-8")
    reqs, lock = _pins(text), _pins(LOCK)
    assert reqs and all(lock.get(name) == ver for name, ver in reqs.items())
    for needed in ("pandas", "statsmodels", "matplotlib", "jupyterlab", "ipykernel",
                   "papermill", "pyyaml", "django-static-mathjax", "tzdata"):
        assert needed in reqs, needed
    for tool in ("pytest", "nbval", "ruff", "mypy", "playwright", "sphinx", "myst-nb",
                 "sphinx-book-theme", "import-linter", "hypothesis"):
        assert tool not in reqs, tool
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime == f"python-{binder.python_version(LOCK)}"


def test_the_one_pin_beyond_the_runtime_is_the_commented_setuptools():
    """repo2docker installs requirements.txt, then postBuild runs `pip install
    --no-build-isolation -e .`: the image's setuptools builds the package, and the SPDX
    licence form of pyproject.toml needs setuptools >= 77. That pin is the one allowed
    exception to "the runtime closure of the lock", said so in a comment above it."""
    text = REQUIREMENTS.read_text(encoding="utf-8")
    runtime = {p.name for p in binder.runtime_pins(LOCK, binder.runtime_roots(
        ROOT / "pyproject.toml"))}
    extra = sorted(set(_pins(text)) - runtime)
    assert extra == ["setuptools"]
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("setuptools=="))
    comment = "\n".join(line for line in lines[:at] if line.startswith("#"))
    assert lines[at - 1].startswith("#") and "no-build-isolation" in comment
    version = tuple(int(x) for x in _pins(text)["setuptools"].split(".")[:2])
    assert version >= (77, 0)
    build = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"setuptools>=77"' in build and 'license = "' in build


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
    with pytest.raises(ValueError, match="setuptools"):
        binder.build_pins(lock)


def test_post_build_makes_a_seminar_room():
    text = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
    assert "ipykernel install --sys-prefix --name kaztur" in text
    assert "kaztur data" in text and "analysis.run.handouts handouts" in text
    assert "pip install --no-deps --no-build-isolation" in text
    assert re.search(r'for lang in kk en; do\n\s+python -m analysis.run.handouts handouts '
                     r'--lang "\$lang"\n', text)
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111


def _launch_urls(monkeypatch) -> dict[str, str]:
    """Every launch link of the site's seminar pages: (teacher/student, language) per
    seminar, as :func:`binder.launch_url` makes them for a repository."""
    monkeypatch.setenv("KAZTUR_BINDER_REPO", "someone/kaztur-analysis")
    binder.settings.cache_clear()
    try:
        return {f"{stem} {who} {lang}": binder.launch_url(stem, who == "student", lang)
                for stem in (p.stem for p in handouts.seminar_notebooks())
                for who in ("teacher", "student") for lang in handouts.LANGS}
    finally:
        binder.settings.cache_clear()


def _opened_path(url: str) -> str:
    """The file a Binder link opens: its ``urlpath``, ``lab/tree/<path>``."""
    urlpath = parse_qs(urlparse(url).query)["urlpath"][0]
    assert urlpath.startswith("lab/tree/"), url
    return unquote(urlpath.removeprefix("lab/tree/"))


def test_launch_links(monkeypatch):
    urls = _launch_urls(monkeypatch)
    assert urls["seminar_01_growth teacher kk"] == (
        "https://mybinder.org/v2/gh/someone/kaztur-analysis/main?urlpath="
        "lab%2Ftree%2Fnotebooks%2Fseminar%2Fseminar_01_growth.ipynb")
    assert _opened_path(urls["seminar_01_growth student en"]) == \
        "reports/handouts/en/seminar_01_growth.ipynb"
    assert _opened_path(urls["seminar_01_growth student kk"]) == \
        "reports/handouts/kk/seminar_01_growth.ipynb"
    with pytest.raises(ValueError, match="lang"):
        binder.launch_path("seminar_01_growth", True, "ru")


@pytest.mark.parametrize("repo", [""])
def test_no_repository_no_link(monkeypatch, repo):
    monkeypatch.setenv("KAZTUR_BINDER_REPO", repo)
    binder.settings.cache_clear()
    try:
        assert binder.launch_url("seminar_01_growth") is None
    finally:
        binder.settings.cache_clear()


# --- postBuild, run offline in a scratch copy ---------------------------------------


def _repository_files() -> list[str]:
    """What a clone holds: git's tracked files and new ones not ignored (falling back to
    the folders the package needs when this is no git checkout)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                                 "--exclude-standard"], cwd=ROOT, capture_output=True,
                                check=True, timeout=60).stdout.decode("utf-8")
        return [rel for rel in listed.split("\0") if rel and (ROOT / rel).is_file()]
    except (OSError, subprocess.SubprocessError):
        keep = ("pyproject.toml", "README.md", "LICENSE", "LICENSE-DATA", "src", "data/raw",
                "data/external", "notebooks", "binder", "jupyter_config")
        return [str(p.relative_to(ROOT)) for top in keep for p in
                ([ROOT / top] if (ROOT / top).is_file() else (ROOT / top).rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts]


def _scratch_environment(env_dir: Path) -> Path:
    """A ``venv --system-site-packages`` that also sees this interpreter's packages (what
    repo2docker installs from binder/requirements.txt: this environment holds the lock's
    versions), so that nothing is downloaded. Returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(env_dir)], check=True, timeout=120)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; "
                           "print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "_kaztur_binder_requirements.pth").write_text("\n".join(sorted(ours)) + "\n",
                                                           encoding="utf-8")
    return python


@pytest.fixture(scope="module")
def binder_image(tmp_path_factory) -> Path:
    """The repository after binder/postBuild ran in it, offline, in a scratch environment:
    the copy's folder (its environment in ``.binder-env``)."""
    base = tmp_path_factory.mktemp("binder")
    repo = base / "repo"
    for rel in _repository_files():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, repo / rel)
    python = _scratch_environment(base / "env")
    pinned = _pins(REQUIREMENTS.read_text(encoding="utf-8"))["setuptools"]
    found = subprocess.run([str(python), "-c", "import setuptools; print(setuptools.__version__)"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert found == pinned, f"the environment's setuptools {found} is not the pinned {pinned}"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KAZTUR_ROOT", "KAZTUR_OUTPUT", "VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(PATH=f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}",
               PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    run = subprocess.run(["bash", str(repo / "binder" / "postBuild")], cwd=base, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (repo / ".binder-env").symlink_to(base / "env")
    return repo


def test_post_build_writes_every_file_a_launch_link_opens(binder_image, monkeypatch):
    """Every seminar's teacher and student link, in both languages, opens a file that
    postBuild made (or the clone holds)."""
    urls = _launch_urls(monkeypatch)
    assert len(urls) == 4 * len(handouts.seminar_notebooks())
    missing = {what: _opened_path(url) for what, url in urls.items()
               if not (binder_image / _opened_path(url)).is_file()}
    assert missing == {}
    for lang in handouts.LANGS:
        for path in (binder_image / "reports" / "handouts" / lang).glob("*.ipynb"):
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            parameters = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
            assert f'lang = "{lang}"' in "".join(parameters[0]["source"]), path


def test_post_build_registers_the_kernel_and_configures_jupyterlab(binder_image):
    env = binder_image / ".binder-env"
    kernel = json.loads((env / "share" / "jupyter" / "kernels" / "kaztur" / "kernel.json")
                        .read_text(encoding="utf-8"))
    assert kernel["display_name"] == "kaztur-analysis (Python 3)"
    assert Path(kernel["argv"][0]).resolve() == (env / "bin" / "python").resolve()
    for rel in ("etc/jupyter/jupyter_server_config.json",
                "etc/jupyter/labconfig/page_config.json",
                "share/jupyter/lab/settings/overrides.json"):
        assert (env / rel).is_file(), rel
    assert any((binder_image / "data" / "processed").glob("*.csv"))
    assert (env / "bin" / "kaztur").is_file()


def test_no_student_binder_notebook_shows_an_answer(binder_image):
    for path in handouts.seminar_notebooks():
        answers = answer_leaks.collect(answer_leaks.load(path), path.stem)
        for lang in handouts.LANGS:
            handout = binder_image / "reports" / "handouts" / lang / path.name
            leaks = answers.leaks(handout.read_text(encoding="utf-8"))
            assert leaks == [], f"{lang}/{path.name} shows answers: {leaks}"
