"""analysis.analyses.official: comparisons on crafted frames, with hand-worked values."""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest

from analysis.analyses import official
from analysis.data import datasets


def reported(rows):
    cols = ["figure_id", "quantity", "year_from", "year_to", "months", "value", "qualifier",
            "side", "reporter", "stated_on", "year_basis"]
    return pd.DataFrame([[f"R{i}", q, y, y, m, v, "approx", s, "x", d, "stated"]
                         for i, (q, y, m, v, s, d) in enumerate(rows, 1)], columns=cols)


def test_official_series_takes_the_latest_statement():
    off = reported([("trade_turnover", 2020, 12, 2600, "KZ", "2021-01-01"),
                    ("trade_turnover", 2020, 12, 3000, "KZ", "2021-03-18"),
                    ("trade_turnover", 2020, 12, 9999, "TR", "2021-05-01"),
                    ("trade_turnover", 2020, 9, 1, "KZ", "2021-06-01")])
    s = official.official_series(off, "trade_turnover", "KZ")
    assert s["value"].tolist() == [3000] and s["statements"].tolist() == [2]


def test_mirror_ratio():
    off = reported([("trade_turnover", 2021, 12, 4100, "KZ", ""),
                    ("trade_turnover", 2021, 12, 5300, "TR", ""),
                    ("trade_turnover", 2022, 12, 6300, "KZ", "")])
    m = official.mirror(off)
    assert m["year"].tolist() == [2021] and m["ratio"].iloc[0] == pytest.approx(53 / 41)
    assert m["gap"].iloc[0] == 1200


def wdi(rows):
    return pd.DataFrame(rows, columns=["indicator", "iso3", "year", "value"]).assign(unit="")


def test_ppp_gdp_is_per_capita_times_population_and_totals_flag_gaps():
    w = wdi([("NY.GDP.PCAP.PP.CD", "KAZ", 2022, 30000.0), ("SP.POP.TOTL", "KAZ", 2022, 2e7),
             ("NY.GDP.MKTP.CD", "KAZ", 2022, 2e11), ("NY.GDP.MKTP.CD", "TUR", 2022, 9e11)])
    ppp = official.gdp_ppp(w)
    assert ppp["value"].tolist() == [6e11]
    tot = official.total(w, official.GDP, "members")
    assert tot["value"].tolist() == [1.1e12] and not tot["complete"].iloc[0]


def test_revisions_and_summary():
    cur = wdi([("NY.GDP.MKTP.CD", c, 2022, v) for c, v in
               (("AZE", 110.0), ("KAZ", 100.0), ("KGZ", 100.0), ("TUR", 100.0), ("UZB", 90.0))])
    old = wdi([("NY.GDP.MKTP.CD", c, 2022, 100.0) for c in ("AZE", "KAZ", "KGZ", "TUR", "UZB")])
    rev = official.revisions(cur, old).set_index("iso3")
    assert rev.loc["AZE", "revision_pct"] == pytest.approx(10)
    assert rev.loc["OTS", "revision_pct"] == pytest.approx(0)   # 500 vs 500
    summary = official.revision_summary(rev.reset_index()).set_index("iso3")
    assert summary.loc["UZB", "max_abs_revision_pct"] == pytest.approx(10)
    assert official.max_total_revision(cur, old, (2022, 2022)) == (0.0, 2022)


def test_wdi_for_swaps_gdp_only():
    earlier = official.wdi_for("earlier")
    gdp = earlier[earlier["indicator"] == official.GDP]
    assert len(gdp) == len(official.load("wdi_gdp_earlier"))
    assert len(earlier[earlier["indicator"] == official.POP]) == len(
        official.load("wdi").query("indicator == @official.POP"))
    with pytest.raises(ValueError, match="vintage"):
        official.wdi_for("2019")


def test_shipped_comparisons_by_hand():
    off = official.load("kz_tr_official")
    fdi = official.fdi_compare(datasets.load("investment"),
                               datasets.load("indicators_2020_2022"), off,
                               official.load("wdi")).set_index("year")
    row = fdi.loc[2021]
    assert (row["official_9m"], row["k6"], row["k8"]) == (535, 450, 500)
    res = official.reserves_compare(datasets.load("energy_reserves"),
                                    official.load("energy_institute")).set_index("resource")
    assert res.loc["oil", "ratio"] == 1.0
    assert res.loc["gas", "ratio"] == pytest.approx(2.7 / 2.25712)


