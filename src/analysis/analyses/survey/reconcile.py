"""Reconciliation of the questionnaire (Қосымша Ә) with the results (Қосымша Б).

Options asked but not reported, reported but never asked, renamed (:func:`reconcile_options`,
:func:`reconciliation_summary`); labels that mix Latin and Cyrillic letters
(:func:`mixed_script_labels`); and numeric blocks that repeat across questions
(:func:`repeated_blocks`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from itertools import combinations
from typing import Any, cast

import pandas as pd

from analysis.analyses.survey.percent import exact_text, parse_printed_percent, sorted_results

#: Similarity at or above which two differently worded options count as "renamed".
#: Chosen by reading the 13 questions: genuine renames here score 0.5 or more (for example
#: "Маңызды емес" / "Маңызсыз" 1.0 on shared words, "Барлық бағыттарда бірдей даму" /
#: "Барлық салаларда интеграция" 0.51 on characters), while unrelated options such as
#: "Басқа (көрсетіңіз)" / "Барлық бағыттар" (0.42) or "Орташа" / "Жауап жоқ" (0.29) stay
#: below. Unmatched rows still report their best candidate and its score.
RENAME_THRESHOLD = 0.5

#: Characters kept from each word when comparing words. Kazakh is agglutinative
#: (маңызды / маңыздылығы), so comparing the first few letters is a crude but transparent
#: stem that lets "мәдени" and "мәдениет" count as the same word.
STEM_LENGTH = 5

#: Latin letters that look like Cyrillic ones. The source has "Бизнеc" with a Latin "c";
#: folding them makes such labels compare equal, and :func:`mixed_script_labels` reports
#: them separately as a finding.
#: Kazakh conjunctions ("and") ignored by the shared-word measure: they carry no meaning
#: of their own and would make any two "X және Y" labels look alike.
STOPWORDS = frozenset({"және", "мен", "бен", "пен", "да", "де", "та", "те"})

_HOMOGLYPHS = str.maketrans(
    {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к",
     "i": "і", "h": "һ", "m": "м", "t": "т", "b": "в"}
)
_PAREN = re.compile(r"\([^)]*\)")


def _fold(text: str) -> str:
    """NFKC, casefold, remove parenthesised instructions, fold Latin look-alikes."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = _PAREN.sub(" ", text)
    words = []
    for word in text.split():
        if any("CYRILLIC" in unicodedata.name(ch, "") for ch in word):
            word = word.translate(_HOMOGLYPHS)
        words.append(word)
    return " ".join(words)


def _words(text: str) -> list[str]:
    folded = _fold(text)
    cleaned = "".join(
        ch if ch.isalnum() else " " for ch in folded
    )
    return cleaned.split()


def normalise_label(text: str) -> str:
    """Comparison key of an option label.

    Steps, each for a reason seen in this source: Unicode NFKC and casefold; drop
    parenthesised instructions such as "(көрсетіңіз)" ("please specify"), which belong to
    the form, not the answer; fold Latin look-alike letters inside Cyrillic words
    ("Бизнеc" with a Latin c); remove punctuation and whitespace ("18-25" vs "18–25").
    """
    return "".join(_words(text))


