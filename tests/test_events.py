"""Event checks (analysis.checks.events and the event series of relation_rows) on crafted
tellings that pass and that fail: a range of days is a span, places agree through their
country, ordinals must match, and counts and spans of a numbered series against its dated
events."""

from __future__ import annotations

import pandas as pd
import pytest
from test_relations import claim, en, fig

from analysis.checks import events, ledger, relation_rows, relations, text
from analysis.checks.context import Context
from analysis.checks.core import CONTRADICTED, REPRODUCED, UNTESTABLE, WITHIN


def telling(key: str, line: int, *date: int, place: str = "",
            ordinal: int | None = None, year_end: int | None = None) -> dict:
    """One telling of an event; ``date``: year, month, day, last day (as many as printed);
    ``year_end`` closes a printed range of years."""
    y, m, d, d_end = (*date, None, None, None, None)[:4]
    printed = "-".join(str(x) for x in date) + (f"-{year_end}" if year_end else "")
    return {"event_id": f"E{line:03d}", "event_key": key, "event_type": "summit",
            "event_kk": key, "event_en": key, "date_printed": printed, "year": y,
            "year_end": year_end, "month": m, "day": d, "day_end": d_end,
            "place_kk": place, "place_en": place,
            "place_key": place, "ordinal_printed": "" if ordinal is None else f"{ordinal}-ші",
            "ordinal": ordinal, "quote_kk": "", "source_doc": "dissertation_kk.txt",
            "source_line": line}


def frame(*rows: dict) -> pd.DataFrame:
    out = pd.DataFrame(list(rows))
    for col in ("year", "year_end", "month", "day", "day_end", "ordinal"):
        out[col] = out[col].astype("Int64")
    return out


def status(rows) -> dict[str, str]:
    return {r.claim_id: r.status for r in rows}


# ---------------------------------------------------------------------------------------
# dates: a range of days is the event's span
# ---------------------------------------------------------------------------------------


def test_a_day_inside_a_printed_span_agrees():
    ev = frame(telling("a", 1, 1992, 10, 30, 31), telling("a", 2, 1992, 10, 31))
    assert status(events.event_rows(ev))["E.a.dates"] == WITHIN


def test_a_day_outside_the_span_or_two_single_days_disagree():
    ev = frame(telling("out", 1, 1992, 10, 30, 31), telling("out", 2, 1992, 10, 29),
               telling("two", 3, 1992, 10, 30), telling("two", 4, 1992, 10, 31),
               telling("spans", 5, 2000, 5, 1, 2), telling("spans", 6, 2000, 5, 4, 5))
    got = status(events.event_rows(ev))
    assert got["E.out.dates"] == CONTRADICTED
    assert got["E.two.dates"] == CONTRADICTED   # no span printed: one day each, different
    assert got["E.spans.dates"] == CONTRADICTED  # two disjoint spans


def test_same_span_twice_is_reproduced_and_a_single_telling_is_untestable():
    ev = frame(telling("s", 1, 2009, 10, 2, 3), telling("s", 2, 2009, 10, 2, 3),
               telling("once", 3, 2009))
    got = status(events.event_rows(ev))
    assert got == {"E.s.dates": REPRODUCED, "E.once.dates": UNTESTABLE}


def test_a_range_of_years_is_a_span():
    ev = frame(telling("adr", 1, 1918, year_end=1920), telling("adr", 2, 1919),
               telling("adr2", 3, 1918, year_end=1920), telling("adr2", 4, 1921),
               telling("war", 5, 1914, year_end=1916), telling("war", 6, 1917, year_end=1918),
               telling("same", 7, 1927, year_end=1928), telling("same", 8, 1927, year_end=1928))
    rows = {r.claim_id: r for r in events.event_rows(ev)}
    assert rows["E.adr.dates"].status == WITHIN      # 1919 lies in 1918–1920
    assert rows["E.adr2.dates"].status == CONTRADICTED and "year 1918-1920" in \
        en(rows["E.adr2.dates"].diagnosis)
    assert rows["E.war.dates"].status == CONTRADICTED  # two ranges with no common year
    assert rows["E.same.dates"].status == REPRODUCED
    assert "1927..1928" in en(rows["E.same.dates"].recomputed)


