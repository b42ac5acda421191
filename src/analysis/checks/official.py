"""External verdicts: each printed number for which an official series exists, judged
against it.

Why: the ledger's internal checks say whether the dissertation agrees with itself; these say
whether it agrees with the statistical record in ``data/external/``. Every verdict carries
the external value, its source, its vintage and the tolerance used:

* ``agrees`` – the printed number (with its own rounding and qualifier, as the ledger
  reads it: :meth:`analysis.checks.figures.Figure.interval`) shares a value with the
  official value's interval under one rounding rule (:func:`analysis.methods.rounding.verdict`,
  the same rule for both numbers, as in every internal check);
* ``differs by definition`` – it does not, but it fits the same quantity under another
  definition (PPP instead of the US dollars the text names, members and observers instead
  of members, the other country's statistics for the same trade);
* ``not decisive`` – it shares a value with the official one only because one of the two
  is a bound on one side ("more than 4 100"), so the comparison could hardly fail; or the
  official rate runs across a documented break of its own series, so it measures the
  change of compilation as well as the trade (:mod:`analysis.checks.series_breaks`);
* ``disagrees`` – it fits neither.

Trade (``external.trade``): every trade number of Кесте 6, Кесте 7 and the text is set
against Kazakhstan's official statistical series (``data/external/kz_tr_trade.csv``):
BNS table 312101 where it covers the year, else UN Comtrade via WITS (the row names the
series and its edition). The series are given to the dollar, so the printed number's own
rounding is the only tolerance. A growth rate or a share uses one series for both of its
years (the first that covers both), never one series for one year and the other for the
next; where the reference is WITS in a year BNS covers, or BNS in a year WITS also covers,
the row says how far the two compilations differ (the 2020–2022 break, shown, not spliced).
A rate of one series whose two years lie on different sides of that series' documented
break (:data:`analysis.data.official_trade.BREAKS`: WITS understates 2020–2022) is shown
with the break named and is not decisive, whatever it gives.
A figure for part of a year (a quarter) can only be at most the year's value: plausible or
contradicted. The officials' quoted figures stay as corroboration, in the row's note: each
quote of that flow and year, and whether it is a rounding of the reference series.

Tolerances (stated in every row, justified here):

* officials' figures carry their own rounding: "about 6 billion" stands for 5.5–6.5 billion,
  "about 6.3 billion" for 6.25–6.35 billion (half a unit of the last stated digit; the
  snapshot gives values in USD million, so the last non-zero digit is read as the last
  stated one, the widest reading and so the one least likely to produce a false
  disagreement); the ends are open or closed as :func:`analysis.methods.rounding.rounding_interval`
  makes them under each rule, so "about 4.7 billion" and a printed "4,8 миллиард" touch
  at 4.75 billion but share no value; "more than" is an open lower bound;
* WDI and Energy Institute levels: ±:data:`LEVEL_TOLERANCE` of the value, because published
  levels are revised from vintage to vintage (:func:`tolerance_note` computes the largest
  revision of the OTS members' GDP total between the two vintages in ``data/external/``)
  and the dissertation used an older vintage than either;
* WDI rates (growth, unemployment): ±:data:`RATE_TOLERANCE_PP` percentage points, a
  convention: growth rates are revised and unemployment rates differ between national and
  ILO-modelled definitions by tenths of a point.

An undated printed number is compared with every year of :data:`UNDATED_YEARS` that the
series covers and agrees if one year fits (the row names it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from analysis.analyses import official as ext
from analysis.checks.arith import period_years
from analysis.checks.core import CHECK_IDS as LEDGER_CHECK_IDS
from analysis.checks.core import kind_of
from analysis.checks.declarations import OIL_EXPORT_FLOWS
from analysis.checks.figures import Figure
from analysis.checks.phrases import Phrase, items, num, say, unit, with_notes
from analysis.checks.series_breaks import Breaks, crossed
from analysis.data import official as data
from analysis.data import official_trade as trade
from analysis.data.official_trade import SeriesBreak
from analysis.methods import rounding
from analysis.methods.rounding import ByRule, Interval, by_rule

AGREES, DISAGREES, DEFINITION = "agrees", "disagrees", "differs by definition"
#: The printed number meets the official value only because one of them is a bound on one
#: side ("more than 4 100"): the comparison decides nothing (counted apart, never "agrees").
UNDECIDED = "not decisive"
VERDICTS: tuple[str, ...] = (AGREES, UNDECIDED, DEFINITION, DISAGREES)
EXTERNAL_COLUMNS: tuple[str, ...] = ("external_verdict", "external_value", "external_source",
                                     "external_vintage", "external_tolerance", "external_note")
#: The external check ids (registered with their kind and rule in
#: :data:`analysis.checks.core.CHECK_IDS`).
CHECK_IDS: tuple[str, ...] = tuple(c for c in LEDGER_CHECK_IDS if kind_of(c) == "external")
#: The other definitions a printed number may fit, by key: Turkish-side statistics for the
#: same trade (mirror), GDP at PPP of the members, current US$ of members and observers,
#: PPP of members and observers, the population with the observers, the compound average
#: rate instead of the mean of annual rates. Each is said in words by the labels
#: ``checks.def.<key>`` (what it is) and ``checks.note.def.<key>`` (the printed number
#: fits it).
DEFINITIONS: tuple[str, ...] = ("mirror", "ppp_members", "nominal_observers", "ppp_observers",
                                "population_observers", "compound")
LEVEL_TOLERANCE = Fraction(5, 100)
RATE_TOLERANCE_PP = Fraction(1, 2)
#: The years an undated number may refer to: the dissertation's tables cover 2018–2023 and
#: its text reaches 2024.
UNDATED_YEARS = (2018, 2024)


@dataclass(frozen=True)
class Reference:
    """One external value a printed number is judged against (in the claim's base unit):
    its point value and, under each rounding rule, the interval of values it allows (a
    tolerance band is the same closed interval under both rules)."""

    value: Fraction
    intervals: ByRule
    label: Phrase             # what the value is (``ref.*``)
    source: Phrase            # who publishes it (``src.*``)
    vintage: Phrase           # which vintage or statement date (``vintage.*``)
    tolerance: Phrase         # the band allowed around it (``tol.ext_*``)
    definition: str = ""      # "": the quantity the text names; else a key of DEFINITIONS
    year: int | None = None
    bounded: bool = False     # the value is only a bound on one side ("more than 4 100")
    at_most: bool = False     # the printed number must only not exceed it (a quarter ≤ year)
    series: str = ""          # the trade series it comes from (BNS-312101, WITS-TradeStats)
    years: tuple[int, ...] = ()  # the years of the series it uses (two for a growth rate)
    #: the documented break of ``series`` its years lie across (a rate across it decides
    #: nothing: :mod:`analysis.checks.series_breaks`)
    crosses: SeriesBreak | None = None

    @property
    def interval(self) -> Interval:
        """The half-up interval (the one the ledger shows)."""
        return self.intervals["half_up"]


def band(lo: Fraction, hi: Fraction) -> ByRule:
    """A closed tolerance band ``[lo, hi]``, the same under both rounding rules."""
    return by_rule(lambda _rule: Interval(lo, hi))


#: A sentence added to a verdict (a phrase: :mod:`analysis.checks.phrases`).
Note = Phrase


@dataclass(frozen=True)
class Verdict:
    """The verdict on one figure: the reference chosen, the others, and notes."""

    figure: Figure
    check_id: str
    verdict: str
    status: str
    reference: Reference
    others: tuple[Reference, ...] = ()
    notes: tuple[Note, ...] = ()
    rule_note: Note | None = None   # "only under half-up rounding" when one rule fits


@dataclass
class Context:
    """The external data a verdict needs, loaded once."""

    wdi: pd.DataFrame
    gdp: pd.DataFrame                 # the GDP vintage used for OTS GDP (current or earlier)
    official: pd.DataFrame
    ei: pd.DataFrame
    sources: dict[str, dict[str, str]]
    level: Fraction = LEVEL_TOLERANCE
    rate: Fraction = RATE_TOLERANCE_PP
    notes: dict[str, str] = field(default_factory=dict)
    #: Kazakhstan's official trade series (``kz_tr_trade``), as loaded; None: not used.
    trade: pd.DataFrame | None = None
    #: The step each table's trade cells are printed at (Кесте 6: every cell a multiple of
    #: 100), for the one-year-shift hypothesis (:mod:`analysis.checks.official_notes`).
    table_steps: dict[str, Fraction] = field(default_factory=dict)
    #: The officials' quotes set against the series (made once, on first use).
    quotes_checked: pd.DataFrame | None = None
    #: Each trade series' documented breaks (:data:`analysis.data.official_trade.BREAKS`;
    #: a test declares its own).
    breaks: Breaks = field(default_factory=lambda: dict(trade.BREAKS))
    #: References already made, by rule, quantity, base unit, period, printed and asked year: the
    #: makers read only those fields of a figure, and a ledger asks for the same
    #: references once per telling of a number (linear in the claims, not in their copies).
    made: dict[tuple[object, ...], list[Reference]] = field(default_factory=dict, repr=False)
    #: The WDI vintage of the OTS nominal GDP (``load``'s argument).
    vintage: str = "current"
    #: Loaded from the shipped ``data/external/`` by :meth:`load` (a test's crafted context
    #: is not).
    shipped: bool = False

    def is_default(self) -> bool:
        """Whether this is the context the ledger is built with (``load()`` with its
        defaults): the shipped data, the current vintage, the default tolerances."""
        return (self.shipped and self.vintage == "current" and self.level == LEVEL_TOLERANCE
                and self.rate == RATE_TOLERANCE_PP and self.breaks == dict(trade.BREAKS))

    def references(self, rule: Rule, fig: Figure, year: int | None) -> list[Reference]:
        key = (rule.check_id, rule.make, fig.key, fig.base, fig.period, fig.year, year)
        if key not in self.made:
            self.made[key] = rule.make(fig, self, year)  # type: ignore[arg-type]
        return self.made[key]

    @classmethod
    def load(cls, vintage: str = "current", level: float | Fraction | None = None,
             rate: float | Fraction | None = None) -> Context:
        """From ``data/external/``; ``vintage`` ``earlier`` judges OTS nominal GDP by the
        earlier WDI vintage (PPP GDP and everything else stay on the current one)."""
        names = ("wdi", "wdi_gdp_earlier", "energy_institute", "kz_tr_official", "kz_tr_trade")
        sources = {n: data.source_of(n) for n in names}
        wdi = ext.with_ppp(data.load("wdi"))
        gdp_name = "wdi_gdp_earlier" if vintage == "earlier" else "wdi"
        return cls(wdi=wdi, gdp=data.load(gdp_name), official=data.load("kz_tr_official"),
                   ei=data.load("energy_institute"), sources=sources | {"gdp": sources[gdp_name]},
                   level=LEVEL_TOLERANCE if level is None else Fraction(str(level)),
                   rate=RATE_TOLERANCE_PP if rate is None else Fraction(str(rate)),
                   trade=data.load("kz_tr_trade"), vintage=vintage, shipped=True)


def _frac(x: float | Decimal | Fraction) -> Fraction:
    return Fraction(Decimal(repr(x))) if isinstance(x, float) else Fraction(x)


def level_text(ctx: Context) -> Phrase:
    """±5 % of the value: levels are revised between vintages."""
    return say("tol.ext_level", pct=num(ctx.level * 100))


def rate_text(ctx: Context) -> Phrase:
    """±0.5 percentage points: a convention for revised or redefined rates."""
    return say("tol.ext_rate", pp=num(ctx.rate))


def cited(src: dict[str, str]) -> Phrase:
    """A published source by its own title and publisher (cited as they name it)."""
    return say("src.cited", title=str(src["title"]), publisher=str(src["publisher"]))


_EDITION = re.compile(r"^(\d{4}) edition \(proved reserves to end-(\d{4})\)$")
_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}$")


def vintage_of(stated: str) -> Phrase:
    """A vintage as the snapshot's metadata (or an official's statement date) gives it:
    a date, an edition of the Statistical Review, or nothing (an undated statement); any
    other wording is shown as stated."""
    if not stated:
        return say("vintage.undated")
    if _DATE.match(stated):
        return say("vintage.date", date=stated)
    edition = _EDITION.match(stated)
    if edition:
        return say("vintage.edition", edition=int(edition.group(1)),
                   reserves_end=int(edition.group(2)))
    return say("vintage.stated", text=stated)


# ---------------------------------------------------------------------------------------
# References from the officials' figures
# ---------------------------------------------------------------------------------------


def stated_half_unit(value: Fraction) -> Fraction:
    """Half a unit of the last non-zero digit: 6300 → 50, 6000 → 500, 535 → 0.5."""
    if value == 0:
        return Fraction(1, 2)
    d = Decimal(value.numerator) / Decimal(value.denominator)
    exponent = int(d.normalize().as_tuple().exponent)
    return Fraction(5) * Fraction(10) ** (exponent - 1)


def reported_reference(row: dict[str, object], ctx: Context, definition: str = "",
                       lower_bound: bool = False) -> Reference:
    """An officials' figure as an interval in USD under each rounding rule (see the
    module docstring): "more than" keeps the open lower end, a lower bound (a Jan–Sep
    inflow for the full year) the lower end as the rule makes it."""
    musd = _frac(float(row["value"]))  # type: ignore[arg-type]
    h = stated_half_unit(musd)
    v = musd * 10**6
    qualifier = ("more_than" if row["qualifier"] == "more_than"
                 else "at_least" if lower_bound else "exact")
    intervals = by_rule(lambda rule: rounding.qualified(
        rounding.rounding_interval(musd, 2 * h, rule), musd, qualifier).scale(10**6))
    bounded = qualifier != "exact"
    months = None if int(row["months"]) == 12 else say("frag.jan_sep")  # type: ignore[call-overload]
    basis = say("frag.year_inferred") if row["year_basis"] == "inferred" else None
    label = say("ref.reported", id=str(row["figure_id"]), side=str(row["side"]),
                reporter=say(f"reporter.{row['reporter']}"), span=_span(row), months=months,
                basis=basis, value=say(f"qual.{_qualifier(row)}", n=say(
                    "frag.amount", value=num(musd), unit=unit("USD million"))))
    tol = with_notes(say("tol.ext_reported", h=num(h), unit=unit("USD million")),
                     say("tol.note.more_than") if row["qualifier"] == "more_than" else None,
                     say("tol.note.jan_sep") if lower_bound else None)
    return Reference(v, intervals, label, say("src.kz_tr_official", url=str(row["source_url"])),
                     vintage_of(str(row["stated_on"] or "")), tol, definition,
                     int(row["year_to"]), bounded)  # type: ignore[call-overload]


def _qualifier(row: dict[str, object]) -> str:
    return str(row["qualifier"]) if row["qualifier"] in ("approx", "more_than") else "exact"


def _span(row: dict[str, object]) -> int | str:
    """The year of an official figure, or its span of years (``2007–2021``)."""
    if row["year_from"] == row["year_to"]:
        return int(row["year_to"])  # type: ignore[call-overload]
    return f"{row['year_from']}–{row['year_to']}"


def _official_rows(ctx: Context, quantity: str, year: int, side: str | None = None,
                   months: int = 12) -> list[dict[str, object]]:
    o = ctx.official
    rows = o[(o["quantity"] == quantity) & (o["year_to"] == year) & (o["months"] == months)
             & (o["year_from"] == o["year_to"])]
    if side is not None:
        rows = rows[rows["side"] == side]
    return [{str(k): v for k, v in r.items()} for r in rows.sort_values("figure_id").to_dict(
        "records")]


def fdi_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    q = "fdi_tr_to_kz_gross_inflow"
    refs = [reported_reference(r, ctx) for r in _official_rows(ctx, q, year, "KZ")]
    refs += [reported_reference(r, ctx, lower_bound=True)
             for r in _official_rows(ctx, q, year, "KZ", months=9)]
    return refs


def cumulative_refs(fig: Figure, ctx: Context, year: int | None) -> list[Reference]:
    """Undated cumulative claims only: a claim with its own period measures another span."""
    if fig.period or fig.year is not None:
        return []
    o = ctx.official
    rows = o[o["quantity"] == "fdi_tr_to_kz_cumulative"].to_dict("records")
    return [reported_reference({str(k): v for k, v in r.items()}, ctx) for r in rows]


def _wdi_value(ctx: Context, indicator: str, iso3: str, year: int,
               frame: pd.DataFrame | None = None) -> float | None:
    w = ctx.wdi if frame is None else frame
    hit = w[(w["indicator"] == indicator) & (w["iso3"] == iso3) & (w["year"] == year)]
    return None if hit.empty else float(hit.iloc[0]["value"])


def kz_trade_share_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    """Türkiye's share of Kazakhstan's foreign trade: the turnover of the reference trade
    series (BNS, else WITS) over Kazakhstan's merchandise exports + imports in WDI (a
    derived share)."""
    turnover = series_value(ctx, trade.TURNOVER, year)
    parts = [_wdi_value(ctx, c, "KAZ", year) for c in ("TX.VAL.MRCH.CD.WT", "TM.VAL.MRCH.CD.WT")]
    if turnover is None or None in parts:
        return []
    num_ = _frac(turnover.value_usd)
    total = _frac(sum(p for p in parts if p is not None))
    den = Interval(total * (1 - ctx.level), total * (1 + ctx.level))
    intervals = by_rule(lambda _rule: rounding.share(Interval.point(num_), den))
    src, vintage = _wdi_source(ctx)
    label = say("ref.kz_trade_share", num=series_label(turnover), year=year,
                total=num(total / 10**9, 1))
    return [Reference(num_ / total * 100, intervals, label,
                      items([series_source(turnover), src]),
                      items([series_edition(turnover), say("vintage.wdi", vintage=vintage)]),
                      say("tol.ext_derived_share", level=level_text(ctx)), "", year)]


# ---------------------------------------------------------------------------------------
# References from the official trade series (BNS 312101, else WITS)
# ---------------------------------------------------------------------------------------

#: Level keys of the ledger → the flow of the trade series.
SERIES_FLOWS: dict[str, str] = {"kz_tr_trade_total": trade.TURNOVER,
                                "kz_exports_to_tr": trade.EXPORT,
                                "kz_imports_from_tr": trade.IMPORT}
#: Growth keys → the flow whose growth they state.
SERIES_GROWTH: dict[str, str] = {"kz_tr_trade_growth_pct": trade.TURNOVER,
                                 "kz_exports_to_tr_growth_pct": trade.EXPORT,
                                 "kz_imports_from_tr_growth_pct": trade.IMPORT}
#: Share keys → (the part's flow, the whole's flow).
SERIES_SHARES: dict[str, tuple[str, str]] = {
    "kz_exports_share_of_kz_tr_trade": (trade.EXPORT, trade.TURNOVER)}


def series_value(ctx: Context, flow: str, year: int,
                 order: tuple[str, ...] = trade.REFERENCE_ORDER) -> trade.TradeValue | None:
    """The reference value of ``flow`` in ``year``: the first series of ``order`` (BNS,
    then WITS) that covers it."""
    if ctx.trade is None:
        return None
    return trade.reference(ctx.trade, flow, year, order)


def _one_series(ctx: Context, flow: str, years: tuple[int, ...]
                ) -> list[trade.TradeValue] | None:
    """The values of ``flow`` in every year of ``years`` from one series: the first of
    BNS, WITS that covers them all (never two series spliced)."""
    if ctx.trade is None:
        return None
    for code in trade.REFERENCE_ORDER:
        found = [trade.value(ctx.trade, code, flow, y) for y in years]
        if all(v is not None for v in found):
            return [v for v in found if v is not None]
    return None


def musd(value_usd: float | Fraction) -> Phrase:
    """A value in US dollars shown in USD million to one decimal (display only)."""
    return num(Fraction(round(_frac(value_usd) / 10**5), 10), 1)


def series_label(tv: trade.TradeValue) -> Phrase:
    """"BNS table 312101, turnover 2022: 6 348.1 USD million"."""
    return say("ref.series", series=say(f"series.{tv.series}"), flow=say(f"flow.{tv.flow}"),
               year=tv.year, value=musd(tv.value_usd), unit=unit("USD million"))


def series_source(tv: trade.TradeValue) -> Phrase:
    """The series by its title and publisher (``series.*`` and ``publisher.*`` labels)."""
    return say("src.series", series=say(f"series.{tv.series}"),
               publisher=say(f"publisher.{tv.series}"))


#: Editions the labels name in both languages (``checks.edition.<slug>``), by the slug of
#: the snapshot's wording.
KNOWN_EDITIONS: tuple[str, ...] = ("final_july_edition", "unknown")


def _slug(text: str) -> str:
    return re.sub(r"\W+", "_", text.strip().lower()).strip("_")


def series_edition(tv: trade.TradeValue) -> Phrase:
    """The edition as the snapshot states it: a known wording in words, else as stated."""
    editions = {_slug(e) for e in tv.edition.split(";")}
    if len(editions) == 1 and editions <= set(KNOWN_EDITIONS):
        return say(f"edition.{editions.pop()}")
    return say("vintage.stated", text=tv.edition)


def _point(value: Fraction) -> ByRule:
    return band(value, value)


def series_level_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    """A trade level of one year against the reference series; a figure for part of the
    year (a quarter) against the year's value as its upper bound."""
    tv = series_value(ctx, SERIES_FLOWS[fig.key], year)
    if tv is None:
        return []
    v = _frac(tv.value_usd)
    part = "Q" in fig.period
    intervals = band(Fraction(0), v) if part else _point(v)
    tol = say("tol.ext_series_part") if part else say("tol.ext_series")
    return [Reference(v, intervals, series_label(tv), series_source(tv), series_edition(tv),
                      tol, "", year, at_most=part, series=tv.series, years=(year,))]


