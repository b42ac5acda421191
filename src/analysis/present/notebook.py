"""Numbered, captioned, bilingual tables and figures for the notebooks.

Why: every exhibit in a notebook gets a number ("Кесте 1.3" / "Table 1.3", where 1 is the
notebook and 3 the exhibit), a caption in the notebook's language, and is saved under a
stable name for the report; headers come from the label files, so a seminar in Kazakh shows
no stray English. Keeping this here keeps the notebooks to one call per exhibit::

    ex.table("k7_recomputed", trade.recomputed(k7))        # spec in present/specs/
    ex.figure(trade_figures.plot_levels(k7, ex.lang), "fig_trade_levels", "trade.fig.levels")
    ex.say("trade.say.range", start=2018, end=2023)

A table is shown as text in the notebook's notation (:func:`tablespec.display_text`: no
index, ``–`` for a missing value, localised yes/no) and saved as the localised table (headers
in the language, values as numbers) in ``tables/<name>.csv``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display
from matplotlib.figure import Figure

from analysis.present import tablespec
from analysis.present.i18n import t
from analysis.present.outputs import save_figure, save_table
from analysis.present.tablespec import localize

__all__ = ["Exhibits", "localize"]


def _html(frame: pd.DataFrame, spec: tablespec.TableSpec, lang: str) -> HTML:
    text = tablespec.display_text(frame, spec, lang)
    return HTML(text.to_html(index=False, escape=True, classes="kaztur-table", border=0))


class Exhibits:
    """Numbers a notebook's tables and figures, shows them with a caption, saves them."""

    def __init__(self, notebook_number: int | str, lang: str,
                 params: Mapping[str, Any] | None = None) -> None:
        self.nb = notebook_number
        self.lang = lang
        self.params = dict(params or {"lang": lang})
        self.tables = 0
        self.figures = 0

    def numbered(self, number: int | str) -> Exhibits:
        """Exhibits of the same notebook numbered apart (``"Б"``: Сурет Б.1, Б.2, ... for
        the survey appendix's charts redrawn)."""
        return Exhibits(number, self.lang, self.params)

    def caption(self, kind: str, title: str) -> str:
        if kind == "table":
            self.tables += 1
            n = self.tables
        else:
            self.figures += 1
            n = self.figures
        return f"{t(kind, self.lang)} {self.nb}.{n}. {title}"

    def table(self, name: str, frame: pd.DataFrame, **fmt: object) -> None:
        """Show the table ``name`` (its spec in ``present/specs/``) built from ``frame``
        under its numbered caption, and save it; ``fmt`` fills the caption's fields.
        Returns nothing, so that a cell ending with it shows the table once (as text), not
        a second time as a pandas frame with its index."""
        spec = tablespec.spec(name)
        cap = self.caption("table", t(spec.title, self.lang, **fmt))
        shown = localize(frame, spec, self.lang)
        display(Markdown(f"**{cap}**"))
        display(_html(frame, spec, self.lang))
        save_table(shown, name, cap)

    def file(self, name: str, frame: pd.DataFrame, **fmt: object) -> None:
        """Save the table ``name`` as its spec formats it, under its caption, without
        showing it: a table too long to read in a notebook (the report links the file)."""
        spec = tablespec.spec(name)
        save_table(localize(frame, spec, self.lang), name, t(spec.title, self.lang, **fmt))

    def show(self, name: str, frame: pd.DataFrame) -> None:
        """Show ``frame`` as the spec ``name`` formats it, without a number, caption or
        file: for exercises and their solutions, which are not exhibits of the report."""
        display(_html(frame, tablespec.spec(name), self.lang))

    def figure(self, fig: Figure, name: str, title_key: str, **fmt: object) -> None:
        """Show ``fig`` with its numbered caption below, save it as ``name``, close it."""
        cap = self.caption("figure", t(title_key, self.lang, **fmt))
        display(fig)
        display(Markdown(f"*{cap}*"))
        save_figure(fig, name, cap)
        plt.close(fig)

    def say(self, key: str, **fmt: object) -> None:
        """A narrative sentence in the notebook's language (numbers filled in by code,
        written with :mod:`analysis.present.numbers`)."""
        display(Markdown(t(key, self.lang, **fmt)))
