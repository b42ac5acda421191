"""Numbered, captioned, bilingual tables and figures for the notebooks, and their results.

Why: every exhibit in a notebook gets a number ("Кесте 1.3" / "Table 1.3", where 1 is the
notebook and 3 the exhibit), a caption in the notebook's language, and is saved under a
stable name for the report; headers come from the label files, so a seminar in Kazakh shows
no stray English. Keeping this here keeps the notebooks to one call per exhibit::

    ex.table("k7_recomputed", trade.recomputed(k7))        # spec in present/specs/
    ex.figure(trade_figures.plot_levels(k7, ex.lang), "fig_trade_levels", "trade.fig.levels")
    ex.say("trade.say.range", start=2018, end=2023)
    ex.publish(*trade_tables.growth_results(summary))      # results as data

A table is shown as text in the notebook's notation (:func:`tablespec.display_text`: no
index, ``–`` for a missing value, localised yes/no) and saved three ways
(:mod:`analysis.present.outputs`): localised, language-neutral, and as the text shown.
Results (:mod:`analysis.present.results`) are published as data, never as text.

What a reader could not read is refused here, before anything is saved: a caption or a
figure text with an unfilled ``{placeholder}``, a table with two columns of the same label.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis.present import tablespec
from analysis.present.i18n import t
from analysis.present.outputs import figure_png, save_figure, save_results, save_table
from analysis.present.results import Result, unfilled
from analysis.present.tablespec import localize

__all__ = ["ExhibitError", "Exhibits", "localize"]


@dataclasses.dataclass(frozen=True)
class _Shown:
    """A figure as the notebook shows it: the PNG the report saves, with the figure's repr
    as its text (what the inline backend gives, and what a plain ``print`` shows)."""

    png: bytes
    text: str

    def _repr_mimebundle_(self, include: object = None, exclude: object = None
                          ) -> dict[str, str]:
        return {"image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text


class ExhibitError(ValueError):
    """A table, figure or caption a reader could not read as it stands."""


PRINTED_CLASS = "kaztur-printed"


def _html(text: pd.DataFrame, printed: list[bool]) -> HTML:
    """The table as HTML; the cells that quote the source as printed carry the class
    ``kaztur-printed`` (their notation is the source's, not the page's)."""
    page = text.to_html(index=False, escape=True, classes="kaztur-table", border=0)
    if not any(printed):
        return HTML(page)
    head, _, body = page.partition("<tbody>")

    def mark(row: re.Match[str]) -> str:
        cells = iter(printed)
        return re.sub(r"<td>", lambda _: f'<td class="{PRINTED_CLASS}">' if next(cells, False)
                      else "<td>", row.group(0))

    return HTML(head + "<tbody>" + re.sub(r"<tr>.*?</tr>", mark, body, flags=re.S))


def printed_columns(spec: tablespec.TableSpec, frame: pd.DataFrame, lang: str) -> list[bool]:
    """For each shown column: does it quote the source as printed?"""
    return [spec.quoted(c) for c in spec.shown(frame, lang)]


def execution_count() -> int | None:
    """The execution count of the cell running now (what the executed notebook stores for
    it), or None outside a kernel."""
    from IPython import get_ipython

    shell = get_ipython()
    count = getattr(shell, "execution_count", None) if shell is not None else None
    return int(count) if isinstance(count, int) else None


def _check_text(what: str, texts: list[str]) -> None:
    left = sorted({x for text in texts for x in unfilled(text)})
    if left:
        raise ExhibitError(f"{what}: {', '.join(left)} not filled in")


def _check_columns(name: str, columns: list[str]) -> None:
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise ExhibitError(f"table {name}: two columns share the label(s) "
                           f"{', '.join(twice)}; give them distinct labels")


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
        cap = f"{t(kind, self.lang)} {self.nb}.{n}. {title}"
        _check_text(f"{kind} caption {cap!r}", [cap])
        return cap

    def _prepare(self, name: str, frame: pd.DataFrame, title: str
                 ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """The table's cells as text (checked) and its language-neutral rows (none for a
        table as printed: its language-neutral form is its file in ``data/raw/``)."""
        spec = tablespec.spec(name)
        _check_text(f"table {name}: title", [title])
        shown = tablespec.display_text(frame, spec, self.lang)
        _check_columns(name, [str(c) for c in shown.columns])
        data = None if spec.as_printed else tablespec.neutral(frame, spec, self.lang)
        return shown, data

    def table(self, name: str, frame: pd.DataFrame, **fmt: object) -> None:
        """Show the table ``name`` (its spec in ``present/specs/``) built from ``frame``
        under its numbered caption, and save it; ``fmt`` fills the caption's fields.
        Returns nothing, so that a cell ending with it shows the table once (as text), not
        a second time as a pandas frame with its index."""
        spec = tablespec.spec(name)
        title = t(spec.title, self.lang, **fmt)
        shown, data = self._prepare(name, frame, title)
        cap = self.caption("table", title)
        printed = printed_columns(spec, frame, self.lang)
        display(Markdown(f"**{cap}**"))
        display(_html(shown, printed))
        save_table(localize(frame, spec, self.lang), name, cap, data=data, shown=shown,
                   printed=printed, cell=execution_count())

    def file(self, name: str, frame: pd.DataFrame, **fmt: object) -> None:
        """Save the table ``name`` as its spec formats it, under its caption, without
        showing it: a table too long to read in a notebook (the report links the file)."""
        spec = tablespec.spec(name)
        title = t(spec.title, self.lang, **fmt)
        shown, data = self._prepare(name, frame, title)
        save_table(localize(frame, spec, self.lang), name, title, data=data, shown=shown,
                   printed=printed_columns(spec, frame, self.lang), cell=execution_count())

    def show(self, name: str, frame: pd.DataFrame) -> None:
        """Show ``frame`` as the spec ``name`` formats it, without a number, caption or
        file: for exercises and their solutions, which are not exhibits of the report."""
        spec = tablespec.spec(name)
        display(_html(tablespec.display_text(frame, spec, self.lang),
                      printed_columns(spec, frame, self.lang)))

    def figure(self, fig: Figure, name: str, title_key: str, *, front: bool = False,
               **fmt: object) -> None:
        """Show ``fig`` with its numbered caption below, save it as ``name``, close it;
        ``front``: the site's front page shows it."""
        texts = [a.get_text() for a in fig.findobj(Text)]
        _check_text(f"figure {name}", texts)
        cap = self.caption("figure", t(title_key, self.lang, **fmt))
        png = figure_png(fig)
        display(_Shown(png, repr(fig)))  # drawn once: not for the screen and again to save
        display(Markdown(f"*{cap}*"))
        save_figure(fig, name, cap, cell=execution_count(), front=front, png=png)
        plt.close(fig)

    def say(self, key: str, **fmt: object) -> None:
        """A narrative sentence in the notebook's language (numbers filled in by code,
        written with :mod:`analysis.present.numbers`)."""
        text = t(key, self.lang, **fmt)
        _check_text(f"sentence {key}", [text])
        display(Markdown(text))

    def state(self, *results: Result) -> None:
        """Publish ``results`` (:meth:`publish`) and say each one's sentence in the
        notebook's language: the number a reader sees here is the one the site states."""
        self.publish(*results)
        for result in results:
            display(Markdown(result.sentence(self.lang)))

    def publish(self, *results: Result) -> None:
        """Publish ``results`` as data (``results.json``; see
        :mod:`analysis.present.results`), each checked in both languages and marked with
        the cell that published it. Shows nothing: the notebook states its results with
        :meth:`say` and its tables."""
        cell = execution_count()
        stamped = [dataclasses.replace(r, cell=cell) for r in results]
        for result in stamped:
            result.check()
        save_results(stamped)
