"""Numbers with two plausible readings: each reading a figure of its own, each with its
verdicts, and a contradiction decisive only under the likelier reading.

Why: a few printed numbers can be parsed two ways — «,8 миллиард» (8 billion after a stray
space before a comma, or 0,8 billion), «459,6 миллион» spent on Turkish goods (all imports
from Türkiye, or a light-industry subtotal), 71 Mt by sea in a list dated 2012 (that year,
or undated). ``text_claims.csv`` keeps the transcribed reading (reading ``a``);
``text_readings.csv`` adds the others (``T115.b``), each with the words that support it
and whether it is likelier, as likely or less likely than the transcribed one. Every
reading enters the ledger as a figure (ref ``T115.b``) and is judged by every check that
applies to its quantity, year and period.

The rule: a contradiction is decisive only under a reading no other reading of the same
number beats. Under a less likely reading (an alternative marked ``less likely``, or the
transcribed reading when an alternative is ``likelier``) a contradicted row becomes *not
decisive*, and says why; under the likelier reading it stands. Every row a reading enters
names the reading and its basis, so the reader sees both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd

from analysis.checks.core import CONTRADICTED, NOT_DECISIVE, Row
from analysis.checks.figures import Figure
from analysis.checks.phrases import Phrase, say
from analysis.errors import DataError, Problem

LIKELIER, AS_LIKELY, LESS_LIKELY = "likelier", "as likely", "less likely"
READINGS_FILE = "data/raw/text_readings.csv"


@dataclass(frozen=True)
class Reading:
    """What the ledger says of a figure that is one of several readings of a number."""

    ref: str                 # the figure's ref (T115 for the transcribed reading, T115.b)
    claim: str               # the claim it reads (T115)
    others: tuple[str, ...]  # the other readings' refs
    less_likely: bool        # another reading of the number is likelier
    note: Phrase             # what the row says about it


def root(ref: str) -> str:
    """The claim a figure reads: ``T115`` for ``T115.b`` and for ``T115``."""
    return ref.split(".", 1)[0]


def reading_figures(readings: pd.DataFrame | None, claims: pd.DataFrame) -> list[Figure]:
    """Every row of ``text_readings`` as a :class:`Figure` (ref = its reading id), printed
    as the reading reads the number; the claim's line first, the basis's line beside it.
    A reading of a claim that does not exist, or of another printed number, is an error."""
    if readings is None or readings.empty:
        return []
    by_id = {str(r["claim_id"]): r for r in claims.to_dict("records")}
    out = []
    for i, rec in enumerate(readings.to_dict("records"), start=2):
        claim_id = str(rec["claim_id"])
        if claim_id not in by_id:
            raise DataError(Problem(READINGS_FILE, i, "claim_id", "a claim of text_claims.csv",
                                    claim_id))
        claim = by_id[claim_id]
        if str(claim["number_printed"]) != str(rec["number_printed"]):
            raise DataError(Problem(READINGS_FILE, i, "number_printed",
                                    f"the claim's number as printed, "
                                    f"{claim['number_printed']!r}", str(rec["number_printed"])))
        line, basis = int(claim["source_line"]), int(rec["source_line"])
        year, period = rec.get("year"), rec.get("period")
        out.append(Figure(
            ref=str(rec["reading_id"]), source="text", exhibit="text",
            key=str(rec["quantity_key"]),
            year=None if year is None or pd.isna(year) else int(year),
            printed=str(rec["reading_printed"]), value=Decimal(str(rec["value"])),
            unit=str(rec["unit"]), line=line, qualifier=str(rec["qualifier"]),
            period="" if period is None or pd.isna(period) else str(period),
            label=str(rec["label_en"]), label_kk=str(rec.get("label_kk") or ""),
            extra_lines=() if basis == line else (basis,)))
    return out


def reading_index(readings: pd.DataFrame | None) -> dict[str, Reading]:
    """Every figure that is one reading of a number with several: the transcribed claims
    (reading ``a``) and their alternatives, with the note each row will carry."""
    if readings is None or readings.empty:
        return {}
    out: dict[str, Reading] = {}
    for claim_id, grp in readings.groupby("claim_id", sort=True):
        refs = [str(claim_id), *(str(r) for r in grp["reading_id"])]
        likelier = grp[grp["likelihood"] == LIKELIER]
        for rec in grp.to_dict("records"):
            ref = str(rec["reading_id"])
            out[ref] = Reading(ref, str(claim_id), tuple(r for r in refs if r != ref),
                               rec["likelihood"] == LESS_LIKELY, say(
                                   f"note.reading.{_slug(str(rec['likelihood']))}", ref=ref,
                                   claim=str(claim_id), printed=f"«{rec['number_printed']}»",
                                   reading={"kk": str(rec["reading_kk"]),
                                            "en": str(rec["reading_en"])},
                                   basis=f"«{rec['quote_kk']}»", line=int(rec["source_line"])))
        out[str(claim_id)] = Reading(
            str(claim_id), str(claim_id), tuple(r for r in refs if r != str(claim_id)),
            not likelier.empty, say("note.reading.transcribed", claim=str(claim_id),
                                    others=", ".join(r for r in refs if r != str(claim_id)),
                                    likelier=", ".join(str(r) for r in likelier["reading_id"])
                                    or "–"))
    return out


def _slug(likelihood: str) -> str:
    return likelihood.replace(" ", "_")


def judged(row: Row, figures: tuple[Figure, ...], index: dict[str, Reading]) -> Row:
    """``row`` with what the readings of its figures change: each reading named; a
    contradiction under a less likely reading not decisive (module docstring)."""
    found = [index[f.ref] for f in figures if f.ref in index]
    if not found:
        return row
    for r in found:
        row = row.with_note(r.note)
    weaker = [r for r in found if r.less_likely]
    if row.status == CONTRADICTED and weaker:
        row = replace(row, status=NOT_DECISIVE, gap="").with_note(
            say("note.reading.not_decisive", ref=weaker[0].ref))
    return row
