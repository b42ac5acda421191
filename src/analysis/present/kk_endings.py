"""Kazakh case endings after a number or a word: «4 100-ден астам», «20 миллионға дейін».

Why: a Kazakh sentence puts the case ending on the number itself, and the ending follows
the sound the number is *read* with: «22-ден» (жиырма екі → front vowel), «30-дан» (отыз →
back vowel), «1 000-нан» (мың → nasal), «4,5-тен» (төрт бүтін оннан бес → voiceless).
A template cannot know the number in advance, so the ledger's Kazakh templates write
``{n:abl}`` (ablative: -дан/-ден/-тан/-тен/-нан/-нен) or ``{n:dat}`` (dative:
-ға/-ге/-қа/-ке) and :class:`Inflected` adds the ending that fits (after a number written
in digits, a symbol or an abbreviation with a hyphen, after a word without one).
"""

from __future__ import annotations

import re

__all__ = ["Inflected", "ablative", "dative"]

_UNITS = ("нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
_TENS = ("", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан")
#: How a round number's reading ends: by the largest of these powers that divides it
#: (20 000 is «жиырма мың», 2 000 000 «екі миллион», 4 100 «төрт мың жүз»).
_POWERS = ((10**12, "триллион"), (10**9, "миллиард"), (10**6, "миллион"), (10**3, "мың"),
           (10**2, "жүз"))
#: Abbreviations and symbols read as words.
_READ_AS = {"млрд": "миллиард", "млн": "миллион", "трлн": "триллион", "%": "пайыз",
            "$": "доллар", "км": "километр", "т": "тонна"}
_BACK, _FRONT = set("аоұыя"), set("әеөүіэ")
_VOWELS = set("аәеёиоөуұүыіэюя")
_NASAL = set("мнң")
_SOFT = set("рйлузж")  # sonorants and voiced consonants that take -дан / -ға
#: Words ending in the third-person possessive (-ы/-і: «АҚШ доллары») take the endings
#: with n: «долларынан», «долларына».
_POSSESSIVE = {"доллары": ("нан", "на")}


def _reading_of_integer(n: int) -> str:
    """The last word of a whole number read aloud in Kazakh."""
    if n == 0:
        return _UNITS[0]
    if n % 10:
        return _UNITS[n % 10]
    if n % 100:
        return _TENS[(n % 100) // 10]
    return next(word for power, word in _POWERS if n % power == 0)


def _last_word(text: str) -> tuple[str, bool]:
    """(the word whose sound the ending follows, whether a hyphen goes before the ending)."""
    stripped = text.strip().rstrip(").»\"'")
    token = re.split(r"[\s\u00a0]+", stripped)[-1] if stripped else ""
    if token in _READ_AS:
        return _READ_AS[token], True
    if token.endswith("%"):
        return "пайыз", True
    digits = re.findall(r"\d+", token)
    if digits:
        fraction = re.search(r"\d[,.](\d+)$", token)
        value = int(fraction.group(1)) if fraction else int(digits[-1])
        if not fraction:  # a number with thousands separators: "4 100" is one number
            group = re.search(r"(\d+(?:[\s\u00a0]\d{3})*)$", stripped)
            value = int(re.sub(r"\D", "", group.group(1))) if group else value
        return _reading_of_integer(value), True
    return token.lower(), False


def _harmony(word: str) -> str:
    """``back`` or ``front`` by the word's last harmonic vowel."""
    for ch in reversed(word):
        if ch in _BACK:
            return "back"
        if ch in _FRONT:
            return "front"
    return "back"


def _ending(text: str, forms: dict[str, tuple[str, str]]) -> str:
    word, hyphen = _last_word(text)
    if not word:
        return text
    if word in _POSSESSIVE:
        return text + _POSSESSIVE[word][0 if forms["soft"][0] == "дан" else 1]
    last = word[-1]
    if last in _VOWELS or last in _SOFT:
        sound = "soft"
    elif last in _NASAL:
        sound = "nasal"
    else:
        sound = "hard"
    back, front = forms[sound]
    suffix = back if _harmony(word) == "back" else front
    return f"{text}{'-' if hyphen else ''}{suffix}"


def ablative(text: str) -> str:
    """``text`` with the ablative ending: «4 100-ден», «30-дан», «миллиардтан»."""
    return _ending(text, {"soft": ("дан", "ден"), "nasal": ("нан", "нен"),
                          "hard": ("тан", "тен")})


def dative(text: str) -> str:
    """``text`` with the dative ending: «20 миллионға», «5-ке», «100-ге»."""
    return _ending(text, {"soft": ("ға", "ге"), "nasal": ("ға", "ге"), "hard": ("қа", "ке")})


class Inflected(str):
    """A rendered value that a Kazakh template may inflect: ``{n:abl}``, ``{n:dat}``."""

    def __format__(self, spec: str) -> str:
        if spec == "abl":
            return ablative(str(self))
        if spec == "dat":
            return dative(str(self))
        return format(str(self), spec)