def series_growth_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    """A growth rate, year − 1 to year, from one series that covers both years; a rate
    across a documented break of that series is kept, marked (``crosses``): its verdict
    is not decisive."""
    found = _one_series(ctx, SERIES_GROWTH[fig.key], (year - 1, year))
    if found is None:
        return []
    prev, cur = found
    point = (_frac(cur.value_usd) / _frac(prev.value_usd) - 1) * 100
    label = say("ref.series_growth", series=say(f"series.{cur.series}"),
                flow=say(f"flow.{cur.flow}"), prev_year=prev.year, year=cur.year,
                prev=musd(prev.value_usd), cur=musd(cur.value_usd), unit=unit("USD million"))
    return [Reference(point, _point(point), label, series_source(cur), series_edition(cur),
                      say("tol.ext_series_rate"), "", year, series=cur.series,
                      years=(prev.year, cur.year),
                      crosses=crossed(cur.series, (prev.year, cur.year), ctx.breaks))]


def series_share_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    """A share of one flow in another, both from one series for the year."""
    part_flow, whole_flow = SERIES_SHARES[fig.key]
    parts = _one_series(ctx, part_flow, (year,))
    if parts is None:
        return []
    whole = trade.value(ctx.trade, parts[0].series, whole_flow, year) \
        if ctx.trade is not None else None
    if whole is None:
        return []
    point = _frac(parts[0].value_usd) / _frac(whole.value_usd) * 100
    label = say("ref.ratio", num=series_label(parts[0]), den=series_label(whole))
    return [Reference(point, _point(point), label, series_source(whole),
                      series_edition(whole), say("tol.ext_series_rate"), "", year,
                      series=whole.series, years=(year,))]


