"""analysis.analyses.trade against values worked by hand from Кесте 7 and Кесте 6."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import claims_frame

from analysis.analyses import trade
from analysis.methods import select
from analysis.present.tables import trade as trade_tables


def claims(rows: list[dict]) -> pd.DataFrame:
    return claims_frame(rows, topic="trade", entity="KZ-TR", section="2.3", unit="USD")


CLAIMS = claims([
    {"claim_id": "T1", "quantity_key": "kz_tr_trade_total", "number_printed": "6,3 млрд",
     "value": 6.3e9, "year": 2022, "source_line": 1332},
    {"claim_id": "T2", "quantity_key": "kz_exports_to_tr", "number_printed": "955 миллион",
     "value": 955e6, "period": "2023 Q1", "source_line": 1320},
    {"claim_id": "T3", "quantity_key": "kz_tr_trade_target", "number_printed": "10",
     "value": 10.0, "unit": "USD billion", "source_line": 1355},
    {"claim_id": "T4", "quantity_key": "kz_tr_trade_growth_pct", "number_printed": "57 пайыз",
     "value": 57.0, "unit": "percent", "year": 2022, "source_line": 1332},
])


def test_recomputed_totals_match_printed():
    rec = trade.recomputed()
    # 980 + 600 = 1580, ..., 2100 + 1100 = 3200: every printed total adds up
    assert rec["total_recomputed"].tolist() == [1580, 1770, 1750, 2200, 2750, 3200]
    assert (rec["total_diff"] == 0).all()


def test_recomputed_growth_and_rounding_interval():
    rec = trade.recomputed().set_index("year")
    # 1770/1580 - 1 = 0.1202532 -> 12.0 as printed
    assert rec.loc[2019, "growth_unrounded_pct"] == pytest.approx(12.02532, abs=1e-5)
    assert rec.loc[2019, "growth_recomputed_pct"] == 12.0
    assert rec.loc[2019, "growth_diff_pct"] == 0.0
    # rounding step 10 -> radius 5: (1765/1585 - 1) = 11.35647 %, (1775/1575 - 1) = 12.69841 %
    assert rec.loc[2019, "growth_low_pct"] == pytest.approx(11.35647, abs=1e-5)
    assert rec.loc[2019, "growth_high_pct"] == pytest.approx(12.69841, abs=1e-5)
    assert bool(rec.loc[2023, "growth_consistent"])
    assert pd.isna(rec.loc[2018, "growth_recomputed_pct"])


def test_apparent_rounding():
    assert trade.apparent_rounding([1580, 1770, 1750]) == 10
    assert trade.apparent_rounding([600, 650, 700, 800, 950, 1100]) == 50
    assert trade.apparent_rounding([1, 2, 3]) == 1


def test_indicators_2023():
    ind = trade.indicators().set_index("year")
    assert ind.loc[2023, "balance"] == 1000  # 2100 - 1100
    assert ind.loc[2023, "export_share"] == pytest.approx(0.65625)  # 2100 / 3200
    assert ind.loc[2023, "coverage"] == pytest.approx(1.9090909)  # 2100 / 1100


def test_growth_summary_total_cagr_and_subset():
    tab = trade.growth_summary()
    row = tab[(tab["series"] == "trade_total") & (tab["method"] == "cagr")].iloc[0]
    assert row["rate"] == pytest.approx(0.151592, abs=1e-6)
    # 2019 -> 2023: (3200/1770)^(1/4) - 1: ratio 1.8079096, ln 0.5921666, /4 0.1480417,
    # exp -> 1.1595630
    sub = trade.growth_summary(trade.load(2019, 2023))
    row = sub[(sub["series"] == "trade_total") & (sub["method"] == "cagr")].iloc[0]
    assert row["rate"] == pytest.approx(0.159563, abs=1e-6)
    assert row["n"] == 5


def test_subset_bounds():
    assert trade.load(2020, 2022)["year"].tolist() == [2020, 2021, 2022]


def test_printed_table_headers_both_languages():
    tab = trade_tables.printed_table("kk", both=True)
    assert "Экспорт (млн АҚШ долл.) / Exports (USD million)" in tab.columns
    assert tab.iloc[0, 3] == "1 580"
    en = trade_tables.printed_table("en")
    assert "Comment" in en.columns and "Baseline data" in en["Comment"].tolist()


def test_compare_sources_differences():
    cmp = trade.compare_sources(claims=CLAIMS)
    tot20 = cmp[(cmp["quantity"] == "trade_total") & (cmp["year"] == 2020)].iloc[0]
    assert tot20["k6_minus_k7"] == 350  # 2100 - 1750
    ex20 = cmp[(cmp["quantity"] == "exports") & (cmp["year"] == 2020)].iloc[0]
    assert ex20["k6_minus_k7"] == -150  # 900 - 1050
    tot22 = cmp[(cmp["quantity"] == "trade_total") & (cmp["year"] == 2022)].iloc[0]
    assert tot22["text_minus_k7"] == pytest.approx(3550)  # 6300 - 2750
    assert tot22["text_minus_k6"] == pytest.approx(2200)  # 6300 - 4100
    assert tot22["text_line"] == 1332 and tot22["k7_line"] == 1035


def test_quarter_claim_is_not_compared():
    assert not select.is_annual(pd.NA, "2023 Q1")
    assert select.is_annual(2022, "")
    und = trade.undated_text_figures(CLAIMS)
    assert und["claim_id"].tolist() == ["T2"]


def test_target_from_claims_and_default():
    assert trade.target(CLAIMS)[0] == pytest.approx(10_000)  # 10 USD billion = 10 000 million
    assert trade.target(None) == (10_000.0, (493, 1107, 1320))


def test_years_to_target_point():
    # OLS log slope of total 2018–2023 (computed in test_growth style): years = ln(10000/3200)/b
    tab = trade.years_to_target(claims=None)
    fit = trade.total_fit()
    import math

    point = tab[(tab["method"] == "slope_ci") & (tab["se_type"] == "ordinary")].iloc[0]
    assert point["years"] == pytest.approx(math.log(10000 / 3200) / fit.coef)
    assert point["base_year"] == 2023


def test_text_growth_and_share():
    tab = trade.text_growth_and_share(CLAIMS)
    row = tab[tab["quantity"] == "growth_pct"].iloc[0]
    assert row["k7_pct"] == 25.0
    assert row["k6_pct"] == pytest.approx(36.666667, abs=1e-5)  # 4100/3000 - 1
    assert row["text_minus_k7"] == 32.0


def test_k6_internal_sums():
    k6 = trade.k6_internal().set_index("year")
    assert k6.loc[2022, "total_recomputed"] == 4100  # 1500 + 2600
    assert k6.loc[2022, "balance"] == -1100


def test_rounding_effect_is_small_next_to_ci():
    tab = trade.rounding_effect().set_index("series")
    assert tab.loc["imports", "rounding_step"] == 50
    assert tab.loc["trade_total", "rounding_step"] == 10
    row = tab.loc["trade_total"]
    assert row["rounding_low"] < row["rate"] < row["rounding_high"]
    # rounding moves the growth far less than the t-interval does
    assert row["rounding_high"] - row["rounding_low"] < (row["ci_high"] - row["ci_low"]) / 5


# --------------------------------------------------------------------------- bad text claims


@pytest.fixture()
def raw_copy(tmp_path, monkeypatch):
    """The raw data copied to a temporary project the library reads instead."""
    import shutil
    from pathlib import Path

    from helpers import point_config_at

    root = tmp_path / "proj"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "raw", root / "data" / "raw")
    point_config_at(monkeypatch, root)
    return root / "data" / "raw"


def _break_a_value(path, column: str, value: str) -> int:
    """Set ``column`` of the file's second data row to ``value``; return that CSV line."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return 3


