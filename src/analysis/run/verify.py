"""``kaztur verify``: checksums, schemas and (when the source is present) verbatim text of
``data/raw/``, and checksums, schemas, units and provenance of ``data/external/``.

It says whether the line-by-line check against the dissertation text ran: the text is not
shipped, so on a machine without it only checksums and schemas are checked. A file in
``data/raw/`` that the data package does not list is reported as a warning: no command
reads it, and it changes no cache key.
"""

from __future__ import annotations

import sys

from analysis import config
from analysis.data import provenance
from analysis.data.schemas import RESOURCES
from analysis.errors import Problem, rel
from analysis.run import preflight

DOCUMENTATION = frozenset({"README.md", "datapackage.json"})


def problems() -> list[Problem]:
    """Every problem with ``data/raw/`` and ``data/external/`` (the pre-check of every
    command that writes, :mod:`analysis.run.preflight`), and every transcribed text not
    found on its line of the source when the source is there; empty means all is well."""
    frames, found = preflight.raw_frames(config.RAW_DIR)
    for name, frame in frames.items():
        found += provenance.problems(name, frame, config.RAW_DIR / RESOURCES[name].path,
                                     frames)
    found += preflight.external_problems()
    return list(dict.fromkeys(found))


def unknown_files() -> list[str]:
    """Files in ``data/raw/`` that are neither data of the package nor its documentation."""
    listed = {res.path for res in RESOURCES.values()} | DOCUMENTATION
    if not config.RAW_DIR.is_dir():
        return []
    return sorted(rel(p) for p in config.RAW_DIR.iterdir()
                  if p.is_file() and p.name not in listed and not p.name.startswith("."))


def source_text_note() -> str:
    if config.source_available():
        return (f"the transcription was also checked line by line against "
                f"{rel(config.DISSERTATION)}")
    return (f"the line-by-line check against the dissertation text did NOT run: "
            f"{config.DISSERTATION} is not there (set KAZTUR_SOURCE_DIR to the folder "
            "holding dissertation_kk.txt to run it)")


def main(require_source: bool = False) -> int:
    """``kaztur verify [--require-source]``: list every problem; exit 1 if there is one
    (and, with ``require_source``, when the source text is not there to check against)."""
    found = problems()
    for path in unknown_files():
        print(f"kaztur verify: warning: {path} is not part of the data package (not in "
              "analysis.data.schemas / datapackage.json); no command reads it. Remove it, "
              "or add it as a resource and run `kaztur manifest`.", file=sys.stderr)
    if found:
        print(f"kaztur verify: {len(found)} problem(s) in data/raw/ or data/external/:",
              file=sys.stderr)
        for p in found:
            print(f"  - {p}", file=sys.stderr)
        print(f"kaztur verify: {source_text_note()}.", file=sys.stderr)
        return 1
    if require_source and not config.source_available():
        print(f"kaztur verify: {source_text_note()}; --require-source makes that an error.",
              file=sys.stderr)
        return 1
    print(f"kaztur verify: {len(RESOURCES)} raw files and data/external/ match their checksums "
          "and schemas; "
          f"{source_text_note()}.")
    return 0
