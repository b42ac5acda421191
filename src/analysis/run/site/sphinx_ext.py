"""The site's Sphinx extension: Kazakh search, the language switch, offline MathJax.

Kazakh search: Sphinx has no Kazakh search language and would index a Kazakh build with
its English one (Porter stemmer, English stop words). :class:`SearchKazakh` splits on
Unicode word characters (so ә ғ қ ң ө ұ ү һ і are letters), lower-cases, drops a short list
of Kazakh function words and does not stem: Kazakh is agglutinative, and a stemmer that
does not know it would merge unrelated words. Sphinx's client search also matches parts of
words, so «сауда» finds «саудасы», «сауданың».

Notebook images: MyST-NB writes them to ``<outdir>/../jupyter_execute``, which the two
language builds (``site/kk``, ``site/en``) would share while running at once;
:func:`_own_output_folder` gives each build its own folder (``kaztur_nb_output``).

Language switch: every page gets ``kaztur_switch_url``, the same page in the other build
(``../en/<page>.html`` from ``kk/<page>.html``), and its label.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

KAZAKH_STOPWORDS = frozenset("""
және мен бен пен да де та те бұл сол ол осы не немесе үшін туралы арқылы бойынша
ал бірақ әрі яғни ма ме ба бе па пе ғана тек әр барлық
""".split())


class SearchKazakh(SearchLanguage):
    """Search index for Kazakh: Unicode words, lower case, no stemming."""

    lang = "kk"
    language_name = "Kazakh"
    stopwords = KAZAKH_STOPWORDS

    def stem(self, word: str) -> str:
        return word.lower()


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


def _own_output_folder(app: Sphinx) -> None:
    folder = app.config.kaztur_nb_output
    config = getattr(app.env, "mystnb_config", None)
    if folder and config is not None:
        app.env.mystnb_config = config.copy(  # type: ignore[attr-defined]
            output_folder=str(Path(folder).resolve()))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(SearchKazakh)
    app.add_config_value("kaztur_other_lang", "en", "html")
    app.add_config_value("kaztur_switch_label", "", "html")
    app.add_config_value("kaztur_switch_title", "", "html")
    app.add_config_value("kaztur_nb_output", "", "env")
    # after MyST-NB's own builder-inited handler (priority 500), which sets the folder
    app.connect("builder-inited", _own_output_folder, priority=900)
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
