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
from analysis.checks.core import CONTRADICTED, REPRODUCED, WITHIN, Row
from analysis.methods import rounding
from analysis.methods.rounding import RULES, Rule, fmt

N_MAX = survey.DEFAULT_N_MAX


def _q(q: int) -> str:
    return f"S.Q{int(q):02d}"


def _lines(frame: pd.DataFrame) -> tuple[int, ...]:
    return tuple(int(x) for x in frame["source_line"])


def _rule_name(rule: Rule) -> str:
    return rule.replace("_", "-")


def survey_sum_rows(results: pd.DataFrame) -> list[Row]:
    """``survey.sum``: per question, 100 must lie in the sum of the printed shares'
    intervals under at least one rounding rule. An exact sum of 100: reproduced."""
    rows = []
    for q, printed in printed_by_question(results).items():
        part = results[results["question"] == q].sort_values("option_order")
        text = " + ".join(p.text for p in printed)
        total = sum((p.exact for p in printed), Fraction(0))
        spans = {rule: rounding.total(survey.share_interval(p, rule) for p in printed)
                 for rule in RULES}
        v = rounding.contains_verdict(total == 100, spans, 100)
        shown = spans["half_up"].text()
        fields = {"question": q, "printed": text, "sum": fmt(total), "iv": shown,
                  "iv_even": spans["half_even"].text(), "rules": v.rule_text}
        if v.status == REPRODUCED:
            diag = f"{text} = 100%"
        elif v.status == WITHIN:
            diag = (f"{text} = {fmt(total)}%: off by {fmt(total - 100)}, within the options' "
                    f"rounding ({shown})" + (f"; {v.rule_text}" if v.rule_text else ""))
        else:
            diag = (f"{text} = {fmt(total)}%: 100% lies outside {shown} (half-up) and "
                    f"{fields['iv_even']} (half-even) – rounding cannot explain it")
        rows.append(Row(f"{_q(q)}.sum", "survey.sum", "Қосымша Б", _lines(part), text,
                        f"{len(part)} options of question {q}", f"{fmt(total)} {shown}",
                        "each option ± half its last digit, summed", v.status, diag,
                        f"survey.sum_{v.status.split()[0]}", fields))
    return rows


def _sets(results: pd.DataFrame, exhaustive: bool) -> dict[Rule, dict[int, np.ndarray]]:
    return {rule: survey.feasible_sizes(results, N_MAX, rule, exhaustive)
            for rule in RULES}


