"""External verdicts: crafted inputs for each rule and outcome, then the shipped ledger."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest

from analysis.checks import core, ledger
from analysis.checks import official as rules
from analysis.checks import official_rows as el
from analysis.checks.compare import untestable
from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    STATUSES,
    WITHIN,
)
from analysis.checks.figures import Figure
from analysis.checks.phrases import say
from analysis.methods.rounding import Interval
from analysis.present import ledger_text

SOURCES = {n: {"title": f"{n} title", "publisher": "pub", "vintage": f"{n}-vintage"}
           for n in ("wdi", "wdi_gdp_earlier", "energy_institute", "kz_tr_official", "gdp")}


def fig(ref, key, printed, value, unit, year=None, qualifier="exact", period="",  # noqa: PLR0913
        source="text"):
    return Figure(ref=ref, source=source, exhibit="text" if source == "text" else "Кесте 7",
                  key=key, year=year, printed=printed, value=Decimal(str(value)), unit=unit,
                  line=100, qualifier=qualifier, period=period, label=key)


def official(*rows):
    cols = ["figure_id", "quantity", "year_from", "year_to", "months", "value", "unit",
            "qualifier", "side", "reporter", "stated_on", "year_basis", "attributed_to",
            "source_url", "note"]
    out = []
    for i, (quantity, year, value, qualifier, side) in enumerate(rows, 1):
        y0, y1 = (year, year) if isinstance(year, int) else year
        months = 9 if quantity.endswith("_9m") else 12
        out.append([f"R{i:02d}", quantity.removesuffix("_9m"), y0, y1, months, float(value),
                    "USD million", qualifier, side, "MFA", f"2024-01-{i:02d}", "stated", "x",
                    f"https://example.org/{i}", ""])
    return pd.DataFrame(out, columns=cols)


def wdi(*rows):
    return pd.DataFrame(rows, columns=["indicator", "iso3", "year", "value"]).assign(unit="")


def series(*rows):
    """A crafted ``kz_tr_trade`` frame: (series code, flow, year, USD million)."""
    cols = ["series", "reporter", "partner", "flow", "year", "value_usd", "unit_in_source",
            "source_table", "edition", "source_repo", "source_path", "source_commit"]
    out = [[code, "KAZ", "TUR", flow, year, float(musd) * 1e6, "USD", f"{code} table",
            "final July edition" if code == "BNS-312101" else "unknown", "o/r", "f.csv",
            "0" * 40] for code, flow, year, musd in rows]
    return pd.DataFrame(out, columns=cols)


def context(off=None, w=None, ei=None, level=Fraction(5, 100), trade=None, breaks=None):
    w = w if w is not None else wdi(("X", "KAZ", 2000, 1.0))
    extra = {} if breaks is None else {"breaks": breaks}
    return rules.Context(wdi=w, gdp=w, official=off if off is not None else official(),
                         ei=ei if ei is not None else pd.DataFrame(
                             columns=["series", "iso3", "year", "value", "unit"]),
                         sources=SOURCES, level=level, trade=trade, **extra)


# --- officials' rounding ----------------------------------------------------------------


@pytest.mark.parametrize("value, half", [(6300, 50), (6000, 500), (535, Fraction(1, 2)),
                                         (4350, 5), (1100, 50), (680, 5)])
def test_half_a_unit_of_the_last_stated_digit(value, half):
    assert rules.stated_half_unit(Fraction(value)) == half


def test_reported_intervals_follow_the_qualifier():
    ctx = context()
    about = official(("trade_turnover", 2022, 6300, "approx", "KZ")).iloc[0].to_dict()
    ref = rules.reported_reference(about, ctx)
    # the one rounding model: half-up [6250, 6350); half-even, 63 odd: (6250, 6350)
    assert ref.intervals["half_up"] == Interval(6250 * 10**6, 6350 * 10**6, True, False)
    assert ref.intervals["half_even"] == Interval(6250 * 10**6, 6350 * 10**6, False, False)
    more = official(("trade_turnover", 2021, 4100, "more_than", "KZ")).iloc[0].to_dict()
    ref = rules.reported_reference(more, ctx)
    assert ref.interval == Interval(4050 * 10**6, None, False, False)
    assert "lower bound" in ledger_text.say(ref.tolerance, "en")
    bound = rules.reported_reference(about, ctx, lower_bound=True)
    assert bound.interval == Interval(6250 * 10**6, None, True, False)


# --- the verdict ladder, on crafted references -------------------------------------------


def ref(value, lo, hi, definition=""):
    f = Fraction(value)
    iv = rules.band(Fraction(lo), Fraction(hi)) if hi is not None else {
        rule: Interval(Fraction(lo), None) for rule in ("half_up", "half_even")}
    return rules.Reference(f, iv, said("ref"), said("src"), said("v"), said("tol"), definition)


def notes(v, lang="en"):
    """A verdict's notes as the ledger writes them."""
    return "; ".join(ledger_text.say(n, lang) for n in v.notes)