def test_shipped_series_break_and_shift_are_what_the_notebook_says():
    """Regressions on the shipped data (years and cells, no official values typed): the
    two series differ in 2020–2022 only; Кесте 6 matches BNS of the year before in one
    cell, its 2022 turnover."""
    series = official.series_long(official.load("kz_tr_trade"))
    assert official.break_span(official.series_break(series)) == (2020, 2022)
    cells = official.shift_cells(official.k6_long(datasets.load("indicators_2020_2022")),
                                 series)
    hits = cells[cells["within"]]
    assert hits[["flow", "year", "lag", "series"]].values.tolist() == [
        ["turnover", 2022, 1, "BNS-312101"]]
    assert set(cells[(cells["year"] == 2020) & (cells["lag"] == 1)]["series"]) == {
        "WITS-TradeStats"}


# --- the official trade series ----------------------------------------------------------

BNS, WITS, PREVIEW = "BNS-312101", "WITS-TradeStats", "UN-Comtrade-preview"


def series(rows):
    """A long series frame (USD million) from (series, flow, year, value) rows."""
    return pd.DataFrame(rows, columns=["series", "flow", "year", "value"]).assign(
        edition="", source_table="", source="")


def test_series_long_adds_turnover_in_usd_million():
    table = pd.DataFrame([(BNS, "export", 2021, 2.5e9), (BNS, "import", 2021, 1.25e9),
                          (WITS, "export", 2019, 1e9)],
                         columns=["series", "flow", "year", "value_usd"]).assign(
        reporter="KAZ", partner="TUR", unit_in_source="USD", source_table="t", edition="e",
        source_repo="", source_path="https://x", source_commit="")
    long = official.series_long(table).set_index(["series", "flow", "year"])["value"]
    assert long[(BNS, "turnover", 2021)] == 3750.0
    assert (WITS, "turnover", 2019) not in long.index      # no imports: no turnover


def claims(rows):
    cols = ["claim_id", "quantity_key", "year", "period", "qualifier", "number_printed",
            "value", "unit", "source_line", "quote_kk", "label_en"]
    return pd.DataFrame([[f"T{i}", k, y, per, "exact", pr, v, u, ln, "", ""]
                         for i, (k, y, per, pr, v, u, ln) in enumerate(rows, 1)], columns=cols
                        ).astype({"year": "Int64"})


def test_text_long_keeps_whole_years_in_usd_million():
    text = official.text_long(claims([
        ("kz_tr_trade_total", 2022, "", "6,3 миллиард", 6.3e9, "USD", 10),
        ("kz_exports_to_tr", pd.NA, "2023 Q1", "955 миллион", 9.55e8, "USD", 11),
        ("kz_imports_from_tr", pd.NA, "", "1 млрд", 1e9, "USD", 12),
        ("kz_tr_trade_target", 2030, "", "10 миллиард", 1e10, "USD", 13)]))
    assert text[["year", "quantity", "value", "line"]].values.tolist() == [
        [2022, "trade_turnover", 6300.0, 10]]


def dissertation():
    k7 = pd.DataFrame({"year": [2019, 2020], "quantity": "trade_turnover",
                       "value": [1770.0, 1750.0], "printed": ["1 770", "1 750"],
                       "line": [1, 2]})
    k6 = pd.DataFrame({"year": [2020, 2020], "quantity": ["trade_turnover",
                                                          "fdi_tr_to_kz_gross_inflow"],
                       "value": [2100.0, 300.0], "printed": ["2 100", "300"], "line": [3, 4]})
    text = pd.DataFrame({"year": [2020, 2020], "quantity": "trade_turnover",
                         "value": [3000.0, 3100.0], "printed": ["3 млрд", "3,1 млрд"],
                         "line": [5, 6]})
    return official.dissertation_long(k7, k6, text)


def test_dissertation_long_keeps_trade_flows_only():
    d = dissertation()
    assert sorted(set(d["source"])) == ["k6", "k7", "text"]
    assert set(d["flow"]) == {"turnover"} and len(d) == 5


def test_side_by_side_never_splices_and_shows_the_gap():
    s = series([(BNS, "turnover", 2020, 4000.0), (WITS, "turnover", 2020, 3000.0),
                (WITS, "turnover", 2019, 2000.0)])
    out = official.side_by_side(dissertation(), s).set_index(["flow", "year"])
    y2020, y2019 = out.loc[("turnover", 2020)], out.loc[("turnover", 2019)]
    assert (y2020["k7"], y2020["k6"], y2020["bns"], y2020["wits"]) == (1750, 2100, 4000, 3000)
    assert y2020["wits_over_bns"] == 0.75 and y2020["wits_vs_bns_pct"] == -25
    # two different text figures of one year: both shown, no single value
    assert math.isnan(y2020["text"])
    assert y2020["text_printed"] == "3 млрд (5); 3,1 млрд (6)"
    # a year only WITS covers keeps BNS empty: nothing is carried over from the other series
    assert math.isnan(y2019["bns"]) and y2019["wits"] == 2000
    assert math.isnan(y2019["wits_over_bns"])


