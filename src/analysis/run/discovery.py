"""Which notebooks a run executes: discovery, selection by name, structural checks.

The sequence is ``notebooks/[0-9][0-9]_*.ipynb`` then ``notebooks/seminar/*.ipynb``, each
sorted by name; manifest and index list notebooks in this order whatever the completion
order, so a report does not depend on scheduling.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, cast

#: How a notebook asks for the run's ledger.
LEDGER_CALL = "ledger.current("
#: A line of IPython, not Python: a ``%`` magic or a ``!`` shell escape at its start (a
#: continuation line that starts with ``!=`` is Python).
_IPYTHON_LINE = re.compile(r"\s*(%|!(?!=))")


def python_source(source: str) -> str:
    """A code cell's source with its IPython lines (:data:`_IPYTHON_LINE`) blanked, so that
    Python can parse it; line numbers stay those of the cell."""
    return "\n".join("" if _IPYTHON_LINE.match(line) else line for line in source.splitlines())


class PipelineError(Exception):
    """A problem found before execution (bad parameters, missing notebook): exit 1."""


@dataclass(frozen=True)
class Notebook:
    """One notebook of the sequence: ``stem`` keys the parameter schema and the cache,
    ``rel`` (relative to ``notebooks/``, without suffix) names its folder in
    ``reports/<lang>/``."""

    stem: str
    path: Path
    rel: str

    @property
    def out_rel(self) -> str:
        return self.rel

    @cached_property
    def document(self) -> dict[str, Any]:
        """The file, parsed once for everything a plan reads from it (its structure, its
        cache key, whether it reads the ledger, what the kernel template warms); OSError or
        ValueError for a file that is not JSON (:func:`structure_problems` reports it)."""
        return cast(dict[str, Any], json.loads(self.path.read_text(encoding="utf-8")))

    @cached_property
    def code(self) -> list[str]:
        """The sources of its code cells ([] for a file that is not a notebook:
        :func:`structure_problems` reports it)."""
        try:
            cells = self.document["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            return []
        return ["".join(c.get("source", "")) for c in cells
                if isinstance(c, dict) and c.get("cell_type") == "code"]

    @property
    def reads_ledger(self) -> bool:
        """Whether a code cell calls ``ledger.current(...)``: such a notebook waits in a run
        for the run's ledger task and loads what it built (:func:`analysis.checks.ledger.
        current`). A notebook that builds the ledger some other way still runs, paying for
        its own build."""
        return any(LEDGER_CALL in source for source in self.code)


def discover(notebooks_dir: Path) -> list[Notebook]:
    """``notebooks/[0-9][0-9]_*.ipynb`` then ``notebooks/seminar/*.ipynb``, each sorted."""
    found = sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
    seminar = notebooks_dir / "seminar"
    if seminar.is_dir():
        found += sorted(seminar.glob("*.ipynb"))
    result: list[Notebook] = []
    seen: dict[str, Path] = {}
    for path in found:
        if path.name.startswith("."):
            continue
        stem = path.stem
        if stem in seen:
            raise PipelineError(f"two notebooks share the name {stem!r}: {seen[stem]} and {path}")
        seen[stem] = path
        rel = path.relative_to(notebooks_dir).with_suffix("").as_posix()
        result.append(Notebook(stem, path, rel))
    return result


def select(all_notebooks: list[Notebook], names: Sequence[str]) -> list[Notebook]:
    """The notebooks named on the command line (stem, file name or path), in sequence order."""
    if not names:
        return list(all_notebooks)
    by_stem = {nb.stem: nb for nb in all_notebooks}
    wanted: set[str] = set()
    unknown = []
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        if stem in by_stem:
            wanted.add(stem)
        else:
            unknown.append(name)
    if unknown:
        raise PipelineError(f"no such notebook(s): {', '.join(unknown)}; "
                            f"known: {', '.join(by_stem) or '(none)'}")
    return [nb for nb in all_notebooks if nb.stem in wanted]


def structure_problems(notebooks: Iterable[Notebook]) -> list[str]:
    """Each notebook must be valid JSON with exactly one cell tagged ``parameters`` (where
    the values are injected; with none they would land at the top, silently)."""
    problems = []
    for nb in notebooks:
        try:
            cells = nb.document["cells"]
        except (OSError, ValueError, KeyError) as exc:
            problems.append(f"notebooks/{nb.rel}.ipynb is not a readable notebook: {exc}")
            continue
        tagged = [i for i, c in enumerate(cells)
                  if "parameters" in c.get("metadata", {}).get("tags", [])]
        if len(tagged) != 1:
            problems.append(f"notebooks/{nb.rel}.ipynb: expected exactly one cell tagged "
                            f"'parameters', found {len(tagged)} (cells {tagged})")
    return problems
