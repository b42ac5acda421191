"""What each ledger row is about, read from the row itself and the shipped data.

A row of the neutral ledger (:func:`analysis.checks.ledger.build`, or ``ledger.json`` read
back) names the figures it compares inside its phrases (``{"figure": {...}}`` fields of
``inputs`` and ``diagnosis``: ref, exhibit, line, year, printed value, unit, labels).
:func:`row_facts` collects them, with the row's check, status, verdict, lines, relative
gap and the keys of every note it carries, into :class:`RowFacts`. Nothing here parses a
sentence; the row's ``claim_id`` is read only for what the checks name there by
convention: ``E.<event key>.…`` for an event's tellings, ``V…`` for a trend claim, and the
figure the id starts with.

The :class:`Catalogue` holds what the rows do not carry: the quantity each figure measures
(``Figure.key``, shared by the tables and the text), the topic of each quantity
(``text_claims.topic``; a quantity only a table prints takes the topic most of its table's
quantities have), and the dissertation's conclusions (``data/raw/conclusions.csv``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd

from analysis.checks.core import CONTRADICTED, kind_of, phrase_of
from analysis.checks.figures import unit_factor
from analysis.data.parse import NumberFormatError, parse_number

#: The external verdict that never makes a contradiction: the printed number fits the
#: quantity under another definition (PPP, members and observers).
DEFINITION = "differs by definition"
TEXT = "text"

__all__ = ["DEFINITION", "TEXT", "Catalogue", "Conclusion", "FigureRef", "RowFacts",
           "catalogue", "is_contradiction", "row_facts", "rows_of"]


@dataclass(frozen=True)
class FigureRef:
    """A printed figure a row names (the ``figure`` field of a phrase)."""

    ref: str
    source: str            # "text", or the table's short name ("K6")
    exhibit: str           # "text", "Кесте 6"
    year: int | None
    line: int
    printed: str
    unit: str
    label_kk: str = ""
    label_en: str = ""

    @property
    def in_text(self) -> bool:
        return self.source == TEXT

    def base_value(self) -> Fraction | None:
        """The printed value in the unit's base (USD for ``USD million``), or None."""
        try:
            value = parse_number(self.printed).value
            factor = unit_factor(self.unit)[1] if self.unit else Fraction(1)
        except (NumberFormatError, KeyError, ValueError):
            return None
        return None if value is None else Fraction(value) * factor


def _figure(data: Mapping[str, Any]) -> FigureRef:
    year = data.get("year")
    return FigureRef(ref=str(data.get("ref", "")), source=str(data.get("source", "")),
                     exhibit=str(data.get("exhibit", "")),
                     year=int(year) if isinstance(year, int) else None,
                     line=int(data.get("line") or 0), printed=str(data.get("printed", "")),
                     unit=str(data.get("unit") or ""), label_kk=str(data.get("label_kk") or ""),
                     label_en=str(data.get("label_en") or ""))


def _walk(value: Any) -> Iterator[Mapping[str, Any]]:
    """Every mapping inside a phrase (itself included), depth first, in order."""
    if isinstance(value, Mapping):
        yield value
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


