"""``kaztur verify``: checksums, schemas and (when the source is present) verbatim text of
``data/raw/``, and checksums, schemas, units and provenance of ``data/external/``."""

from __future__ import annotations

from analysis import config
from analysis.data import external, manifest, provenance
from analysis.data.schemas import RESOURCES
from analysis.datasets import load_raw_with_lines
from analysis.errors import DataError, Problem


def problems() -> list[Problem]:
    """Every problem with ``data/raw/``; an empty list means all is well."""
    found = manifest.check()
    for name, res in RESOURCES.items():
        path = config.RAW_DIR / res.path
        if not path.is_file():
            continue  # already reported by the manifest check
        try:
            frame = load_raw_with_lines(name)
        except DataError as exc:
            found += exc.problems
            continue
        found += provenance.problems(name, frame, path)
    found += external.problems()  # data/external/: checksums, schema, units, provenance
    return found
