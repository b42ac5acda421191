"""Tellings of one event compared: on date (a printed range of years or days is a span),
place and ordinal.

``ots_events.csv`` and ``text_dates.csv`` give every passage that tells of an event the
same ``event_key``; a telling prints a year (``year_end`` closes a range such as «1918-20»),
maybe a month and a day (``day_end`` closes a range such as «30-31 қазанында»), maybe a
place and maybe the event's ordinal number (the ninth summit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import pandas as pd

from analysis.checks.core import CONTRADICTED, NOT_DECISIVE, REPRODUCED, UNTESTABLE, WITHIN, Row
from analysis.checks.phrases import Phrase, both, items, say

DISSERTATION = "dissertation_kk.txt"

#: City → country, so that a telling naming the country agrees with one naming the city.
#: World knowledge, not a claim of the source.
CITY_COUNTRY: dict[str, str] = {
    "Almaty": "Kazakhstan", "Astana": "Kazakhstan", "Turkistan": "Kazakhstan",
    "Bishkek": "Kyrgyzstan", "Cholpon-Ata": "Kyrgyzstan",
    "Baku": "Azerbaijan", "Shusha": "Azerbaijan", "Nakhchivan": "Azerbaijan",
    "Gabala": "Azerbaijan",
    "Istanbul": "Türkiye", "Ankara": "Türkiye", "Antalya": "Türkiye", "Bodrum": "Türkiye",
    "Samarkand": "Uzbekistan", "Tashkent": "Uzbekistan", "Khiva": "Uzbekistan",
    "Budapest": "Hungary", "Ashgabat": "Turkmenistan",
}
COUNTRIES = frozenset(CITY_COUNTRY.values())


def _int(value: object) -> int | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return int(value)  # type: ignore[call-overload]


def _where(row: pd.Series) -> int | Phrase:
    """Where a telling stands: its line, naming the document when it is not the
    dissertation."""
    line = int(row["source_line"])
    if row["source_doc"] == DISSERTATION:
        return line
    return say("frag.line_in_doc", line=line, doc=str(row["source_doc"]))


def _lines(frame: pd.DataFrame) -> tuple[int, ...]:
    """Lines of the dissertation; other documents are named in the inputs."""
    return tuple(int(x) for x in frame[frame["source_doc"] == DISSERTATION]["source_line"])


def date_text(y: object, m: object, d: object, d_end: object = None,
              y_end: object = None) -> str:
    """``1992-10-30``, ``1992-10-30..31`` or ``1918..1920``; ``????`` for a year not
    printed."""
    year = "????" if _int(y) is None else str(_int(y))
    if _int(y_end) is not None and _int(y_end) != _int(y):
        year += f"..{_int(y_end)}"
    parts = [year]
    if _int(m) is not None:
        parts.append(f"{_int(m):02d}")
        if _int(d) is not None:
            day = f"{_int(d):02d}"
            if _int(d_end) is not None and _int(d_end) != _int(d):
                day += f"..{_int(d_end):02d}"
            parts.append(day)
    return "-".join(parts)


def _row_date(r: pd.Series) -> str:
    return date_text(r["year"], r["month"], r["day"], r.get("day_end"), r.get("year_end"))


def place(key: str) -> Phrase:
    """A place by its key (``Almaty``), named in the reader's language."""
    return say(f"place.{key}")


def _listing(values: dict[str, list[int | Phrase]],
             show: Callable[[str], object] = str) -> Phrase:
    """Each value with the lines that give it: ``1992 (line 444) vs 1998 (lines 436,
    857)``."""
    return items([say("frag.value_line" if len(ls) == 1 else "frag.value_lines",
                      value=show(v), lines=items(ls, ", "))
                  for v, ls in sorted(values.items())], say("frag.vs"))


def _span_conflict(grp: pd.DataFrame, start: str, end: str
                   ) -> dict[str, list[int | Phrase]] | None:
    """The printed values of one part of the date (years or days) when the tellings cannot
    agree on it, else ``None``. A telling that prints a range ("30-31 қазанында",
    "1918-20") gives the event's span, and a telling of one value in it agrees; two ranges
    must overlap; without a printed range the event is taken to be one value, so two
    different values disagree."""
    where: dict[str, list[int | Phrase]] = defaultdict(list)
    spans: list[tuple[int, int]] = []
    singles: list[int] = []
    for _, r in grp.iterrows():
        a = _int(r[start])
        if a is None:
            continue
        b = _int(r.get(end)) or a
        where[str(a) if a == b else f"{a}-{b}"].append(_where(r))
        (spans.append((a, b)) if b != a else singles.append(a))
    if spans:
        lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        # spans have a common value iff the latest start is not after the earliest end
        # (one pass, not all pairs)
        disjoint = max(a for a, _ in spans) > min(b for _, b in spans)
        bad = disjoint or any(not lo <= d <= hi for d in singles)
    else:
        bad = len(set(singles)) > 1
    return where if bad else None


