"""Zero-install seminars: the ``binder/`` files, derived from the lock file, and launch links.

Binder (repo2docker) reads ``binder/requirements.txt``, ``binder/runtime.txt`` and runs
``binder/postBuild``. The requirements are the *runtime* dependencies of the package (the
closure of ``[project] dependencies`` in ``requirements.lock``, following uv's ``# via``
annotations), pinned to the lock's versions, without the test, lint and site tools; one
commented exception follows them: the build backend (setuptools, at the lock's version),
because postBuild installs the package without build isolation and pyproject.toml's SPDX
licence form needs setuptools >= 77, newer than some images carry::

    python -m analysis.run.site.binder            # rewrite binder/requirements.txt, runtime.txt
    python -m analysis.run.site.binder --check    # exit 1 when they do not follow the lock

The site's launch links open what postBuild writes: the teacher's notebook
``notebooks/seminar/<stem>.ipynb``, or the student's handout
``reports/handouts/<lang>/<stem>.ipynb`` in the page's language.
``tests/test_site_binder.py`` fails when the files drift from the lock, and runs postBuild
offline in a scratch copy to see every launch link's file appear.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import yaml

from analysis import config

SETTINGS = Path(__file__).with_name("site.yaml")
HEADER = ("# generated from requirements.lock by `python -m analysis.run.site.binder`: the\n"
          "# runtime dependencies of kaztur-analysis at the lock's versions (do not edit)\n")
BUILD_HEADER = ("# not a runtime dependency: the build backend, at the lock's version, for\n"
                "# postBuild's `pip install --no-build-isolation -e .` (pyproject.toml's SPDX\n"
                "# licence form needs setuptools >= 77)\n")
#: Build requirements (``[build-system] requires``) pinned after the runtime ones.
BUILD_TOOLS = ("setuptools",)
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")
_SELF = "kaztur-analysis (pyproject.toml)"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    via: tuple[str, ...]  # normalised names of the packages that need it, or _SELF


def parse_lock(text: str) -> list[Pin]:
    """The pins of a ``uv pip compile`` lock file with their ``# via`` parents."""
    pins: list[Pin] = []
    name = version = None
    via: list[str] = []
    in_via = False
    for line in text.splitlines() + [""]:
        m = _PIN.match(line)
        stripped = line.strip()
        if m or not stripped:
            if name and version:
                pins.append(Pin(normalise(name), version, tuple(via)))
            name, version, via, in_via = (m.group(1), m.group(2), [], False) if m \
                else (None, None, [], False)
            continue
        if stripped.startswith("# via"):
            rest = stripped.removeprefix("# via").strip()
            via += [rest] if rest else []
            in_via = True
        elif in_via and stripped.startswith("#   "):
            via.append(stripped.removeprefix("#").strip())
    return [Pin(p.name, p.version, tuple(v if v == _SELF else normalise(v) for v in p.via))
            for p in pins]


def runtime_roots(pyproject: Path) -> set[str]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    deps = data["project"]["dependencies"]
    return {normalise(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in deps}


def runtime_pins(lock: str, roots: set[str]) -> list[Pin]:
    """The pins the runtime dependencies need (fixpoint over the ``via`` graph)."""
    pins = parse_lock(lock)
    needed = {p.name for p in pins if p.name in roots}
    changed = True
    while changed:
        changed = False
        for p in pins:
            if p.name not in needed and any(v in needed for v in p.via):
                needed.add(p.name)
                changed = True
    return sorted((p for p in pins if p.name in needed), key=lambda p: p.name)


def python_version(lock: str) -> str:
    found = re.search(r"--python-version\s+(\d+\.\d+)", lock)
    if not found:
        raise ValueError("requirements.lock does not say its --python-version")
    return found.group(1)


def build_pins(lock: str) -> list[Pin]:
    """The lock's pins of :data:`BUILD_TOOLS` (an error when the lock lacks one)."""
    pins = {p.name: p for p in parse_lock(lock)}
    missing = [name for name in BUILD_TOOLS if name not in pins]
    if missing:
        raise ValueError(f"requirements.lock does not pin {', '.join(missing)} "
                         "(a dev dependency in pyproject.toml)")
    return [pins[name] for name in BUILD_TOOLS]


def expected_files(root: Path) -> dict[str, str]:
    """``binder/requirements.txt`` and ``binder/runtime.txt`` as the lock implies them."""
    lock = (root / "requirements.lock").read_text(encoding="utf-8")
    pins = runtime_pins(lock, runtime_roots(root / "pyproject.toml"))
    reqs = (HEADER + "".join(f"{p.name}=={p.version}\n" for p in pins) + BUILD_HEADER
            + "".join(f"{p.name}=={p.version}\n" for p in build_pins(lock)))
    return {"binder/requirements.txt": reqs,
            "binder/runtime.txt": f"python-{python_version(lock)}\n"}


@lru_cache(maxsize=1)
def settings() -> dict[str, str]:
    data = yaml.safe_load(SETTINGS.read_text(encoding="utf-8")) or {}
    binder = {str(k): str(v or "") for k, v in (data.get("binder") or {}).items()}
    binder["repository"] = os.environ.get("KAZTUR_BINDER_REPO", binder.get("repository", ""))
    return binder


def launch_path(stem: str, student: bool = False, lang: str = "kk") -> str:
    """The file a launch link opens: the teacher's seminar notebook, or the student's
    handout in ``lang`` that ``binder/postBuild`` writes."""
    if lang not in ("kk", "en"):
        raise ValueError(f"lang must be kk or en, got {lang!r}")
    return (f"reports/handouts/{lang}/{stem}.ipynb" if student
            else f"notebooks/seminar/{stem}.ipynb")


def launch_url(stem: str, student: bool = False, lang: str = "kk") -> str | None:
    """Binder link that opens :func:`launch_path` in JupyterLab; None without a repository."""
    s = settings()
    if not s.get("repository"):
        return None
    path = launch_path(stem, student, lang)
    return (f"{s['hub'].rstrip('/')}/v2/gh/{s['repository']}/{quote(s.get('ref') or 'main')}"
            f"?urlpath={quote('lab/tree/' + path, safe='')}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.run.site.binder",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = []
    for rel, text in expected_files(config.ROOT).items():
        path = config.ROOT / rel
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        if args.check:
            stale.append(rel)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"binder: wrote {rel}")
    if stale:
        print(f"binder: {', '.join(stale)} do not follow requirements.lock; run "
              "`python -m analysis.run.site.binder`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
