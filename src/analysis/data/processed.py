"""``data/processed/``: every dataset as the analyses read it, built once per input change.

Why: validating the raw transcription (pandera rules, keys, completeness) and reshaping it
into the derived tables is the same work for every notebook, every kernel and every check.
``kaztur data`` (and ``kaztur run``, when it finds the folder out of date) does it once,
from verified raw files, and writes each dataset twice: ``<name>.csv`` for people and
``<name>.parquet`` for programs. :func:`analysis.data.datasets.load` then reads the Parquet
file, with no re-validation, as long as the folder is *current*:

* ``stamp.json`` records what the folder was built from: the sha256 of
  ``data/raw/datapackage.json`` and of every raw file it lists, a digest of the code that
  builds the datasets (the modules of :mod:`analysis.data`) and the versions of pandas and
  pyarrow; and, per dataset, its column types and the sha256 of its two files.
* The folder is current when all of that still holds (:func:`problem` says why not). A
  changed raw file, a change to the data code, or a processed file edited by hand makes it
  stale, and ``load`` falls back to building the dataset from ``data/raw/`` (validated) —
  slower, never wrong. ``kaztur run`` rebuilds a stale folder before any notebook starts,
  so its kernels always read it.

The column types are recorded because Parquet stores text columns as strings, which pandas
reads back with its string type; ``load`` gives each column the type the build gave it, so
a dataset read from here equals the one built from ``data/raw/`` (tested).
"""

from __future__ import annotations

import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import config
from analysis.data.io import (
    atomic_write_bytes,
    atomic_write_text,
    listed_raw_files,
    sha256_file,
    table_to_csv_text,
)

if TYPE_CHECKING:
    import pandas as pd

STAMP = "stamp.json"
#: Layout of ``stamp.json``; a stamp of another version is stale.
VERSION = 1
#: The files of the folder that document it (kept across builds, never stamped).
DOCS = ("README.md", ".gitkeep")


def _raw_files(raw_dir: Path) -> list[Path]:
    """The descriptor and the files it lists (read without pandas: a run whose inputs did
    not change asks whether the folder is current without loading it). A file the data
    package does not list is read by no command and stamps nothing; an unreadable
    descriptor (the pre-check names its fault) stamps every CSV file."""
    listed = listed_raw_files(raw_dir)
    if listed is None:
        listed = sorted(p.name for p in raw_dir.glob("*.csv")) if raw_dir.is_dir() else []
    return [raw_dir / "datapackage.json", *(raw_dir / name for name in listed)]


def _code_files() -> list[Path]:
    return sorted(Path(__file__).parent.glob("*.py"))


def _versions() -> dict[str, str]:
    import importlib.metadata as metadata

    return {name: metadata.version(name) for name in ("pandas", "pyarrow")}


def built_from(raw_dir: Path | None = None) -> dict[str, Any]:
    """What a build from ``raw_dir`` (default ``data/raw/``) depends on: the raw files'
    sha256 (``None`` for a missing one), the data code's digest, the library versions."""
    raw_dir = raw_dir or config.RAW_DIR
    code = hashlib.sha256()
    for path in _code_files():
        code.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return {"raw": {f"data/raw/{p.relative_to(raw_dir).as_posix()}":
                    sha256_file(p) if p.is_file() else None for p in _raw_files(raw_dir)},
            "code": code.hexdigest(), "versions": _versions()}


