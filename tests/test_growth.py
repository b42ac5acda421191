"""analysis.methods.growth against values worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.methods import growth


def test_cagr_total_trade_2018_2023():
    # (3200/1580)^(1/5) - 1: 3200/1580 = 2.0253165, ln = 0.7057305, /5 = 0.1411461,
    # exp(0.1411461) = 1.1515920 -> 0.151592
    assert growth.cagr(1580, 3200, 5) == pytest.approx(0.151592, abs=1e-6)


def test_endpoint_cagr_sorts_years():
    res = growth.endpoint_cagr([2023, 2018, 2020], [3200, 1580, 1750])
    assert (res.start_year, res.end_year, res.periods) == (2018, 2023, 5)
    assert res.rate == pytest.approx(0.151592, abs=1e-6)


def test_cagr_rejects_non_positive():
    with pytest.raises(ValueError):
        growth.cagr(0, 10, 2)


def test_exact_exponential_slope_is_log_growth():
    # 100 * 1.1^k: log(value) = log(100) + k*log(1.1), so slope = log(1.1) = 0.0953102
    years = list(range(2018, 2024))
    values = [100 * 1.1 ** (y - 2018) for y in years]
    fit = growth.loglinear_growth(years, values)
    assert fit.coef == pytest.approx(math.log(1.1), abs=1e-12)
    assert fit.growth == pytest.approx(0.10, abs=1e-12)
    assert fit.r2 == pytest.approx(1.0)
    assert fit.n == 6 and fit.df_resid == 4


def test_ols_slope_se_ci_and_hc3_by_hand():
    # x = 0..4, log y = [0, 1, 1, 2, 3]: xbar = 2, ybar = 1.4, Sxy = 7, Sxx = 10 -> b = 0.7;
    # a = 0, residuals [0, .3, -.4, -.1, .2], SSR = .30, s^2 = .1, se(b) = sqrt(.1/10) = 0.1;
    # t(3, .975) = 3.182446 -> CI 0.7 -+ 0.3182446.
    # HC3: h = 1/5 + (x-2)^2/10 = [.6, .3, .2, .3, .6];
    # var = [1*.09/.49 + 1*.01/.49 + 4*.04/.16] / 100 = 0.01204082 -> se = 0.1097307
    x = [0, 1, 2, 3, 4]
    y = np.exp([0, 1, 1, 2, 3])
    fit = growth.loglinear_growth(x, y, ci_level=0.95)
    assert fit.coef == pytest.approx(0.7)
    assert fit.se_ordinary == pytest.approx(0.1)
    assert fit.ci_ordinary[0] == pytest.approx(0.7 - 0.3182446, abs=1e-6)
    assert fit.ci_ordinary[1] == pytest.approx(0.7 + 0.3182446, abs=1e-6)
    assert fit.se_hc3 == pytest.approx(0.1097307, abs=1e-6)
    assert fit.max_leverage == pytest.approx(0.6)
    low, high = fit.growth_ci("ordinary")
    assert low == pytest.approx(math.expm1(0.7 - 0.3182446), abs=1e-6)
    assert high == pytest.approx(math.expm1(0.7 + 0.3182446), abs=1e-6)


def test_leverage_of_six_years():
    # endpoints: 1/6 + 2.5^2/17.5 = 0.1666667 + 0.3571429 = 0.5238095; HC3 factor 1/(1-h)^2 = 4.41
    lev = growth.leverages(range(2018, 2024))
    assert lev["leverage"].iloc[0] == pytest.approx(0.5238095, abs=1e-7)
    assert lev["hc3_factor"].iloc[-1] == pytest.approx(4.41, abs=1e-9)


def test_growth_table_rows_and_order():
    import pandas as pd

    frame = pd.DataFrame({"year": range(2018, 2024),
                          "a": [100 * 1.2 ** k for k in range(6)],
                          "b": [50 * 1.05 ** k for k in range(6)]})
    tab = growth.growth_table(frame, ["b", "a"])
    assert list(tab["series"]) == ["b"] * 3 + ["a"] * 3
    assert list(tab["method"]) == ["cagr", "ols_log", "ols_log"] * 2
    assert tab.loc[tab["series"] == "a", "rate"].tolist() == pytest.approx([0.2, 0.2, 0.2])


def test_pandemic_indicator_recovers_dip():
    # log value = 0.1*k except 2020 which is multiplied by 0.8: trend 0.1 exactly, indicator
    # coefficient log(0.8) = -0.2231436, effect exp(coef) - 1 = -0.2
    years = list(range(2018, 2024))
    values = [math.exp(0.1 * k) * (0.8 if y == 2020 else 1.0) for k, y in enumerate(years)]
    tab = growth.pandemic_model(years, values)
    trend = tab[(tab["term"] == "trend") & (tab["se_type"] == "ordinary")].iloc[0]
    dummy = tab[(tab["term"] == "indicator_2020") & (tab["se_type"] == "ordinary")].iloc[0]
    assert trend["coef"] == pytest.approx(0.1, abs=1e-10)
    assert dummy["effect"] == pytest.approx(-0.2, abs=1e-10)
    assert dummy["df_resid"] == 3
    hc3 = tab[tab["se_type"] == "HC3"]
    assert hc3["se"].isna().all()  # leverage 1 for 2020: HC3 undefined


def _fit(coef: float, se: float, ci: tuple[float, float], df: int = 4) -> growth.LogLinearGrowth:
    return growth.LogLinearGrowth(
        name="x", term="year", n=df + 2, df_resid=df, ci_level=0.95, coef=coef, intercept=0.0,
        r2=1.0, se_ordinary=se, se_hc3=se, ci_ordinary=ci, ci_hc3=ci, t_ordinary=coef / se,
        t_hc3=coef / se, p_ordinary=0.0, p_hc3=0.0, max_leverage=0.5, residuals=(),
        start_year=2018, end_year=2023)


def test_years_to_target_transformed_and_delta():
    # target/base = e, so log ratio = 1: years = 1/b = 10; slope CI (0.05, 0.15) ->
    # years (1/0.15, 1/0.05) = (6.6667, 20); delta: se_years = 1/b^2 * se = 100*0.025 = 2.5,
    # t(4) = 2.776445 -> 10 -+ 6.941113
    fit = _fit(0.1, 0.025, (0.05, 0.15))
    tab = growth.years_to_target(fit, 100.0, 100.0 * math.e).set_index("method")
    assert tab.loc["slope_ci", "years"] == pytest.approx(10.0)
    assert tab.loc["slope_ci", "years_low"] == pytest.approx(1 / 0.15)
    assert tab.loc["slope_ci", "years_high"] == pytest.approx(20.0)
    assert tab.loc["delta", "years_low"] == pytest.approx(10 - 6.941113, abs=1e-5)
    assert tab.loc["delta", "years_high"] == pytest.approx(10 + 6.941113, abs=1e-5)
    assert tab.loc["slope_ci", "year_reached"] == pytest.approx(2033.0)
    assert tab.loc["simulation", "years"] == pytest.approx(10.0, rel=0.01)


def test_years_to_target_infinite_when_ci_reaches_zero():
    fit = _fit(0.1, 0.05, (-0.02, 0.22))
    tab = growth.years_to_target(fit, 100.0, 100.0 * math.e).set_index("method")
    assert math.isinf(tab.loc["slope_ci", "years_high"])
    assert tab.loc["simulation", "share_never"] > 0


def test_years_to_target_simulation_is_seeded():
    fit = _fit(0.1, 0.03, (0.02, 0.18))
    a = growth.years_to_target(fit, 100.0, 300.0, seed=7)
    b = growth.years_to_target(fit, 100.0, 300.0, seed=7)
    assert a.equals(b)


def test_correlation_fisher_by_hand():
    # x = 1..5, y = [2,1,4,3,5]: Sxy = 8, Sxx = Syy = 10 -> r = 0.8; z = atanh(.8) = 1.0986123,
    # se = 1/sqrt(2) = 0.7071068, 1.959964*se = 1.3859038 -> tanh(-0.2872915) = -0.2796,
    # tanh(2.4845161) = 0.98624
    c = growth.correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    assert c.r == pytest.approx(0.8)
    assert c.ci_low == pytest.approx(math.tanh(1.0986123 - 1.3859038), abs=1e-6)
    assert c.ci_high == pytest.approx(math.tanh(1.0986123 + 1.3859038), abs=1e-6)
    assert c.n == 5


def test_log_log_elasticity_of_power_law():
    # y = 3 x^2 -> log y = log 3 + 2 log x: elasticity 2, intercept log 3
    x = [1.0, 2.0, 4.0, 5.0, 9.0]
    fit = growth.log_log_ols(x, [3 * v**2 for v in x])
    assert fit.coef == pytest.approx(2.0)
    assert fit.intercept == pytest.approx(math.log(3))


def test_rounding_bounds_by_hand():
    # x = 0, 1, 2, all levels 100, radius 10: w = [-0.5, 0, 0.5];
    # max slope = 0.5*ln(110) - 0.5*ln(90) = 0.5*ln(110/90) = 0.1003353 -> growth 0.1055416
    lo, hi = growth.rounding_bounds([0, 1, 2], [100, 100, 100], 10)
    assert hi == pytest.approx(math.expm1(0.5 * math.log(110 / 90)), abs=1e-12)
    assert lo == pytest.approx(math.expm1(-0.5 * math.log(110 / 90)), abs=1e-12)
    with pytest.raises(ValueError):
        growth.rounding_bounds([0, 1, 2], [100, 5, 100], 10)