def test_a_malformed_text_claims_file_is_a_clear_error_not_fewer_comparisons(raw_copy):
    from analysis.analyses import energy, investment
    from analysis.errors import DataError

    line = _break_a_value(raw_copy / "text_claims.csv", "source_line", "twelve")
    with pytest.raises(DataError) as info:
        trade.load_claims()
    message = str(info.value)
    assert "text_claims.csv" in message and f"line {line}" in message
    assert "source_line" in message
    # every analysis that compares with the text stops the same way instead of going quiet
    for compare in (lambda: trade.compare_sources(claims=trade.load_claims()),
                    lambda: investment.text_vs_tables(trade.load_claims()),
                    lambda: energy.k2_vs_text(trade.load_claims())):
        with pytest.raises(DataError, match="text_claims.csv"):
            compare()


def test_a_missing_text_claims_file_is_a_clear_error(raw_copy):
    from analysis.errors import DataError

    (raw_copy / "text_claims.csv").unlink()
    with pytest.raises(DataError, match="text_claims.csv.*missing"):
        trade.load_claims()


def test_a_malformed_table_2_is_a_clear_error(raw_copy):
    from analysis.analyses import energy
    from analysis.errors import DataError

    _break_a_value(raw_copy / "k2_oil_export_diversification.csv", "source_line", "x")
    with pytest.raises(DataError, match="k2_oil_export_diversification.csv"):
        energy.k2_vs_text(None)
