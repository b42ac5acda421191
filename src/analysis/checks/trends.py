"""Verbal trend claims against the series they describe (``trend.series``).

Why: the text says trade "grows every year", investment "kept growing despite the
pandemic", 2023 was "a record", Kazakhstan "usually has the surplus". These are claims
about a series, and a series the source prints (Кесте 6, 7, 8) or the official record
gives (BNS 312101, WITS) can deny them. ``text_trends.csv`` transcribes each claim with
its direction, its window of years (empty: every year the series covers) and the series
it describes; each series is judged apart (one row per claim and series), never merged.

A step between two years is judged over the rounding of both values, under each rounding
rule (:mod:`analysis.methods.rounding`): the stated direction holds at every value
(*reproduced*), only at some (*within rounding*), or at none (*contradicted*). The
directions:

* ``up`` / ``down``: the last year of the window against the first;
* ``every_year_up``: every year of the window against the year before it;
* ``record``: the window's last year above every earlier year of the window;
* ``surplus_usually``: exports above imports in more than half of the years.

A window the series covers only in part (steps missing) can at most be *not decisive*; a
series with no step in the window gives no row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from analysis.checks.context import Builder, Context
from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    REPRODUCED,
    STATUSES,
    WITHIN,
    Row,
    status_suffix,
)
from analysis.checks.phrases import Phrase, items, num, printed, say
from analysis.data import official_trade as trade
from analysis.methods import rounding
from analysis.methods.rounding import RULES, ByRule, Interval, by_rule

#: The tables a claim may describe (their ``source`` in the ledger).
TABLES = ("K6", "K7", "K8")
#: Levels of the official trade series, by the ledger's key.
OFFICIAL_FLOWS = {"kz_tr_trade_total": trade.TURNOVER, "kz_exports_to_tr": trade.EXPORT,
                  "kz_imports_from_tr": trade.IMPORT}
#: For a claim about the balance: the key of the other side.
BALANCE = {"kz_exports_to_tr": "kz_imports_from_tr"}
#: The possible outcome of one step, best first.
DEFINITE, POSSIBLE, IMPOSSIBLE = "definite", "possible", "impossible"


@dataclass(frozen=True)
class Point:
    """One year of a series: its value's interval under each rule, as shown, and where."""

    year: int
    intervals: ByRule
    shown: Phrase
    line: int | None = None


Series = dict[int, Point]


def table_series(ctx: Context, source: str, key: str) -> Series:
    """A table's figures of ``key`` by year (the first figure of each year)."""
    out: Series = {}
    for f in sorted(ctx.table_index.by_key.get(key, []), key=lambda f: f.ref):
        if f.source == source and f.year is not None and f.year not in out:
            out[f.year] = Point(f.year, f.intervals(), printed(f.printed), f.line)
    return out


def official_series(frame: pd.DataFrame | None, code: str, key: str) -> Series:
    """An official trade series (exact to the dollar) of ``key`` by year, in USD million."""
    flow = OFFICIAL_FLOWS.get(key)
    if frame is None or flow is None:
        return {}
    long = trade.long(frame[frame["series"] == code])
    out: Series = {}
    for r in long[long["flow"] == flow].to_dict("records"):
        v = rounding.frac(float(r["value_usd"])) / 10**6
        shown = num(Fraction(round(v * 10), 10), 1)
        out[int(r["year"])] = Point(int(r["year"]), {rule: Interval(v, v) for rule in RULES},
                                    shown)
    return out


#: A rise: every difference above 0.
RISING = Interval(Fraction(0), None, False, False)


def step(later: Point, earlier: Point) -> str:
    """Does ``later`` exceed ``earlier``: at every value their rounding allows (definite),
    at some (possible), or at none (impossible)?"""
    d = by_rule(lambda rule: later.intervals[rule] - earlier.intervals[rule])
    if all(iv.within(RISING) for iv in d.values()):
        return DEFINITE
    return POSSIBLE if any(iv.meets(RISING) for iv in d.values()) else IMPOSSIBLE


def _status(outcomes: Iterable[str], missing: bool) -> str:
    found = list(outcomes)
    if IMPOSSIBLE in found:
        return CONTRADICTED
    if missing:
        return NOT_DECISIVE
    return WITHIN if POSSIBLE in found else REPRODUCED


@dataclass(frozen=True)
class Step:
    later: Point
    earlier: Point
    outcome: str

    def phrase(self) -> Phrase:
        return say(f"frag.trend_step.{self.outcome}", a=self.earlier.year, b=self.later.year,
                   va=self.earlier.shown, vb=self.later.shown)


def _window(claim: dict[str, object], series: Series) -> list[int]:
    years = sorted(series)
    lo = claim.get("year_from")
    hi = claim.get("year_to")
    first = years[0] if lo is None or pd.isna(lo) else int(lo)  # type: ignore[call-overload]
    last = years[-1] if hi is None or pd.isna(hi) else int(hi)  # type: ignore[call-overload]
    return list(range(first, last + 1))


def _steps(pairs: Iterable[tuple[int, int]], series: Series, falling: bool = False
           ) -> tuple[list[Step], bool]:
    """Each (earlier, later) pair the series covers, judged; whether any is missing."""
    out, missing = [], False
    for a, b in pairs:
        if a not in series or b not in series:
            missing = True
            continue
        lo, hi = (series[b], series[a]) if falling else (series[a], series[b])
        outcome = step(hi, lo)
        out.append(Step(series[b], series[a], outcome))
    return out, missing


