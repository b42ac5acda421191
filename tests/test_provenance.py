"""The digit rule of ``kaztur verify`` (analysis.data.provenance): every run of digits of
the source is cited by a raw row or covered by a commented allow-list entry. Crafted
sources show that it fires on an uncited number and stays quiet on a cited or allowed one;
the shipped transcription must leave nothing uncited."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.data import provenance
from analysis.data.provenance import Allow

DOC = "dissertation_kk.txt"
needs_source = pytest.mark.skipif(not config.source_available(),
                                  reason="the dissertation text is not beside the checkout")


def claims(*rows: tuple[int, str, str, object, str]) -> pd.DataFrame:
    """(line, quote, number printed, year, period) per claim."""
    return pd.DataFrame([{"claim_id": f"T{i}", "source_doc": DOC, "source_line": n,
                          "quote_kk": q, "number_printed": p, "year": y, "period": per}
                         for i, (n, q, p, y, per) in enumerate(rows, 1)])


@pytest.fixture()
def source(tmp_path: Path, monkeypatch) -> Path:
    text = "\n".join([
        "Тауар айналымы 2022 жылы 6,5 миллиард долларға жетті [12, 45 б.].",
        "1. Тізімнің бірінші тармағы",
        "Елде 30 лицей және 12 колледж бар.",
    ])
    (tmp_path / DOC).write_text(text, encoding="utf-8")
    monkeypatch.setattr(config, "SOURCE_DIR", tmp_path)
    provenance.source_lines.cache_clear()
    yield tmp_path
    provenance.source_lines.cache_clear()


def uncited(frames: dict[str, pd.DataFrame]) -> list[tuple[int, str]]:
    return [(n, d) for n, d, _ in provenance.uncited_digits(frames, DOC)]


def test_an_uncited_number_is_reported_with_its_line(source):
    frames = {"text_claims": claims(
        (1, "Тауар айналымы 2022 жылы 6,5 миллиард", "6,5 миллиард", 2022, ""),
        (3, "Елде 30 лицей", "30", None, ""))}
    # line 1: value and year cited, the reference marker allowed; line 2: a list number;
    # line 3: "12 колледж" is cited by nobody
    assert uncited(frames) == [(3, "12")]
    frames["text_claims"] = pd.concat([frames["text_claims"], claims(
        (3, "12 колледж", "12", None, ""))], ignore_index=True)
    assert uncited(frames) == []


def test_a_year_or_a_value_left_out_is_reported(source):
    no_year = {"text_claims": claims(
        (1, "Тауар айналымы 2022 жылы 6,5 миллиард", "6,5 миллиард", None, ""),
        (3, "Елде 30 лицей және 12 колледж", "30", None, ""),
        (3, "Елде 30 лицей және 12 колледж", "12", None, ""))}
    assert uncited(no_year) == [(1, "2022")]
    # a number only inside the quote is not cited: the quote locates, the number cites
    quote_only = {"text_claims": claims(
        (1, "Тауар айналымы 2022 жылы 6,5 миллиард", "2022", None, ""),
        (3, "Елде 30 лицей және 12 колледж", "30", None, ""),
        (3, "Елде 30 лицей және 12 колледж", "12", None, ""))}
    assert uncited(quote_only) == [(1, "6"), (1, "5")]


def test_the_allow_list_is_what_lets_markers_and_list_numbers_pass(source, monkeypatch):
    frames = {"text_claims": claims(
        (1, "Тауар айналымы 2022 жылы 6,5 миллиард", "6,5 миллиард", 2022, ""),
        (3, "Елде 30 лицей және 12 колледж", "30", None, ""),
        (3, "Елде 30 лицей және 12 колледж", "12", None, ""))}
    assert uncited(frames) == []
    monkeypatch.setattr(provenance, "ALLOW", ())
    assert uncited(frames) == [(1, "12"), (1, "45"), (2, "1")]
    # an entry for other lines does not apply
    monkeypatch.setattr(provenance, "ALLOW", (Allow(DOC, (5, 9), r"\[[^\]]*\]", "x"),))
    assert (1, "12") in uncited(frames)


def test_the_problem_names_file_line_and_digits(source, monkeypatch, tmp_path):
    monkeypatch.setattr(provenance, "SOURCE_DOCS", (DOC,))
    monkeypatch.setattr(config, "DISSERTATION", source / DOC)
    frames = {"text_claims": claims(
        (1, "Тауар айналымы 2022 жылы 6,5 миллиард", "6,5 миллиард", 2022, ""),
        (3, "Елде 30 лицей", "30", None, ""))}
    report_as = config.ROOT / "data" / "raw" / "text_claims.csv"
    (problem,) = provenance.coverage_problems(frames, report_as)
    text = str(problem)
    assert "text_claims.csv" in text and "'12'" in text and "line 3" in text
    assert str(tmp_path) not in text  # a relative path, no machine path


@needs_source
def test_the_shipped_transcription_cites_every_digit():
    frames = provenance.raw_frames()
    for doc in provenance.SOURCE_DOCS:
        left = provenance.uncited_digits(frames, doc)
        assert not left, f"{doc}: uncited digits {left[:5]}"


@needs_source
def test_dropping_a_shipped_claim_is_caught():
    frames = provenance.raw_frames()
    claims_frame = frames["text_claims"]
    gone = claims_frame[claims_frame["claim_id"] == "T003"].iloc[0]  # "10 миллион" contai…
    frames["text_claims"] = claims_frame[claims_frame["claim_id"] != "T003"]
    left = provenance.uncited_digits(frames, DOC)
    assert (int(gone["source_line"]), "10") in [(n, d) for n, d, _ in left]


def test_every_allow_entry_says_why():
    for entry in provenance.ALLOW:
        assert entry.reason.strip(), entry
        assert entry.lines[0] <= entry.lines[1]
