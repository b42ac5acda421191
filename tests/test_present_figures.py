"""Every figure of notebooks 00–06 and of the seminars, drawn from the real data in both
languages, reads the way a reader can trust (issue 15): the language's decimal mark and
thousands separator on every axis and label, names instead of data keys, shared scales where
panels are compared, no label cut or overlapping, every number on a value axis the value at
its tick, a legend where colours carry meaning. Every figure function takes ``ax=None`` and
returns its figure (06_external's figure of the OTS definitions needs the ledger and is
tested with its notebook)."""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import re
import sys
import types
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
from analysis.present import figures as figures_package  # noqa: E402
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
    """The data the figures are drawn from, as the notebooks prepare it (with their default
    parameters), and the cache of drawn figures (see ``draw``); only this module draws
    them, so the module's lifetime is the figures' session."""
    style.setup("en")
    claims = trade.load_claims()
    k7, k8 = trade.load(), investment.load()
    results = datasets.load("survey_results")
    report = survey.build_report(results, datasets.load("survey_questionnaire"))
    official, k6 = external.load("kz_tr_official"), datasets.load("indicators_2020_2022")
    wdi, trade_raw = external.wdi_for("current"), datasets.load("trade")
    trade_series = external.series_long(external.load("kz_tr_trade"))
    # seminar 3 with its default parameters: question 4, 100 respondents, 95 %
    n = seminar.resolve_sample_size(100, results)
    intervals = seminar.question_intervals(results, 4, n, 0.95)
    two_k7, two_k6 = two_series.load_tables()
    return {
        "claims": claims, "k7": k7, "k8": k8, "report": report, "results": results,
        "widths": survey.interval_width_by_n(results, 4, 1, [50, 100, 573, 1000, 4000]),
        "events": timeline.load(), "official": official, "k6": k6, "wdi": wdi,
        "trade_raw": trade_raw, "fit": trade.total_fit(k7),
        "shares": energy.consortium_shares(), "trade_series": trade_series,
        "dissertation": external.dissertation_long(external.k7_long(k7), external.k6_long(k6),
                                                   external.text_long(claims)),
        "span": external.break_span(external.series_break(trade_series)),
        "fdi": external.fdi_compare(k8, k6, official, wdi),
        "revisions": external.revisions(external.load("wdi"), external.load("wdi_gdp_earlier")),
        "production": external.production(external.load("energy_institute")),
        "intervals": intervals,
        "seminar_widths": seminar.width_by_n(intervals["percent"].iloc[0],
                                             [*seminar.WIDTH_SIZES, n], 0.95),
        "growth": seminar.growth_table(trade_raw),
        "comparison": seminar.compare_exhibits(k6, trade_raw),
        "consortium": datasets.load("consortium_1994"),
        "chart": two_series.chart_data(two_k7, two_k6, two_series.load_series()),
        "drawn": {}}


Maker = Callable[[dict, str], Figure]

#: Every figure of notebooks 00–06 and of seminars 1–4 and 6, made as the notebook makes it
#: (06_external's and seminar 5's ``external_vintages`` included); the tests below run over
#: all of them. A figure function of ``analysis.present.figures`` that no maker here draws
#: fails ``test_every_figure_function_is_drawn_here`` (unless :data:`DRAWN_ELSEWHERE` says
#: why), so a new figure cannot be left out of these tests by forgetting a list.
MAKERS: dict[str, Maker] = {
    "trade_levels": lambda d, lang: trade_figures.plot_levels(d["k7"], lang),
    "trade_indicators": lambda d, lang: trade_figures.plot_indicators(
        trade.indicators(d["k7"]), lang),
    "trade_growth": lambda d, lang: trade_figures.plot_growth_printed(
        trade.recomputed(d["k7"]), lang),
    "trade_fit": lambda d, lang: trade_figures.plot_fit(d["k7"], d["fit"], lang,
                                                        trade.pandemic(d["k7"])),
    "trade_sources": lambda d, lang: trade_figures.plot_sources(
        trade.compare_sources(d["k7"], claims=d["claims"]), lang),
    "trade_target": lambda d, lang: trade_figures.plot_target(
        d["k7"], d["fit"], trade.years_to_target(d["k7"]), lang),
    "inv_flows": lambda d, lang: investment_figures.plot_flows(investment.flows(d["k8"]), lang),
    "inv_trend": lambda d, lang: investment_figures.plot_trend(d["k8"], lang),
    "inv_scatter": lambda d, lang: investment_figures.plot_trade_vs_investment(
        d["k7"], d["k8"], investment.trade_on_investment(d["k7"], d["k8"]), lang),
    "inv_text": lambda d, lang: investment_figures.plot_text_vs_tables(
        investment.text_vs_tables(d["claims"]), lang),
    "energy_k3": lambda d, lang: energy_figures.plot_shares(d["shares"], lang),
    "energy_k3_text": lambda d, lang: energy_figures.plot_stakes_vs_k3(
        energy.stakes_vs_k3(d["claims"], d["shares"]), lang),
    "energy_routes": lambda d, lang: energy_figures.plot_routes(energy.routes(), lang),
    "energy_projects": lambda d, lang: energy_figures.plot_project_stakes(d["claims"], lang),
    "timeline": lambda d, lang: timeline_figures.plot_timeline(d["events"], lang),
    "survey_q03": lambda d, lang: survey_figures.plot_question(d["report"], 3, lang),
    "survey_q08": lambda d, lang: survey_figures.plot_question(d["report"], 8, lang),
    "survey_overview": lambda d, lang: survey_figures.plot_overview(d["report"], lang),
    "survey_feasible": lambda d, lang: survey_figures.plot_feasible(d["report"], lang),
    "survey_intervals": lambda d, lang: survey_figures.plot_intervals(d["report"], lang),
    "survey_widths": lambda d, lang: survey_figures.plot_widths(d["widths"], d["report"], lang),
    **{f"external_flow_{flow}": (lambda d, lang, flow=flow: external_figures.flow_chart(
        flow, d["dissertation"], d["trade_series"], d["span"], lang))
       for flow in external.FLOWS},
    "external_mirror": lambda d, lang: external_figures.mirror(external.mirror(d["official"]),
                                                               lang),
    "external_fdi": lambda d, lang: external_figures.fdi(d["fdi"], lang),
    "external_production": lambda d, lang: external_figures.production(d["production"], lang),
    "external_vintages": lambda d, lang: external_figures.vintages(
        d["revisions"], ["OTS", *external.MEMBERS], lang),
    "seminar_growth": lambda d, lang: seminar_figures.plot_growth(d["growth"], lang),
    "seminar_shares": lambda d, lang: seminar_figures.plot_shares(d["consortium"], lang),
    "seminar_intervals": lambda d, lang: seminar_figures.plot_intervals(
        d["intervals"], d["seminar_widths"], lang, 0.95),
    "seminar_exhibits": lambda d, lang: seminar_figures.plot_exhibits(d["comparison"], lang),
    "seminar_two_series": lambda d, lang: seminar_figures.plot_two_series(*d["chart"], lang),
}
NAMES = list(MAKERS)