def date_conflicts(grp: pd.DataFrame) -> list[Phrase]:
    """Parts of the date on which the tellings cannot agree: years (or ranges of years)
    that no span of the event can hold, months that differ, or days (or ranges of days)
    that no span can hold (:func:`_span_conflict`)."""
    out = []
    years = _span_conflict(grp, "year", "year_end")
    if years:
        out.append(say("frag.conflict_year", values=_listing(years)))
    months: dict[str, list[int | Phrase]] = defaultdict(list)
    for _, r in grp.iterrows():
        if _int(r["month"]) is not None:
            months[str(_int(r["month"]))].append(_where(r))
    if len(months) > 1:
        out.append(say("frag.conflict_month", values=_listing(months)))
    if out:
        return out
    days = _span_conflict(grp, "day", "day_end")
    if days:
        out.append(say("frag.conflict_day", values=_listing(days)))
    return out


def _tellings(grp: pd.DataFrame, dates: list[str]) -> Phrase:
    return say("in.tellings", tellings=items([
        say("frag.telling_date", id=str(r["event_id"]), printed=f"«{r['date_printed']}»",
            date=d, doc=str(r["source_doc"]), line=int(r["source_line"]))
        for d, (_, r) in zip(dates, grp.iterrows(), strict=True)]))


def _event(grp: pd.DataFrame) -> dict[str, str]:
    """The event's name in both languages, as the data gives it."""
    first = grp.iloc[0]
    return both(str(first["event_kk"]), str(first["event_en"]))


def date_row(key: str, grp: pd.DataFrame) -> Row | None:
    """``events.dates`` for one event (``coverage.none`` when dated once; ``None`` when no
    telling prints a date, only an ordinal)."""
    grp = grp[[bool(str(d).strip()) for d in grp["date_printed"].fillna("")]]
    if grp.empty:
        return None
    lines = _lines(grp)
    dates = [_row_date(r) for _, r in grp.iterrows()]
    event = _event(grp)
    cid = f"E.{key}.dates"
    shown = items(sorted(set(dates)), ", ")
    if len(grp) == 1:
        return Row(cid, "coverage.none", "text", lines, str(grp.iloc[0]["date_printed"]),
                   UNTESTABLE, say("diag.none.event_once", event=event, dates=dates[0]),
                   say("in.event", event=event))
    conflict = date_conflicts(grp)
    if conflict:
        status = CONTRADICTED
        diagnosis = say("diag.event.dates_contradicted", event=event,
                        conflict=items(conflict))
    elif len(set(dates)) == 1:
        status = REPRODUCED
        diagnosis = say("diag.event.dates_reproduced", event=event, dates=dates[0])
    else:
        status = WITHIN
        diagnosis = say("diag.event.dates_within", event=event, dates=shown)
    return Row(cid, "events.dates", "text", lines,
               " | ".join(str(x) for x in grp["date_printed"]), status, diagnosis,
               _tellings(grp, dates), say("re.value", value=items(dates, " | ")),
               say("tol.event_dates"))


def _told(named: pd.DataFrame, column: str) -> Phrase:
    """Each telling's id, what it prints in ``column`` and its line."""
    return say("in.tellings", tellings=items([
        say("frag.telling", id=str(r["event_id"]), printed=f"«{r[column]}»",
            line=int(r["source_line"])) for _, r in named.iterrows()]))


