"""The checksum manifest of ``data/raw/``: a Frictionless data package descriptor.

``datapackage.json`` records, per raw file, its exhibit, source line range, fields with
descriptions and its sha256. It is generated from :mod:`analysis.data.schemas` by
``kaztur manifest`` (a deliberate step after a transcription change) and checked by
``kaztur verify``: a file whose bytes changed without the manifest being regenerated is an
error, as is a descriptor that no longer matches the schemas in code.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis import config
from analysis.data.io import atomic_write_text, read_json_object, sha256_file
from analysis.data.schemas import RESOURCES, Resource
from analysis.errors import DataError, Problem, rel

PROFILE = "tabular-data-package"


def _resource_descriptor(res: Resource, raw_dir: Path) -> dict:
    path = raw_dir / res.path
    return {
        "name": res.name,
        "path": res.path,
        "profile": "tabular-data-resource",
        "title": res.title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "hash": f"sha256:{sha256_file(path)}",
        "bytes": path.stat().st_size,
        "sources": [
            {
                "title": "dissertation_kk.txt" if res.exhibit != "running text"
                else "dissertation_kk.txt (running text); news_2021_kk.txt for some events",
                "exhibit": res.exhibit,
                "lines": f"{res.source_lines[0]}–{res.source_lines[1]}",
            }
        ],
        "schema": {
            "fields": [
                {"name": f.name, "type": f.type, "description": f.description,
                 "constraints": {"required": True} if f.required else {}}
                for f in res.fields
            ],
            "primaryKey": list(res.key),
        },
    }


def build(raw_dir: Path | None = None) -> dict:
    """The descriptor for the raw files as they are now."""
    raw_dir = raw_dir or config.RAW_DIR
    return {
        "profile": PROFILE,
        "name": "kaztur-analysis-raw",
        "title": "Numbers transcribed by hand from a Kazakh-language dissertation on "
        "Kazakhstan–Türkiye relations within the Organization of Turkic States",
        "licenses": [{"name": "CC-BY-4.0", "title": "Our transcription: CC BY 4.0; the "
                      "numbers are the dissertation author's, quoted for scholarship"}],
        "resources": [_resource_descriptor(r, raw_dir) for r in RESOURCES.values()],
    }


def write(raw_dir: Path | None = None) -> Path:
    raw_dir = raw_dir or config.RAW_DIR
    missing = [r.path for r in RESOURCES.values() if not (raw_dir / r.path).is_file()]
    if missing:
        raise DataError([Problem(rel(raw_dir / m), None, None, "this raw file", "missing")
                         for m in missing])
    text = json.dumps(build(raw_dir), ensure_ascii=False, indent=2) + "\n"
    return atomic_write_text(raw_dir / "datapackage.json", text)


def check(raw_dir: Path | None = None) -> list[Problem]:
    """Every mismatch between the files, the descriptor and the schemas in code."""
    raw_dir = raw_dir or config.RAW_DIR
    descriptor_path = raw_dir / "datapackage.json"
    if not descriptor_path.is_file():
        return [Problem(rel(descriptor_path), None, None, "the checksum manifest", "no file")]
    try:
        descriptor = read_json_object(descriptor_path, "the checksum manifest")
    except DataError as exc:
        return exc.problems
    problems: list[Problem] = []
    listed = {r.get("name"): r for r in descriptor.get("resources", [])}
    for name, res in RESOURCES.items():
        path = raw_dir / res.path
        entry = listed.pop(name, None)
        if entry is None:
            problems.append(Problem(rel(descriptor_path), None, None,
                                    f"an entry for {res.path}", "none"))
            continue
        if not path.is_file():
            problems.append(Problem(rel(path), None, None, "this raw file", "missing"))
            continue
        actual = f"sha256:{sha256_file(path)}"
        if entry.get("hash") != actual:
            problems.append(Problem(rel(path), None, None,
                                    f"checksum {entry.get('hash')} from datapackage.json "
                                    "(raw files are never edited; if this change is a "
                                    "deliberate transcription fix, run `kaztur manifest`)",
                                    actual))
        expected = _resource_descriptor(res, raw_dir)
        if entry.get("schema") != expected["schema"]:
            problems.append(Problem(rel(descriptor_path), None, name,
                                    "the schema defined in analysis.data.schemas",
                                    "a different one"))
        for key in ("path", "title", "sources"):  # the exhibit, its lines
            if entry.get(key) != expected[key]:
                problems.append(Problem(rel(descriptor_path), None, name,
                                        f"the {key} defined in analysis.data.schemas, "
                                        f"{json.dumps(expected[key], ensure_ascii=False)} "
                                        "(run `kaztur manifest`)",
                                        json.dumps(entry.get(key), ensure_ascii=False)))
    for name in sorted(listed):
        problems.append(Problem(rel(descriptor_path), None, name,
                                "only resources defined in analysis.data.schemas",
                                "unknown resource"))
    return problems
