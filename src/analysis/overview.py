"""The overview notebook's inventory: every exhibit of the dissertation, what this package
reproduces of it, and where (notebook). Also the two descriptive tables (Кесте 1, 5) shown
as printed.

The inventory is written here rather than derived, because "what is reproduced" is a
judgement; its labels (both languages) live in ``labels/overview.yaml``.
"""

from __future__ import annotations

import pandas as pd

from analysis import datasets
from analysis.i18n import t

# id, source lines, kind, notebook(s); title and "what" come from overview.inv.<id>.*
INVENTORY: tuple[tuple[str, str, str, str], ...] = (
    ("k1", "520–539", "table", "00_overview"),
    ("k2", "577–648", "table", "03_energy"),
    ("k3", "677–771", "table", "03_energy"),
    ("k4", "807–845", "table", "03_energy"),
    ("k5", "884–917", "table", "00_overview"),
    ("k6", "918–980", "table", "01_trade, 02_investment"),
    ("k7", "995–1044", "table", "01_trade"),
    ("k8", "1054–1096", "table", "02_investment"),
    ("app_a", "1533–1613", "appendix", "04_survey"),
    ("app_b", "1615–2028", "appendix", "04_survey"),
    ("charts", "1645–2026", "chart", "04_survey"),
    ("image_1531", "1531", "image", "—"),
    ("text", "493–1383", "text", "01_trade, 02_investment, 03_energy, 05_checks"),
    ("events", "9–1506", "text", "00_overview"),
)


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