# ---------------------------------------------------------------------------------------
# References from WDI and the Energy Institute
# ---------------------------------------------------------------------------------------


def _level(ctx: Context, value: float, label: Phrase, source: tuple[Phrase, Phrase],
           definition: str, year: int) -> Reference:
    v = _frac(value)
    return Reference(v, band(v * (1 - ctx.level), v * (1 + ctx.level)), label, source[0],
                     source[1], level_text(ctx), definition, year)


def _wdi_source(ctx: Context, name: str = "wdi") -> tuple[Phrase, Phrase]:
    src = ctx.sources[name]
    return cited(src), vintage_of(str(src["vintage"]))


def _group(group: str) -> Phrase:
    """The countries a total sums over: the members (or members and observers), by code."""
    codes = (*ext.MEMBERS, *(ext.OBSERVERS if group == "members_observers" else ()))
    return say(f"group.{group}", codes=" ".join(codes))


def _ots_total(ctx: Context, indicator: str, group: str, year: int,
               frame: pd.DataFrame | None = None) -> float | None:
    t = ext.total(ctx.wdi if frame is None else frame, indicator, group, [year])
    return float(t.iloc[0]["value"]) if len(t) and bool(t.iloc[0]["complete"]) else None


def ots_gdp_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    """Nominal GDP of the members (the text names US dollars) first; PPP and observers as
    other definitions."""
    refs = []
    for indicator, group, definition, name in (
            (ext.GDP, "members", "", "gdp"),
            (ext.GDP_PPP, "members", "ppp_members", "wdi"),
            (ext.GDP, "members_observers", "nominal_observers", "gdp"),
            (ext.GDP_PPP, "members_observers", "ppp_observers", "wdi")):
        frame = ctx.gdp if name == "gdp" and indicator == ext.GDP else None
        value = _ots_total(ctx, indicator, group, year, frame)
        if value is None:
            continue
        measure = "measure.gdp_nominal" if indicator == ext.GDP else "measure.gdp_ppp"
        label = say("ref.ots_total", measure=say(measure), year=year, group=_group(group))
        refs.append(_level(ctx, value, label, _wdi_source(ctx, name), definition, year))
    return refs


