"""Student handouts: the seminar notebooks without their solution cells."""

from __future__ import annotations

from collections.abc import Sequence

SOLUTION_TAG = "solution"


def student_version(notebook: dict, lang: str | None = None) -> dict:
    """A copy of a notebook (nbformat JSON as a dict) without ``solution``-tagged cells and
    without outputs; with ``lang``, the parameters cell is set to that language."""
    import copy
    import re

    out = copy.deepcopy(notebook)
    cells = []
    for cell in out["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if SOLUTION_TAG in tags:
            continue
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            if lang is not None and "parameters" in tags:
                source = "".join(cell["source"])
                cell["source"] = re.sub(r'^lang = "\w+"', f'lang = "{lang}"', source,
                                        flags=re.M)
        cells.append(cell)
    out["cells"] = cells
    return out


def write_handouts(dest, lang: str | None = None) -> list:
    """Write the student versions of ``notebooks/seminar/*.ipynb`` into ``dest``."""
    import json
    from pathlib import Path

    from analysis import config
    from analysis.data.io import atomic_write_text

    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted((config.NOTEBOOKS_DIR / "seminar").glob("seminar_*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(student_version(notebook, lang), ensure_ascii=False, indent=1)
        written.append(atomic_write_text(dest / path.name, text + "\n"))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis.run.handouts handouts [DIR] [--lang kk|en]``."""
    import argparse

    from analysis import config

    parser = argparse.ArgumentParser(prog="python -m analysis.run.handouts",
                                     description="Seminar pack utilities.")
    sub = parser.add_subparsers(dest="command", required=True)
    handouts = sub.add_parser("handouts", help="student notebooks without solution cells")
    handouts.add_argument("dest", nargs="?", default=str(config.REPORTS_DIR / "handouts"))
    handouts.add_argument("--lang", choices=("kk", "en"), default=None)
    args = parser.parse_args(argv)
    for path in write_handouts(args.dest, args.lang):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
