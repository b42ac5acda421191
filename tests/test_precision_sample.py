"""The precision sample (analysis.checks.precision_sample): every contradicted row plus a
seeded random draw of the others, the same draw for the same seed and ledger."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.checks import precision_sample
from analysis.checks.core import CONTRADICTED
from analysis.data.io import table_to_csv_text
from analysis.present import ledger_text


def test_sample_is_reproducible_and_complete(tmp_path, shipped_ledger):
    built = shipped_ledger.copy()
    a = precision_sample.draw(built, 40, 7)
    b = precision_sample.draw(built.sample(frac=1, random_state=3), 40, 7)  # any row order
    assert a[["claim_id", "check_id"]].equals(b[["claim_id", "check_id"]])
    contra = a[a["sample"] == "contradicted"]
    assert len(contra) == int((built["status"] == CONTRADICTED).sum())
    random_rows = a[a["sample"] == "random"]
    assert len(random_rows) == 40 and CONTRADICTED not in set(random_rows["status"])
    other = precision_sample.draw(built, 40, 8)
    assert set(other["claim_id"]) != set(a["claim_id"])
    # from a written ledger.csv (the reader's language), through the command line
    path = tmp_path / "ledger.csv"
    path.write_text(table_to_csv_text(ledger_text.frame(built, "en")), encoding="utf-8")
    out = tmp_path / "sample.csv"
    assert precision_sample.main(["--out", str(out), "--ledger", str(path), "--seed", "7"]) == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert list(table.columns) == list(precision_sample.COLUMNS)
    assert table["claim_id"].tolist() == a["claim_id"].tolist()
    assert (table["arithmetic"] != "").all() and (table["lines"] != "").all()
    # the reader gets sentences, not the neutral ledger's phrases
    assert not table["diagnosis"].str.startswith("{").any()
    assert table["diagnosis"].str.contains("line").any()
    with pytest.raises(SystemExit):
        precision_sample.main(["--out", str(out), "--ledger", str(tmp_path / "none.csv")])
