"""What each raw file must contain: fields with descriptions and units, keys and rules.

This module is the single description of ``data/raw/``: ``datapackage.json`` is generated
from it (plus checksums), and :func:`validate` enforces it. Value rules are pandera checks,
so a failure is reported for the exact CSV line and column that broke it.

Completeness is declared here too (:data:`ROWS`: how many data rows each file holds), because
``kaztur manifest`` records whatever bytes are there: a file cut short at a row boundary and
then given a new checksum would otherwise pass as a smaller transcription, and the missing
rows would surface far away (as uncited digits of the source, as wrong ledger rows). A
deliberate transcription change updates the count here, in the same commit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from analysis.data import units
from analysis.data.io import padded_cells, read_csv_text
from analysis.data.parse import QUALIFIERS, NumberFormatError, parse_number, parse_ordinal
from analysis.errors import DataError, Problem, rel

if TYPE_CHECKING:
    import pandera.pandas as pa


@dataclass(frozen=True)
class Field:
    """One CSV column. ``type`` is a Frictionless table-schema type."""

    name: str
    type: str  # "string" | "integer" | "number"
    description: str
    required: bool = False


@dataclass(frozen=True)
class Rule:
    """A row-wise rule: ``check(frame)`` is True for good rows; bad rows are reported
    against ``column`` with ``expected`` as the message."""

    column: str
    expected: str
    check: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    title: str
    exhibit: str
    source_lines: tuple[int, int]
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    unique_also: tuple[tuple[str, ...], ...] = ()
    rules: tuple[Rule, ...] = field(default_factory=tuple)
    number_columns: tuple[str, str] | None = ("number_printed", "value")

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


CELL_FIELDS: tuple[Field, ...] = (
    Field("exhibit", "string", "Exhibit as named in the source, e.g. 'Кесте 7'.", True),
    Field("part", "integer", "Sub-table number (Кесте 4 has two parts; otherwise 1).", True),
    Field("row", "integer", "1-based data row in printed order.", True),
    Field("column", "integer", "1-based column in printed order.", True),
    Field("token", "integer", "1 for the first number of a cell, 2… for further ones.", True),
    Field("row_key", "string", "Machine key of the row.", True),
    Field("column_key", "string", "Machine key of the column.", True),
    Field("year", "integer", "Calendar year the cell refers to, if any."),
    Field("row_label_kk", "string", "Row label as printed (Kazakh)."),
    Field("row_label_en", "string", "Row label in English."),
    Field("column_label_kk", "string", "Column header as printed (Kazakh)."),
    Field("column_label_en", "string", "Column header in English."),
    Field("printed", "string", "The whole cell exactly as printed.", True),
    Field("printed_en", "string", "English translation of a cell holding words."),
    Field("number_printed", "string", "Numeric token exactly as printed ('1 580', '≈80%', '–')."),
    Field("value", "number", "Parsed number_printed, multipliers applied; empty for '–'."),
    Field("unit", "string", "Unit of value (controlled vocabulary, analysis.data.units)."),
    Field("source_line", "integer", "Line of the cell in dissertation_kk.txt.", True),
)


def _num(frame: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(frame["value"], errors="coerce")


def _non_negative_where(column_keys: set[str] | None = None) -> Rule:
    def check(frame: pd.DataFrame) -> pd.Series:
        scope = frame["value"].notna()
        if column_keys is not None:
            scope &= frame["column_key"].isin(column_keys)
        return ~scope | (_num(frame) >= 0)

    scope_text = f" for {', '.join(sorted(column_keys))}" if column_keys else ""
    what = "a non-negative value" + scope_text
    return Rule("value", what, check)


def _percent_range(column_keys: set[str] | None = None) -> Rule:
    def check(frame: pd.DataFrame) -> pd.Series:
        scope = frame["value"].notna() & (frame["unit"] == "percent")
        if column_keys is not None:
            scope &= frame["column_key"].isin(column_keys)
        v = _num(frame)
        return ~scope | ((v >= 0) & (v <= 100))

    return Rule("value", "a percentage between 0 and 100", check)


def _whole_number(column_keys: set[str]) -> Rule:
    def check(frame: pd.DataFrame) -> pd.Series:
        scope = frame["value"].notna() & frame["column_key"].isin(column_keys)
        v = _num(frame)
        return ~scope | (v == v.round())

    return Rule("value", f"a whole number for {', '.join(sorted(column_keys))}", check)


def _cells(
    name: str,
    path: str,
    title: str,
    exhibit: str,
    lines: tuple[int, int],
    rules: tuple[Rule, ...] = (),
    unique_by_year: bool = False,
) -> Resource:
    unique = (("column_key", "year"),) if unique_by_year else ()
    first, last = lines
    common = (
        Rule("exhibit", f"{exhibit!r}", lambda f: f["exhibit"] == exhibit),
        Rule("source_line", f"a line of {exhibit} ({first}–{last})",
             lambda f: pd.to_numeric(f["source_line"]).between(first, last)),
    )
    return Resource(
        name, path, title, exhibit, lines, CELL_FIELDS,
        key=("part", "row", "column", "token"), unique_also=unique, rules=common + rules,
    )


def _ordinal_matches(frame: pd.DataFrame) -> pd.Series:
    """``ordinal`` is empty with ``ordinal_printed`` and else its number."""
    out = []
    for printed, number in zip(frame["ordinal_printed"], frame["ordinal"], strict=True):
        text = str(printed).strip() if isinstance(printed, str) else ""
        if not text:
            out.append(pd.isna(number))
            continue
        try:
            out.append(not pd.isna(number) and parse_ordinal(text) == int(number))
        except NumberFormatError:
            out.append(False)
    return pd.Series(out, index=frame.index)


_TRADE_KEYS = {"exports", "imports", "trade_total"}
_INVEST_KEYS = {"tr_to_kz", "kz_to_tr", "projects"}

def _year_end_after_year(frame: pd.DataFrame) -> pd.Series:
    end, year = pd.to_numeric(frame["year_end"]), pd.to_numeric(frame["year"])
    return frame["year_end"].isna() | (year.notna() & (end > year) & (end <= 2100))


def _dated(name: str, path: str, title: str, year_range: bool = False) -> Resource:
    """A file of dated tellings (one row per telling; the same key for one event).
    ``year_range``: the file has ``year_end`` for a printed range of years."""
    year_end = (Field("year_end", "integer", "Last year of a printed range of years "
                      "('1918-20', '2014–2015 жылдары'); 'year' is its first."),) \
        if year_range else ()
    rules = (Rule("year_end", "a year after 'year' (a range)", _year_end_after_year),) \
        if year_range else ()
    return Resource(
        name, path, title, "running text", (1, 2028),
        (
            Field("event_id", "string", "Stable id (E001… / D001…), in the order transcribed.",
                  True),
            Field("event_key", "string", "Same key for every telling of one event.", True),
            Field("event_type", "string", "summit, founding, agreement, renaming, meeting, "
                  "declaration or other.", True),
            Field("event_kk", "string", "The event as the text names it.", True),
            Field("event_en", "string", "The event in English.", True),
            Field("date_printed", "string", "Date words exactly as printed (empty for a "
                  "telling that gives only the event's ordinal number)."),
            Field("year", "integer", "Year, when printed (the 2021 news article prints none; a "
                  "printed range of years gives its first year)."),
            *year_end,
            Field("month", "integer", "Month, if printed."),
            Field("day", "integer", "Day, if printed (the first day of a printed range)."),
            Field("day_end", "integer", "Last day of a printed range of days ('30-31')."),
            Field("place_kk", "string", "Place as printed."),
            Field("place_en", "string", "Place in English."),
            Field("place_key", "string", "The place as one city or country name in "
                  "English (compared across tellings)."),
            Field("ordinal_printed", "string", "The event's ordinal number as printed "
                  "('тоғызыншы', '11-ші'), if printed."),
            Field("ordinal", "integer", "That ordinal as a number."),
            Field("quote_kk", "string", "Verbatim substring of the source line.", True),
            Field("source_doc", "string", "Source file name.", True),
            Field("source_line", "integer", "Line in the source file.", True),
        ),
        key=("event_id",),
        rules=(
            Rule("year", "a year between 1800 and 2100", lambda f: f["year"].isna()
                 | pd.to_numeric(f["year"]).between(1800, 2100)),
            Rule("month", "a month 1–12", lambda f: f["month"].isna()
                 | pd.to_numeric(f["month"]).between(1, 12)),
            Rule("day", "a day 1–31", lambda f: f["day"].isna()
                 | pd.to_numeric(f["day"]).between(1, 31)),
            Rule("day_end", "a day after 'day' (a range) and 2–31", lambda f:
                 f["day_end"].isna() | (pd.to_numeric(f["day_end"]).between(2, 31)
                                        & (pd.to_numeric(f["day_end"])
                                           > pd.to_numeric(f["day"])))),
            *rules,
            Rule("ordinal", "the number of ordinal_printed", _ordinal_matches),
            Rule("event_type", "a known event type", lambda f: f["event_type"].isin(
                ["summit", "founding", "agreement", "renaming", "meeting", "declaration",
                 "other"])),
        ),
        number_columns=None,
    )


#: Where a transcribed conclusion stands in the dissertation (``conclusions.csv``).
CONCLUSION_PARTS: tuple[str, ...] = ("novelty", "results", "chapter_conclusion", "conclusion")
#: The topics of ``text_claims.topic`` (a conclusion's ``topic:`` selector names one).
TOPICS: tuple[str, ...] = ("trade", "investment", "energy", "transport", "ots_economy",
                           "eaeu_ots", "macro", "other")


def _selectors_ok(cell: object) -> bool:
    """``topic:trade;quantity:ots_gdp;events:ots``: every part a known kind of selector."""
    parts = [p.strip() for p in str(cell).split(";")]
    return bool(parts) and all(
        (kind == "topic" and value in TOPICS) or (kind == "events" and value in ("ots", "text"))
        or (kind == "quantity" and bool(re.fullmatch(r"[a-z0-9_]+", value)))
        for kind, _, value in (p.partition(":") for p in parts))


RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        _cells("k1_transcaspian_route", "k1_transcaspian_route.csv",
               "Кесте 1: structure of the Middle Corridor (TITR)", "Кесте 1", (520, 539)),
        _cells("k2_oil_export_diversification", "k2_oil_export_diversification.csv",
               "Кесте 2: diversification of Kazakhstan's oil exports", "Кесте 2", (577, 646)),
        _cells("k3_consortium_1994", "k3_consortium_1994.csv",
               "Кесте 3: the 1994 'Contract of the Century' consortium shares", "Кесте 3",
               (677, 770), rules=(_percent_range({"share"}),)),
        _cells("k4_energy_reserves_routes", "k4_energy_reserves_routes.csv",
               "Кесте 4: Kazakhstan's oil and gas reserves; oil export routes and shares",
               "Кесте 4", (807, 844), rules=(_percent_range({"share"}), _non_negative_where())),
        _cells("k5_cooperation_directions", "k5_cooperation_directions.csv",
               "Кесте 5: directions of Kazakhstan–Türkiye economic cooperation in the OTS",
               "Кесте 5", (884, 912)),
        _cells("k6_indicators_2020_2022", "k6_indicators_2020_2022.csv",
               "Кесте 6: Kazakhstan–Türkiye economic indicators 2020–2022", "Кесте 6",
               (918, 979), rules=(_non_negative_where(),)),
        _cells("k7_trade_2018_2023", "k7_trade_2018_2023.csv",
               "Кесте 7: Kazakhstan–Türkiye trade 2018–2023", "Кесте 7", (995, 1044),
               rules=(_non_negative_where(_TRADE_KEYS),), unique_by_year=True),
        _cells("k8_investment_2018_2023", "k8_investment_2018_2023.csv",
               "Кесте 8: Kazakhstan–Türkiye investments 2018–2023", "Кесте 8", (1054, 1096),
               rules=(_non_negative_where(_INVEST_KEYS), _whole_number({"projects"})),
               unique_by_year=True),
        Resource(
            "survey_questionnaire", "survey_questionnaire.csv",
            "Қосымша Ә: the questionnaire (13 questions with lettered options)",
            "Қосымша Ә", (1533, 1613),
            (
                Field("question", "integer", "Question number 1–13.", True),
                Field("section_kk", "string", "Questionnaire section heading as printed.", True),
                Field("section_en", "string", "Section heading in English."),
                Field("question_kk", "string", "Question as printed.", True),
                Field("question_en", "string", "Question in English."),
                Field("option_letter", "string", "Option letter as printed (a–e).", True),
                Field("option_kk", "string", "Option as printed.", True),
                Field("option_en", "string", "Option in English."),
                Field("source_line", "integer", "Line of the option in dissertation_kk.txt.", True),
            ),
            key=("question", "option_letter"),
            rules=(
                Rule("question", "a question number from 1 to 13",
                     lambda f: pd.to_numeric(f["question"]).between(1, 13)),
                Rule("option_letter", "one of a, b, c, d, e",
                     lambda f: f["option_letter"].isin(list("abcde"))),
            ),
            number_columns=None,
        ),
        Resource(
            "survey_results", "survey_results.csv",
            "Қосымша Б: survey results, printed percentage per option", "Қосымша Б", (1615, 2028),
            (
                Field("question", "integer", "Question number 1–13.", True),
                Field("question_kk", "string", "Question as printed in the results table.", True),
                Field("question_en", "string", "Question in English."),
                Field("option_order", "integer", "Printed order of the option (1-based).", True),
                Field("option_kk", "string", "Option label as printed.", True),
                Field("option_en", "string", "Option label in English."),
                Field("printed", "string", "Percentage exactly as printed ('31,94%').", True),
                Field("value", "number", "Parsed percentage.", True),
                Field("unit", "string", "Always 'percent'.", True),
                Field("source_line", "integer", "Line of the percentage in the source.", True),
            ),
            key=("question", "option_order"),
            unique_also=(("question", "option_kk"),),
            rules=(
                Rule("value", "a percentage between 0 and 100",
                     lambda f: pd.to_numeric(f["value"]).between(0, 100)),
                Rule("unit", "'percent'", lambda f: f["unit"] == "percent"),
                Rule("question", "a question number from 1 to 13",
                     lambda f: pd.to_numeric(f["question"]).between(1, 13)),
            ),
            number_columns=("printed", "value"),
        ),
        Resource(
            "text_claims", "text_claims.csv",
            "Every number stated in the running text (all chapters, appendices, news article)",
            "running text", (1, 2028),
            (
                Field("claim_id", "string", "Stable id T001…; T001–T235 in source order from "
                      "line 493, later transcriptions numbered on (ids never change).", True),
                Field("source_doc", "string", "Source file name.", True),
                Field("section", "string", "Section number of the dissertation.", True),
                Field("source_line", "integer", "Line in the source file.", True),
                Field("topic", "string", "trade, investment, energy, transport, ots_economy, "
                      "eaeu_ots, macro or other.", True),
                Field("quantity_key", "string", "What is measured; shared with tables.", True),
                Field("entity", "string", "Actors, e.g. KZ-TR, EAEU->OTS."),
                Field("quote_kk", "string", "Verbatim substring of the source line.", True),
                Field("label_kk", "string", "Short Kazakh label."),
                Field("label_en", "string", "English description.", True),
                Field("number_printed", "string", "The number exactly as printed.", True),
                Field("value", "number", "Parsed number_printed, multipliers applied.", True),
                Field("unit", "string", "Unit of value (analysis.data.units).", True),
                Field("year", "integer", "Year the number refers to."),
                Field("period", "string", "Period the number refers to."),
                Field("qualifier", "string", "exact, approx, more_than, at_least, less_than, "
                      "up_to, range_low, range_high, approx_range_low or approx_range_high.",
                      True),
                Field("note_en", "string", "Transcriber's note."),
            ),
            key=("claim_id",),
            rules=(
                Rule("topic", "a known topic", lambda f: f["topic"].isin(list(TOPICS))),
                Rule("qualifier", "a known qualifier", lambda f: f["qualifier"].isin(
                    list(QUALIFIERS))),
                Rule("number_printed", "a substring of quote_kk",
                     lambda f: pd.Series([n in q for n, q in zip(f["number_printed"],
                                                                f["quote_kk"], strict=True)],
                                         index=f.index)),
            ),
        ),
        _dated("ots_events", "ots_events.csv",
               "Dated events of OTS history as the text tells them (ids E001…)"),
        _dated("text_dates", "text_dates.csv",
               "Other dated statements of the text: Kazakh–Turkish, energy, Caspian and earlier "
               "history (ids D001…)", year_range=True),
        Resource(
            "text_enumerations", "text_enumerations.csv",
            "Items a passage enumerates after stating how many there are", "running text",
            (1, 2028),
            (
                Field("claim_id", "string", "The text claim stating the count.", True),
                Field("item_no", "integer", "Position of the item in the passage (1-based).",
                      True),
                Field("item_kk", "string", "The item as printed (verbatim on its line).", True),
                Field("item_en", "string", "The item in English.", True),
                Field("source_doc", "string", "Source file name.", True),
                Field("source_line", "integer", "Line of the item in the source.", True),
                Field("list_complete", "string", "yes: the passage presents the list as all "
                      "of them (the count must equal it); no: 'among them', 'such as' (the "
                      "count must be at least it).", True),
            ),
            key=("claim_id", "item_no"),
            rules=(Rule("item_no", "a position 1 or more",
                        lambda f: pd.to_numeric(f["item_no"]) >= 1),
                   Rule("list_complete", "yes or no",
                        lambda f: f["list_complete"].isin(["yes", "no"]))),
            number_columns=None,
        ),
        Resource(
            "text_readings", "text_readings.csv",
            "Second readings of printed numbers that can be parsed two ways (a stray comma, "
            "an unstated year, an unstated scope)", "running text", (1, 2028),
            (
                Field("reading_id", "string", "Stable id: the claim's id and a letter "
                      "(T115.b; the transcribed reading of text_claims is 'a').", True),
                Field("claim_id", "string", "The text claim read a second way.", True),
                Field("likelihood", "string", "likelier, as likely or less likely: this "
                      "reading against the transcribed one.", True),
                Field("quantity_key", "string", "What the number measures under this reading.",
                      True),
                Field("label_kk", "string", "Short Kazakh label under this reading."),
                Field("label_en", "string", "English description under this reading.", True),
                Field("number_printed", "string", "The number exactly as printed (the claim's "
                      "number_printed).", True),
                Field("reading_printed", "string", "The number as this reading reads it "
                      "('8 миллиард' for ',8 миллиард').", True),
                Field("value", "number", "Parsed reading_printed, multipliers applied.", True),
                Field("unit", "string", "Unit of value (analysis.data.units).", True),
                Field("year", "integer", "Year under this reading."),
                Field("period", "string", "Period under this reading."),
                Field("qualifier", "string", "Qualifier under this reading (as text_claims).",
                      True),
                Field("reading_kk", "string", "What this reading takes the number to be, and "
                      "why, in Kazakh.", True),
                Field("reading_en", "string", "The same in English.", True),
                Field("quote_kk", "string", "The words that support this reading, verbatim on "
                      "source_line.", True),
                Field("source_doc", "string", "Source file name.", True),
                Field("source_line", "integer", "Line of quote_kk in the source.", True),
            ),
            key=("reading_id",),
            rules=(
                Rule("likelihood", "likelier, as likely or less likely",
                     lambda f: f["likelihood"].isin(["likelier", "as likely", "less likely"])),
                Rule("qualifier", "a known qualifier", lambda f: f["qualifier"].isin(
                    list(QUALIFIERS))),
                Rule("reading_id", "the claim id, a dot and one lower-case letter b–z",
                     lambda f: pd.Series([bool(re.fullmatch(re.escape(c) + r"\.[b-z]", r))
                                          for r, c in zip(f["reading_id"], f["claim_id"],
                                                          strict=True)], index=f.index)),
            ),
            number_columns=("reading_printed", "value"),
        ),
        Resource(
            "text_trends", "text_trends.csv",
            "Verbal trend claims (grew, fell, a record, every year, usually a surplus) and "
            "the series each describes", "running text", (1, 2028),
            (
                Field("trend_id", "string", "Stable id V001…, in the order transcribed.", True),
                Field("source_doc", "string", "Source file name.", True),
                Field("source_line", "integer", "Line in the source file.", True),
                Field("quote_kk", "string", "The claim, verbatim on source_line.", True),
                Field("quantity_key", "string", "The quantity whose series it describes (the "
                      "key text_claims and the tables use).", True),
                Field("entity", "string", "Actors, e.g. KZ-TR."),
                Field("direction", "string", "up, down, every_year_up, record or "
                      "surplus_usually.", True),
                Field("period_printed", "string", "The words that date or bound the claim, as "
                      "printed ('жыл сайын', 'пандемияға қарамастан'); empty when none."),
                Field("year_from", "integer", "First year of the claim's window (empty: the "
                      "series' first year)."),
                Field("year_to", "integer", "Last year of the window (empty: the series' last "
                      "year)."),
                Field("series", "string", "The series it describes, ';'-separated: K6, K7, K8 "
                      "(tables), BNS-312101, WITS-TradeStats (official).", True),
                Field("label_kk", "string", "Short Kazakh label.", True),
                Field("label_en", "string", "English description.", True),
                Field("note_en", "string", "Transcriber's note: how the window was read."),
            ),
            key=("trend_id",),
            rules=(
                Rule("direction", "up, down, every_year_up, record or surplus_usually",
                     lambda f: f["direction"].isin(["up", "down", "every_year_up", "record",
                                                    "surplus_usually"])),
                Rule("series", "series from K6, K7, K8, BNS-312101, WITS-TradeStats",
                     lambda f: f["series"].map(lambda s: bool(s) and set(str(s).split(";"))
                                               <= {"K6", "K7", "K8", "BNS-312101",
                                                   "WITS-TradeStats"})),
                Rule("year_to", "a year not before year_from", lambda f: f["year_to"].isna()
                     | f["year_from"].isna() | (pd.to_numeric(f["year_to"])
                                                >= pd.to_numeric(f["year_from"]))),
            ),
            number_columns=None,
        ),
        Resource(
            "text_statuses", "text_statuses.csv",
            "A country's status in an organisation (member, observer, …) as each passage "
            "tells it", "running text", (1, 2028),
            (
                Field("status_id", "string", "Stable id ST001…, in the order transcribed.",
                      True),
                Field("entity_key", "string", "The country (a key shared by its tellings).",
                      True),
                Field("entity_kk", "string", "The country as the text names it.", True),
                Field("entity_en", "string", "The country in English.", True),
                Field("subject_key", "string", "The organisation (ots).", True),
                Field("status", "string", "member, observer, outside (neither member nor "
                      "observer) or not_member (not a member; observer or not).", True),
                Field("status_printed", "string", "The words that give the status, verbatim "
                      "in quote_kk.", True),
                Field("when_key", "string", "When the status holds: now (the text's present) "
                      "or the event it is told for (accession); tellings with the same key "
                      "must agree.", True),
                Field("when_printed", "string", "The words that date it, as printed, if any."),
                Field("year", "integer", "Year, if printed."),
                Field("quote_kk", "string", "Verbatim substring of the source line.", True),
                Field("source_doc", "string", "Source file name.", True),
                Field("source_line", "integer", "Line in the source file.", True),
                Field("note_en", "string", "Transcriber's note (whose words: author or an "
                      "interviewed expert)."),
            ),
            key=("status_id",),
            rules=(
                Rule("status", "member, observer, outside or not_member",
                     lambda f: f["status"].isin(["member", "observer", "outside",
                                                 "not_member"])),
                Rule("status_printed", "a substring of quote_kk",
                     lambda f: pd.Series([str(a) in str(q) for a, q in zip(
                         f["status_printed"], f["quote_kk"], strict=True)], index=f.index)),
            ),
            number_columns=None,
        ),
        Resource(
            "conclusions", "conclusions.csv",
            "The dissertation's conclusions and the data each rests on (for the findings' "
            "severity)", "conclusions", (56, 1473),
            (
                Field("conclusion_id", "string", "Stable id C01…, in source order.", True),
                Field("source_doc", "string", "Source file name.", True),
                Field("source_line", "integer", "Line of quote_kk in the source.", True),
                Field("part", "string", "Where the conclusion stands: novelty, results, "
                      "chapter_conclusion or conclusion.", True),
                Field("heading_kk", "string", "The heading of that part, as printed.", True),
                Field("heading_line", "integer", "Line of heading_kk in the source.", True),
                Field("quote_kk", "string", "The conclusion's sentence, verbatim on "
                      "source_line.", True),
                Field("basis_kk", "string", "The words of quote_kk that name what it rests on "
                      "(a substring of quote_kk).", True),
                Field("quote_en", "string", "The sentence in English.", True),
                Field("rests_on", "string", "What data the conclusion rests on, ';'-separated: "
                      "topic:<topic of text_claims> (the topic's numbers, in the text and the "
                      "tables), quantity:<quantity_key>, events:ots (the OTS events) or "
                      "events:text (the other dated events).", True),
                Field("note_en", "string", "Transcriber's note: why it rests on that."),
            ),
            key=("conclusion_id",),
            rules=(
                Rule("part", "novelty, results, chapter_conclusion or conclusion",
                     lambda f: f["part"].isin(list(CONCLUSION_PARTS))),
                Rule("basis_kk", "a substring of quote_kk",
                     lambda f: pd.Series([str(b) in str(q) for b, q in zip(
                         f["basis_kk"], f["quote_kk"], strict=True)], index=f.index)),
                Rule("rests_on", "';'-separated topic:<topic>, quantity:<key>, events:ots "
                     "or events:text", lambda f: f["rests_on"].map(_selectors_ok)),
            ),
            number_columns=None,
        ),
    )
}


#: Data rows of each complete file (see the module docstring); a deliberate transcription
#: change updates its count here, in the same commit.
ROWS: dict[str, int] = {
    "k1_transcaspian_route": 11, "k2_oil_export_diversification": 39,
    "k3_consortium_1994": 36, "k4_energy_reserves_routes": 18,
    "k5_cooperation_directions": 18, "k6_indicators_2020_2022": 31,
    "k7_trade_2018_2023": 36, "k8_investment_2018_2023": 30, "survey_questionnaire": 57,
    "survey_results": 57, "text_claims": 385, "ots_events": 173, "text_dates": 158,
    "text_enumerations": 148,
}


def _line(frame: pd.DataFrame, idx: object) -> int:
    """The file line of row ``idx`` (the ``_line`` column the reader adds)."""
    return int(cast(Any, frame.at[idx, "_line"]))


def _cell(frame: pd.DataFrame, idx: object, column: str) -> Any:
    """One cell, typed loosely (pandas types a scalar as any of its dtypes)."""
    return cast(Any, frame.at[idx, column])


def _convert(frame: pd.DataFrame, res: Resource, path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn the text frame into typed columns, collecting a problem for every bad cell."""
    problems: list[Problem] = []
    out = frame.copy()
    for f in res.fields:
        col = frame[f.name]
        blank = col.str.strip() == ""
        if f.required:
            for idx in frame.index[blank]:
                problems.append(Problem(rel(path), _line(frame, idx), f.name,
                                        "a non-empty value", ""))
        if f.type == "string":
            continue
        converted: list[object] = []
        for idx, raw in col.items():
            text = str(raw).strip()
            if text == "":
                converted.append(pd.NA)
                continue
            try:
                number = Decimal(text)
                if not number.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(Problem(rel(path), _line(frame, idx), f.name,
                                        "an integer" if f.type == "integer"
                                        else "a plain number such as 1580 or 31.94", text))
                converted.append(pd.NA)
                continue
            if f.type == "integer":
                if number != number.to_integral_value():
                    problems.append(Problem(rel(path), _line(frame, idx), f.name,
                                            "an integer", text))
                    converted.append(pd.NA)
                    continue
                converted.append(int(number))
            else:
                converted.append(float(number))
        dtype = "Int64" if f.type == "integer" else "Float64"
        out[f.name] = pd.array(cast(Any, converted), dtype=dtype)
    return out, problems


