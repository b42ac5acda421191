"""Issue 23's rules, each on made-up data that passes and data that fails (none of the
dissertation's numbers): readings of one printed number, a part of a year within its
year, the "main" channel, a revision, other dates or scopes, named members, an undated
age, an undated flow target, verbal trend claims and statuses told twice."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from check_helpers import en, kk
from check_helpers import text_fig as fig

from analysis.checks import core, ledger, relation_rows, relations, text, trends
from analysis.checks.context import Context
from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    UNTESTABLE,
    WITHIN,
)
from analysis.checks.events import status_rows
from analysis.checks.readings import reading_figures, reading_index
from analysis.data.parse import parse_number


def claim(cid: str, key: str, printed: str, unit: str, line: int, **kw: Any) -> dict:
    return {"claim_id": cid, "source_doc": "dissertation_kk.txt", "section": "x",
            "source_line": line, "topic": "other", "quantity_key": key, "entity": "",
            "quote_kk": printed, "label_kk": key, "label_en": key, "number_printed": printed,
            "value": float(parse_number(printed).value or 0), "unit": unit,
            "year": kw.get("year"), "period": kw.get("period", ""),
            "qualifier": kw.get("qualifier", "exact"), "note_en": ""}


def assembled(claims: list[dict], producers: list, **ctx_kw: Any) -> pd.DataFrame:
    frame = pd.DataFrame(claims)
    frame["year"] = frame["year"].astype("Int64")
    readings = ctx_kw.pop("readings", None)
    texts = [*text.text_figures(frame), *reading_figures(readings, frame)]
    ctx = Context(ctx_kw.pop("tables", []), texts, frame, readings=readings, **ctx_kw)
    return ledger.assemble(ctx, producers=producers)


def status(frame: pd.DataFrame, claim_id: str) -> str:
    rows = frame[frame["claim_id"] == claim_id]
    assert len(rows) == 1, (claim_id, list(frame["claim_id"]))
    return str(rows.iloc[0]["status"])


# --- readings -----------------------------------------------------------------------------


def reading(rid: str, cid: str, likelihood: str, key: str, printed: str, reading_printed: str,
            unit: str, **kw: Any) -> dict:
    return {"reading_id": rid, "claim_id": cid, "likelihood": likelihood, "quantity_key": key,
            "label_kk": key, "label_en": key, "number_printed": printed,
            "reading_printed": reading_printed,
            "value": float(parse_number(reading_printed).value or 0), "unit": unit,
            "year": kw.get("year"), "period": kw.get("period", ""), "qualifier": "exact",
            "reading_kk": "оқылым", "reading_en": "a reading", "quote_kk": "сөз",
            "source_doc": "dissertation_kk.txt", "source_line": kw.get("line", 50)}


@pytest.mark.parametrize(("likelihood", "expected"), [
    ("likelier", CONTRADICTED), ("as likely", CONTRADICTED), ("less likely", NOT_DECISIVE)])
def test_a_contradiction_is_decisive_only_under_the_likelier_reading(likelihood, expected):
    """A printed 40 units read a second way as all of a quantity stated as 55 elsewhere:
    contradicted under a likelier (or as likely) reading, not decisive under a less likely
    one; the transcribed reading, never compared with its own second reading."""
    claims = [claim("T1", "part", "40", "count", 10, year=2020),
              claim("T2", "whole", "55", "count", 20, year=2020)]
    readings = pd.DataFrame([reading("T1.b", "T1", likelihood, "whole", "40", "40", "count",
                                     year=2020)])
    frame = assembled(claims, [text.restated], readings=readings)
    assert status(frame, "T2.restated.T1.b") == expected
    row = frame[frame["claim_id"] == "T2.restated.T1.b"].iloc[0]
    assert "second reading of T1" in en(core.phrase_of(row["diagnosis"]))
    assert not any(c.endswith("restated.T1") for c in frame["claim_id"])


def test_the_transcribed_reading_is_the_less_likely_one_when_another_is_likelier():
    claims = [claim("T1", "whole", "40", "count", 10, year=2020),
              claim("T2", "whole", "55,0", "count", 20, year=2020)]
    readings = pd.DataFrame([reading("T1.b", "T1", "likelier", "whole", "40", "55", "count",
                                     year=2020)])
    frame = assembled(claims, [text.restated], readings=readings)
    assert status(frame, "T2.restated.T1") == NOT_DECISIVE  # the transcribed 40 lost
    assert status(frame, "T2.restated.T1.b") == REPRODUCED
    index = reading_index(readings)
    assert index["T1"].less_likely and not index["T1.b"].less_likely


def test_a_reading_of_another_number_is_refused():
    from analysis.errors import DataError
    claims = pd.DataFrame([claim("T1", "k", "40", "count", 10)])
    bad = pd.DataFrame([reading("T1.b", "T1", "likelier", "k", "41", "41", "count")])
    with pytest.raises(DataError, match="number_printed"):
        reading_figures(bad, claims)


# --- a part of a year, the main channel, a revision ---------------------------------------


def test_a_quarter_is_at_most_its_year():
    claims = [claim("T1", "flow", "300", "count", 10, period="2021 Q1"),
              claim("T2", "flow", "1 000", "count", 20, year=2021),
              claim("T3", "flow", "1 200", "count", 30, period="2022 Q2"),
              claim("T4", "flow", "1 000", "count", 40, year=2022)]
    frame = assembled(claims, [relation_rows.part_of_year])
    assert status(frame, "T1.part_of_year.T2") == PLAUSIBLE
    assert status(frame, "T3.part_of_year.T4") == CONTRADICTED


@pytest.mark.parametrize(("other", "expected"), [("40", PLAUSIBLE), ("70", CONTRADICTED)])
def test_the_main_channel_carries_most(monkeypatch, other, expected):
    monkeypatch.setattr(relation_rows, "MAIN_CHANNELS", {"pipe": (("ship",), "негізгі", 5)})
    claims = [claim("T1", "pipe", "60", "count", 10, year=2015),
              claim("T2", "ship", other, "count", 11, year=2015),
              claim("T3", "ship", "99", "count", 12, year=2016)]  # another year: no row
    frame = assembled(claims, [relation_rows.main_channels])
    assert status(frame, "T1.main.T2") == expected
    assert "T1.main.T3" not in set(frame["claim_id"])


@pytest.mark.parametrize(("after", "expected"), [("4,2%", REPRODUCED), ("4,8%", WITHIN),
                                                 ("6,0%", CONTRADICTED)])
def test_a_revision_is_direction_and_size(monkeypatch, after, expected):
    """Revised down from 5 % (an integer: 4.5–5.5): 4,2 % is down at every value, 4,8 %
    only within rounding, 6,0 % up (contradicted); never a restatement."""
    monkeypatch.setattr(relation_rows, "REVISIONS", {"fc": ("down", "төмендетті", 10)})
    monkeypatch.setattr(text, "REVISIONS", {"fc": ("down", "төмендетті", 10)})
    claims = [claim("T1", "fc", "5%", "percent", 10), claim("T2", "fc", after, "percent", 10)]
    frame = assembled(claims, [relation_rows.revisions, text.restated])
    assert status(frame, "T2.revision.T1") == expected
    assert "T2.restated.T1" not in set(frame["claim_id"])
    row = frame[frame["claim_id"] == "T2.revision.T1"].iloc[0]
    assert "a revision" in en(core.phrase_of(row["diagnosis"])) or expected != REPRODUCED


def test_other_dates_or_scopes_are_reported_never_contradicted(monkeypatch):
    from analysis.checks.declarations import OtherDate
    monkeypatch.setattr(relation_rows, "OTHER_DATE_OR_SCOPE", {("now", "then"): OtherDate(
        "same", "date", "қазір", 1, "бұрын", 2)})
    claims = [claim("T1", "now", "30%", "percent", 10),
              claim("T2", "then", "5%", "percent", 20, year=1990)]
    frame = assembled(claims, [relation_rows.other_dates])
    assert status(frame, "T1.other_date.text") == NOT_DECISIVE
    row = frame[frame["claim_id"] == "T1.other_date.text"].iloc[0]
    assert "a difference of 25" in en(core.phrase_of(row["diagnosis"]))


# --- named members, an undated age, an undated target ----------------------------------


def test_named_members_are_compared_not_only_counted():
    claims = [claim("T1", "members", "екі", "count", 10), claim("T2", "members", "екі",
                                                              "count", 20),
              claim("T3", "members", "екі", "count", 30)]
    enum = pd.DataFrame([
        {"claim_id": c, "item_no": i, "item_kk": k, "item_en": e, "source_doc": "d",
         "source_line": line, "list_complete": "yes"}
        for c, line, pairs in (("T1", 10, (("А", "Alpha"), ("Б", "Beta"))),
                               ("T2", 20, (("А", "Alpha"), ("В", "Gamma"))),
                               ("T3", 30, (("А", "the Alpha state"), ("В", "Gamma"))))
        for i, (k, e) in enumerate(pairs, 1)])
    frame = assembled(claims, [relation_rows.named_sets], enumerations=enum)
    assert status(frame, "T2.named.T1") == CONTRADICTED  # Beta and Gamma
    assert status(frame, "T3.named.T2") == REPRODUCED  # a fuller wording is one member
    row = frame[frame["claim_id"] == "T2.named.T1"].iloc[0]
    assert "«В»" in en(core.phrase_of(row["diagnosis"]))


def test_an_undated_age_is_set_against_its_dated_restatement(monkeypatch):
    monkeypatch.setattr(relation_rows, "DURATION_START", {"age": "founded"})
    events = pd.DataFrame([{"event_id": "E1", "event_key": "founded", "event_kk": "құрылды",
                            "event_en": "founded", "date_printed": "2000 жылы", "year": 2000,
                            "source_line": 5, "source_doc": "dissertation_kk.txt"}])
    claims = [claim("T1", "age", "12", "year", 10), claim("T2", "age", "12", "year", 20,
                                                          year=2012)]
    frame = assembled(claims, [relation_rows.durations], events=events)
    assert status(frame, "T1.duration.T2") == NOT_DECISIVE  # consistent only if one date
    assert status(frame, "T2.duration.founded") == REPRODUCED  # 2012 − 2000 = 12


def test_an_undated_flow_target_meets_every_stated_capacity(monkeypatch):
    monkeypatch.setattr(relation_rows, "FLOW_CAPACITY", {"target": "cap"})
    claims = [claim("T1", "target", "8 миллион", "tonne", 10),
              claim("T2", "cap", "9 миллион", "tonne/year", 20, year=2030),
              claim("T3", "target", "12 миллион", "tonne", 30)]
    frame = assembled(claims, [relation_rows.flow_capacity])
    assert status(frame, "T1.within_capacity.T2") == PLAUSIBLE
    assert status(frame, "T3.within_capacity.T2") == CONTRADICTED


# --- verbal trend claims -----------------------------------------------------------------


def trend_ctx(values: dict[int, str], claim_: dict, other: dict[int, str] | None = None
              ) -> pd.DataFrame:
    from analysis.checks import tables
    cells = []
    for key, series in (("kz_exports_to_tr", values), ("kz_imports_from_tr", other or {})):
        for year, printed in series.items():
            v = parse_number(printed).value
            cells.append({"exhibit": "Кесте 7", "part": 1, "row": 1, "column": 1, "token": 1,
                          "row_key": str(year), "column_key": "exports" if key.endswith(
                              "to_tr") else "imports", "year": year, "row_label_kk": "",
                          "row_label_en": "", "column_label_kk": "", "column_label_en": "",
                          "printed": printed, "printed_en": "", "number_printed": printed,
                          "value": float(v or 0), "unit": "USD million", "source_line": year})
    figs = tables.table_figures(pd.DataFrame(cells))
    base = {"trend_id": "V1", "source_doc": "d", "source_line": 9, "quote_kk": "өсті",
            "quantity_key": "kz_exports_to_tr", "entity": "", "period_printed": "",
            "year_from": None, "year_to": None, "series": "K7", "label_kk": "x",
            "label_en": "x", "note_en": ""}
    trends_frame = pd.DataFrame([{**base, **claim_}])
    ctx = Context(figs, [], pd.DataFrame(), trends=trends_frame)
    return ledger.assemble(ctx, producers=[trends.table_trends])


@pytest.mark.parametrize(("values", "claim_", "expected"), [
    ({2001: "100", 2002: "120", 2003: "130"}, {"direction": "every_year_up"}, REPRODUCED),
    ({2001: "100", 2002: "90", 2003: "130"}, {"direction": "every_year_up"}, CONTRADICTED),
    # two printed 100s may differ within their rounding: the rise is only possible
    ({2001: "100", 2002: "100", 2003: "130"}, {"direction": "every_year_up"}, WITHIN),
    ({2001: "100", 2002: "90"}, {"direction": "down"}, REPRODUCED),
    ({2001: "100", 2002: "90"}, {"direction": "up"}, CONTRADICTED),
    ({2001: "100", 2002: "150", 2003: "140"}, {"direction": "record", "year_to": 2003},
     CONTRADICTED),
    ({2001: "100", 2002: "150", 2003: "160"}, {"direction": "record", "year_to": 2003},
     REPRODUCED),
    # the window reaches a year the series lacks: at most not decisive
    ({2002: "100", 2003: "120"}, {"direction": "every_year_up", "year_from": 2001,
                                  "year_to": 2003}, NOT_DECISIVE),
    ({2002: "100", 2003: "90"}, {"direction": "every_year_up", "year_from": 2001,
                                 "year_to": 2003}, CONTRADICTED),
])
def test_a_verbal_trend_against_its_series(values, claim_, expected):
    frame = trend_ctx(values, claim_)
    assert status(frame, "V1.trend.k7") == expected


def test_a_trend_step_within_rounding():
    """1,0 then 1 (one decimal, then none): 0.95–1.05 against 0.5–1.5 may rise or fall."""
    frame = trend_ctx({2001: "1,0", 2002: "1"}, {"direction": "up"})
    assert status(frame, "V1.trend.k7") == WITHIN


@pytest.mark.parametrize(("exports", "imports", "expected"), [
    ({1: "50", 2: "60", 3: "40"}, {1: "30", 2: "30", 3: "45"}, REPRODUCED),   # 2 of 3
    ({1: "20", 2: "60", 3: "40"}, {1: "30", 2: "30", 3: "45"}, CONTRADICTED),  # 1 of 3
])
def test_usually_a_surplus(exports, imports, expected):
    shift = {y + 2000: v for y, v in exports.items()}
    other = {y + 2000: v for y, v in imports.items()}
    frame = trend_ctx(shift, {"direction": "surplus_usually"}, other)
    assert status(frame, "V1.trend.k7") == expected


def test_official_series_are_judged_apart():
    frame = pd.DataFrame([
        {"series": s, "reporter": "KAZ", "partner": "TUR", "flow": "export", "year": y,
         "value_usd": v * 1e6, "unit_in_source": "USD", "source_table": "t",
         "edition": "unknown", "source_repo": "o/r", "source_path": "f", "source_commit": "0"}
        for s, y, v in (("BNS-312101", 2021, 10), ("BNS-312101", 2022, 12),
                        ("WITS-TradeStats", 2021, 10), ("WITS-TradeStats", 2022, 8))])
    trends_frame = pd.DataFrame([{"trend_id": "V1", "source_doc": "d", "source_line": 9,
                                  "quote_kk": "өсті", "quantity_key": "kz_exports_to_tr",
                                  "entity": "", "direction": "up", "period_printed": "",
                                  "year_from": 2021, "year_to": 2022,
                                  "series": "BNS-312101;WITS-TradeStats", "label_kk": "x",
                                  "label_en": "x", "note_en": ""}])
    ctx = Context([], [], pd.DataFrame(), trends=trends_frame)
    rows = {r.claim_id: r.status for r in trends.official_trends(ctx, frame)}
    assert rows == {"V1.trend.bns": REPRODUCED, "V1.trend.wits": CONTRADICTED}


# --- statuses told twice -----------------------------------------------------------------


def statuses(*tellings: tuple[str, str, str, int]) -> pd.DataFrame:
    return pd.DataFrame([{"status_id": f"ST{i:03d}", "entity_key": entity, "entity_kk": "Ел",
                          "entity_en": "Land", "subject_key": "ots", "status": st,
                          "status_printed": "сөз", "when_key": when, "when_printed": "",
                          "year": None, "quote_kk": "сөз", "source_doc": "dissertation_kk.txt",
                          "source_line": line, "note_en": ""}
                         for i, (entity, st, when, line) in enumerate(tellings, 1)])


@pytest.mark.parametrize(("tellings", "expected"), [
    ((("a", "observer", "now", 1), ("a", "observer", "now", 2)), REPRODUCED),
    ((("a", "observer", "now", 1), ("a", "outside", "now", 2)), CONTRADICTED),
    ((("a", "member", "accession", 1), ("a", "observer", "accession", 2)), CONTRADICTED),
    ((("a", "observer", "now", 1), ("a", "not_member", "now", 2)), NOT_DECISIVE),
    ((("a", "observer", "now", 1),), UNTESTABLE),
])
def test_a_status_told_twice(tellings, expected):
    rows = status_rows(statuses(*tellings))
    assert len(rows) == 1 and rows[0].status == expected


def test_statuses_of_different_times_are_not_compared():
    rows = status_rows(statuses(("a", "observer", "now", 1), ("a", "member", "accession", 2)))
    assert {r.status for r in rows} == {UNTESTABLE}
    assert all("Land" in en(r.diagnosis) and "Ел" in kk(r.diagnosis) for r in rows)


# --- a check that cannot fail is not decisive, everywhere -------------------------------


def test_a_bound_on_one_side_is_never_within_rounding():
    """The one ladder: a fit that holds only because one side is a bound on one side."""
    more = fig("20", qualifier="more_than")
    assert relations.check_count(more, ["a"] * 25, [1] * 25, "c").status == NOT_DECISIVE
    assert relations.check_count(more, ["a"] * 19, [1] * 19, "c").status == CONTRADICTED


# --- the new raw files: exactly as printed ------------------------------------------------


@pytest.mark.parametrize(("name", "column"), [("text_trends", "quote_kk"),
                                              ("text_statuses", "quote_kk"),
                                              ("text_readings", "quote_kk")])
def test_a_new_file_quote_not_on_its_line_is_refused(tmp_path, monkeypatch, name, column):
    """Each new raw file's quotation must stand verbatim on its cited line (``kaztur
    verify``, with the source beside the checkout): a crafted source where it does not,
    and one where it does."""
    from analysis import config
    from analysis.data import datasets, provenance
    frame = datasets.load_raw_with_lines(name).head(1).copy()
    quote = str(frame.iloc[0][column])
    doc = str(frame.iloc[0]["source_doc"])
    line = int(frame.iloc[0]["source_line"])
    lines = ["x"] * line
    monkeypatch.setattr(config, "SOURCE_DIR", tmp_path)
    provenance.source_lines.cache_clear()
    try:
        (tmp_path / doc).write_text("\n".join(lines), encoding="utf-8")
        found = provenance._verbatim_problems(name, frame, tmp_path / f"{name}.csv")
        assert len(found) == 1 and found[0].column == column and found[0].line == 2
        lines[line - 1] = f"… {quote} …"
        (tmp_path / doc).write_text("\n".join(lines), encoding="utf-8")
        provenance.source_lines.cache_clear()
        assert provenance._verbatim_problems(name, frame, tmp_path / f"{name}.csv") == []
    finally:
        provenance.source_lines.cache_clear()


def test_a_reading_whose_value_is_not_its_printed_reading_is_refused(tmp_path):
    from analysis import config
    from analysis.data import schemas
    from analysis.data.io import read_csv_text
    from analysis.errors import DataError
    res = schemas.RESOURCES["text_readings"]
    good = (config.RAW_DIR / res.path).read_text(encoding="utf-8")
    bad = good.replace(",8 миллиард,8000000000,", ",8 миллиард,800000000,")
    assert bad != good
    path = tmp_path / res.path
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError, match="value"):
        schemas.validate(read_csv_text(path, res.columns), res, path)