def said(text):
    """A phrase that says ``text`` as it is (a crafted reference's label, source…)."""
    return say("vintage.stated", text=text)


def test_touching_intervals_share_no_value():
    """Half-open rounding: printed 4,8 bn is [4.75, 4.85) (half-up) or [4.75, 4.85]
    (half-even, 48 even); "about 4700" USD million is [4650, 4750) or (4650, 4750) (47 odd):
    they touch at 4.75 bn, which rounds to only one of them under either rule."""
    off = official(("fdi_tr_to_kz_gross_inflow", 2022, 4700, "approx", "KZ"))
    v = el.verdict_for(fig("T1", "tr_fdi_in_kz", "4,8 миллиард", 4.8e9, "USD", 2022),
                       context(off))
    assert (v.status, v.verdict) == (CONTRADICTED, rules.DISAGREES)
    # a closed tolerance band that reaches 4.75 bn does share it
    near = el.judge(fig("T1", "k", "4,8 миллиард", 4.8e9, "USD", 2022),
                    [ref(4.7e9, 4.65e9, 4.75e9)], "c")
    assert near.status == WITHIN and near.rule_note is None


def test_judge_reproduced_within_definition_disagrees_and_none():
    f = fig("T1", "k", "6,3 миллиард", 6.3e9, "USD", 2022)
    assert el.judge(f, [ref(6.3e9, 6.25e9, 6.35e9)], "c").status == REPRODUCED
    near = el.judge(f, [ref(6.2e9, 5.9e9, 6.5e9)], "c")
    assert (near.status, near.verdict) == (WITHIN, rules.AGREES)
    other = el.judge(f, [ref(2e9, 1.9e9, 2.1e9), ref(6.31e9, 6.0e9, 6.6e9, "PPP")], "c")
    assert (other.status, other.verdict) == (CONTRADICTED, rules.DEFINITION)
    assert other.reference.definition == "PPP"
    off = el.judge(f, [ref(2e9, 1.9e9, 2.1e9), ref(3e9, 2.9e9, 3.1e9, "PPP")], "c")
    assert (off.status, off.verdict) == (CONTRADICTED, rules.DISAGREES)
    assert el.judge(f, [ref(6.3e9, 6.25e9, 6.35e9, "PPP")], "c") is None


#: Two compilations of one flow (made up): BNS 2020–2022, WITS 2018–2022, with a break.
TRADE = series(("BNS-312101", "export", 2020, 2000), ("BNS-312101", "import", 2020, 1000),
               ("BNS-312101", "export", 2021, 3000), ("BNS-312101", "import", 2021, 1000),
               ("BNS-312101", "export", 2022, 4000), ("BNS-312101", "import", 2022, 2000),
               *(("WITS-TradeStats", f, y, v) for f, y, v in (
                   ("export", 2018, 800), ("import", 2018, 200), ("export", 2019, 900),
                   ("import", 2019, 300), ("export", 2020, 1400), ("import", 2020, 600),
                   ("export", 2021, 2400), ("import", 2021, 800), ("export", 2022, 4000),
                   ("import", 2022, 2000))))


