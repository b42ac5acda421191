"""analysis.analyses.timeline on a crafted events frame."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.analyses import timeline
from analysis.analyses.overview import INVENTORY
from analysis.present.tables import overview as overview_tables


def events() -> pd.DataFrame:
    rows = [
        ("E1", "summit_5", 1998, 6, None, "Astana", 436),
        ("E2", "summit_5", 1992, None, None, "Astana", 444),
        ("E3", "council", 2009, None, None, "Nakhchivan", 412),
        ("E4", "council", 2009, 10, None, "", 438),
        ("E5", "turkpa", 2008, 11, 21, "Istanbul", 414),
        ("E6", "turkpa", 2008, 11, 20, "Istanbul", 464),
    ]
    frame = pd.DataFrame(rows, columns=["event_id", "event_key", "year", "month", "day",
                                        "place_en", "source_line"])
    for col in ("year", "month", "day", "source_line"):
        frame[col] = frame[col].astype("Int64")
    frame["event_type"] = "summit"
    frame["event_kk"] = frame["event_key"]
    frame["event_en"] = frame["event_key"]
    frame["date_printed"] = ""
    frame["place_kk"] = frame["place_en"]
    frame["quote_kk"] = ""
    frame["source_doc"] = "dissertation_kk.txt"
    return frame


def test_consistency_flags_year_and_day():
    cons = timeline.consistency(events()).set_index("event_key")
    assert cons.loc["summit_5", "conflict"] == "year"  # 1998 vs 1992
    assert cons.loc["turkpa", "conflict"] == "day"  # 21 vs 20 November
    assert not cons.loc["council", "inconsistent"]  # 2009 and 2009-10 agree
    assert cons.loc["summit_5", "dates_told"] == "1992; 1998-06"
    # sorted by earliest year told: summit_5 (1992), turkpa (2008), council (2009)
    assert timeline.consistency(events())["event_key"].tolist() == ["summit_5", "turkpa",
                                                                     "council"]


def test_inconsistent_lists_tellings():
    bad = timeline.inconsistent(events())
    assert bad["event_id"].tolist() == ["E1", "E2", "E5", "E6"]


def test_date_decimal():
    assert timeline.date_decimal(2000) == 2000.5
    assert timeline.date_decimal(2000, 1, 1) == 2000.0
    assert timeline.date_decimal(2000, 7, None) == pytest.approx(2000.5 + 14 / 365)


def test_overview_inventory_and_printed_table():

    inv = overview_tables.inventory("en")
    # one row per exhibit of INVENTORY, whose lines and notebooks test_table_recipe holds
    # to the schemas and the exhibit map
    assert len(inv) == len(INVENTORY) >= 14
    assert inv["exhibit"].iloc[6] == "Table 7" and inv["notebook"].iloc[6] == "01_trade"
    k1 = overview_tables.printed_exhibit("k1_transcaspian_route", "kk")
    # row 4 ("Қатысушы елдер") has no content in the source: shown empty, not NaN
    assert k1.iloc[3, 2] == "" and k1.iloc[2, 2].startswith("Шамамен 6500")


def test_every_label_used_by_these_modules_exists():
    import re
    from pathlib import Path

    import analysis
    from analysis.present import i18n

    keys = set()
    for path in Path(analysis.__file__).parent.rglob("*.py"):
        keys |= set(re.findall(r'\bt\(\s*"([a-z0-9_.]+)"', path.read_text(encoding="utf-8")))
    missing = sorted(k for k in keys if k not in i18n.labels())
    assert keys and not missing


def test_localize_headers_and_values():
    from analysis.present.tablespec import localize

    frame = pd.DataFrame({"year": [2020], "series": ["exports"], "rate": [0.15159]})
    out = localize(frame, "trade", "en", values={"series": "trade.q"}, percent=["rate"])
    assert list(out.columns) == ["Year", "Series", "Annual growth, %"]
    assert out.iloc[0, 1] == "Exports (KZ → TR)" and out.iloc[0, 2] == 15.159


def test_undated_events_are_counted_for_the_caption():
    cons = timeline.consistency(timeline.load())
    n = timeline.undated(cons)
    assert n == int(cons["first_year"].isna().sum()) and 0 < n < len(cons)
