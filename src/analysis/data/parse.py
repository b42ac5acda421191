"""Parse numbers in every form the dissertation prints them: the one number parser.

Forms met in the source: ``1 580`` (a space, no-break space or thin space between
thousands), ``31,94%`` (decimal comma), ``9.8%`` (decimal point), ``+12.0%`` and ``-1.1%``
(explicit signs; U+2212 and an en dash are accepted as minus too), ``≈80%``, a lone ``–``
for "not given", ``30 млрд``, ``2,7 трлн``, ``6,3 миллиард``, ``53,5 млн``, ``4 мың`` and
``96 пайыз`` (the Kazakh word for per cent). Numbers spelt out: cardinals up to 999
(``екі миллион``, ``үш`` in "үш есе", ``жиырма бес``, ``мың`` alone for a thousand), and the
fraction words ``жарты``
(a half), ``ширек`` (a quarter), ``үштен бір`` (one third; any ``<n>-ден/-тен бір``) and
``бір жарым`` (one and a half).
A fraction printed without its leading digit (``,8 миллиард`` at line 1107, where a digit
has dropped out) reads literally as 0.8 billion; the ledger flags it.

Ordinals (``тоғызыншы``, ``11-ші``, ``ХІ``) are parsed by :func:`parse_ordinal` (they number
events: the ninth summit); :func:`parse_number` accepts them too, as exact ranks (the 11th
president).

Values are :class:`decimal.Decimal` so that the printed precision survives: the claims
ledger needs to know that ``+12.0%`` was printed to one decimal. What a printed number
*allows* (its rounding interval) is :mod:`analysis.methods.rounding`'s business, not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

MISSING_MARKS = frozenset({"–", "—", "-"})

#: Qualifiers a transcription may give a printed number (``text_claims.qualifier``); what
#: each allows is :mod:`analysis.methods.rounding`'s business.
QUALIFIERS: tuple[str, ...] = ("exact", "approx", "more_than", "at_least", "less_than",
                               "up_to", "range_low", "range_high", "approx_range_low",
                               "approx_range_high")
_GROUP_SEPARATORS = " \u00a0\u2009\u202f"
_MINUS_SIGNS = "-\u2212\u2013"

#: Cardinal number words (units, tens, hundred). Compounds are read left to right:
#: ``жиырма бес`` = 25, ``екі жүз`` = 200, ``үш жүз алпыс бес`` = 365.
UNIT_WORDS: dict[str, int] = {
    "бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5,
    "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9,
}
TEN_WORDS: dict[str, int] = {
    "он": 10, "жиырма": 20, "отыз": 30, "қырық": 40, "елу": 50,
    "алпыс": 60, "жетпіс": 70, "сексен": 80, "тоқсан": 90,
}
HUNDRED_WORD = "жүз"
NUMBER_WORDS: dict[str, int] = {**UNIT_WORDS, **TEN_WORDS, HUNDRED_WORD: 100}

#: Fraction words: "жарты" (half), "ширек" (quarter); "<n>-ден бір" is 1/n.
FRACTION_WORDS: dict[str, Fraction] = {"жарты": Fraction(1, 2), "ширек": Fraction(1, 4)}
_PART_OF = re.compile(r"^(?P<den>\S+?)(?:дан|ден|тан|тен|нан|нен)\s+бір$")

#: Places kept in ``value`` for a fraction word that has no finite decimal (1/3).
FRACTION_PLACES = 6

MULTIPLIERS: dict[str, int] = {
    "мың": 10**3,
    "млн": 10**6,
    "миллион": 10**6,
    "млрд": 10**9,
    "миллиард": 10**9,
    "трлн": 10**12,
    "триллион": 10**12,
}

_MULT = "мың|млн|миллион|млрд|миллиард|трлн|триллион"
_NUMBER = re.compile(
    rf"""^
    (?P<approx>[≈~])?\s*
    (?P<sign>[+\-\u2212\u2013])?\s*
    (?:
      (?P<int>\d{{1,3}}(?:[ \u00a0\u2009\u202f]\d{{3}})+|\d+)
      (?:[.,](?P<frac>\d+))?
    | [.,](?P<bare_frac>\d+)
    )
    (?:\s*(?P<mult>{_MULT})\.?)?
    \s*(?P<pct>%|пайыз)?
    $""",
    re.VERBOSE,
)
_WORDS = re.compile(
    rf"""^(?P<approx>[≈~])?\s*(?P<words>[^\d%≈~]+?)
    (?:\s+(?P<mult>{_MULT})\.?)?\s*(?P<pct>%|пайыз)?$""",
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
    ``leading_digit_missing`` marks a fraction printed without its integer part (``,8``);
    ``word`` is ``"cardinal"`` or ``"fraction"`` for a number spelt out, ``"ordinal"`` for an
    ordinal (``11-ші``, ``бірінші``: a rank, exact). ``fraction`` holds
    the exact value of a fraction word (1/3), whose ``value`` is cut to
    :data:`FRACTION_PLACES` places.
    """

    text: str
    value: Decimal | None
    decimals: int = 0
    percent: bool = False
    approx: bool = False
    explicit_sign: str | None = None
    multiplier: int = 1
    leading_digit_missing: bool = False
    word: str = ""
    fraction: Fraction | None = None

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def exact(self) -> Fraction:
        """The value as an exact fraction (1/3 for «үштен бір»)."""
        if self.fraction is not None:
            return self.fraction
        if self.value is None:
            raise ValueError(f"{self.text!r} is the missing mark and has no value")
        return Fraction(self.value)

    @property
    def half_unit(self) -> Decimal:
        """Half of the last printed digit, in the units of ``value`` (0 for a fraction word
        or an ordinal: "a third" and "the eleventh" are exact)."""
        if self.word in ("fraction", "ordinal"):
            return Decimal(0)
        return Decimal(5) * Decimal(10) ** (-(self.decimals + 1)) * self.multiplier


