"""The exhibit map: dissertation exhibit -> notebook -> output files, from one source.

``exhibit_map.yaml`` (beside this module) is the only place the map is written. It is rendered
into ``reports/index.html`` by every ``kaztur run`` (with the run's status and links) and
into README.md between the markers ``<!-- exhibit-map:start -->`` and
``<!-- exhibit-map:end -->``:

    python -m analysis.run.exhibit_map --write-readme   # rewrite the README region
    python -m analysis.run.exhibit_map --check          # exit 1 when the README region is stale

Output names are the ``name`` arguments of ``save_figure``/``save_table`` in the notebooks;
a figure ``x`` becomes ``reports/<lang>/<notebook>/figures/x.png`` and ``.svg``, a table
``y`` becomes ``reports/<lang>/<notebook>/tables/y.csv`` (``reports/<lang>/seminar/<notebook>/``
for the seminar notebooks; ``<lang>`` is ``kk`` or ``en``).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.data.io import parse_yaml
from analysis.run import readme_regions

MAP_FILE = Path(__file__).with_name("exhibit_map.yaml")
REGION = "exhibit-map"


@dataclass(frozen=True)
class Source:
    """What one notebook writes for an exhibit."""

    notebook: str
    figures: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()

    def outputs(self) -> list[tuple[str, str]]:
        return [("figure", f) for f in self.figures] + [("table", t) for t in self.tables]

    def files(self) -> list[str]:
        """Output files relative to the notebook's folder in reports/."""
        out = []
        for name in self.figures:
            out += [f"figures/{name}.png", f"figures/{name}.svg"]
        out += [f"tables/{name}.csv" for name in self.tables]
        return out


@dataclass(frozen=True)
class Exhibit:
    id: str
    label_kk: str
    label_en: str
    title_kk: str
    title_en: str
    sources: tuple[Source, ...]
    lines: str | None = None
    #: kinds of ledger check whose rows belong to this exhibit whatever their ``exhibit``
    #: column says (the OTS timeline: ``event``); such rows belong to no other exhibit
    ledger_kinds: tuple[str, ...] = ()
    #: this exhibit sets the dissertation against the official record (its third axis in
    #: the replication report covers every finding against the record)
    record: bool = False

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_kk

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_kk

    def outputs(self) -> list[tuple[str, str, str]]:
        """(notebook, kind, name) of every output listed for this exhibit."""
        return [(src.notebook, kind, name) for src in self.sources
                for kind, name in src.outputs()]


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> tuple[Exhibit, ...]:
    data = parse_yaml(path.read_text(encoding="utf-8")) or {}
    items = []
    seen = set()
    for entry in data.get("exhibits", []):
        sources = tuple(
            Source(notebook=str(src["notebook"]), figures=tuple(src.get("figures") or ()),
                   tables=tuple(src.get("tables") or ()))
            for src in entry.get("in") or ())
        ex = Exhibit(
            id=str(entry["id"]), label_kk=entry["label_kk"], label_en=entry["label_en"],
            title_kk=entry["title_kk"], title_en=entry["title_en"], sources=sources,
            lines=str(entry["lines"]) if entry.get("lines") is not None else None,
            ledger_kinds=tuple(str(k) for k in entry.get("ledger_kinds") or ()),
            record=bool(entry.get("record", False)))
        if ex.id in seen:
            raise ValueError(f"{path.name}: exhibit id {ex.id!r} appears twice")
        if not sources:
            raise ValueError(f"{path.name}: exhibit {ex.id!r} names no notebook")
        seen.add(ex.id)
        items.append(ex)
    return tuple(items)


def load(path: Path | None = None) -> tuple[Exhibit, ...]:
    path = path or MAP_FILE
    return _load(path, path.stat().st_mtime_ns)


def _notebook_path(stem: str, notebooks_dir: Path | None) -> str:
    if notebooks_dir is not None and (notebooks_dir / "seminar" / f"{stem}.ipynb").is_file():
        return f"notebooks/seminar/{stem}.ipynb"
    return f"notebooks/{stem}.ipynb"


def render_markdown(exhibits: tuple[Exhibit, ...] | None = None,
                    notebooks_dir: Path | None = None) -> str:
    """The README table: one row per exhibit and notebook."""
    exhibits = exhibits if exhibits is not None else load()
    lines = [
        "<!-- generated from src/analysis/run/exhibit_map.yaml by "
        "`python -m analysis.run.exhibit_map --write-readme`; do not edit by hand -->",
        "",
        "| Exhibit | Notebook | Output files (in `reports/<lang>/<notebook>/`; "
        "seminar: `reports/<lang>/seminar/<notebook>/`; `<lang>` is `kk` or `en`) |",
        "| --- | --- | --- |",
    ]
    for ex in exhibits:
        label = f"**{ex.label_kk}** ({ex.label_en}): {ex.title_en}"
        if ex.lines:
            label += f"; source lines {ex.lines}"
        for i, src in enumerate(ex.sources):
            nb = _notebook_path(src.notebook, notebooks_dir)
            names = ([f"figures/{n}.{{png,svg}}" for n in src.figures]
                     + [f"tables/{n}.csv" for n in src.tables])
            files = ", ".join(f"`{f}`" for f in names) or "(shown in the notebook)"
            first = _cell(label) if i == 0 else "″"
            lines.append(f"| {first} | [`{src.notebook}`]({nb}) | {files} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def readme_region(text: str) -> str:
    """The exhibit map as the README holds it."""
    return readme_regions.region(text, REGION)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.run.exhibit_map", description=__doc__)
    parser.add_argument("--readme", type=Path, default=None, help="default: <root>/README.md")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write-readme", action="store_true")
    group.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    from analysis import config

    readme = args.readme or config.ROOT / "README.md"
    body = render_markdown(notebooks_dir=readme.parent / "notebooks")
    if not (args.write_readme or args.check):
        sys.stdout.write(body)
        return 0
    return readme_regions.sync(readme, body, REGION,
                               "python -m analysis.run.exhibit_map --write-readme",
                               check=args.check)

if __name__ == "__main__":
    raise SystemExit(main())
