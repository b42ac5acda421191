"""Growth statistics shared by the trade and investment analyses.

The dissertation's series are short (six annual points, 2018–2023) and rounded (levels end in
0 or 50 million), so every estimate here comes with a t-based interval and the numbers that
say how little data stands behind it (``n``, residual degrees of freedom, largest leverage).

* :func:`cagr` / :func:`endpoint_cagr`: compound annual growth between two endpoints; uses only
  the first and last year, so one odd endpoint moves it a lot.
* :func:`loglinear_growth`: least-squares growth, OLS of ``log(value)`` on ``year``
  (statsmodels, ``use_t=True``), ordinary and HC3 standard errors side by side; growth rate
  ``exp(b) - 1`` with the interval transformed from the slope's interval.
* :func:`pandemic_model`: the same with a 2020 indicator, so that the pandemic dip does not
  pull the trend down (at the price of one more parameter: three residual degrees of freedom).
* :func:`years_to_target`: years until a target level at the estimated growth, with intervals
  by transforming the slope's interval, by the delta method and by simulation (fixed seed);
  an interval whose slope can be zero or negative has an infinite upper end.
* :func:`correlation`: Pearson r with a Fisher-z interval.
* :func:`log_log_ols`: OLS of ``log(y)`` on ``log(x)`` (an elasticity).

Why HC3 *and* ordinary errors: HC3 guards against unequal residual variance, but with six
points the endpoints of a year trend have leverage ≈ 0.52 and HC3 divides their squared
residuals by (1 − h)² ≈ 0.23; the HC3 error then mostly reflects two residuals. Neither error
is reliable with four degrees of freedom; showing both shows how fragile the interval is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

# the two names used, from their modules: `statsmodels.api` imports every model family
# (time series, discrete, GLM, ...), a third of a second more in every process that
# imports this module
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

DEFAULT_SEED = 20231231
SE_TYPES = ("ordinary", "HC3")

#: What the functions accept as a series of numbers: a list, a pandas column or an array.
Numbers = Sequence[float] | pd.Series | np.ndarray
#: ... and as a series of years.
Years = Sequence[int] | pd.Series | np.ndarray


def as_float(value: object) -> float:
    """A scalar read from a frame (``frame.loc[i, c]``, ``series.iloc[0]``) as a float.

    pandas types such a scalar as the union of everything a cell can hold; the analyses
    only read numeric cells, and ``float`` raises for anything else."""
    return float(value)  # type: ignore[arg-type]


def _as_float_array(values: Numbers, what: str) -> np.ndarray:
    arr = np.asarray(pd.Series(values, dtype="Float64").to_numpy(dtype=float, na_value=np.nan))
    if np.isnan(arr).any():
        raise ValueError(f"{what} has missing values; drop them before fitting")
    return arr


def cagr(start_value: float, end_value: float, periods: float) -> float:
    """Compound annual growth rate: ``(end / start) ** (1 / periods) - 1``."""
    if periods <= 0:
        raise ValueError(f"periods must be positive, got {periods}")
    if start_value <= 0 or end_value <= 0:
        raise ValueError("CAGR needs positive start and end values")
    return (end_value / start_value) ** (1.0 / periods) - 1.0


@dataclass(frozen=True)
class CagrResult:
    """Endpoint growth between the first and last year of a series."""

    name: str
    start_year: int
    end_year: int
    start_value: float
    end_value: float
    periods: int
    rate: float


def endpoint_cagr(years: Years, values: Numbers, name: str = "") -> CagrResult:
    """CAGR from the first to the last year (years need not be consecutive)."""
    y = np.asarray(years, dtype=int)
    v = _as_float_array(values, "values")
    order = np.argsort(y, kind="stable")
    y, v = y[order], v[order]
    periods = int(y[-1] - y[0])
    return CagrResult(name, int(y[0]), int(y[-1]), float(v[0]), float(v[-1]), periods,
                      cagr(float(v[0]), float(v[-1]), periods))


@dataclass(frozen=True)
class SlopeFit:
    """One regression slope with ordinary and HC3 inference (t-based, ``df_resid`` d.f.)."""

    name: str
    term: str
    n: int
    df_resid: int
    ci_level: float
    coef: float
    intercept: float
    r2: float
    se_ordinary: float
    se_hc3: float
    ci_ordinary: tuple[float, float]
    ci_hc3: tuple[float, float]
    t_ordinary: float
    t_hc3: float
    p_ordinary: float
    p_hc3: float
    max_leverage: float
    residuals: tuple[float, ...] = field(repr=False)

    def se(self, se_type: str) -> float:
        return {"ordinary": self.se_ordinary, "HC3": self.se_hc3}[se_type]

    def ci(self, se_type: str) -> tuple[float, float]:
        return {"ordinary": self.ci_ordinary, "HC3": self.ci_hc3}[se_type]


@dataclass(frozen=True)
class LogLinearGrowth(SlopeFit):
    """Least-squares growth: ``log(value) = a + b * year``; growth rate ``exp(b) - 1``."""

    start_year: int = 0
    end_year: int = 0

    @property
    def growth(self) -> float:
        return math.expm1(self.coef)

    def growth_ci(self, se_type: str = "ordinary") -> tuple[float, float]:
        low, high = self.ci(se_type)
        return math.expm1(low), math.expm1(high)


def _fit_both(y: np.ndarray, exog: np.ndarray, ci_level: float):
    model = OLS(y, exog)
    ordinary = model.fit(use_t=True)
    hc3 = model.fit(cov_type="HC3", use_t=True)
    return ordinary, hc3


def _slope_fit(name: str, term: str, x: np.ndarray, y: np.ndarray, ci_level: float,
               cls: type[SlopeFit] = SlopeFit, **extra: object) -> SlopeFit:
    if len(x) < 3:
        raise ValueError(f"{name}: need at least 3 points to fit a line, got {len(x)}")
    if not 0 < ci_level < 1:
        raise ValueError(f"ci_level must be in (0, 1), got {ci_level}")
    exog = add_constant(x, has_constant="add")
    ordinary, hc3 = _fit_both(y, exog, ci_level)
    alpha = 1 - ci_level
    ci_o = ordinary.conf_int(alpha=alpha)[1]
    ci_h = hc3.conf_int(alpha=alpha)[1]
    leverage = ordinary.get_influence().hat_matrix_diag
    return cls(
        name=name, term=term, n=int(len(x)), df_resid=int(ordinary.df_resid), ci_level=ci_level,
        coef=float(ordinary.params[1]), intercept=float(ordinary.params[0]),
        r2=float(ordinary.rsquared),
        se_ordinary=float(ordinary.bse[1]), se_hc3=float(hc3.bse[1]),
        ci_ordinary=(float(ci_o[0]), float(ci_o[1])), ci_hc3=(float(ci_h[0]), float(ci_h[1])),
        t_ordinary=float(ordinary.tvalues[1]), t_hc3=float(hc3.tvalues[1]),
        p_ordinary=float(ordinary.pvalues[1]), p_hc3=float(hc3.pvalues[1]),
        max_leverage=float(np.max(leverage)),
        residuals=tuple(float(r) for r in ordinary.resid),
        **extra,
    )


def _prepare(years: Years, values: Numbers) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(pd.Series(years, dtype="Int64").to_numpy(dtype=float, na_value=np.nan))
    v = _as_float_array(values, "values")
    if len(x) != len(v):
        raise ValueError("years and values differ in length")
    if (v <= 0).any():
        raise ValueError("log-linear growth needs positive values")
    order = np.argsort(x, kind="stable")
    return x[order], v[order]


def loglinear_growth(years: Years, values: Numbers, ci_level: float = 0.95,
                     name: str = "") -> LogLinearGrowth:
    """OLS of ``log(value)`` on ``year``. The slope ``b`` is the continuous growth rate;
    ``exp(b) - 1`` the annual rate. Years are centred on their mean only implicitly (the
    intercept refers to year 0 and is not interpreted)."""
    x, v = _prepare(years, values)
    fit = _slope_fit(name, "year", x, np.log(v), ci_level, LogLinearGrowth,
                     start_year=int(x[0]), end_year=int(x[-1]))
    assert isinstance(fit, LogLinearGrowth)
    return fit


def rounding_bounds(years: Years, values: Numbers,
                    radius: float) -> tuple[float, float]:
    """The least and greatest least-squares growth ``exp(b) - 1`` over all true levels within
    ``radius`` of the printed ones.

    Exact, because the OLS slope is a weighted sum ``b = Σ w_i log v_i`` with
    ``w_i = (x_i - x̄) / Sxx`` and log is increasing: the slope is largest when every level with
    a positive weight is at its upper bound and every other at its lower bound.
    """
    x, v = _prepare(years, values)
    if radius < 0 or (v - radius <= 0).any():
        raise ValueError("radius must be non-negative and smaller than every value")
    w = (x - x.mean()) / ((x - x.mean()) ** 2).sum()
    high = np.where(w > 0, v + radius, v - radius)
    low = np.where(w > 0, v - radius, v + radius)
    return math.expm1(float(w @ np.log(low))), math.expm1(float(w @ np.log(high)))


def growth_table(frame: pd.DataFrame, columns: Sequence[str], ci_level: float = 0.95,
                 year_col: str = "year", names: dict[str, str] | None = None) -> pd.DataFrame:
    """Endpoint CAGR and least-squares growth (ordinary and HC3) for each column.

    Tidy: one row per series, method and standard-error type, in the order of ``columns``.
    Rates are fractions (0.15 = 15 %). CAGR has no interval: it is a ratio of two numbers.
    """
    rows: list[dict[str, object]] = []
    for col in columns:
        sub = frame[[year_col, col]].dropna()
        label = (names or {}).get(col, col)
        c = endpoint_cagr(sub[year_col], sub[col], label)
        rows.append({"series": label, "method": "cagr", "se_type": "", "n": len(sub),
                     "df_resid": np.nan, "start_year": c.start_year, "end_year": c.end_year,
                     "log_slope": math.log1p(c.rate), "se": np.nan, "t": np.nan,
                     "p_value": np.nan, "rate": c.rate, "ci_low": np.nan, "ci_high": np.nan,
                     "r2": np.nan, "max_leverage": np.nan})
        g = loglinear_growth(sub[year_col], sub[col], ci_level, label)
        for se_type in SE_TYPES:
            low, high = g.growth_ci(se_type)
            rows.append({
                "series": label, "method": "ols_log", "se_type": se_type, "n": g.n,
                "df_resid": g.df_resid, "start_year": g.start_year, "end_year": g.end_year,
                "log_slope": g.coef, "se": g.se(se_type),
                "t": g.t_ordinary if se_type == "ordinary" else g.t_hc3,
                "p_value": g.p_ordinary if se_type == "ordinary" else g.p_hc3,
                "rate": g.growth, "ci_low": low, "ci_high": high, "r2": g.r2,
                "max_leverage": g.max_leverage,
            })
    out = pd.DataFrame(rows)
    out["df_resid"] = out["df_resid"].astype("Int64")
    return out.reset_index(drop=True)


def pandemic_model(years: Years, values: Numbers, ci_level: float = 0.95,
                   dummy_year: int = 2020, name: str = "") -> pd.DataFrame:
    """OLS of ``log(value)`` on ``year`` and an indicator for ``dummy_year``.

    The indicator takes the pandemic year out of the trend (its residual becomes zero), so the
    trend is fitted on the other years; with six points that leaves 3 residual degrees of
    freedom and wide intervals. ``effect`` = ``exp(coef) - 1`` is the pandemic year's level
    relative to the trend. One row per term and standard-error type; the HC3 rows are empty
    (undefined) because the indicator's year has leverage 1.
    """
    x, v = _prepare(years, values)
    if dummy_year not in set(x.astype(int)):
        raise ValueError(f"{dummy_year} is not among the years")
    dummy = (x == dummy_year).astype(float)
    exog = add_constant(np.column_stack([x, dummy]), has_constant="add")
    if len(x) < 4:
        raise ValueError("the pandemic model needs at least 4 points")
    ordinary, hc3 = _fit_both(np.log(v), exog, ci_level)
    alpha = 1 - ci_level
    # The indicator fits its year exactly: that year's leverage is 1 and its residual 0, so
    # HC3's e²/(1-h)² is 0/0. statsmodels returns a number built from rounding noise; we
    # report HC3 as undefined instead.
    hc3_defined = bool(np.max(ordinary.get_influence().hat_matrix_diag) < 1 - 1e-8)
    rows = []
    fits = (("ordinary", ordinary), ("HC3", hc3))
    for idx, term in ((1, "trend"), (2, f"indicator_{dummy_year}")):
        for se_type, res in fits:
            ci = res.conf_int(alpha=alpha)
            if se_type == "HC3" and not hc3_defined:
                rows.append({"series": name, "term": term, "se_type": se_type, "n": len(x),
                             "df_resid": int(res.df_resid), "coef": float(res.params[idx]),
                             "se": np.nan, "ci_low": np.nan, "ci_high": np.nan, "t": np.nan,
                             "p_value": np.nan, "effect": math.expm1(res.params[idx]),
                             "effect_ci_low": np.nan, "effect_ci_high": np.nan})
                continue
            rows.append({
                "series": name, "term": term, "se_type": se_type, "n": len(x),
                "df_resid": int(res.df_resid), "coef": float(res.params[idx]),
                "se": float(res.bse[idx]), "ci_low": float(ci[idx][0]),
                "ci_high": float(ci[idx][1]), "t": float(res.tvalues[idx]),
                "p_value": float(res.pvalues[idx]), "effect": math.expm1(res.params[idx]),
                "effect_ci_low": math.expm1(ci[idx][0]), "effect_ci_high": math.expm1(ci[idx][1]),
            })
    return pd.DataFrame(rows)


def _years_from_slope(log_ratio: float, slope: float) -> float:
    """Years to grow by ``exp(log_ratio)`` at continuous rate ``slope``; inf if never."""
    if log_ratio <= 0:
        return 0.0
    if slope <= 0:
        return math.inf
    return log_ratio / slope


def years_to_target(fit: LogLinearGrowth, base_value: float, target: float,
                    se_type: str = "ordinary", n_sim: int = 200_000, seed: int = DEFAULT_SEED,
                    cagr_rate: float | None = None) -> pd.DataFrame:
    """Years from ``base_value`` (in the fit's last year) to ``target`` at the fitted growth.

    ``years = log(target / base) / b`` for slope ``b``. Intervals, one row each:

    * ``slope_ci``: the slope's t-interval transformed (monotone in ``b``), so the upper end
      is infinite when the interval reaches ``b <= 0``;
    * ``delta``: ``years ± t * |log ratio| / b² * se(b)``, symmetric, can be misleading
      because years is very non-linear in ``b`` when ``b`` is small;
    * ``simulation``: ``b`` drawn from its t-distribution (``df_resid``) with a fixed seed;
      the percentile interval; draws with ``b <= 0`` count as "never" (infinite).

    The base is held fixed (the observed last value); its own rounding is ignored.
    ``cagr_rate`` adds a row for the endpoint-growth projection (no interval).
    """
    if base_value <= 0 or target <= 0:
        raise ValueError("base and target must be positive")
    base_year = fit.end_year
    log_ratio = math.log(target / base_value)
    b = fit.coef
    se = fit.se(se_type)
    low_b, high_b = fit.ci(se_type)
    tcrit = float(stats.t.ppf(0.5 + fit.ci_level / 2, fit.df_resid))
    point = _years_from_slope(log_ratio, b)
    rows = []
    if cagr_rate is not None:
        rows.append(("cagr", _years_from_slope(log_ratio, math.log1p(cagr_rate)),
                     np.nan, np.nan, np.nan))
    rows.append(("slope_ci", point, _years_from_slope(log_ratio, high_b),
                 _years_from_slope(log_ratio, low_b), np.nan))
    if b > 0:
        se_years = abs(log_ratio) / b**2 * se
        rows.append(("delta", point, max(point - tcrit * se_years, 0.0), point + tcrit * se_years,
                     np.nan))
    else:
        rows.append(("delta", point, np.nan, np.nan, np.nan))
    rng = np.random.default_rng(seed)
    draws = b + se * rng.standard_t(fit.df_resid, size=n_sim)
    with np.errstate(divide="ignore"):
        yrs = np.where(draws > 0, log_ratio / np.where(draws > 0, draws, 1.0), np.inf)
    q_low, q_high = np.quantile(yrs, [0.5 - fit.ci_level / 2, 0.5 + fit.ci_level / 2],
                                method="inverted_cdf")
    rows.append(("simulation", float(np.median(yrs)), float(q_low), float(q_high),
                 float(np.mean(draws <= 0))))
    out = pd.DataFrame(rows, columns=["method", "years", "years_low", "years_high",
                                      "share_never"])
    out.insert(0, "se_type", se_type)
    out.insert(0, "series", fit.name)
    out["ci_level"] = fit.ci_level
    out["base_year"] = base_year
    out["base_value"] = base_value
    out["target"] = target
    for col in ("years", "years_low", "years_high"):
        out[f"{col.replace('years', 'year')}_reached"] = base_year + out[col]
    return out


@dataclass(frozen=True)
class CorrelationResult:
    """Pearson correlation with a Fisher-z interval (``atanh(r) ± z * 1/sqrt(n-3)``)."""

    x: str
    y: str
    n: int
    r: float
    ci_level: float
    ci_low: float
    ci_high: float
    t: float
    p_value: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(self)])


def correlation(x: Numbers, y: Numbers, ci_level: float = 0.95,
                x_name: str = "x", y_name: str = "y") -> CorrelationResult:
    """Pearson r; interval from Fisher's z with standard error ``1/sqrt(n-3)``.

    The Fisher interval assumes bivariate normal, independent pairs; two trending annual
    series are neither, so the interval is optimistic. With n = 6, se(z) = 0.577.
    """
    xa = _as_float_array(x, "x")
    ya = _as_float_array(y, "y")
    n = len(xa)
    if n != len(ya):
        raise ValueError("x and y differ in length")
    if n < 4:
        raise ValueError("a Fisher-z interval needs at least 4 pairs")
    r = float(np.corrcoef(xa, ya)[0, 1])
    zcrit = float(stats.norm.ppf(0.5 + ci_level / 2))
    z = math.atanh(max(min(r, 1 - 1e-15), -1 + 1e-15))
    se = 1 / math.sqrt(n - 3)
    t_stat = r * math.sqrt((n - 2) / max(1 - r * r, 1e-300))
    p = float(2 * stats.t.sf(abs(t_stat), n - 2))
    return CorrelationResult(x_name, y_name, n, r, ci_level, math.tanh(z - zcrit * se),
                             math.tanh(z + zcrit * se), t_stat, p)


def log_log_ols(x: Numbers, y: Numbers, ci_level: float = 0.95,
                name: str = "") -> SlopeFit:
    """OLS of ``log(y)`` on ``log(x)``: the slope is the elasticity of y with respect to x.

    With two trending series this mostly measures that both grow; it is not a causal effect.
    """
    xa = _as_float_array(x, "x")
    ya = _as_float_array(y, "y")
    if (xa <= 0).any() or (ya <= 0).any():
        raise ValueError("log-log OLS needs positive values")
    return _slope_fit(name, "log_x", np.log(xa), np.log(ya), ci_level)


def slope_frame(fit: SlopeFit) -> pd.DataFrame:
    """A fitted slope as a tidy frame: one row per standard-error type."""
    rows = []
    for se_type in SE_TYPES:
        low, high = fit.ci(se_type)
        rows.append({"name": fit.name, "term": fit.term, "se_type": se_type, "n": fit.n,
                     "df_resid": fit.df_resid, "coef": fit.coef, "se": fit.se(se_type),
                     "ci_low": low, "ci_high": high,
                     "t": fit.t_ordinary if se_type == "ordinary" else fit.t_hc3,
                     "p_value": fit.p_ordinary if se_type == "ordinary" else fit.p_hc3,
                     "r2": fit.r2, "max_leverage": fit.max_leverage})
    return pd.DataFrame(rows)


def leverages(years: Years) -> pd.DataFrame:
    """Leverage ``h_ii`` of each year in a straight-line fit on year, and the factor
    ``1/(1-h)²`` by which HC3 inflates that year's squared residual."""
    x = np.asarray(years, dtype=float)
    h = 1 / len(x) + (x - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum()
    return pd.DataFrame({"year": np.asarray(years, dtype=int), "leverage": h,
                         "hc3_factor": 1 / (1 - h) ** 2})
