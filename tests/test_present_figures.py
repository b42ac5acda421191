"""Every figure of notebooks 00–06 and of the seminars, drawn from the real data in both
languages, reads the way a reader can trust (issue 15): the language's decimal mark and
thousands separator on every axis and label, names instead of data keys, shared scales where
panels are compared, no label cut or overlapping, every number on a value axis the value at
its tick, a legend where colours carry meaning. Every figure function takes ``ax=None`` and
returns its figure (06_external's figure of the OTS definitions needs the ledger and is
tested with its notebook)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import ScalarFormatter  # noqa: E402

from analysis.analyses import energy, investment, survey, timeline, trade  # noqa: E402
from analysis.analyses import official as external  # noqa: E402
from analysis.data import datasets  # noqa: E402
from analysis.present import numbers, style  # noqa: E402
from analysis.present.figures import energy as energy_figures  # noqa: E402
from analysis.present.figures import investment as investment_figures  # noqa: E402
from analysis.present.figures import official as external_figures  # noqa: E402
from analysis.present.figures import seminar as seminar_figures  # noqa: E402
from analysis.present.figures import survey as survey_figures  # noqa: E402
from analysis.present.figures import timeline as timeline_figures  # noqa: E402
from analysis.present.figures import trade as trade_figures  # noqa: E402
from analysis.present.figures.axes import NumberFormatter, YearFormatter  # noqa: E402
from analysis.teaching import seminar  # noqa: E402
from analysis.teaching import seminar_two_series as two_series  # noqa: E402

LANGS = ("kk", "en")
#: A decimal point between digits (kk must not have it) and a decimal comma (en must not:
#: a comma followed by one, two or more than three digits is not a thousands separator).
POINT = re.compile(r"\d\.\d")
COMMA = re.compile(r"\d,(\d{1,2}|\d{4,})(?!\d)")
#: A number of five or more digits written without a thousands separator (12000).
UNGROUPED = re.compile(r"(?<![\d.,])\d{5,}(?![\d])")
#: A data key in a label (bp, az_other, tr_fdi_in_kz): lower-case words joined by "_".
KEY = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


@pytest.fixture(scope="module")
def data() -> dict[str, object]:
    """The data the figures are drawn from, and the cache of drawn figures (see ``draw``);
    only this module draws them, so the module's lifetime is the figures' session."""
    style.setup("en")
    claims = trade.load_claims()
    k7 = trade.load()
    k8 = investment.load()
    results = datasets.load("survey_results")
    report = survey.build_report(results, datasets.load("survey_questionnaire"))
    widths = survey.interval_width_by_n(results, 4, 1, [50, 100, 573, 1000, 4000])
    official = external.load("kz_tr_official")
    return {"claims": claims, "k7": k7, "k8": k8, "report": report, "widths": widths,
            "results": results,
            "events": timeline.load(), "official": official,
            "k6": datasets.load("indicators_2020_2022"), "wdi": external.wdi_for("current"),
            "trade_raw": datasets.load("trade"), "drawn": {}}


def _figures(d: dict) -> dict[str, Callable[[str], Figure]]:
    k7, k8, claims, report = d["k7"], d["k8"], d["claims"], d["report"]
    fit = trade.total_fit(k7)
    shares = energy.consortium_shares()
    return {
        "trade_levels": lambda lang: trade_figures.plot_levels(k7, lang),
        "trade_indicators": lambda lang: trade_figures.plot_indicators(trade.indicators(k7),
                                                                       lang),
        "trade_growth": lambda lang: trade_figures.plot_growth_printed(trade.recomputed(k7),
                                                                       lang),
        "trade_fit": lambda lang: trade_figures.plot_fit(k7, fit, lang, trade.pandemic(k7)),
        "trade_sources": lambda lang: trade_figures.plot_sources(
            trade.compare_sources(k7, claims=claims), lang),
        "trade_target": lambda lang: trade_figures.plot_target(
            k7, fit, trade.years_to_target(k7), lang),
        "inv_flows": lambda lang: investment_figures.plot_flows(investment.flows(k8), lang),
        "inv_trend": lambda lang: investment_figures.plot_trend(k8, lang),
        "inv_scatter": lambda lang: investment_figures.plot_trade_vs_investment(
            k7, k8, investment.trade_on_investment(k7, k8), lang),
        "inv_text": lambda lang: investment_figures.plot_text_vs_tables(
            investment.text_vs_tables(claims), lang),
        "energy_k3": lambda lang: energy_figures.plot_shares(shares, lang),
        "energy_k3_text": lambda lang: energy_figures.plot_stakes_vs_k3(
            energy.stakes_vs_k3(claims, shares), lang),
        "energy_routes": lambda lang: energy_figures.plot_routes(energy.routes(), lang),
        "energy_projects": lambda lang: energy_figures.plot_project_stakes(claims, lang),
        "timeline": lambda lang: timeline_figures.plot_timeline(d["events"], lang),
        "survey_q03": lambda lang: survey_figures.plot_question(report, 3, lang),
        "survey_q08": lambda lang: survey_figures.plot_question(report, 8, lang),
        "survey_overview": lambda lang: survey_figures.plot_overview(report, lang),
        "survey_feasible": lambda lang: survey_figures.plot_feasible(report, lang),
        "survey_intervals": lambda lang: survey_figures.plot_intervals(report, lang),
        "survey_widths": lambda lang: survey_figures.plot_widths(d["widths"], report, lang),
        **_external_figures(d),
        **_seminar_figures(d),
    }


def _seminar_figures(d: dict) -> dict[str, Callable[[str], Figure]]:
    """The figures of seminars 1–4 and 6, made as the notebooks make them (seminar 3 with
    its default parameters: question 4, 100 respondents, 95 %)."""
    n = seminar.resolve_sample_size(100, d["results"])
    intervals = seminar.question_intervals(d["results"], 4, n, 0.95)
    widths = seminar.width_by_n(intervals["percent"].iloc[0], [*seminar.WIDTH_SIZES, n], 0.95)
    growth = seminar.growth_table(d["trade_raw"])
    comparison = seminar.compare_exhibits(d["k6"], d["trade_raw"])
    consortium = datasets.load("consortium_1994")
    k7, k6 = two_series.load_tables()
    chart = two_series.chart_data(k7, k6, two_series.load_series())
    return {
        "seminar_growth": lambda lang: seminar_figures.plot_growth(growth, lang),
        "seminar_shares": lambda lang: seminar_figures.plot_shares(consortium, lang),
        "seminar_intervals": lambda lang: seminar_figures.plot_intervals(
            intervals, widths, lang, 0.95),
        "seminar_exhibits": lambda lang: seminar_figures.plot_exhibits(comparison, lang),
        "seminar_two_series": lambda lang: seminar_figures.plot_two_series(*chart, lang),
    }


def _external_figures(d: dict) -> dict[str, Callable[[str], Figure]]:
    """The figures of 06_external (and seminar 5, which draws ``external_vintages``), made
    as the notebook makes them with its default parameters."""
    official, k7, k6 = d["official"], d["k7"], d["k6"]
    trade_series = external.series_long(external.load("kz_tr_trade"))
    dissertation = external.dissertation_long(external.k7_long(k7), external.k6_long(k6),
                                              external.text_long(d["claims"]))
    span = external.break_span(external.series_break(trade_series))
    fdi = external.fdi_compare(d["k8"], k6, official, d["wdi"])
    revisions = external.revisions(external.load("wdi"), external.load("wdi_gdp_earlier"))
    production = external.production(external.load("energy_institute"))
    return {
        **{f"external_flow_{flow}": (lambda lang, flow=flow: external_figures.flow_chart(
            flow, dissertation, trade_series, span, lang)) for flow in external.FLOWS},
        "external_mirror": lambda lang: external_figures.mirror(external.mirror(official), lang),
        "external_fdi": lambda lang: external_figures.fdi(fdi, lang),
        "external_production": lambda lang: external_figures.production(production, lang),
        "external_vintages": lambda lang: external_figures.vintages(
            revisions, ["OTS", *external.MEMBERS], lang),
    }


NAMES = ["trade_levels", "trade_indicators", "trade_growth", "trade_fit", "trade_sources",
         "trade_target", "inv_flows", "inv_trend", "inv_scatter", "inv_text", "energy_k3",
         "energy_k3_text", "energy_routes", "energy_projects", "timeline",
         "survey_q03", "survey_q08", "survey_overview", "survey_feasible", "survey_intervals",
         "survey_widths", "external_flow_export", "external_flow_import",
         "external_flow_turnover", "external_mirror", "external_fdi",
         "external_production", "external_vintages", "seminar_growth", "seminar_shares",
         "seminar_intervals", "seminar_exhibits", "seminar_two_series"]


def texts(fig: Figure) -> list[str]:
    """Every visible text of a drawn figure: titles, axis and tick labels, legends,
    annotations."""
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def tick_labels(fig: Figure) -> list[str]:
    fig.canvas.draw()
    return [label.get_text() for ax in fig.axes
            for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]
            if label.get_visible() and label.get_text()]


def draw(d: dict, name: str, lang: str) -> Figure:
    """Figure ``name`` in ``lang``, made once per module run and shared by the tests that
    read it (they only read it: render, look, close its pyplot window). The language's
    style is set again each time, as for a new figure."""
    style.setup(lang)
    drawn = d["drawn"]
    if "makers" not in drawn:
        drawn["makers"] = _figures(d)
    if (name, lang) not in drawn:
        drawn[name, lang] = drawn["makers"][name](lang)
    fig = drawn[name, lang]
    assert isinstance(fig, Figure)
    if not isinstance(fig.canvas, FigureCanvasAgg):
        # plt.close leaves a figure the base canvas, whose draw() renders nothing: a test
        # would read the texts of an earlier rendering. An Agg canvas renders it again.
        FigureCanvasAgg(fig)
    return fig


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_numbers_in_the_languages_notation_and_no_data_keys(data, name, lang):
    fig = draw(data, name, lang)
    try:
        found = texts(fig)
        wrong = POINT if lang == "kk" else COMMA
        assert not [s for s in found if wrong.search(s)], f"{name}: wrong decimal mark"
        assert not [s for s in tick_labels(fig) if UNGROUPED.search(s)], name
        assert not [s for s in found if KEY.search(s)], f"{name}: a data key as a label"
        assert not [s for s in found if re.search(r"%\s*%", s)], f"{name}: a doubled %"
    finally:
        plt.close(fig)


def test_the_target_chart_groups_thousands(data):
    for lang, label in (("kk", "12\u00a0000"), ("en", "12,000")):
        fig = draw(data, "trade_target", lang)
        assert label in tick_labels(fig)
        plt.close(fig)


def test_decimal_ticks_follow_the_language(data):
    fig = draw(data, "energy_k3", "kk")
    assert "2,5" in tick_labels(fig) and "2.5" not in tick_labels(fig)
    plt.close(fig)
    formatter = NumberFormatter("en")
    formatter.set_locs([0, 2.5, 5])
    assert [formatter(v) for v in (0, 2.5, 5)] == ["0.0", "2.5", "5.0"]


def test_project_stakes_share_one_scale_and_name_companies(data):
    fig = draw(data, "energy_projects", "en")
    limits = {ax.get_xlim() for ax in fig.axes}
    assert limits == {(0.0, 100.0)}  # a lone 19 % stake is drawn as 19 % of the axis
    labels = tick_labels(fig)
    assert any(s.startswith("BP (") for s in labels)
    assert not any(s.startswith(("bp ", "az_other")) for s in labels)
    plt.close(fig)


def test_timeline_parts_show_every_event_with_whole_words(data):
    cons = timeline.consistency(data["events"])
    names = set(cons["event_en"])
    fig = draw(data, "timeline", "en")
    assert len(fig.axes) == len(timeline_figures.PERIODS)  # one panel per part
    seen = 0
    for ax in fig.axes:
        labels = [label.get_text() for label in ax.get_yticklabels()]
        seen += len(labels)
        for label in labels:
            assert "…" not in label  # never cut
            for line in label.split("\n"):
                assert len(line) <= timeline_figures.LABEL_WIDTH + 2
            assert label.replace("\n", " ").removeprefix("⚠ ") in names
        assert min(t.get_fontsize() for t in ax.get_yticklabels()) >= 9  # not shrunk
    # every dated event is drawn; an event told without any year has no place on a time axis
    dated = int(cons["first_year"].notna().sum())
    assert 0 < dated < len(cons) and seen == dated
    # rows keep their height however many events there are: the figure grows instead
    assert fig.get_figheight() >= timeline_figures.ROW_INCHES * dated
    plt.close(fig)


def test_survey_overview_has_a_legend_and_one_decimal_mark(data):
    for lang, mine, other in (("kk", "19,5", "19.5"), ("en", "31.94", "31,94")):
        fig = draw(data, "survey_overview", lang)
        found = texts(fig)
        assert fig.axes[0].get_legend() is not None
        assert mine in found and other not in found
        plt.close(fig)


def test_trade_sources_labels_do_not_overlap(data):
    fig = draw(data, "trade_sources", "kk")
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for ax in fig.axes:
        boxes = [t.get_window_extent(renderer) for t in ax.texts]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not a.overlaps(b), "two line-number labels overlap"
    plt.close(fig)


@pytest.mark.parametrize("name", ["trade_levels", "inv_flows", "energy_k3", "survey_q03"])
def test_figure_functions_draw_on_given_axes(data, name):
    style.setup("en")
    fig, ax = plt.subplots()
    fns = {"trade_levels": lambda: trade_figures.plot_levels(data["k7"], "en", ax=ax),
           "inv_flows": lambda: investment_figures.plot_flows(investment.flows(data["k8"]),
                                                              "en", ax=ax),
           "energy_k3": lambda: energy_figures.plot_shares(energy.consortium_shares(), "en",
                                                           ax=ax),
           "survey_q03": lambda: survey_figures.plot_question(data["report"], 3, "en", ax=ax)}
    assert fns[name]() is fig
    assert ax.has_data()
    plt.close(fig)


def test_multi_panel_figures_take_their_panels(data):
    style.setup("en")
    fig, axes = plt.subplots(1, 3)
    cmp = trade.compare_sources(data["k7"], claims=data["claims"])
    assert trade_figures.plot_sources(cmp, "en", ax=list(axes)) is fig
    with pytest.raises(ValueError, match="3 panel"):
        trade_figures.plot_sources(cmp, "en", ax=list(axes[:2]))
    k7, k6 = two_series.load_tables()
    chart = two_series.chart_data(k7, k6, two_series.load_series())
    assert seminar_figures.plot_two_series(*chart, "en", ax=list(axes)) is fig
    assert all(panel.has_data() for panel in axes)
    with pytest.raises(ValueError, match="3 panel"):
        seminar_figures.plot_two_series(*chart, "en", ax=list(axes[:2]))
    plt.close(fig)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_tick_labels_do_not_overlap(data, name, lang):
    fig = draw(data, name, lang)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    try:
        for ax in fig.axes:
            for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
                boxes = [t.get_window_extent(renderer) for t in labels
                         if t.get_visible() and t.get_text()]
                for a, b in zip(boxes, boxes[1:], strict=False):
                    assert not a.overlaps(b), f"{name}: tick labels overlap"
    finally:
        plt.close(fig)


#: Formatters that write the value at a tick (the package's and matplotlib's default);
#: the others write names given for positions 0, 1, 2 (bars, categories).
WRITE_VALUES = (NumberFormatter, YearFormatter, ScalarFormatter)


def _tick_value(label: str, lang: str) -> float | None:
    """The number a tick label writes, or None for a label that is not a number (a name, a
    year range)."""
    text = label.replace(numbers.MINUS, "-").rstrip("%").strip()
    text = text.replace(numbers.THOUSANDS[lang], "").replace(numbers.DECIMAL_MARK[lang], ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    return float(text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_every_number_on_an_axis_is_the_value_at_its_tick(data, name, lang):
    # ticks sit at round values, so a label writes its tick exactly; a formatter with too
    # few decimals writes 2.5 as "2" and 7.5 as "8", and the axis lies
    fig = draw(data, name, lang)
    fig.canvas.draw()
    try:
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                formatter = axis.get_major_formatter()
                if axis.get_scale() != "linear" or not isinstance(formatter, WRITE_VALUES):
                    continue
                for tick in axis.get_major_ticks():
                    label = tick.label1 if tick.label1.get_text() else tick.label2
                    parsed = _tick_value(label.get_text(), lang) if label.get_visible() else None
                    if parsed is None:
                        continue
                    value = parsed
                    assert math.isclose(value, tick.get_loc(), rel_tol=1e-9, abs_tol=1e-9), (
                        f"{name}: the tick at {tick.get_loc()} is labelled {label.get_text()!r}")
    finally:
        plt.close(fig)