#: The EAEU members WDI gives here (Belarus and Armenia are not in the snapshot): their sum
#: is at most the EAEU's, so the OTS's GDP over it bounds the OTS share of the EAEU above.
EAEU_IN_SNAPSHOT: tuple[str, ...] = ("RUS", "KAZ", "KGZ")


def eaeu_share_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    """The OTS members' GDP as a percentage of the EAEU's: at most OTS / (RUS + KAZ + KGZ)
    (the EAEU is larger), on the larger of the two bases (current US$, PPP), with the
    levels' tolerance against the share (numerator up, denominator down): an upper
    bound, so a printed share above it is contradicted and one below is plausible."""
    bounds = []
    for indicator, measure in ((ext.GDP, "measure.gdp_nominal"),
                               (ext.GDP_PPP, "measure.gdp_ppp")):
        ots = _ots_total(ctx, indicator, "members", year)
        parts = [_wdi_value(ctx, indicator, iso3, year) for iso3 in EAEU_IN_SNAPSHOT]
        if ots is None or None in parts:
            continue
        den = _frac(sum(p for p in parts if p is not None))
        share = _frac(ots) * (1 + ctx.level) / (den * (1 - ctx.level)) * 100
        bounds.append((share, say("frag.eaeu_bound", measure=say(measure),
                                  share=num(Fraction(round(share * 10), 10), 1))))
    if not bounds:
        return []
    top = max(b for b, _ in bounds)
    src, vintage = _wdi_source(ctx)
    label = say("ref.eaeu_share", year=year, group=_group("members"),
                eaeu=" ".join(EAEU_IN_SNAPSHOT), bounds=items([p for _, p in bounds], "; "))
    return [Reference(top, band(Fraction(0), top), label, src, vintage,
                      say("tol.ext_eaeu_share", level=level_text(ctx)), "", year,
                      at_most=True)]