def test_trade_against_bns_where_it_covers_the_year_else_wits():
    """The reference is BNS where it covers the year, WITS otherwise; the row names the
    series and its edition, and shows the other compilation (never used to rescue)."""
    ctx = context(trade=TRADE)
    bns = el.verdict_for(fig("K.2021", "kz_tr_trade_total", "4 000", 4000, "USD million",
                             2021, source="K7"), ctx)
    assert (bns.status, bns.verdict) == (REPRODUCED, rules.AGREES)
    assert "BNS table 312101" in ledger_text.say(bns.reference.source, "en")
    assert ledger_text.say(bns.reference.vintage, "en") == "final July edition"
    assert "WITS" in notes(bns) and "−20%" in notes(bns)  # 3200 vs 4000: the break, shown
    # the WITS value of 2021 (3 200) is never a reference while BNS covers the year
    wits_value = el.verdict_for(fig("K.2021b", "kz_tr_trade_total", "3 200", 3200,
                                    "USD million", 2021, source="K7"), ctx)
    assert wits_value.verdict == rules.DISAGREES
    old = el.verdict_for(fig("K.2019", "kz_exports_to_tr", "900", 900, "USD million", 2019,
                             source="K7"), ctx)
    assert old.status == REPRODUCED and "WITS" in ledger_text.say(old.reference.source, "en")
    assert "does not cover 2019" in notes(old)
    assert el.verdict_for(fig("T8", "kz_tr_trade_total", "1 000", 1000, "USD million", 2017),
                          ctx) is None  # neither series covers 2017


def test_a_rate_uses_one_series_for_both_years():
    """2019→2020: BNS has no 2019, so the rate comes from WITS for both years (1 200 →
    2 000, +66.7 %), never BNS 2020 over WITS 2019 (3 000 / 1 200 − 1 = +150 %); the row
    says BNS covers 2020 and how far WITS is from it. (No documented break here: the
    shipped one, WITS 2020–2022, makes the same rate not decisive, as the last lines
    show.)"""
    ctx = context(trade=TRADE, breaks={})
    rate = el.verdict_for(fig("K.g2020", "kz_tr_trade_growth_pct", "+66.7%", 66.7, "percent",
                              2020, source="K7"), ctx)
    assert rate.verdict == rules.AGREES and rate.reference.series == "WITS-TradeStats"
    assert "BNS covers 2020 but not 2019" in notes(rate)
    spliced = el.verdict_for(fig("K.g2020b", "kz_tr_trade_growth_pct", "+150.0%", 150,
                                 "percent", 2020, source="K7"), ctx)
    assert spliced.verdict == rules.DISAGREES
    # with WITS's documented 2020–2022 break, 2019→2020 measures the break as well
    across = el.verdict_for(fig("K.g2020", "kz_tr_trade_growth_pct", "+66.7%", 66.7,
                                "percent", 2020, source="K7"), context(trade=TRADE))
    assert across.verdict == rules.UNDECIDED and across.reference.crosses is not None
    bns = el.verdict_for(fig("K.g2022", "kz_tr_trade_growth_pct", "+50.0%", 50, "percent",
                             2022, source="K7"), ctx)
    assert bns.verdict == rules.AGREES and bns.reference.series == "BNS-312101"
    assert "WITS TradeStats" in notes(bns) and "growth" in notes(bns)


def test_a_quarter_is_at_most_its_year_and_quotes_are_corroboration():
    off = official(("trade_turnover", 2022, 6000, "approx", "KZ"),
                   ("exports_kz_to_tr", 2022, 3000, "approx", "KZ"))
    ctx = context(off, trade=TRADE)
    quarter = el.verdict_for(fig("T1", "kz_exports_to_tr", "900 миллион", 9e8, "USD",
                                 period="2022 Q1"), ctx)
    assert (quarter.status, quarter.verdict) == (PLAUSIBLE, rules.AGREES)
    too_big = el.verdict_for(fig("T2", "kz_exports_to_tr", "4 100", 4100, "USD million",
                                 period="2022 Q1"), ctx)
    assert too_big.verdict == rules.DISAGREES
    level = el.verdict_for(fig("T3", "kz_tr_trade_total", "6,0 миллиард", 6e9, "USD", 2022),
                           ctx)
    said_ = notes(level)
    assert level.status == REPRODUCED and "R01" in said_ and "a rounding of BNS" in said_
    exports = el.verdict_for(fig("T4", "kz_exports_to_tr", "4,0 миллиард", 4e9, "USD", 2022),
                             ctx)
    assert "R02" in notes(exports) and "not a rounding" in notes(exports)  # 3000 vs 4000


