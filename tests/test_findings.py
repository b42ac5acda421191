"""The findings layer: grouping rules, severity, firmness, causes and corrections on crafted
rows (made-up numbers), then the invariants on the shipped ledger.

Crafted rows are built as the checks build them (``findings_rows``); each rule has a case
where it joins rows and one where it keeps them apart.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from findings_rows import catalogue, conclusion, fig, ledger, phrase, row

from analysis.checks.core import CONTRADICTED
from analysis.findings import build, causes, corrections, firmness, grouping, severity
from analysis.findings.facts import is_contradiction, rows_of
from analysis.findings.headline import headline
from analysis.findings.model import from_json_text, to_json_text

GOLDEN = Path(__file__).parent / "golden" / "ledger.csv"


def groups(frame: pd.DataFrame, cat=None):
    return grouping.group(rows_of(frame), cat or catalogue())


def members(found) -> list[set[str]]:
    return sorted(({r.claim_id for r in g.rows} for g in found), key=sorted)


NO_EVIDENCE = causes.Evidence()


# ---------------------------------------------------------------------------------------
# grouping rules
# ---------------------------------------------------------------------------------------


def test_two_tables_on_the_same_topic_are_one_finding_another_pair_another():
    frame = ledger(
        row("K6.2001.a.cross.k7", "cross.same_quantity", fig("K6.2001.a", "Кесте 6"),
            fig("K7.2001.a", "Кесте 7", line=20)),
        row("K6.2002.b.cross.k7", "cross.same_quantity", fig("K6.2002.b", "Кесте 6",
                                                             year=2002, line=11),
            fig("K7.2002.b", "Кесте 7", year=2002, line=21)),
        row("K6.2001.c.cross.k8", "cross.same_quantity", fig("K6.2001.c", "Кесте 6", line=12),
            fig("K8.2001.c", "Кесте 8", line=30)))
    found = groups(frame)
    assert members(found) == [{"K6.2001.a.cross.k7", "K6.2002.b.cross.k7"},
                              {"K6.2001.c.cross.k8"}]
    assert {g.kind for g in found} == {"tables"}


def test_every_contradiction_of_one_text_number_is_one_finding():
    """An impossible value and its verdict against the record are one problem; another
    number of the text is another."""
    frame = ledger(
        row("T1.impossible", "text.impossible", fig("T1", printed="500%", unit="percent")),
        row("T1.external", "external.wdi", fig("T1", printed="500%", unit="percent"),
            verdict="disagrees"),
        row("T2.impossible", "text.impossible", fig("T2", line=40, printed="300%",
                                                    unit="percent")))
    assert members(groups(frame)) == [{"T1.external", "T1.impossible"}, {"T2.impossible"}]


def test_text_numbers_against_the_same_table_join_by_topic_and_year():
    base = fig("K7.2001.t", "Кесте 7", line=50)
    frame = ledger(
        row("T1.growth.k7", "growth.recompute", fig("T1", line=10), base),
        row("T2.growth.k7", "growth.recompute", fig("T2", line=20), base),
        row("T3.growth.k7", "growth.recompute", fig("T3", year=2002, line=30),
            fig("K7.2002.t", "Кесте 7", year=2002, line=51)))
    # the same topic, year, check and table: one; another year: another
    assert members(groups(frame)) == [{"T1.growth.k7", "T2.growth.k7"}, {"T3.growth.k7"}]


def test_a_restatement_links_two_numbers_a_jump_does_not():
    frame = ledger(
        row("T1.restated.T2", "text.restated", fig("T1"), fig("T2", line=20)),
        row("T2.external", "external.reported", fig("T2", line=20), verdict="disagrees"),
        row("T3.series.T2", "series.jump", fig("T3", year=2002, line=30), fig("T2", line=20)))
    assert members(groups(frame)) == [{"T1.restated.T2", "T2.external"}, {"T3.series.T2"}]


def test_an_events_tellings_are_one_finding_per_event():
    frame = ledger(
        row("E.summit_a.dates", "events.dates", gap="", exhibit="text", lines="1;2"),
        row("E.summit_a.places", "events.places", gap="", exhibit="text", lines="1;3"),
        row("E.summit_b.dates", "events.dates", gap="", exhibit="text", lines="5;6"))
    found = groups(frame)
    assert members(found) == [{"E.summit_a.dates", "E.summit_a.places"}, {"E.summit_b.dates"}]
    assert {g.kind for g in found} == {"event"}


def test_the_tables_against_the_record_by_topic_and_one_number_printed_twice():
    cat = catalogue(**{"K6.2001.a": "q_a", "K7.2001.b": "q_b", "K4.g": "gas:energy",
                       "T9": "gas:energy", "K6.2001.f": "fdi:investment"})
    frame = ledger(
        row("K6.2001.a.external", "external.trade", fig("K6.2001.a", "Кесте 6"),
            verdict="disagrees"),
        row("K7.2001.b.external", "external.trade", fig("K7.2001.b", "Кесте 7", line=20),
            verdict="disagrees"),
        row("K6.2001.f.external", "external.reported", fig("K6.2001.f", "Кесте 6", line=12),
            verdict="disagrees"),
        row("K4.g.external", "external.energy", fig("K4.g", "Кесте 4", year=None, line=30,
                                                    printed="2,5 трлн", unit="m3"),
            verdict="disagrees"),
        row("T9.external", "external.energy", fig("T9", year=None, line=90,
                                                  printed="2,5 триллион", unit="m3"),
            verdict="disagrees"))
    found = groups(frame, cat)
    assert members(found) == [
        {"K4.g.external", "T9.external"}, {"K6.2001.a.external", "K7.2001.b.external"},
        {"K6.2001.f.external"}]
    assert {g.kind for g in found} == {"record"}


def test_differs_by_definition_is_never_a_contradiction():
    frame = ledger(
        row("T1.external", "external.wdi", fig("T1"), verdict="differs by definition"),
        row("T2.external", "external.wdi", fig("T2", line=20), verdict="disagrees"))
    assert members(groups(frame)) == [{"T2.external"}]
    assert not is_contradiction(frame.iloc[0].to_dict())


def test_a_row_no_rule_names_keeps_its_own_finding():
    frame = ledger(row("X1.odd", "survey.sum", gap="", exhibit="Қосымша Б"),
                   row("Q.odd", "count.events", fig("T5", line=70)))
    assert len(groups(frame)) == 2


# ---------------------------------------------------------------------------------------
# severity
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("gap, size", [("0.25", "large"), ("0.2499", "medium"),
                                       ("0.05", "medium"), ("0.0499", "small"),
                                       ("0", "small"), ("", "categorical")])
def test_size_classes_by_the_relative_gap(gap, size):
    rows = rows_of(ledger(row("T1.restated.T2", "text.restated", fig("T1"), fig("T2"),
                              gap=gap)))
    assert severity.size_of(rows)[0] == size


@pytest.mark.parametrize("gap, rests, level", [
    ("0.3", True, "high"), ("0.3", False, "medium"), ("0.1", True, "medium"),
    ("0.1", False, "low"), ("", True, "medium"), ("", False, "low"), ("0.01", True, "low")])
def test_severity_is_size_and_whether_a_conclusion_rests_on_it(gap, rests, level):
    rows = rows_of(ledger(row("T1.restated.T2", "text.restated", fig("T1"), fig("T2"),
                              gap=gap)))
    cat = catalogue((conclusion("C1", "topic:trade" if rests else "topic:energy"),),
                    T1="q1", T2="q1")
    found = severity.assess(rows, cat)
    assert found.level == level
    assert [c.id for c in found.conclusions] == (["C1"] if rests else [])


def test_conclusions_rest_on_quantities_and_events_too():
    cat = catalogue((conclusion("C1", "quantity:q_obs"), conclusion("C2", "events:ots")),
                    T1="q_obs:other")
    obs = rows_of(ledger(row("T1.count", "count.enumerated", fig("T1"), gap="")))
    event = rows_of(ledger(row("E.x.dates", "events.dates", gap="", exhibit="text",
                               diag={"t": {"key": "frag.telling_date",
                                           "fields": {"id": "E001"}}})))
    assert [c.id for c in severity.assess(obs, cat).conclusions] == ["C1"]
    assert [c.id for c in severity.assess(event, cat).conclusions] == ["C2"]


# ---------------------------------------------------------------------------------------
# firm or debatable
# ---------------------------------------------------------------------------------------


def _judge(*rows, found=()):
    return firmness.judge(rows_of(ledger(*rows)), list(found), catalogue())


def test_firm_unless_a_reason_applies():
    assert _judge(row("T1.restated.T2", "text.restated", fig("T1"), fig("T2"))).firm
    as_likely = row("T1.restated.T2", "text.restated", fig("T1"), fig("T2"),
                    notes=[{"key": "note.reading.as_likely", "fields": {}}])
    assert _judge(as_likely).reason == "reading"
    likelier = row("T1.restated.T2", "text.restated", fig("T1"), fig("T2"),
                   notes=[{"key": "note.reading.likelier", "fields": {}}])
    assert _judge(likelier).firm  # a contradiction under the likelier reading stands
    undated = row("T1.restated.T2", "text.restated", fig("T1", year=None), fig("T2"))
    assert _judge(undated).reason == "undated"
    touching = row("T1.restated.T2", "text.restated", fig("T1"), fig("T2"), gap="0")
    assert _judge(touching).reason == "touching"
    ppp = causes.Cause("ppp_instead_of_nominal", True, {"key": "x", "fields": {}})
    assert _judge(row("T1.series.T2", "series.jump", fig("T1"), fig("T2")),
                  found=[ppp]).reason == "definition"


def test_a_period_dates_a_figure():
    cat = catalogue()
    dated = type(cat)(periods={"T1": "2001 Q1"})
    rows = rows_of(ledger(row("T1.part.T2", "part.whole", fig("T1", year=None), fig("T2"))))
    assert firmness.judge(rows, [], cat).reason == "undated"
    assert firmness.judge(rows, [], dated).firm


# ---------------------------------------------------------------------------------------
# causes: each a test that shows its evidence
# ---------------------------------------------------------------------------------------


def test_one_year_shift_fits_when_a_check_found_the_year_before():
    shift = {"key": "note.ext_shift", "fields": {"year": 2000, "ref": {"key": "ref.x",
                                                                        "fields": {}}}}
    hit = rows_of(ledger(row("T1.external", "external.trade", fig("T1"), notes=[shift],
                             verdict="disagrees")))
    miss = rows_of(ledger(row("T1.external", "external.trade", fig("T1"),
                              verdict="disagrees")))
    found = causes.one_year_shift(hit, NO_EVIDENCE)
    assert found.fits and found.evidence["key"] == "cause.one_year_shift.fits"
    assert causes.one_year_shift(miss, NO_EVIDENCE) is None  # nothing to test it on


def test_one_year_shift_states_the_chance_of_a_tables_matches():
    """Two table cells equal the series of the year before: the test counts the matches at
    each lag and the matches chance alone would give."""
    table = pd.DataFrame({"year": [2002, 2003], "quantity": ["trade_turnover"] * 2,
                          "value": [100.0, 200.0], "printed": ["100", "200"],
                          "line": [11, 12]})
    series = pd.DataFrame({"series": ["BNS-312101"] * 4, "flow": ["turnover"] * 4,
                           "year": [2000, 2001, 2002, 2003],
                           "value": [50.0, 100.0, 200.0, 400.0]})
    rows = rows_of(ledger(row("K9.2002.t.external", "external.trade",
                              fig("K9.2002.t", "Кесте 9", year=2002, line=11),
                              verdict="disagrees")))
    found = causes.one_year_shift(rows, causes.Evidence(tables={"Кесте 9": table},
                                                       series=series))
    assert not found.fits  # no check found it; the chance test alone is evidence only
    chance = found.evidence["fields"]["chance"]["items"]
    by_lag = {c["key"][-1]: c["fields"] for c in chance}
    assert by_lag["1"]["matches"] == 2 and by_lag["0"]["matches"] == 0


def test_a_dropped_separator_fits_when_a_restored_reading_is_near_the_record():
    cands = {"items": [{"key": "frag.percent", "fields": {"value": {"num": "4.07"}}},
                       {"key": "frag.percent", "fields": {"value": {"num": "40.7"}}}]}
    impossible = row("T1.impossible", "text.impossible", fig("T1", printed="407 пайыз",
                                                            unit="percent"),
                     diag={"candidates": cands})

    def record(value: str) -> dict[str, str]:
        return row("T1.external", "external.wdi", fig("T1", printed="407 пайыз",
                                                       unit="percent"), verdict="disagrees",
                   recomputed=phrase("ext.value", value={"num": value}))

    near = causes.dropped_separator(rows_of(ledger(impossible, record("4.5"))), NO_EVIDENCE)
    far = causes.dropped_separator(rows_of(ledger(impossible, record("12"))), NO_EVIDENCE)
    alone = causes.dropped_separator(rows_of(ledger(impossible)), NO_EVIDENCE)
    assert near.fits and near.evidence["fields"]["near"]["items"] == [{"num": "4.07"}]
    assert not far.fits and far.evidence["key"].endswith(".no")
    assert alone.fits and alone.evidence["key"].endswith(".fits_alone")


def test_another_definition_names_ppp_or_observers():
    def definition(ref: str, key: str) -> dict[str, str]:
        out = row(f"{ref}.external", "external.wdi", fig(ref), verdict="differs by definition")
        out["external_note"] = phrase("ext.note", notes=[{"key": "note.ext_fits_definition",
                                                          "fields": {"definition": {
                                                              "key": f"def.{key}",
                                                              "fields": {}}}}])
        return out

    everything = rows_of(ledger(
        row("T1.series.T2", "series.jump", fig("T1"), fig("T2", line=20)),
        definition("T2", "ppp_members"), definition("T3", "population_observers"),
        row("T3.restated.T4", "text.restated", fig("T3"), fig("T4", line=30))))
    ev = causes.Evidence(rows=everything)
    (ppp,) = causes.other_definition(everything[:1], ev)
    (obs,) = causes.other_definition(everything[3:], ev)
    assert (ppp.key, ppp.fits) == ("ppp_instead_of_nominal", True)
    assert obs.key == "observers_counted_as_members"
    assert causes.other_definition(rows_of(ledger(row("T9.x", "text.restated", fig("T9"),
                                                      fig("T8")))), ev) == []


def test_a_forecast_and_swapped_flows_are_tested():
    forecast = rows_of(ledger(row("T1.external", "external.wdi", fig("T1"),
                                  notes=[{"key": "note.ext_forecast", "fields": {}}])))
    assert causes.revised_forecast(forecast, NO_EVIDENCE).fits

    def reversed_balance(ex_b: str, im_b: str) -> list:
        note = {"key": "note.balance_reversed", "fields": {
            "year": 2001, "exhibit_a": "Кесте 6", "exhibit_b": "Кесте 7",
            "ex_a": {"printed": "900"}, "im_a": {"printed": "1 200"},
            "ex_b": {"printed": ex_b}, "im_b": {"printed": im_b}}}
        return rows_of(ledger(row("K6.2001.x.cross.k7", "cross.same_quantity",
                                  fig("K6.2001.x", "Кесте 6"), fig("K7.2001.x", "Кесте 7"),
                                  notes=[note])))

    assert causes.swapped_flows(reversed_balance("1 200", "900"), NO_EVIDENCE).fits
    assert not causes.swapped_flows(reversed_balance("1 050", "700"), NO_EVIDENCE).fits


# ---------------------------------------------------------------------------------------
# corrections: the value the other sources support, and which source
# ---------------------------------------------------------------------------------------


def _external(ref: str, verdict: str, value: str = "150", **kw) -> dict[str, str]:
    return row(f"{ref}.external", "external.trade", fig(ref, **kw), verdict=verdict,
               status="reproduced" if verdict == "agrees" else CONTRADICTED,
               recomputed=phrase("ext.value", value={"num": value}),
               external_source=phrase("src.series"))


def _proposed(frame: pd.DataFrame, n: int = 1):
    rows = rows_of(frame)
    return corrections.propose(rows[:n], causes.Evidence(rows=rows))


def test_a_pair_is_corrected_to_the_side_the_record_supports():
    pair = row("T1.cross.k7", "cross.same_quantity", fig("T1"),
               fig("K7.2001.x", "Кесте 7", line=20))
    found = _proposed(ledger(pair, _external("T1", "agrees"),
                             _external("K7.2001.x", "disagrees", exhibit="Кесте 7", line=20)))
    assert [c.phrase["key"] for c in found] == ["fix.keep", "fix.to_figure"]
    assert found[1].target == "K7.2001.x" and found[1].decided
    both_wrong = _proposed(ledger(pair, _external("T1", "disagrees"),
                                  _external("K7.2001.x", "disagrees", exhibit="Кесте 7",
                                            line=20)))
    assert [c.phrase["key"] for c in both_wrong] == ["fix.to_record", "fix.to_record"]
    (alone,) = _proposed(ledger(pair))
    assert alone.phrase["key"] == "fix.undecided" and not alone.decided


def test_tellings_are_corrected_to_the_value_most_lines_give():
    def tellings(*groups: tuple[str, list[int]]) -> dict[str, str]:
        items = [{"key": "frag.value_lines", "fields": {
            "value": v, "lines": {"items": ls, "sep": ", "}}} for v, ls in groups]
        return row("E.s.dates", "events.dates", gap="", exhibit="text",
                   diag={"conflict": {"items": items, "sep": "; "}})

    (fix,) = _proposed(ledger(tellings(("1998", [1, 2, 3]), ("1992", [4]))))
    assert fix.phrase["key"] == "fix.telling" and fix.phrase["fields"]["to"] == "1998"
    (tie,) = _proposed(ledger(tellings(("2022", [1]), ("2023", [2]))))
    assert tie.phrase["key"] == "fix.tellings_undecided" and not tie.decided


# ---------------------------------------------------------------------------------------
# the findings of a ledger: ids, order, the file
# ---------------------------------------------------------------------------------------


def _crafted_findings():
    frame = ledger(
        row("K6.2001.a.cross.k7", "cross.same_quantity", fig("K6.2001.a", "Кесте 6"),
            fig("K7.2001.a", "Кесте 7", line=20), gap="0.5"),
        row("T1.restated.T2", "text.restated", fig("T1", line=30), fig("T2", line=31),
            gap="0.01"),
        row("E.s.dates", "events.dates", gap="", exhibit="text", lines="40;41"),
        row("T3.external", "external.wdi", fig("T3", line=50), verdict="differs by definition"))
    return frame, build.build(frame, CRAFTED_CAT, causes.Evidence())


CRAFTED_CAT = catalogue((conclusion("C1", "topic:trade"),),
                        **{"K6.2001.a": "qa", "K7.2001.a": "qa", "T1": "qt", "T2": "qt"})


def test_findings_are_ordered_by_severity_with_stable_derived_ids():
    frame, found = _crafted_findings()
    # high first; among the low ones the larger gap first (a number before a date)
    assert [f.id for f in found] == ["tables-k6-k7-trade", "figure-t1", "event-s"]
    assert [f.severity for f in found] == ["high", "low", "low"]
    assert found[0].scope == "internal" and found[0].lines == (10, 20)
    shuffled = build.build(frame.iloc[::-1].reset_index(drop=True), CRAFTED_CAT,
                           causes.Evidence())
    assert sorted(f.id for f in shuffled) == sorted(f.id for f in found)  # order-free ids


def test_findings_json_round_trips():
    _, found = _crafted_findings()
    text = to_json_text(found)
    assert from_json_text(text) == found
    assert to_json_text(from_json_text(text)) == text
    with pytest.raises(ValueError, match="version"):
        from_json_text(json.dumps({"version": 99, "findings": []}))


# ---------------------------------------------------------------------------------------
# the shipped ledger
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def golden() -> pd.DataFrame:
    return pd.read_csv(GOLDEN, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def shipped(golden):
    return build.build(golden)


def test_every_contradicted_row_is_in_exactly_one_finding(golden, shipped):
    contradicted = {(r["claim_id"], r["check_id"]) for r in golden.to_dict("records")
                    if is_contradiction(r)}
    placed = [r for f in shipped for r in f.rows]
    assert len(placed) == len(set(placed))  # no row twice
    assert set(placed) == contradicted  # every contradiction, nothing else
    definition = golden[golden["external_verdict"] == "differs by definition"]
    assert not definition.empty
    assert not set(zip(definition["claim_id"], definition["check_id"], strict=True)) & set(
        placed)


def test_the_shipped_findings_name_the_problems_a_reader_would(shipped):
    by_id = {f.id: f for f in shipped}
    tables = by_id["tables-k6-k7-trade"]
    assert tables.severity == "high" and {"Кесте 6", "Кесте 7"} <= set(tables.exhibits)
    assert any(c.key == "swapped_flows" for c in tables.causes)  # tested, and ruled out
    assert by_id["event-summit_05_astana_1998"].lines[:2] == (436, 444)
    growth = next(f for f in shipped if {"T208", "T213"} <= {c.split(".")[0] for c, _ in
                                                           f.rows})
    assert growth.kind == "figure" and 1332 in growth.lines
    assert 20 <= len(shipped) <= 45  # distinct problems, not rows
    assert len({f.id for f in shipped}) == len(shipped)


def test_the_headline_counts_rows_and_findings_apart(golden, shipped):
    h = headline(golden, shipped)
    assert h.findings == len(shipped) == sum(h.findings_by_severity.values())
    assert sum(len(f.rows) for f in shipped) == h.internal_contradicted + h.record_disagree
    assert h.record_definition == 3 and h.rows == len(golden)
    assert h.internal_rows + h.record_rows == h.rows
    assert h.firm + h.debatable == h.findings


def test_severity_is_a_fraction_of_the_quantity(shipped):
    for f in shipped:
        assert f.size in severity.SIZES
        if f.gap:
            assert Fraction(f.gap) >= 0


def test_a_trend_claim_the_record_bears_out_is_the_tables_problem_not_the_claims():
    """A verbal claim that an official series reproduces but a table contradicts: the table
    is the outlier (it is set against the record), not the claim. Without the official
    series bearing it out, the claim's own finding stays."""
    table_row = row("V1.trend.k9", "trend.series", exhibit="text; Кесте 9", gap="")
    record_row = row("K9.2001.x.external", "external.trade", fig("K9.2001.x", "Кесте 9"),
                     verdict="disagrees")
    bns = row("V1.trend.bns", "trend.series", exhibit="text", status="reproduced", gap="")
    joined = groups(ledger(table_row, record_row, bns))
    assert len(joined) == 1 and joined[0].kind == "record"
    assert {r.claim_id for r in joined[0].rows} == {"V1.trend.k9", "K9.2001.x.external"}
    alone = groups(ledger(table_row, record_row))  # no official series bears it out
    assert sorted(g.kind for g in alone) == ["record", "trend"]


@pytest.mark.parametrize(("tolerance", "bound"), [
    ({"key": "tol.ext_oil_left", "fields": {}}, "at_most"),
    ({"key": "tol.ext_reported", "fields": {}, "notes": [{"key": "tol.note.jan_sep",
                                                          "fields": {}}]}, "at_least")])
def test_a_bound_of_the_record_is_no_value_to_print_instead(tolerance, bound):
    """A nine-month figure bounds the year from below; production less consumption bounds
    one export route from above: the printed number is wrong, but the correction says
    'at least'/'at most' and leaves the value to the author's source (not decided)."""
    ext = _external("T1", "disagrees")
    ext["external_tolerance"] = json.dumps(tolerance)
    (fix,) = _proposed(ledger(ext))
    assert fix.phrase["key"] == f"fix.bound.{bound}" and not fix.decided
    (plain,) = _proposed(ledger(_external("T1", "disagrees")))
    assert plain.phrase["key"] == "fix.to_record" and plain.decided
