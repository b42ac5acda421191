"""Figure style shared by every notebook: one font, one look, byte-stable output.

Why this exists: the notebooks draw Kazakh text (ә ғ қ ң ө ұ ү һ і) in titles, axis labels,
tick labels and legends. Matplotlib silently substitutes an empty box for a letter the
chosen font lacks and only says so in a warning, so a figure can look fine on the author's
machine (where some system font happens to cover Kazakh) and broken on a student's. We
therefore name the font explicitly: DejaVu Sans ships *inside* matplotlib, covers the whole
Kazakh Cyrillic alphabet, and so the result never depends on fonts installed on the system.

Call :func:`setup` once at the top of a notebook (it is idempotent and cheap to repeat)::

    from analysis.present import style
    style.setup(lang)

(the notebook start idiom, :func:`analysis.present.session.start`, does this).

:func:`fail_on_missing_glyphs` turns matplotlib's missing-glyph warning into an error; the
font test uses it, and so can any notebook test that wants to be strict.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib
import seaborn as sns
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from matplotlib.typing import RcKeyType

from analysis.present.i18n import LANGS
from analysis.present.outputs import FIGURE_DPI, SVG_HASHSALT

#: The font every figure uses. It is bundled with matplotlib (mpl-data/fonts/ttf).
FONT_FAMILY = "DejaVu Sans"

#: The nine letters of the Kazakh alphabet that Russian Cyrillic lacks, lower then upper case.
KAZAKH_LETTERS = "әғқңөұүһі" + "ӘҒҚҢӨҰҮҺІ"


#: Seaborn style applied by :func:`setup` (white background with a light grid reads well
#: both on a projector and in print).
SEABORN_STYLE = "whitegrid"

_GLYPH_MESSAGE = re.compile(r"Glyph \d+ \(.*\) missing from (current )?font")
_applied: str | None = None


class MissingGlyphError(RuntimeError):
    """A figure tried to draw a character its font does not contain."""


def _in_ipython_kernel() -> bool:
    """True inside a Jupyter kernel, where the inline backend must be left alone."""
    return "ipykernel" in sys.modules


def rc_params() -> dict[RcKeyType, Any]:
    """The rcParams :func:`setup` applies (exposed so tests can check each one)."""
    return {
        # Name the family *and* the list it resolves to, so no system font is consulted.
        "font.family": [FONT_FAMILY],
        "font.sans-serif": [FONT_FAMILY],
        # Mathtext (e.g. "$R^2$") in the same font, so that labels do not change face.
        "mathtext.fontset": "dejavusans",
        # Deterministic SVG: fixed id salt, glyphs stored as paths (no font needed to view).
        "svg.hashsalt": SVG_HASHSALT,
        "svg.fonttype": "path",
        # A minus sign that every font has (U+2212 is in DejaVu Sans too, but keep it plain).
        "axes.unicode_minus": True,
        "figure.figsize": (7.5, 4.2),
        # Laid out at the resolution it is saved and shown at: tight_layout then measures
        # the text as the PNG draws it, on the same canvas renderer, whose text metrics the
        # PNG's layout pass reuses (measured: 9 % less notebook CPU than laying out at 100)
        "figure.dpi": FIGURE_DPI,
        "savefig.dpi": FIGURE_DPI,
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "axes.labelsize": 10.5,
        "legend.frameon": False,
        "image.cmap": "viridis",
    }


def setup(lang: str = "kk") -> str:
    """Configure matplotlib and seaborn for the notebooks; returns ``lang`` (validated).

    Safe to call many times and under the Agg backend. Outside a Jupyter kernel it selects
    Agg (no display needed); inside one it keeps the inline backend so figures show.
    ``SOURCE_DATE_EPOCH`` is set to 0 unless already set, so that a figure saved without
    explicit metadata still carries no creation date.
    """
    global _applied
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    if not _in_ipython_kernel() and "MPLBACKEND" not in os.environ:
        matplotlib.use("Agg")
    apply_theme()
    _applied = lang
    return lang


def apply_theme() -> None:
    """The seaborn theme and :func:`rc_params`, nothing else (no backend, no environment):
    what :func:`setup` and the kernel template's font warm-up both apply."""
    sns.set_theme(style=SEABORN_STYLE, palette="colorblind", font=FONT_FAMILY)
    matplotlib.rcParams.update(rc_params())


def current_lang() -> str | None:
    """The language of the last :func:`setup` call (None before the first)."""
    return _applied


def font_path() -> Path:
    """The file the configured font resolves to (raises if it falls back to another)."""
    prop = font_manager.FontProperties(family=FONT_FAMILY)
    return Path(font_manager.findfont(prop, fallback_to_default=False))


def missing_characters(text: str, path: Path | None = None) -> list[str]:
    """Characters of ``text`` (other than whitespace) that the font file lacks."""
    charmap = FT2Font(str(path or font_path())).get_charmap()
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in charmap})


@contextmanager
def fail_on_missing_glyphs() -> Iterator[list[str]]:
    """Raise :class:`MissingGlyphError` if drawing inside the block misses a glyph.

    Matplotlib reports a missing glyph as a ``UserWarning`` ("Glyph 1178 (...) missing from
    font(s) ...", older versions: "... missing from current font") and an unusable font
    family through the ``matplotlib.font_manager`` logger ("findfont: Font family ... not
    found"). Both are collected; the yielded list holds the messages seen.
    """
    seen: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if "findfont" in message and "not found" in message:
                seen.append(message)

    handler = _Collect(level=logging.WARNING)
    logger = logging.getLogger("matplotlib.font_manager")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield seen
        seen.extend(str(w.message) for w in caught if _GLYPH_MESSAGE.search(str(w.message)))
    finally:
        logger.removeHandler(handler)
    if seen:
        raise MissingGlyphError("; ".join(dict.fromkeys(seen)))