def ots_population_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    refs = []
    for group, definition in (("members", ""), ("members_observers", "population_observers")):
        value = _ots_total(ctx, ext.POP, group, year)
        if value is not None:
            label = say("ref.ots_total", measure=say("measure.population"), year=year,
                        group=_group(group))
            refs.append(_level(ctx, value, label, _wdi_source(ctx), definition, year))
    return refs


def _rate(ctx: Context, value: float, label: Phrase, definition: str,
          year: int | None) -> Reference:
    v = _frac(value)
    src, vintage = _wdi_source(ctx)
    return Reference(v, band(v - ctx.rate, v + ctx.rate), label, src, vintage, rate_text(ctx),
                     definition, year)


_GROWTH_ISO = {"tr_gdp_growth_pct": "TUR", "ru_gdp_growth_pct": "RUS"}


def growth_rate_refs(fig: Figure, ctx: Context, year: int | None) -> list[Reference]:
    """A year's real GDP growth; over a printed period the mean of the annual rates, and
    the compound average rate as the other definition."""
    iso3 = _GROWTH_ISO[fig.key]
    code = "NY.GDP.MKTP.KD.ZG"
    if year is not None:
        v = _wdi_value(ctx, code, iso3, year)
        return [] if v is None else [
            _rate(ctx, v, say("ref.gdp_growth", iso3=iso3, year=year), "", year)]
    span = period_years(fig.period)
    if span is None or "Q" in fig.period:
        return []
    years = range(span[0], span[1] + 1)
    rates = [_wdi_value(ctx, code, iso3, y) for y in years]
    if any(r is None for r in rates):
        return []
    values = [r for r in rates if r is not None]
    mean = sum(values) / len(values)
    compound = (math.prod(1 + r / 100 for r in values[1:]) ** (1 / (len(values) - 1)) - 1) * 100
    return [_rate(ctx, mean, say("ref.gdp_growth_mean", iso3=iso3, first=span[0],
                                 last=span[1]), "", None),
            _rate(ctx, compound, say("ref.gdp_growth_compound", iso3=iso3, first=span[0],
                                     last=span[1]), "compound", None)]


