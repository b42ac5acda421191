"""Numbered, captioned, bilingual tables and figures for the notebooks.

Why: every exhibit in a notebook gets a number ("Кесте 1.3" / "Table 1.3", where 1 is the
notebook and 3 the exhibit), a caption in the notebook's language, and is saved under a
stable name for the report; headers come from the label files, so a seminar in Kazakh shows
no stray English. Keeping this here keeps the notebooks to one call per exhibit.
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

__all__ = ["Exhibits", "localize", "num", "pct"]


class Exhibits:
    """Numbers a notebook's tables and figures, shows them with a caption, saves them."""

    def __init__(self, notebook_number: int | str, lang: str,
                 params: Mapping[str, Any] | None = None) -> None:
        self.nb = notebook_number
        self.lang = lang
        self.params = dict(params or {"lang": lang})
        self.tables = 0
        self.figures = 0

    def caption(self, kind: str, title: str) -> str:
        if kind == "table":
            self.tables += 1
            n = self.tables
        else:
            self.figures += 1
            n = self.figures
        return f"{t(kind, self.lang)} {self.nb}.{n}. {title}"

    def table(self, name: str | pd.DataFrame, frame: pd.DataFrame | str, *args: str,
              **fmt: object) -> None:
        """Show the table ``name`` (its spec in ``present/specs/``) built from ``frame``
        under its numbered caption, and save it; ``fmt`` fills the caption's fields.
        Returns nothing, so a cell that ends with it shows the table once."""
        if isinstance(name, pd.DataFrame):  # transitional form: (frame, name, title_key)
            assert isinstance(frame, str)
            table = name
            cap = self.caption("table", t(args[0], self.lang, **fmt))
            display(Markdown(f"**{cap}**"))
            display(table)
            save_table(table, frame, cap)
            return
        assert isinstance(frame, pd.DataFrame)
        spec = tablespec.spec(name)
        cap = self.caption("table", t(spec.title, self.lang, **fmt))
        shown = localize(frame, spec, self.lang)
        text = tablespec.display_text(frame, spec, self.lang)
        display(Markdown(f"**{cap}**"))
        display(HTML(text.to_html(index=False, escape=True, classes="kaztur-table",
                                  border=0)))
        save_table(shown, name, cap)

    def figure(self, fig: Figure, name: str, title_key: str, **fmt: object) -> None:
        """Show ``fig`` with its numbered caption below, save it as ``name``, close it."""
        cap = self.caption("figure", t(title_key, self.lang, **fmt))
        display(fig)
        display(Markdown(f"*{cap}*"))
        save_figure(fig, name, cap)
        plt.close(fig)

    def say(self, key: str, **fmt: object) -> None:
        """A narrative sentence in the notebook's language (numbers filled in by code)."""
        display(Markdown(t(key, self.lang, **fmt)))


def pct(x: float, digits: int = 1) -> str:
    """A fraction as a percent string with a fixed number of decimals (0.1516 → '15.2')."""
    return f"{x * 100:.{digits}f}"


def num(x: float, digits: int = 0) -> str:
    """A number with thin-space thousands (as the dissertation prints them: 3 200)."""
    if x != x:  # NaN
        return "–"
    if x in (float("inf"), float("-inf")):
        return "∞"
    text = f"{x:,.{digits}f}".replace(",", " ")
    return text
