"""Tests for analysis.analyses.survey: granularity (GRIM-style) sample sizes, sums, uncertainty,
reconciliation of questionnaire and results, and repeated numeric blocks.

Hand-worked cases are explained in comments next to each assertion, so that a failing test
says which piece of arithmetic broke.
"""

from __future__ import annotations

import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.analyses import survey as sv
from analysis.present.figures import survey as survey_figures
from analysis.present.tables import survey as survey_tables

# ---------------------------------------------------------------------------------------
# helpers and fixtures
# ---------------------------------------------------------------------------------------


def results_frame(questions: dict[int, list[str]], labels: dict[int, list[str]] | None = None
                  ) -> pd.DataFrame:
    """A survey_results-shaped frame from {question: [printed, ...]}."""
    rows = []
    for q, printed in questions.items():
        for i, text in enumerate(printed, start=1):
            label = labels[q][i - 1] if labels else f"Нұсқа {q}.{i}"
            rows.append({"question": q, "question_kk": f"Сұрақ {q}", "question_en": f"Q{q}",
                         "option_order": i, "option_kk": label, "option_en": f"Option {i}",
                         "printed": text, "value": float(text.rstrip("%").replace(",", ".")),
                         "unit": "percent", "source_line": 1000 + 10 * q + i})
    return pd.DataFrame(rows)


def questionnaire_frame(questions: dict[int, list[str]]) -> pd.DataFrame:
    rows = []
    for q, options in questions.items():
        for letter, label in zip("abcde", options, strict=False):
            rows.append({"question": q, "section_kk": "Бөлім", "section_en": "Section",
                         "question_kk": f"Сұрақ {q}", "question_en": f"Q{q}",
                         "option_letter": letter, "option_kk": label, "option_en": label,
                         "source_line": 500 + 10 * q})
    return pd.DataFrame(rows)


def feasible(printed: list[str], n_max: int, tie_rule: str = "both",
             exhaustive: bool = False) -> list[int]:
    parsed = [sv.parse_printed_percent(p) for p in printed]
    mask = sv.feasible_mask(parsed, n_max, tie_rule, exhaustive)  # type: ignore[arg-type]
    return [int(n) for n in np.flatnonzero(mask) + 1]


def exact_round(k: int, n: int, decimals: int, mode: str) -> Fraction:
    """Independent rounding of 100·k/n (exact) with the tie going up, down, even or odd."""
    scaled = Fraction(100 * k * 10**decimals, n)
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor
    up = {"half_up": True, "half_down": False, "half_even": floor % 2 == 1,
          "half_odd": floor % 2 == 0}[mode]
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and up):
        floor += 1
    return Fraction(floor, 10**decimals)


#: tie rules of analysis.analyses.survey as unions of plain rounding conventions
MODES = {"both": ("half_up", "half_down", "half_even", "half_odd"), "half_up": ("half_up",),
         "half_even": ("half_even",), "up_or_even": ("half_up", "half_even")}



def _counts_can_sum_to(options: list[list[int]], n: int) -> bool:
    """Can one count per option (from its feasible counts) add up to exactly ``n``?"""
    sums = {0}
    for counts in options:
        sums = {s + k for s in sums for k in counts if s + k <= n}
    return n in sums

