"""Where the site's inputs are: the one module that knows the layout of ``reports/``.

The site reads only what a run left behind, per language in ``reports/<lang>/``:
``manifest.json`` (per notebook: status, folder, parameters, files, and the figures and
tables it saved), the executed notebooks, each figure's and table's files and sidecar
(caption, the cell that made it, a table's cells as shown), each notebook's published
results (``results.json``, :mod:`analysis.present.results`), ``ledger.csv`` (the ledger in
that language), ``ledger.json`` (the language-neutral ledger) and ``findings.json`` (the
findings, :mod:`analysis.findings`; ``findings.csv`` in the folder's language).
:func:`discover` finds them for one language; everything else in the site package receives
a :class:`RunInputs`. Nothing here parses a number out of a text.

Paths in the manifest are relative to the language folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from analysis.present.results import DATA_SUFFIX, RESULTS_FILE, Result, read_results

LANGS = ("kk", "en")
LEDGER_CSV = "ledger.csv"  # the ledger in the folder's language (texts for pages)
LEDGER_JSON = "ledger.json"  # the language-neutral ledger (keys and numbers, for counts)
FINDINGS_JSON = "findings.json"  # the language-neutral findings
FINDINGS_CSV = "findings.csv"  # the findings in the folder's language (a download)


class SiteInputError(Exception):
    """The run's files are missing or unreadable: say which and what to run."""


