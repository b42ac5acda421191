"""Issue 26: no student's copy shows a seminar's answer: not a handout (Kazakh or English),
not a student page of the site, not a student notebook on Binder (test_site_binder.py).

The answers are collected from the seminars' own answer data by ``answer_leaks.collect``:
the expected value of every check cell (the teaching layer's answer key), every number the
solution-tagged cells show or state, and their answer sentences; numbers a student must
read (the data, the prompts) and trivially short ones are not evidence. Nothing is typed in
here, and the seminars are discovered: a new seminar notebook is checked as it is.

The guard fails on the handouts of the seminars as they were before issue 26 (whose
"Талқылау · Discussion" cells stated the answers) and on any handout that keeps its
solution cells (tested below).
"""

from __future__ import annotations

import answer_leaks
import pytest

from analysis.present import parameters
from analysis.run import handouts
from analysis.teaching import grading

NOTEBOOKS = handouts.seminar_notebooks()
LANGS = handouts.LANGS


@pytest.fixture(scope="module")
def answers() -> dict[str, answer_leaks.Answers]:
    return {p.stem: answer_leaks.collect(answer_leaks.load(p), p.stem) for p in NOTEBOOKS}


def test_there_are_seminars_and_answers(answers):
    assert len(NOTEBOOKS) >= 2
    for stem, found in answers.items():
        assert found.numbers, f"{stem}: no answer number collected"
        assert found.sentences, f"{stem}: no answer sentence collected"


def test_every_seminar_checks_a_value_of_its_answer_key_in_both_notations(answers):
    """Each seminar's evidence includes expected values of its check cells (the teaching
    layer's answer key), each written in Kazakh and in English notation and reading back as
    that value rounded."""
    for path in NOTEBOOKS:
        found = answers[path.stem]
        origins = {o for o in found.numbers.values() if o.startswith("check ")}
        assert origins, f"{path.stem}: no check value is evidence"
        for origin in origins:
            key = origin.removeprefix("check ")
            value = abs(float(grading.expected(key, parameters.defaults(path.stem)).value))
            written = [f for f, o in found.numbers.items() if o == origin]
            assert any("," in f for f in written) and any("." in f for f in written), written
            for form in written:  # a comma is Kazakh's decimal mark or English thousands
                readings = [answer_leaks.number_tokens(text)[0]
                            for text in {form, form.replace(",", "")}]
                assert any(abs(float(read) - value) <= 0.51 * 10 ** -places
                           for read, places in readings), form


def test_short_numbers_and_dates_are_no_evidence():
    assert not answer_leaks.is_evidence(answer_leaks.Decimal("2"), 0)
    assert not answer_leaks.is_evidence(answer_leaks.Decimal("99"), 0)
    assert not answer_leaks.is_evidence(answer_leaks.Decimal("0.5"), 1)
    assert answer_leaks.is_evidence(answer_leaks.Decimal("0.51"), 2)
    assert answer_leaks.is_evidence(answer_leaks.Decimal("350"), 0)
    assert answer_leaks.number_tokens("S1.2, T109, 2026-07-01") == []
    # adjacent table cells never join: <td>−300</td><td>350</td>
    assert [str(v) for v, _ in answer_leaks.number_tokens(
        "<td>\u2212300</td><td>350</td><td>2\u00a0100</td><td>15,16%</td>")] == [
        "300", "350", "2100", "15.16"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_handout_shows_an_answer(path, lang, answers):
    """What `kaztur lab --handouts [--lang en]` and Binder's postBuild write."""
    leaks = answers[path.stem].leaks(handouts.handout_text(path, lang))
    assert leaks == [], f"{path.name} ({lang}) shows answers: {leaks}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_guard_sees_a_handout_that_keeps_its_solutions(path, answers, monkeypatch):
    """The guard can fail: a handout made without dropping the solution cells (the
    discussion's answers among them) shows answers, in both languages."""
    monkeypatch.setattr(handouts, "SOLUTION_TAG", "no-such-tag")
    for lang in LANGS:
        assert answers[path.stem].leaks(handouts.handout_text(path, lang)), path.stem


def test_the_guard_sees_an_answer_copied_into_a_prompt(answers):
    """An expected value written into a question (in English notation, with its %) and an
    answer sentence written into a question (in capitals) are both caught."""
    for path in NOTEBOOKS:
        found = answers[path.stem]
        form = next(f for f, o in sorted(found.numbers.items()) if o.startswith("check "))
        assert found.leaks(f"Is the answer \u2212{form}%?"), path.stem
        sentence = " ".join(next(iter(sorted(found.sentences))))
        assert found.leaks(f"Think about it. {sentence.upper()}!"), path.stem
        assert found.leaks("Nothing to see here.") == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_student_page_of_the_site_shows_an_answer(real_site, lang):
    """The student pages of the built site (from the shared real run, executed in each
    language) show no answer of their seminar; the teacher pages do (the check can fail)."""
    for path in NOTEBOOKS:
        stem = path.stem
        executed = real_site.reports / lang / "seminar" / stem / f"{stem}.ipynb"
        found = answer_leaks.collect(answer_leaks.load(executed), stem)
        student = real_site.page(lang, f"notebooks/seminar/{stem}-student")
        teacher = real_site.page(lang, f"notebooks/seminar/{stem}")
        leaks = found.leaks(answer_leaks.plain(student.read_text(encoding="utf-8")))
        assert leaks == [], f"{student.name} ({lang}) shows answers: {leaks}"
        assert found.leaks(answer_leaks.plain(teacher.read_text(encoding="utf-8"))), stem