def test_side_by_side_keeps_the_value_of_agreeing_text_figures():
    empty = pd.DataFrame(columns=["year", "quantity", "value", "printed", "line"])
    text = pd.DataFrame({"year": [2022, 2022], "quantity": "trade_turnover",
                         "value": [6300.0, 6300.0], "printed": ["6,3 миллиард", "6,3 млрд"],
                         "line": [7, 8]})
    d = official.dissertation_long(empty, empty, text)
    row = official.side_by_side(d, series([(BNS, "turnover", 2022, 6348.0)])).iloc[0]
    assert row["text"] == 6300 and row["text_printed"] == "6,3 миллиард (7); 6,3 млрд (8)"


def test_series_break_and_its_span_by_hand():
    s = series([(BNS, "export", y, 100.0) for y in (2020, 2021, 2022, 2023)]
               + [(WITS, "export", 2020, 80.0), (WITS, "export", 2021, 98.9),
                  (WITS, "export", 2022, 100.5), (WITS, "export", 2023, 101.5)])
    gap = official.series_break(s).set_index("year")
    assert gap.loc[2020, "ratio"] == pytest.approx(0.8)
    assert gap.loc[2020, "pct"] == pytest.approx(-20)
    # 1 % is the line: 1.1 % and 1.5 % differ, 0.5 % does not
    assert gap["differs"].tolist() == [True, True, False, True]
    with pytest.raises(ValueError, match="not one span"):
        official.break_span(gap.reset_index())
    assert official.break_span(gap.reset_index().iloc[:3]) == (2020, 2021)
    assert official.break_span(gap.reset_index().iloc[2:3]) is None


def test_stated_step_is_the_last_stated_digit():
    assert [official.stated_step(v) for v in (6300, 6000, 535, 4350, 1.5)] == [
        100, 1000, 1, 10, Fraction(1, 10)]


def quotes(rows):
    cols = ["figure_id", "quantity", "year_from", "year_to", "months", "value", "qualifier",
            "side", "stated_on"]
    return pd.DataFrame([[f"R{i}", q, y, y, 12, v, qual, "KZ", ""]
                         for i, (q, y, v, qual) in enumerate(rows, 1)], columns=cols)


def test_quotes_as_roundings_of_the_series_by_hand():
    s = series([(BNS, "turnover", 2021, 4111.0), (BNS, "turnover", 2020, 3082.0),
                (BNS, "export", 2022, 4750.98), (WITS, "turnover", 2021, 2717.0),
                (WITS, "turnover", 2018, 1893.0), (BNS, "turnover", 2022, 4200.0)])
    q = official.quotes_vs_series(quotes([
        ("trade_turnover", 2021, 4100, "approx"),    # 4 111 rounds to 4 100 (step 100)
        ("trade_turnover", 2020, 3000, "more_than"),  # a bound 3 082 satisfies: not decisive
        ("trade_turnover", 2020, 2600, "approx"),    # 3 082 is far above
        ("exports_kz_to_tr", 2022, 4700, "approx"),  # 4 750.98 rounds to 4 800, not 4 700
        ("trade_turnover", 2018, 1900, "approx"),    # BNS does not cover 2018
        ("trade_turnover", 2022, 4100, "more_than"),  # 4 200 is above (4 050, ∞), not 4 100
    ]), s).set_index("figure_id")
    assert q["step"].tolist() == [100, 1000, 100, 100, 100, 100]
    assert q["bns_status"].tolist() == ["rounds", "bound", "outside", "outside", "", "bound"]
    assert q.loc["R4", "bns_rounded"] == 4800 and q.loc["R1", "bns_rounded"] == 4100
    assert q.loc["R1", "wits_status"] == "outside" and q.loc["R5", "wits_status"] == "rounds"
    summary = official.quote_summary(q.reset_index()).set_index("series")
    assert summary.loc["bns"].tolist() == [5, 1, 2, 2]
    assert summary.loc["wits"].tolist() == [2, 1, 0, 1]


def test_table_step_is_the_largest_power_of_ten_dividing_every_cell():
    assert official.table_step([2100, 3000, 900]) == 100
    assert official.table_step([1580, 1770]) == 10
    assert official.table_step([1575]) == 1


