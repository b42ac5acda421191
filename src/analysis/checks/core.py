"""Ledger rows: statuses, check ids, kinds and severity — what every check returns.

Why this module exists: a replication package usually redraws tables; an examiner needs to
know, for every stated number, whether the rest of the source reproduces it. Every check of
this package returns :class:`Row` objects of one shape, judged by the one verdict of
:mod:`analysis.methods.rounding` (exact intervals, half-up and half-even rounding), and
:mod:`analysis.checks.ledger` assembles them into the claims ledger.

Statuses (the same four everywhere):

* ``reproduced`` – the recomputed value equals the printed value exactly;
* ``within rounding`` – it differs, but under at least one rounding rule (half-up or
  half-even) and the printed qualifiers ("about", "more than") one set of true values
  produces all the printed numbers;
* ``contradicted`` – no true values produce them under either rule; the diagnosis gives the
  arithmetic, every line involved and, where the numbers suggest one, a *hypothesis* about
  the cause (a unit slip, a dropped decimal separator);
* ``untestable`` – nothing else in the source bears on the number; the diagnosis names what
  is missing.

Ledger columns (``ledger.csv``; :data:`LEDGER_COLUMNS`):

``claim_id``      stable id of the row: the claim (``T097``, ``K7.2019.exports``) and the
                  comparison (``.cross.k7``, ``.restated.T060``)
``check_id``      which check (:data:`CHECK_IDS`)
``kind``          the kind of check (:data:`KINDS`: identity, share sum, restatement, …)
``severity``      0 for rows that are not contradicted; for contradictions 3 (arithmetic
                  the source breaks in one place: an identity, a sum, an impossible value,
                  a part above its whole), 2 (two tellings disagree: tables, text, events,
                  counts, the source and the official record: ``external``), 1 (a
                  plausibility finding: an implausible jump, a repeated block)
``status``        one of :data:`STATUSES`
``exhibit``       where the numbers are printed (``Кесте 7``, ``text``, ``Қосымша Б``)
``source_lines``  every line involved, ``;``-separated, ascending
``value_printed`` the number(s) as printed
``inputs``        the other numbers used, described
``recomputed``    the recomputed value and its interval (half-up rounding shown)
``tolerance``     the rounding and qualifiers allowed for
``diagnosis``     the arithmetic in English
``gap``           relative distance between what is printed and what is recomputed
                  (0 when they meet; used to order contradictions, most serious first)
``template``      language-neutral form of the diagnosis: a template key ...
``fields``        ... and its fields as JSON; ``present.tables.checks`` renders Kazakh and
                  English text from the templates ``checks.diag.<template>`` of
                  ``present/labels/checks.yaml``
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from analysis.methods.rounding import CONTRADICTED, REPRODUCED, STATUSES, UNTESTABLE, WITHIN

__all__ = ["CONTRADICTED", "REPRODUCED", "STATUSES", "UNTESTABLE", "WITHIN", "CHECK_IDS",
           "KINDS", "LEDGER_COLUMNS", "Row", "to_frame"]

#: Kinds of check, in the order the summary shows them.
KINDS: tuple[str, ...] = ("identity", "share sum", "part-whole", "plausibility", "restatement",
                          "cross-table", "event", "count", "time series", "survey",
                          "external", "coverage")

#: check id → (kind, rule in one sentence). The rule text is what ``05_checks`` explains.
CHECK_IDS: dict[str, tuple[str, str]] = {
    "identity.total": ("identity", "Total = sum of the parts (turnover = exports + imports), "
                       "within the combined rounding of the inputs."),
    "identity.share": ("identity", "A printed share of a total equals 100 · parts / total, "
                       "within the rounding of all three."),
    "identity.product": ("identity", "A level times a printed factor (\"three times\", "
                         "\"grew by 20%\") equals the other printed level, within rounding."),
    "identity.duration": ("identity", "A stated duration or anniversary equals the years the "
                          "source gives for its start and end (e.g. 2025 − 1991 = 34)."),
    "growth.recompute": ("identity", "Growth rate recomputed from the printed levels (an "
                         "interval over their rounding) vs the printed rate's own interval."),
    "shares.sum100": ("share sum", "Shares of one whole must sum to 100 %, within their "
                      "rounding."),
    "part.whole": ("part-whole", "A part cannot exceed its whole (within rounding)."),
    "flow.capacity": ("part-whole", "A flow through a route cannot exceed the route's stated "
                      "capacity (within rounding)."),
    "text.impossible": ("plausibility", "A share of a whole cannot exceed 100 % or fall below "
                        "0 %."),
    "text.restated": ("restatement", "A quantity stated twice in the text (same quantity and "
                      "period) must agree within rounding."),
    "cross.same_quantity": ("cross-table", "The same quantity and year printed in two places "
                            "must agree within the rounding of both."),
    "cross.cumulative": ("cross-table", "A cumulative total must be at least the sum of the "
                         "yearly figures it covers (and equal it when the periods coincide)."),
    "events.dates": ("event", "Every telling of one event must give the same date (a "
                     "printed range of years or days is a span)."),
    "events.places": ("event", "Every telling of one event must give the same place."),
    "events.ordinals": ("event", "Every telling of one event must give it the same ordinal "
                        "number (the ninth summit)."),
    "count.enumerated": ("count", "A stated count must equal the number of items the same "
                         "passage enumerates."),
    "count.events": ("count", "A stated count of events must equal the number of dated "
                     "events of the series (the summits the text numbers) in its window."),
    "events.series_period": ("event", "A printed span of a series (\"the summits of "
                             "1992–2010\") must run from its first to its last dated event."),
    "series.jump": ("time series", "The same quantity in different years must not jump or "
                    "fall by more than the stated factor from one year to the next."),
    "survey.sum": ("survey", "A question's printed shares must sum to 100 % within their "
                   "rounding."),
    "survey.granularity": ("survey", "Some number of respondents N in 1..5000 must produce "
                           "every printed share of the question (GRIM-style test)."),
    "survey.joint_n": ("survey", "One N must produce the shares of all questions (same "
                       "respondents)."),
    "survey.options": ("survey", "The options reported (Қосымша Б) must be the options asked "
                       "(Қосымша Ә)."),
    "survey.repeated_block": ("survey", "Two different questions should not print the same "
                              "block of shares; a full repeat suggests copy-paste."),
    "external.reported": ("external", "The printed number vs the figure Kazakh (or Turkish) "
                          "officials stated for the same quantity and year, within their "
                          "rounding."),
    "external.wdi": ("external", "The printed number vs the World Bank's World Development "
                     "Indicators (a total over the OTS members where the text speaks of the "
                     "OTS)."),
    "external.energy": ("external", "The printed number vs the Energy Institute's "
                        "Statistical Review."),
    "coverage.none": ("coverage", "Nothing else in the source bears on this number: "
                      "untestable, and the row says what is missing."),
}

#: Severity of a contradiction by kind (see the module docstring); survey rows by check.
_SEVERITY: dict[str, int] = {"identity": 3, "share sum": 3, "part-whole": 3,
                             "plausibility": 3, "restatement": 2, "cross-table": 2,
                             "event": 2, "count": 2, "time series": 1, "external": 2,
                             "coverage": 0}
_SURVEY_SEVERITY: dict[str, int] = {"survey.sum": 3, "survey.granularity": 3,
                                    "survey.joint_n": 3, "survey.options": 2,
                                    "survey.repeated_block": 1}

LEDGER_COLUMNS: tuple[str, ...] = ("claim_id", "check_id", "kind", "severity", "status",
                                   "exhibit", "source_lines", "value_printed", "inputs",
                                   "recomputed", "tolerance", "diagnosis", "gap", "template",
                                   "fields")


def kind_of(check_id: str) -> str:
    return CHECK_IDS[check_id][0]


def severity_of(check_id: str, status: str) -> int:
    """0 unless contradicted; else 3, 2 or 1 (module docstring)."""
    if status != CONTRADICTED:
        return 0
    if check_id in _SURVEY_SEVERITY:
        return _SURVEY_SEVERITY[check_id]
    return _SEVERITY[kind_of(check_id)]


@dataclass(frozen=True)
class Row:
    """One ledger row: one claim judged by one check.

    ``template`` and ``fields`` carry the diagnosis in a language-neutral form; ``gap`` is
    the relative distance between printed and recomputed intervals (0 when they meet)."""

    claim_id: str
    check_id: str
    exhibit: str
    source_lines: tuple[int, ...]
    value_printed: str
    inputs: str
    recomputed: str
    tolerance: str
    status: str
    diagnosis: str
    template: str = ""
    fields: Mapping[str, Any] = field(default_factory=dict)
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

    def with_note(self, note: str, template: str = "", **note_fields: Any) -> Row:
        """The row with one more sentence appended to its diagnosis (and to its fields'
        ``notes`` list, so that the note is rendered in every language too)."""
        notes = [*self.fields.get("notes", []), {"template": template or "note.text",
                                                 "fields": note_fields or {"text": note}}]
        return replace(self, diagnosis=f"{self.diagnosis}; {note}",
                       fields={**self.fields, "notes": notes})

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
            "inputs": self.inputs,
            "recomputed": self.recomputed,
            "tolerance": self.tolerance,
            "diagnosis": self.diagnosis,
            "gap": self.gap,
            "template": self.template,
            "fields": json.dumps(dict(self.fields), ensure_ascii=False, sort_keys=True,
                                 default=str),
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
