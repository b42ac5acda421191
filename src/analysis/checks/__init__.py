"""The checks layer: every number the dissertation prints, recomputed from the rest of the
source and judged (:mod:`analysis.checks.ledger` assembles the claims ledger). It imports the
data layer and the analyses, never the presentation layer or the run machinery."""
