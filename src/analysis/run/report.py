"""The two files that describe a run: ``reports/manifest.json`` and ``reports/index.html``.

The manifest is the machine-readable record (per notebook: parameters, hashes of the
notebook, its input data and the library, package versions, timings, status, output files);
the index is its human view, organised by the exhibit map of :mod:`analysis.run.exhibits` so a
reader goes from "Кесте 7" to the notebook and the files that reproduce it. Both are
written in discovery order, so they do not depend on which notebook finished first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

MANIFEST_SCHEMA = 1



def atomic_write_text(path: Path, text: str) -> Path:
    """Write via a temporary file and a rename (like :func:`analysis.data.io.atomic_write_text`,
    which would import pandas: a no-op run must stay well under a second)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def _iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat(timespec="seconds")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def aggregate(hashes: Mapping[str, str]) -> str:
    """One hash for a set of files (path and content)."""
    text = json.dumps(dict(sorted(hashes.items())), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def collect_outputs(folder: Path, base: Path) -> list[dict[str, Any]]:
    """Figures and tables saved by :mod:`analysis.present.outputs` in a notebook's folder, from
    their caption sidecars; files are given relative to ``base`` (reports/)."""
    found = []
    for kind, sub in (("figure", "figures"), ("table", "tables")):
        for meta_path in sorted((folder / sub).glob("*.json")):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            files = [(folder / sub / name) for name in meta.get("files", [])]
            found.append({
                "name": meta.get("name", meta_path.stem),
                "kind": meta.get("kind", kind),
                "caption": meta.get("caption", ""),
                "files": [p.relative_to(base).as_posix() for p in files if p.is_file()],
            })
    return found


def build_manifest(*, root: Path, results: Sequence[Any], library: Mapping[str, str],
                   inputs: Mapping[str, str], versions: Mapping[str, str], start: float,
                   end: float, jobs: int, force: bool, owned: Sequence[str], partial: bool,
                   staging: Path | None = None) -> dict[str, Any]:
    """The run's record. ``results`` are :class:`analysis.run.pipeline.NotebookResult`."""
    staging = staging or root / f".reports-staging-{os.getpid()}"
    library_sha = aggregate(library)
    entries = []
    for res in results:
        nb = res.notebook
        folder = staging / nb.out_rel
        meta = res.meta
        files = {
            "notebook": f"{nb.out_rel}/{nb.stem}.ipynb",
            "html": f"{nb.out_rel}/{nb.stem}.html",
            "reader": f"{nb.out_rel}/{nb.stem}.reader.html",
        }
        entries.append({
            "stem": nb.stem,
            "path": f"notebooks/{nb.rel}.ipynb",
            "folder": nb.out_rel,
            "status": res.status,
            "source": res.source,
            "parameters": res.parameters,
            "cache_key": res.key,
            "sha256": {
                "notebook": _sha256(nb.path),
                "library": library_sha,
                "inputs": dict(inputs),
            },
            "versions": dict(versions),
            "start": _iso(meta.get("start")),
            "end": _iso(meta.get("end")),
            "duration": meta.get("duration"),
            "cells": meta.get("cells"),
            "files": {k: v for k, v in files.items() if (staging / v).is_file()},
            "outputs": collect_outputs(folder, staging),
        })
    executed = sum(1 for r in results if r.source == "executed")
    return {
        "schema": MANIFEST_SCHEMA,
        "run": {
            "status": "ok" if all(r.status == "ok" for r in results) else "failed",
            "start": _iso(start), "end": _iso(end), "duration": round(end - start, 3),
            "jobs": jobs, "force": force, "partial": partial,
            "notebooks": len(results), "executed": executed,
            "cached": len(results) - executed,
        },
        "environment": {"platform": platform.platform(), "cpu_count": os.cpu_count(),
                        "kernel": "kaztur", "versions": dict(versions)},
        "library": {"sha256": library_sha, "files": dict(library)},
        "owned": list(owned),
        "notebooks": entries,
    }


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> Path:
    return atomic_write_text(path, json.dumps(manifest, ensure_ascii=False, indent=2,
                                              sort_keys=True) + "\n")


def _template():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.get_template("index.html.j2")


def index_context(manifest: Mapping[str, Any], lang: str,
                  extra_files: Iterable[str] = ()) -> dict[str, Any]:
    """What the index shows: the exhibit map joined with this run's outputs."""
    from analysis.run import exhibits

    by_stem = {nb["stem"]: nb for nb in manifest["notebooks"]}
    outputs = {(nb["stem"], out["kind"], out["name"]): out
               for nb in manifest["notebooks"] for out in nb["outputs"]}
    mapped: set[tuple[str, str, str]] = set()
    rows = []
    for ex in exhibits.load():
        parts = []
        for src in ex.sources:
            nb = by_stem.get(src.notebook)
            items = []
            for kind, name in src.outputs():
                mapped.add((src.notebook, kind, name))
                out = outputs.get((src.notebook, kind, name))
                items.append({"kind": kind, "name": name,
                              "files": out["files"] if out else [],
                              "caption": out["caption"] if out else "",
                              "missing": nb is not None and out is None})
            parts.append({"notebook": src.notebook, "nb": nb, "items": items})
        rows.append({"label": ex.label(lang), "title": ex.title(lang), "lines": ex.lines,
                     "parts": parts})
    unmapped = {}
    for nb in manifest["notebooks"]:
        rest = [o for o in nb["outputs"] if (nb["stem"], o["kind"], o["name"]) not in mapped]
        if rest:
            unmapped[nb["stem"]] = rest
    return {"lang": lang, "t": _labels(lang), "run": manifest["run"],
            "notebooks": manifest["notebooks"], "rows": rows, "unmapped": unmapped,
            "extra_files": sorted(extra_files), "versions": manifest["environment"]["versions"]}


def _labels(lang: str) -> dict[str, str]:
    """The index page's labels (``labels/report.yaml``) without their ``report.`` prefix."""
    from analysis.present import i18n

    return {key.removeprefix("report."): i18n.t(key, lang)
            for key in i18n.labels() if key.startswith("report.")}


def render_index(manifest: Mapping[str, Any], lang: str = "kk",
                 extra_files: Iterable[str] = ()) -> str:
    return _template().render(**index_context(manifest, lang, extra_files))


def write_index(path: Path, manifest: Mapping[str, Any], lang: str = "kk",
                extra_files: Iterable[str] = ()) -> Path:
    return atomic_write_text(path, render_index(manifest, lang, extra_files))