def label_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two labels: the larger of two transparent measures.

    * ``difflib.SequenceMatcher`` ratio of the normalised strings: catches edits inside
      words ("Маңызды емес" / "Маңызсыз").
    * Shared-word overlap: the overlap coefficient ``|A ∩ B| / min(|A|, |B|)`` of the sets
      of word stems (first :data:`STEM_LENGTH` letters, conjunctions in :data:`STOPWORDS`
      dropped). It catches reordered words ("Ғылым және білім" / "Білім және ғылым") and
      shortened labels ("Барлық бағыттарда кешенді даму" / "Кешенді даму стратегиясы"),
      which the character ratio under-rates.
    """
    na, nb = normalise_label(a), normalise_label(b)
    if not na and not nb:
        return 1.0
    ratio = difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()
    sa, sb = _stems(a), _stems(b)
    overlap = len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0
    return max(ratio, overlap)


def _stems(text: str) -> set[str]:
    return {w[:STEM_LENGTH] for w in _words(text) if w not in STOPWORDS}


def _pair_options(
    asked: Sequence[str], reported: Sequence[str], threshold: float
) -> list[tuple[int, int, float, str]]:
    """Greedy pairing: identical, then normalised-equal, then best-scoring renames.

    Returns ``(asked_index, reported_index, score, status)``. Greedy by descending score
    (ties: earlier asked, then earlier reported) keeps the pairing explainable and
    deterministic; with at most five options per question it matches an optimal
    assignment in practice.
    """
    pairs: list[tuple[int, int, float, str]] = []
    free_a, free_r = set(range(len(asked))), set(range(len(reported)))
    for status, same in (
        ("identical", lambda a, r: a.strip() == r.strip()),
        ("normalised_equal", lambda a, r: normalise_label(a) == normalise_label(r)),
    ):
        for i in sorted(free_a):
            for j in sorted(free_r):
                if same(asked[i], reported[j]):
                    pairs.append((i, j, 1.0, status))
                    free_a.discard(i)
                    free_r.discard(j)
                    break
    scored = sorted(
        ((label_similarity(asked[i], reported[j]), i, j) for i in free_a for j in free_r),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for score, i, j in scored:
        if score >= threshold and i in free_a and j in free_r:
            pairs.append((i, j, score, "renamed"))
            free_a.discard(i)
            free_r.discard(j)
    return pairs


def reconcile_options(
    questionnaire: pd.DataFrame,
    results: pd.DataFrame,
    threshold: float = RENAME_THRESHOLD,
) -> pd.DataFrame:
    """Pair the options asked (Қосымша Ә) with the options reported (Қосымша Б).

    One row per asked or reported option with ``status``: ``identical``,
    ``normalised_equal`` (same after :func:`normalise_label`), ``renamed`` (similarity ≥
    ``threshold``), ``asked_not_reported`` or ``reported_not_asked``; the pairing score; and
    for unmatched rows the best candidate on the other side with its score, so that a
    reader can overrule the threshold. Why: a result that reports an option nobody was
    offered (or drops one that was) changes what the percentages mean.
    """
    q_table = questionnaire.copy()
    q_table["question"] = q_table["question"].astype(int)
    q_table = q_table.sort_values(["question", "option_letter"], kind="mergesort")
    r_table = sorted_results(results)
    rows = []
    questions = sorted(set(q_table["question"]) | set(r_table["question"]))
    for q in questions:
        qa = q_table[q_table["question"] == q].reset_index(drop=True)
        qr = r_table[r_table["question"] == q].reset_index(drop=True)
        asked = list(qa["option_kk"])
        reported = list(qr["option_kk"])
        pairs = _pair_options(asked, reported, threshold)
        paired_a = {i for i, _, _, _ in pairs}
        paired_r = {j for _, j, _, _ in pairs}

        def asked_row(i: int, qa: pd.DataFrame = qa) -> dict[str, object]:
            return {
                "option_letter": qa.at[i, "option_letter"],
                "asked_position": i + 1,
                "asked_kk": qa.at[i, "option_kk"],
                "asked_en": qa.at[i, "option_en"] if "option_en" in qa else None,
            }

        def reported_row(j: int, qr: pd.DataFrame = qr) -> dict[str, object]:
            return {
                "option_order": int(cast(Any, qr.at[j, "option_order"])),
                "reported_kk": qr.at[j, "option_kk"],
                "reported_en": qr.at[j, "option_en"] if "option_en" in qr else None,
                "printed": qr.at[j, "printed"],
            }

        for i, j, score, status in pairs:
            rows.append({"question": q, "status": status, "score": round(score, 3),
                         **asked_row(i), **reported_row(j)})
        for i in sorted(set(range(len(asked))) - paired_a):
            best = _best_candidate(asked[i], reported)
            rows.append({"question": q, "status": "asked_not_reported", "score": None,
                         **asked_row(i), "best_candidate": best[0], "best_score": best[1]})
        for j in sorted(set(range(len(reported))) - paired_r):
            best = _best_candidate(reported[j], asked)
            rows.append({"question": q, "status": "reported_not_asked", "score": None,
                         **reported_row(j), "best_candidate": best[0], "best_score": best[1]})
    cols = ["question", "status", "score", "option_letter", "asked_position", "asked_kk",
            "asked_en", "option_order", "reported_kk", "reported_en", "printed",
            "best_candidate", "best_score"]
    out = pd.DataFrame(rows).reindex(columns=cols)
    out["asked_position"] = out["asked_position"].astype("Int64")
    out["option_order"] = out["option_order"].astype("Int64")
    out["_key"] = out["asked_position"].fillna(99).astype(int) * 100 + out[
        "option_order"
    ].fillna(99).astype(int)
    out = out.sort_values(["question", "_key"], kind="mergesort").drop(columns="_key")
    return out.reset_index(drop=True)


def _best_candidate(label: str, others: Sequence[str]) -> tuple[str | None, float | None]:
    if not others:
        return None, None
    scores = [(label_similarity(label, o), -k, o) for k, o in enumerate(others)]
    score, _, best = max(scores)
    return best, round(score, 3)


def reconciliation_summary(
    questionnaire: pd.DataFrame, results: pd.DataFrame, threshold: float = RENAME_THRESHOLD
) -> pd.DataFrame:
    """Per question: counts of each reconciliation status, order changes, question wording.

    Why: the per-option table is long; this gives the one-line verdict per question,
    including whether the reported order differs from the asked order and how similar the
    printed question texts of Ә and Б are.
    """
    detail = reconcile_options(questionnaire, results, threshold)
    q_text = questionnaire.drop_duplicates("question").set_index("question")["question_kk"]
    r_text = results.drop_duplicates("question").set_index("question")["question_kk"]
    rows = []
    for key, grp in detail.groupby("question", sort=True):
        q = cast(Any, key)
        counts = Counter(grp["status"])
        paired = grp[grp["asked_position"].notna() & grp["option_order"].notna()]
        by_asked = paired.sort_values("asked_position")["option_order"].tolist()
        rows.append(
            {
                "question": int(q),
                "n_asked": int(grp["asked_position"].notna().sum()),
                "n_reported": int(grp["option_order"].notna().sum()),
                "identical": counts["identical"],
                "normalised_equal": counts["normalised_equal"],
                "renamed": counts["renamed"],
                "asked_not_reported": counts["asked_not_reported"],
                "reported_not_asked": counts["reported_not_asked"],
                "order_changed": by_asked != sorted(by_asked),
                "question_text_similarity": round(
                    label_similarity(str(q_text.get(q, "")), str(r_text.get(q, ""))), 3
                ),
            }
        )
    return pd.DataFrame(rows)


def mixed_script_labels(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Cells whose words mix Latin and Cyrillic letters (e.g. "Бизнеc" with a Latin c).

    Why: look-alike letters defeat exact matching and search; they are transcription or
    typing artefacts of the source, reported here rather than silently fixed.
    """
    rows = []
    for idx, row in frame.iterrows():
        for col in columns:
            for word in str(row[col]).split():
                scripts = {unicodedata.name(ch, "").split(" ")[0] for ch in word if ch.isalpha()}
                if {"LATIN", "CYRILLIC"} <= scripts:
                    latin = "".join(ch for ch in word
                                    if unicodedata.name(ch, "").startswith("LATIN"))
                    rows.append({"row": idx, "question": row.get("question"), "column": col,
                                 "text": row[col], "word": word, "latin_letters": latin,
                                 "source_line": row.get("source_line")})
    return pd.DataFrame(rows, columns=["row", "question", "column", "text", "word",
                                       "latin_letters", "source_line"])


