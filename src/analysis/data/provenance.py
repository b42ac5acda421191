"""Check the transcription against the dissertation text itself, when it is available.

Every printed string we keep must occur on the source line we cite (or, for a cell that the
source wraps over two lines, on that line joined with the next). This catches retyped or
mis-cited cells, the errors a checksum cannot see.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import Problem, rel

# which column must be found verbatim on the cited line, per resource
VERBATIM_COLUMN: dict[str, str] = {
    "survey_questionnaire": "option_kk",
    "survey_results": "printed",
    "text_claims": "quote_kk",
    "ots_events": "quote_kk",
    "text_enumerations": "item_kk",
}


@lru_cache(maxsize=4)
def source_lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def problems(name: str, frame: pd.DataFrame, path: Path) -> list[Problem]:
    """Rows whose printed text is not on the line they cite."""
    if not config.source_available():
        return []
    column = VERBATIM_COLUMN.get(name, "printed")
    out: list[Problem] = []
    docs: dict[str, tuple[str, ...]] = {}
    for _, row in frame.iterrows():
        doc = row.get("source_doc") or "dissertation_kk.txt"
        if doc not in docs:
            doc_path = config.SOURCE_DIR / doc
            if not doc_path.is_file():
                out.append(Problem(rel(path), int(row["_line"]), "source_doc",
                                   "a file in the source folder", doc))
                continue
            docs[doc] = source_lines(doc_path)
        lines = docs[doc]
        n = int(row["source_line"])
        if not 1 <= n <= len(lines):
            out.append(Problem(rel(path), int(row["_line"]), "source_line",
                               f"a line number 1–{len(lines)}", str(n)))
            continue
        text = _norm(str(row[column]))
        here = _norm(lines[n - 1])
        joined = _norm(" ".join(lines[n - 1 : n + 2]))
        if text and text not in here and text not in joined:
            out.append(Problem(rel(path), int(row["_line"]), column,
                               f"text found verbatim on {doc} line {n}", str(row[column])[:80]))
    return out