def test_a_shift_of_a_table_at_its_step_is_a_hypothesis():
    """A table whose trade cells are all multiples of 100: a cell that misses its own year
    but rounds the previous year's value at that step gets the shift note (the verdict
    stays a disagreement)."""
    trade = series(("BNS-312101", "export", 2021, 3040), ("BNS-312101", "import", 2021, 1000),
                   ("BNS-312101", "export", 2022, 4000), ("BNS-312101", "import", 2022, 2000))
    cells = [fig(f"K6.{y}.t", "kz_tr_trade_total", p, v, "USD million", y, source="K6")
             for y, p, v in ((2021, "3 100", 3100), (2022, "4 000", 4000))]
    found = el.verdicts(cells, context(trade=trade))
    shifted = next(v for v in found if v.figure.year == 2022)
    assert shifted.verdict == rules.DISAGREES  # 4 000 is not 6 000, nor 4 040 at its own step
    assert "is a multiple of 100; read at that step it fits the official figure for 2021" \
        in notes(shifted)
    text_ = fig("T4", "kz_tr_trade_total", "4 000", 4000, "USD million", 2022)
    alone = el.verdicts([text_], context(trade=trade))[0]  # text has no table step: no note
    assert "2021" not in notes(alone)


def test_fdi_nine_month_figure_bounds_the_year_from_below():
    off = official(("fdi_tr_to_kz_gross_inflow_9m", 2021, 535, "approx", "KZ"))
    ctx = context(off)
    low = el.verdict_for(fig("K6.2021.f", "tr_fdi_in_kz", "450", 450, "USD million", 2021,
                             source="K6"), ctx)
    assert low.verdict == rules.DISAGREES and low.reference.interval.hi is None
    high = el.verdict_for(fig("K8.2021.f", "tr_fdi_in_kz", "900", 900, "USD million", 2021,
                              source="K8"), ctx)
    # a lower bound met decides nothing: not decisive, counted apart from "agrees"
    assert (high.status, high.verdict) == (NOT_DECISIVE, rules.UNDECIDED)


def test_growth_from_the_series_is_exact():
    """A rate from one series is exact: only the printed rate's rounding is allowed."""
    ctx = context(trade=TRADE)
    up = el.verdict_for(fig("K7.2022.g", "kz_tr_trade_growth_pct", "+16.4%", 16.4, "percent",
                            2022, source="K7"), ctx)
    assert up.verdict == rules.DISAGREES
    assert up.reference.interval == Interval(50, 50)


def test_ots_gdp_nominal_first_ppp_as_definition_and_population_window():
    members = ["AZE", "KAZ", "KGZ", "TUR", "UZB"]
    rows = [("NY.GDP.MKTP.CD", c, 2022, 0.3e12) for c in members]
    rows += [("gdp_ppp_derived", c, 2022, 0.9e12) for c in members]
    rows += [("SP.POP.TOTL", c, y, 30e6) for c in members for y in range(2018, 2025)]
    rows += [("SP.POP.TOTL", c, 2022, 14e6) for c in ("HUN", "TKM")]
    ctx = context(w=wdi(*rows))
    gdp = el.verdict_for(fig("T1", "ots_gdp", "4,5 триллион", 4.5e12, "USD", 2022), ctx)
    assert gdp.verdict == rules.DEFINITION and gdp.reference.definition == "ppp_members"
    nominal = el.verdict_for(fig("T2", "ots_gdp", "1,5 триллион", 1.5e12, "USD", 2022), ctx)
    assert nominal.verdict == rules.AGREES
    pop = el.verdict_for(fig("T3", "ots_population", "178 миллион", 178e6, "people"), ctx)
    assert pop.verdict == rules.DEFINITION and pop.reference.year == 2022
    assert "compared with each year 2018–2024; the best fit is 2022" in notes(pop)


def test_rates_in_points_and_period_means():
    rows = [("NY.GDP.MKTP.KD.ZG", "TUR", y, g) for y, g in ((2010, 8.0), (2011, 4.0),
                                                            (2012, 0.0))]
    ctx = context(w=wdi(*rows))
    mean = el.verdict_for(fig("T1", "tr_gdp_growth_pct", "4,0%", 4.0, "percent",
                              period="2010–2012"), ctx)
    assert mean.verdict == rules.AGREES and mean.reference.value == 4
    off = el.verdict_for(fig("T2", "tr_gdp_growth_pct", "5,0%", 5.0, "percent", 2011), ctx)
    assert off.verdict == rules.DISAGREES  # 5.0 ± 0.05 vs 4.0 ± 0.5
    assert el.verdict_for(fig("T3", "tr_gdp_growth_pct", "4%", 4, "percent",
                              period="2011 Q1"), ctx) is None