def k6_cells():
    return pd.DataFrame({"year": [2020, 2021, 2022], "quantity": "trade_turnover",
                         "value": [2100.0, 3000.0, 4100.0],
                         "printed": ["2 100", "3 000", "4 100"], "line": [1, 2, 3]})


SHIFT_SERIES = [(BNS, "turnover", 2020, 3082.0), (BNS, "turnover", 2021, 4111.0),
                (BNS, "turnover", 2022, 6348.0), (WITS, "turnover", 2019, 2100.0)]


def test_shift_cells_by_hand():
    cells = official.shift_cells(k6_cells(), series(SHIFT_SERIES)).set_index(["year", "lag"])
    assert cells.loc[(2022, 1), "within"] and cells.loc[(2022, 1), "official_year"] == 2021
    assert not cells.loc[(2021, 1), "within"]           # 3 082 is not 3 000 at step 100
    assert not cells.loc[(2022, 0), "within"]
    # the 2020 column at lag 1: 2019 is not in BNS, so WITS, named
    assert cells.loc[(2020, 1), "series"] == WITS and cells.loc[(2020, 1), "within"]
    assert cells.loc[(2020, 0), "series"] == BNS
    assert set(cells["step"]) == {100.0}


def test_match_distribution_is_the_exact_permutation_distribution():
    def equal(v, t):
        return v == t

    assert official.match_distribution([10], [10, 20, 30], equal).tolist() == pytest.approx(
        [2 / 3, 1 / 3])
    # ordered pairs of distinct values: (10,20) 2 matches; (10,30), (30,20) 1; others 0
    assert official.match_distribution([10, 20], [10, 20, 30], equal).tolist() == \
        pytest.approx([3 / 6, 2 / 6, 1 / 6])


def test_shift_summary_counts_matches_and_chance_by_hand():
    s = series(SHIFT_SERIES)
    summary = official.shift_summary(official.shift_cells(k6_cells(), s), s).set_index(
        ["lag", "series"])
    lag1 = summary.loc[(1, BNS)]
    assert (lag1["cells"], lag1["matches"]) == (2, 1)
    # pool 3 082, 4 111, 6 348 dealt to (2020, 2021): only 4 111 in 2021 matches the 4 100
    # cell; 2 of the 6 ordered pairs put it there
    assert lag1["expected"] == pytest.approx(1 / 3) and lag1["p"] == pytest.approx(1 / 3)
    assert summary.loc[(1, WITS), "matches"] == 1 and summary.loc[(1, WITS), "p"] == 1
    assert summary.loc[(0, BNS), "matches"] == 0 and summary.loc[(0, BNS), "p"] == 1


def test_vs_reference_uses_bns_where_it_covers_the_year_else_wits():
    s = series([(BNS, "turnover", 2020, 3500.0), (WITS, "turnover", 2020, 2000.0),
                (WITS, "turnover", 2019, 3540.0)])
    k7 = pd.DataFrame({"year": [2019, 2020, 2018], "quantity": "trade_turnover",
                       "value": [1770.0, 1750.0, 1580.0], "printed": "", "line": 1})
    out = official.vs_reference(k7, s).set_index("year")
    assert out.loc[2019, "series"] == WITS and out.loc[2019, "ratio"] == 0.5
    assert out.loc[2020, "series"] == BNS and out.loc[2020, "difference"] == -1750
    assert out.loc[2018, "series"] == "" and math.isnan(out.loc[2018, "official"])


# --- the numbers of 06_external's sentences (present.tables.official), by hand -----------

from analysis.present.tables import official as tables  # noqa: E402


def test_break_facts_by_hand():
    s = series([(BNS, f, y, 100.0) for f in ("export", "import", "turnover")
                for y in (2019, 2020, 2021, 2022)]
               + [(WITS, "export", 2020, 80.0), (WITS, "export", 2021, 70.0),
                  (WITS, "import", 2020, 60.0), (WITS, "import", 2021, 55.0),
                  (WITS, "turnover", 2020, 75.0), (WITS, "turnover", 2021, 66.0),
                  (WITS, "export", 2022, 100.4), (WITS, "import", 2022, 99.8),
                  (WITS, "turnover", 2022, 100.2), (WITS, "turnover", 2018, 50.0)])
    gap = official.series_break(s)
    span = official.break_span(gap)
    side = pd.DataFrame({"year": [2018, 2019], "wits": [50.0, float("nan")],
                         "bns": [float("nan"), 100.0], "k7": [1.0, 1.0],
                         "k6": [float("nan")] * 2})
    key, facts = tables.break_facts(gap, span, side, "en")
    assert key == "external.say.break" and (facts["start"], facts["end"]) == ("2020", "2021")
    assert facts["exports"] == "20.0–30.0%" and facts["imports"] == "40.0–45.0%"
    assert facts["turnover"] == "25.0–34.0%" and facts["after"] == "2022"
    assert facts["after_max"] == "0.40%" and facts["only_wits"] == "2018"
    assert tables.break_facts(gap, span, side, "kk")[1]["exports"] == "20,0–30,0%"
    assert tables.break_facts(gap[gap["year"] < 2022], span, side, "en")[0] == \
        "external.say.break_open"
    assert tables.break_facts(gap, None, side, "en")[0] == "external.say.no_break"


