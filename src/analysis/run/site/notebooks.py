"""The executed notebooks as the site shows them: tags applied, anchors added, no execution.

MyST-NB renders the stored outputs (``nb_execution_mode = "off"``) and honours the Jupyter
Book tags itself (``remove-cell``, ``remove-input``, ``remove-output``, ``hide-input``,
``hide-output``, ``hide-cell``). What is added here, on a copy:

* every Markdown cell shows only the page's language (:func:`analysis.run.site.bilingual.part`:
  the notebooks write each text in Kazakh and in English);
* every code cell gets an anchor ``cell-<id>`` (the nbformat cell id), so the front page and
  the exhibit pages can link to the cell that produced a number;
* ``parameters`` and ``injected-parameters`` cells are removed (a reader needs no
  ``lang = "kk"``; the parameters are listed in the manifest);
* ``solution`` cells: on the **teacher** page collapsed (code: ``hide-cell`` with a
  "Solution" prompt; Markdown: a ``<details>`` block), on the **student** page absent.

The executed notebook in ``reports/`` is never modified.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from analysis.present.i18n import t
from analysis.run.site.bilingual import part

SOLUTION = "solution"
NOISE = ("parameters", "injected-parameters")
FULL, TEACHER, STUDENT = "full", "teacher", "student"
MODES = (FULL, TEACHER, STUDENT)


def _tags(cell: dict[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def anchor_cell(cell_id: str) -> dict[str, Any]:
    """A Markdown cell holding only an HTML anchor (renders as nothing visible)."""
    return {"cell_type": "markdown", "id": f"anchor-{cell_id}", "metadata": {},
            "source": f'<a id="cell-{cell_id}" class="kaztur-cell-anchor"></a>'}


def _solution_markdown(cell: dict[str, Any], lang: str) -> dict[str, Any]:
    """A Markdown solution cell inside a collapsed ``<details>``; its headings become bold
    lines (a heading would open a section that cannot sit inside the block)."""
    text = re.sub(r"^#{1,6}\s+(.*)$", r"**\1**", _source(cell), flags=re.M)
    out = copy.deepcopy(cell)
    out["source"] = (f'<details class="kaztur-solution"><summary>{t("site.solution", lang)}'
                     f"</summary>\n\n{text}\n\n</details>")
    return out


def _solution_code(cell: dict[str, Any], lang: str) -> dict[str, Any]:
    out = copy.deepcopy(cell)
    meta = out.setdefault("metadata", {})
    meta["tags"] = [*_tags(cell), "hide-cell"]
    prompt = t("site.solution", lang)
    meta["mystnb"] = {**meta.get("mystnb", {}), "code_prompt_show": prompt,
                      "code_prompt_hide": prompt}
    return out


def _retitle(cells: list[dict[str, Any]], lang: str) -> None:
    """The student page's first heading says it is the student version (the navigation
    would otherwise show two pages of the same title)."""
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        src = _source(cell)
        found = re.search(r"^# (.+)$", src, flags=re.M)
        if found:
            title = t("site.nb.student_title", lang, title=found.group(1).strip())
            cell["source"] = src[: found.start()] + f"# {title}" + src[found.end():]
            return


def _in_language(cell: dict[str, Any], lang: str) -> dict[str, Any]:
    if cell.get("cell_type") != "markdown":
        return cell
    return {**cell, "source": part(_source(cell), lang)}


def prepare(notebook: dict[str, Any], mode: str, lang: str) -> dict[str, Any]:
    """A copy of an executed notebook (nbformat JSON) as the ``mode`` page shows it."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    out = copy.deepcopy(notebook)
    cells: list[dict[str, Any]] = []
    for cell in out.get("cells", []):
        tags = _tags(cell)
        if any(tag in tags for tag in NOISE):
            continue
        cell = _in_language(cell, lang)
        if SOLUTION in tags:
            if mode == STUDENT:
                continue
            if mode == TEACHER:
                cell = (_solution_code(cell, lang) if cell["cell_type"] == "code"
                        else _solution_markdown(cell, lang))
        if cell["cell_type"] == "code" and cell.get("id"):
            cells.append(anchor_cell(str(cell["id"])))
        cells.append(cell)
    if mode == STUDENT:
        _retitle(cells, lang)
    out["cells"] = cells
    out.setdefault("metadata", {}).pop("papermill", None)
    return out


def title(notebook: dict[str, Any]) -> str:
    """The first level-1 heading (what the navigation shows)."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            found = re.search(r"^# (.+)$", _source(cell), flags=re.M)
            if found:
                return found.group(1).strip()
    return ""
