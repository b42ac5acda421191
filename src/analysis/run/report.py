"""What describes a run: the manifests and the index pages of ``reports/``.

Layout (stable; the site builder and readers rely on it)::

    reports/
      manifest.json          the run: status, timings, environment, library, languages
      kk/  en/               one folder per language, each complete on its own:
        manifest.json        per notebook: parameters, hashes, status, timings, files
        ledger.csv           the claims ledger
        <notebook>/          e.g. 01_trade/, seminar/seminar_01_growth/
          <stem>.ipynb       the executed notebook (no execution timestamps)
          results.json       the results it published (analysis.present.results)
          figures/<name>.png .svg .json    tables/<name>.csv .data.csv .json (sidecars)
      index.html site/ REPLICATION.md   the reader's site (`kaztur site`), carried over
      handouts/ screenshots/ anything else a run does not own: carried over untouched

A run writes data only; the pages a reader opens are the site's.

Timings live only in the manifests: two runs on the same inputs give byte-identical files
everywhere else. Both are written in discovery order, so they do not depend on which
notebook finished first.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.data.io import atomic_write_text, sha256_file

MANIFEST_SCHEMA = 2
TIMING_FIELDS = ("start", "end", "duration")


def _iso(timestamp: float | None) -> str | None:
    import datetime as dt

    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).isoformat(timespec="seconds")


def aggregate(hashes: Mapping[str, str]) -> str:
    """One hash for a set of files (path and content)."""
    text = json.dumps(dict(sorted(hashes.items())), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def collect_outputs(folder: Path, base: Path) -> list[dict[str, Any]]:
    """Figures and tables saved by :mod:`analysis.present.outputs` in a notebook's folder, from
    their caption sidecars; files are given relative to ``base`` (the language folder)."""
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


def notebook_entry(job: Any, folder: Path, inputs: Mapping[str, str], library_sha: str,
                   versions: Mapping[str, str]) -> dict[str, Any]:
    """The manifest entry of one executed or cached notebook (:class:`pipeline.Job`);
    ``folder`` is the language folder it was written into."""
    nb = job.notebook
    meta = job.meta
    files = {"notebook": f"{nb.out_rel}/{nb.stem}.ipynb"}
    return {
        "stem": nb.stem, "lang": job.lang, "path": f"notebooks/{nb.rel}.ipynb",
        "folder": nb.out_rel, "status": job.status, "source": job.source, "stale": False,
        "parameters": job.parameters, "cache_key": job.key,
        "sha256": {"notebook": sha256_file(nb.path), "library": library_sha,
                   "inputs": dict(inputs)},
        "versions": dict(versions),
        "start": _iso(meta.get("start")), "end": _iso(meta.get("end")),
        "duration": meta.get("duration"), "cells": meta.get("cells"),
        # shown the ledger the run built once (analysis.checks.ledger.current)
        "reads_run_ledger": bool(meta.get("reads_run_ledger")),
        "files": {k: v for k, v in files.items() if (folder / v).is_file()},
        "outputs": collect_outputs(folder / nb.out_rel, folder),
    }


def run_record(*, start: float, end: float, jobs: int, force: bool, partial: bool,
               counts: Mapping[str, int], languages: Sequence[str]) -> dict[str, Any]:
    """The run as a whole (only a successful run is ever written)."""
    return {"status": "ok", "start": _iso(start), "end": _iso(end),
            "duration": round(end - start, 3), "jobs": jobs, "force": force,
            "partial": partial, "languages": list(languages), **counts}


def environment(versions: Mapping[str, str]) -> dict[str, Any]:
    return {"platform": platform.platform(), "cpu_count": os.cpu_count(), "kernel": "kaztur",
            "versions": dict(versions)}


def language_manifest(lang: str, run: Mapping[str, Any], env: Mapping[str, Any],
                      library: Mapping[str, str], entries: Sequence[Mapping[str, Any]],
                      ledger: Mapping[str, Any] | None) -> dict[str, Any]:
    counts = {"notebooks": len(entries),
              "executed": sum(e["source"] == "executed" for e in entries),
              "cached": sum(e["source"] == "cache" for e in entries),
              "carried": sum(e["source"] == "previous run" for e in entries)}
    return {"schema": MANIFEST_SCHEMA, "lang": lang, "run": {**run, **counts},
            "environment": dict(env),
            "library": {"sha256": aggregate(library), "files": dict(library)},
            "ledger": dict(ledger) if ledger else None, "notebooks": list(entries)}


def write_json(path: Path, data: Mapping[str, Any]) -> Path:
    return atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2,
                                              sort_keys=True) + "\n")


def read_json(path: Path) -> dict[str, Any] | None:
    """A previous manifest, or None when absent or unreadable (then nothing is carried)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def strip_timings(manifest: Any) -> Any:
    """A manifest without its timing fields (what two runs on the same inputs share)."""
    if isinstance(manifest, dict):
        return {k: strip_timings(v) for k, v in manifest.items() if k not in TIMING_FIELDS}
    if isinstance(manifest, list):
        return [strip_timings(v) for v in manifest]
    return manifest
