"""Numbered, captioned, bilingual tables and figures for the notebooks.

Why: every exhibit in a notebook gets a number ("Кесте 1.3" / "Table 1.3", where 1 is the
notebook and 3 the exhibit), a caption in the notebook's language, and is saved under a
stable name for the report; headers come from the label files, so a seminar in Kazakh shows
no stray English. Keeping this here keeps the notebooks to one call per exhibit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from analysis.present.i18n import labels, t
from analysis.present.outputs import save_figure, save_table


def header(column: str, prefix: str, lang: str) -> str:
    """The label of ``column``: ``<prefix>.col.<column>`` if defined, else the common
    label ``<column>`` (year, value, …); a column with neither is an error."""
    key = f"{prefix}.col.{column}"
    if key in labels():
        return t(key, lang)
    return t(column, lang)


def localize(frame: pd.DataFrame, prefix: str, lang: str, columns: Iterable[str] | None = None,
             values: Mapping[str, str] | None = None, percent: Iterable[str] = (),
             digits: int = 3) -> pd.DataFrame:
    """``frame`` for display: chosen columns, fractions in ``percent`` × 100, floats rounded
    to ``digits``, string values of the columns in ``values`` replaced by the label
    ``<values[col]>.<value>``, headers from :func:`header`."""
    cols = list(columns) if columns is not None else list(frame.columns)
    out = frame[cols].copy()
    for col in percent:
        if col in out:
            out[col] = out[col].astype(float) * 100
    for col, vprefix in (values or {}).items():
        if col in out:
            out[col] = out[col].map(
                lambda v, p=vprefix: t(f"{p}.{v}", lang) if isinstance(v, str) and v else v)
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(digits)
    out.columns = [header(c, prefix, lang) for c in cols]
    return out.reset_index(drop=True)


class Exhibits:
    """Numbers a notebook's tables and figures, shows them with a caption, saves them."""

    def __init__(self, notebook_number: int, lang: str) -> None:
        self.nb = notebook_number
        self.lang = lang
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

    def table(self, frame: pd.DataFrame, name: str, title_key: str, **fmt: object) -> None:
        """Show ``frame`` under its numbered caption and save it as ``name``."""
        from IPython.display import Markdown, display

        cap = self.caption("table", t(title_key, self.lang, **fmt))
        display(Markdown(f"**{cap}**"))
        display(frame)
        save_table(frame, name, cap)

    def figure(self, fig, name: str, title_key: str, **fmt: object) -> None:
        """Show ``fig`` with its numbered caption below, save it as ``name``, close it."""
        import matplotlib.pyplot as plt
        from IPython.display import Markdown, display

        cap = self.caption("figure", t(title_key, self.lang, **fmt))
        display(fig)
        display(Markdown(f"*{cap}*"))
        save_figure(fig, name, cap)
        plt.close(fig)

    def say(self, key: str, **fmt: object) -> None:
        """A narrative sentence in the notebook's language (numbers filled in by code)."""
        from IPython.display import Markdown, display

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
