"""Parse numbers in every form the dissertation prints them.

Forms met in the source: ``1 580`` (a space, no-break space or thin space between
thousands), ``31,94%`` (decimal comma), ``9.8%`` (decimal point), ``+12.0%`` and ``-1.1%``
(explicit signs; U+2212 and an en dash are accepted as minus too), ``≈80%``, a lone ``–``
for "not given", ``30 млрд``, ``2,7 трлн``, ``6,3 миллиард``, ``53,5 млн``, ``4 мың`` and
``96 пайыз`` (the Kazakh word for per cent), and small numbers spelt out (``екі миллион``,
``үш`` in "үш есе"). A fraction printed without its leading digit (``,8 миллиард`` at
line 1107, where a digit has dropped out) reads literally as 0.8 billion; the ledger flags it.

Values are :class:`decimal.Decimal` so that the printed precision survives: the claims
ledger needs to know that ``+12.0%`` was printed to one decimal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MISSING_MARKS = frozenset({"–", "—", "-"})
_GROUP_SEPARATORS = " \u00a0\u2009\u202f"
_MINUS_SIGNS = "-\u2212\u2013"

# Small numbers the text spells out ("екі миллион тонна", "үш есе").
NUMBER_WORDS: dict[str, int] = {
    "бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5,
    "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9, "он": 10,
}

MULTIPLIERS: dict[str, int] = {
    "мың": 10**3,
    "млн": 10**6,
    "миллион": 10**6,
    "млрд": 10**9,
    "миллиард": 10**9,
    "трлн": 10**12,
    "триллион": 10**12,
}

_NUMBER = re.compile(
    r"""^
    (?P<approx>[≈~])?\s*
    (?P<sign>[+\-\u2212\u2013])?\s*
    (?:
      (?P<int>\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+|\d+
              |бір|екі|үш|төрт|бес|алты|жеті|сегіз|тоғыз|он)
      (?:[.,](?P<frac>\d+))?
    | [.,](?P<bare_frac>\d+)
    )
    (?:\s*(?P<mult>мың|млн|миллион|млрд|миллиард|трлн|триллион)\.?)?
    \s*(?P<pct>%|пайыз)?
    $""",
    re.VERBOSE,
)


class NumberFormatError(ValueError):
    """The text is not a number in any form the source uses."""


@dataclass(frozen=True)
class ParsedNumber:
    """A number as printed, and what it means.

    ``value`` is ``None`` for the "not given" mark; ``decimals`` counts printed digits after
    the decimal separator (needed to know the rounding the author applied); ``multiplier``
    is the factor of a printed word such as ``млрд`` and is already applied to ``value``;
    ``leading_digit_missing`` marks a fraction printed without its integer part (``,8``).
    """

    text: str
    value: Decimal | None
    decimals: int = 0
    percent: bool = False
    approx: bool = False
    explicit_sign: str | None = None
    multiplier: int = 1
    leading_digit_missing: bool = False

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def half_unit(self) -> Decimal:
        """Half of the last printed digit, in the units of ``value``: the rounding radius."""
        return Decimal(5) * Decimal(10) ** (-(self.decimals + 1)) * self.multiplier

    def interval(self) -> tuple[Decimal, Decimal]:
        """The closed interval of true values that round to the printed number."""
        if self.value is None:
            raise ValueError(f"{self.text!r} is the missing mark and has no interval")
        return self.value - self.half_unit, self.value + self.half_unit


def parse_number(text: str) -> ParsedNumber:
    """Parse one printed number; raise :class:`NumberFormatError` if it is not one.

    Surrounding whitespace is ignored. A lone dash means missing. Thousands groups must be
    exactly three digits, so ``12 34`` is refused rather than read as 1234.
    """
    if not isinstance(text, str):
        raise NumberFormatError(f"expected text, got {type(text).__name__}")
    stripped = text.strip()
    if stripped in MISSING_MARKS:
        return ParsedNumber(text=text, value=None)
    match = _NUMBER.match(stripped)
    if match is None:
        raise NumberFormatError(
            f"{text!r} is not a number in a printed form such as '1 580', '31,94%', "
            "'+12.0%', '≈80%', '30 млрд' or '–'"
        )
    digits = str(NUMBER_WORDS.get(match["int"], match["int"] or "0"))
    for sep in _GROUP_SEPARATORS:
        digits = digits.replace(sep, "")
    frac = match["frac"] or match["bare_frac"] or ""
    magnitude = Decimal(f"{digits}.{frac}" if frac else digits)
    multiplier = MULTIPLIERS[match["mult"]] if match["mult"] else 1
    sign = match["sign"]
    negative = sign is not None and sign in _MINUS_SIGNS
    value = magnitude * multiplier
    return ParsedNumber(
        text=text,
        value=-value if negative else value,
        decimals=len(frac),
        percent=match["pct"] is not None,
        approx=match["approx"] is not None,
        explicit_sign=sign,
        multiplier=multiplier,
        leading_digit_missing=match["bare_frac"] is not None,
    )


def parse_value(text: str) -> Decimal | None:
    """Shorthand: just the value of :func:`parse_number`."""
    return parse_number(text).value


def format_decimal(value: Decimal) -> str:
    """Plain positional notation without exponent or trailing zeros (``6300000000``, ``74.9``)."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return str(normal.quantize(Decimal(1)))
    return format(normal, "f")
