"""The number parser: one case per printed form found in the source, plus properties."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.data.parse import (
    NumberFormatError,
    format_decimal,
    parse_number,
    parse_ordinal,
    parse_percent,
)

D = Decimal

# (printed text, value, decimals, percent, approx, where it occurs in the source)
CASES = [
    ("980", D("980"), 0, False, False, "Кесте 7, line 1005"),
    ("1 580", D("1580"), 0, False, False, "Кесте 7, line 1007 (space as thousands separator)"),
    ("1\u00a0580", D("1580"), 0, False, False, "no-break space separator"),
    ("1\u2009580", D("1580"), 0, False, False, "thin space separator"),
    ("1\u202f580", D("1580"), 0, False, False, "narrow no-break space separator"),
    ("+12.0%", D("12.0"), 1, True, False, "Кесте 7, line 1015 (explicit plus, decimal point)"),
    ("-1.1%", D("-1.1"), 1, True, False, "Кесте 7, line 1022 (hyphen-minus)"),
    ("\u22121.1%", D("-1.1"), 1, True, False, "U+2212 minus sign"),
    ("\u20131.1%", D("-1.1"), 1, True, False, "en dash used as a minus sign"),
    ("–", None, 0, False, False, "Кесте 7, line 1008 (lone en dash: not given)"),
    ("≈80%", D("80"), 0, True, True, "Кесте 4, line 832"),
    ("17%", D("17"), 0, True, False, "Кесте 3, line 691"),
    ("9.8%", D("9.8"), 1, True, False, "Кесте 3, line 724"),
    ("6.75%", D("6.75"), 2, True, False, "Кесте 3, line 750"),
    ("31,94%", D("31.94"), 2, True, False, "Қосымша Б, line 1683 (decimal comma)"),
    ("19.5%", D("19.5"), 1, True, False, "Қосымша Б, line 1845"),
    ("30 млрд", D("30000000000"), 0, False, False, "Кесте 4, line 816"),
    ("2,7 трлн", D("2700000000000"), 1, False, False, "Кесте 4, line 820"),
    ("6,3 миллиард", D("6300000000"), 1, False, False, "text, line 1320"),
    ("53,5 млн", D("53500000"), 1, False, False, "text, line 654"),
    ("53,5 млн.", D("53500000"), 1, False, False, "text, line 654 (abbreviation point)"),
    ("4 мың", D("4000"), 0, False, False, "text, line 1212"),
    ("1,6 мың", D("1600"), 1, False, False, "text, line 1334"),
    ("4,5 триллион", D("4500000000000"), 1, False, False, "text, line 1052"),
    ("500 миллион", D("500000000"), 0, False, False, "text, line 1301"),
    ("96 пайыз", D("96"), 0, True, False, "text, line 515 (Kazakh word for per cent)"),
    ("  2 100 ", D("2100"), 0, False, False, "surrounding whitespace"),
]


@pytest.mark.parametrize(("text", "value", "decimals", "percent", "approx", "where"), CASES)
def test_printed_forms(text, value, decimals, percent, approx, where):
    parsed = parse_number(text)
    assert parsed.value == value, where
    assert parsed.decimals == decimals
    assert parsed.percent is percent
    assert parsed.approx is approx


@pytest.mark.parametrize(
    "text", ["abc", "", "%", "12 34", "1,2,3", "1.5.5", "++1", "1 5800", "12%%", "млн", "1e5"]
)
def test_refuses_what_is_not_a_number(text):
    with pytest.raises(NumberFormatError):
        parse_number(text)


def test_half_unit_follows_printed_decimals():
    # what the number *allows* is analysis.methods.rounding's business (tests/test_rounding.py)
    assert parse_number("+12.0%").half_unit == D("0.05")
    assert parse_number("1 580").half_unit == D("0.5")
    # the multiplier scales the last printed digit: 6,3 миллиард is ±0.05e9
    assert parse_number("6,3 миллиард").half_unit == D("5E7")


@pytest.mark.parametrize(("text", "value", "multiplier"), [
    ("үш", D(3), 1),                      # "үш есе" (threefold), line 517
    ("екі миллион", D(2000000), 10**6),   # "екі миллион тонна", line 1328
    ("бес", D(5), 1),
    ("он", D(10), 1),
    ("жиырма бес", D(25), 1),             # a compound: twenty five
    ("жүз", D(100), 1),
    ("үш жүз алпыс бес", D(365), 1),
    ("≈ он", D(10), 1),
    ("мың", D(1000), 1000),                # "мың жыл" (a thousand years), line 1521
    ("миллион", D(1000000), 10**6),
])
def test_cardinal_words(text, value, multiplier):
    parsed = parse_number(text)
    assert parsed.value == value and parsed.word == "cardinal"
    assert parsed.multiplier == multiplier
    assert parsed.half_unit == D("0.5") * multiplier  # a word counts like a digit


@pytest.mark.parametrize(("text", "exact"), [
    ("жарты", Fraction(1, 2)), ("ширек", Fraction(1, 4)), ("үштен бір", Fraction(1, 3)),
    ("төрттен бір", Fraction(1, 4)), ("оннан бір", Fraction(1, 10)),
])
def test_fraction_words_are_exact(text, exact):
    parsed = parse_number(text)
    assert parsed.word == "fraction" and parsed.exact == exact
    assert parsed.half_unit == 0
    assert abs(Fraction(parsed.value) - exact) < Fraction(1, 10**6)


@pytest.mark.parametrize("text", ["жүзеге", "бірі", "бір екі үш", "он он", "үштен", "ден бір"])
def test_words_that_are_not_numbers(text):
    with pytest.raises(NumberFormatError):
        parse_number(text)


@pytest.mark.parametrize(("text", "n"), [
    ("тоғызыншы", 9), ("бірінші", 1), ("екінші", 2), ("үшінші", 3), ("төртінші", 4),
    ("бесінші", 5), ("алтыншы", 6), ("жетінші", 7), ("сегізінші", 8), ("оныншы", 10),
    ("он бірінші", 11), ("11-ші", 11), ("9-шы", 9), ("3-і", 3), ("ХІ", 11), ("XII", 12),
])
def test_ordinals(text, n):
    assert parse_ordinal(text) == n


@pytest.mark.parametrize("text", ["саммит", "ыншы", "", "1.5"])
def test_not_ordinals(text):
    with pytest.raises(NumberFormatError):
        parse_ordinal(text)


def test_parse_percent_is_the_one_percent_parser():
    assert parse_percent("31,94%").value == D("31.94")
    assert parse_percent("96 пайыз").decimals == 0
    for bad in ("31,94", "–", "abc"):
        with pytest.raises(NumberFormatError):
            parse_percent(bad)


def test_fraction_without_its_leading_digit():
    """Line 1107 prints ',8 миллиард': a digit has dropped out; read literally, flagged."""
    parsed = parse_number(",8 миллиард")
    assert parsed.value == D("800000000") and parsed.leading_digit_missing
    assert not parse_number("0,8 миллиард").leading_digit_missing


def test_missing_mark_has_no_value():
    assert parse_number("–").missing
    with pytest.raises(ValueError):
        _ = parse_number("–").exact


_SEPARATORS = ["", " ", "\u00a0", "\u2009", "\u202f"]


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


@given(
    whole=st.integers(min_value=0, max_value=10**12),
    frac=st.text(alphabet="0123456789", max_size=3),
    sep=st.sampled_from(_SEPARATORS),
    point=st.sampled_from([",", "."]),
    sign=st.sampled_from(["", "+", "-", "\u2212", "\u2013"]),
    percent=st.booleans(),
    approx=st.booleans(),
)
def test_any_formatted_number_parses_back(whole, frac, sep, point, sign, percent, approx):
    text = ("≈" if approx else "") + sign + _group(str(whole), sep)
    if frac:
        text += point + frac
    if percent:
        text += "%"
    parsed = parse_number(text)
    magnitude = Decimal(f"{whole}.{frac}" if frac else str(whole))
    expected = -magnitude if sign not in ("", "+") else magnitude
    assert parsed.value == expected
    assert parsed.decimals == len(frac)
    assert parsed.percent is percent
    assert parsed.approx is approx


@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False))
def test_format_decimal_round_trips(value):
    assert Decimal(format_decimal(value)) == value
    assert "E" not in format_decimal(value)
