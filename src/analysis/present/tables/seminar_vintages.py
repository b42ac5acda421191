"""Display and answer feedback of seminar 5 (``seminar_05_vintages``; labels ``vint.*``)."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.checks.ledger import figures as ledger_figures
from analysis.checks.official import Context
from analysis.checks.official_rows import row, verdicts
from analysis.present.ledger_text import value
from analysis.present.tables.seminar import feedback
from analysis.teaching import seminar_vintages


def check(key: str, answer: object, lang: str) -> Markdown:
    """Feedback on a student cell (the pack's one feedback wording), answer not revealed."""
    value, tolerance = seminar_vintages.expected(key)
    return Markdown(feedback(answer, value, lang, tolerance))


def verdicts_by_vintage(keys: tuple[str, ...] = ("ots_gdp",), lang: str = "en"
                        ) -> pd.DataFrame:
    """The external verdicts on the text's OTS GDP under each WDI vintage (the vintage and
    the official value written in ``lang``; the verdict a key the table spec labels)."""
    figs = [f for f in ledger_figures() if f.key in keys]
    rows = []
    for vintage in ("earlier", "current"):
        for v in verdicts(figs, Context.load(vintage)):
            r = row(v)
            rows.append({"vintage": value(r["external_vintage"], lang),
                         "claim_id": v.figure.ref, "value_printed": r["value_printed"],
                         "external_value": value(r["external_value"], lang),
                         "external_verdict": r["external_verdict"]})
    return pd.DataFrame(rows)
