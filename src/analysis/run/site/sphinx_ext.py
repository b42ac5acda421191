"""The site's Sphinx extension: search that finds numbers and Kazakh words, Kazakh chrome, the
language switch, each build's own notebook images.

**Search.** Sphinx ships no Kazakh search language, indexes a Kazakh build with its English
one (Porter stemmer, English stop words), and drops every term that is only digits, both
when it indexes and when it reads a query, so a line number ("1332") or a number
("92,83") finds nothing. The site therefore uses its own search languages
(:class:`SearchKazakh`, :class:`SearchEnglish`; Sphinx's ``SearchLanguage`` API) and a
``searchtools.js`` with the one line that skips digit-only terms removed
(:func:`searchtools_js`: Sphinx's own file, patched at build time; a Sphinx whose file no
longer has that line fails the build instead of silently searching without numbers):

* words are Unicode letters (so ә ғ қ ң ө ұ ү һ і are letters); Kazakh is lower-cased and not
  stemmed (it is agglutinative, and a stemmer that does not know it would merge unrelated
  words; Sphinx's client search also matches parts of words, so «саммит» finds «саммитте»),
  English keeps Sphinx's Porter stemmer;
* a number is one term in a canonical form, whatever the notation it was written in: no
  thousands separator and a decimal point (``1 332`` and ``1,332`` → ``1332``; ``92,83``
  (kk) and ``92.83`` → ``92.83``). The query is read the same way by the JavaScript
  splitter that the language supplies (``js_splitter_code``), so "92,83", "92.83" and
  "1332" find their pages in either build.

**Chrome.** Sphinx, pydata-sphinx-theme and sphinx-book-theme have no Kazakh translations;
the site ships its own catalogs (``locale/kk/LC_MESSAGES/*.po``), compiled into the build
folder by :mod:`.catalogs`; :func:`setup` registers the theme's catalog, and gives the
buttons the theme and MyST-NB label in English only a label in the page's language.

**Notebook images.** MyST-NB writes them to ``<outdir>/../jupyter_execute``, which the two
language builds would share while running at once; :func:`_own_output_folder` gives each
build its own folder (``kaztur_nb_output``).

**The same bytes.** Two builds of the same sources write the same files, whatever was built
before (:func:`_prune_search_index`, :func:`_assets_first`).

**Language switch.** Every page gets ``kaztur_switch_url``, the same page in the other build
(``../en/<page>.html`` from ``kk/<page>.html``), and its label.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage
from sphinx.search.en import SearchEnglish as SphinxEnglish

KAZAKH_STOPWORDS = frozenset("""
және мен бен пен да де та те бұл сол ол осы не немесе үшін туралы арқылы бойынша
ал бірақ әрі яғни ма ме ба бе па пе ғана тек әр барлық
""".split())

# A number: digits in groups of three after a (no-break) space or comma, then decimals.
_NUMBER = r"\d+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)?"
_TERM = re.compile(rf"{_NUMBER}|[^\W\d_]+", re.UNICODE)
_SKIP_DIGITS = "if (stopwords.has(queryTermLower) || queryTerm.match(/^\\d+$/)) return;"
_KEEP_DIGITS = "if (stopwords.has(queryTermLower)) return;"


def canonical_number(token: str, lang: str) -> str:
    """A number as the index keeps it: no thousands separator, a decimal point. A comma is a
    decimal comma in Kazakh; in English it separates thousands when three digits follow."""
    text = re.sub(r"[ \u00a0\u202f]", "", token)
    if lang == "en":
        text = re.sub(r",(?=\d{3}(?!\d))", "", text)
    return text.replace(",", ".")


def split_terms(text: str, lang: str) -> list[str]:
    """Words and numbers (canonical) of ``text``."""
    return [canonical_number(t, lang) if t[0].isdigit() else t for t in _TERM.findall(text)]


def js_splitter(lang: str) -> str:
    """``splitQuery`` for the search page: the same terms as :func:`split_terms`."""
    grouping = ("text = text.replace(/,(?=\\d{3}(?!\\d))/g, '');" if lang == "en" else "")
    return f"""
function splitQuery(query) {{
  var out = [];
  var re = /\\d+(?:[ \\u00a0\\u202f]\\d{{3}}(?!\\d))*(?:[.,]\\d+)?|[\\p{{L}}\\p{{M}}]+/gu;
  var m;
  while ((m = re.exec(query)) !== null) {{
    var text = m[0];
    if (/^\\d/.test(text)) {{
      text = text.replace(/[ \\u00a0\\u202f]/g, '');
      {grouping}
      text = text.replace(/,/g, '.');
    }}
    out.push(text);
  }}
  return out;
}}
"""


class _Numbers:
    """What both search languages share: numbers kept, in canonical form."""

    lang: str

    def split(self, input: str) -> list[str]:  # noqa: A002 (Sphinx's signature)
        return split_terms(input, self.lang)

    def word_filter(self, word: str) -> bool:
        return bool(word) and word not in self.stopwords  # type: ignore[attr-defined]


class SearchKazakh(_Numbers, SearchLanguage):
    """Search index for Kazakh: Unicode words, lower case, no stemming, numbers kept."""

    lang = "kk"
    language_name = "Kazakh"
    stopwords = KAZAKH_STOPWORDS
    js_splitter_code = js_splitter("kk")

    def stem(self, word: str) -> str:
        return word.lower()


class SearchEnglish(_Numbers, SphinxEnglish):
    """Sphinx's English search (Porter stemmer, stop words), numbers kept."""

    js_splitter_code = js_splitter("en")


