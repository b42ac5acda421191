"""The one number formatter: how each language writes a number, in prose, tables and figures.

Why one module: the dissertation prints Kazakh numbers with a space between thousands and a
decimal comma (``1 580``, ``31,94%``); an English reader expects ``1,580`` and ``31.94%``. A
figure, a table and a sentence of the same notebook must not disagree, so every place that
turns a number into text calls :func:`number` or :func:`percent`.

* Kazakh (``kk``): no-break space between thousands, decimal comma: ``12 000``, ``15,2``.
* English (``en``): comma between thousands, decimal point: ``12,000``, ``15.2``.
* Minus is U+2212 (``−1,1``); a missing value is ``–``; an infinite one ``∞``.
"""

from __future__ import annotations

import math
from decimal import Decimal
from numbers import Real

LANGS = ("kk", "en")
DECIMAL_MARK = {"kk": ",", "en": "."}
THOUSANDS = {"kk": "\u00a0", "en": ","}
MINUS = "\u2212"
MISSING = "–"
INFINITY = "∞"


def _check(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")


def is_missing(value: object) -> bool:
    """None, NaN and pandas' NA: values a reader should see as ``–``."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, and pandas.NA raises TypeError here
    except TypeError:
        return True


def number(value: float | Decimal | None, lang: str, decimals: int = 0,
           group: bool = True) -> str:
    """``value`` with ``decimals`` decimals in ``lang``'s notation (``group``: thousands)."""
    _check(lang)
    if is_missing(value):
        return MISSING
    x = float(value)  # type: ignore[arg-type]
    if math.isinf(x):
        return INFINITY if x > 0 else MINUS + INFINITY
    text = f"{abs(x):,.{decimals}f}" if group else f"{abs(x):.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", DECIMAL_MARK[lang])
    text = text.replace("\x00", THOUSANDS[lang])
    negative = x < 0 and any(ch not in "0.,\u00a0" for ch in text)
    return (MINUS if negative else "") + text


def percent(value: float | Decimal | None, lang: str, decimals: int = 1,
            fraction: bool = False) -> str:
    """A percentage with its sign: ``15,2%`` (kk), ``15.2%`` (en). ``fraction`` means
    ``value`` is a share of 1 (0.152) rather than of 100."""
    if is_missing(value):
        return MISSING
    x = float(value) * (100 if fraction else 1)  # type: ignore[arg-type]
    return number(x, lang, decimals) + "%"


def integer_like(value: object) -> bool:
    """True for a number with no fractional part (980.0), shown without decimals."""
    return isinstance(value, Real) and not is_missing(value) and float(value).is_integer()
