"""The seminars' answers, collected from the seminars' own answer data, and where they leak
(imported by the tests as ``answer_leaks``; used by test_answer_leaks.py and
test_site_binder.py).

What counts as an answer of a seminar notebook (the teacher's copy, with its stored or
executed outputs), never a hand-typed list:

* every check cell's expected value (``seminar_tables.check("key", ...)`` → the teaching
  layer's answer key at the notebook's default parameters), rounded as a check accepts it
  (the decimals of its tolerance, and one more);
* every number a solution-tagged cell shows (its outputs: tables, sentences) or states (the
  discussion's answer);
* the answer sentences: the prose of solution-tagged Markdown cells and the sentences of
  solution outputs (not their tables or captions), as runs of six words.

Not evidence: numbers a student must read to do the exercise (a check's value may appear
only where the data cells print it; any other solution number also where the prompts or
the parameters state it), and trivially short numbers (fewer than three digits, ``0,5``,
``2``, ``10``; two digits with decimals, ``0,51``, count). A number is searched in both
notations (``15,16`` and ``15.16``, thousands ``2 100``/``2,100``/``2100``), with or
without ``%`` and its sign; sentences in the text's words, case and markup aside.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil, log10
from typing import Any

from analysis.present import numbers, parameters
from analysis.teaching import grading

#: A check cell's call: ``check("key", ...)``.
CHECK_CALL = re.compile(r"""check\(\s*["'](\w+)["']""")
#: A number as text in either notation (space-like thousands, decimal comma or point), not
#: part of a word (``S1.2``, ``T109``) or a date.
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?(?!\d)")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W\d_]+|\d+")
SHINGLE = 6  # words in a run that counts as an answer sentence
SEPARATORS = ("\u00a0", " ", "\u202f", "")  # how thousands are written in each language


def _source(cell: Mapping[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _tags(cell: Mapping[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def output_text(cell: Mapping[str, Any]) -> str:
    """The text a cell's outputs show (HTML and Markdown as they are, images left out)."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def plain(text: str) -> str:
    """Rendered text: images, tags and entities out; a tag becomes a line break (so that
    adjacent table cells never join into one number)."""
    text = re.sub(r"data:image/[\w+]+;base64,[A-Za-z0-9+/=]+", "", text)
    text = re.sub(r"<(script|style)\b.*?</\1>", "\n", text, flags=re.S | re.I)
    return html.unescape(TAG.sub("\n", text))


def _summaries(text: str) -> str:
    """Without the "click to show the answer" line of a collapsed solution."""
    return re.sub(r"<summary>.*?</summary>", "\n", text, flags=re.S)


def number_tokens(text: str) -> list[tuple[Decimal, int]]:
    """Every number in ``text`` with the decimals it is written with (sign dropped)."""
    found = []
    for match in NUMBER.finditer(DATE.sub(" ", plain(text))):
        whole = re.sub(r"[ \u00a0\u202f]", "", match.group(1))
        places = match.group(2) or ""
        found.append((Decimal(f"{whole}.{places}" if places else whole), len(places)))
    return found


def is_evidence(value: Decimal, places: int) -> bool:
    """Three digits or more (leading zeros aside), or two with decimals: ``350``,
    ``12,03``, ``0,51``; not ``2``, ``10``, ``99``, ``0,5``."""
    digits = f"{abs(value):.{places}f}".replace(".", "").lstrip("0")
    return len(digits) >= 3 or (len(digits) == 2 and places > 0)


def forms(value: Decimal, places: int) -> set[str]:
    """``value`` (its size, not its sign) as each language writes it, with each thousands
    separator: ``2 100``, ``2,100``, ``2100``; ``15,16``, ``15.16``."""
    written = set()
    for lang in ("kk", "en"):
        text = numbers.number(abs(value), lang, places)
        grouped = numbers.THOUSANDS[lang]
        for sep in SEPARATORS + (",",):
            if lang == "kk" and sep == ",":
                continue  # a comma is Kazakh's decimal mark
            written.add(text.replace(grouped, sep) if grouped in text else text)
    return written


def _rounded(value: float, places: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


def check_places(tolerance: float) -> tuple[int, ...]:
    """The decimals a check's answer is written with: those its tolerance implies
    (0.05 → 1) and one more."""
    first = 0 if tolerance <= 0 or tolerance >= 0.5 else max(0, ceil(-log10(2 * tolerance)))
    return (first, first + 1)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(plain(text))]


def shingles(text: str) -> set[tuple[str, ...]]:
    """Runs of :data:`SHINGLE` words of a text, each with at least four real words (so
    that a run of table numbers is no sentence)."""
    tokens = words(text)
    runs = set()
    for i in range(len(tokens) - SHINGLE + 1):
        run = tuple(tokens[i:i + SHINGLE])
        if sum(not w.isdigit() for w in run) >= 4:
            runs.add(run)
    return runs


def _sentences_of_outputs(cell: Mapping[str, Any]) -> str:
    """The sentences a solution output shows: its text without tables, images, captions
    (``Кесте S1.2. …``, ``*Figure …*``) and the summary line."""
    text = _summaries(output_text(cell))
    text = re.sub(r"<table\b.*?</table>", "\n", text, flags=re.S)
    lines = [line for line in plain(text).splitlines()
             if not re.match(r"^\W*(Кесте|Table|Сурет|Figure)\s+S?\d", line.strip())]
    return "\n".join(lines)


@dataclass
class Answers:
    """The answers of one seminar notebook: number forms and answer sentences."""

    stem: str
    numbers: dict[str, str] = field(default_factory=dict)  # form → where it comes from
    sentences: dict[tuple[str, ...], str] = field(default_factory=dict)  # run → sentence

    def leaks(self, text: str) -> list[str]:
        """Every answer ``text`` shows: ``"15,16 (check cagr_2018_2023)"``, ``"sentence
        '…' (solution)"``."""
        found = []
        for form, origin in sorted(self.numbers.items()):
            pattern = (r"(?<!\d)(?<!\d[.,\u00a0\u202f ])" + re.escape(form)
                       + r"(?!\d)(?![.,\u00a0\u202f ]\d)")
            if re.search(pattern, text):
                found.append(f"{form!r} ({origin})")
        runs = shingles(text)
        for run, origin in self.sentences.items():
            if run in runs:
                found.append(f"{' '.join(run)!r} (from: {origin[:60]}…)")
        return sorted(set(found))


def _inputs(cells: list[dict[str, Any]], defaults: Mapping[str, Any]
            ) -> tuple[set[Decimal], set[Decimal]]:
    """What a student reads: (numbers the data cells print, parameters included; those and
    every number of the non-solution prose and code)."""
    data: set[Decimal] = set()
    prose: set[Decimal] = set()
    for value in defaults.values():
        if isinstance(value, int | float) and not isinstance(value, bool):
            data.add(Decimal(str(value)).normalize())
    for cell in cells:
        if "solution" in _tags(cell):
            continue
        data |= {v.normalize() for v, _ in number_tokens(output_text(cell))}
        prose |= {v.normalize() for v, _ in number_tokens(_source(cell))}
    return data, data | prose


def _check_values(cells: list[dict[str, Any]], stem: str, data: set[Decimal]
                  ) -> dict[str, str]:
    """The number forms of every check cell's expected value (as the check accepts it)
    that the data cells do not print."""
    defaults = parameters.defaults(stem)
    keys = sorted({k for c in cells if "check" in _tags(c) for k in CHECK_CALL.findall(_source(c))})
    found: dict[str, str] = {}
    for key in keys:
        expected = grading.expected(key, defaults)
        if isinstance(expected.value, bool | frozenset):
            continue  # a verdict: its sentences are the solution's
        for places in check_places(expected.tolerance):
            value = _rounded(float(expected.value), places)
            if is_evidence(value, places) and abs(value).normalize() not in data:
                found |= dict.fromkeys(forms(value, places), f"check {key}")
    return found


def _solution_evidence(cell: Mapping[str, Any], read: set[Decimal], answers: Answers) -> None:
    """Add what a solution cell shows or states: its numbers a student does not read
    elsewhere, and its sentences."""
    markdown = cell["cell_type"] == "markdown"
    shown = (_summaries(_source(cell)) if markdown else "") + "\n" + _summaries(output_text(cell))
    for value, places in number_tokens(shown):
        if is_evidence(value, places) and value.normalize() not in read:
            answers.numbers |= {f: answers.numbers.get(f, "solution") for f in forms(value, places)}
    prose = _summaries(_source(cell)) if markdown else _sentences_of_outputs(cell)
    for run in shingles(prose):
        answers.sentences.setdefault(run, " ".join(words(prose)))


def collect(notebook: Mapping[str, Any], stem: str) -> Answers:
    """The answers of the seminar ``stem`` from its teacher's notebook (with outputs)."""
    cells = list(notebook["cells"])
    data, read = _inputs(cells, parameters.defaults(stem))
    answers = Answers(stem, _check_values(cells, stem, data))
    for cell in cells:
        if "solution" in _tags(cell):
            _solution_evidence(cell, read, answers)
    return answers


def notebook_text(notebook: Mapping[str, Any]) -> str:
    """Everything a notebook file shows: each cell's source and outputs."""
    return "\n".join(_source(c) + "\n" + output_text(c) for c in notebook["cells"])


def leaks_in(answers: Answers, texts: Iterable[tuple[str, str]]) -> list[str]:
    """``where: leak`` for each text (``(where, text)``) that shows an answer."""
    return [f"{where}: {leak}" for where, text in texts for leak in answers.leaks(text)]


def load(path: Any) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
