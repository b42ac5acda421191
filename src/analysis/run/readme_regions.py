"""Regions of README.md that code writes: the text between ``<!-- NAME:start -->`` and
``<!-- NAME:end -->``.

Why: the README states things the package computes (the exhibit map, the findings); typed
by hand they drift. A generator renders the region; ``--check`` (run by ``make lint``)
fails when the README differs from what the shipped data give now.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["markers", "region", "replace", "sync"]


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def _bounds(text: str, name: str) -> tuple[int, int]:
    start, end = markers(name)
    i, j = text.find(start), text.find(end)
    if i < 0 or j < 0 or j < i:
        raise ValueError(f"README.md lacks the markers {start} ... {end}")
    return i + len(start), j


def replace(text: str, body: str, name: str) -> str:
    """``text`` with the region ``name`` replaced by ``body``."""
    i, j = _bounds(text, name)
    return text[:i] + "\n" + body + text[j:]


def region(text: str, name: str) -> str:
    """The body of the region ``name`` in ``text``."""
    i, j = _bounds(text, name)
    return text[i:j].lstrip("\n")


def sync(readme: Path, body: str, name: str, command: str, *, check: bool) -> int:
    """Write ``body`` into the region ``name`` of ``readme`` (``check``: only say whether it
    is current, exit status 1 when not). ``command`` is the command that rewrites it."""
    text = readme.read_text(encoding="utf-8")
    try:
        new = replace(text, body, name)
    except ValueError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 1
    if check:
        if new != text:
            print(f"{name}: the region {name} of {readme} is stale; run `{command}`",
                  file=sys.stderr)
            return 1
        return 0
    if new != text:
        from analysis.data.io import atomic_write_text

        atomic_write_text(readme, new)
        print(f"{name}: updated {readme}")
    return 0
