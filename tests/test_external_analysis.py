"""analysis.analyses.official: comparisons on crafted frames, with hand-worked values."""

from __future__ import annotations

import math

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


def test_vs_official_and_lags_by_hand():
    table = pd.DataFrame({"year": [2021, 2022], "quantity": "trade_turnover",
                          "value": [3000.0, 4100.0], "printed": "", "line": 1})
    off = reported([("trade_turnover", 2020, 12, 3000, "KZ", ""),
                    ("trade_turnover", 2021, 12, 4100, "KZ", ""),
                    ("trade_turnover", 2022, 12, 6300, "KZ", "")])
    same = official.vs_official(table, off)
    assert same["ratio"].tolist() == pytest.approx([3000 / 4100, 4100 / 6300])
    shifted = official.vs_official(table, off, lag=1)
    assert shifted["ratio"].tolist() == [1.0, 1.0]
    assert shifted["official_year"].tolist() == [2020, 2021]
    both = official.vs_official_lags(table, off)
    assert sorted(set(both["lag"])) == [0, 1] and len(both) == 4


def test_permutation_test_of_the_best_lag_by_hand():
    table = pd.Series([100.0, 200.0, 300.0], index=[2001, 2002, 2003])
    off = pd.Series([100.0, 200.0, 300.0], index=[2000, 2001, 2002])
    best, p, orderings = official.permutation_p(table, off, 0.05)
    # only the true ordering matches all three at lag 1: p = 1/3! = 1/6
    assert (best, orderings) == (3, 6) and p == pytest.approx(1 / 6)
    flat = pd.Series([100.0, 100.0, 100.0], index=[2000, 2001, 2002])
    assert official.permutation_p(table, flat, 0.05)[1:] == (1.0, 1)


def test_lag_alignment_rows():
    table = pd.DataFrame({"year": [2001, 2002, 2003], "quantity": "trade_turnover",
                          "value": [100.0, 200.0, 300.0], "printed": "", "line": 1})
    off = reported([("trade_turnover", y, 12, v, "KZ", "") for y, v in
                    ((2000, 100), (2001, 200), (2002, 300))])
    lag = official.lag_alignment({"T": table}, off, "KZ", 0.05).set_index("lag")
    assert lag.loc[1, "matches"] == 3 and lag.loc[0, "matches"] == 0
    assert lag.loc[1, "median_abs_log_ratio"] == 0
    assert lag.loc[0, "median_abs_log_ratio"] == pytest.approx(
        (math.log(2) + math.log(1.5)) / 2)


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
    k7 = official.vs_official(official.k7_long(datasets.load("trade")), off).set_index(
        ["year", "quantity"])
    assert k7.loc[(2022, "trade_turnover"), "ratio"] == pytest.approx(2750 / 6300)
    k6 = official.vs_official(official.k6_long(datasets.load("indicators_2020_2022")), off, lag=1)
    hits = k6[(k6["quantity"] == "trade_turnover") & (k6["ratio"] == 1)]
    assert hits["year"].tolist() == [2021, 2022]
    fdi = official.fdi_compare(datasets.load("investment"),
                               datasets.load("indicators_2020_2022"), off,
                               official.load("wdi")).set_index("year")
    row = fdi.loc[2021]
    assert (row["official_9m"], row["k6"], row["k8"]) == (535, 450, 500)
    res = official.reserves_compare(datasets.load("energy_reserves"),
                                    official.load("energy_institute")).set_index("resource")
    assert res.loc["oil", "ratio"] == 1.0
    assert res.loc["gas", "ratio"] == pytest.approx(2.7 / 2.25712)
