"""Bilingual labels (Kazakh and English) for titles, axes, table headers and captions.

Labels live in YAML files under ``analysis/present/labels/`` (one per topic, so that topics can
be edited independently); each entry has a ``kk`` and an ``en`` text. A missing key or
language is an error rather than a silent fallback: a seminar in Kazakh must not show
stray English.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from analysis.data.io import parse_yaml

LANGS = ("kk", "en")
_LABEL_DIR = Path(__file__).parent / "labels"


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_LABEL_DIR.glob("*.yaml")):
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
        for key, entry in data.items():
            if key in merged:
                raise ValueError(f"label {key!r} defined twice (again in {path.name})")
            missing = [lang for lang in LANGS if lang not in entry]
            if missing:
                raise ValueError(f"label {key!r} in {path.name} lacks {', '.join(missing)}")
            merged[key] = {lang: str(entry[lang]) for lang in LANGS}
    return merged


def t(key: str, lang: str, **fmt: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``fmt`` (``str.format`` fields)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    try:
        text = labels()[key][lang]
    except KeyError:
        raise KeyError(f"no label {key!r}; add it to a file in {_LABEL_DIR}") from None
    return text.format(**fmt) if fmt else text


def exhibit_name(name: str, lang: str) -> str:
    """A source's name as the data writes it (``Кесте 6``, ``text``) in ``lang``
    (``Table 6``, ``Text``)."""
    return t(f"exhibit.{name}", lang)