def _number_problems(
    frame: pd.DataFrame, res: Resource, path: Path, text: pd.DataFrame
) -> list[Problem]:
    """The printed number must parse, and agree with the value column; units must be known."""
    problems: list[Problem] = []
    if res.number_columns is None:
        return problems
    printed_col, value_col = res.number_columns
    for idx in frame.index:
        line = _line(frame, idx)
        printed = str(_cell(frame, idx, printed_col))
        value = _cell(frame, idx, value_col)
        unit = str(_cell(frame, idx, "unit")) if "unit" in frame else ""
        value_text = str(_cell(text, idx, value_col))
        if printed.strip() == "":
            if not pd.isna(value):
                problems.append(Problem(rel(path), line, value_col,
                                        f"empty, since {printed_col} is empty", value_text))
            if unit.strip():
                problems.append(Problem(rel(path), line, "unit",
                                        f"empty, since {printed_col} is empty", unit))
            continue
        if not units.is_known(unit):
            problems.append(Problem(rel(path), line, "unit",
                                    "a unit from: " + ", ".join(units.UNITS), unit))
        try:
            parsed = parse_number(printed)
        except NumberFormatError:
            problems.append(Problem(rel(path), line, printed_col,
                                    "a printed number such as '1 580', '31,94%', '≈80%' or '–'",
                                    printed))
            continue
        if parsed.value is None:
            if not pd.isna(value):
                problems.append(Problem(rel(path), line, value_col,
                                        f"empty for the missing mark {printed!r}", value_text))
        elif pd.isna(value) or Decimal(str(value)) != parsed.value:
            problems.append(Problem(rel(path), line, value_col,
                                    f"{parsed.value} (the value of {printed_col} {printed!r})",
                                    value_text))
    return problems


