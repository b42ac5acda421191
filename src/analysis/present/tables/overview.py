"""The exhibit inventory and word tables (Кесте 1, 5) for display."""

from __future__ import annotations

import pandas as pd

from analysis.analyses.overview import INVENTORY
from analysis.analyses.timeline import undated
from analysis.data import datasets
from analysis.present import results
from analysis.present.i18n import t
from analysis.present.results import Result


def inventory(lang: str) -> pd.DataFrame:
    """One row per exhibit: label, title, lines, kind, what is reproduced, notebook."""
    rows = []
    for key, lines, kind, notebook in INVENTORY:
        rows.append({
            "exhibit": t(f"overview.inv.{key}.label", lang),
            "title": t(f"overview.inv.{key}.title", lang),
            "lines": lines,
            "kind": t(f"overview.kind.{kind}", lang),
            "reproduced": t(f"overview.inv.{key}.what", lang),
            "notebook": notebook,
        })
    return pd.DataFrame(rows)


def printed_exhibit(name: str, lang: str) -> pd.DataFrame:
    """A word table (Кесте 1, Кесте 5) cell by cell as printed, headers in ``lang``; word
    cells in English when ``lang`` is ``en`` (a cell without a translation stays as printed)."""
    raw = datasets.load(name)
    raw = raw[raw["token"] == 1].sort_values(["part", "row", "column"], kind="stable")
    heads = raw.drop_duplicates("column").set_index("column")[f"column_label_{lang}"]
    text = raw["printed"]
    if lang == "en":
        text = raw["printed_en"].where(raw["printed_en"].fillna("") != "", raw["printed"])
    cells = raw.assign(_text=text.astype(str))
    wide = cells.pivot_table(index=["part", "row"], columns="column", values="_text",
                             aggfunc="first", sort=True)
    wide.columns = [str(heads.loc[c]) for c in wide.columns]
    wide = wide.fillna("")  # a cell the source never printed (Кесте 1 breaks off at line 539)
    return wide.reset_index(drop=True)


def events_result(events: pd.DataFrame, cons: pd.DataFrame) -> Result:
    """How many events, tellings and disagreeing events the timeline holds
    (``overview.say.events``), and how many events are told without a year."""
    return Result("overview.events", {
        "n_events": results.count(len(cons)), "n_tellings": results.count(len(events)),
        "n_bad": results.count(int(cons["inconsistent"].sum())),
        "undated": results.count(undated(cons))}, text="overview.say.events")