# ---------------------------------------------------------------------------------------
# places and ordinals
# ---------------------------------------------------------------------------------------


def test_places_a_city_agrees_with_its_country_not_with_another_city():
    ev = frame(telling("p", 1, 2010, place="Istanbul"), telling("p", 2, 2010, place="Türkiye"),
               telling("q", 3, 2011, place="Istanbul"), telling("q", 4, 2011, place="Ankara"),
               telling("r", 5, 2012, place="Baku"), telling("r", 6, 2012, place="Baku"),
               telling("s", 7, 2013, place="Baku"), telling("s", 8, 2013, place="Türkiye"))
    got = {r.claim_id: r.status for r in events.event_rows(ev) if r.check_id == "events.places"}
    assert got == {"E.p.places": WITHIN, "E.q.places": CONTRADICTED,
                   "E.r.places": REPRODUCED, "E.s.places": CONTRADICTED}


def test_ordinals_must_match():
    ev = frame(telling("o", 1, 2009, ordinal=9), telling("o", 2, 2009, ordinal=9),
               telling("x", 3, 2021, ordinal=8), telling("x", 4, 2021, ordinal=9),
               telling("n", 5, ordinal=3))
    rows = events.event_rows(ev)
    got = {r.claim_id: r.status for r in rows if r.claim_id.endswith(".ordinals")}
    assert got == {"E.o.ordinals": REPRODUCED, "E.x.ordinals": CONTRADICTED,
                   "E.n.ordinals": UNTESTABLE}  # numbered once, dated nowhere


# ---------------------------------------------------------------------------------------
# a numbered series: counts in a window and the printed span
# ---------------------------------------------------------------------------------------


SERIES = ("s1", "s2", "s3", "s4")


@pytest.fixture()
def series_context(monkeypatch):
    monkeypatch.setattr(relation_rows, "EVENT_SERIES", {"ser": SERIES})
    monkeypatch.setattr(relation_rows, "EVENT_COUNTS", {"n_in_window": ("ser", 1994, 2000),
                                                        "n_before": ("ser", None, 2005)})
    monkeypatch.setattr(relation_rows, "EVENT_PERIODS", {"span": "ser"})
    ev = frame(telling("s1", 1, 1992), telling("s2", 2, 1994), telling("s3", 3, 1998),
               # s4: its first telling misprints 1996, two later ones say 2006: the
               # majority dates it (as line 444 misprints the fifth summit's year)
               telling("s4", 4, 1996), telling("s4", 5, 2006), telling("s4", 6, 2006))

    def build(*claims: dict):
        table = pd.DataFrame(list(claims))
        ctx = Context([], text.text_figures(table), table, events=ev)
        out = ledger.assemble(ctx)
        return dict(zip(out["claim_id"], out["status"], strict=True))
    return build


def test_series_count_in_a_window(series_context):
    got = series_context(claim("T1", "n_in_window", "екі", "count", 10),
                         claim("T2", "n_before", "4", "count", 11),
                         claim("T3", "n_in_window", "үш", "count", 12))
    assert got["T1.events.ser"] == REPRODUCED    # s2 1994, s3 1998 (s4 is 2006)
    assert got["T2.events.ser"] == CONTRADICTED  # four before 2005? s1, s2, s3 only
    assert got["T3.events.ser"] == CONTRADICTED


def test_series_span(series_context):
    good = series_context(claim("T1", "span", "1992", "year", 10, qualifier="range_low"),
                          claim("T2", "span", "2006", "year", 10, qualifier="range_high"))
    assert good["T1.period.ser"] == REPRODUCED
    bad = series_context(claim("T1", "span", "1992", "year", 10, qualifier="range_low"),
                         claim("T2", "span", "2010", "year", 10, qualifier="range_high"))
    assert bad["T1.period.ser"] == CONTRADICTED
    assert "T1.none" not in bad and "T2.none" not in bad  # both ends were judged


def test_event_count_diagnosis_names_the_events():
    row = relations.check_count(fig("бес", "count"), ["a (1994)", "b (1995)"], [1, 2],
                                "T1.events.x", True, "count.events")
    assert row.status == CONTRADICTED and row.check_id == "count.events"
    assert "the dated events of the series in its window are 2" in en(row.diagnosis)
    assert row.diagnosis["key"] == "diag.count_events.contradicted"