def _rule_schema(res: Resource) -> pa.DataFrameSchema:
    # pandera is imported where a raw file is validated: a notebook's kernel that reads
    # current processed data never validates, and the import is a quarter of a second of
    # every fresh kernel (papermill's, nbval's, JupyterLab's)
    import pandera.pandas as pa

    checks = [
        pa.Check(rule.check, error=f"{rule.column}\x1f{rule.expected}", ignore_na=False)
        for rule in res.rules
    ]
    return pa.DataFrameSchema(checks=checks, strict=False)


def _rule_problems(
    frame: pd.DataFrame, res: Resource, path: Path, text: pd.DataFrame
) -> list[Problem]:
    from pandera.errors import SchemaErrors  # lazy: see _rule_schema

    problems: list[Problem] = []
    try:
        _rule_schema(res).validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        for _, case in cases.iterrows():
            column, _, expected = str(case["check"]).partition("\x1f")
            idx = case["index"]
            if pd.isna(idx):
                problems.append(Problem(rel(path), None, column or None,
                                        expected or str(case["check"])))
                continue
            line = _line(frame, idx)
            got = _cell(text, idx, column) if column in text else case["failure_case"]
            problems.append(Problem(rel(path), line, column, expected,
                                    None if pd.isna(got) else str(got)))
    return problems


