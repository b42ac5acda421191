"""What the tests of the checks share: a row's phrase in a language, and a text figure.

The crafted tests build figures by hand (never the dissertation's numbers) and read a row's
phrases as a reader would, in English or Kazakh.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from analysis.checks.figures import Figure
from analysis.data.parse import parse_number
from analysis.present.ledger_text import say


def en(phrase: Any) -> str:
    """A row's phrase (its diagnosis, by default with notes) written in English."""
    return say(phrase, "en")


def kk(phrase: Any) -> str:
    """The same phrase written in Kazakh."""
    return say(phrase, "kk")


def text_fig(printed: str, unit: str = "count", **kw: Any) -> Figure:
    """A figure of the text whose value is parsed from ``printed`` (as the loader
    guarantees); keyword overrides: ref ("T1"), source ("text"), exhibit ("text"), key
    ("q"), year, line (100), qualifier ("exact"), period."""
    value = parse_number(printed).value
    assert value is not None
    return Figure(ref=kw.get("ref", "T1"), source=kw.get("source", "text"),
                  exhibit=kw.get("exhibit", "text"), key=kw.get("key", "q"),
                  year=kw.get("year"), printed=printed, value=Decimal(value), unit=unit,
                  line=kw.get("line", 100), qualifier=kw.get("qualifier", "exact"),
                  period=kw.get("period", ""))
