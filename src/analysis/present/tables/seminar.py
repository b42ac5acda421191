"""What the seminar notebooks show besides their tables: feedback under a student's answer
(✅/❌ and a hint for a common slip), solutions that open only on a click, the share verdict,
a survey question's heading (labels in ``labels/seminar.yaml``).

The seminar's tables themselves are declared in ``present/specs/seminar.yaml`` and shown
with ``ex.table(name, frame)``; nothing here formats a table.

Feedback: the grading (what is right, which slip a wrong number shows) is the teaching
layer's (:mod:`analysis.teaching.grading`); here a verdict becomes a sentence in the
notebook's language: ``sem.feedback.<status>``, then ``sem.hint.<hint>`` when a slip was
recognised. Neither ever states the answer.

Solutions on a click (:func:`shown_on_click`): JupyterLab folds a solution cell
(``source_hidden``/``outputs_hidden``) only until the cell runs; Run All clears the fold and
would put the answer on the projector. So a solution cell displays everything inside one
collapsed ``<details>`` element whose summary says "click to see the answer": it stays
closed after Run All, in JupyterLab as on the site and in the HTML reports, until clicked.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pandas as pd
from IPython import get_ipython
from IPython.display import Markdown, display
from IPython.utils.capture import capture_output

from analysis.present import numbers
from analysis.present.i18n import t
from analysis.present.notebook import Exhibits
from analysis.teaching import grading
from analysis.teaching.grading import Verdict
from analysis.teaching.seminar import ShareSum

#: The class of the ``<details>`` element that holds a solution's outputs.
ANSWER_CLASS = "kaztur-answer"


def feedback(verdict: Verdict, answer: object, lang: str) -> str:
    """The one-line verdict on a student's answer (Markdown), with the slip's hint when
    one was recognised; never the answer."""
    text = t(f"sem.feedback.{verdict.status}", lang, answer=repr(answer))
    return f"{text} {t(f'sem.hint.{verdict.hint}', lang)}" if verdict.hint else text


def check(key: str, answer: object, ex: Exhibits) -> Markdown:
    """Feedback on a student cell: ``answer`` graded against the check ``key`` under the
    notebook's parameters (``ex.params``), in the notebook's language (``ex.lang``)."""
    return Markdown(feedback(grading.check(key, answer, ex.params), answer, ex.lang))


def _fragment(data: Mapping[str, Any]) -> str | None:
    """One displayed output as a piece of the Markdown document :func:`answer_markdown`
    builds: Markdown as it is, HTML as an HTML block, a PNG as an ``<img>`` (data URI)."""
    if "text/markdown" in data:
        return str(data["text/markdown"]).strip()
    if "text/html" in data:
        return str(data["text/html"]).strip()
    if "image/png" in data:
        png = data["image/png"]
        encoded = base64.b64encode(png).decode("ascii") if isinstance(png, bytes) else png
        return f'<img src="data:image/png;base64,{encoded.strip()}" alt="">'
    if "text/plain" in data:
        return f"<pre>{html.escape(str(data['text/plain']))}</pre>"
    return None


def answer_markdown(outputs: Sequence[Mapping[str, Any]], lang: str) -> str:
    """The outputs of a solution (MIME bundles) inside one collapsed ``<details>``: a
    Markdown document that JupyterLab, MyST-NB and nbconvert render alike (Markdown between
    blank lines, HTML blocks and images as they are), closed until its summary is clicked."""
    parts = [p for p in (_fragment(o) for o in outputs) if p]
    body = "\n\n".join(re.sub(r"\n\s*\n", "\n", part) if part.startswith("<") else part
                        for part in parts)
    return (f'<details class="{ANSWER_CLASS}"><summary>{t("sem.reveal.summary", lang)}'
            f"</summary>\n\n{body}\n\n</details>")


@contextmanager
def shown_on_click(lang: str) -> Iterator[None]:
    """Collect what the block displays (tables, figures, sentences) and show it as one
    collapsed ``<details>`` (:func:`answer_markdown`): a solution stays hidden after Run All
    until the teacher clicks "click to see the answer"."""
    captured = None
    try:
        with capture_output(stdout=False, stderr=False, display=True) as captured:
            yield
    finally:
        # outside IPython (no shell) nothing is captured: the block printed as it ran
        shown = [o.data for o in captured.outputs] if captured and get_ipython() else []
        display({"text/markdown": answer_markdown(shown, lang),
                 "text/plain": t("sem.reveal.summary", lang)}, raw=True)


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