def test_a_percentage_above_100_is_read_with_its_decimal_restored():
    rows = [("TX.VAL.MRCH.CD.WT", "KAZ", 2022, 80e9), ("TM.VAL.MRCH.CD.WT", "KAZ", 2022, 50e9)]
    turnover = series(("BNS-312101", "export", 2022, 3300), ("BNS-312101", "import", 2022,
                                                             2000))
    v = el.verdict_for(fig("T1", "tr_share_of_kz_foreign_trade", "407 пайыз", 407, "percent",
                           2022), context(official(), wdi(*rows), trade=turnover))
    assert v.verdict == rules.DISAGREES
    assert "4.07%" in notes(v) and "would fit" in notes(v)
    assert "4,07%" in notes(v, "kk")


# --- the ledger with external rows ------------------------------------------------------


def crafted_ledger():
    f1 = fig("T1", "k", "6,3 миллиард", 6.3e9, "USD", 2022)
    f2 = fig("T2", "k", "6,3 миллиард", 6.3e9, "USD", 2022)
    other = core.Row("T2.cross.k7", "cross.same_quantity", "text", (2,), "y", REPRODUCED,
                     say("diag.none.no_other"))
    return core.to_frame([untestable(f1, "T1.none"), other]), (f1, f2)


def test_attach_replaces_only_the_untestable_rows_of_externally_tested_numbers():
    frame, figs = crafted_ledger()
    found = [el.judge(f, [ref(6.3e9, 6.25e9, 6.35e9)], "external.wdi") for f in figs]
    full = el.attach(frame, el.rows(found))
    assert list(full["claim_id"]) == ["T1.external", "T2.cross.k7", "T2.external"]
    assert list(full.columns) == [*core.LEDGER_COLUMNS, *rules.EXTERNAL_COLUMNS]
    assert list(full["kind"]) == ["external", "cross-table", "external"]
    assert set(full["status"]) <= set(STATUSES)
    assert el.is_only_external(full.loc[0, "external_note"])
    assert not el.is_only_external(full.loc[2, "external_note"])
    assert full.loc[1, "external_verdict"] == ""
    c = el.counts(full)
    assert c["internal"]["untestable"] == 0 and c["internal"]["reproduced"] == 1
    assert c["external"][rules.AGREES] == 2 and c["only_external"]["numbers"] == 1


@pytest.fixture(scope="module")
def shipped(shipped_ledger):
    return shipped_ledger.copy()


def _external(shipped, claim):
    return shipped[shipped["claim_id"] == f"{claim}.external"].iloc[0]


@pytest.mark.parametrize("claim, verdict", [
    ("K7.2022.trade_total", rules.DISAGREES), ("K7.2023.growth_pct", rules.DISAGREES),
    ("K6.2022.trade_total", rules.DISAGREES), ("K6.2021.tr_fdi", rules.DISAGREES),
    ("T108", rules.DEFINITION), ("T109", rules.DEFINITION), ("T093", rules.DEFINITION),
    ("T180", rules.AGREES), ("T192", rules.AGREES), ("T153", rules.AGREES),
    ("T198", rules.UNDECIDED), ("T207", rules.DISAGREES), ("T211", rules.AGREES),
    ("T194", rules.UNDECIDED), ("T213", rules.AGREES), ("T111", rules.DISAGREES),
    ("T110", rules.AGREES), ("T210", rules.DISAGREES), ("T219.b", rules.DISAGREES),
    ("T216.b", rules.UNDECIDED), ("T196", rules.AGREES), ("K7.2018.exports", rules.DISAGREES),
    ("K4.oil.volume", rules.AGREES), ("K4.gas.volume", rules.DISAGREES),
])
def test_shipped_headline_verdicts(shipped, claim, verdict):
    assert _external(shipped, claim)["external_verdict"] == verdict


