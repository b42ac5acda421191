"""analysis.analyses.energy against Кесте 3 and 4 worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import claims_frame

from analysis.analyses import energy


def claims(rows: list[dict]) -> pd.DataFrame:
    return claims_frame(rows, topic="energy", entity="", section="2.2", unit="percent")


CLAIMS = claims([
    {"claim_id": "T1", "quantity_key": "consortium_stake_socar_aioc_1994",
     "number_printed": "20%", "value": 20.0, "source_line": 675},
    {"claim_id": "T2", "quantity_key": "consortium_stake_az_other_aioc_1994",
     "number_printed": "2%", "value": 2.0, "source_line": 675},
    {"claim_id": "T3", "quantity_key": "consortium_stake_botas_tanap",
     "number_printed": "20%", "value": 20.0, "source_line": 778},
    {"claim_id": "T4", "quantity_key": "consortium_stake_botas_tanap",
     "number_printed": "30%", "value": 30.0, "source_line": 778},
    {"claim_id": "T5", "quantity_key": "pipeline_capacity_atyrau_samara",
     "number_printed": "17,5 млн", "value": 17.5e6, "unit": "tonne/year", "source_line": 657},
    {"claim_id": "T6", "quantity_key": "pipeline_capacity_atyrau_samara",
     "number_printed": "17,5 млн", "value": 17.5e6, "unit": "tonne/year", "source_line": 663},
])


def test_k3_sum_is_92_83():
    # 17 + 17 + 10 + 10 + 9.8 + 11 + 6.75 + 2.72 + 8.56 = 92.83; gap to 100 = 7.17
    s = energy.share_sum()
    assert s == {"n": 9, "sum_pct": 92.83, "gap_pct": 7.17}


def test_routes_exceed_100():
    # ≈80 + ≈20 = 100, plus "Аз үлес" (unquantified, positive) -> more than 100
    s = energy.route_sum()
    assert s["numeric_sum_pct"] == 100 and s["n_unquantified"] == 1 and s["exceeds_100"]


def test_parse_stake_key():
    assert energy.parse_stake_key("consortium_stake_az_other_aioc_1994") == ("az_other",
                                                                              "aioc_1994")
    assert energy.parse_stake_key("consortium_stake_tpao_shah_deniz_sgc") == ("tpao",
                                                                               "shah_deniz_sgc")
    assert energy.parse_stake_key("consortium_stake_bp_btc") == ("bp", "btc")
    assert energy.parse_stake_key("pipeline_capacity_btc") is None


def test_stakes_vs_k3():
    cmp = energy.stakes_vs_k3(CLAIMS).set_index("company")
    assert cmp.loc["socar", "k3_pct"] == 10 and cmp.loc["socar", "difference"] == 10  # 20 - 10
    assert pd.isna(cmp.loc["az_other", "k3_pct"])  # in the text, not in the table
    assert list(cmp.index[:2]) == ["bp", "amoco"]  # printed order of Кесте 3


def test_conflicting_stakes_and_sums():
    conf = energy.conflicting_stakes(CLAIMS)
    assert conf["company"].tolist() == ["botas"] and conf["stakes"].iloc[0] == "20% / 30%"
    sums = energy.stake_sums(CLAIMS).set_index(["project", "source"])
    assert sums.loc[("tanap", "text"), "sum_pct"] == 20  # first telling only
    assert sums.loc[("aioc_1994", "k3"), "sum_pct"] == 92.83


def test_capacities_agree():
    cap = energy.capacities(CLAIMS)
    assert cap["n_tellings"].tolist() == [2, 2] and cap["tellings_agree"].all()


def test_shares_by_country():
    # USA: Amoco 17 + Pennzoil 9.8 + UNOCAL 11 + Delta Hess 2.72 = 40.52
    by = energy.shares_by_country().set_index("country_en")
    assert by.loc["USA", "share_pct"] == pytest.approx(40.52)