# ---------------------------------------------------------------------------------------
# Repeated numeric blocks
# ---------------------------------------------------------------------------------------


def _longest_common_run(a: Sequence[Decimal], b: Sequence[Decimal]) -> list[Decimal]:
    """Longest contiguous run of values occurring in the same order in both sequences."""
    best: list[Decimal] = []
    for i in range(len(a)):
        for j in range(len(b)):
            length = 0
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
                length += 1
            if length > len(best):
                best = list(a[i : i + length])
    return best


def _value_labels(
    shared: Sequence[Decimal],
    a: Sequence[Decimal],
    b: Sequence[Decimal],
    labels_a: Sequence[str],
    labels_b: Sequence[str],
) -> dict[str, object]:
    """Which option carries each shared value in either question.

    Why: a repeated block is most telling when the same number sits under a *different*
    option (question 5 prints 19 % for "Жауап жоқ", question 11 for "Орташа").
    """
    used_a: set[int] = set()
    used_b: set[int] = set()
    parts: list[str] = []
    relabelled = 0
    for value in shared:
        i = next(k for k, v in enumerate(a) if v == value and k not in used_a)
        j = next(k for k, v in enumerate(b) if v == value and k not in used_b)
        used_a.add(i)
        used_b.add(j)
        parts.append(f"{exact_text(value)}: {labels_a[i]} ↔ {labels_b[j]}")
        relabelled += normalise_label(labels_a[i]) != normalise_label(labels_b[j])
    return {"value_labels": "; ".join(parts), "relabelled": relabelled}


