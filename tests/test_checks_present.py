"""The ledger in both languages (present.tables.checks, labels/checks.yaml) and its grouped
summary (checks.ledger.summary_text): every diagnosis template of every shipped row renders
in Kazakh and in English with no field left unfilled; every check and kind has its labels;
the summary is grouped by kind, most serious first, short unless asked."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from analysis.checks import core, ledger
from analysis.checks.core import CHECK_IDS, CONTRADICTED, KINDS, STATUSES
from analysis.present import i18n
from analysis.present.tables import checks as table


@pytest.fixture(scope="module")
def shipped(shipped_ledger) -> pd.DataFrame:
    return shipped_ledger.copy()


def test_every_shipped_template_has_both_languages(shipped):
    labels = i18n.labels()
    for template in sorted(set(shipped["template"]) - {""}):
        key = f"checks.diag.{template}"
        assert key in labels, f"no label {key}"
        for lang in ("kk", "en"):
            assert i18n.t(key, lang).strip(), f"{key} has no {lang} text"


def test_every_row_renders_without_leftover_fields(shipped):
    for lang in ("kk", "en"):
        for t, f, cid in zip(shipped["template"], shipped["fields"], shipped["claim_id"],
                             strict=True):
            text = table.explanation(t, f, lang)
            assert text, f"{cid}: empty {lang} diagnosis"
            assert not re.search(r"\{[a-z_]+\}", text), f"{cid} ({lang}): {text}"


def test_template_fields_are_all_present(shipped):
    """A field a template names must be in the row's fields (else it would print empty)."""
    for t, f, cid in zip(shipped["template"], shipped["fields"], shipped["claim_id"],
                         strict=True):
        if not t:
            continue
        have = set(table._render_fields(json.loads(f), "en"))
        for lang in ("kk", "en"):
            wanted = set(re.findall(r"\{([a-z_]+)\}", i18n.t(f"checks.diag.{t}", lang)))
            assert wanted <= have, f"{cid} {t} ({lang}): missing {sorted(wanted - have)}"


def test_kazakh_differs_from_english(shipped):
    """Every template is translated: its Kazakh text is not its English text (field
    rendering aside), except a diagnosis made of numbers only."""
    labels = i18n.labels()
    keys = sorted(k for k in labels if k.startswith(("checks.diag.", "checks.explain.",
                                                      "checks.kind.")))
    same = [k for k in keys if i18n.t(k, "kk") == i18n.t(k, "en")]
    # "96 пайыз + 4 пайыз = 100%" and a note passed through read the same in both
    assert set(same) <= {"checks.diag.sum.reproduced", "checks.diag.note.text"}, same
    assert set(shipped["template"]) - {""} <= {k.removeprefix("checks.diag.") for k in keys}


def test_every_check_and_kind_is_labelled():
    labels = i18n.labels()
    for check_id, (kind, rule) in CHECK_IDS.items():
        assert kind in KINDS and rule
        assert f"checks.explain.{check_id}" in labels, check_id
    for kind in KINDS:
        assert f"checks.kind.{kind}" in labels, kind
        assert table.kind_label(kind, "kk") != kind or kind == "survey"


def test_kind_and_severity_columns(shipped):
    assert set(shipped["kind"]) <= set(KINDS)
    for _, r in shipped.iterrows():
        assert r["kind"] == core.kind_of(r["check_id"])
        assert int(r["severity"]) == core.severity_of(r["check_id"], r["status"])
    assert (shipped.loc[shipped["status"] != CONTRADICTED, "severity"].astype(int) == 0).all()


def test_summary_is_grouped_and_short_by_default(shipped):
    short = ledger.summary_text(shipped)
    full = ledger.summary_text(shipped, verbose=True)
    n = ledger.counts(shipped)[CONTRADICTED]
    assert f"{n} contradicted" in short.splitlines()[0]
    assert short.count("  ✗ ") == min(n, ledger.SUMMARY_TOP)
    assert full.count("  ✗ ") == n
    for kind in set(shipped["kind"]):
        assert f"  {kind}" in short  # the count table has a line per kind
    # most serious first: the severities of the listed contradictions never increase
    order = ledger.summary_order(shipped)
    sev = order.loc[order["status"] == CONTRADICTED, "severity"].astype(int).tolist()
    assert sev == sorted(sev, reverse=True)
    listed = re.findall(r"  ✗ (\S+) \[", full)
    assert listed == order.loc[order["status"] == CONTRADICTED, "claim_id"].tolist()


def test_tables_in_both_languages(shipped):
    for lang in ("kk", "en"):
        serious = table.serious_table(shipped, lang)
        assert len(serious) > 0
        assert serious["severity"].astype(int).is_monotonic_decreasing
        assert table.summary_sentence(shipped, lang)
    kinds = table.kind_status_table(shipped)
    assert int(kinds[list(STATUSES)].to_numpy().sum()) == len(shipped)