@dataclass(frozen=True)
class Shown:
    """A table's cells exactly as the notebook showed them (text, the notebook's notation)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    printed: tuple[bool, ...] = ()  # per column: quotes the source as printed


@dataclass(frozen=True)
class Output:
    """A figure or table a notebook saved (the manifest's ``outputs`` and its sidecar)."""

    notebook: str
    kind: str  # "figure" or "table"
    name: str
    caption: str
    files: tuple[Path, ...]
    cell: int | None = None  # execution count of the cell that made it
    front: bool = False  # a figure the front page shows
    shown: Shown | None = None

    def file(self, suffix: str) -> Path | None:
        """The file with ``suffix`` (``.svg``, ``.png``, ``.csv``: the localised table, not
        its language-neutral ``.data.csv``)."""
        return next((p for p in self.files if p.suffix == suffix
                     and not p.name.endswith(DATA_SUFFIX)), None)

    @property
    def data(self) -> Path | None:
        """The table's language-neutral rows, when the notebook saved them."""
        return next((p for p in self.files if p.name.endswith(DATA_SUFFIX)), None)


@dataclass(frozen=True)
class Notebook:
    stem: str
    rel: str  # folder relative to the language folder: "01_trade", "seminar/seminar_01_growth"
    status: str
    lang: str
    ipynb: Path | None
    outputs: tuple[Output, ...]
    folder: Path
    results: tuple[Result, ...] = field(default=())

    @property
    def seminar(self) -> bool:
        return self.stem.startswith("seminar_")

    @cached_property
    def _cells(self) -> list[dict[str, Any]]:
        if self.ipynb is None:
            return []
        return list(json.loads(self.ipynb.read_text(encoding="utf-8")).get("cells", []))

    def cell_id(self, execution_count: int | None) -> str | None:
        """The id of the code cell the executed notebook stores with ``execution_count``."""
        if execution_count is None:
            return None
        return next((str(c.get("id")) for c in self._cells if c.get("cell_type") == "code"
                     and c.get("execution_count") == execution_count and c.get("id")), None)

    def missing(self) -> list[Path]:
        """Files the manifest lists for this notebook that are not there."""
        gone = [] if self.ipynb is not None else [self.folder / f"{self.stem}.ipynb"]
        return gone + [p for out in self.outputs for p in out.files if not p.is_file()]


@dataclass(frozen=True)
class RunInputs:
    lang: str
    root: Path  # reports/<lang>/, the folder that holds manifest.json
    manifest: dict[str, Any]
    ledger_csv: Path | None
    notebooks: tuple[Notebook, ...]
    ledger_json: Path | None = None
    findings_json: Path | None = None
    findings_csv: Path | None = None

    def notebook(self, stem: str) -> Notebook | None:
        return next((nb for nb in self.notebooks if nb.stem == stem), None)

    def output(self, stem: str, kind: str, name: str) -> Output | None:
        nb = self.notebook(stem)
        if nb is None:
            return None
        return next((o for o in nb.outputs if o.kind == kind and o.name == name), None)

    def input_files(self) -> list[Path]:
        """Every file the site reads from the run (for change detection)."""
        files = [self.root / "manifest.json"]
        files += [p for p in (self.ledger_csv, self.ledger_json, self.findings_json,
                              self.findings_csv) if p is not None]
        for nb in self.notebooks:
            files += [nb.ipynb] if nb.ipynb else []
            results = nb.folder / RESULTS_FILE
            files += [results] if results.is_file() else []
            for out in nb.outputs:
                files += [p for p in out.files if p.is_file()]
                files += [p for p in [_sidecar(out.files)] if p is not None and p.is_file()]
        return files

    def content(self) -> list[object]:
        """What the site shows of the run, without what changes when nothing changed
        (timings, executed or from the cache): the part of the manifest the pages use."""
        return [[nb.stem, nb.rel, nb.status, nb.lang,
                 [[o.kind, o.name] for o in nb.outputs]] for nb in self.notebooks]


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SiteInputError(f"{path}: cannot read the {what} ({exc}); run `kaztur run` "
                             "again") from exc
    if not isinstance(data, dict):
        raise SiteInputError(f"{path}: not a {what}")
    return data


def _sidecar(files: tuple[Path, ...]) -> Path | None:
    """The ``<name>.json`` beside an output's files."""
    first = next(iter(files), None)
    if first is None:
        return None
    name = first.name.removesuffix(DATA_SUFFIX).rsplit(".", 1)[0]
    return first.with_name(f"{name}.json")


def _output(root: Path, stem: str, entry: dict[str, Any]) -> Output:
    files = tuple(root / f for f in entry.get("files", []))
    meta: dict[str, Any] = {}
    side = _sidecar(files)
    if side is not None and side.is_file():
        meta = _read_json(side, "caption file")
    shown = meta.get("shown")
    cell = meta.get("cell")
    return Output(notebook=stem, kind=str(entry.get("kind", "")),
                  name=str(entry.get("name", "")), caption=str(entry.get("caption", "")),
                  files=files, cell=int(cell) if isinstance(cell, int) else None,
                  front=bool(meta.get("front")),
                  shown=Shown(tuple(shown["columns"]), tuple(tuple(r) for r in shown["rows"]),
                              tuple(bool(p) for p in shown.get("printed", ())))
                  if isinstance(shown, dict) else None)


def _notebook(root: Path, entry: dict[str, Any]) -> Notebook:
    try:
        stem, rel = str(entry["stem"]), str(entry["folder"])
    except KeyError as exc:
        raise SiteInputError(f"{root / 'manifest.json'}: a notebook entry lacks {exc}") from exc
    files = entry.get("files") or {}
    ipynb = root / files["notebook"] if files.get("notebook") else None
    folder = root / rel
    try:
        results = tuple(read_results(folder))
    except (ValueError, KeyError) as exc:
        raise SiteInputError(f"{folder / RESULTS_FILE}: unreadable ({exc}); run "
                             f"`kaztur run {stem}` again") from exc
    lang = str((entry.get("parameters") or {}).get("lang", root.name))
    return Notebook(stem=stem, rel=rel, status=str(entry.get("status", "")), lang=lang,
                    ipynb=ipynb if ipynb and ipynb.is_file() else None,
                    outputs=tuple(_output(root, stem, o) for o in entry.get("outputs") or []),
                    folder=folder, results=results)


def discover(reports: Path, lang: str) -> RunInputs:
    """The run's files for the ``lang`` build of the site (``reports/<lang>/``)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    root = reports / lang
    if not (root / "manifest.json").is_file():
        raise SiteInputError(
            f"no run manifest in {root}: run `kaztur run` (both languages, or `--lang "
            f"{lang}`) before building the site")
    manifest = _read_json(root / "manifest.json", "run manifest")
    if not isinstance(manifest.get("notebooks"), list):
        raise SiteInputError(f"{root / 'manifest.json'}: not a run manifest (no 'notebooks' "
                             "list)")
    notebooks = tuple(_notebook(root, e) for e in manifest["notebooks"])
    ledger, neutral = root / LEDGER_CSV, root / LEDGER_JSON
    found, found_csv = root / FINDINGS_JSON, root / FINDINGS_CSV
    return RunInputs(lang=lang, root=root, manifest=manifest,
                     ledger_csv=ledger if ledger.is_file() else None, notebooks=notebooks,
                     ledger_json=neutral if neutral.is_file() else None,
                     findings_json=found if found.is_file() else None,
                     findings_csv=found_csv if found_csv.is_file() else None)
