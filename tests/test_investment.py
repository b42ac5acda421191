"""analysis.analyses.investment against values worked by hand from Кесте 8 and Кесте 6."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import claims_frame

from analysis.analyses import investment


def claims(rows: list[dict]) -> pd.DataFrame:
    return claims_frame(rows, topic="investment", entity="TR->KZ", section="2.3", unit="USD")


CLAIMS = claims([
    {"claim_id": "T1", "quantity_key": "tr_fdi_in_kz", "number_printed": "680 миллион",
     "value": 680e6, "year": 2021, "source_line": 1212},
    {"claim_id": "T2", "quantity_key": "tr_fdi_in_kz_cumulative",
     "number_printed": "4,5 миллиард", "value": 4.5e9, "period": "2005–2022-06",
     "source_line": 1334},
    {"claim_id": "T3", "quantity_key": "turkish_companies_in_kz", "number_printed": "4 мың",
     "value": 4000.0, "unit": "count", "qualifier": "approx", "source_line": 1212},
])


def test_flows_net_and_per_project():
    fl = investment.flows().set_index("year")
    assert fl.loc[2023, "net"] == 655  # 750 - 95
    assert fl.loc[2018, "inflow_per_project"] == pytest.approx(18.2)  # 364 / 20
    assert fl.loc[2020, "outflow_to_inflow"] == pytest.approx(55 / 420)


def test_inflow_cagr():
    # (750/364)^(1/5) - 1: ratio 2.0604396, ln 0.7229197, /5 0.1445839, exp 1.1555584
    tab = investment.growth_summary()
    row = tab[(tab["series"] == "tr_to_kz") & (tab["method"] == "cagr")].iloc[0]
    assert row["rate"] == pytest.approx(0.155558, abs=1e-6)


def test_k6_vs_k8():
    tab = investment.k6_vs_k8()
    row = tab[(tab["quantity"] == "investment") & (tab["year"] == 2021)].iloc[0]
    assert row["k6_minus_k8"] == -50  # 450 - 500
    proj = tab[(tab["quantity"] == "projects") & (tab["year"] == 2022)].iloc[0]
    assert proj["k6_minus_k8"] == 25  # 60 - 35


def test_record_years():
    rec = investment.record_years().set_index("source")
    assert rec.loc["Кесте 8", "record_year"] == 2023 and rec.loc["Кесте 8", "record_musd"] == 750
    assert rec.loc["Кесте 6", "record_year"] == 2022 and rec.loc["Кесте 6", "record_musd"] == 670


def test_text_vs_tables():
    tab = investment.text_vs_tables(CLAIMS)
    fdi = tab[(tab["claim_id"] == "T1") & (tab["table_stat"] == "value")]
    fdi = fdi.set_index(["table_quantity", "table_years"])
    assert fdi.loc[("tr_to_kz", "2021"), "difference"] == pytest.approx(180)  # 680 - 500
    assert fdi.loc[("tr_fdi", "2021"), "difference"] == pytest.approx(230)  # 680 - 450
    record = tab[(tab["claim_id"] == "T1") & (tab["table_stat"] == "max")].set_index("table")
    assert record.loc["Кесте 8", "table_record_year"] == 2023  # 750, the largest of 2018–2023
    assert record.loc["Кесте 8", "table_years"] == "2018–2023"
    cum = tab[tab["claim_id"] == "T2"].set_index("table")
    # 364 + 450 + 420 + 500 + 600 + 750 = 3084
    assert cum.loc["Кесте 8", "table_value"] == 3084
    assert cum.loc["Кесте 8", "difference"] == pytest.approx(1416)
    comp = tab[tab["claim_id"] == "T3"].iloc[0]
    assert comp["table_value"] == 1400 and comp["difference"] == pytest.approx(2600)


def test_relation_to_trade_matches_numpy():
    rel = investment.relation_to_trade().set_index("variant")
    inv = investment.load()["tr_to_kz_musd"].astype(float).to_numpy()
    tot = np.array([1580, 1770, 1750, 2200, 2750, 3200], dtype=float)
    assert rel.loc["levels", "r"] == pytest.approx(np.corrcoef(inv, tot)[0, 1])
    assert rel.loc["levels", "ci_low"] < rel.loc["levels", "r"] < rel.loc["levels", "ci_high"]
    assert rel.loc["log_changes", "n"] == 5


def test_trade_on_investment_equals_polyfit():
    fit = investment.trade_on_investment()
    inv = investment.load()["tr_to_kz_musd"].astype(float).to_numpy()
    tot = np.array([1580, 1770, 1750, 2200, 2750, 3200], dtype=float)
    slope, _ = np.polyfit(np.log(inv), np.log(tot), 1)
    assert fit.coef == pytest.approx(slope)
    assert fit.df_resid == 4
