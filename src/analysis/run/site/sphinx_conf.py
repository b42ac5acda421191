"""Sphinx configuration of the site (one place; each build's generated ``conf.py`` calls
:func:`configure` with its language).

Sphinx + MyST-NB + sphinx-book-theme, as Jupyter Book 1 builds a book, without the
``jupyter-book`` wrapper (whose 1.x pins an older Sphinx): notebooks are rendered from
their stored outputs (``nb_execution_mode = "off"``: no second execution), MathJax 3 is a
local file in ``_static/`` (never a CDN), the search index uses :mod:`.sphinx_ext`'s search
languages (numbers kept), the theme's texts come from the site's catalogs (``locale_dir``),
and nothing in the theme fetches from the internet.

A ``$`` is mathematics only when it opens a formula directly (``$x$``): "млн $" and
"4,2 / 4,5 млрд $" stay text (``myst_dmath_allow_space`` and ``_allow_digits`` off). The
theme's download button is off: its ".ipynb" pointed at a copy of the page's source and its
".pdf" only printed the page; each notebook page links its executed notebook instead
(:mod:`.build`), and a PDF report can be linked the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.present.i18n import t
from analysis.run.site.assets import MATHJAX_FILE

THEME_DIR = Path(__file__).parent / "theme"


def settings(lang: str, other: str, static_dir: str, output_folder: str,
             locale_dir: str) -> dict[str, Any]:
    """Every Sphinx setting of the ``lang`` build; ``static_dir`` holds MathJax and the
    search script, ``output_folder`` is where MyST-NB writes the notebooks' images (one per
    build), ``locale_dir`` holds the compiled catalogs of the theme's texts."""
    return {
        "project": t("site.short_title", lang),
        "html_title": t("site.title", lang),
        "language": lang,
        "extensions": ["myst_nb", "analysis.run.site.sphinx_ext"],
        "myst_enable_extensions": ["dollarmath", "amsmath", "colon_fence", "html_image"],
        "myst_dmath_allow_space": False,
        "myst_dmath_allow_digits": False,
        "locale_dirs": [locale_dir],
        "nb_code_prompt_show": t("site.nb.code_show", lang),
        "nb_code_prompt_hide": t("site.nb.code_hide", lang),
        "myst_heading_anchors": 3,
        "nb_execution_mode": "off",
        "kaztur_nb_output": output_folder,
        "nb_merge_streams": True,
        "nb_output_stderr": "remove",
        "exclude_patterns": ["_build", "**.ipynb_checkpoints", "_files/**"],
        "suppress_warnings": ["myst.header", "mystnb.unknown_mime_type",
                              "misc.highlighting_failure", "toc.not_included"],
        "html_theme": "sphinx_book_theme",
        "html_static_path": [static_dir, str(THEME_DIR / "static")],
        "templates_path": [str(THEME_DIR / "templates")],
        "html_css_files": ["kaztur-site.css"],
        "html_sidebars": {"**": ["navbar-logo.html", "lang-switch.html",
                                 "search-button-field.html", "sbt-sidebar-nav.html"]},
        "html_theme_options": {
            "navbar_end": ["lang-switch.html"],
            "use_download_button": False, "use_fullscreen_button": False,
            "show_navbar_depth": 1, "home_page_in_toc": True,
            "navigation_with_keys": False, "footer_content_items": [],
            "toc_title": t("site.toc", lang), "search_bar_text": t("site.search", lang),
        },
        "html_context": {"default_mode": "light"},
        "html_last_updated_fmt": None,
        "html_copy_source": False,
        "html_show_sourcelink": False,
        "html_show_sphinx": False,
        "html_search_language": lang,
        # result summaries are fetched page by page, which browsers refuse on file://
        "html_show_search_summary": False,
        "mathjax_path": MATHJAX_FILE,
        "mathjax3_config": {"options": {"enableMenu": False}, "svg": {"fontCache": "global"}},
        "numfig": False,
        "kaztur_other_lang": other,
        "kaztur_switch_label": t("site.switch", lang),
        "kaztur_switch_title": t("site.switch_title", lang),
        "kaztur_toggle_primary": t("site.toggle_primary", lang),
        "kaztur_toggle_secondary": t("site.toggle_secondary", lang),
        "kaztur_toggle_hidden": t("site.toggle_hidden", lang),
    }


def configure(namespace: dict[str, Any], lang: str, other: str, static_dir: str,
              output_folder: str, locale_dir: str) -> None:
    """Fill a ``conf.py``'s globals."""
    namespace.update(settings(lang, other, static_dir, output_folder, locale_dir))
