"""Verify every input before anything is written: ``data/raw/`` and ``data/external/``.

``kaztur data``, ``kaztur run`` and ``kaztur check`` call :func:`require_verified` first and
refuse to write anything when it fails (``kaztur run``: before any worker starts), with
one line per problem, each naming file, line, column and what was expected (the same
problem found twice is listed once). What is checked, for both folders:

* ``data/raw/``: the checksums and schemas recorded in ``datapackage.json``, the rules,
  keys and declared completeness of :mod:`analysis.data.schemas`, and cells padded with
  spaces;
* ``data/external/``: the checksums, schemas, units, value rules and provenance recorded
  in its ``datapackage.json`` (:func:`analysis.data.official.problems`), and that each file
  derived from an upstream snapshot names the snapshot this package knows (its sha256)
  and holds every row derived from it (:func:`analysis.data.snapshots.recorded_problems`).

``kaztur verify`` lists the same problems (and adds the check against the dissertation text
when it is there). The check is fast; ``kaztur run`` also remembers, in its cache, that a
given set of input bytes and library passed, so a run with nothing changed does not load
pandas to check again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from analysis.data.io import atomic_write_text
from analysis.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd


def raw_frames(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every raw resource of ``raw_dir`` that loads cleanly (typed, with ``_line``), and every
    checksum, descriptor, schema and completeness problem of the folder."""
    # deliberate lazy imports: pandas and pandera load only when a check has to run
    from analysis.data import manifest
    from analysis.data.schemas import read_raw

    found = manifest.check(raw_dir)  # a missing file among them
    frames, problems = read_raw(raw_dir)
    return frames, found + problems


def external_problems(external_dir: Path | None = None) -> list[Problem]:
    """Every problem of ``external_dir`` (default: the project's ``data/external/``; see
    the module docstring)."""
    from analysis.data import official, snapshots

    return official.problems(external_dir) + snapshots.recorded_problems(external_dir)


def problems(root: Path) -> list[Problem]:
    """Every problem of the inputs of the project at ``root``, deduplicated."""
    _, raw = raw_frames(root / "data" / "raw")
    return list(dict.fromkeys(raw + external_problems(root / "data" / "external")))


def _marker(cache: Path, hashes: dict[str, str], library: dict[str, str]) -> Path:
    from analysis.run.cache import digest

    return cache / "verified" / digest({"inputs": hashes, "library": library})


def require_verified(root: Path, cache: Path | None = None,
                     hashes: dict[str, str] | None = None,
                     library: dict[str, str] | None = None) -> None:
    """Raise :class:`DataError` with every problem of the inputs of ``root``; with a
    ``cache`` and the hashes of the input files and the library, a set that passed before
    is not re-checked."""
    marker = None
    if cache is not None and hashes is not None and library is not None:
        marker = _marker(cache, hashes, library)
        if marker.is_file():
            return
    found = problems(root)
    if found:
        raise DataError(found)
    if marker is not None:
        marker.parent.mkdir(parents=True, exist_ok=True)
        for old in marker.parent.iterdir():
            old.unlink()
        atomic_write_text(marker, "verified\n")  # a killed run leaves no half marker