def _smallest(sizes: np.ndarray) -> str:
    return str(int(sizes[0])) if sizes.size else "none"


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
        printed = ", ".join(str(p) for p in part["printed"])
        union = np.union1d(per["half_up"][q], per["half_even"][q])
        bits = [f"{_rule_name(r)}: smallest N {_smallest(per[r][q])} "
                f"(Σk = N: {_smallest(summed[r][q])}), {per[r][q].size} of {N_MAX} N"
                for r in RULES]
        listing = survey.runs_text(union, limit=None)
        fields = {"question": q, "printed": printed, "n_max": N_MAX,
                  "up": _smallest(per["half_up"][q]), "even": _smallest(per["half_even"][q]),
                  "up_sum": _smallest(summed["half_up"][q]),
                  "even_sum": _smallest(summed["half_even"][q]), "count": int(union.size),
                  "feasible": listing}
        if union.size == 0:
            status, template = CONTRADICTED, "survey.granularity_contradicted"
            diag = (f"no number of respondents N ≤ {N_MAX} yields {printed} under half-up or "
                    f"half-even rounding: the shares cannot all be counts out of one N")
        else:
            status, template = WITHIN, "survey.granularity_within"
            diag = (f"{printed} can come from N respondents: {'; '.join(bits)}; "
                    f"feasible N ≤ {N_MAX} (either rule): {listing}")
        rows.append(Row(f"{_q(q)}.granularity", "survey.granularity", "Қосымша Б",
                        _lines(part), printed, f"{len(part)} options of question {q}",
                        "; ".join(bits), f"each share: its rounding interval; N in 1..{N_MAX}",
                        status, diag, template, fields))
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
    bits = [f"{_rule_name(r)}: smallest joint N {_smallest(joint[r])} (Σk = N: "
            f"{_smallest(joint_sum[r])}), {joint[r].size} joint N ≤ {N_MAX}" for r in RULES]
    fields: dict[str, object] = {
        "questions": n_q, "n_max": N_MAX, "up": _smallest(joint["half_up"]),
        "even": _smallest(joint["half_even"]), "up_sum": _smallest(joint_sum["half_up"]),
        "even_sum": _smallest(joint_sum["half_even"]),
        "up_set": survey.runs_text(joint["half_up"], limit=None),
        "even_set": survey.runs_text(joint["half_even"], limit=None)}
    if all(joint[r].size == 0 for r in RULES):
        status, template = CONTRADICTED, "survey.joint_contradicted"
        diag = (f"no single number of respondents ≤ {N_MAX} produces the shares of all {n_q} "
                f"questions under either rounding rule; if one sample answered them all, the "
                f"shares are inconsistent (or item non-response/misprints)")
    else:
        status, template = WITHIN, "survey.joint_within"
        diag = (f"all {n_q} questions fit one N: {'; '.join(bits)}; joint N (half-up): "
                f"{fields['up_set']}; joint N (half-even): {fields['even_set']}; the source "
                f"never states N, so this is inferred")
    return Row("S.joint.granularity", "survey.joint_n", "Қосымша Б", _lines(results),
               f"{len(results)} printed shares", f"{n_q} questions", "; ".join(bits),
               f"each share: its rounding interval under one rule; N in 1..{N_MAX}", status,
               diag, template, fields)


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
        asked = questionnaire[questionnaire["question"] == q]
        reported = results[results["question"] == q]
        lines = (*_lines(asked), *_lines(reported))
        missing = grp[grp["status"] == "asked_not_reported"]
        extra = grp[grp["status"] == "reported_not_asked"]
        renamed = grp[grp["status"] == "renamed"]
        bits = [f"asked {r['option_letter']}) «{r['asked_kk']}» is not reported"
                for _, r in missing.iterrows()]
        bits += [f"reported «{r['reported_kk']}» ({r['printed']}) was never asked"
                 + (f" (closest asked: «{r['best_candidate']}»)"
                    if isinstance(r["best_candidate"], str) else "")
                 for _, r in extra.iterrows()]
        ren = [f"«{r['asked_kk']}» → «{r['reported_kk']}»" for _, r in renamed.iterrows()]
        fields = {"question": q, "asked": len(asked), "renamed": "; ".join(ren),
                  "problems": "; ".join(bits)}
        if missing.empty and extra.empty:
            status = REPRODUCED if renamed.empty else WITHIN
            diag = (f"all {len(asked)} options asked are reported under the same labels"
                    if renamed.empty else f"all {len(asked)} options match, {len(renamed)} "
                    f"under a different wording: " + "; ".join(ren))
        else:
            status = CONTRADICTED
            diag = "; ".join(bits) + ("; renamed: " + "; ".join(ren) if ren else "")
        counts = ", ".join(f"{s}: {int((grp['status'] == s).sum())}"
                           for s in sorted(set(grp["status"])))
        rows.append(Row(f"{_q(q)}.options", "survey.options", "Қосымша Ә; Қосымша Б", lines,
                        f"{len(reported)} options reported",
                        f"{len(asked)} options asked (Қосымша Ә)", counts,
                        "labels paired when similarity ≥ 0.5", status, diag,
                        f"survey.options_{status.split()[0]}", fields))
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
        fields = {"qa": qa, "qb": qb, "values_a": r["values_a"], "values_b": r["values_b"],
                  "relabelled": int(r["relabelled"]), "labels": r["value_labels"],
                  "shared": r["shared_values"], "run": r["run_values"]}
        if full:
            status = CONTRADICTED
            diag = (f"questions {qa} and {qb} print the same shares ({r['values_a']} vs "
                    f"{r['values_b']}); {int(r['relabelled'])} of them under different "
                    f"options ({r['value_labels']}): suspected copy-paste (hypothesis)")
        else:
            status = WITHIN
            diag = (f"questions {qa} and {qb} share {r['shared_values']} "
                    f"(run {r['run_values']}); plausible by chance at whole-number precision")
        rows.append(Row(f"S.Q{qa:02d}-Q{qb:02d}.repeat", "survey.repeated_block", "Қосымша Б",
                        _lines(part), f"Q{qa}: {r['values_a']}",
                        f"Q{qb}: {r['values_b']}", f"shared: {r['shared_values']}",
                        "exact equality of printed values", status, diag,
                        f"survey.repeat_{'full' if full else 'partial'}", fields))
    return rows