def unemployment_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    v = _wdi_value(ctx, "SL.UEM.TOTL.ZS", "TUR", year)
    return [] if v is None else [_rate(ctx, v, say("ref.unemployment", iso3="TUR", year=year),
                                       "", year)]


_EI_KEYS = {"kz_oil_reserves": "oil_proved_reserves", "kz_gas_reserves": "gas_proved_reserves"}


def energy_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    series = _EI_KEYS[fig.key]
    ei = ctx.ei
    hit = ei[(ei["series"] == series) & (ei["iso3"] == "KAZ") & (ei["year"] == year)]
    if hit.empty:
        return []
    row = hit.iloc[0]
    src = ctx.sources["energy_institute"]
    value = ext.to_base(float(row["value"]), str(row["unit"]))
    label = say("ref.energy", measure=say(f"measure.{series}"), year=year,
                value=num(_frac(float(row["value"]))), unit=unit(str(row["unit"])))
    return [_level(ctx, value, label,
                   (cited(src), vintage_of(str(src["vintage"]))),
                   "", year)]


def oil_export_refs(fig: Figure, ctx: Context, year: int) -> list[Reference]:
    """Oil a channel carries out of Kazakhstan in a year (:data:`OIL_EXPORT_FLOWS`): at
    most the oil left for export, the Energy Institute's production less consumption of
    that year (a plausibility bound; transit oil of other countries not counted)."""
    ei = ctx.ei
    values = {}
    for series in ("oil_production_tonnes", "oil_consumption"):
        hit = ei[(ei["series"] == series) & (ei["iso3"] == "KAZ") & (ei["year"] == year)]
        if hit.empty:
            return []
        values[series] = _frac(float(hit.iloc[0]["value"]))
    left = (values["oil_production_tonnes"] - values["oil_consumption"]) * 10**6
    src = ctx.sources["energy_institute"]
    label = say("ref.oil_left", year=year, production=num(values["oil_production_tonnes"]),
                consumption=num(values["oil_consumption"]), left=num(left / 10**6),
                unit=unit("tonne million"))
    return [Reference(left, band(Fraction(0), left), label, cited(src),
                      vintage_of(str(src["vintage"])), say("tol.ext_oil_left"), "", year,
                      at_most=True)]


