"""The precision sample of the ledger (issue 11, item 5): every contradicted row plus a
seeded random sample of the other rows, in a CSV an independent reader can judge without
running anything.

Why: a check that calls a correct number "contradicted", or a wrong one "reproduced", is
only found by someone who reads the source line and redoes the arithmetic. The sample is
reproducible (a fixed seed over the ledger sorted by claim id and check id), so two readers
judge the same rows, and a rerun after a fix draws the same rows again.

    python -m analysis.checks.precision_sample --out precision_sample.csv [--seed 20251]
        [--n 40] [--ledger reports/en/ledger.csv]

The ledger is the one ``kaztur check`` wrote in the language the reader reads (default
``reports/en/ledger.csv``): its texts are in that language.

Columns: ``sample`` (``contradicted`` or ``random``), ``claim_id``, ``check_id``, ``kind``,
``verdict`` (the ledger status), ``lines`` (source lines, ``;``-separated), ``source_doc``,
``source_text`` (the cited lines of the source, when the text is beside the checkout),
``claim`` (what is printed), ``compared_with`` (the inputs), ``arithmetic`` (recomputed
value and interval, and the tolerance), ``diagnosis``; then empty ``reader_verdict``
(``agree`` / ``disagree`` / ``unclear``) and ``reader_note`` for the reader.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.checks import ledger as ledger_mod
from analysis.checks.core import CONTRADICTED
from analysis.data import datasets
from analysis.data.io import atomic_write_text, read_csv_text, table_to_csv_text

#: The seed of the sample handed to the reader; change it only to draw a fresh sample.
SEED = 20251
SIZE = 40
COLUMNS = ("sample", "claim_id", "check_id", "kind", "verdict", "lines", "source_doc",
           "source_text", "claim", "compared_with", "arithmetic", "diagnosis",
           "reader_verdict", "reader_note")


def draw(ledger: pd.DataFrame, n: int = SIZE, seed: int = SEED) -> pd.DataFrame:
    """Every contradicted row, then ``n`` other rows drawn without replacement by a
    ``numpy`` generator seeded with ``seed`` from the ledger sorted by claim and check id."""
    frame = ledger.sort_values(["claim_id", "check_id"]).reset_index(drop=True)
    contra = frame[frame["status"] == CONTRADICTED].assign(sample="contradicted")
    others = frame[frame["status"] != CONTRADICTED]
    rng = np.random.default_rng(seed)
    picked = np.sort(rng.choice(len(others), size=min(n, len(others)), replace=False))
    sample = others.iloc[picked].assign(sample="random")
    return pd.concat([contra, sample], ignore_index=True)


def _docs() -> dict[str, str]:
    """Claim id → source document (the news article's claims are not in the dissertation)."""
    claims = datasets.load("text_claims")
    return dict(zip(claims["claim_id"], claims["source_doc"], strict=True))


def _source_text(doc: str, lines: str) -> str:
    path = config.SOURCE_DIR / doc
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8").split("\n")
    out = []
    for n in sorted({int(x) for x in str(lines).split(";") if x.strip().isdigit()}):
        if 1 <= n <= len(text):
            out.append(f"[{n}] {' '.join(text[n - 1].split())}")
    return "\n".join(out)


def for_reader(sample: pd.DataFrame) -> pd.DataFrame:
    """The sample with the columns a reader needs (module docstring), from a ledger whose
    texts are written in the reader's language."""
    docs = _docs()
    rows = []
    for _, r in sample.iterrows():
        ref = re.match(r"T\d+\w*", str(r["claim_id"]))
        doc = docs.get(ref.group(0), "dissertation_kk.txt") if ref else "dissertation_kk.txt"
        rows.append({
            "sample": r["sample"], "claim_id": r["claim_id"], "check_id": r["check_id"],
            "kind": r["kind"], "verdict": r["status"], "lines": r["source_lines"],
            "source_doc": doc, "source_text": _source_text(doc, r["source_lines"]),
            "claim": r["value_printed"], "compared_with": r["inputs"],
            "arithmetic": f"{r['recomputed']} (tolerance: {r['tolerance']})",
            "diagnosis": r["diagnosis"], "reader_verdict": "", "reader_note": ""})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, required=True, help="CSV file to write")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--n", type=int, default=SIZE, help="random rows besides the contradicted")
    ap.add_argument("--ledger", type=Path, default=config.REPORTS_DIR / "en" / "ledger.csv",
                    help="a ledger.csv in the reader's language, as kaztur check writes it "
                         "(default: reports/en/ledger.csv)")
    args = ap.parse_args(argv)
    if not args.ledger.is_file():
        ap.error(f"no ledger at {args.ledger}: run `kaztur check` first (it writes "
                 "reports/<lang>/ledger.csv), or pass --ledger")
    ledger = read_csv_text(args.ledger, list(ledger_mod.COLUMNS)).drop(columns="_line")
    table = for_reader(draw(ledger, args.n, args.seed))
    atomic_write_text(args.out, table_to_csv_text(table))
    counts = table["sample"].value_counts()
    print(f"wrote {args.out}: {counts.get('contradicted', 0)} contradicted and "
          f"{counts.get('random', 0)} random rows (seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
