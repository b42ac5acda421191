"""A timeline of OTS events, with events that the text dates inconsistently marked.

``ots_events`` has one row per *telling*: the dissertation (and a 2021 news text) often tells
the same event several times (the founding of the Turkic Council in Nakhchivan, the
Istanbul summit that renamed it). Tellings share an ``event_key``. Two tellings
**disagree** when both give a date component (year, month or day) and the values differ;
a telling that gives only the year is *less precise* but not in conflict with one that also
gives month and day. Places are compared the same way (a telling without a place is silent).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.data import datasets

COMPONENTS = ("year", "month", "day")


def load() -> pd.DataFrame:
    return datasets.load("ots_events")


def _missing(value: object) -> bool:
    """None, pandas' NA or NaN: a date component the telling does not give."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _int(value: object) -> int:
    return int(float(value))  # type: ignore[arg-type]


def _distinct(values: pd.Series) -> list[int]:
    return sorted({int(v) for v in values.dropna()})


def _date_text(year: object, month: object, day: object) -> str:
    parts: list[str] = []
    for v in (year, month, day):
        if _missing(v):
            break
        parts.append(f"{_int(v):02d}" if parts else str(_int(v)))
    return "-".join(parts) if parts else "?"


def date_decimal(year: object, month: object = None, day: object = None) -> float:
    """A telling's date as a decimal year; a missing month or day is the middle of the
    year or month (so a year-only telling sits mid-year on the chart)."""
    if _missing(year):
        return float("nan")
    y = float(_int(year))
    if _missing(month):
        return y + 0.5
    m = float(_int(month))
    d = 15.0 if _missing(day) else float(_int(day))
    return y + (m - 1) / 12 + (d - 1) / 365


def _places_kk(grp: pd.DataFrame, places: list[str]) -> str:
    """The Kazakh spellings of each place (as printed: Ыстамбұл / Стамбул), in the order
    of the English names, so a table in Kazakh lists the same places."""
    named = grp[grp["place_en"].fillna("").str.strip() != ""]
    spellings = [" / ".join(dict.fromkeys(str(v) for v in named.loc[named["place_en"] == p,
                                                                    "place_kk"]))
                 for p in places]
    return "; ".join(spellings)


def consistency(events: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per event: number of tellings, the distinct years, months and days given,
    which components disagree, whether places disagree, and the lines of the tellings.
    Sorted by the earliest year told, then key."""
    events = load() if events is None else events
    rows = []
    for key, grp in events.groupby("event_key", sort=True):
        grp = grp.sort_values(["source_doc", "source_line", "event_id"], kind="stable")
        distinct = {c: _distinct(grp[c]) for c in COMPONENTS}
        conflicts = [c for c in COMPONENTS if len(distinct[c]) > 1]
        places = sorted({str(p) for p in grp["place_en"].dropna() if str(p).strip()})
        dates = sorted({_date_text(r.year, r.month, r.day) for r in grp.itertuples()})
        rows.append({
            "event_key": key,
            "event_type": grp["event_type"].iloc[0],
            "event_kk": grp["event_kk"].iloc[0],
            "event_en": grp["event_en"].iloc[0],
            "n_tellings": len(grp),
            "years": ", ".join(map(str, distinct["year"])),
            "months": ", ".join(map(str, distinct["month"])),
            "days": ", ".join(map(str, distinct["day"])),
            "dates_told": "; ".join(dates),
            "conflict": ", ".join(conflicts),
            "inconsistent": bool(conflicts),
            "places": "; ".join(places),
            "places_en": "; ".join(places),
            "places_kk": _places_kk(grp, places),
            "place_conflict": len(places) > 1,
            "first_year": min(distinct["year"]) if distinct["year"] else np.nan,
            "lines": ", ".join(f"{'' if d == 'dissertation_kk.txt' else 'news:'}{int(ln)}"
                               for d, ln in zip(grp["source_doc"], grp["source_line"],
                                                strict=True)),
        })
    out = pd.DataFrame(rows)
    out = out.sort_values(["first_year", "event_key"], kind="stable", na_position="last")
    return out.reset_index(drop=True)


def first_told_between(cons: pd.DataFrame, start_year: int | None = None,
                       end_year: int | None = None) -> pd.DataFrame:
    """The events of :func:`consistency` whose earliest telling falls in the years given
    (either bound may be None); a long timeline is drawn in such parts."""
    keep = pd.Series(True, index=cons.index)
    if start_year is not None:
        keep &= cons["first_year"] >= start_year
    if end_year is not None:
        keep &= cons["first_year"] <= end_year
    return cons[keep.fillna(False)].reset_index(drop=True)


def undated(cons: pd.DataFrame) -> int:
    """Events of :func:`consistency` told without any year: a time axis has no place for
    them (the timeline's caption counts them; the events table lists them)."""
    return int(cons["first_year"].isna().sum())


def inconsistent(events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Only the events whose tellings give different dates, with every telling listed."""
    events = load() if events is None else events
    cons = consistency(events)
    bad = cons[cons["inconsistent"]]["event_key"]
    tell = events[events["event_key"].isin(bad)].copy()
    order = {k: i for i, k in enumerate(bad)}
    tell["_o"] = tell["event_key"].map(order)
    tell = tell.sort_values(["_o", "source_doc", "source_line", "event_id"], kind="stable")
    cols = ["event_key", "event_id", "event_kk", "event_en", "date_printed", "year", "month",
            "day", "place_kk", "place_en", "source_doc", "source_line"]
    return tell[cols].reset_index(drop=True)


def tellings(events: pd.DataFrame, event_key: str) -> pd.DataFrame:
    """Every telling of one event, in source order (an exercise asks for them)."""
    tell = events[events["event_key"] == event_key]
    return tell.sort_values(["source_doc", "source_line", "event_id"],
                            kind="stable").reset_index(drop=True)


def told_once(events: pd.DataFrame | None = None) -> int:
    """How many events the sources tell only once."""
    return int((consistency(events)["n_tellings"] == 1).sum())
