"""What a ledger row says, as data: a template key and language-neutral fields.

Why: the ledger is read in Kazakh and in English. A check therefore never writes a sentence;
it names *which* sentence (a key under ``checks.`` of
``present/labels/ledger_text.yaml``) and gives the sentence's fields as data. The
presentation layer (:mod:`analysis.present.ledger_text`) writes it in the reader's language
and number notation. One phrase is a dict (JSON as it stands, so the neutral ledger file
stores it unchanged)::

    {"key": "diag.same.within", "fields": {...}, "notes": [<phrase>, ...]}

``notes`` (optional) are further sentences said after it: hypotheses (a unit slip, a dropped
decimal separator), which rounding rule alone fits, a reversed balance. Field values:

``str``                 shown as it is: an id, a date in ISO form, a quotation of the source
``int``                 a year, a line number, a count: digits without a thousands separator
``{"num": "1580.5"}``   an exact decimal number (:func:`num`), in the reader's notation
``{"iv": [lo, hi], "closed": [a, b]}``  an interval (:func:`interval`); ``null`` is ∞
``{"unit": u, "scale": s}``  a unit of the data's vocabulary with a scale word (``billion``)
``{"printed": "4,8 миллиард"}``  a number token as the source prints it (:func:`printed`)
``{"figure": {...}}``   a printed figure and where it stands (:func:`figure`): a template
                        names it ``{x}`` (described), ``{x_where}``, ``{x_stated}``,
                        ``{x_tol}`` (its rounding and qualifier)
``{"kk": …, "en": …}``  a text the data itself gives in both languages (an event's name)
``{"key": …}``          a nested phrase (:func:`say`)
``{"items": [...], "sep": "; "}``  several values joined (:func:`items`)
``{"rules": ["half_up"]}``  the rounding rules under which alone a pair fits

Templates are looked up as ``checks.<key>``; adding a check means adding its keys there,
in Kazakh and English (``tests/test_checks_present.py`` fails on a key without both).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from analysis.methods.rounding import RULES, WITHIN, Interval, Rule, Verdict, fmt

#: A phrase as data (module docstring).
Phrase = dict[str, Any]

__all__ = ["Phrase", "say", "num", "interval", "unit", "printed", "items", "both",
           "only_rules", "with_notes", "keys_of"]


def say(key: str, **fields: Any) -> Phrase:
    """The phrase ``checks.<key>`` with ``fields`` (values as the module docstring lists)."""
    return {"key": key, "fields": fields}


def with_notes(phrase: Phrase, *notes: Phrase | None) -> Phrase:
    """``phrase`` with ``notes`` (``None`` skipped) said after it."""
    added = [n for n in notes if n is not None]
    if not added:
        return phrase
    return {**phrase, "notes": [*phrase.get("notes", []), *added]}


def num(x: Fraction | Decimal | int | None, places: int = 4) -> dict[str, str | None]:
    """An exact number: terminating decimals in full, others to ``places`` decimals
    (:func:`analysis.methods.rounding.fmt`); ``None`` is infinity."""
    return {"num": None if x is None else fmt(x, places)}


def interval(iv: Interval, factor: Fraction | int = 1, places: int = 4) -> dict[str, Any]:
    """``iv`` with its ends divided by ``factor`` (for display in a scaled unit)."""
    def end(b: Fraction | None) -> str | None:
        return None if b is None else fmt(b / factor, places)

    return {"iv": [end(iv.lo), end(iv.hi)], "closed": [iv.lo_closed, iv.hi_closed]}


def unit(name: str, scale: str = "") -> dict[str, str]:
    """A unit of :data:`analysis.data.units.UNITS` (or a base unit), with a scale word
    (``million``, ``billion``, ``trillion``) when values are shown divided by it."""
    return {"unit": name, "scale": scale}


def printed(text: str) -> dict[str, str]:
    """A number token exactly as the source prints it."""
    return {"printed": text}


def items(values: Iterable[Any], sep: str | Phrase = "; ") -> dict[str, Any]:
    """Several field values shown one after another, ``sep`` between them: a separator
    (``"; "``, ``", "``, ``" + "``), or a phrase when it is a word ("vs", «және»)."""
    return {"items": list(values), "sep": sep}


def both(kk: str, en: str) -> dict[str, str]:
    """A text the data gives in both languages (``event_kk``/``event_en``)."""
    return {"kk": kk, "en": en}


def only_rules(v: Verdict) -> Phrase | None:
    """The note "only under half-up rounding" when a pair fits within rounding under one
    rule only; ``None`` otherwise."""
    rules: Sequence[Rule] = v.rules
    if v.status != WITHIN or len(rules) == len(RULES):
        return None
    return say("note.only_rules", rules={"rules": list(rules)})


def keys_of(phrase: Mapping[str, Any] | None) -> list[str]:
    """Every template key a phrase uses (itself, its notes, nested phrases), in order."""
    if not phrase:
        return []
    out = [str(phrase["key"])]
    for value in phrase.get("fields", {}).values():
        out += _nested_keys(value)
    for note in phrase.get("notes", []):
        out += keys_of(note)
    return out


def _nested_keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        if "key" in value and "fields" in value:
            return keys_of(value)
        if "items" in value:
            return [k for v in value["items"] for k in _nested_keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _nested_keys(v)]
    return []