def _directed(direction: str, window: list[int], series: Series
              ) -> tuple[list[Step], bool]:
    if direction in ("up", "down"):
        return _steps([(window[0], window[-1])], series, falling=direction == "down")
    if direction == "every_year_up":
        return _steps(zip(window, window[1:], strict=False), series)
    last = window[-1]  # record: the last year above every earlier year of the window
    return _steps([(y, last) for y in window[:-1] if y in series], series) \
        if last in series else ([], True)


Judge = Callable[[dict[str, object], Series, Series], tuple[str, list[Phrase], bool]]


def _judge_direction(claim: dict[str, object], series: Series, _other: Series
                     ) -> tuple[str, list[Phrase], bool]:
    window = _window(claim, series)
    steps, missing = _directed(str(claim["direction"]), window, series)
    return _status((s.outcome for s in steps), missing), [s.phrase() for s in steps], \
        bool(steps)


def _judge_surplus(claim: dict[str, object], exports: Series, imports: Series
                   ) -> tuple[str, list[Phrase], bool]:
    """Exports above imports in more than half of the years both cover."""
    years = [y for y in _window(claim, exports) if y in exports and y in imports]
    outcomes = {y: step(exports[y], imports[y]) for y in years}
    definite = sum(o == DEFINITE for o in outcomes.values())
    possible = sum(o == POSSIBLE for o in outcomes.values())
    half = Fraction(len(years), 2)
    status = REPRODUCED if definite > half else WITHIN if definite + possible > half \
        else CONTRADICTED
    shown = [say(f"frag.balance.{outcomes[y]}", year=y, ex=exports[y].shown,
                 im=imports[y].shown) for y in years]
    return status, shown, bool(years)


def trend_row(claim: dict[str, object], name: Phrase | str, exhibit: str, series: Series,
              other: Series, ref: str) -> Row | None:
    """The row of one claim against one series (``None``: the series has no year of its
    window)."""
    direction = str(claim["direction"])
    judge: Judge = _judge_surplus if direction == "surplus_usually" else _judge_direction
    status, shown, any_step = judge(claim, series, other)
    if not any_step:
        return None
    assert status in STATUSES
    line = int(claim["source_line"])  # type: ignore[call-overload]
    lines = (line, *sorted({p.line for s in (series, other) for p in s.values()
                            if p.line is not None}))
    quote = f"«{claim['quote_kk']}»"
    fields = {"quote": quote, "line": line, "series": name,
              "direction": say(f"frag.trend.{direction}"),
              "steps": items(shown, "; "),
              "window": _window_phrase(claim)}
    return Row(f"{claim['trend_id']}.trend.{ref}", "trend.series",
               "text" if exhibit == "text" else f"text; {exhibit}", lines,
               str(claim["quote_kk"]), status,
               say(f"diag.trend.{status_suffix(status)}", **fields),
               say("in.trend", series=name, label={"kk": str(claim["label_kk"]),
                                                    "en": str(claim["label_en"])}),
               say("re.value", value=items(shown, "; ")), say("tol.trend"))


def _window_phrase(claim: dict[str, object]) -> Phrase:
    lo, hi = claim.get("year_from"), claim.get("year_to")
    has_lo = lo is not None and not pd.isna(lo)  # type: ignore[call-overload]
    has_hi = hi is not None and not pd.isna(hi)  # type: ignore[call-overload]
    if not has_lo and not has_hi:
        return say("frag.trend_window.all")
    if not has_lo:
        return say("frag.trend_window.to", last=int(hi))  # type: ignore[call-overload]
    return say("frag.trend_window.span", first=int(lo),  # type: ignore[call-overload]
               last=int(hi))  # type: ignore[call-overload]


def _claims(ctx: Context) -> list[dict[str, object]]:
    if ctx.trends is None or ctx.trends.empty:
        return []
    return [{str(k): v for k, v in r.items()} for r in ctx.trends.to_dict("records")]


def _refs(claim: dict[str, object]) -> list[str]:
    return str(claim["series"]).split(";")


def table_trends(ctx: Context, b: Builder) -> None:
    """Each trend claim against each table it describes."""
    for claim in _claims(ctx):
        key = str(claim["quantity_key"])
        for source in (r for r in _refs(claim) if r in TABLES):
            series = table_series(ctx, source, key)
            other = table_series(ctx, source, BALANCE[key]) if key in BALANCE else {}
            if not series:
                continue
            exhibit = next(f.exhibit for f in ctx.tables if f.source == source)
            b.extend([r for r in (trend_row(claim, exhibit, exhibit, series, other,
                                            source.lower()),) if r is not None])


def official_trends(ctx: Context, trade_frame: pd.DataFrame | None) -> list[Row]:
    """Each trend claim against each official trade series it describes (kept apart:
    BNS and WITS are two compilations, never spliced)."""
    out = []
    for claim in _claims(ctx):
        key = str(claim["quantity_key"])
        for code in (r for r in _refs(claim) if r in trade.TRADE_SERIES):
            series = official_series(trade_frame, code, key)
            other = official_series(trade_frame, code, BALANCE[key]) if key in BALANCE \
                else {}
            if not series:
                continue
            row = trend_row(claim, say(f"series.{code}"), "text", series, other,
                            code.split("-")[0].lower())
            if row is not None:
                out.append(row)
    return out
