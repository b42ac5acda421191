"""What describes a run: the manifests and the index pages of ``reports/``.

Layout (stable; the site builder and readers rely on it)::

    reports/
      index.html             language choice: links to kk/index.html and en/index.html
      manifest.json          the run: status, timings, environment, library, languages
      kk/  en/               one folder per language, each complete on its own:
        index.html           exhibit map and notebooks of this language (no timings)
        manifest.json        per notebook: parameters, hashes, status, timings, files
        ledger.csv           the claims ledger (same rows in both languages)
        ledger.html          the ledger page in this language
        <notebook>/          e.g. 01_trade/, seminar/seminar_01_growth/
          <stem>.ipynb       the executed notebook (no execution timestamps)
          <stem>.html        with code; <stem>.reader.html without code
          figures/<name>.png .svg .json    tables/<name>.csv .json (captions in .json)
      handouts/ screenshots/ anything else a run does not own: carried over untouched

Timings live only in the manifests: two runs on the same inputs give byte-identical files
everywhere else. Both are written in discovery order, so they do not depend on which
notebook finished first.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import platform
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.data.io import atomic_write_text

MANIFEST_SCHEMA = 2
TIMING_FIELDS = ("start", "end", "duration")


def _iso(timestamp: float | None) -> str | None:
    import datetime as dt

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
    files = {"notebook": f"{nb.out_rel}/{nb.stem}.ipynb",
             "html": f"{nb.out_rel}/{nb.stem}.html",
             "reader": f"{nb.out_rel}/{nb.stem}.reader.html"}
    return {
        "stem": nb.stem, "lang": job.lang, "path": f"notebooks/{nb.rel}.ipynb",
        "folder": nb.out_rel, "status": job.status, "source": job.source, "stale": False,
        "parameters": job.parameters, "cache_key": job.key,
        "sha256": {"notebook": _sha256(nb.path), "library": library_sha,
                   "inputs": dict(inputs)},
        "versions": dict(versions),
        "start": _iso(meta.get("start")), "end": _iso(meta.get("end")),
        "duration": meta.get("duration"), "cells": meta.get("cells"),
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


# --------------------------------------------------------------------------- index


def _template(name: str = "index.html.j2") -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.get_template(name)


def index_context(manifest: Mapping[str, Any], lang: str,
                  extra_files: Iterable[str] = ()) -> dict[str, Any]:
    """What the index shows: the exhibit map joined with this run's outputs."""
    from analysis.run import exhibit_map

    by_stem = {nb["stem"]: nb for nb in manifest["notebooks"]}
    outputs = {(nb["stem"], out["kind"], out["name"]): out
               for nb in manifest["notebooks"] for out in nb["outputs"]}
    mapped: set[tuple[str, str, str]] = set()
    rows = []
    for ex in exhibit_map.load():
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
            "ledger": manifest.get("ledger"), "extra_files": sorted(extra_files),
            "other_lang": "en" if lang == "kk" else "kk",
            "versions": manifest["environment"]["versions"]}


def _labels(lang: str) -> dict[str, str]:
    """The index page's labels (``labels/report.yaml``) without their ``report.`` prefix."""
    from analysis.present import i18n

    return {key.removeprefix("report."): i18n.t(key, lang)
            for key in i18n.labels() if key.startswith("report.")}


def render_index(manifest: Mapping[str, Any], lang: str = "kk",
                 extra_files: Iterable[str] = ()) -> str:
    return str(_template().render(**index_context(manifest, lang, extra_files)))


def write_index(path: Path, manifest: Mapping[str, Any], lang: str = "kk",
                extra_files: Iterable[str] = ()) -> Path:
    return atomic_write_text(path, render_index(manifest, lang, extra_files))


def write_language_choice(path: Path, languages: Sequence[str]) -> Path:
    """``reports/index.html``: one link per language folder."""
    names = {"kk": "Қазақша", "en": "English"}
    links = "\n".join(f'<li><a href="{lang}/index.html" hreflang="{lang}">'
                      f"{html.escape(names.get(lang, lang))}</a></li>" for lang in languages)
    text = ("<!DOCTYPE html>\n<html lang=\"kk\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>kaztur-analysis</title>\n</head>\n<body>\n<h1>kaztur-analysis</h1>\n"
            f"<ul>\n{links}\n</ul>\n</body>\n</html>\n")
    return atomic_write_text(path, text)