def cardinal_words(text: str) -> int | None:
    """The value of a cardinal written in words (``жиырма бес`` → 25), else ``None``."""
    words = text.split()
    if not words or any(w not in NUMBER_WORDS for w in words):
        return None
    total = 0
    pos = 0
    if len(words) >= 1 and words[0] in UNIT_WORDS and len(words) > 1 and words[1] == "жүз":
        total, pos = UNIT_WORDS[words[0]] * 100, 2
    elif words[0] == "жүз":
        total, pos = 100, 1
    rest = words[pos:]
    if rest and rest[0] in TEN_WORDS:
        total += TEN_WORDS[rest[0]]
        rest = rest[1:]
    if rest and rest[0] in UNIT_WORDS:
        total += UNIT_WORDS[rest[0]]
        rest = rest[1:]
    if rest:
        return None
    return total


def fraction_words(text: str) -> Fraction | None:
    """``жарты`` → 1/2, ``ширек`` → 1/4, ``үштен бір`` → 1/3, ``бір жарым`` → 3/2, else
    ``None``."""
    text = " ".join(text.split())
    if text in FRACTION_WORDS:
        return FRACTION_WORDS[text]
    if text.endswith(" жарым"):
        whole = cardinal_words(text.removesuffix(" жарым"))
        if whole is not None:
            return whole + Fraction(1, 2)
    match = _PART_OF.match(text)
    if match:
        den = cardinal_words(match["den"])
        if den is not None and den > 1:
            return Fraction(1, den)
    return None


# A scale word written out stands for one of it ("мың жыл", a thousand years); an
# abbreviation alone ("млн") is a unit without a number and is refused.
_SCALE_WORDS = frozenset({"мың", "миллион", "миллиард", "триллион"})


