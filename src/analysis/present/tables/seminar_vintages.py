"""What seminar 5 (``seminar_05_vintages``; labels ``vint.*``) shows besides its tables: the
external verdicts under each vintage and its answers in one sentence. Its check cells use
the pack's one feedback (:func:`analysis.present.tables.seminar.check`)."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.checks.ledger import figures as ledger_figures
from analysis.checks.official import Context
from analysis.checks.official_rows import row, verdicts
from analysis.present import numbers
from analysis.present.i18n import t
from analysis.present.ledger_text import value
from analysis.teaching import seminar_vintages


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


def answers_sentence(current: pd.DataFrame, earlier: pd.DataFrame, lang: str) -> Markdown:
    """Seminar 5's three answers in one sentence, numbers in ``lang``'s notation."""
    change = seminar_vintages.total_change(current, earlier)
    verdict = ("vint.say.exceeds" if seminar_vintages.exceeds_rounding(current, earlier)
               else "vint.say.within")
    return Markdown(t("vint.say.answers", lang,
                      year=seminar_vintages.YEAR,
                      tur=numbers.percent(seminar_vintages.revision_pct(current, earlier),
                                          lang, 2),
                      count=seminar_vintages.revised_more_than(current, earlier),
                      threshold=numbers.percent(seminar_vintages.THRESHOLD_PCT, lang, 0),
                      total=numbers.number(change, lang, 3),
                      half=numbers.number(seminar_vintages.rounding_half_width(), lang, 2),
                      verdict=t(verdict, lang)))
