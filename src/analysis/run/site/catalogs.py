"""The site's own translations of its chrome, compiled for Sphinx.

Sphinx, pydata-sphinx-theme and sphinx-book-theme have no Kazakh translations, so the
site ships catalogs (``locale/<lang>/LC_MESSAGES/sphinx.po``: Sphinx and pydata, which share
Sphinx's catalog; ``booktheme.po``: sphinx-book-theme). :func:`compile_catalogs` writes them
as ``.mo`` files into the build folder, with ``sphinx.js`` (the same texts for the search
page's scripts); ``conf.py`` names that folder in ``locale_dirs``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.data.io import atomic_write_bytes

LOCALE_DIR = Path(__file__).parent / "locale"
CATALOGS = ("sphinx", "booktheme")  # Sphinx and pydata-sphinx-theme; sphinx-book-theme


def _po(lang: str, catalog: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{catalog}.po"


def compile_catalogs(langs: Sequence[str], target: Path) -> None:
    """Each language's catalogs as ``.mo`` files under ``target/<lang>/LC_MESSAGES/`` (and
    ``sphinx.js`` for the search page's scripts); nothing for a language the site has no
    catalogs for. Each file is replaced whole (the folder may share files with the live
    site), and only when it changed."""
    from babel.messages import mofile, pofile

    for lang in langs:
        folder = target / lang / "LC_MESSAGES"
        for catalog in CATALOGS:
            po = _po(lang, catalog)
            if not po.is_file():
                continue
            with po.open("rb") as f:
                messages = pofile.read_po(f, locale=lang, domain=catalog)
            buffer = io.BytesIO()
            mofile.write_mo(buffer, messages, use_fuzzy=False)
            _replace(folder / f"{catalog}.mo", buffer.getvalue())
            if catalog == "sphinx":
                _replace(folder / "sphinx.js", _js_catalog(lang, messages).encode("utf-8"))


def _js_catalog(lang: str, messages: Any) -> str:
    strings = {m.id if isinstance(m.id, str) else m.id[0]:
               m.string if isinstance(m.string, str) else list(m.string)
               for m in messages if m.id and m.string}
    return ("Documentation.addTranslations(" + json.dumps(
        {"locale": lang, "messages": dict(sorted(strings.items())),
         "plural_expr": "n == 1 ? 0 : 1"}, ensure_ascii=False, indent=1) + ");\n")


def _replace(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    atomic_write_bytes(path, data)