#: Figure functions these tests do not draw, and why (each is drawn by its notebook, whose
#: stored outputs nbval compares with the shared run's).
DRAWN_ELSEWHERE = {
    "checks.plot_status_counts": "draws the whole claims ledger (05_checks)",
    "checks.plot_kind_counts": "draws the whole claims ledger (05_checks)",
    "official.ots": "needs the ledger's verdicts of the OTS claims (06_external)",
}


def figure_functions() -> dict[str, Callable[..., Figure]]:
    """Every public function of ``analysis.present.figures`` that returns a figure, keyed
    ``module.function`` (``trade.plot_levels``): discovered, never listed."""
    found = {}
    for info in pkgutil.iter_modules(figures_package.__path__):
        if info.name == "axes":  # the helpers every figure is made with, not figures
            continue
        module = importlib.import_module(f"{figures_package.__name__}.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (function.__module__ == module.__name__ and not name.startswith("_")
                    and "Figure" in str(inspect.signature(function).return_annotation)):
                found[f"{info.name}.{name}"] = function
    return found


def test_every_figure_function_is_drawn_here():
    """Guard (adding a figure is a recipe with guard rails): every figure function is drawn
    by a maker above, or is a panel of one that is (called by it), or is named in
    :data:`DRAWN_ELSEWHERE` with its reason. A new figure function that nobody adds to
    :data:`MAKERS` fails here instead of escaping every test of this module."""
    functions = figure_functions()
    aliases = {obj.__name__.rsplit(".", 1)[1]: alias for alias, obj in globals().items()
               if isinstance(obj, types.ModuleType)
               and obj.__name__.startswith(f"{figures_package.__name__}.")}
    makers = inspect.getsource(sys.modules[__name__]).split("MAKERS: dict", 1)[1]
    makers = makers.split("\nNAMES = ", 1)[0]
    drawn = {key for key in functions if key.split(".")[0] in aliases
             and f"{aliases[key.split('.')[0]]}.{key.split('.')[1]}(" in makers}
    grew = True
    while grew:  # a panel function called by a drawn one is drawn with it
        called = {key for key in functions if key not in drawn and any(
            f"{key.split('.')[1]}(" in inspect.getsource(functions[d])
            for d in drawn if d.split(".")[0] == key.split(".")[0])}
        drawn |= called
        grew = bool(called)
    missing = sorted(set(functions) - drawn - set(DRAWN_ELSEWHERE))
    assert not missing, f"figure functions no test draws: {missing}; add a maker to MAKERS"
    assert not sorted(set(DRAWN_ELSEWHERE) - set(functions)), "DRAWN_ELSEWHERE names a " \
        "function that is gone"
    assert len(drawn) >= len(MAKERS) - len(external.FLOWS) - 2


def texts(fig: Figure) -> list[str]:
    """Every visible text of a drawn figure: titles, axis and tick labels, legends,
    annotations (of its one rendering: see ``draw``)."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def tick_labels(fig: Figure) -> list[str]:
    return [label.get_text() for ax in fig.axes
            for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]
            if label.get_visible() and label.get_text()]


def draw(d: dict, name: str, lang: str) -> Figure:
    """Figure ``name`` in ``lang``, made and rendered once per module run (on an Agg
    canvas, in its language's style) and shared by the tests that read it: they only read
    it (texts, tick labels and their boxes as that rendering laid them out) and close its
    pyplot window. Rendering again would lay out the same figure the same way."""
    style.setup(lang)
    drawn = d["drawn"]
    new = (name, lang) not in drawn
    if new:
        drawn[name, lang] = MAKERS[name](d, lang)
    fig = drawn[name, lang]
    assert isinstance(fig, Figure)
    if not isinstance(fig.canvas, FigureCanvasAgg):
        # plt.close leaves the base canvas, which has no renderer to measure text boxes
        # with; an Agg canvas of the same dpi measures them as the rendering did
        FigureCanvasAgg(fig)
    if new:
        fig.canvas.draw()
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
