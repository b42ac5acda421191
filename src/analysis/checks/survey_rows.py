"""Survey checks (Қосымша Ә, Қосымша Б) as ledger rows; the computation is
:mod:`analysis.analyses.survey`.

Sums and sample sizes are judged under each common rounding rule separately (half-up,
half-even; one author, one program): a question is consistent when, under at least one rule,
its printed shares can sum to 100 %, or some N in 1..5000 produces them; the joint test asks
for one N that fits every question *under the same rule*. Every feasible N up to 5 000 is
listed (as runs), not just the smallest.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, cast

import numpy as np
import pandas as pd

from analysis.analyses import survey
from analysis.analyses.survey.percent import printed_by_question
from analysis.checks.core import CONTRADICTED, REPRODUCED, WITHIN, Row, status_suffix
from analysis.checks.phrases import Phrase, interval, items, num, only_rules, printed, say
from analysis.methods import rounding
from analysis.methods.rounding import RULES, Rule

N_MAX = survey.DEFAULT_N_MAX


def _q(q: int) -> str:
    return f"S.Q{int(q):02d}"


def _lines(frame: pd.DataFrame) -> tuple[int, ...]:
    return tuple(int(x) for x in frame["source_line"])


def _printed(part: pd.DataFrame) -> str:
    """A question's shares as printed, ``, ``-joined (the rows' ``value_printed``)."""
    return ", ".join(str(p) for p in part["printed"])


def _options(part: pd.DataFrame, q: int) -> Phrase:
    return say("in.options", n=len(part), question=q)


def survey_sum_rows(results: pd.DataFrame) -> list[Row]:
    """``survey.sum``: per question, 100 must lie in the sum of the printed shares'
    intervals under at least one rounding rule. An exact sum of 100: reproduced."""
    rows = []
    for q, shares in printed_by_question(results).items():
        part = results[results["question"] == q].sort_values("option_order")
        total = sum((p.exact for p in shares), Fraction(0))
        spans = {rule: rounding.total(survey.share_interval(p, rule) for p in shares)
                 for rule in RULES}
        v = rounding.contains_verdict(total == 100, spans, 100)
        fields = {"question": q, "printed": items([printed(p.text) for p in shares], " + "),
                  "sum": num(total), "off": num(total - 100), "iv": interval(spans["half_up"]),
                  "iv_even": interval(spans["half_even"])}
        rows.append(Row(f"{_q(q)}.sum", "survey.sum", "Қосымша Б", _lines(part),
                        " + ".join(p.text for p in shares), v.status,
                        say(f"diag.survey.sum_{status_suffix(v.status)}", **fields),
                        _options(part, q),
                        say("re.value_iv", value=num(total), iv=interval(spans["half_up"]),
                            unit=None),
                        say("tol.survey_sum")).with_note(only_rules(v)))
    return rows


def _sets(results: pd.DataFrame, exhaustive: bool) -> dict[Rule, dict[int, np.ndarray]]:
    return {rule: survey.feasible_sizes(results, N_MAX, rule, exhaustive)
            for rule in RULES}


def _smallest(sizes: np.ndarray) -> int | Phrase:
    return int(sizes[0]) if sizes.size else say("frag.no_n")


def _rule_bits(key: str, smallest: dict[Rule, np.ndarray], summed: dict[Rule, np.ndarray]
               ) -> Phrase:
    """Per rule: the smallest N, the smallest N whose counts sum to N, how many N fit."""
    return items([say(key, rule=say(f"rule.{r}"), smallest=_smallest(smallest[r]),
                      smallest_sum=_smallest(summed[r]), count=int(smallest[r].size),
                      n_max=N_MAX) for r in RULES])


def survey_granularity_rows(results: pd.DataFrame) -> list[Row]:
    """``survey.granularity`` per question and ``survey.joint_n`` for all questions.

    A question is consistent when, under some rule, some N in 1..5000 lets every option
    have an integer count that rounds to its printed share (per option); the smallest N
    with counts summing to N is reported beside it. The joint test asks for one N and one
    rule that fit every question. No such N: contradicted.
    """
    per = _sets(results, exhaustive=False)
    summed = _sets(results, exhaustive=True)
    rows = []
    for q in sorted(per["half_up"]):
        part = results[results["question"] == q].sort_values("option_order")
        union = np.union1d(per["half_up"][q], per["half_even"][q])
        bits = _rule_bits("frag.granularity_rule", {r: per[r][q] for r in RULES},
                          {r: summed[r][q] for r in RULES})
        fields = {"question": q, "printed": items([printed(str(p)) for p in part["printed"]],
                                                  ", "),
                  "n_max": N_MAX, "bits": bits, "count": int(union.size),
                  "feasible": survey.runs_text(union, limit=None)}
        status = CONTRADICTED if union.size == 0 else WITHIN
        rows.append(Row(f"{_q(q)}.granularity", "survey.granularity", "Қосымша Б",
                        _lines(part), _printed(part), status,
                        say(f"diag.survey.granularity_{status_suffix(status)}", **fields),
                        _options(part, q), say("re.granularity", bits=bits),
                        say("tol.survey_n", n_max=N_MAX)))
    rows.append(_joint_row(results, per, summed))
    return rows


def _joint(sets: dict[int, np.ndarray]) -> np.ndarray:
    out = np.arange(1, N_MAX + 1)
    for sizes in sets.values():
        out = np.intersect1d(out, sizes)
    return out


def _joint_row(results: pd.DataFrame, per: dict[Rule, dict[int, np.ndarray]],
               summed: dict[Rule, dict[int, np.ndarray]]) -> Row:
    joint = {r: _joint(per[r]) for r in RULES}
    joint_sum = {r: _joint(summed[r]) for r in RULES}
    n_q = len(per["half_up"])
    bits = _rule_bits("frag.joint_rule", joint, joint_sum)
    fields: dict[str, object] = {
        "questions": n_q, "n_max": N_MAX, "bits": bits,
        "up_set": survey.runs_text(joint["half_up"], limit=None),
        "even_set": survey.runs_text(joint["half_even"], limit=None)}
    status = CONTRADICTED if all(joint[r].size == 0 for r in RULES) else WITHIN
    return Row("S.joint.granularity", "survey.joint_n", "Қосымша Б", _lines(results),
               f"Q1–Q{n_q}", status,
               say(f"diag.survey.joint_{status_suffix(status)}", **fields),
               say("in.questions", n=n_q, shares=len(results)), say("re.granularity", bits=bits),
               say("tol.survey_joint_n", n_max=N_MAX))


def _option_problems(missing: pd.DataFrame, extra: pd.DataFrame) -> list[Phrase]:
    """An option asked but not reported; one reported but never asked (and the closest
    option asked, when one is close)."""
    out = [say("frag.option_missing", letter=str(r["option_letter"]),
               asked=f"«{r['asked_kk']}»") for _, r in missing.iterrows()]
    for _, r in extra.iterrows():
        fields = {"reported": f"«{r['reported_kk']}»", "printed": printed(str(r["printed"]))}
        if isinstance(r["best_candidate"], str):
            out.append(say("frag.option_extra_closest", **fields,
                           closest=f"«{r['best_candidate']}»"))
        else:
            out.append(say("frag.option_extra", **fields))
    return out


def _option_row(q: int, grp: pd.DataFrame, asked: pd.DataFrame, reported: pd.DataFrame
                ) -> Row:
    missing = grp[grp["status"] == "asked_not_reported"]
    extra = grp[grp["status"] == "reported_not_asked"]
    renamed = grp[grp["status"] == "renamed"]
    ren = items([say("frag.renamed", a=f"«{r['asked_kk']}»", b=f"«{r['reported_kk']}»")
                 for _, r in renamed.iterrows()])
    note = None
    if missing.empty and extra.empty:
        status = REPRODUCED if renamed.empty else WITHIN
        diagnosis = say(f"diag.survey.options_{status_suffix(status)}", question=q,
                        asked=len(asked), n_renamed=len(renamed), renamed=ren)
    else:
        status = CONTRADICTED
        diagnosis = say("diag.survey.options_contradicted", question=q,
                        problems=items(_option_problems(missing, extra)))
        note = say("note.renamed", renamed=ren) if not renamed.empty else None
    counts = items([say(f"frag.option_status.{s}", n=int((grp["status"] == s).sum()))
                    for s in sorted(set(grp["status"]))], ", ")
    part = reported.sort_values("option_order")
    return Row(f"{_q(q)}.options", "survey.options", "Қосымша Ә; Қосымша Б",
               (*_lines(asked), *_lines(reported)), _printed(part), status, diagnosis,
               say("in.options_asked", n=len(asked)), say("re.value", value=counts),
               say("tol.survey_options", threshold=num(Fraction(1, 2)))).with_note(note)


def survey_option_rows(questionnaire: pd.DataFrame, results: pd.DataFrame) -> list[Row]:
    """``survey.options``: per question, the options reported must be the options asked.

    Identical or equal after normalisation: reproduced; paired only as renamed (wording
    differs, similarity ≥ 0.5): within rounding (consistent up to wording); any option
    asked but not reported, or reported but never asked: contradicted.
    """
    detail = survey.reconcile_options(questionnaire, results)
    rows = []
    for key, grp in detail.groupby("question", sort=True):
        q = int(cast(Any, key))
        rows.append(_option_row(q, grp, questionnaire[questionnaire["question"] == q],
                                results[results["question"] == q]))
    return rows


def survey_repeat_rows(results: pd.DataFrame) -> list[Row]:
    """``survey.repeated_block``: pairs of questions printing the same shares.

    The same multiset of all shares in two questions (the whole block repeated):
    contradicted, as suspected copy-paste – most telling when a share sits under a
    different option. A partial overlap (a run of ≥ 3 shared values): within rounding,
    since whole-number percentages coincide by chance.
    """
    table = survey.repeated_blocks(results)
    rows = []
    for _, r in table.iterrows():
        qa, qb = int(r["question_a"]), int(r["question_b"])
        part = results[results["question"].isin([qa, qb])]
        full = bool(r["identical_ordered"]) or bool(r["identical_multiset"])
        fields = {"qa": qa, "qb": qb, "values_a": str(r["values_a"]),
                  "values_b": str(r["values_b"]), "relabelled": int(r["relabelled"]),
                  "labels": str(r["value_labels"]), "shared": str(r["shared_values"]),
                  "run": str(r["run_values"])}
        status = CONTRADICTED if full else WITHIN
        rows.append(Row(f"S.Q{qa:02d}-Q{qb:02d}.repeat", "survey.repeated_block", "Қосымша Б",
                        _lines(part), f"Q{qa}: {r['values_a']}", status,
                        say(f"diag.survey.repeat_{'full' if full else 'partial'}", **fields),
                        say("in.value", value=f"Q{qb}: {r['values_b']}"),
                        say("re.shared", values=str(r["shared_values"])),
                        say("tol.exact_equality")))
    return rows
