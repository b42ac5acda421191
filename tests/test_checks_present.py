"""The ledger in both languages (present.ledger_text, labels/ledger_text.yaml) and its
grouped summary: every text of every shipped row renders in Kazakh and in English from
templates with the same fields; the Kazakh ledger carries no English sentence and no
decimal point outside quotations, code and identifiers; the two languages' ledgers differ
in their texts and agree in ids, statuses and numbers; the language-neutral ledger.json
reads back as the ledger.

"An English sentence" (issue 25): three or more consecutive English words outside code,
proper names and identifiers (TPAO, BTC, Comtrade, WDI, check ids) and cited titles. The
test removes from each Kazakh cell what the row's data itself supplies — the quotations of
the source (``«…»``), the printed numbers, the Kazakh labels of the data, ids, codes and
the cited titles of the official sources (every string of the neutral phrases but the
English labels) — and fails on any run of three Latin-script words that is left: such a
run can only come from a template, or from an English label leaking into Kazakh.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.checks import core, ledger
from analysis.checks.core import CHECK_IDS, CONTRADICTED, KINDS, STATUSES, phrase_of
from analysis.checks.ledger import PHRASE_COLUMNS
from analysis.checks.official import VERDICTS
from analysis.data.io import table_to_csv_text
from analysis.present import i18n, ledger_text, numbers
from analysis.present.kk_endings import ablative, dative
from analysis.present.tables import checks as table

#: Columns that are the same in every language's ledger: ids, keys and numbers.
SHARED = ("claim_id", "check_id", "severity", "status", "exhibit", "source_lines",
          "value_printed", "gap")
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*"
                         r"(?: [A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*){2,}")
QUOTATION = re.compile(r"«[^»]*»")
DECIMAL_POINT = re.compile(r"(?<![\w.])\d+\.\d+")
URL = re.compile(r"https?://\S+")
CHECKS_DIR = Path(core.__file__).parent
#: Leaves of a phrase that are English on purpose (for the English ledger only).
ENGLISH_FIELDS = {"label_en", "en"}


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return ledger.build()


@pytest.fixture(scope="module")
def written(shipped) -> dict[str, pd.DataFrame]:
    return {lang: ledger_text.frame(shipped, lang) for lang in ("kk", "en")}


def _data_strings(value: Any) -> Iterator[str]:
    """Every string a phrase carries as data (not its template keys, not English labels)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ENGLISH_FIELDS or (k == "key" and "fields" in value):
                continue
            yield from _data_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _data_strings(v)
    elif isinstance(value, str) and value:
        yield value


def english_sentences(text: str, data: set[str]) -> list[str]:
    """Runs of three or more English words in ``text`` once the quotations and the
    strings the row's data supplies are taken out (module docstring)."""
    text = QUOTATION.sub(" ", text)
    for s in sorted((d for d in data if len(d) > 3), key=len, reverse=True):
        text = text.replace(s, " ")
    return [m.group(0) for m in ENGLISH_RUN.finditer(text)]


