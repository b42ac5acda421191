"""Untestable means untestable (issue 23, item 6): no row of the ledger says "untestable"
while another figure of the text, of the tables or of the shipped external data shares its
quantity and period.

The rule is read from the data and the declarations, not from the ledger's producers, so
that a producer that stops comparing something shows up here. Two figures share a quantity
and period when they have

* the same quantity key, year and period (the other end of a printed range and another
  reading of the same printed number aside);
* the same key, one for a quarter of a year and the other for that whole year;
* the same duration counted from a declared start (an age), one undated and one dated
  (the dated one prints the end the undated one lacks);
* a declared relation (a part and its whole, a flow and its route's capacity, a main
  channel and another channel, two quantities of different dates or scopes, a forecast
  and its revision) with a partner of the same year or, where the relation allows, of any
  year;

and a figure shares its quantity and period with the official record when a rule of
:mod:`analysis.checks.official` finds a reference for it in ``data/external/``.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
import pytest
from helpers import claims_frame

from analysis.checks import core, ledger, official_rows, text
from analysis.checks import official as rules
from analysis.checks.context import Context
from analysis.checks.declarations import (
    DURATION_START,
    FLOW_CAPACITY,
    MAIN_CHANNELS,
    OTHER_DATE_OR_SCOPE,
    PART_OF,
    REVISIONS,
)
from analysis.checks.figures import Figure
from analysis.checks.readings import root


#: (key, partner key, the partner may be of any year)
def _relations() -> list[tuple[str, str, bool]]:
    out = [(p, w, False) for p, w in PART_OF.items()]
    out += [(w, p, False) for p, w in PART_OF.items()]
    out += [(f, c, True) for f, c in FLOW_CAPACITY.items()]
    out += [(c, f, True) for f, c in FLOW_CAPACITY.items()]
    for main, (others, _w, _l) in MAIN_CHANNELS.items():
        out += [(main, o, False) for o in others] + [(o, main, False) for o in others]
    for a, b in OTHER_DATE_OR_SCOPE:
        out += [(a, b, True), (b, a, True)]
    out += [(k, k, False) for k in REVISIONS]
    return out


def _quarter(f: Figure) -> int | None:
    m = re.fullmatch(r"(\d{4}) Q[1-4]", f.period)
    return int(m.group(1)) if m and f.year is None else None


def _range_partner(a: Figure, b: Figure) -> bool:
    return a.line == b.line and "range" in a.qualifier and "range" in b.qualifier


def _shares(f: Figure, o: Figure) -> bool:
    """Do ``f`` and ``o`` (another figure) share a quantity and period?"""
    if o.ref == f.ref or root(o.ref) == root(f.ref) and o.source == "text" == f.source \
            or _range_partner(f, o):
        return False
    if o.key == f.key:
        if (o.year, o.period) == (f.year, f.period):
            return True
        if _quarter(f) is not None and o.year == _quarter(f) and not o.period:
            return True
        if _quarter(o) is not None and f.year == _quarter(o) and not f.period:
            return True
        if f.key in DURATION_START and f.year is None and not f.period and o.year:
            return True
    for key, partner, any_year in _relations():
        if f.key == key and o.key == partner and (any_year or o.year == f.year):
            return True
    return False


def violations(frame: pd.DataFrame, ctx: Context,
               external: rules.Context | None = None) -> list[str]:
    """Each untestable row of a text figure that shares its quantity and period with
    another figure, or that the official record covers: ``ref: what it shares with``."""
    figs = {f.ref: f for f in [*ctx.texts, *ctx.tables]}
    out = []
    for cid in frame.loc[(frame["status"] == core.UNTESTABLE)
                         & (frame["check_id"] == "coverage.none"), "claim_id"]:
        f = figs.get(cid.removesuffix(".none"))
        if f is None or f.source != "text":
            continue
        shared = [o.ref for o in figs.values() if _shares(f, o)]
        if shared:
            out.append(f"{f.ref}: {', '.join(sorted(shared)[:5])}")
        if external is not None and official_rows.verdict_for(f, external) is not None:
            out.append(f"{f.ref}: the official record")
    return out


@pytest.fixture(scope="module")
def shipped():
    ctx = ledger.context()
    external = rules.Context.load()
    return ledger.build(external), ctx, external


def test_no_untestable_row_shares_a_quantity_and_period(shipped):
    frame, ctx, external = shipped
    found = violations(frame, ctx, external)
    assert not found, found
    # the named cases are tested now, by the rules that fix them
    ids = set(frame["claim_id"])
    for cid in ("T012.within_capacity.T205", "T352.duration.T359", "T064.other_date.text",
                "T196.part_of_year.T219.b", "T200.revision.T199"):
        assert cid in ids, cid


def _fig(ref: str, key: str, year: int | None = None, period: str = "",
         line: int = 10) -> dict:
    return {"claim_id": ref, "quantity_key": key, "number_printed": "5", "value": 5.0,
            "unit": "count", "year": year, "period": period, "source_line": line,
            "quote_kk": "5"}


@pytest.mark.parametrize(("rows", "flagged"), [
    # same quantity and year stated twice, but the ledger (here: no producer) says untestable
    ([_fig("T901", "k"), _fig("T902", "k")], {"T901", "T902"}),
    # a quarter and its whole year
    ([_fig("T901", "k", period="2023 Q1"), _fig("T902", "k", year=2023)], {"T901", "T902"}),
    # an age printed without a year, and the same age dated elsewhere
    ([_fig("T901", "ots_age_years"), _fig("T902", "ots_age_years", year=2024)], {"T901"}),
    # a flow target without a year and its route's capacity target of 2027
    ([_fig("T901", "middle_corridor_cargo_volume_target"),
      _fig("T902", "middle_corridor_capacity_target", year=2027)], {"T901", "T902"}),
    # different years of one quantity, nothing relating them: truly untestable
    ([_fig("T901", "k", year=2020), _fig("T902", "k", year=2021)], set()),
])
def test_the_guard_finds_a_shared_quantity_and_period(rows, flagged):
    """The guard on crafted data (no producer runs, so every figure is untestable): it
    flags the pairs that share a quantity and period, and only those."""
    claims = claims_frame(rows)
    ctx = Context([], text.text_figures(claims), claims)
    frame = ledger.assemble(ctx, producers=[])
    found = {v.split(":")[0] for v in violations(frame, ctx)}
    assert found == flagged


def test_the_official_record_counts(shipped):
    """A trade figure the official series cover cannot stay untestable."""
    _frame, ctx, external = shipped
    fig = Figure("T999", "text", "text", "kz_exports_to_tr", 2022, "1", Decimal(1), "USD", 1)
    frame = pd.DataFrame([{"claim_id": "T999.none", "check_id": "coverage.none",
                           "status": core.UNTESTABLE}])
    ctx2 = Context([], [fig], ctx.claims)
    assert violations(frame, ctx2, external) == ["T999: the official record"]
