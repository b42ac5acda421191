"""Where the site's inputs are: the one function that knows the layout of ``reports/``.

The site reads only what a run left behind: ``manifest.json`` (per notebook: status,
folder, parameters, files and the figures/tables with their captions), the executed
notebooks, the figure and table files, and ``ledger.csv``. :func:`discover` finds them for
one language; everything else in the site package receives a :class:`RunInputs`.

Layouts understood, tried in this order for language ``lang``:

1. ``reports/<lang>/manifest.json`` (both languages side by side: ``reports/kk/…``,
   ``reports/en/…``), ledger in ``reports/<lang>/ledger.csv`` or else ``reports/ledger.csv``;
2. ``reports/manifest.json`` (one run at the top of ``reports/``, whatever language its
   notebooks ran in; then :attr:`RunInputs.run_lang` may differ from ``lang`` and the page
   says so).

Paths in the manifest are relative to the folder that holds it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LANGS = ("kk", "en")


class SiteInputError(Exception):
    """The run's files are missing or unreadable: say which and what to run."""


@dataclass(frozen=True)
class Output:
    """A figure or table a notebook saved (from the manifest's ``outputs``)."""

    notebook: str
    kind: str  # "figure" or "table"
    name: str
    caption: str
    files: tuple[Path, ...]

    def file(self, suffix: str) -> Path | None:
        return next((p for p in self.files if p.suffix == suffix), None)


@dataclass(frozen=True)
class Notebook:
    stem: str
    rel: str  # folder relative to the run root: "01_trade", "seminar/seminar_01_growth"
    status: str
    lang: str
    ipynb: Path | None
    outputs: tuple[Output, ...]

    @property
    def seminar(self) -> bool:
        return self.stem.startswith("seminar_")


@dataclass(frozen=True)
class RunInputs:
    lang: str  # the site language asked for
    run_lang: str  # the language the notebooks ran in
    root: Path  # the folder that holds manifest.json
    manifest: dict[str, Any]
    ledger_csv: Path | None
    notebooks: tuple[Notebook, ...]

    def notebook(self, stem: str) -> Notebook | None:
        return next((nb for nb in self.notebooks if nb.stem == stem), None)

    def output(self, stem: str, kind: str, name: str) -> Output | None:
        nb = self.notebook(stem)
        if nb is None:
            return None
        return next((o for o in nb.outputs if o.kind == kind and o.name == name), None)

    def input_files(self) -> list[Path]:
        """Every file the site reads from the run (for change detection and reports)."""
        files = [self.root / "manifest.json"]
        files += [self.ledger_csv] if self.ledger_csv else []
        for nb in self.notebooks:
            files += [nb.ipynb] if nb.ipynb else []
            files += [p for out in nb.outputs for p in out.files]
        return files


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SiteInputError(f"{path}: cannot read the run manifest ({exc}); run "
                             "`kaztur run` first") from exc
    if not isinstance(data, dict) or not isinstance(data.get("notebooks"), list):
        raise SiteInputError(f"{path}: not a run manifest (no 'notebooks' list)")
    return data


def _notebook(root: Path, entry: dict[str, Any]) -> Notebook:
    try:
        stem, rel = str(entry["stem"]), str(entry["folder"])
    except KeyError as exc:
        raise SiteInputError(f"{root / 'manifest.json'}: a notebook entry lacks {exc}") from exc
    files = entry.get("files") or {}
    ipynb = root / files["notebook"] if files.get("notebook") else None
    outputs = tuple(
        Output(notebook=stem, kind=str(o.get("kind", "")), name=str(o.get("name", "")),
               caption=str(o.get("caption", "")),
               files=tuple(root / f for f in o.get("files", []) if (root / f).is_file()))
        for o in entry.get("outputs") or [])
    lang = str((entry.get("parameters") or {}).get("lang", "kk"))
    return Notebook(stem=stem, rel=rel, status=str(entry.get("status", "")), lang=lang,
                    ipynb=ipynb if ipynb and ipynb.is_file() else None, outputs=outputs)


def discover(reports: Path, lang: str) -> RunInputs:
    """The run's files for the ``lang`` build of the site (see the module docstring)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    for root in (reports / lang, reports):
        if (root / "manifest.json").is_file():
            break
    else:
        raise SiteInputError(
            f"no run manifest in {reports / lang} or {reports}: run `kaztur run` (and "
            "`kaztur check` for the ledger) before building the site")
    manifest = _read_manifest(root / "manifest.json")
    notebooks = tuple(_notebook(root, e) for e in manifest["notebooks"])
    ledger = next((p for p in (root / "ledger.csv", reports / "ledger.csv") if p.is_file()),
                  None)
    langs = [nb.lang for nb in notebooks]
    run_lang = lang if lang in langs or not langs else langs[0]
    return RunInputs(lang=lang, run_lang=run_lang, root=root, manifest=manifest,
                     ledger_csv=ledger, notebooks=notebooks)
