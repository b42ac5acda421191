"""Proposed corrections (errata): the value the other sources support, and which source.

Per contradicted row, in this order:

* an event's tellings: when one value is told at two or more lines and more often than any
  other, the other tellings are corrected to it (source: those lines); otherwise undecided;
* a number set against the official record: the record's value, with its series (BNS 312101
  where it covers the year, else WITS), publisher and edition — as the ledger row names
  them;
* two printed numbers that disagree: when the record agrees with one of them, the other is
  corrected to it; when the record disagrees with both, each to the record's value; with no
  record, undecided (the text offers no third source);
* a growth rate the tables deny: the record's rate when the record has one (the text's rate
  stands when the record agrees with it: then the tables are the ones to correct);
* an impossible share: the reading with a decimal separator restored that lies nearest the
  record;
* a stated count against the items listed: the number listed;
* anything else (a trend claim, named members, survey options): advice, no value.

A finding's corrections are the distinct ones over its rows (one per corrected figure or
telling). Nothing here edits ``data/raw``: a correction is a proposal for the author.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from analysis.checks.phrases import Phrase, items, printed, say
from analysis.findings.causes import NEAR, Evidence, candidates, official_value
from analysis.findings.facts import FigureRef, RowFacts
from analysis.findings.phrasing import ledger, line_items, rounded, where

AGREES, DISAGREES = "agrees", "disagrees"

__all__ = ["Correction", "propose"]


@dataclass(frozen=True)
class Correction:
    """One proposal: what (``target``, a key for deduplication), the phrase that says it,
    whether a source decides it, and its priority against other proposals for the same
    target (higher wins: a reading that explains a misprint beats a plain replacement)."""

    target: str
    phrase: Phrase
    decided: bool
    priority: int = 0


def _where(fig: FigureRef) -> dict[str, Any]:
    return {"exhibit": {"exhibit": fig.exhibit}, "line": line_items([fig.line]),
            "printed": printed(fig.printed)}


def _source(ext: RowFacts) -> Phrase:
    return say("fix.record_source", source=ledger(ext.phrase("external_source")),
               vintage=ledger(ext.phrase("external_vintage")))


#: Official references that bound the printed number instead of measuring it, by the key
#: of the row's tolerance or of one of its notes: the printed number is wrong, but the
#: bound is no value to print instead ("at most"/"at least" it, and the author's source
#: decides). A nine-month figure bounds the year from below; the oil left for export after
#: consumption bounds one route from above; a share whose denominator misses members
#: bounds from above.
BOUNDS = {"tol.note.jan_sep": "at_least", "tol.ext_oil_left": "at_most",
          "tol.ext_eaeu_share": "at_most"}


def bound_of(ext: RowFacts) -> str | None:
    """``at_least``/``at_most`` when the row's official reference is a bound (None: a
    value of the same quantity)."""
    tol = ext.phrase("external_tolerance") or {}
    keys = [str(tol.get("key", ""))] + [str(n.get("key", "")) for n in tol.get("notes", [])
                                        if isinstance(n, dict)]
    return next((BOUNDS[k] for k in keys if k in BOUNDS), None)


def _to_record(fig: FigureRef, ext: RowFacts) -> Correction:
    bound = bound_of(ext)
    if bound is not None:
        return Correction(fig.ref, say(f"fix.bound.{bound}", **_where(fig),
                                       value=ledger(ext.phrase("recomputed")),
                                       source=_source(ext)), False)
    return Correction(fig.ref, say("fix.to_record", **_where(fig),
                                   value=ledger(ext.phrase("recomputed")),
                                   source=_source(ext)), True)


def _keep(fig: FigureRef, ext: RowFacts) -> Correction:
    return Correction(f"keep:{fig.ref}", say("fix.keep", **_where(fig), source=_source(ext)),
                      True)


def _to_figure(fig: FigureRef, by: FigureRef, ext: RowFacts) -> Correction:
    return Correction(fig.ref, say("fix.to_figure", **_where(fig), value=printed(by.printed),
                                   by=where(by), source=_source(ext)), True)


def _undecided(figs: Sequence[FigureRef]) -> Correction:
    return Correction("|".join(f.ref for f in figs),
                      say("fix.undecided", figures=items(
                          [say("fix.figure", **_where(f)) for f in figs], "; ")), False)


def _verdict(ext: RowFacts | None) -> str:
    return ext.verdict if ext is not None else ""


# --- events --------------------------------------------------------------------------


def value_lines(node: Any) -> Iterator[list[Mapping[str, Any]]]:
    """Every list of ``frag.value_line(s)`` items in a phrase (one per conflict)."""
    if isinstance(node, Mapping):
        found = node.get("items")
        if isinstance(found, list) and found and all(
                isinstance(v, Mapping) and str(v.get("key", "")).startswith("frag.value_line")
                for v in found):
            yield [v.get("fields", {}) for v in found]
            return
        for v in node.values():
            yield from value_lines(v)
    elif isinstance(node, list):
        for v in node:
            yield from value_lines(v)


def _lines_of(fields: Mapping[str, Any]) -> list[int]:
    lines = fields.get("lines")
    return [int(n) for n in (lines.get("items", []) if isinstance(lines, Mapping) else [])]


def _field(value: Any) -> Any:
    return ledger(value) if isinstance(value, dict) and "key" in value else value


def _tellings(row: RowFacts) -> list[Correction]:
    out = []
    for conflict in value_lines(row.phrase("diagnosis")):
        ranked = sorted(conflict, key=lambda f: -len(_lines_of(f)))
        top, rest = ranked[0], ranked[1:]
        decided = len(_lines_of(top)) >= 2 and all(len(_lines_of(top)) > len(_lines_of(o))
                                                   for o in rest)
        for other in rest if decided else []:
            out.append(Correction(f"{row.claim_id}:{_lines_of(other)}", say(
                "fix.telling", value=_field(other.get("value")),
                lines=line_items(_lines_of(other)), to=_field(top.get("value")),
                by_lines=line_items(_lines_of(top))), True))
        if not decided:
            out.append(Correction(f"{row.claim_id}:undecided", say(
                "fix.tellings_undecided", values=items(
                    [say("fix.value_lines", value=_field(f.get("value")),
                         lines=line_items(_lines_of(f))) for f in ranked], "; ")), False))
    return out


# --- figures -------------------------------------------------------------------------


def _pair(a: FigureRef, b: FigureRef, ev: Evidence) -> list[Correction]:
    ea, eb = ev.external_of(a.ref), ev.external_of(b.ref)
    if _verdict(ea) == AGREES and _verdict(eb) == AGREES and ea is not None \
            and eb is not None:
        return [_keep(a, ea), _keep(b, eb)]
    if _verdict(ea) == AGREES and _verdict(eb) != AGREES and ea is not None:
        return [_keep(a, ea), _to_figure(b, a, ea)]
    if _verdict(eb) == AGREES and _verdict(ea) != AGREES and eb is not None:
        return [_keep(b, eb), _to_figure(a, b, eb)]
    out = [_to_record(f, e) for f, e in ((a, ea), (b, eb))
           if e is not None and e.verdict == DISAGREES]
    return out or [_undecided((a, b))]


def _growth(row: RowFacts, ev: Evidence) -> list[Correction]:
    fig = row.subject_figure
    if fig is None:
        return []
    ext = ev.external_of(fig.ref)
    if ext is not None and ext.verdict == AGREES:
        return [_keep(fig, ext)]
    if ext is not None and ext.verdict == DISAGREES:
        return [_to_record(fig, ext)]
    return [_undecided((fig,))]


def _impossible(row: RowFacts, ev: Evidence) -> list[Correction]:
    fig = row.subject_figure
    if fig is None:
        return []
    ext = ev.external_of(fig.ref)
    official = official_value(ext)
    cands = candidates(row)
    near = [c for c in cands if official and 1 / NEAR <= c / official <= NEAR]
    if ext is None or not near:
        return [Correction(fig.ref, say("fix.readings", **_where(fig), values=items(
            [rounded(c, 2) for c in cands], ", ")), False)]
    best = min(near, key=lambda c: abs(c - (official or Fraction(0))))
    return [Correction(fig.ref, say("fix.reading", **_where(fig), value=rounded(best, 2),
                                    official=rounded(official or 0, 2),
                                    source=_source(ext)), True, priority=1)]


def _count(row: RowFacts) -> list[Correction]:
    fig = row.subject_figure
    listed = ((row.phrase("diagnosis") or {}).get("fields", {})).get("n")
    if fig is None or not isinstance(listed, int):
        return []
    return [Correction(fig.ref, say("fix.count", **_where(fig), n=listed), True)]


def _for_row(row: RowFacts, ev: Evidence) -> list[Correction]:
    fig = row.subject_figure
    if row.event_key:
        return _tellings(row)
    if row.external and fig is not None:
        return [_to_record(fig, row)]
    if row.check_id == "growth.recompute":
        return _growth(row, ev)
    if row.check_id == "text.impossible":
        return _impossible(row, ev)
    if row.check_id == "count.enumerated":
        return _count(row)
    if len(row.figures) >= 2 and row.check_id not in ("count.named_sets", "series.jump"):
        return _pair(row.figures[0], row.figures[1], ev)
    return [Correction(f"advice:{row.check_id}", say(f"fix.advice.{row.kind}"), False)]


def propose(rows: Sequence[RowFacts], ev: Evidence) -> list[Correction]:
    """The distinct corrections of a finding: per target, the first decided proposal (else
    the first), in the order of the rows."""
    chosen: dict[str, Correction] = {}
    for row in rows:
        for c in _for_row(row, ev):
            old = chosen.get(c.target)
            if old is None or (c.decided, c.priority) > (old.decided, old.priority):
                chosen[c.target] = c
    return list(chosen.values())
