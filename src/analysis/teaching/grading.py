"""Grading a seminar answer: what a check cell expects, and the verdict on what a student
wrote, as data (a status and, when a common slip explains a wrong number, a hint key).

Why the grading is here and not in the notebook's presentation: what counts as right, and
which wrong answers are slips worth naming, belongs to the answer key a teacher trusts
(``tests/test_seminar.py`` checks it against hand-worked values). The presentation layer
(:mod:`analysis.present.tables.seminar`) only turns a :class:`Verdict` into ✅/❌ and the
hint's text in the notebook's language (labels ``sem.feedback.<status>``,
``sem.hint.<hint>``). A hint names the slip ("a fraction where a percent is asked", "the
sign is flipped", "check the base year"), never the answer.

Why the grading is type-strict: a check must teach what a number *is*. A student who types
``growth_2020 = "-1.13"`` has written text, not a number; a check that converted it with
``float()`` would say "correct" to code that breaks as soon as the value is used in a sum.
The same holds for ``"True"`` where ``True`` is asked for and ``"6, 7"`` where a list of
question numbers is asked for. Numbers of any kind (``int``, ``float``, ``Decimal``, NumPy)
are accepted within the stated tolerance.

Answer keys are discovered, never listed by hand: every module of :mod:`analysis.teaching`
that defines ``ANSWERS`` (check key → function of the notebook's validated parameters that
returns an :class:`Expected`) contributes its keys; a key defined twice is an error. A new
seminar adds its module and its check cells name their keys.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from numbers import Integral, Real
from typing import Any

import numpy as np

#: What a check cell compares a student's answer with: a number, a yes/no, or a set of
#: question numbers.
Answer = float | bool | frozenset[int]
#: A notebook's validated parameters (``ex.params``: ``lang``, ``sample_size``, ...).
Params = Mapping[str, Any]

#: Verdict statuses; each is the suffix of a label ``sem.feedback.<status>``.
STATUSES = ("empty", "right", "wrong", "not_number", "not_bool", "not_set")
#: Slips a check recognises; each is the suffix of a label ``sem.hint.<hint>``: a fraction
#: for a percent, a flipped sign, the wrong base year of a growth rate, six periods for
#: five, an inverted ratio, the wrong unit, the wrong base of a difference in per cent
#: (divided by the other value), the other of two series (Seminar 6).
HINTS = ("fraction", "sign", "base_year", "periods", "inverted", "unit", "base", "series")


@dataclass(frozen=True)
class Slip:
    """A wrong answer that a known slip gives (a number within ``tolerance``, or a set of
    whole numbers exactly), and its hint."""

    hint: str
    value: float | frozenset[int]
    tolerance: float = 0.0


@dataclass(frozen=True)
class Expected:
    """The answer a check cell expects, how close a number must come, and the slips worth
    naming when it does not."""

    value: Answer
    tolerance: float = 0.0
    slips: tuple[Slip, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """What a check says: a status from :data:`STATUSES` and, for a wrong number that a slip
    explains, a hint from :data:`HINTS`."""

    status: str
    hint: str | None = None


def number(value: float, tolerance: float, *, percent: bool = False, signed: bool = False,
           **alternatives: float | Sequence[float]) -> Expected:
    """A numeric answer with its slips: ``percent`` (the same number as a fraction, 0,1516
    for 15,16 %), ``signed`` (the number with its sign flipped) and ``alternatives``, hint →
    the value(s) that slip gives (``base_year=…``, ``periods=…``, ``inverted=…``, ``unit=…``)."""
    value = float(value)
    slips = []
    if percent:
        slips.append(Slip("fraction", value / 100, tolerance / 100))
    if signed and value != 0:
        slips.append(Slip("sign", -value, tolerance))
    for hint, given in alternatives.items():
        if hint not in HINTS:
            raise ValueError(f"unknown hint {hint!r}; known: {', '.join(HINTS)}")
        for wrong in given if isinstance(given, Sequence) else (given,):
            # a number in another unit carries the tolerance in that unit
            scale = abs(float(wrong) / value) if hint == "unit" and value else 1.0
            slips.append(Slip(hint, float(wrong), tolerance * scale))
    return Expected(value, tolerance, tuple(slips))


def is_number(value: object) -> bool:
    """A real number a student may give: int, float, Decimal or a NumPy number; not a bool
    (``True == 1`` in Python, but it is no answer to "how much?") and not text."""
    if isinstance(value, bool | np.bool_):
        return False
    return isinstance(value, Real | Decimal)


def question_numbers(value: object) -> frozenset[int] | None:
    """A list/tuple/set of whole question numbers as a frozenset; None for anything else
    (text, a dict, a single number, floats such as 6.5)."""
    if not isinstance(value, list | tuple | Set):
        return None
    items = list(value)
    if not all(isinstance(i, Integral) and not isinstance(i, bool | np.bool_) for i in items):
        return None
    return frozenset(int(i) for i in items)


def whole_numbers(value: Set[int] | Sequence[int], **slips: Set[int] | Sequence[int]
                  ) -> Expected:
    """An answer that is a set of whole numbers (question numbers, years) with its slips,
    hint → the set that slip gives (``series=…``: the years of the other series)."""
    for hint in slips:
        if hint not in HINTS:
            raise ValueError(f"unknown hint {hint!r}; known: {', '.join(HINTS)}")
    right = frozenset(int(v) for v in value)
    return Expected(right, 0.0, tuple(
        Slip(hint, frozenset(int(v) for v in given)) for hint, given in slips.items()
        if frozenset(int(v) for v in given) != right))


def slip(value: float, expected: Expected) -> str | None:
    """The hint of the slip whose value lies nearest ``value`` (within its tolerance)."""
    near = [(abs(value - s.value), s.hint) for s in expected.slips
            if not isinstance(s.value, frozenset) and abs(value - s.value) <= s.tolerance]
    return min(near)[1] if near else None


def set_slip(given: frozenset[int], expected: Expected) -> str | None:
    """The hint of the slip that gives exactly the set ``given``."""
    return next((s.hint for s in expected.slips if s.value == given), None)


def _grade_number(answer: object, target: float, expected: Expected) -> Verdict:
    if not is_number(answer):
        return Verdict("not_number")
    value = float(answer)  # type: ignore[arg-type]  # is_number: Real or Decimal
    if math.isnan(value):
        return Verdict("wrong")
    if abs(value - target) <= expected.tolerance:
        return Verdict("right")
    return Verdict("wrong", slip(value, expected))


def grade(answer: object, expected: Expected) -> Verdict:
    """The verdict on ``answer``: ``empty`` (no answer yet), ``right``, ``wrong`` (with a
    hint when a slip explains it), or why the answer has the wrong type (``not_number``,
    ``not_bool``, ``not_set``): nothing is converted from text."""
    if answer is None or answer is ...:
        return Verdict("empty")
    if isinstance(expected.value, bool):
        if not isinstance(answer, bool | np.bool_):
            return Verdict("not_bool")
        return Verdict("right" if bool(answer) is expected.value else "wrong")
    if isinstance(expected.value, frozenset):
        given = question_numbers(answer)
        if given is None:
            return Verdict("not_set")
        if given == expected.value:
            return Verdict("right")
        return Verdict("wrong", set_slip(given, expected))
    return _grade_number(answer, float(expected.value), expected)


# ---------------------------------------------------------------------------------------
# The answer keys of the seminars, discovered from this package
# ---------------------------------------------------------------------------------------

AnswerKey = Callable[[Params], Expected]


@lru_cache(maxsize=1)
def answer_keys() -> dict[str, AnswerKey]:
    """Every check key of every seminar: the ``ANSWERS`` of this package's modules."""
    package = importlib.import_module(__name__.rpartition(".")[0])
    keys: dict[str, AnswerKey] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for key, answer in getattr(module, "ANSWERS", {}).items():
            if key in keys:
                raise ValueError(f"seminar answer {key!r} defined twice (again in "
                                 f"{module.__name__})")
            keys[key] = answer
    return keys


def expected(key: str, params: Params | None = None) -> Expected:
    """The answer to the check ``key`` under the notebook's parameters ``params``."""
    try:
        answer = answer_keys()[key]
    except KeyError:
        raise KeyError(f"no seminar answer {key!r}") from None
    return answer(params or {})


def check(key: str, answer: object, params: Params | None = None) -> Verdict:
    """Grade a student's ``answer`` to the check ``key``."""
    return grade(answer, expected(key, params))