# ---------------------------------------------------------------------------------------
# Rules: which quantity is judged against what
# ---------------------------------------------------------------------------------------

RefMaker = Callable[[Figure, Context, int], list[Reference]]


@dataclass(frozen=True)
class Rule:
    check_id: str
    make: Callable[[Figure, Context, int | None], list[Reference]] | RefMaker
    dated: str = "year"   # year: needs a year (undated → every UNDATED_YEARS year);
    #                       period: the maker reads the period itself; any: either;
    #                       part: a year, or a quarter of one (judged against the year);
    #                       strict: a printed year only (an undated number is skipped)


RULES: dict[str, Rule] = {
    "kz_tr_trade_total": Rule("external.trade", series_level_refs, "part"),
    "kz_exports_to_tr": Rule("external.trade", series_level_refs, "part"),
    "kz_imports_from_tr": Rule("external.trade", series_level_refs, "part"),
    "kz_tr_trade_growth_pct": Rule("external.trade", series_growth_refs),
    "kz_exports_to_tr_growth_pct": Rule("external.trade", series_growth_refs),
    "kz_imports_from_tr_growth_pct": Rule("external.trade", series_growth_refs),
    "kz_exports_share_of_kz_tr_trade": Rule("external.trade", series_share_refs),
    "tr_fdi_in_kz": Rule("external.reported", fdi_refs),
    "tr_fdi_in_kz_cumulative": Rule("external.reported", cumulative_refs, "any"),
    "tr_share_of_kz_foreign_trade": Rule("external.wdi", kz_trade_share_refs),
    "ots_gdp": Rule("external.wdi", ots_gdp_refs),
    "ots_population": Rule("external.wdi", ots_population_refs),
    "ots_gdp_pct_of_eaeu": Rule("external.wdi", eaeu_share_refs, "strict"),
    "tr_gdp_growth_pct": Rule("external.wdi", growth_rate_refs, "period"),
    "ru_gdp_growth_pct": Rule("external.wdi", growth_rate_refs, "period"),
    "tr_unemployment_pct": Rule("external.wdi", unemployment_refs),
    "kz_oil_reserves": Rule("external.energy", energy_refs),
    "kz_gas_reserves": Rule("external.energy", energy_refs),
    **{key: Rule("external.energy", oil_export_refs, "strict") for key in OIL_EXPORT_FLOWS},
}