@dataclass(frozen=True)
class RowFacts:
    """One ledger row as the grouping rules see it."""

    index: int
    claim_id: str
    check_id: str
    status: str
    verdict: str                      # the external verdict key ("" for internal rows)
    lines: tuple[int, ...]
    exhibits: tuple[str, ...]
    value_printed: str
    gap: Fraction | None              # the ledger's relative gap; None when it has none
    figures: tuple[FigureRef, ...]    # subject first when the id names it
    notes: frozenset[str]             # every phrase key the row carries
    telling_ids: tuple[str, ...] = ()  # ids of an event's tellings (E…, D…)
    phrases: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return kind_of(self.check_id)

    @property
    def external(self) -> bool:
        return self.kind == "external"

    @property
    def contradiction(self) -> bool:
        return self.status == CONTRADICTED and self.verdict != DEFINITION

    @property
    def subject(self) -> str:
        """What the row is about: ``E.<event key>`` for an event, the trend id, the figure
        the claim id starts with, else the id without its last part."""
        if self.claim_id.startswith("E.") and self.kind in ("event", "coverage"):
            return ".".join(self.claim_id.split(".")[:2])
        if self.check_id == "trend.series":
            return self.claim_id.split(".")[0]
        if self.figures and self._names(self.figures[0].ref):
            return self.figures[0].ref
        return self.claim_id.rsplit(".", 1)[0]

    def _names(self, ref: str) -> bool:
        return bool(ref) and (self.claim_id == ref or self.claim_id.startswith(ref + "."))

    @property
    def event_key(self) -> str:
        return self.subject[2:] if self.subject.startswith("E.") else ""

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables among the row's figures, or among its exhibits when it names no
        figure (a table's own share sum), sorted."""
        found = {f.exhibit for f in self.figures if not f.in_text and f.exhibit}
        if not self.figures:
            found = {e for e in self.exhibits if e != TEXT}
        return tuple(sorted(found))

    @property
    def text_figures(self) -> tuple[FigureRef, ...]:
        return tuple(f for f in self.figures if f.in_text)

    @property
    def subject_figure(self) -> FigureRef | None:
        return next((f for f in self.figures if f.ref == self.subject), None)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({f.year for f in self.figures if f.year is not None}))

    def phrase(self, column: str) -> dict[str, Any] | None:
        found = self.phrases.get(column)
        return found if isinstance(found, dict) else None


def _gap(cell: object) -> Fraction | None:
    text = str(cell or "").strip()
    if not text:
        return None
    try:
        return Fraction(Decimal(text))
    except (ArithmeticError, ValueError):
        return None


def _lines(cell: object) -> tuple[int, ...]:
    return tuple(int(x) for x in str(cell or "").split(";") if x.strip().isdigit())


PHRASE_COLUMNS = ("inputs", "recomputed", "tolerance", "diagnosis", "external_value",
                  "external_source", "external_vintage", "external_tolerance",
                  "external_note")


def _harvest(phrases: Mapping[str, Any]) -> tuple[dict[str, FigureRef], set[str], list[str]]:
    """The figures, phrase keys and telling ids inside a row's phrases."""
    figures: dict[str, FigureRef] = {}
    keys: set[str] = set()
    tellings: list[str] = []
    for column in ("diagnosis", "inputs", "recomputed"):
        for node in _walk(phrases.get(column)):
            if isinstance(node.get("figure"), Mapping):
                fig = _figure(node["figure"])
                figures.setdefault(fig.ref, fig)
            key = node.get("key")
            if isinstance(key, str):
                keys.add(key)
            ident = (node.get("fields") or {}).get("id") if str(key).startswith(
                "frag.telling") or str(key).startswith("frag.status_telling") else None
            if isinstance(ident, str) and ident not in tellings:
                tellings.append(ident)
    for column in ("external_note", "external_value", "external_source"):
        keys.update(str(n["key"]) for n in _walk(phrases.get(column))
                    if isinstance(n.get("key"), str))
    return figures, keys, tellings


def _names(claim_id: str, ref: str) -> bool:
    return claim_id == ref or claim_id.startswith(ref + ".")


def row_facts(index: int, row: Mapping[str, Any]) -> RowFacts:
    """The facts of one neutral-ledger row (cells as the frame holds them)."""
    phrases = {c: phrase_of(row.get(c)) for c in PHRASE_COLUMNS}
    figures, keys, tellings = _harvest(phrases)
    claim_id = str(row["claim_id"])
    ordered = sorted(figures.values(), key=lambda f: (not _names(claim_id, f.ref),
                                                      -len(f.ref)))
    return RowFacts(index=index, claim_id=claim_id, check_id=str(row["check_id"]),
                    status=str(row["status"]), verdict=str(row.get("external_verdict") or ""),
                    lines=_lines(row.get("source_lines")),
                    exhibits=tuple(e.strip() for e in str(row.get("exhibit") or "").split(";")
                                   if e.strip()),
                    value_printed=str(row.get("value_printed") or ""), gap=_gap(row.get("gap")),
                    figures=tuple(ordered), notes=frozenset(keys), telling_ids=tuple(tellings),
                    phrases={c: p for c, p in phrases.items() if p})


def rows_of(ledger: pd.DataFrame) -> list[RowFacts]:
    """Every row of a neutral ledger as :class:`RowFacts` (``index`` = its position)."""
    records = ledger.fillna("").astype(str).to_dict("records")
    return [row_facts(i, {str(k): v for k, v in r.items()}) for i, r in enumerate(records)]


