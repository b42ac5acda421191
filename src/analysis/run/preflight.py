"""Verify the raw data before anything is written: checksums, descriptor and schemas.

``kaztur data``, ``kaztur run`` and ``kaztur check`` call :func:`require_verified` first and
refuse to write anything when it fails, with one message per problem (the same problem found
twice is reported once). The check is fast (checksums, then each raw file read and validated
once); ``kaztur run`` also remembers, in its cache, that a given set of raw bytes and schemas
passed, so a run with nothing changed does not load pandas to check again.
"""

from __future__ import annotations

from pathlib import Path

from analysis.errors import DataError, Problem


def problems(raw_dir: Path) -> list[Problem]:
    """Every checksum, descriptor and schema problem of ``raw_dir``, deduplicated."""
    # deliberate lazy imports: pandas and pandera load only when a check has to run
    from analysis.data import manifest
    from analysis.data.io import read_csv_text
    from analysis.data.schemas import RESOURCES, validate

    found = manifest.check(raw_dir)
    for res in RESOURCES.values():
        path = raw_dir / res.path
        if not path.is_file():
            continue  # reported by the manifest check
        try:
            validate(read_csv_text(path, res.columns), res, path)
        except DataError as exc:
            found += exc.problems
    return list(dict.fromkeys(found))


def _marker(cache: Path, raw_hashes: dict[str, str], library: dict[str, str]) -> Path:
    from analysis.run.cache import digest

    return cache / "verified" / digest({"raw": raw_hashes, "library": library})


def require_verified(raw_dir: Path, cache: Path | None = None,
                     raw_hashes: dict[str, str] | None = None,
                     library: dict[str, str] | None = None) -> None:
    """Raise :class:`DataError` with every problem of ``raw_dir``; with a ``cache`` and the
    hashes of the raw files and the library, a set that passed before is not re-checked."""
    marker = None
    if cache is not None and raw_hashes is not None and library is not None:
        marker = _marker(cache, raw_hashes, library)
        if marker.is_file():
            return
    found = problems(raw_dir)
    if found:
        raise DataError(found)
    if marker is not None:
        marker.parent.mkdir(parents=True, exist_ok=True)
        for old in marker.parent.iterdir():
            old.unlink()
        marker.write_text("verified\n", encoding="utf-8")
