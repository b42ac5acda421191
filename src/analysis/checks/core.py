"""Ledger rows: statuses, check ids, kinds and severity — what every check returns.

Why this module exists: a replication package usually redraws tables; an examiner needs to
know, for every stated number, whether the rest of the source reproduces it. Every check of
this package returns :class:`Row` objects of one shape, judged by the one verdict of
:mod:`analysis.methods.rounding` (exact intervals, half-up and half-even rounding), and
:mod:`analysis.checks.ledger` assembles them into the claims ledger.

Statuses (the same six everywhere):

* ``reproduced`` – the recomputed value equals the printed value exactly;
* ``within rounding`` – it differs, but under at least one rounding rule (half-up or
  half-even) and the printed qualifiers ("about") one set of true values produces all the
  printed numbers;
* ``plausible`` – a plausibility test passed (a part within its whole, a flow within its
  route's capacity, a series without an implausible jump, a cumulative total at least the
  sum of the years it covers): the numbers are possible, nothing recomputes them;
* ``not decisive`` – the comparison could not have failed, or cannot decide: one side is
  only a bound on one side ("more than 4 100"), a list of shares not presented as complete
  leaves a share unaccounted, the two figures are of different dates or scopes, or a
  contradiction holds only under the less likely of two readings of the source;
* ``contradicted`` – no true values produce them under either rule; the diagnosis gives the
  arithmetic, every line involved and, where the numbers suggest one, a *hypothesis* about
  the cause (a unit slip, a dropped decimal separator);
* ``untestable`` – nothing else in the source bears on the number; the diagnosis names what
  is missing.

Ledger columns (:data:`LEDGER_COLUMNS`; the language-neutral ledger that
:func:`analysis.checks.ledger.build` returns and ``ledger.json`` stores):

``claim_id``      stable id of the row: the claim (``T097``, ``K7.2019.exports``) and the
                  comparison (``.cross.k7``, ``.restated.T060``)
``check_id``      which check (:data:`CHECK_IDS`)
``kind``          the kind of check, a key of :data:`KINDS` (identity, share sum, …)
``severity``      0 for rows that are not contradicted; for contradictions 3 (arithmetic
                  the source breaks in one place: an identity, a sum, an impossible value,
                  a part above its whole), 2 (two tellings disagree: tables, text, events,
                  counts, the source and the official record: ``external``), 1 (a
                  plausibility finding: an implausible jump, a repeated block)
``status``        one of :data:`STATUSES` (a key; its words are ``checks.status.<status>``)
``exhibit``       where the numbers are printed, as the data names it (``Кесте 7``,
                  ``text``, ``Қосымша Б``; ``;``-separated)
``source_lines``  every line involved, ``;``-separated, ascending
``value_printed`` the number(s) exactly as printed (a quotation of the source)
``inputs``        the other numbers used         \
``recomputed``    the recomputed value and its    | each a phrase as JSON
                  interval                        | (:mod:`analysis.checks.phrases`): a
``tolerance``     the rounding and qualifiers     | template key and its fields as data;
                  allowed for                     | empty when there is nothing to say
``diagnosis``     the arithmetic, with its notes /
                  (hypotheses among them)
``gap``           relative distance between what is printed and what is recomputed
                  (0 when they meet; used to order contradictions, most serious first),
                  an exact decimal with a decimal point

A language's ledger (``reports/<lang>/ledger.csv``, written by
:func:`analysis.present.ledger_text.frame`) has the same columns: ``claim_id``,
``check_id``, ``severity``, ``status`` (the key), ``exhibit``, ``source_lines``,
``value_printed`` and ``gap`` exactly as here in every language; ``kind``, the four texts
and the external texts (the verdict included) in that language, with its number notation.
The external columns (:data:`analysis.checks.official.EXTERNAL_COLUMNS`) follow the same
rule: ``external_verdict`` a key here, the others phrases.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from analysis.checks.phrases import Phrase, with_notes
from analysis.methods.rounding import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    STATUSES,
    UNTESTABLE,
    WITHIN,
)

__all__ = ["CONTRADICTED", "NOT_DECISIVE", "PLAUSIBLE", "REPRODUCED", "STATUSES",
           "UNTESTABLE", "WITHIN", "CHECK_IDS",
           "KINDS", "LEDGER_COLUMNS", "TEXT_COLUMNS", "STATUS_TABLE", "SUMMARY_ORDER", "Row",
           "to_frame",
           "status_suffix", "phrase_json", "phrase_of"]

#: Kinds of check, in the order the summary shows them.
KINDS: tuple[str, ...] = ("identity", "share sum", "part-whole", "plausibility", "restatement",
                          "cross-table", "event", "count", "verbal", "time series", "survey",
                          "external", "coverage")

#: check id → kind. What each check tests is said in words by the labels
#: ``checks.explain.<check id>`` (``05_checks`` shows them); a new check is added here
#: and there.
CHECK_IDS: dict[str, str] = {
    "identity.total": "identity",
    "identity.share": "identity",
    "identity.product": "identity",
    "identity.duration": "identity",
    "growth.recompute": "identity",
    "shares.sum100": "share sum",
    "part.whole": "part-whole",
    "flow.capacity": "part-whole",
    "text.impossible": "plausibility",
    "text.restated": "restatement",
    "text.other_date": "restatement",
    "text.revision": "verbal",
    "text.main": "verbal",
    "trend.series": "verbal",
    "cross.same_quantity": "cross-table",
    "cross.cumulative": "cross-table",
    "events.dates": "event",
    "events.places": "event",
    "events.ordinals": "event",
    "count.enumerated": "count",
    "count.events": "count",
    "count.named_sets": "count",
    "events.statuses": "event",
    "events.series_period": "event",
    "series.jump": "time series",
    "survey.sum": "survey",
    "survey.granularity": "survey",
    "survey.joint_n": "survey",
    "survey.options": "survey",
    "survey.repeated_block": "survey",
    "external.trade": "external",
    "external.reported": "external",
    "external.wdi": "external",
    "external.energy": "external",
    "coverage.none": "coverage",
}

#: Severity of a contradiction by kind (see the module docstring); survey rows by check.
_SEVERITY: dict[str, int] = {"identity": 3, "share sum": 3, "part-whole": 3,
                             "plausibility": 3, "restatement": 2, "cross-table": 2,
                             "event": 2, "count": 2, "verbal": 2, "time series": 1,
                             "external": 2,
                             "coverage": 0}
_SURVEY_SEVERITY: dict[str, int] = {"survey.sum": 3, "survey.granularity": 3,
                                    "survey.joint_n": 3, "survey.options": 2,
                                    "survey.repeated_block": 1}

#: The one table of statuses: status → (its suffix in template keys such as
#: ``diag.identity.within``, its place when a summary lists rows: contradictions first).
#: Counts are shown in the order of :data:`STATUSES`; a status's words are the labels
#: ``checks.status.<status>``. A new status (issue 23's "not decisive") is added to
#: :data:`STATUSES`, here and to the labels (``tests/test_checks_present.py`` checks all
#: three agree).
STATUS_TABLE: dict[str, tuple[str, int]] = {
    CONTRADICTED: ("contradicted", 0),
    NOT_DECISIVE: ("not_decisive", 1),
    WITHIN: ("within", 2),
    PLAUSIBLE: ("plausible", 3),
    REPRODUCED: ("reproduced", 4),
    UNTESTABLE: ("untestable", 5),
}
SUMMARY_ORDER: tuple[str, ...] = tuple(sorted(STATUS_TABLE, key=lambda s: STATUS_TABLE[s][1]))

#: The columns that hold phrases (JSON) in the neutral ledger and texts in a language's.
TEXT_COLUMNS: tuple[str, ...] = ("inputs", "recomputed", "tolerance", "diagnosis")

LEDGER_COLUMNS: tuple[str, ...] = ("claim_id", "check_id", "kind", "severity", "status",
                                   "exhibit", "source_lines", "value_printed", "inputs",
                                   "recomputed", "tolerance", "diagnosis", "gap")


def kind_of(check_id: str) -> str:
    return CHECK_IDS[check_id]


def severity_of(check_id: str, status: str) -> int:
    """0 unless contradicted; else 3, 2 or 1 (module docstring)."""
    if status != CONTRADICTED:
        return 0
    if check_id in _SURVEY_SEVERITY:
        return _SURVEY_SEVERITY[check_id]
    return _SEVERITY[kind_of(check_id)]


def status_suffix(status: str) -> str:
    """``within`` for ``within rounding``: how template keys name a status."""
    return STATUS_TABLE[status][0]


def phrase_json(phrase: Phrase | None) -> str:
    """A phrase as the JSON text of a ledger cell (``""`` for none): keys sorted, so the
    same phrase always gives the same bytes."""
    if not phrase:
        return ""
    return json.dumps(phrase, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def phrase_of(cell: object) -> Phrase | None:
    """The phrase of a ledger cell (JSON text or an already parsed dict); ``None`` when
    the cell is empty."""
    if isinstance(cell, dict):
        return cell
    if not isinstance(cell, str) or not cell.strip():
        return None
    loaded = json.loads(cell)
    return loaded if isinstance(loaded, dict) else None


@dataclass(frozen=True)
class Row:
    """One ledger row: one claim judged by one check.

    The texts are phrases (:mod:`analysis.checks.phrases`), never sentences: ``diagnosis``
    (with its notes), ``inputs``, ``recomputed``, ``tolerance``; ``gap`` is the relative
    distance between printed and recomputed intervals (0 when they meet)."""

    claim_id: str
    check_id: str
    exhibit: str
    source_lines: tuple[int, ...]
    value_printed: str
    status: str
    diagnosis: Phrase
    inputs: Phrase | None = None
    recomputed: Phrase | None = None
    tolerance: Phrase | None = None
    gap: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}; expected one of {STATUSES}")
        if self.check_id not in CHECK_IDS:
            raise ValueError(f"unknown check id {self.check_id!r}")

    @property
    def kind(self) -> str:
        return kind_of(self.check_id)

    @property
    def severity(self) -> int:
        return severity_of(self.check_id, self.status)

    @property
    def lines_text(self) -> str:
        return ";".join(str(n) for n in sorted(set(self.source_lines)))

    @property
    def notes(self) -> list[Phrase]:
        return list(self.diagnosis.get("notes", []))

    def with_note(self, note: Phrase | None) -> Row:
        """The row with one more sentence said after its diagnosis (``None``: unchanged)."""
        return self if note is None else replace(self, diagnosis=with_notes(self.diagnosis,
                                                                            note))

    def as_dict(self) -> dict[str, str]:
        return {
            "claim_id": self.claim_id,
            "check_id": self.check_id,
            "kind": self.kind,
            "severity": str(self.severity),
            "status": self.status,
            "exhibit": self.exhibit,
            "source_lines": self.lines_text,
            "value_printed": self.value_printed,
            "inputs": phrase_json(self.inputs),
            "recomputed": phrase_json(self.recomputed),
            "tolerance": phrase_json(self.tolerance),
            "diagnosis": phrase_json(self.diagnosis),
            "gap": self.gap,
        }


def to_frame(rows: Iterable[Row]) -> pd.DataFrame:
    """Rows as a DataFrame with :data:`LEDGER_COLUMNS`, sorted by ``claim_id`` then
    ``check_id``; duplicate ids are an error (ids must be stable keys)."""
    frame = pd.DataFrame([r.as_dict() for r in rows], columns=list(LEDGER_COLUMNS))
    frame = frame.sort_values(["claim_id", "check_id"], kind="mergesort").reset_index(drop=True)
    dup = frame[frame.duplicated(["claim_id", "check_id"], keep=False)]
    if not dup.empty:
        raise ValueError(f"duplicate ledger ids: {sorted(set(dup['claim_id']))}")
    return frame

