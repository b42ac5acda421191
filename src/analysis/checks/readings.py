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
decisive*, and says why; under the likelier reading, or one as likely as the other, it
stands. Every row a reading enters names the reading and its basis, so the reader sees
both.

A verdict on one reading holds only under that reading, and the ledger says so as data:
the row's ``conditional_on`` names the reading(s) it judged (``T219.b``; empty for a number
with one reading), so a later layer can count such rows apart; a contradiction that
stands carries a note in both languages that it is a contradiction only under this
reading, naming the other reading and whether it is as open (``as likely``) or less
likely. "Likelier" is said only where ``text_readings.csv`` marks it, beside the evidence
its row states (``reading_en``/``reading_kk``, ``quote_kk``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import pandas as pd

from analysis.checks.core import CONTRADICTED, NOT_DECISIVE, Row
from analysis.checks.figures import Figure
from analysis.checks.phrases import Phrase, items, say
from analysis.errors import DataError, Problem

LIKELIER, AS_LIKELY, LESS_LIKELY = "likelier", "as likely", "less likely"
READINGS_FILE = "data/raw/text_readings.csv"


#: How a reading stands against the others of its number, for a contradiction under it:
#: ``likelier`` (every other reading is less likely), ``open`` (another is as likely).
#: A less likely reading has no condition: its contradictions are not decisive.
LIKELIER_THAN_ALL, OPEN = "likelier", "open"


@dataclass(frozen=True)
class Reading:
    """What the ledger says of a figure that is one of several readings of a number."""

    ref: str                 # the figure's ref (T115 for the transcribed reading, T115.b)
    claim: str               # the claim it reads (T115)
    others: tuple[str, ...]  # the other readings' refs
    less_likely: bool        # another reading of the number is likelier
    note: Phrase             # what the row says about it
    standing: str = OPEN     # LIKELIER_THAN_ALL or OPEN (meaningful unless less_likely)
    #: the contradiction note: "contradicted only under this reading", the others named
    condition: Phrase | None = None


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


def _labels(readings: pd.DataFrame, claims: pd.DataFrame | None
            ) -> dict[str, dict[str, str]]:
    """Each reading's label in both languages: the alternatives' from ``text_readings``,
    the transcribed readings' from ``text_claims`` (their id alone when not given)."""
    out = {str(r["reading_id"]): {"kk": str(r.get("label_kk") or r["label_en"]),
                                  "en": str(r["label_en"])}
           for r in readings.to_dict("records")}
    wanted = set(readings["claim_id"].astype(str))
    if claims is not None and "claim_id" in claims:
        for c in claims[claims["claim_id"].astype(str).isin(wanted)].to_dict("records"):
            out[str(c["claim_id"])] = {"kk": str(c.get("label_kk") or c["label_en"]),
                                       "en": str(c["label_en"])}
    return out


def _named(ref: str, labels: dict[str, dict[str, str]]) -> Phrase:
    """A reading by its id and label: ``T219 (spending on Turkish goods …)``."""
    return say("frag.reading", ref=ref, label=labels.get(ref, {"kk": ref, "en": ref}))


def _condition(ref: str, standing: str, others: list[str], printed: str,
               labels: dict[str, dict[str, str]]) -> Phrase:
    """"Contradicted only if ``printed`` is read as ``ref``; the other reading … is as
    open / less likely" (``note.reading.condition.<standing>``)."""
    return say(f"note.reading.condition.{standing}", printed=printed,
               reading=_named(ref, labels), others=items([_named(o, labels) for o in others]))


def reading_index(readings: pd.DataFrame | None,
                  claims: pd.DataFrame | None = None) -> dict[str, Reading]:
    """Every figure that is one reading of a number with several: the transcribed claims
    (reading ``a``) and their alternatives, with the notes each row will carry
    (``claims``, ``text_claims``, labels the transcribed readings in the notes)."""
    if readings is None or readings.empty:
        return {}
    labels = _labels(readings, claims)
    out: dict[str, Reading] = {}
    for claim_id, grp in readings.groupby("claim_id", sort=True):
        refs = [str(claim_id), *(str(r) for r in grp["reading_id"])]
        likelier = grp[grp["likelihood"] == LIKELIER]
        printed = f"«{grp.iloc[0]['number_printed']}»"
        for rec in grp.to_dict("records"):
            ref = str(rec["reading_id"])
            others = [r for r in refs if r != ref]
            standing = LIKELIER_THAN_ALL if rec["likelihood"] == LIKELIER else OPEN
            out[ref] = Reading(ref, str(claim_id), tuple(others),
                               rec["likelihood"] == LESS_LIKELY, say(
                                   f"note.reading.{_slug(str(rec['likelihood']))}", ref=ref,
                                   claim=str(claim_id), printed=printed,
                                   reading={"kk": str(rec["reading_kk"]),
                                            "en": str(rec["reading_en"])},
                                   basis=f"«{rec['quote_kk']}»", line=int(rec["source_line"])),
                               standing, _condition(ref, standing, others, printed, labels))
        out[str(claim_id)] = _transcribed(str(claim_id), grp, refs, likelier, printed, labels)
    return out


def _transcribed(claim_id: str, grp: pd.DataFrame, refs: list[str], likelier: pd.DataFrame,
                 printed: str, labels: dict[str, dict[str, str]]) -> Reading:
    """The transcribed reading (``a``): less likely when an alternative is likelier, as
    open as the others when one is as likely, else likelier than all."""
    others = [r for r in refs if r != claim_id]
    standing = OPEN if (grp["likelihood"] == AS_LIKELY).any() else LIKELIER_THAN_ALL
    return Reading(claim_id, claim_id, tuple(others), not likelier.empty,
                   say("note.reading.transcribed", claim=claim_id, others=", ".join(others),
                       likelier=", ".join(str(r) for r in likelier["reading_id"]) or "–"),
                   standing, _condition(claim_id, standing, others, printed, labels))


def _slug(likelihood: str) -> str:
    return likelihood.replace(" ", "_")


def conditional_on(figures: tuple[Figure, ...], index: dict[str, Reading]) -> str:
    """The readings a row judged, ``;``-separated (the ledger's ``conditional_on``): its
    verdict holds only under them. Empty when no figure of the row has another reading."""
    return ";".join(f.ref for f in figures if f.ref in index)


def judged(row: Row, figures: tuple[Figure, ...], index: dict[str, Reading]) -> Row:
    """``row`` with what the readings of its figures change: each reading named, the row
    marked ``conditional_on`` them; a contradiction under a less likely reading not
    decisive; one that stands says it holds only under its reading (module docstring)."""
    found = [index[f.ref] for f in figures if f.ref in index]
    if not found:
        return row
    row = replace(row, conditional_on=conditional_on(figures, index))
    for r in found:
        row = row.with_note(r.note)
    weaker = [r for r in found if r.less_likely]
    if row.status == CONTRADICTED and weaker:
        return replace(row, status=NOT_DECISIVE, gap="").with_note(
            say("note.reading.not_decisive", ref=weaker[0].ref))
    if row.status == CONTRADICTED:
        for r in found:
            row = row.with_note(r.condition)
    return row
