"""The verdicts an independent reader confirmed stay as they were (docs/PRECISION.md).

``tests/golden/precision_judged.csv`` is every row the ledger marked contradicted plus a
seeded random sample of the others, each judged by hand against the source lines. A row the
reader agreed with must keep its verdict: a change to a check that turns a confirmed
contradiction into a pass (or a confirmed pass into a contradiction) fails here, whatever
the golden ledger says after it was regenerated. Only a number that the official record now
tests may lose its ``coverage.none`` row (its external row replaces it).

Issue 23 named two statuses for what some passes were: a plausibility check that holds is
*plausible*, a comparison that could not fail (a bound on one side, a partial list) is *not
decisive*. A confirmed pass may carry one of those names now — the reader's judgement of
its arithmetic stands; a confirmed contradiction must stay a contradiction, and a
confirmed pass must never become one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.checks import ledger

JUDGED = Path(__file__).parent / "golden" / "precision_judged.csv"
#: Passes the reader confirmed, and the names issue 23 gave to what some of them were.
PASSES = ("reproduced", "within rounding")
RELABELS = ("plausible", "not decisive")


@pytest.fixture(scope="module")
def judged() -> pd.DataFrame:
    return pd.read_csv(JUDGED, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def current() -> pd.DataFrame:
    return ledger.build()


def test_the_judged_sample_is_whole(judged):
    assert set(judged["reader_verdict"]) <= {"agree", "disagree", "unclear"}
    assert (judged["reader_note"].str.len() > 0).all()
    contradicted = judged[judged["sample"] == "contradicted"]
    assert len(contradicted) == 54 and (contradicted["verdict"] == "contradicted").all()
    assert (judged["sample"] == "random").sum() == 40
    counts = contradicted["reader_verdict"].value_counts().to_dict()
    assert counts == {"agree": 46, "unclear": 6, "disagree": 2}  # as docs/PRECISION.md says


def test_confirmed_verdicts_are_kept(judged, current):
    now = {(r.claim_id, r.check_id): r.status for r in current.itertuples()}
    external_claims = {c.removesuffix(".external") for c in current["claim_id"]
                       if c.endswith(".external")}
    changed = []
    for row in judged[judged["reader_verdict"] == "agree"].itertuples():
        key = (row.claim_id, row.check_id)
        if key not in now and row.check_id == "coverage.none":
            assert row.claim_id.removesuffix(".none") in external_claims, key
            continue
        relabelled = row.verdict in PASSES and now.get(key) in RELABELS
        if now.get(key) != row.verdict and not relabelled:
            changed.append((key, row.verdict, now.get(key)))
    assert not changed, f"verdicts the reader confirmed have changed: {changed}"