def brute_force(printed: list[str], n_max: int, tie_rule: str, exhaustive: bool) -> list[int]:
    """Enumerate every k for every N (slow, obviously right)."""
    parsed = [sv.parse_printed_percent(p) for p in printed]
    modes = MODES[tie_rule]
    out = []
    for n in range(1, n_max + 1):
        # any k that can round to p lies within 1 percentage point of it (loose window)
        ks = [[k for k in range(n + 1)
               if abs(Fraction(100 * k, n) - p.exact) <= 1
               and any(exact_round(k, n, p.decimals, m) == p.exact for m in modes)]
              for p in parsed]
        if not all(ks):
            continue
        if exhaustive and not _counts_can_sum_to(ks, n):
            continue
        out.append(n)
    return out


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The transcribed appendix through the project loader."""
    from analysis.data import datasets

    return datasets.load("survey_results"), datasets.load("survey_questionnaire")


# ---------------------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [("31,94%", Decimal("31.94"), 2), ("19.5%", Decimal("19.5"), 1), ("25%", Decimal(25), 0),
     ("20,0%", Decimal("20.0"), 1)],
)
def test_parse_keeps_decimals(text: str, value: Decimal, decimals: int) -> None:
    # "20,0%" must keep its one decimal: it claims ±0.05, not ±0.5
    p = sv.parse_printed_percent(text)
    assert (p.value, p.decimals) == (value, decimals)
    assert p.half_width == Fraction(1, 2 * 10**decimals)


def test_parse_agrees_with_project_parser() -> None:
    from analysis.data.parse import parse_number

    for text in ("31,94%", "19.5%", "25%", "9,25%"):
        ours, theirs = sv.parse_printed_percent(text), parse_number(text)
        assert (ours.value, ours.decimals) == (theirs.value, theirs.decimals)


def test_parse_rejects_non_percent() -> None:
    with pytest.raises(ValueError):
        sv.parse_printed_percent("25")


# ---------------------------------------------------------------------------------------
# granularity: hand-worked cases
# ---------------------------------------------------------------------------------------


def test_one_decimal_third() -> None:
    # "33.3%" (1 decimal) means [33.25, 33.35]. N=3, k=1: 33.33… inside -> N=3 feasible.
    # N=1 (0 or 100) and N=2 (0, 50, 100) cannot produce it.
    assert feasible(["33.3%"], 3) == [3]
    # integer "33%": [32.5, 33.5]; N=3, k=1 -> 33.33 rounds to 33 ✓
    assert feasible(["33%"], 3) == [3]
    # the rounding check itself, exactly
    assert sv.rounds_to(1, 3, sv.parse_printed_percent("33.3%"))
    assert not sv.rounds_to(1, 3, sv.parse_printed_percent("33.4%"))


def test_integer_tie_at_n8() -> None:
    # N=8, k=1 -> exactly 12.5 %, the tie between 12 and 13.
    # half up prints 13; half to even prints 12 (12 is even); "both" accepts either.
    # k=0 -> 0 % and k=2 -> 25 % are no help, so the tie decides alone.
    thirteen, twelve = sv.parse_printed_percent("13%"), sv.parse_printed_percent("12%")
    assert sv.rounds_to(1, 8, thirteen, "both") and sv.rounds_to(1, 8, twelve, "both")
    assert sv.rounds_to(1, 8, thirteen, "half_up")
    assert not sv.rounds_to(1, 8, twelve, "half_up")
    assert sv.rounds_to(1, 8, twelve, "half_even")
    assert not sv.rounds_to(1, 8, thirteen, "half_even")
    # and through the vectorised path: N=8 is in or out of the feasible set accordingly
    assert 8 in feasible(["13%"], 8, "both")
    assert 8 in feasible(["13%"], 8, "half_up")
    assert 8 not in feasible(["13%"], 8, "half_even")
    assert 8 in feasible(["12%"], 8, "half_even")
    assert 8 not in feasible(["12%"], 8, "half_up")
    # "up_or_even" = what either common rule can print: 12.5 -> 13 (up) or 12 (even)
    assert 8 in feasible(["12%"], 8, "up_or_even") and 8 in feasible(["13%"], 8, "up_or_even")
    # 7.5 % is 8 % under both common rules; only "both" lets it be printed as 7 %
    assert 40 in feasible(["7%"], 40, "both")
    assert 40 not in feasible(["7%"], 40, "up_or_even")


def test_two_decimal_tie_at_n800() -> None:
    # "0,13%" means [0.125, 0.135]. With k=1: 100/N ∈ [0.125, 0.135] <=> N ∈ [740.7…, 800].
    # N=741 gives 0.13495 % (inside), N=740 gives 0.13514 % (outside).
    # N=800 gives exactly 0.125 %: a tie that half up prints as 0,13, half-even as 0,12.
    assert feasible(["0,13%"], 800, "both") == list(range(741, 801))
    assert feasible(["0,13%"], 800, "half_up") == list(range(741, 801))
    assert feasible(["0,13%"], 800, "half_even") == list(range(741, 800))
    # "0,12%" at N=800: only half to even (2 is even) and "both" accept the tie
    assert 800 in feasible(["0,12%"], 800, "half_even")
    assert 800 not in feasible(["0,12%"], 800, "half_up")
    assert 800 in feasible(["0,12%"], 800, "both")


def test_smallest_n_for_a_small_question() -> None:
    # 50 / 33 / 17 %: N=6 gives 3/6 = 50, 2/6 = 33.3 -> 33, 1/6 = 16.7 -> 17, and 3+2+1 = 6.
    # Nothing smaller works: "17%" alone needs 100/N ≤ 17.5 -> N ≥ 6.
    assert feasible(["50%", "33%", "17%"], 10)[0] == 6
    assert feasible(["50%", "33%", "17%"], 10, exhaustive=True)[0] == 6


def test_sum_constraint_moves_the_smallest_n() -> None:
    # 50 / 50 / 1 %. Per option: "1%" needs k=1 with N ∈ [67, 200]; N=67 has no k with
    # k/67 ∈ [.495, .505]; N=68: 34/68 = 50 % ✓, 1/68 = 1.47 % ✓ -> smallest 68.
    # With Σk = N: k1 + k2 ≥ 2·ceil(0.495 N) which is ≥ N for every N ≤ 100 (even N: N;
    # odd N < 100: N + 1), and k3 ≥ 1, so the sum always exceeds N. N = 101: 50 + 50 + 1.
    printed = ["50%", "50%", "1%"]
    assert feasible(printed, 200)[0] == 68
    assert feasible(printed, 200, exhaustive=True)[0] == 101


def test_infeasible_set() -> None:
    # 40 / 40 / 40 %: each share alone is easy (N=5, k=2), but three shares of at least
    # 39.5 % sum to at least 118.5 % > 100 %, so no N has Σk = N.
    assert feasible(["40%", "40%", "40%"], 5000)[0] == 5
    assert feasible(["40%", "40%", "40%"], 5000, exhaustive=True) == []
    res = results_frame({1: ["40%", "40%", "40%"]})
    assert sv.smallest_joint_n(res, 5000, exhaustive=True) is None
    with pytest.raises(ValueError):
        sv.choose_sample_size(res.assign(printed=["33.3%", "33.4%", "0.1%"]), None, 50)


@pytest.mark.parametrize("tie_rule", ["both", "half_up", "half_even", "up_or_even"])
@pytest.mark.parametrize(
    "printed",
    [["25%", "37%", "21%", "17%"], ["30%", "19.5%", "17%", "19%", "14%"], ["12%", "88%"],
     ["0%", "100%"], ["62.5%", "37.5%"], ["45%", "29%", "19%", "7%"]],
)
def test_vectorised_equals_brute_force(printed: list[str], tie_rule: str) -> None:
    # the interval arithmetic must agree with enumerating every k (independent rounding).
    # [45, 29, 19, 7] at N=80 is the interesting case: 6/80 = 7.5 % is printed as 8 % by
    # half up and half even alike, so only "both" (any tie direction) accepts it as 7 %.
    for exhaustive in (False, True):
        assert feasible(printed, 120, tie_rule, exhaustive) == brute_force(
            printed, 120, tie_rule, exhaustive
        )


# ---------------------------------------------------------------------------------------
# sums
# ---------------------------------------------------------------------------------------


def test_sums() -> None:
    res = results_frame({
        1: ["30%", "19.5%", "17%", "19%", "14%"],  # 99.5; [97.45, 101.55] contains 100
        2: ["40%", "40%", "40%"],                   # 120; [118.5, 121.5] does not
        3: ["50%", "49%"],                          # 99; 100 only at the upper tie
        4: ["31,94%", "22,16%", "9,25%", "21,12%", "15,53%"],  # exactly 100
    })
    both = sv.sum_table(res, "both").set_index("question")
    assert both.loc[1, "printed_sum"] == "99.5"
    assert both.loc[1, "deviation"] == -0.5
    assert (both.loc[1, "sum_lo"], both.loc[1, "sum_hi"]) == (97.45, 101.55)
    assert bool(both.loc[1, "feasible"])
    assert not bool(both.loc[2, "feasible"])
    assert both.loc[4, "printed_sum"] == "100"
    assert both.loc[4, "max_rounding_error"] == 0.025
    # 50.5 + 49.5 = 100 needs 50.5 printed as 50 (not half up) and 49.5 printed as 49
    # (not half to even, 49 is odd): only "both" accepts it.
    assert bool(both.loc[3, "feasible"])
    assert not bool(sv.sum_table(res, "half_up").set_index("question").loc[3, "feasible"])
    assert not bool(sv.sum_table(res, "half_even").set_index("question").loc[3, "feasible"])


# ---------------------------------------------------------------------------------------
# implied counts and uncertainty
# ---------------------------------------------------------------------------------------


def test_implied_counts_and_tie_break() -> None:
    res = results_frame({1: ["50%", "33%", "17%"], 2: ["50%", "50%"]})
    counts = sv.implied_counts(res, sv.AssumedN(101, "test"))
    q2 = counts[counts["question"] == 2]
    # N=101, "50%": k ∈ [ceil(49.995), floor(51.005)] = 50-51 for each option.
    assert list(q2["feasible_ks"]) == ["50-51", "50-51"]
    # targets 50.5 and 50.5: nearest with exact halves going down is 50 + 50 = 100 < 101;
    # the missing unit goes to the largest remainder, ties to the earlier option -> 51, 50
    assert list(q2["k"]) == [51, 50]
    assert counts["basis"].str.startswith("DERIVED from assumed N=101 (test)").all()
    at6 = sv.implied_counts(res, 6)
    assert list(at6[at6["question"] == 1]["k"]) == [3, 2, 1]
    assert at6[at6["question"] == 1]["k_rounds_to_printed"].all()
    # question 2 at N=6: 3 + 3 ✓; question 1 at N=7 cannot be printed as 50/33/17
    at7 = sv.implied_counts(res, 7)
    assert at7[at7["question"] == 1]["k"].isna().all()


def test_intervals_and_chisquare_are_labelled_derived() -> None:
    res = results_frame({1: ["50%", "33%", "17%"]})
    counts = sv.implied_counts(res, sv.AssumedN(6, "hand example"))
    wilson = sv.option_intervals(counts, 0.95, "wilson")
    lo, hi = proportion_confint(3, 6, alpha=0.05, method="wilson")
    assert wilson.loc[0, "ci_low"] == pytest.approx(100 * lo)
    assert wilson.loc[0, "ci_high"] == pytest.approx(100 * hi)
    beta = sv.option_intervals(counts, 0.95, "beta")
    assert beta.loc[0, "ci_high"] - beta.loc[0, "ci_low"] > hi * 100 - lo * 100  # C-P wider
    with pytest.raises(ValueError):
        sv.option_intervals(counts, 0.95, "wald")  # type: ignore[arg-type]
    sim = sv.simultaneous_intervals(counts, 0.95)
    assert set(sim["method"]) == {"goodman", "sison-glaz"}
    assert sim["validity_note"].str.contains("fewer than 7").any()
    # counts 3, 2, 1 against 2, 2, 2: chi² = (1 + 0 + 1) / 2 = 1; dof 2 -> p = e^(-1/2)
    chi = sv.chisquare_equal_shares(counts)
    assert chi.loc[0, "chi2"] == pytest.approx(1.0)
    assert chi.loc[0, "p_value"] == pytest.approx(np.exp(-0.5))
    for table in (wilson, sim, chi):
        assert table["basis"].str.contains("DERIVED from assumed N=6").all()


def test_counts_clipped_to_n() -> None:
    # "100%" at N=200 means k ∈ [ceil(199), floor(201)] before clipping; k cannot exceed N.
    counts = sv.implied_counts(results_frame({1: ["100%", "0%"]}), 200)
    assert counts["k_max"].tolist() == [200, 1]
    assert counts["feasible_ks"].tolist() == ["199-200", "0-1"]
    assert counts["k"].tolist() == [200, 0]


def test_choose_sample_size_prefers_user_value() -> None:
    res = results_frame({1: ["50%", "33%", "17%"]})
    assert sv.choose_sample_size(res, None, 100).n == 6
    assert "Σk=N" in sv.choose_sample_size(res, None, 100).reason
    assert sv.choose_sample_size(res, 60, 100) == sv.AssumedN(60, "user-given sample_size",
                                                               "user", 100)


# ---------------------------------------------------------------------------------------
# reconciliation and repeats
# ---------------------------------------------------------------------------------------


def test_reconciliation_statuses() -> None:
    asked = questionnaire_frame({
        1: ["Өте маңызды", "Маңызды", "Орташа", "Маңызды емес"],
        2: ["Ғылым және білім", "Бизнеc", "Басқа (көрсетіңіз)"],  # Latin "c" in Бизнеc
    })
    reported = results_frame(
        {1: ["40%", "36%", "5%", "19%"], 2: ["50%", "30%", "20%"]},
        labels={1: ["Өте маңызды", "Маңызды", "Маңызсыз", "Жауап жоқ"],
                2: ["Білім және ғылым", "Бизнес", "Барлық бағыттар"]},
    )
    rec = sv.reconcile_options(asked, reported)
    status = {(r.question, r.asked_kk if isinstance(r.asked_kk, str) else r.reported_kk):
              r.status for r in rec.itertuples()}
    assert status[(1, "Өте маңызды")] == "identical"
    assert status[(1, "Орташа")] == "asked_not_reported"         # dropped from the results
    assert status[(1, "Жауап жоқ")] == "reported_not_asked"      # never offered
    assert status[(1, "Маңызды емес")] == "renamed"               # -> Маңызсыз
    renamed = rec[(rec["question"] == 1) & (rec["status"] == "renamed")].iloc[0]
    assert renamed["reported_kk"] == "Маңызсыз" and renamed["score"] >= sv.RENAME_THRESHOLD
    assert status[(2, "Ғылым және білім")] == "renamed"           # reordered words
    assert status[(2, "Бизнеc")] == "normalised_equal"            # homoglyph folded
    assert status[(2, "Басқа (көрсетіңіз)")] == "asked_not_reported"  # "Other" ≠ "All"
    unmatched = rec[rec["status"] == "reported_not_asked"].set_index("reported_kk")
    assert unmatched.loc["Барлық бағыттар", "best_candidate"] == "Басқа (көрсетіңіз)"
    assert unmatched.loc["Барлық бағыттар", "best_score"] < sv.RENAME_THRESHOLD
    summary = sv.reconciliation_summary(asked, reported).set_index("question")
    assert summary.loc[1, ["asked_not_reported", "reported_not_asked", "renamed"]].tolist() == [
        1, 1, 1]
    mixed = sv.mixed_script_labels(asked, ["option_kk"])
    assert mixed["word"].tolist() == ["Бизнеc"] and mixed["latin_letters"].tolist() == ["c"]


def test_similarity_measures() -> None:
    assert sv.normalise_label("18-25") == sv.normalise_label(" 18–25 ")
    assert sv.normalise_label("Бизнеc") == sv.normalise_label("Бизнес")
    assert sv.normalise_label("Басқа (көрсетіңіз)") == sv.normalise_label("Басқа")
    # reordered words score 1 on shared words though the character ratio is lower
    assert sv.label_similarity("Ғылым және білім", "Білім және ғылым") == 1.0
    assert sv.label_similarity("Орташа", "Жауап жоқ") < sv.RENAME_THRESHOLD
    # a higher threshold turns the rename into one dropped and one new option
    asked = questionnaire_frame({1: ["Ортақ экономикалық аймақ құру"]})
    reported = results_frame({1: ["100%"]}, labels={1: ["Ортақ экономикалық кеңістік"]})
    assert sv.reconcile_options(asked, reported)["status"].tolist() == ["renamed"]
    assert sv.reconcile_options(asked, reported, threshold=0.95)["status"].tolist() == [
        "asked_not_reported", "reported_not_asked"]


def test_repeated_blocks() -> None:
    res = results_frame(
        {1: ["40%", "36%", "19%", "5%"],
         2: ["40%", "36%", "5%", "19%"],          # same values, two swapped: multiset repeat
         3: ["10%", "40%", "36%", "19%"],         # run 40, 36, 19 in order: partial repeat
         4: ["19%", "7%", "40%", "2%", "36%"],    # 40, 36, 19 present but not as a run
         5: ["10%", "20%", "70%"],                # shares nothing with 1 (10 with 3 only)
         6: ["40%", "36%", "19%", "5%"]},         # identical to 1
        labels={1: ["Өте маңызды", "Маңызды", "Орташа", "Маңызды емес"],
                2: ["Өте маңызды", "Маңызды", "Маңызсыз", "Жауап жоқ"],
                3: ["a", "b", "c", "d"], 4: ["a", "b", "c", "d", "e"], 5: ["a", "b", "c"],
                6: ["Өте маңызды", "Маңызды", "Орташа", "Маңызды емес"]},
    )
    rep = sv.repeated_blocks(res)
    kinds = {(r.question_a, r.question_b): r.kind for r in rep.itertuples()}
    assert kinds[(1, 6)] == "identical_ordered"
    assert kinds[(1, 2)] == "identical_multiset"
    assert kinds[(1, 3)] == "shared_run"
    assert kinds[(1, 4)] == "shared_multiset"
    assert (1, 5) not in kinds
    row = rep[(rep["question_a"] == 1) & (rep["question_b"] == 2)].iloc[0]
    # 19 % sits under "Орташа" in one question and under "Жауап жоқ" in the other
    assert "19: Орташа ↔ Жауап жоқ" in row["value_labels"]
    assert row["relabelled"] == 2
    assert rep.loc[rep["kind"] == "shared_run", "run_values"].tolist()[0] == "40, 36, 19"
    assert rep["kind"].iloc[0] == "identical_ordered"  # strongest evidence first
    assert sv.repeated_blocks(res, min_length=4)["kind"].isin(
        ["identical_ordered", "identical_multiset"]).all()


# ---------------------------------------------------------------------------------------
# the transcribed appendix
# ---------------------------------------------------------------------------------------


def test_real_joint_n(real: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    results, _ = real
    # Question 3 prints two decimals (31,94 / 22,16 / 9,25 / 21,12 / 15,53): N=573 with
    # counts 183 / 127 / 53 / 121 / 89 (sum 573) reproduces all five, e.g. 183/573 = 31.937 %.
    assert sv.smallest_joint_n(results, 5000, exhaustive=False) == 573
    assert sv.smallest_joint_n(results, 5000, exhaustive=True) == 573
    counts = sv.implied_counts(results, 573)
    assert counts[counts["question"] == 3]["k"].tolist() == [183, 127, 53, 121, 89]
    assert counts["k_rounds_to_printed"].all()
    sums = sv.sum_table(results).set_index("question")
    assert sums["feasible"].all()
    assert sums.loc[8, "printed_sum"] == "99.5"


def test_real_speed(real: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    results, _ = real
    start = time.perf_counter()
    for exhaustive in (False, True):
        sv.feasible_sizes(results, 5000, "both", exhaustive)
    assert time.perf_counter() - start < 1.0


def test_real_reconciliation_and_repeats(real: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    results, questionnaire = real
    rep = sv.repeated_blocks(results)
    first = rep.iloc[0]
    assert (first["question_a"], first["question_b"], first["kind"]) == (
        5, 11, "identical_multiset")
    rec = sv.reconcile_options(questionnaire, results)
    q5 = rec[rec["question"] == 5].set_index("status")
    assert q5.loc["asked_not_reported", "asked_kk"] == "Орташа"
    assert q5.loc["reported_not_asked", "reported_kk"] == "Жауап жоқ"


def test_build_report_is_deterministic(real: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    results, questionnaire = real
    a = sv.build_report(results, questionnaire, sample_size=None)
    b = sv.build_report(results.sample(frac=1, random_state=1), questionnaire)
    assert a.assumed.n == 573
    pd.testing.assert_frame_equal(a.counts, b.counts)
    pd.testing.assert_frame_equal(a.intervals, b.intervals)
    one = a.question(5)
    assert set(one) >= {"results", "counts", "intervals", "reconciliation", "repeats"}
    assert len(one["counts"]) == 4


# ---------------------------------------------------------------------------------------
# presentation helpers used by notebooks/04_survey.ipynb
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_display_tables_keep_the_derived_warning(real: tuple[pd.DataFrame, pd.DataFrame],
                                                  lang: str) -> None:
    results, questionnaire = real
    report = sv.build_report(results, questionnaire, sample_size=200)
    word = {"kk": "ЕСЕПТЕЛГЕН", "en": "DERIVED"}[lang]
    for name in survey_tables.DISPLAY:
        shown = survey_tables.display_table(report, name, lang)
        assert len(shown) == len(getattr(report, survey_tables.DISPLAY[name][0]))
        basis = [c for c in shown.columns if c in ("Негіз", "Basis")]
        if name in ("counts", "intervals", "simultaneous", "chisquare"):
            # the warning survives translation and names the assumed N and why
            assert basis and shown[basis[0]].str.contains(word).all()
            assert shown[basis[0]].str.contains("N = 200").all()
            assert shown[basis[0]].str.contains(
                {"kk": "sample_size", "en": "sample_size"}[lang]).all()


def test_question_chart_hatches_options_never_asked(
        real: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results, questionnaire = real
    report = sv.build_report(results, questionnaire)
    fig = survey_figures.plot_question(report, 5, "en")
    bars = fig.axes[0].patches
    # four options; only "Жауап жоқ" (4th, never offered in Қосымша Ә) is hatched
    assert [b.get_hatch() for b in bars[:4]] == [None, None, None, "//"]
    assert [b.get_height() for b in bars[:4]] == [40.0, 36.0, 5.0, 19.0]
    plt.close(fig)


# ---------------------------------------------------------------------------------------
# the ledger's granularity minima, recomputed by brute force per rule
# ---------------------------------------------------------------------------------------


def brute_min(printed: list[str], mode: str, exhaustive: bool, n_max: int = 700) -> int | None:
    """The smallest N for which counts exist that round (by ``mode``) to every printed
    share, enumerated with exact integer arithmetic; ``exhaustive``: the counts sum to N."""
    parsed = [sv.parse_printed_percent(p) for p in printed]
    for n in range(1, n_max + 1):
        ks = []
        for p in parsed:
            lo = max(0, int((p.exact - 1) * n / 100) - 1)
            hi = min(n, int((p.exact + 1) * n / 100) + 1)
            ks.append([k for k in range(lo, hi + 1)
                       if exact_round(k, n, p.decimals, mode) == p.exact])
        if not all(ks):
            continue
        if exhaustive and not _counts_can_sum_to(ks, n):
            continue
        return n
    return None


def test_ledger_granularity_minima_are_exact(real: tuple[pd.DataFrame, pd.DataFrame],
                                            shipped_ledger: pd.DataFrame) -> None:
    """Each question's smallest N under half-up and under half-even, alone and with Σk = N,
    as the ledger prints them (S.Qnn.granularity), equals an integer brute force."""
    import json

    results, _ = real
    rows = shipped_ledger
    rows = rows[rows["check_id"] == "survey.granularity"]
    assert len(rows) == results["question"].nunique()
    for _, row in rows.iterrows():
        f = json.loads(row["diagnosis"])["fields"]
        printed = list(sv.sorted_results(results).query("question == @f['question']")["printed"])
        for mode, bits in zip(("half_up", "half_even"), f["bits"]["items"], strict=True):
            got = bits["fields"]
            assert got["rule"]["key"] == f"rule.{mode}"
            assert int(got["smallest"]) == brute_min(printed, mode, False), (row["claim_id"], mode)
            assert int(got["smallest_sum"]) == brute_min(printed, mode, True), (row["claim_id"],
                                                                                mode)
