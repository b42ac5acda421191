"""Student handouts: the seminar notebooks without their solution cells.

Why a separate copy rather than hiding the solutions: a collapsed cell is one click away
and its outputs are in the file, so the teacher's copy (``notebooks/seminar/``, solutions
collapsed) is not something to hand to students. A handout is that notebook without its
``solution`` cells (the solutions, and the answers of the "Талқылау · Discussion" questions)
and without outputs, in one language, under ``reports/handouts/<lang>/`` (git-ignored;
``kaztur run`` leaves it alone). The seminars are discovered (every
``notebooks/seminar/seminar_*.ipynb``), never listed; ``tests/test_answer_leaks.py`` checks
that no handout shows an answer.

``kaztur lab --handouts [--lang en]`` (:mod:`analysis.run.lab`) writes the handouts that are
missing and opens JupyterLab on that folder. A handout that exists is kept, because it
holds a student's answers; ``--reset`` writes fresh ones. Each handout records which
teacher's notebook it was made from (``metadata.kaztur``), so an outdated one is reported.

Cell tags of the seminar notebooks (:data:`TAGS`; the contract with the report and site
pages, which drop or fold cells by these tags; JupyterLab ignores them): ``parameters``,
``solution`` (teacher only), ``answer`` (the ✏️ cell), ``check`` (feedback), and the Jupyter
Book tags ``remove-cell``, ``remove-input``, ``remove-output`` and ``hide-input`` for what a
reader page leaves out or folds.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import config
from analysis.data.io import atomic_write_text

#: The tags the seminar notebooks carry and what each means (see the module docstring).
TAGS: dict[str, str] = {
    "parameters": "the one parameters cell (papermill injects values after it)",
    "solution": "part of a solution or a discussion's answer: in the teacher's copy folded "
                "and shown only on a click (even after Run All), absent from handouts and "
                "from student pages; shown on teacher pages (folded)",
    "answer": "a ✏️ cell the student fills in (kept in handouts)",
    "check": "a check cell: feedback on the student's answer, never the answer",
    "remove-cell": "plumbing or per-student feedback: left out of every reader page "
                   "(input and output)",
    "remove-input": "reader pages show the output only",
    "remove-output": "reader pages show the input only",
    "hide-input": "reader pages fold the input (shown on request), the output stays",
}

SOLUTION_TAG = "solution"
LANGS = ("kk", "en")
DEFAULT_LANG = "kk"
SEMINAR_DIR: Path = config.NOTEBOOKS_DIR / "seminar"
HANDOUTS_DIR: Path = config.REPORTS_DIR / "handouts"
_LANG_LINE = re.compile(r'^lang = "\w+"', re.M)


def tags(cell: dict[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def source_digest(notebook_text: str) -> str:
    """Fingerprint of the teacher's notebook a handout was made from."""
    return hashlib.sha256(notebook_text.encode("utf-8")).hexdigest()[:16]


def student_version(notebook: dict[str, Any], lang: str | None = None,
                    origin: str | None = None) -> dict[str, Any]:
    """A copy of a notebook (nbformat JSON as a dict) without ``solution``-tagged cells and
    without outputs; with ``lang``, the parameters cell is set to that language; with
    ``origin`` (a :func:`source_digest`), the handout records where it came from."""
    if lang is not None and lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    out = copy.deepcopy(notebook)
    cells = []
    for cell in out["cells"]:
        if SOLUTION_TAG in tags(cell):
            continue
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            cell.get("metadata", {}).pop("execution", None)
            if lang is not None and "parameters" in tags(cell):
                source = "".join(cell["source"])
                if not _LANG_LINE.search(source):
                    raise ValueError("the parameters cell has no line `lang = \"...\"`")
                cell["source"] = _LANG_LINE.sub(f'lang = "{lang}"', source)
        cells.append(cell)
    out["cells"] = cells
    if origin is not None:
        out.setdefault("metadata", {})["kaztur"] = {"handout_of": origin, "lang": lang}
    return out


def seminar_notebooks(source: Path | None = None) -> list[Path]:
    """The teacher's notebooks, ``notebooks/seminar/seminar_*.ipynb``, in order."""
    return sorted(Path(source or SEMINAR_DIR).glob("seminar_*.ipynb"))


def handout_text(path: Path, lang: str | None) -> str:
    """The handout of the teacher's notebook at ``path``, as the file's text."""
    text = path.read_text(encoding="utf-8")
    handout = student_version(json.loads(text), lang, origin=source_digest(text))
    return json.dumps(handout, ensure_ascii=False, indent=1) + "\n"


@dataclass
class Handouts:
    """What :func:`ensure` did in a handouts folder."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    outdated: list[Path] = field(default_factory=list)


def _origin(path: Path) -> str | None:
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, json.JSONDecodeError):
        return None  # unreadable: reported as outdated, never overwritten silently
    origin = meta.get("kaztur", {}).get("handout_of")
    return str(origin) if origin else None


def ensure(folder: Path, lang: str = DEFAULT_LANG, reset: bool = False,
           source: Path | None = None) -> Handouts:
    """Write the handouts missing from ``folder`` (all of them with ``reset``); keep the
    others (they may hold a student's answers) and list those whose teacher's notebook has
    changed since they were made."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    result = Handouts(folder)
    notebooks = seminar_notebooks(source)
    if not notebooks:
        raise FileNotFoundError(f"no seminar notebooks (seminar_*.ipynb) in "
                                f"{source or SEMINAR_DIR}")
    for path in notebooks:
        target = folder / path.name
        if target.exists() and not reset:
            result.kept.append(target)
            if _origin(target) != source_digest(path.read_text(encoding="utf-8")):
                result.outdated.append(target)
            continue
        result.written.append(atomic_write_text(target, handout_text(path, lang)))
    return result


def write_handouts(dest: Path | str, lang: str | None = None) -> list[Path]:
    """Write (overwrite) the handouts of every seminar notebook into ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    return [atomic_write_text(dest / path.name, handout_text(path, lang))
            for path in seminar_notebooks()]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis.run.handouts handouts [DIR] [--lang kk|en]``: write (overwrite)
    the handouts; ``kaztur lab --handouts`` writes the missing ones and opens them."""
    parser = argparse.ArgumentParser(prog="python -m analysis.run.handouts",
                                     description="Seminar pack utilities.")
    sub = parser.add_subparsers(dest="command", required=True)
    handouts = sub.add_parser("handouts", help="student notebooks without solution cells "
                                               "(overwrites; default reports/handouts/<lang>/)")
    handouts.add_argument("dest", nargs="?", default=None)
    handouts.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG)
    args = parser.parse_args(argv)
    dest = Path(args.dest) if args.dest else HANDOUTS_DIR / args.lang
    for path in write_handouts(dest, args.lang):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