def repeated_blocks(results: pd.DataFrame, min_length: int = 3) -> pd.DataFrame:
    """Pairs of questions whose printed percentages repeat, fully or partly.

    For every pair of questions: ``identical_ordered`` (same values in the same printed
    order), ``identical_multiset`` (same values in any order), the longest run of
    ``≥ min_length`` values shared in the same order, and the shared multiset of values
    when it has ``≥ min_length`` elements. Why: two different questions rarely produce the
    same distribution, so repeats can point at copy-paste in the appendix (questions 5 and
    11 share 40, 36, 19, 5). Values are compared exactly (Decimal), so "19%" equals
    "19.0%" but not "19.5%". Small integer percentages coincide by chance too; the
    ``kind`` column ranks the evidence: identical_ordered > identical_multiset >
    shared_run > shared_multiset.
    """
    table = sorted_results(results)
    by_q = {
        int(cast(Any, q)): [parse_printed_percent(t).value for t in grp["printed"]]
        for q, grp in table.groupby("question", sort=True)
    }
    labels = {int(cast(Any, q)): list(grp["option_kk"])
              for q, grp in table.groupby("question", sort=True)}
    rows = []
    for qa, qb in combinations(sorted(by_q), 2):
        a, b = by_q[qa], by_q[qb]
        run = _longest_common_run(a, b)
        shared = sorted((Counter(a) & Counter(b)).elements(), reverse=True)
        ordered = a == b
        multiset = Counter(a) == Counter(b)
        if ordered:
            kind = "identical_ordered"
        elif multiset:
            kind = "identical_multiset"
        elif len(run) >= min_length:
            kind = "shared_run"
        elif len(shared) >= min_length:
            kind = "shared_multiset"
        else:
            continue
        rows.append(
            {
                "question_a": qa,
                "question_b": qb,
                "kind": kind,
                "identical_ordered": ordered,
                "identical_multiset": multiset,
                "run_length": len(run),
                "run_values": ", ".join(exact_text(v) for v in run),
                "shared_count": len(shared),
                "shared_values": ", ".join(exact_text(v) for v in shared),
                "values_a": ", ".join(exact_text(v) for v in a),
                "values_b": ", ".join(exact_text(v) for v in b),
                **_value_labels(shared, a, b, labels[qa], labels[qb]),
            }
        )
    kinds = ["identical_ordered", "identical_multiset", "shared_run", "shared_multiset"]
    out = pd.DataFrame(rows, columns=[
        "question_a", "question_b", "kind", "identical_ordered", "identical_multiset",
        "run_length", "run_values", "shared_count", "shared_values", "values_a", "values_b",
        "value_labels", "relabelled"])
    out["_rank"] = out["kind"].map({k: i for i, k in enumerate(kinds)})
    out = out.sort_values(["_rank", "question_a", "question_b"], kind="mergesort")
    return out.drop(columns="_rank").reset_index(drop=True)