def kazakh_problems(neutral: pd.DataFrame, kk: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(English sentences, numbers with a decimal point) on the Kazakh ledger, each as
    ``claim_id column: text``."""
    english, points = [], []
    for i, row in neutral.iterrows():
        data = {s for c in PHRASE_COLUMNS if c in neutral
                for s in _data_strings(phrase_of(row[c]))}
        for column in ledger_text.TEXT_COLUMNS:
            cell = str(kk.at[i, column])
            english += [f"{row['claim_id']} {column}: {run}"
                        for run in english_sentences(cell, data)]
            points += [f"{row['claim_id']} {column}: {m.group(0)}"
                       for m in DECIMAL_POINT.finditer(URL.sub(" ", cell))]
    return english, points


# ---------------------------------------------------------------------------------------
# Kazakh as a first language
# ---------------------------------------------------------------------------------------


def test_kazakh_ledger_has_no_english_sentence_and_no_decimal_point(shipped, written):
    english, points = kazakh_problems(shipped, written["kk"])
    assert not english, english[:20]
    assert not points, points[:20]


def test_an_english_template_on_the_kazakh_ledger_fails(shipped, monkeypatch):
    """The guard above fails when a Kazakh template is English (here: the diagnosis of a
    reproduced identity) or when the Kazakh ledger writes a decimal point."""
    labels = {k: dict(v) for k, v in i18n.labels().items()}
    key = "checks.diag.identity.reproduced"
    labels[key]["kk"] = labels[key]["en"]
    monkeypatch.setattr(i18n, "labels", lambda: labels)
    rows = shipped[shipped["diagnosis"].str.contains('"diag.identity.reproduced"')]
    english, _ = kazakh_problems(rows, ledger_text.frame(rows, "kk"))
    assert any("matches the printed total" in e for e in english)
    monkeypatch.setitem(numbers.DECIMAL_MARK, "kk", ".")
    _, points = kazakh_problems(rows, ledger_text.frame(rows, "kk"))
    assert points


def test_kazakh_diagnoses_read_as_kazakh(written):
    """Nine in ten Kazakh diagnoses are mostly Cyrillic (the project's before-stop check)."""
    def cyrillic(text: str) -> float:
        letters = [ch for ch in text if ch.isalpha()]
        return sum("\u0400" <= ch <= "\u04ff" for ch in letters) / max(len(letters), 1)

    share = (written["kk"]["diagnosis"].map(cyrillic) > 0.5).mean()
    assert share >= 0.9, share


def test_languages_differ_in_text_and_agree_in_ids_and_numbers(shipped, written):
    kk, en = written["kk"], written["en"]
    assert list(kk.columns) == list(en.columns) == list(shipped.columns)
    for column in SHARED:
        assert kk[column].equals(en[column]), column
        assert kk[column].equals(shipped[column]), column
    differ = (kk["diagnosis"] != en["diagnosis"]).mean()
    assert differ > 0.95, differ
    assert set(en["kind"]) == {ledger_text.kind_label(k, "en") for k in set(shipped["kind"])}
    assert set(kk["kind"]) == {ledger_text.kind_label(k, "kk") for k in set(shipped["kind"])}
    verdicts = set(kk["external_verdict"]) - {""}
    assert verdicts == {"сәйкес", "сәйкес емес", "анықтамасы басқа", "шешуші емес"}


def test_numbers_follow_each_languages_notation():
    iv = {"iv": ["1579.5", "1580.5"], "closed": [True, False]}
    assert ledger_text.render(iv, "kk") == "[1\u00a0579,5; 1\u00a0580,5)"
    assert ledger_text.render(iv, "en") == "[1,579.5, 1,580.5)"
    assert ledger_text.render({"num": "-0.25"}, "kk") == "−0,25"
    assert ledger_text.printed("9.8%", "kk") == "9,8%"
    assert ledger_text.printed("4,8 миллиард", "en") == "4.8 миллиард"
    assert ledger_text.printed("1 050", "en") == "1,050"
    assert ledger_text.printed(",8 миллиард", "en") == ",8 миллиард"  # the source's slip


@pytest.mark.parametrize(("text", "abl", "dat"), [
    ("22", "22-ден", "22-ге"), ("30", "30-дан", "30-ға"), ("4\u00a0100", "4\u00a0100-ден",
                                                            "4\u00a0100-ге"),
    ("5000", "5000-нан", "5000-ға"), ("4,5", "4,5-тен", "4,5-ке"), ("40", "40-тан", "40-қа"),
    ("4,2 миллиард", "4,2 миллиардтан", "4,2 миллиардқа"), ("92,83%", "92,83%-дан",
                                                            "92,83%-ға"),
    ("6,3 млрд", "6,3 млрд-тан", "6,3 млрд-қа"), ("АҚШ доллары", "АҚШ долларынан",
                                                  "АҚШ долларына"),
])
def test_kazakh_case_endings_follow_the_reading(text, abl, dat):
    assert ablative(text) == abl and dative(text) == dat


# ---------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return set(re.findall(r"\{([a-z_]+)(?::[a-z]+)?\}", text))


def test_every_template_has_both_languages_with_the_same_fields():
    for key, text in i18n.labels().items():
        if key.startswith("checks."):
            assert _fields(text["kk"]) == _fields(text["en"]), key


def test_every_shipped_phrase_key_has_a_template(shipped):
    keys = set()
    for column in PHRASE_COLUMNS:
        for cell in shipped[column]:
            for key in _keys(phrase_of(cell)):
                keys.add(key)
    missing = sorted(k for k in keys if f"checks.{k}" not in i18n.labels())
    assert not missing, missing
    assert len(keys) > 150


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if "key" in value:
            yield str(value["key"])
        for v in value.values():
            yield from _keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from _keys(v)


def test_a_missing_field_is_an_error_not_a_blank():
    with pytest.raises(KeyError, match="does not carry"):
        ledger_text.say({"key": "diag.sum.reproduced", "fields": {"printed": "1"}}, "en")


def _prose_literals(path: Path) -> list[str]:
    """String literals of a module with three or more English words in a row, other than
    docstrings, error messages (``raise``) and the command line's own output."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            skip.add(id(body[0].value))
        cli = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name) \
            and getattr(node.func, "attr", getattr(node.func, "id", "")) in CLI_CALLS
        if isinstance(node, ast.Raise) or cli:
            skip.update(id(n) for n in ast.walk(node))
    keys = {*STATUSES, *VERDICTS}  # the verdicts are keys; their words are labels
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in skip and n.value not in keys and ENGLISH_RUN.search(n.value)]


#: Calls whose strings are not ledger texts: the command line's own output, and patterns
#: that read the data's metadata (``re.compile``).
CLI_CALLS = {"add_argument", "ArgumentParser", "error", "print", "compile"}


def test_checks_emit_no_prose():
    """No module of ``analysis.checks`` composes a sentence: the rows say what they found
    as keys and data, and the sentences are the templates' (the guard fails on the
    English diagnoses the checks used to write: try putting one back)."""
    found = {p.name: lits for p in sorted(CHECKS_DIR.glob("*.py"))
             if (lits := _prose_literals(p))}
    assert not found, found
    sample = ast.parse('def f(x):\n    return f"{x} is printed above 100%"\n')
    assert any(ENGLISH_RUN.search(n.value) for n in ast.walk(sample)
               if isinstance(n, ast.Constant) and isinstance(n.value, str))


def test_every_check_and_kind_is_labelled():
    labels = i18n.labels()
    for check_id, kind in CHECK_IDS.items():
        assert kind in KINDS
        assert f"checks.explain.{check_id}" in labels, check_id
    for kind in KINDS:
        assert f"checks.kind.{kind}" in labels, kind
        assert table.kind_label(kind, "kk") != kind or kind == "survey"
    assert set(core.STATUS_TABLE) == set(STATUSES)  # one table of statuses
    for status in STATUSES:
        assert f"checks.status.{status}" in labels, status


def test_kind_and_severity_columns(shipped):
    assert set(shipped["kind"]) <= set(KINDS)
    for _, r in shipped.iterrows():
        assert r["kind"] == core.kind_of(r["check_id"])
        assert int(r["severity"]) == core.severity_of(r["check_id"], r["status"])
    assert (shipped.loc[shipped["status"] != CONTRADICTED, "severity"].astype(int) == 0).all()


# ---------------------------------------------------------------------------------------
# The neutral ledger file
# ---------------------------------------------------------------------------------------


def test_ledger_json_is_the_ledger_as_data(shipped):
    text = ledger.to_json_text(shipped)
    assert table_to_csv_text(ledger.from_json_text(text)) == table_to_csv_text(shipped)
    payload = json.loads(text)
    assert payload["version"] == ledger.JSON_VERSION
    first = payload["rows"][0]
    assert isinstance(first["source_lines"], list) and isinstance(first["severity"], int)
    assert isinstance(first["diagnosis"], dict) and "key" in first["diagnosis"]
    assert text == ledger.to_json_text(shipped.copy())  # the same ledger, the same bytes
    with pytest.raises(ValueError, match="version"):
        ledger.from_json_text(json.dumps({"version": 0, "columns": [], "rows": []}))


# ---------------------------------------------------------------------------------------
# Tables and the summary
# ---------------------------------------------------------------------------------------


def test_summary_is_grouped_and_short_by_default(shipped):
    short = ledger_text.summary_text(shipped)
    full = ledger_text.summary_text(shipped, verbose=True)
    n = ledger.counts(shipped)[CONTRADICTED]
    assert f"{n} contradicted" in short.splitlines()[0]
    assert short.count("  ✗ ") == min(n, ledger_text.SUMMARY_TOP)
    assert full.count("  ✗ ") == n
    for kind in set(shipped["kind"]):
        assert f"  {ledger_text.kind_label(kind, 'en')}" in short
    order = ledger.summary_order(shipped)
    sev = order.loc[order["status"] == CONTRADICTED, "severity"].astype(int).tolist()
    assert sev == sorted(sev, reverse=True)
    listed = re.findall(r"  ✗ (\S+) \[", full)
    assert listed == order.loc[order["status"] == CONTRADICTED, "claim_id"].tolist()
    kk = ledger_text.summary_text(shipped, lang="kk")
    assert "қайшы" in kk.splitlines()[0] and not english_sentences(kk.splitlines()[0], set())


def test_summary_order_does_not_depend_on_the_language(shipped, written):
    for lang in ("kk", "en"):
        assert ledger.summary_order(written[lang])["claim_id"].tolist() == \
            ledger.summary_order(shipped)["claim_id"].tolist()


def test_tables_in_both_languages(shipped):
    for lang in ("kk", "en"):
        serious = table.serious_table(shipped, lang)
        assert len(serious) > 0
        assert serious["severity"].astype(int).is_monotonic_decreasing
        assert not serious["diagnosis"].str.startswith("{").any()
        contra = table.contradictions_table(shipped, lang)
        assert len(contra) == len(serious) and (contra["recomputed"] != "").all()
        assert table.summary_sentence(shipped, lang)
    assert "қайшы" not in table.serious_table(shipped, "en")["diagnosis"].str.cat()
    kinds = table.kind_status_table(shipped)
    assert int(kinds[list(STATUSES)].to_numpy().sum()) == len(shipped)