def test_shipped_verdicts_carry_value_source_vintage_and_tolerance(shipped):
    external = shipped[el.is_external(shipped)]
    assert len(external) >= 40
    for column in rules.EXTERNAL_COLUMNS[:5]:
        assert (external[column].str.strip() != "").all(), column
    assert set(shipped["status"]) <= set(STATUSES)
    assert "it fits the official figure for 2021" in ledger_text.value(_external(
        shipped, "K6.2022.trade_total")["external_note"], "en")


def test_no_number_stays_untestable_when_the_official_record_tests_it(shipped):
    tested = {c.removesuffix(".external") for c in shipped["claim_id"]
              if c.endswith(".external")}
    untestable = {c.removesuffix(".none") for c in shipped.loc[
        shipped["check_id"] == "coverage.none", "claim_id"]}
    assert tested & untestable == set()
    assert "internal verdicts:" in ledger_text.external_line(shipped, "en")


# --- wiring: the ledger carries the external rows ----------------------------------------


def test_the_ledger_has_external_rows_and_columns(shipped):
    """ledger.build attaches the external verdicts: rows of kind external with the
    ledger's columns and the external ones; internal rows have empty external columns."""
    assert list(shipped.columns) == [*core.LEDGER_COLUMNS, *rules.EXTERNAL_COLUMNS]
    assert list(ledger.COLUMNS) == list(shipped.columns)
    external = shipped[el.is_external(shipped)]
    assert set(external["kind"]) == {"external"}
    assert set(external["check_id"]) == set(rules.CHECK_IDS)
    for _, r in external.iterrows():
        assert int(r["severity"]) == core.severity_of(r["check_id"], r["status"])
    assert (shipped.loc[~el.is_external(shipped), "external_verdict"] == "").all()
    text = ledger_text.summary_text(shipped)
    assert text.splitlines()[1].strip() == ledger_text.external_line(shipped, "en")
    assert "  external  " in text


def test_a_number_only_the_official_record_tests_loses_its_untestable_row(shipped):
    """T093 (the OTS population, 173 million): nothing in the source tests it; the official
    record does, so its coverage.none row is replaced by the external row."""
    claims = set(shipped["claim_id"])
    assert "T093.external" in claims and "T093.none" not in claims
    row = _external(shipped, "T093")
    assert el.is_only_external(row["external_note"])
    assert el.counts(shipped)["only_external"]["numbers"] >= 1
    # without the external verdicts the same number is untestable
    internal = ledger.assemble(ledger.context())
    assert "T093.none" in set(internal["claim_id"])


def test_external_diagnoses_render_in_both_languages(shipped):
    external = shipped[el.is_external(shipped)]
    k7 = external[external["claim_id"] == "K7.2021.exports.external"].iloc[0]
    kk = ledger_text.value(k7["diagnosis"], "kk")
    en = ledger_text.value(k7["diagnosis"], "en")
    assert "сәйкес емес" in kk and "ҰСБ 312101 кестесі" in kk and "WITS" in kk
    assert "disagrees" in en and "BNS table 312101" in en and "the break" in en
    assert "шілдедегі соңғы басылым" in ledger_text.value(k7["external_vintage"], "kk")
    # 4,7 against BNS 4 751.0: rounding misses it, cutting off prints it: not decisive
    t194 = external[external["claim_id"] == "T194.external"].iloc[0]
    assert t194["status"] == NOT_DECISIVE
    assert "[4.65, 4.75)" in ledger_text.value(t194["diagnosis"], "en")
    assert "қиып" in ledger_text.value(t194["diagnosis"], "kk")
    definition = external[external["external_verdict"] == rules.DEFINITION].iloc[0]
    kk = ledger_text.value(definition["diagnosis"], "kk")
    assert "анықтамасы басқа" in kk and "басылған сан" in kk  # the definition note


def test_shipped_verdict_counts(shipped):
    """72 numbers judged since every trade number is set against BNS 312101 (else WITS):
    21 agree (plausible bounds included), 6 not decisive (bounds, a forecast, a less
    likely reading, a truncation, a WITS rate across its documented 2020–2022 break),
    3 differ by definition, 42 disagree."""
    c = el.counts(shipped)["external"]
    assert c == {rules.AGREES: 21, rules.UNDECIDED: 6, rules.DEFINITION: 3,
                 rules.DISAGREES: 42}