def _key_problems(frame: pd.DataFrame, res: Resource, path: Path) -> list[Problem]:
    problems: list[Problem] = []
    for key in (res.key, *res.unique_also):
        scoped = frame
        if key == ("column_key", "year"):
            scoped = frame[frame["year"].notna()]
        dup = scoped[scoped.duplicated(list(key), keep=False)]
        for _, group in dup.groupby(list(key), sort=True, dropna=False):
            lines = [int(x) for x in group["_line"]]
            values = ", ".join(f"{k}={group.iloc[0][k]}" for k in key)
            problems.append(Problem(
                rel(path), lines[-1], "+".join(key),
                f"a unique key ({', '.join(key)}); lines {', '.join(map(str, lines))} share it",
                values))
    return problems


def _completeness(frame: pd.DataFrame, res: Resource, path: Path) -> list[Problem]:
    """The file holds the number of rows declared for it (:data:`ROWS`)."""
    rows = ROWS.get(res.name)
    if rows is None or len(frame) == rows:
        return []
    got = (f"{len(frame)}: the file ends early (truncated?)" if len(frame) < rows
           else f"{len(frame)}")
    return [Problem(rel(path), None, None,
                    f"{rows} data rows, as declared for {res.exhibit} (lines "
                    f"{res.source_lines[0]}–{res.source_lines[1]}) in analysis.data.schemas "
                    "(a deliberate transcription change updates the count there)", got)]


def validate(frame: pd.DataFrame, res: Resource, path: Path) -> pd.DataFrame:
    """Type and check a text frame read from ``path``; raise :class:`DataError` listing
    every problem, or return the typed frame (still with its ``_line`` column)."""
    typed, problems = _convert(frame, res, path)
    if not problems:
        problems += _number_problems(typed, res, path, frame)
        problems += _key_problems(typed, res, path)
        problems += _rule_problems(typed, res, path, frame)
    problems += _completeness(frame, res, path) + padded_cells(frame, path)
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or ""))
        raise DataError(problems)
    return typed


def read_raw(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every raw resource of ``raw_dir`` that loads cleanly (typed and validated, with its
    ``_line`` column), and the problems of those that do not: one bad file does not hide
    the others. A missing file is skipped (the manifest check reports it)."""
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, res in RESOURCES.items():
        path = raw_dir / res.path
        if not path.is_file():
            continue
        try:
            frames[name] = validate(read_csv_text(path, res.columns), res, path)
        except DataError as exc:
            problems += exc.problems
    return frames, problems