def _place(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()  # type: ignore[call-overload]


def place_row(key: str, grp: pd.DataFrame) -> Row | None:
    """``events.places``: the places the tellings name must agree; a country agrees with
    a city in it (:data:`CITY_COUNTRY`). ``None`` when fewer than two tellings name one."""
    named = grp[[bool(_place(p)) for p in grp["place_key"]]]
    if len(named) < 2:
        return None
    where: dict[str, list[int | Phrase]] = defaultdict(list)
    for _, r in named.iterrows():
        where[_place(r["place_key"])].append(_where(r))
    cities = {p for p in where if p not in COUNTRIES}
    countries = {p for p in where if p in COUNTRIES}
    implied = countries | {CITY_COUNTRY.get(c, c) for c in cities}
    fields: dict[str, object] = {"event": _event(grp), "places": _listing(where, place)}
    if len(cities) > 1 or (countries and len(implied) > 1):
        status, key_ = CONTRADICTED, "diag.event.places_contradicted"
    elif len(where) == 1:
        status, key_ = REPRODUCED, "diag.event.places_reproduced"
        fields["places"] = place(next(iter(where)))
    else:
        status, key_ = WITHIN, "diag.event.places_within"
    return Row(f"E.{key}.places", "events.places", "text", _lines(named),
               " | ".join(str(x) for x in named["place_kk"]), status, say(key_, **fields),
               _told(named, "place_kk"),
               say("re.value", value=items([place(p) for p in where], " | ")),
               say("tol.event_places"))


def ordinal_row(key: str, grp: pd.DataFrame, has_date: bool = True) -> Row | None:
    """``events.ordinals``: the ordinal numbers the tellings print must agree. ``None``
    when fewer than two tellings print one (an untestable row when the one ordinal is all
    the event has, so that every telling is in the ledger)."""
    named = grp[grp["ordinal"].notna()]
    event = _event(grp)
    if len(named) < 2:
        return None if len(named) == 0 or has_date else Row(
            f"E.{key}.ordinals", "coverage.none", "text", _lines(named),
            str(named.iloc[0]["ordinal_printed"]), UNTESTABLE,
            say("diag.none.event_ordinal_once", event=event,
                ordinal=f"«{named.iloc[0]['ordinal_printed']}»"),
            say("in.event", event=event))
    where: dict[str, list[int | Phrase]] = defaultdict(list)
    for _, r in named.iterrows():
        where[str(int(r["ordinal"]))].append(_where(r))
    if len(where) > 1:
        status = CONTRADICTED
        diagnosis = say("diag.event.ordinals_contradicted", event=event,
                        ordinals=_listing(where))
    else:
        status = REPRODUCED
        diagnosis = say("diag.event.ordinals_reproduced", event=event,
                        ordinals=next(iter(where)))
    return Row(f"E.{key}.ordinals", "events.ordinals", "text", _lines(named),
               " | ".join(str(x) for x in named["ordinal_printed"]), status, diagnosis,
               _told(named, "ordinal_printed"), say("re.value", value=items(list(where), " | ")),
               say("tol.event_ordinals"))


def event_rows(events: pd.DataFrame) -> list[Row]:
    """Every event's tellings compared on date, place and ordinal (one row each)."""
    frame = events.copy()
    for column in ("day_end", "year_end", "ordinal", "ordinal_printed"):
        if column not in frame:
            frame[column] = pd.NA
    if "place_key" not in frame:
        frame["place_key"] = frame["place_en"]
    rows: list[Row] = []
    for key, grp in frame.groupby("event_key", sort=True):
        grp = grp.sort_values("event_id")
        dated = date_row(str(key), grp)
        rows += [r for r in (dated, place_row(str(key), grp),
                             ordinal_row(str(key), grp, dated is not None)) if r]
    return rows


# ---------------------------------------------------------------------------------------
# Statuses told twice (text_statuses.csv)
# ---------------------------------------------------------------------------------------

#: Statuses that cannot hold together for one country, organisation and time: a member is
#: not an observer or outside; an observer is not outside. ``not_member`` (not a member,
#: observer or not) agrees with ``observer`` and ``outside``.
INCOMPATIBLE: frozenset[frozenset[str]] = frozenset({
    frozenset({"member", "observer"}), frozenset({"member", "outside"}),
    frozenset({"member", "not_member"}), frozenset({"observer", "outside"})})


def _status_tellings(grp: pd.DataFrame) -> Phrase:
    return say("in.tellings", tellings=items([
        say("frag.status_telling", id=str(r["status_id"]), status=say(f"status.{r['status']}"),
            printed=f"«{r['status_printed']}»", line=int(r["source_line"]))
        for _, r in grp.iterrows()]))


def status_row(key: tuple[str, str, str], grp: pd.DataFrame) -> Row:
    """``events.statuses`` for one country, organisation and time: the tellings' statuses
    must agree (``coverage.none`` when told once)."""
    entity, subject, when = key
    first = grp.iloc[0]
    name = both(str(first["entity_kk"]), str(first["entity_en"]))
    cid = f"E.{entity}_in_{subject}.status_{when}"
    where: dict[str, list[int | Phrase]] = defaultdict(list)
    for _, r in grp.iterrows():
        where[str(r["status"])].append(_where(r))
    fields = {"entity": name, "subject": say(f"org.{subject}"), "when": say(f"when.{when}"),
              "statuses": _listing(where, lambda s: say(f"status.{s}"))}
    lines = _lines(grp)
    printed_ = " | ".join(str(x) for x in grp["status_printed"])
    if len(grp) == 1:
        return Row(cid, "coverage.none", "text", lines, printed_, UNTESTABLE,
                   say("diag.none.status_once", **fields), _status_tellings(grp))
    clash = [frozenset({a, b}) for a in where for b in where
             if a < b and frozenset({a, b}) in INCOMPATIBLE]
    status = CONTRADICTED if clash else REPRODUCED if len(where) == 1 else NOT_DECISIVE
    key_ = {CONTRADICTED: "contradicted", REPRODUCED: "reproduced",
            NOT_DECISIVE: "compatible"}[status]
    return Row(cid, "events.statuses", "text", lines, printed_, status,
               say(f"diag.status.{key_}", **fields), _status_tellings(grp),
               say("re.value", value=items([say(f"status.{s}") for s in where], " | ")),
               say("tol.statuses"))


def status_rows(statuses: pd.DataFrame) -> list[Row]:
    """Every country's status, per organisation and time, across its tellings."""
    frame = statuses.sort_values("status_id")
    return [status_row((str(e), str(s), str(w)), grp)
            for (e, s, w), grp in frame.groupby(["entity_key", "subject_key", "when_key"],
                                                sort=True)]