def test_k7_facts_say_whether_the_last_changes_agree_in_sign():
    vs = pd.DataFrame({"year": [2021, 2022, 2023], "quantity": "trade_turnover",
                       "value": [100.0, 110.0, 121.0], "official": [200.0, 250.0, 225.0],
                       "series": BNS})
    vs["ratio"] = vs["value"] / vs["official"]
    key, facts = tables.k7_facts(vs, "en")
    assert key == "external.say.k7" and facts["years"] == "2021–2023"
    assert (facts["low"], facts["high"]) == ("0.44", "0.54")
    assert (facts["k7_change"], facts["official_change"]) == ("10.0%", "−10.0%")
    assert facts["series"] == "BNS 312101"
    vs.loc[2, "official"] = 300.0
    vs["ratio"] = vs["value"] / vs["official"]
    assert tables.k7_facts(vs, "en")[0] == "external.say.k7_same"


def test_quote_facts_by_hand():
    s = series([(BNS, "turnover", 2021, 4111.0), (BNS, "turnover", 2020, 3082.0),
                (WITS, "turnover", 2021, 4149.0), (WITS, "turnover", 2020, 1920.0)])
    q = official.quotes_vs_series(quotes([("trade_turnover", 2021, 4100, "approx"),
                                          ("trade_turnover", 2020, 2600, "approx")]), s)
    key, facts = tables.quote_facts(q, "en")
    # 2021: both series round to 4 100 (WITS 4 149 too); 2020: neither fits
    assert key == "external.say.quotes_mixed"
    assert (facts["n"], facts["rounds"], facts["outside"], facts["rounds_wits"]) == (
        "2", "1", "1", "1")
    assert facts["cases"] == "R2 (2020): 2,600, while BNS 3,082.0 rounds to 3,100"


def test_shift_facts_by_hand():
    s = series(SHIFT_SERIES)
    cells = official.shift_cells(k6_cells(), s)
    summary = official.shift_summary(cells, s)
    q = official.quotes_vs_series(quotes([("trade_turnover", 2021, 4100, "more_than")]), s)
    key, facts = tables.shift_facts(cells, summary, q, "en")
    assert key == "external.say.shift"               # p = 1/3: no more than chance
    assert (facts["m1"], facts["n1"], facts["mw"], facts["nw"]) == ("1", "2", "1", "1")
    # the BNS matches only (the 2020 column's match with WITS is counted apart, mw)
    assert facts["which"] == "Trade turnover, 2022: 4,100 ↔ 4,111.0 in 2021"
    assert (facts["expected"], facts["p"]) == ("0.33", "0.33")
    assert facts["quotes"] == "R1 2021: more than 4,100"
    low = summary.assign(p=0.01)
    assert tables.shift_facts(cells, low, q, "en")[0] == "external.say.shift_signal"


def test_every_source_descriptor_is_said_in_both_languages_and_the_english_is_current():
    """The sources table of 06_external reads each descriptor field in the page's language
    (labels/external_sources.yaml). The English entry must be the descriptor's own text: a
    rebuilt descriptor with new words fails here until its Kazakh is updated too."""
    from analysis.data import official as data
    from analysis.present.tables import official as tables

    stale = []
    for name in data.RESOURCES:
        s = data.source_of(name)
        for field in tables.SOURCE_FIELDS:
            if tables.source_text(name, field, "en") != str(s[field]):
                stale.append(f"{name}.{field}")
            assert tables.source_text(name, field, "kk"), f"{name}.{field} has no Kazakh"
        url = str(s.get("url", ""))
        if url and "://" not in url and not s.get("commit"):  # words, not an address
            if tables.source_text(name, "url", "en") != url:
                stale.append(f"{name}.url")
    assert stale == []
    kk = tables.sources("kk")
    assert "Дүниежүзілік банк" in set(kk["publisher"])
