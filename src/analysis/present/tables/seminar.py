"""What the seminar notebooks say in words: feedback under a student's answer, the share
verdict, a survey question's heading (labels in ``labels/seminar.yaml``).

The seminar's tables themselves are declared in ``present/specs/seminar.yaml`` and shown
with ``ex.table(name, frame)``; nothing here formats a table.

Why the feedback is type-strict: a check cell must teach what a number *is*. A student who
types ``growth_2020 = "-1.13"`` has written text, not a number, and a check that converted
it with ``float()`` would say "Correct!" to code that breaks as soon as the value is used in
a sum. The same holds for ``"True"`` (text) where ``True`` is asked for, and for
``"6, 7"`` where a list of question numbers is asked for.
"""

from __future__ import annotations

import math
from collections.abc import Set
from decimal import Decimal
from numbers import Integral, Real

import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.present import numbers
from analysis.present.i18n import t
from analysis.teaching.seminar import Answer, ShareSum, expected

#: Verdicts of :func:`verdict`, each the suffix of a label ``sem.feedback.<verdict>``.
VERDICTS = ("empty", "right", "wrong", "not_number", "not_bool", "not_set")


def is_number(value: object) -> bool:
    """A real number a student may give: int, float, Decimal or a NumPy number; not a
    bool (``True == 1`` in Python, but it is no answer to "how much?") and not text."""
    if isinstance(value, bool | np.bool_):
        return False
    return isinstance(value, Real | Decimal)


def _question_numbers(value: object) -> frozenset[int] | None:
    """A list/tuple/set of whole question numbers as a frozenset; None for anything else
    (text, a dict, a single number, floats such as 6.5)."""
    if not isinstance(value, list | tuple | Set):
        return None
    items = list(value)
    if not all(isinstance(i, Integral) and not isinstance(i, bool | np.bool_) for i in items):
        return None
    return frozenset(int(i) for i in items)


def verdict(answer: object, expected: Answer, tolerance: float = 0.05) -> str:
    """``"empty"`` (no answer yet), ``"right"``, ``"wrong"``, or why the answer has the
    wrong type (``"not_number"``, ``"not_bool"``, ``"not_set"``): no conversion from text."""
    if answer is None or answer is ...:
        return "empty"
    if isinstance(expected, bool):
        if not isinstance(answer, bool | np.bool_):
            return "not_bool"
        return "right" if bool(answer) is expected else "wrong"
    if isinstance(expected, frozenset):
        given = _question_numbers(answer)
        if given is None:
            return "not_set"
        return "right" if given == expected else "wrong"
    if not is_number(answer):
        return "not_number"
    value = float(answer)  # type: ignore[arg-type]  # is_number: Real or Decimal
    if math.isnan(value):
        return "wrong"
    return "right" if abs(value - float(expected)) <= tolerance else "wrong"


def feedback(answer: object, expected: Answer, lang: str, tolerance: float = 0.05) -> str:
    """A one-line verdict on a student's answer (Markdown), without revealing the answer."""
    return t(f"sem.feedback.{verdict(answer, expected, tolerance)}", lang,
             answer=repr(answer))


def check(key: str, answer: object, lang: str, **context: object) -> Markdown:
    """Feedback on a student cell, rendered as Markdown in the notebook."""
    value, tolerance = expected(key, **context)
    return Markdown(feedback(answer, value, lang, tolerance))


def _places(value: Decimal) -> int:
    """Decimals a sum of printed shares carries (92.83 → 2, 95.395 → 3, 99 → 0)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def share_verdict(result: ShareSum, lang: str) -> Markdown:
    """One sentence saying whether the shares can make up 100 %, numbers in ``lang``'s
    notation (:mod:`analysis.present.numbers`)."""
    def pct(value: Decimal) -> str:
        return numbers.percent(value, lang, _places(value))

    key = "sem.verdict.consistent" if result.consistent else "sem.verdict.inconsistent"
    gap = numbers.number(result.gap, lang, _places(result.gap))
    return Markdown(t(key, lang, sum=pct(result.printed_sum), low=pct(result.low),
                      high=pct(result.high), gap=gap))


def question_title(results: pd.DataFrame, question: int, lang: str) -> Markdown:
    """``**Question 4.** How would you describe …`` in ``lang``."""
    rows = results.loc[results["question"] == question, f"question_{lang}"]
    if rows.empty:
        raise KeyError(f"no survey question {question}")
    return Markdown(t("sem.question_title", lang, question=question, text=rows.iloc[0]))


def confidence(level: float, lang: str) -> str:
    """A confidence level as a percentage with the digits it needs: 0.95 → ``95%``,
    0.999 → ``99,9%`` (kk)."""
    value = Decimal(str(level)) * 100
    return numbers.percent(value, lang, _places(value))


def interval_fields(n: int, level: float, lang: str) -> dict[str, str]:
    """Caption fields of Seminar 3's exhibits: the assumed N and the level, in ``lang``."""
    return {"n": numbers.number(n, lang), "level": confidence(level, lang)}


def cagr_sentence(cagr: float, lang: str) -> Markdown:
    """The CAGR answer of Seminar 1 as a sentence."""
    return Markdown(t("sem.say.cagr", lang, cagr=numbers.percent(cagr, lang, 2)))
