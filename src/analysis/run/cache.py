"""The content-addressed cache of executed notebooks (``.kaztur-cache/`` or
``$KAZTUR_CACHE_DIR``).

A notebook's key hashes its cells' source (not its stored outputs), its validated
parameters, every file of the ``analysis`` package the kernel imports, every input data
file (the raw files the data package lists, ``data/processed/**``, the source text when
present) and the package versions. A file in ``data/raw/`` that the data package does not
list is no input: ``kaztur verify`` warns about it and it invalidates nothing.

Each entry records the sha256 of every file it holds; an entry is verified before reuse,
and a damaged one (a truncated notebook, a deleted figure) is dropped and re-executed.
Entries are stored atomically (copied into a temporary folder, then renamed).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis.data.io import listed_raw_files, sha256_file

# Bump when the layout of a cache entry or of the executed outputs changes.
PIPELINE_VERSION = "3"  # 3: papermill executes (its records in every executed notebook)
CACHE_ENV = "KAZTUR_CACHE_DIR"
META_FILE = "run.json"
# Files of the package read only by the parent process, never by a notebook: editing them
# need not re-execute notebooks.
INDEX_ONLY_FILES = frozenset({"run/exhibit_map.yaml"})
# Packages whose versions are recorded in the manifest and enter every cache key.
PACKAGES = ("kaztur-analysis", "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
            "seaborn", "pandera", "pyarrow", "papermill", "nbclient", "nbconvert", "nbformat",
            "ipykernel", "jupyter_client", "nbval", "jinja2", "pyyaml")
# Files of data/raw/ that are documentation, not data.
RAW_DOCS = frozenset({"README.md", "datapackage.json"})


def tree_files(folder: Path, exclude: Iterable[str] = ()) -> list[Path]:
    """Files under ``folder``, sorted; hidden files, ``__pycache__`` and ``exclude`` left out."""
    skip = set(exclude)
    out: list[Path] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if (not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc"
                or rel in skip or any(part.startswith(".") for part in Path(rel).parts)):
            continue
        out.append(path)
    return out


def tree_hashes(folder: Path, exclude: Iterable[str] = ()) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in tree_files(folder, exclude)}


def library_dir() -> Path:
    """The ``analysis`` package the kernels import (the installed one, wherever the data is)."""
    import analysis

    return Path(analysis.__file__).resolve().parent


def library_hashes(folder: Path | None = None) -> dict[str, str]:
    """sha256 of every file of the library that notebooks can import."""
    return tree_hashes(folder or library_dir(), INDEX_ONLY_FILES)


def source_dir(root: Path) -> Path:
    """The folder of the source texts, by the rule of :mod:`analysis.config` applied to
    ``root`` (a kernel started with ``KAZTUR_ROOT=root`` resolves it this way)."""
    return Path(os.environ.get("KAZTUR_SOURCE_DIR", root.parent / "shared" / "source"))


def input_hashes(root: Path) -> dict[str, str]:
    """sha256 of every input data file: the data package (``datapackage.json`` and the
    files it lists), ``data/processed/**``, ``data/external/**`` (the official statistics the
    external checks read) and, when present, the source texts."""
    raw = root / "data" / "raw"
    listed = listed_raw_files(raw)
    names = (["datapackage.json", *listed] if listed is not None
             else [p.relative_to(raw).as_posix() for p in tree_files(raw)
                   if p.name not in RAW_DOCS or p.name == "datapackage.json"])
    out: dict[str, str] = {}
    for name in sorted(set(names)):
        path = raw / name
        if path.is_file():
            out[f"data/raw/{name}"] = sha256_file(path)
    for sub in ("processed", "external"):
        for path in tree_files(root / "data" / sub):
            if path.name != "README.md":
                out[path.relative_to(root).as_posix()] = sha256_file(path)
    source = source_dir(root)
    for path in sorted(source.glob("*.txt")) if source.is_dir() else []:
        out[f"source/{path.name}"] = sha256_file(path)
    return out


def package_versions() -> dict[str, str]:
    import importlib.metadata as metadata
    import platform

    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def notebook_code_hash(nb: Mapping[str, Any]) -> str:
    """Hash of what a notebook (``nb``: the parsed file) *does*: cell types, sources
    (markdown included: it is in every report) and tags, and its kernel. Stored outputs,
    execution counts and other metadata are left out, so refreshing the committed outputs
    does not invalidate it."""
    cells = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        tags = sorted(cell.get("metadata", {}).get("tags", []))
        cells.append([cell.get("cell_type"), source, tags])
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    return digest({"cells": cells, "kernel": kernel})


def digest(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(code: str, parameters: Mapping[str, Any], library: Mapping[str, str],
              inputs: Mapping[str, str], versions: Mapping[str, str],
              kernel: str = "kaztur") -> str:
    """The content hash that decides whether a notebook re-executes."""
    return digest({"pipeline": PIPELINE_VERSION, "kernel": kernel, "code": code,
                   "parameters": dict(parameters), "library": dict(library),
                   "inputs": dict(inputs), "versions": dict(versions)})


def cache_root(root: Path) -> Path:
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else root / ".kaztur-cache"


def copy_tree(src: Path, dst: Path) -> None:
    """Copy a folder; hard links are not used so that editing reports/ cannot corrupt the
    cache (and vice versa)."""
    shutil.copytree(src, dst, dirs_exist_ok=True)


def entry_problem(entry: Path) -> str | None:
    """Why a cache entry cannot be trusted (None when every recorded file is intact)."""
    try:
        meta = json.loads((entry / META_FILE).read_text(encoding="utf-8"))
        recorded = dict(meta["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return f"{META_FILE} is missing or unreadable"
    present = tree_hashes(entry, {META_FILE})
    for name, sha in sorted(recorded.items()):
        if name not in present:
            return f"{name} is missing"
        if present[name] != sha:
            return f"{name} does not match its recorded sha256"
    extra = sorted(set(present) - set(recorded))
    if extra:
        return f"{extra[0]} was not part of the entry"
    return None


def results_dir(cache: Path, name: str) -> Path:
    """The folder of ``name``'s cached results, one entry per key below it."""
    return cache / "runs" / name


def lookup(cache: Path, name: str, key: str) -> tuple[Path | None, str | None]:
    """``(entry, None)`` for an intact entry; ``(None, why)`` for a damaged one (which is
    removed); ``(None, None)`` when there is none."""
    entry = results_dir(cache, name) / key
    if not entry.is_dir():
        return None, None
    problem = entry_problem(entry)
    if problem is None:
        return entry, None
    shutil.rmtree(entry, ignore_errors=True)
    return None, problem


def read_meta(entry: Path) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads((entry / META_FILE).read_text(encoding="utf-8"))
    return meta


def store(cache: Path, name: str, key: str, folder: Path, meta: Mapping[str, Any],
          keep: int = 4) -> None:
    """Store a finished folder under its key with the sha256 of each of its files
    (atomically: copy, then rename); keep the ``keep`` most recent entries per name."""
    base = results_dir(cache, name)
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".tmp-{key}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    copy_tree(folder, tmp)
    (tmp / META_FILE).unlink(missing_ok=True)
    record = {**meta, "files": tree_hashes(tmp)}
    (tmp / META_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=1,
                                            sort_keys=True) + "\n", encoding="utf-8")
    target = base / key
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    entries = sorted((p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: (p / META_FILE).stat().st_mtime if (p / META_FILE).exists()
                     else 0, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def last_duration(cache: Path, name: str) -> float:
    """Duration of the longest cached run of ``name`` (0 when never run here)."""
    base = results_dir(cache, name)
    best = 0.0
    if base.is_dir():
        for meta in base.glob(f"*/{META_FILE}"):
            try:
                best = max(best, float(json.loads(meta.read_text())["duration"]))
            except (OSError, ValueError, KeyError, TypeError):
                continue
    return best


def clean_failed(cache: Path, keep: Iterable[str]) -> None:
    """Remove ``failed/`` records except those of ``keep`` (``<lang>/<rel>`` of notebooks
    this run does not touch); the others are rewritten if they fail again."""
    base = cache / "failed"
    if not base.is_dir():
        return
    kept = set(keep)
    for notebook in sorted(base.rglob("*.ipynb")):
        folder = notebook.parent
        if folder.relative_to(base).as_posix() not in kept:
            shutil.rmtree(folder, ignore_errors=True)
    for folder in sorted(base.rglob("*"), reverse=True):  # empty folders left behind
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def clean_temporary(cache: Path) -> None:
    """Remove half-stored entries (``.tmp-*``) of runs that were killed."""
    for tmp in (cache / "runs").glob("*/.tmp-*") if (cache / "runs").is_dir() else []:
        shutil.rmtree(tmp, ignore_errors=True)
