"""Check the transcription against the dissertation text itself, when it is available.

Every printed string we keep must occur on the source line we cite (or, for a cell that the
source wraps over two lines, on that line joined with the next). This catches retyped or
mis-cited cells, the errors a checksum cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis.data import schemas
from analysis.errors import Problem, rel

# which column must be found verbatim on the cited line, per resource
VERBATIM_COLUMN: dict[str, str] = {
    "survey_questionnaire": "option_kk",
    "survey_results": "printed",
    "text_claims": "quote_kk",
    "ots_events": "quote_kk",
    "text_dates": "quote_kk",
    "text_enumerations": "item_kk",
    "text_readings": "quote_kk",
    "text_trends": "quote_kk",
    "text_statuses": "quote_kk",
    "conclusions": "quote_kk",
}


@lru_cache(maxsize=4)
def source_lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").split("\n"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def problems(name: str, frame: pd.DataFrame, path: Path,
             frames: Mapping[str, pd.DataFrame] | None = None) -> list[Problem]:
    """Rows whose printed text is not on the line they cite; for ``text_claims`` (where a
    missing transcription belongs) also every digit of the source that no raw row cites
    (:func:`coverage_problems`). ``frames``: every raw resource that loads cleanly, when
    the caller has read them already (:func:`raw_frames` reads them otherwise)."""
    if not config.source_available():
        return []
    found = _verbatim_problems(name, frame, path)
    if name == "text_claims":
        frames = raw_frames() if frames is None else frames
        present = [n for n, res in schemas.RESOURCES.items()
                   if (config.RAW_DIR / res.path).is_file()]
        # The digit rule needs every file: with one refused, all of its digits would look
        # uncited and bury the one real problem under dozens; it runs once the file loads.
        if len(frames) == len(present):
            found += coverage_problems(frames, path)
    return found


def raw_frames() -> dict[str, pd.DataFrame]:
    """Every raw resource that loads cleanly (a resource with problems is reported by its
    own check and left out here, so that one bad file does not hide the others)."""
    return schemas.read_raw(config.RAW_DIR)[0]


def _verbatim_problems(name: str, frame: pd.DataFrame, path: Path) -> list[Problem]:
    column = VERBATIM_COLUMN.get(name, "printed")
    out: list[Problem] = []
    docs: dict[str, tuple[str, ...]] = {}
    for row in frame.to_dict("records"):
        doc = row.get("source_doc") or "dissertation_kk.txt"
        if doc not in docs:
            doc_path = config.SOURCE_DIR / doc
            if not doc_path.is_file():
                out.append(Problem(rel(path), int(row["_line"]), "source_doc",
                                   "a file in the source folder", doc))
                continue
            docs[doc] = source_lines(doc_path)
        lines = docs[doc]
        n = int(row["source_line"])
        if not 1 <= n <= len(lines):
            out.append(Problem(rel(path), int(row["_line"]), "source_line",
                               f"a line number 1–{len(lines)}", str(n)))
            continue
        text = _norm(str(row[column]))
        here = _norm(lines[n - 1])
        joined = _norm(" ".join(lines[n - 1 : n + 2]))
        if text and text not in here and text not in joined:
            out.append(Problem(rel(path), int(row["_line"]), column,
                               f"text found verbatim on {doc} line {n}", str(row[column])[:80]))
    return out


# ---------------------------------------------------------------------------------------
# Every digit of the source is cited
# ---------------------------------------------------------------------------------------
#
# Why: a transcription that covers "every number of the text" must be checkable. The rule:
# every run of digits on every line of the source documents is either inside a number some
# raw row cites (a claim's printed number, year or period; an event's date or ordinal; a
# survey percentage or option; a table cell; an enumerated item) or matched by an entry of
# the allow-list below, each of which says why its digits are not numeric statements.

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Allow:
    """Digits on ``lines`` of ``doc`` matched by ``pattern`` are not numeric statements."""

    doc: str
    lines: tuple[int, int]
    pattern: str
    reason: str


#: The allow-list: explicit, each entry with its reason (see data/raw/README.md).
_D = "dissertation_kk.txt"
_ALL = (1, 2028)
_TABLES = ((520, 560), (577, 650), (677, 771), (807, 845), (884, 914), (918, 980),
           (995, 1045), (1054, 1097), (1615, 2028))

ALLOW: tuple[Allow, ...] = (
    # Reference markers "[12]", "[12, 45 б.]" and Word bookmarks "[bookmark: _Hlk1916…]".
    Allow(_D, _ALL, r"\[[^\]]*\]", "a reference marker or bookmark in square brackets"),
    # Numbered list items "1. …", "2) …" at the start of a line (after a bookmark), and
    # inline enumerations "…: 1) …; 2) …".
    Allow(_D, _ALL, r"^(?:\[[^\]]*\])*\s*\d{1,2}\s*[.)]", "the number of a list item"),
    Allow(_D, _ALL, r"(?:(?<=[:;,]\s)|(?<=[:;,]))\d{1,2}\)", "the number of an inline list item"),
    # Section headings "2.3.1 …", "3 ТҮРКІТІЛДЕС …", "2- бөлім бойынша қорытынды".
    Allow(_D, _ALL, r"^\d(?:\.\d){1,2}\.?(?=\s)", "a section number in a heading"),
    Allow(_D, _ALL, r"^\d(?=\s+[А-ЯӘҒҚҢӨҰҮҺІ]{3})", "a chapter number in a heading"),
    Allow(_D, _ALL, r"^\d\s*-\s*бөлім", "a chapter number ('2- бөлім бойынша қорытынды')"),
    # Table captions and continuation marks: "Кесте 3 - …", "3-кесенің жалғасы".
    Allow(_D, _ALL, r"Кесте\s*\d+", "the number of a table in its caption"),
    Allow(_D, _ALL, r"\d+\s*-\s*кесенің", "the number of a continued table"),
    # Inside tables, a line holding only a small integer is a column number (1 2 3 4 under
    # the header) or the "№" of a row, not a printed value.
    *(Allow(_D, lines, r"^\d{1,2}$", "a column or row number of a table")
      for lines in _TABLES),
    # The author's own publications (Зерттеу нәтижелерінің апробациядан өтуі): journal
    # volumes, issues, pages, ISSN, DOI and publication dates are bibliographic data.
    Allow(_D, (90, 101), r"(?:ISSN|DOI|ORCID|Vol\.|No\.|P\.|Б\.|Том|№)[^,;]*|https?://\S+"
          r"|\b[A-Z][a-z]+,\s*\d{4}"
          r"|\d+\(\d+\)|\b\d{1,2}\s+\w+\s+\d{4}\s*ж\.|\(\d{4}\s*ж\.\)|\b\d{4}\s*ж\.|\d{4}:"
          r"|\(\d{4}\s*[–-]\s*\d{4}\)|\(\d{4}\s*[–-]\s*\d{4}\s*жылдар",
          "bibliographic data of the author's publications"),
    # A decade used as a time reference: "1990 жылдары", "1990-шы жылдардың басында",
    # "ХХ ғасырдың 90-жылдары", "20-30 жылдардағы" (the 1920s–30s). A range of years
    # ("1950-1960 жылдары", "2016–2019 жылдары") is a date range and is transcribed.
    Allow(_D, _ALL, r"(?<![\d–-])(?:\d{4}|\d{2}(?:\s*[-–]\s*\d{2})?)(?!\s*[-–]\s*\d)\s*[-–]?\s*"
          r"(?:шы|ші|ыншы|інші)?\s*жылдар(?!\s*аралығ)",
          "a decade named as a time reference ('the 1990s', 'the 20s–30s')"),
    # Identifiers: numbers of laws, decrees and articles, and names such as G20, COVID-19.
    Allow(_D, _ALL, r"(?:№|No)\s*\d+(?:-[IVX]+)?", "the number of a law or decree"),
    Allow(_D, _ALL, r"\d+\s*-\s*(?:баб|тармақ|тармағ)\w*", "the number of an article of a law"),
    Allow(_D, _ALL, r"\d+\s+санында", "the issue number of a gazette"),
    Allow(_D, _ALL, r"«500 ғалым»", "the name of a programme («500 ғалым», '500 scientists')"),
    Allow(_D, _ALL, r"G20|COVID-19|Project\s+12418|Q2",
          "part of a name (G20, COVID-19, a ship class, a journal quartile)"),
    # Titles of documents and programmes that carry a year: «Түркі әлемінің көзқарасы –
    # 2040», «Қазақстан-2030», "2014-2020 жылдарға арналған … тұжырымдамасы".
    Allow(_D, _ALL, r"(?:[–-]\s*|\b)20[2-5]0\s*»|«[^»]{0,60}\b20[2-5]0\b[^»]{0,60}»"
          r"|\b20[2-5]0\s+(?:стратегия|концепция|көзқарас)\w*",
          "a year in the title of a programme or document"),
    # The horizon of a plan, concept, forecast or question ("2030 жылға дейінгі
    # тұжырымдама", "2040 жылға қарай"); a target the text quantifies is a claim of its own.
    Allow(_D, _ALL, r"\b20[2-5]\d\s*жылға\s+(?:дейін\w*|арналған|қарай)",
          "the horizon year of a plan, concept, forecast or question"),
    Allow(_D, _ALL, r"\d{4}\s*[-–]\s*\d{4}\s*жылдарға\s+арналған",
          "the years in the title of a programme ('for 2014–2020')"),
    # Years heading a table's columns (Кесте 6) and the span in a table's caption
    # (Кесте 7, 8): the cells below carry their years.
    Allow(_D, (918, 980), r"^\d{4}\s*ж\.$", "a year heading a column of Кесте 6"),
    Allow(_D, (995, 995), r"\(\d{4}–\d{4}\)", "the years in the caption of Кесте 7"),
    Allow(_D, (1054, 1054), r"\(\d{4}–\d{4}\)", "the years in the caption of Кесте 8"),
    # A comparison's reference year whose value is printed earlier on the line (32,8 bn in
    # 2019; "2019 жылғы «Ковидке дейінгі» деңгейден").
    Allow(_D, (1048, 1048), r"2019 жылғы «Ковидке дейінгі»",
          "the reference year of a comparison; its value is claim T097"),
    # Қосымша Б prints each option's label on the line above its share; an age band is part
    # of that label (the option and its share are rows of survey_results).
    Allow(_D, (1615, 2028), r"^\d+\s*[–-]\s*\d+\s*жас$|^\d+\s*жастан\s+жоғары$",
          "the age band in the label of a survey option"),
)


@dataclass
class _Spans:
    """Character spans of a normalised line that some raw row cites."""

    spans: list[tuple[int, int]] = field(default_factory=list)

    def add_all(self, text: str, needle: str, within: tuple[int, int] | None = None) -> None:
        needle = _norm(needle)
        if not needle:
            return
        lo, hi = within or (0, len(text))
        start = text.find(needle, lo)
        while start != -1 and start + len(needle) <= hi:
            self.spans.append((start, start + len(needle)))
            start = text.find(needle, start + 1)

    def covers(self, a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in self.spans)


def _cited_needles(name: str, row: Mapping[Any, Any]) -> tuple[str, list[str]]:
    """(the verbatim text locating the row on its line, the numbers it cites there)."""
    if name == "text_claims":
        needles = [str(row["number_printed"])]
        if not pd.isna(row["year"]):
            needles.append(str(int(row["year"])))
        period = row.get("period")
        if isinstance(period, str) and period:
            needles += re.findall(r"\d{4}", period) + [period]
        return str(row["quote_kk"]), needles
    if name in ("ots_events", "text_dates"):
        needles = [str(row["date_printed"])]
        ordinal = row.get("ordinal_printed")
        if isinstance(ordinal, str) and ordinal:
            needles.append(ordinal)
        return str(row["quote_kk"]), needles
    column = VERBATIM_COLUMN.get(name, "printed")
    return str(row[column]), [str(row[column])]


def cited_spans(frames: Mapping[str, pd.DataFrame], doc: str) -> dict[int, _Spans]:
    """Line → cited spans of the normalised line (a quote may run on into the next lines:
    its part on each line is cited there)."""
    lines = source_lines(config.SOURCE_DIR / doc)
    out: dict[int, _Spans] = {}
    for name, frame in frames.items():
        for row in frame.to_dict("records"):  # plain dicts: iterrows builds a Series a row
            if (row.get("source_doc") or "dissertation_kk.txt") != doc:
                continue
            n = int(row["source_line"])
            if not 1 <= n <= len(lines):
                continue
            locator, needles = _cited_needles(name, row)
            texts = [_norm(x) for x in lines[n - 1 : n + 2]]
            joined = " ".join(texts)
            found = joined.find(_norm(locator))
            if found == -1:
                continue
            span = (found, found + len(_norm(locator)))
            joint = _Spans()
            for needle in needles:
                joint.add_all(joined, needle, span)
            offset = 0
            for k, piece in enumerate(texts):
                spans = out.setdefault(n + k, _Spans())
                for s, e in joint.spans:
                    if s < offset + len(piece) and e > offset:
                        spans.spans.append((max(s - offset, 0), min(e - offset, len(piece))))
                offset += len(piece) + 1
    return out


def _allowed(doc: str, n: int, text: str, a: int, b: int) -> bool:
    for rule in ALLOW:
        if rule.doc != doc or not rule.lines[0] <= n <= rule.lines[1]:
            continue
        for m in re.finditer(rule.pattern, text):
            if m.start() <= a and b <= m.end():
                return True
    return False


def uncited_digits(frames: Mapping[str, pd.DataFrame], doc: str) -> list[tuple[int, str, str]]:
    """(line, digits, context) of every digit run on ``doc`` that no row cites and no
    allow-list entry covers."""
    lines = source_lines(config.SOURCE_DIR / doc)
    spans = cited_spans(frames, doc)
    out = []
    for n, raw in enumerate(lines, start=1):
        text = _norm(raw)
        cited = spans.get(n, _Spans())
        for m in _DIGITS.finditer(text):
            if cited.covers(m.start(), m.end()) or _allowed(doc, n, text, m.start(), m.end()):
                continue
            out.append((n, m.group(), text[max(0, m.start() - 40): m.end() + 40]))
    return out


def coverage_problems(frames: Mapping[str, pd.DataFrame], report_as: Path) -> list[Problem]:
    """The digit rule as problems (reported against ``report_as``, the claims file, where a
    missing transcription belongs)."""
    if not config.source_available():
        return []
    out = []
    for doc in SOURCE_DOCS:
        if not (config.SOURCE_DIR / doc).is_file():
            continue
        for n, digits, context in uncited_digits(frames, doc):
            out.append(Problem(rel(report_as), None, "source_line",
                               f"a raw row citing the digits {digits!r} on {doc} line {n} "
                               f"(or an allow-list entry in analysis.data.provenance)",
                               f"…{context}…"))
    return out


SOURCE_DOCS: tuple[str, ...] = ("dissertation_kk.txt", "news_2021_kk.txt")