def searchtools_js() -> str:
    """Sphinx's ``searchtools.js`` without the line that drops digit-only query terms."""
    import sphinx

    source = Path(sphinx.__file__).parent / "themes" / "basic" / "static" / "searchtools.js"
    text = source.read_text(encoding="utf-8")
    if _SKIP_DIGITS not in text:
        raise RuntimeError(f"{source}: the line that drops digit-only search terms has "
                           "changed; update analysis.run.site.sphinx_ext for this Sphinx")
    return text.replace(_SKIP_DIGITS, _KEEP_DIGITS)


def switch_url(pagename: str, other: str) -> str:
    """The same page in the ``other`` language build (a sibling folder)."""
    return "../" * (pagename.count("/") + 1) + f"{other}/{pagename}.html"


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: Any) -> None:
    other = app.config.kaztur_other_lang
    context["kaztur_switch_url"] = switch_url(pagename, other)
    context["kaztur_switch_label"] = app.config.kaztur_switch_label
    context["kaztur_switch_title"] = app.config.kaztur_switch_title
    context["kaztur_other_lang"] = other
    context["kaztur_toggle_primary"] = app.config.kaztur_toggle_primary
    context["kaztur_toggle_secondary"] = app.config.kaztur_toggle_secondary


def _own_output_folder(app: Sphinx) -> None:
    folder = app.config.kaztur_nb_output
    config = getattr(app.env, "mystnb_config", None)
    if folder and config is not None:
        app.env.mystnb_config = config.copy(  # type: ignore[attr-defined]
            output_folder=str(Path(folder).resolve()))


def _theme_catalog(app: Sphinx) -> None:
    for folder in app.config.locale_dirs:
        app.add_message_catalog("booktheme", str(Path(app.confdir, folder)))


def _prune_search_index(app: Sphinx) -> list[Any]:
    """Drop the search terms no page holds any more. An incremental build keeps a term of a
    rewritten page with no pages left, so the index would depend on the site's history;
    without them two builds of the same sources write the same bytes. (Runs when the
    builder collects extra pages, just before it writes the index; adds no page.)"""
    indexer = getattr(app.builder, "indexer", None)
    for mapping in (getattr(indexer, "_mapping", {}), getattr(indexer, "_title_mapping", {})):
        for term in [t for t, docs in mapping.items() if not docs]:
            del mapping[term]
    return []


def _assets_first(app: Sphinx, builder: Any) -> None:
    """MyST-NB copies its stylesheet only when the build finishes, so on a first build the
    pages are written before it exists and link it without the checksum Sphinx appends
    (``?v=…``), on the next with it. Copied before any page is written, it is linked the
    same way every time."""
    from myst_nb.sphinx_ext import add_global_html_resources  # type: ignore[import-untyped]

    Path(app.outdir, "_static").mkdir(parents=True, exist_ok=True)
    add_global_html_resources(app, None)
    with contextlib.suppress(ImportError, AttributeError):
        from sphinx.builders.html._assets import _file_checksum_inner

        _file_checksum_inner.cache_clear()


def _visit_hidden_cell(self: Any, node: Any) -> None:
    """MyST-NB's collapsed cell, with the toggle's label in the page's language (MyST-NB
    writes it in English only)."""
    from html import escape

    classes = " ".join(node["classes"])
    label = escape(self.config.kaztur_toggle_hidden)
    self.body.append(f'<details class="admonition hide {classes}">\n'
                     f'<summary aria-label="{label}">\n'
                     f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n'
                     f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n'
                     "</summary>\n")


def _depart_hidden_cell(self: Any, node: Any) -> None:
    self.body.append("</details>\n")


def setup(app: Sphinx) -> dict[str, Any]:
    from myst_nb.sphinx_ import HideCodeCellNode  # type: ignore[import-untyped]

    app.add_search_language(SearchKazakh)
    app.add_search_language(SearchEnglish)
    app.add_config_value("kaztur_other_lang", "en", "html")
    app.add_config_value("kaztur_switch_label", "", "html")
    app.add_config_value("kaztur_switch_title", "", "html")
    app.add_config_value("kaztur_toggle_primary", "", "html")
    app.add_config_value("kaztur_toggle_secondary", "", "html")
    app.add_config_value("kaztur_toggle_hidden", "", "html")
    app.add_node(HideCodeCellNode, override=True,
                 html=(_visit_hidden_cell, _depart_hidden_cell))
    app.add_config_value("kaztur_nb_output", "", "env")
    # after MyST-NB's own builder-inited handler (priority 500), which sets the folder
    app.connect("builder-inited", _own_output_folder, priority=900)
    app.connect("builder-inited", _theme_catalog)
    app.connect("html-page-context", _page_context)
    app.connect("html-collect-pages", _prune_search_index)
    app.connect("write-started", _assets_first)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