def write(frames: dict[str, pd.DataFrame], folder: Path,
          inputs: dict[str, Any] | None = None) -> list[Path]:
    """Write every dataset of ``frames`` into ``folder`` (CSV and Parquet), then the stamp
    (last: a folder without its stamp is never current); ``inputs``: :func:`built_from`,
    taken *before* the frames were built. Returns the files written."""
    inputs = built_from() if inputs is None else inputs
    written: list[Path] = []
    datasets: dict[str, Any] = {}
    for name, frame in sorted(frames.items()):
        parquet = io.BytesIO()
        frame.to_parquet(parquet, index=False, engine="pyarrow")
        files = [atomic_write_text(folder / f"{name}.csv", table_to_csv_text(frame)),
                 atomic_write_bytes(folder / f"{name}.parquet", parquet.getvalue())]
        datasets[name] = {"dtypes": {str(c): str(t) for c, t in frame.dtypes.items()},
                          "files": {p.name: sha256_file(p) for p in files}}
        written += files
    stamp = {"version": VERSION, **inputs, "datasets": datasets}
    text = json.dumps(stamp, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    return [*written, atomic_write_text(folder / STAMP, text)]


def _fingerprint(folder: Path, raw_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Size and modification time of every file :func:`problem` reads: when none changed,
    its last answer stands (so a notebook's tenth ``load`` does not hash the folder again)."""
    paths = [folder / STAMP, *_raw_files(raw_dir), *_code_files()]
    if folder.is_dir():
        paths += sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".parquet"))
    out = []
    for path in paths:
        try:
            st = path.stat()
            out.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(path), -1, -1))
    return tuple(out)


def problem(folder: Path | None = None, raw_dir: Path | None = None) -> str | None:
    """Why ``folder`` (default ``data/processed/``) is not a current build of ``raw_dir``
    (default ``data/raw/``), in one sentence; ``None`` when it is."""
    folder, raw_dir = folder or config.PROCESSED_DIR, raw_dir or config.RAW_DIR
    return _problem(folder, raw_dir, _fingerprint(folder, raw_dir))


@lru_cache(maxsize=16)
def _problem(folder: Path, raw_dir: Path, _: tuple[tuple[str, int, int], ...]) -> str | None:
    where = "data/processed/"
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{where} has not been built (no {STAMP}; `kaztur data` builds it)"
    except (OSError, ValueError) as exc:
        return f"{where}{STAMP} cannot be read ({exc})"
    if not isinstance(stamp, dict) or stamp.get("version") != VERSION:
        return f"{where}{STAMP} is not of version {VERSION}"
    now = built_from(raw_dir)
    changed = [name for name, sha in now["raw"].items()
               if stamp.get("raw", {}).get(name) != sha]
    if changed:
        return f"{where} was built from other raw files ({changed[0]} has changed since)"
    if stamp.get("code") != now["code"]:
        return f"{where} was built by another version of the data code (analysis.data)"
    if stamp.get("versions") != now["versions"]:
        return f"{where} was built with other library versions ({stamp.get('versions')})"
    for entry in stamp.get("datasets", {}).values():
        for file, sha in sorted(entry.get("files", {}).items()):
            path = folder / file
            if not path.is_file() or sha256_file(path) != sha:
                return f"{where}{file} was changed or removed after it was built"
    return None


def read(name: str, folder: Path | None = None) -> pd.DataFrame | None:
    """Dataset ``name`` from a current ``folder`` (default ``data/processed/``), with the
    column types it was built with; ``None`` when the folder is not current or does not
    hold it (the caller builds it from ``data/raw/``)."""
    folder = folder or config.PROCESSED_DIR
    if problem(folder) is not None:
        return None
    path = folder / f"{name}.parquet"
    try:
        st = path.stat()
    except OSError:
        return None
    stamp = folder / STAMP
    try:
        frame = _read(path, st.st_mtime_ns, st.st_size, stamp, stamp.stat().st_mtime_ns)
    except (OSError, ValueError, KeyError):  # swapped by `kaztur data` meanwhile: build
        return None
    return None if frame is None else frame.copy()


@lru_cache(maxsize=64)
def _read(path: Path, _mtime: int, _size: int, stamp: Path, _stamp_mtime: int
          ) -> pd.DataFrame | None:
    import pandas as pd

    entry = json.loads(stamp.read_text(encoding="utf-8"))["datasets"].get(path.stem)
    if entry is None:  # a file the stamp does not list is not part of the build
        return None
    frame = pd.read_parquet(path, engine="pyarrow")
    return frame.astype({column: entry["dtypes"][column] for column in frame.columns})
