"""The one number formatter: how each language writes a number, in prose, tables and figures.

Why one module: the dissertation prints Kazakh numbers with a space between thousands and a
decimal comma (``1 580``, ``31,94%``); an English reader expects ``1,580`` and ``31.94%``. A
figure, a table and a sentence of the same notebook must not disagree, so every place that
turns a number into text calls :func:`number` or :func:`percent`.

* Kazakh (``kk``): no-break space between thousands, decimal comma: ``12 000``, ``15,2``.
* English (``en``): comma between thousands, decimal point: ``12,000``, ``15.2``.
* Minus is U+2212 (``−1,1``); a missing value is ``–``; an infinite one ``∞``.

:func:`as_printed` re-writes a number *as the source prints it* (``31,94%``, ``19.5%``,
``≈80%``, ``+12.0%``) in the reader's notation, keeping its printed decimals and marks, so a
figure label never mixes ``31,94`` with ``19.5``. :func:`tick_decimals` picks the decimals
that tell a set of tick values apart (``2,5 5,0 7,5``), used by the figures' axis formatter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from numbers import Real
from typing import SupportsFloat

from analysis.data.parse import NumberFormatError, parse_number

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


Number = SupportsFloat | Real | Decimal | None


def number(value: Number, lang: str, decimals: int = 0, group: bool = True) -> str:
    """``value`` with ``decimals`` decimals in ``lang``'s notation (``group``: thousands)."""
    _check(lang)
    if value is None or is_missing(value):
        return MISSING
    x = float(value)
    if math.isinf(x):
        return INFINITY if x > 0 else MINUS + INFINITY
    text = f"{abs(x):,.{decimals}f}" if group else f"{abs(x):.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", DECIMAL_MARK[lang])
    text = text.replace("\x00", THOUSANDS[lang])
    negative = x < 0 and any(ch not in "0.,\u00a0" for ch in text)
    return (MINUS if negative else "") + text


def percent(value: Number, lang: str, decimals: int = 1, fraction: bool = False) -> str:
    """A percentage with its sign: ``15,2%`` (kk), ``15.2%`` (en). ``fraction`` means
    ``value`` is a share of 1 (0.152) rather than of 100."""
    if value is None or is_missing(value):
        return MISSING
    x = float(value) * (100 if fraction else 1)
    return number(x, lang, decimals) + "%"


def level(fraction: float, lang: str) -> str:
    """A confidence level (a fraction) as the number of per cent a caption or sentence puts
    before its ``%``: 0.95 → ``95``, 0.975 → ``97,5`` (kk) / ``97.5`` (en)."""
    value = 100 * float(fraction)
    return number(value, lang, tick_decimals([value]))


def decimal_places(value: Decimal) -> int:
    """The decimals a :class:`~decimal.Decimal` carries (``Decimal("99.50")`` → 2)."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def as_printed(text: str, lang: str) -> str:
    """A number as the source prints it, in ``lang``'s notation with the printed decimals
    and marks kept: ``"19.5%"`` → ``19,5%`` (kk), ``"31,94%"`` → ``31.94%`` (en),
    ``"≈80%"`` → ``≈80%``, ``"+12.0%"`` → ``+12,0%``. Text that is not a number is returned
    unchanged (``"Аз үлес"``), and so is the missing mark."""
    _check(lang)
    try:
        parsed = parse_number(text)
    except NumberFormatError:
        return text
    if parsed.value is None:
        return text
    body = number(abs(parsed.value) / parsed.multiplier, lang, parsed.decimals)
    if parsed.multiplier != 1:
        word = text.strip().rstrip("%").split()[-1]  # the printed word (млрд, миллион)
        body = f"{body} {word}"
    sign = "+" if parsed.explicit_sign == "+" else MINUS if parsed.value < 0 else ""
    return (("≈" if parsed.approx else "") + sign + body + ("%" if parsed.percent else ""))


def tick_decimals(values: Iterable[float], most: int = 6) -> int:
    """The fewest decimals (at most ``most``) that write every value exactly as far as a
    reader can tell: ticks 0, 2.5, 5 need one, 0, 0.25, 0.5 two, 0, 500, 1000 none."""
    finite = [float(v) for v in values if not is_missing(v) and math.isfinite(float(v))]
    for places in range(most + 1):
        if all(math.isclose(round(v, places), v, rel_tol=0, abs_tol=1e-9 * max(1, abs(v)))
               for v in finite):
            return places
    return most