def _parse_words(text: str, stripped: str) -> ParsedNumber | None:
    match = _WORDS.match(stripped)
    if match is None:
        return None
    words = match["words"].strip()
    multiplier = MULTIPLIERS[match["mult"]] if match["mult"] else 1
    if words in _SCALE_WORDS and not match["mult"]:  # "мың" alone: a thousand
        words, multiplier = "бір", MULTIPLIERS[words]
    common = {"text": text, "percent": match["pct"] is not None,
              "approx": match["approx"] is not None, "multiplier": multiplier}
    whole = cardinal_words(words)
    if whole is not None:
        return ParsedNumber(value=Decimal(whole * multiplier), word="cardinal",
                            **common)  # type: ignore[arg-type]
    part = fraction_words(words)
    if part is not None:
        exact = part * multiplier
        value = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal(1).scaleb(-FRACTION_PLACES)).normalize()
        if Fraction(value) == exact:
            value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
        return ParsedNumber(value=value, word="fraction", fraction=exact,
                            **common)  # type: ignore[arg-type]
    return None


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
        spelt = _parse_words(text, stripped)
        if spelt is not None:
            return spelt
        try:  # an ordinal that states a rank or a number of an event ("11-ші", "бірінші")
            return ParsedNumber(text=text, value=Decimal(parse_ordinal(stripped)),
                                word="ordinal")
        except NumberFormatError:
            pass
        raise NumberFormatError(
            f"{text!r} is not a number in a printed form such as '1 580', '31,94%', "
            "'+12.0%', '≈80%', '30 млрд', 'екі миллион', 'үштен бір' or '–'"
        )
    digits = match["int"] or "0"
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


def parse_percent(text: str) -> ParsedNumber:
    """A printed percentage (``31,94%``, ``19.5%``, ``25%``, ``96 пайыз``); anything else,
    including the missing mark, is a :class:`NumberFormatError`."""
    parsed = parse_number(str(text))
    if not parsed.percent or parsed.value is None:
        raise NumberFormatError(f"not a printed percentage: {text!r}")
    return parsed


def parse_value(text: str) -> Decimal | None:
    """Shorthand: just the value of :func:`parse_number`."""
    return parse_number(text).value


# ---------------------------------------------------------------------------------------
# Ordinals
# ---------------------------------------------------------------------------------------

_ORDINAL_SUFFIX = re.compile(r"(ыншы|інші|нші|ншы|шы|ші)$")
_ORDINAL_DIGITS = re.compile(r"^(?P<n>\d+)\s*[-–]?\s*(?:шы|ші|ыншы|інші|ы|і)?$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_CYRILLIC_ROMAN = str.maketrans({"І": "I", "Х": "X", "С": "C", "Ӏ": "I", "У": "V"})


def _roman(text: str) -> int | None:
    letters = text.translate(_CYRILLIC_ROMAN)
    if not letters or any(ch not in _ROMAN for ch in letters):
        return None
    total = 0
    for i, ch in enumerate(letters):
        value = _ROMAN[ch]
        following = _ROMAN[letters[i + 1]] if i + 1 < len(letters) else 0
        total += -value if value < following else value
    return total


#: Words for "first" that are not formed from бір.
FIRST_WORDS = frozenset({"алғашқы", "тұңғыш"})


def parse_ordinal(text: str) -> int:
    """The number of an ordinal as printed: ``тоғызыншы`` → 9, ``он бірінші`` → 11,
    ``11-ші`` → 11, ``ХІ`` (Roman, Latin or Cyrillic letters) → 11."""
    stripped = " ".join(str(text).split())
    if stripped.lower() in FIRST_WORDS:
        return 1
    match = _ORDINAL_DIGITS.match(stripped)
    if match:
        return int(match["n"])
    roman = _roman(stripped.split("-")[0])
    if roman is not None:
        return roman
    words = stripped.lower().split()
    if words:
        last = _ORDINAL_SUFFIX.sub("", words[-1])
        # "тоғызыншы" → "тоғыз", "бірінші" → "бір", "екінші" → "екі", "алтыншы" → "алты"
        for candidate in (last, last + "ы", last + "і"):
            value = cardinal_words(" ".join([*words[:-1], candidate]))
            if value:
                return value
    raise NumberFormatError(f"{text!r} is not an ordinal such as 'тоғызыншы', '11-ші' or 'ХІ'")


def format_decimal(value: Decimal) -> str:
    """Plain positional notation without exponent or trailing zeros (``6300000000``, ``74.9``)."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return str(normal.quantize(Decimal(1)))
    return format(normal, "f")
