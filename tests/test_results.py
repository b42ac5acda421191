"""The notebook API's results as data (analysis.present.results, .notebook, .outputs): what a
notebook publishes is language-neutral, checked in both languages, and what a reader could
not read (an unfilled placeholder, two columns of one label) is refused before anything is
saved."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.present import notebook, results, tablespec  # noqa: E402
from analysis.present.notebook import ExhibitError, Exhibits  # noqa: E402
from analysis.present.outputs import read_results  # noqa: E402
from analysis.present.results import Result, ResultError  # noqa: E402
from analysis.present.tablespec import TableSpec  # noqa: E402


@pytest.fixture
def out(monkeypatch, tmp_path):
    monkeypatch.setenv("KAZTUR_OUTPUT_DIR", str(tmp_path))
    monkeypatch.setattr(notebook, "display", lambda *a, **k: None)
    monkeypatch.setattr(notebook, "execution_count", lambda: 7)
    return tmp_path


def test_values_are_numbers_written_by_each_language():
    assert results.percent(0.15618).text("kk") == "15,6%"
    assert results.percent(0.15618).text("en") == "15.6%"
    assert results.count(12000).text("kk") == "12\u00a0000"
    assert results.count(12000).text("en") == "12,000"
    assert results.year(2021).text("en") == "2021" and results.level(0.975).text("kk") == "97,5"
    assert results.label("trade.q.trade_total").text("kk") == "Сауда айналымы"
    assert results.number(float("nan"), 2).to_json() == {"kind": "number", "value": None,
                                                          "decimals": 2}
    with pytest.raises(ResultError, match="number"):
        results.Value("15,6%", "percent")
    with pytest.raises(ResultError, match="kind"):
        results.Value(1, "words")


def test_a_result_round_trips_as_language_neutral_json():
    r = Result("survey.sample_size", {"n": results.count(573)},
               text="result.survey.sample_size", front=True, ledger_check="survey.joint_n",
               cell=3)
    data = r.to_json()
    assert json.dumps(data, ensure_ascii=True) == json.dumps(data, ensure_ascii=False)
    assert Result.from_json(json.loads(json.dumps(data))) == r


def test_a_result_whose_sentence_cannot_be_filled_is_refused():
    partial = Result("survey.sample_size", {"n": results.count(573)},
                     text="result.survey.sample_size")
    with pytest.raises(ResultError, match="needs the value (count|n_max)"):
        partial.check()
    with pytest.raises(ResultError, match="no label"):
        Result("a.b", {}, text="no.such.label").check()
    with pytest.raises(ResultError, match="dotted"):
        Result("nodots", {}).check()
    Result("survey.sample_size", {"n": results.count(573), "count": results.count(48),
                                  "n_max": results.count(5000)},
           text="result.survey.sample_size").check()


def test_publish_writes_results_json_and_state_says_it(out, monkeypatch):
    said = []
    monkeypatch.setattr(notebook, "display", lambda x, *a, **k: said.append(x))
    ex = Exhibits(4, "kk")
    first = Result("survey.sums", {"bad": results.count(0), "off": results.count(5)},
                   text="survey.say.sums")
    ex.state(first)
    ex.publish(Result("survey.sums", {"bad": results.count(1), "off": results.count(5)},
                      text="survey.say.sums"), Result("x.other", {}))
    assert said[0].data.startswith("0 сұрақтың")
    published = read_results(out)
    assert [r.key for r in published] == ["survey.sums", "x.other"]  # republished: replaced
    assert published[0].values["bad"].value == 1 and published[0].cell == 7


def test_tables_save_language_neutral_rows_and_the_cells_shown(out, monkeypatch):
    spec = TableSpec(name="t_test", title="trade.tab.k7_recomputed", labels="trade",
                     columns=("year", "series", "rate", "total_printed", "method"),
                     percent=("rate",), values={"series": "trade.q"}, text=("method",))
    monkeypatch.setattr(tablespec, "spec", lambda name: spec)
    frame = pd.DataFrame({"year": [2019], "series": ["trade_total"], "rate": [0.1203],
                          "total_printed": ["1 770"], "method": ["қазақша сөйлем"]})
    for lang in ("kk", "en"):
        Exhibits(1, lang).table("t_test", frame)
        data = (out / "tables" / "t_test.data.csv").read_text(encoding="utf-8")
        assert data == "year,series,rate,total_printed\n2019,trade_total,0.1203,1 770\n"
    side = json.loads((out / "tables" / "t_test.json").read_text(encoding="utf-8"))
    assert side["cell"] == 7 and side["shown"]["rows"] == [
        ["2019", "Trade turnover", "12.030", "1 770", "қазақша сөйлем"]]
    assert side["shown"]["printed"] == [False, False, False, True, False]
    assert side["files"] == ["t_test.csv", "t_test.data.csv"]


def test_two_columns_with_one_label_are_refused(out, monkeypatch):
    spec = TableSpec(name="dup", title="energy.tab.k2_text", labels="energy",
                     columns=("k2_line", "k4_line"))
    monkeypatch.setattr(tablespec, "spec", lambda name: spec)
    monkeypatch.setattr(notebook.tablespec, "header", lambda c, p, lang: "Кесте жолы")
    with pytest.raises(ExhibitError, match="share the label"):
        Exhibits(3, "kk").table("dup", pd.DataFrame({"k2_line": [1], "k4_line": [2]}))
    assert not (out / "tables").exists()


def test_unfilled_placeholders_are_refused_in_captions_and_figures(out):
    ex = Exhibits(0, "kk")
    with pytest.raises(ExhibitError, match=r"\{undated\}"):
        ex.say("overview.fig.timeline")
    fig, ax = plt.subplots()
    ax.set_title("{undated} оқиға")
    with pytest.raises(ExhibitError, match=r"figure f: \{undated\}"):
        ex.figure(fig, "f", "overview.fig.timeline", undated=3)
    plt.close(fig)
    fig, _ = plt.subplots()
    with pytest.raises(ExhibitError, match=r"\{undated\}"):
        ex.figure(fig, "f", "overview.fig.timeline")
    plt.close(fig)
    assert not (out / "figures").exists()


def test_every_spec_gives_distinct_headers_in_both_languages():
    """A spec that lists its columns cannot give two of them one label (Кесте 2 printed
    "Кесте 2 жолы" twice)."""
    dup = []
    for name, spec in tablespec.specs().items():
        if not spec.columns or spec.as_printed:
            continue
        for lang in ("kk", "en"):
            heads = [tablespec.header(c.format(lang=lang), spec.labels, lang)
                     for c in spec.columns]
            dup += [(name, lang, h) for h in set(heads) if heads.count(h) > 1]
    assert dup == []