def is_contradiction(row: Mapping[str, Any]) -> bool:
    """A ledger row that is a contradiction: contradicted, and not a number that only fits
    another definition (``differs by definition`` is never a contradiction)."""
    return (str(row.get("status")) == CONTRADICTED
            and str(row.get("external_verdict") or "") != DEFINITION)


# ---------------------------------------------------------------------------------------
# The catalogue of the shipped data
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conclusion:
    """A conclusion of the dissertation and what it rests on (``conclusions.csv``)."""

    id: str
    line: int
    part: str
    heading_kk: str
    quote_kk: str
    basis_kk: str
    quote_en: str
    rests_on: tuple[str, ...]        # selectors: topic:trade, quantity:k, events:ots


@dataclass(frozen=True)
class Catalogue:
    """What the ledger rows do not carry: quantities, topics and the conclusions."""

    quantity: Mapping[str, str] = field(default_factory=dict)   # figure ref → quantity key
    topic: Mapping[str, str] = field(default_factory=dict)      # quantity key → topic
    exhibit_topic: Mapping[str, str] = field(default_factory=dict)  # table → usual topic
    conclusions: tuple[Conclusion, ...] = ()
    periods: Mapping[str, str] = field(default_factory=dict)  # figure ref → period printed

    def dated(self, fig: FigureRef) -> bool:
        """Whether the figure is dated: a year, or a period the text prints (2023 Q1)."""
        return fig.year is not None or bool(self.periods.get(fig.ref)
                                            or self.periods.get(fig.ref.split(".")[0]))

    def quantity_of(self, ref: str) -> str:
        """The quantity a figure measures; a second reading (``T219.b``) falls back to its
        claim's."""
        if ref in self.quantity:
            return self.quantity[ref]
        base = ref.split(".")[0]
        return self.quantity.get(base, "")

    def topic_of(self, fig: FigureRef) -> str:
        quantity = self.quantity_of(fig.ref)
        if quantity in self.topic:
            return self.topic[quantity]
        return self.exhibit_topic.get(fig.exhibit, "other")


def _conclusions(frame: pd.DataFrame) -> tuple[Conclusion, ...]:
    return tuple(Conclusion(id=str(r["conclusion_id"]), line=int(r["source_line"]),
                            part=str(r["part"]), heading_kk=str(r["heading_kk"]),
                            quote_kk=str(r["quote_kk"]), basis_kk=str(r["basis_kk"]),
                            quote_en=str(r["quote_en"]),
                            rests_on=tuple(s.strip() for s in str(r["rests_on"]).split(";")
                                           if s.strip()))
                 for r in frame.to_dict("records"))


def _usual_topics(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each exhibit's most common topic (ties: alphabetical)."""
    counts: dict[str, Counter[str]] = {}
    for exhibit, topic in pairs:
        counts.setdefault(exhibit, Counter())[topic] += 1
    return {e: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            for e, c in counts.items()}


def catalogue() -> Catalogue:
    """The catalogue of the shipped data (loads the figures, ``text_claims``, the second
    readings when transcribed, and ``conclusions``)."""
    # deliberate lazy imports: a catalogue is built once per findings build
    from analysis.checks import ledger
    from analysis.data import datasets
    from analysis.data.schemas import RESOURCES

    figures = ledger.figures()
    quantity = {f.ref: f.key for f in figures}
    claims = datasets.load("text_claims")
    topic = dict(zip(claims["quantity_key"].astype(str), claims["topic"].astype(str),
                     strict=True))
    for name, ident in (("text_readings", "reading_id"), ("text_trends", "trend_id")):
        if name in RESOURCES:  # second readings and trend claims name their quantity
            extra = datasets.load(name)
            quantity.update(zip(extra[ident].astype(str), extra["quantity_key"].astype(str),
                                strict=True))
    tables = [(f.exhibit, topic[f.key]) for f in figures if f.source != TEXT and f.key in topic]
    return Catalogue(quantity=quantity, topic=topic, exhibit_topic=_usual_topics(tables),
                     conclusions=_conclusions(datasets.load("conclusions")),
                     periods={f.ref: f.period for f in figures if f.period})
