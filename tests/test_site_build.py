"""The site built from a real run (fixture ``real_site``): every page there, offline,
tags honoured, numbers equal to the run's outputs, and a rebuild skipped when nothing
changed."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

from analysis.run import exhibit_map as exhibit_map
from analysis.run.site import inputs

LANGS = ("kk", "en")
SEMINAR = "notebooks/seminar/seminar_01_growth"


@pytest.fixture(scope="module")
def run(real_site):
    return inputs.discover(real_site.reports, "kk")


def _html(real_site, lang: str, doc: str) -> str:
    return real_site.page(lang, doc).read_text(encoding="utf-8")


def test_every_page_in_both_languages(real_site, run):
    docs = ["index", "ledger", "replication", "exhibits/index", "search"]
    docs += [f"exhibits/{ex.id}" for ex in exhibit_map.load()]
    for nb in run.notebooks:
        if nb.seminar:
            docs += [f"notebooks/seminar/{nb.stem}", f"notebooks/seminar/{nb.stem}-student"]
        else:
            docs.append(f"notebooks/{nb.stem}")
    for lang in LANGS:
        missing = [d for d in docs if not real_site.page(lang, d).is_file()]
        assert missing == [], (lang, missing)
        nav = _html(real_site, lang, "index")
        for doc in docs[5:]:  # every exhibit, notebook and seminar page in the navigation
            assert f'href="{doc}.html"' in nav, (lang, doc)
    assert (real_site.reports / "site" / "index.html").is_file()
    assert (real_site.reports / "REPLICATION.md").is_file()


def test_nothing_is_loaded_from_the_network(real_site):
    for lang in LANGS:
        root = real_site.reports / "site" / lang
        for page in root.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            remote = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"',
                                text)
            assert remote == [], (page, remote[:3])
        assert (root / "_static" / "tex-svg.js").is_file()
    assert (real_site.reports / "_assets" / "mathjax" / "tex-svg.js").is_file()


def test_english_build_has_no_kazakh_only_headings(real_site):
    cyrillic = re.compile(r"[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]")
    latin = re.compile(r"[A-Za-z]{3}")
    pages = ["index", "ledger", "replication", "exhibits/index", "exhibits/k7"]
    for doc in pages:
        html = _html(real_site, "en", doc)
        for _level, text in re.findall(r"<h([1-3])[^>]*>(.*?)</h\1>", html, re.S):
            plain = re.sub(r"<[^>]+>", "", text)
            assert not cyrillic.search(plain) or latin.search(plain), (doc, plain)


def test_front_page_numbers_are_the_ledgers(real_site):
    ledger = pd.read_csv(real_site.reports / "en" / "ledger.csv", dtype=str, keep_default_na=False)
    counts = ledger["status"].value_counts()
    html = _html(real_site, "en", "index")
    text = re.sub(r"<[^>]+>", "", html)
    assert (f"checks {len(ledger)} numbers printed in the dissertation: "
            f"{counts['contradicted']} contradicted") in text
    assert re.search(r"N = \d+", text) and "interval, HC3" in text
    assert html.count('href="ledger.html#L-') >= 5
    assert re.search(r'href="notebooks/0[1-5]_\w+\.html#cell-[\w-]+"', html)


def test_seminar_teacher_and_student_pages(real_site):
    for lang in LANGS:
        teacher = _html(real_site, lang, SEMINAR)
        student = _html(real_site, lang, SEMINAR + "-student")
        assert "growth_table" in teacher and "growth_table" not in student
        assert re.search(r'<details class="(kaztur-solution|[^"]*hide[^"]*)"', teacher)
        # no parameters cell (the executed notebook's has this comment)
        executed = (real_site.reports / "kk" / "seminar" / "seminar_01_growth"
                    / "seminar_01_growth.ipynb").read_text(encoding="utf-8")
        assert "немесе / or" in executed
        assert "немесе / or" not in student and "немесе / or" not in teacher
        assert 'href="seminar_01_growth-student.html"' in teacher


def test_rebuild_is_skipped_when_nothing_changed(real_site):
    proc = subprocess.run([sys.executable, "-m", "analysis.run.site", "--reports",
                           str(real_site.reports)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0 and "nothing (up to date)" in proc.stdout, proc.stdout
