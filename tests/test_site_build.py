"""The site built by Sphinx.

* Crash-only, on a small synthetic run (a build of it takes seconds): a complete build is
  swapped in, two builds write the same bytes, a signal stops the ``sphinx-build`` children
  (found by PID with psutil) and leaves the previous site whole, so do a full disk (a small
  tmpfs) and a read-only ``reports/``, each with one message; a run that executed nothing
  leaves the site up to date.
* The real site (fixture ``real_site``, built from the shared real run): every page in both
  languages, offline, the executed notebooks to download, no developer notes, ``lang`` right
  on every page, tables as their notebooks showed them, and the Kazakh pages in Kazakh with
  the Kazakh number notation (the assertions that wait on other parts of the package are
  marked, see :data:`WAITING_ENGLISH`, :data:`WAITING_DECIMALS`, :data:`WAITING_NEUTRAL`).
"""

from __future__ import annotations

import contextlib
import hashlib
import html as html_mod
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO
from site_run import make_run, small_ledger_frame
from site_text import decimal_points, english_sentences, reader_text

from analysis.present.i18n import t
from analysis.run import exhibit_map as exhibit_map
from analysis.run.site import inputs, make

LANGS = ("kk", "en")
SEMINAR = "notebooks/seminar/seminar_01_growth"


def site_command(reports: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "analysis.run.site", "--reports", str(reports), *args]


#: The crash-only cases build the synthetic run's Kazakh site only: one Sphinx child, half
#: the time; what they guard does not depend on the language.
KK = ("--lang", "kk")


def build_site(reports: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(site_command(reports, *args), capture_output=True, text=True,
                          timeout=timeout)


def tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file under ``folder`` → its sha256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()
            and not any(part in skip for part in p.relative_to(folder).parts)}


def published(reports: Path) -> dict[str, str]:
    """What a reader gets: the site without its build folder, and reports/index.html."""
    out = tree(reports / "site", skip=(".build",))
    out["../index.html"] = hashlib.sha256((reports / "index.html").read_bytes()).hexdigest()
    return out


def _change_a_result(reports: Path) -> None:
    for lang in LANGS:
        path = reports / lang / "04_survey" / "results.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["results"][0]["values"]["n"]["value"] = 574
        path.write_text(json.dumps(data), encoding="utf-8")


# ---------------------------------------------------------------------------------------
# crash-only, on a synthetic run
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """A synthetic run with its site built once (copied by each test that changes it)."""
    reports = make_run(tmp_path_factory.mktemp("synthetic") / "reports", small_ledger_frame())
    proc = build_site(reports, *KK)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return reports


@pytest.fixture
def site_copy(synthetic, tmp_path) -> Path:
    """A copy of the built synthetic run in a project folder of its own (links kept)."""
    reports = tmp_path / "project" / "reports"
    shutil.copytree(synthetic, reports, symlinks=True)
    return reports


def test_a_build_is_swapped_in_whole_and_skipped_when_nothing_changed(synthetic):
    assert (synthetic / "site" / "kk" / "index.html").is_file()
    assert (synthetic / "site" / ".build" / "kk" / "stamp.json").is_file()
    assert not (synthetic / ".site-staging").exists()
    index = (synthetic / "index.html").read_text(encoding="utf-8")
    assert 'href="site/kk/index.html"' in index
    proc = build_site(synthetic, *KK)
    assert proc.returncode == 0 and "nothing (up to date)" in proc.stdout, proc.stdout


def test_builds_share_no_file_with_the_live_site_and_write_the_same_bytes(site_copy):
    """A build writes its pages through sphinx_child, which never writes through a hard
    link: a page that changed is a new file, the live one untouched until the swap. And two
    builds of the same sources write the same bytes, whatever was built in between (before:
    a first build linked MyST-NB's stylesheet without ``?v=…``, later ones with it; an
    incremental build kept search terms no page held)."""
    before = published(site_copy)
    old = site_copy / "site" / "kk" / "index.html"
    keep = site_copy.parent / "old-index.html"
    os.link(old, keep)  # a second name for the live page's file
    text = keep.read_text(encoding="utf-8")
    original = {lang: (site_copy / lang / "04_survey" / "results.json").read_bytes()
                for lang in LANGS}
    _change_a_result(site_copy)
    proc = build_site(site_copy, *KK)
    assert proc.returncode == 0, proc.stderr
    assert keep.read_text(encoding="utf-8") == text  # the old file: as it was
    assert "574" in old.read_text(encoding="utf-8") and "574" not in text
    for lang, data in original.items():
        (site_copy / lang / "04_survey" / "results.json").write_bytes(data)
    proc = build_site(site_copy, *KK)
    assert proc.returncode == 0, proc.stderr
    assert published(site_copy) == before


def _sphinx_children(parent: int, deadline: float) -> list[int]:
    import psutil

    while time.monotonic() < deadline:
        try:
            found = [p.pid for p in psutil.Process(parent).children(recursive=True)
                     if "analysis.run.site.sphinx_child" in " ".join(p.cmdline())]
        except psutil.NoSuchProcess:
            return []
        if found:
            return found
        time.sleep(0.05)
    return []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_sphinx_children_and_keeps_the_site(site_copy, signum):
    import psutil

    before = published(site_copy)
    proc = subprocess.Popen(site_command(site_copy, "--force", *KK), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        children = _sphinx_children(proc.pid, time.monotonic() + 120)
        assert children, "no sphinx-build child started"
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)  # a hang detector, not a timing
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signum, (out, err)
    assert "interrupted" in err and err.count("\n") == 1, err
    for pid in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            assert psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, pid
    assert published(site_copy) == before
    assert not (site_copy / ".site-staging").exists()


@contextlib.contextmanager
def small_filesystem(where: Path, size_kb: int):
    """A tmpfs of ``size_kb`` at ``where`` (root only; skips otherwise)."""
    where.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                           str(where)], capture_output=True, text=True)
    if proc.returncode:
        pytest.skip(f"cannot mount a small filesystem here ({proc.stderr.strip()}); the "
                    "full-disk and read-only cases need root")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _kb(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*")) // 1024


def test_a_full_disk_gives_one_message_and_keeps_the_site(synthetic, tmp_path):
    size = _kb(synthetic) + 4096
    with small_filesystem(tmp_path / "project", size) as project:
        reports = project / "reports"
        shutil.copytree(synthetic, reports, symlinks=True)
        free = shutil.disk_usage(project).free
        (project / "filler").write_bytes(b"\0" * max(0, free - 16 * 1024))
        before = published(reports)
        _change_a_result(reports)
        proc = build_site(reports, *KK)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert proc.stderr.startswith("kaztur site: no space left on the device"), proc.stderr
        assert proc.stderr.count("\n") == 1 and "reports/site/ is as it was" in proc.stderr
        assert published(reports) == before
        assert not (reports / ".site-staging").exists()


def test_a_read_only_reports_folder_gives_one_message(synthetic, tmp_path):
    with small_filesystem(tmp_path / "project" / "reports", _kb(synthetic) + 8192) as reports:
        shutil.copytree(synthetic, reports, symlinks=True, dirs_exist_ok=True)
        before = published(reports)
        subprocess.run(["mount", "-o", "remount,ro", str(reports)], check=True)
        proc = build_site(reports, "--force", *KK)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert proc.stderr.startswith("kaztur site: cannot write"), proc.stderr
        assert "read-only file system" in proc.stderr and proc.stderr.count("\n") == 1
        assert published(reports) == before


def test_a_read_only_site_folder_is_found_before_the_build(synthetic, tmp_path):
    """A read-only reports/site/ (here a read-only bind mount of itself, as root) is named
    at once; before, the build ran in full and the swap failed with 'Device or resource
    busy'."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    reports = tmp_path / "reports"
    shutil.copytree(synthetic, reports, symlinks=True)
    site = reports / "site"
    site.mkdir(exist_ok=True)
    before = published(reports)
    subprocess.run(["mount", "--bind", str(site), str(site)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(site)], check=True)
        proc = build_site(reports, "--force", *KK)
    finally:
        subprocess.run(["umount", str(site)], check=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.startswith(f"kaztur site: cannot write {site}: read-only file system")
    assert proc.stderr.count("\n") == 1
    assert published(reports) == before


def test_a_run_that_executes_nothing_leaves_the_site_up_to_date(real_run, tmp_path):
    """Before: any run forced the next site build. A run that executes nothing writes the
    same bytes (only the manifests' timings differ), so the site's fingerprint holds."""
    from conftest import kaztur

    root = tmp_path / "project"
    shutil.copytree(real_run.root, root, symlinks=True)
    cache = tmp_path / "cache"
    shutil.copytree(real_run.cache, cache, symlinks=True)
    code = make.code_fingerprint()
    before = {lang: make.fingerprint(root / "reports", lang, code)[0] for lang in LANGS}
    proc = kaztur(root, "run", cache=cache)
    assert proc.returncode == 0 and " 0 executed, " in proc.stderr, proc.stderr
    after = {lang: make.fingerprint(root / "reports", lang, code)[0] for lang in LANGS}
    assert after == before


# ---------------------------------------------------------------------------------------
# the real site
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def run(real_site):
    return inputs.discover(real_site.reports, "kk")


def _html(real_site, lang: str, doc: str) -> str:
    return real_site.page(lang, doc).read_text(encoding="utf-8")


def _pages(real_site, lang: str) -> list[Path]:
    """The site's pages (not the theme's templates among its static files)."""
    root = real_site.reports / "site" / lang
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.relative_to(root).parts)


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
    assert (real_site.reports / "index.html").is_file()
    assert (real_site.reports / "REPLICATION.md").is_file()
    assert not list(real_site.reports.glob("??/**/*.reader.html"))  # no second front end


def test_nothing_is_loaded_from_the_network(real_site):
    for lang in LANGS:
        root = real_site.reports / "site" / lang
        for page in root.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            remote = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"',
                                text)
            assert remote == [], (page, remote[:3])
        assert (root / "_static" / "tex-svg.js").is_file()


def test_every_local_link_of_every_page_resolves(real_site):
    """Every href and src of every page that points into the site leads to a file."""
    from urllib.parse import unquote, urlsplit

    for lang in LANGS:
        for page in _pages(real_site, lang):
            text = page.read_text(encoding="utf-8")
            for target in re.findall(r'(?:href|src)="([^"#?][^"]*)"', text):
                parts = urlsplit(target)
                if parts.scheme or target.startswith(("mailto:", "javascript:")):
                    continue
                path = (page.parent / unquote(parts.path)).resolve()
                assert path.exists(), (page.relative_to(real_site.reports), target)


def test_every_exhibit_output_is_on_its_exhibit_page(real_site, run):
    for ex in exhibit_map.load():
        html = _html(real_site, "kk", f"exhibits/{ex.id}")
        for src in ex.sources:
            for kind, name in src.outputs():
                out = run.output(src.notebook, kind, name)
                assert out is not None, (ex.id, name)
                shown = f"{name}.svg" if kind == "figure" else out.caption
                assert shown in html, (ex.id, kind, name)


def test_lang_attribute_on_every_page(real_site):
    for lang in LANGS:
        for page in _pages(real_site, lang):
            head = page.read_text(encoding="utf-8")[:400]
            assert f'<html lang="{lang}"' in head, page
    for index in (real_site.reports / "index.html", real_site.reports / "site" / "index.html"):
        text = index.read_text(encoding="utf-8")
        assert '<a class="kaztur-lang-choice" href="' in text and 'lang="en"' in text


def test_the_language_choice_is_styled_like_the_site(real_site):
    for index, prefix in ((real_site.reports / "index.html", "site/"),
                          (real_site.reports / "site" / "index.html", "")):
        text = index.read_text(encoding="utf-8")
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
        assert any("pydata-sphinx-theme.css" in s for s in sheets), sheets
        assert any("kaztur-site.css" in s for s in sheets), sheets
        for sheet in sheets:
            assert sheet.startswith(prefix + "kk/_static/")
            assert (index.parent / sheet.split("?")[0]).is_file(), sheet


def test_notebook_pages_offer_the_executed_notebook(real_site, run):
    for lang in LANGS:
        html = _html(real_site, lang, "notebooks/01_trade")
        link = re.search(r'<a class="reference download internal" download="" '
                         r'href="([^"]+\.ipynb)"', html)
        assert link, "no download of the executed notebook"
        target = (real_site.page(lang, "notebooks/01_trade").parent / link.group(1)).resolve()
        executed = real_site.reports / lang / "01_trade" / "01_trade.ipynb"
        assert target.read_bytes() == executed.read_bytes()
        # the theme's download button (".ipynb" of an empty _sources/, ".pdf" that printed)
        assert "btn-download" not in html and not re.search(r'href="[^"]*_sources/', html)
        student = _html(real_site, lang, SEMINAR + "-student")
        assert ".ipynb" not in " ".join(re.findall(r'download="" href="([^"]+)"', student))


def test_no_developer_notes_on_public_pages(real_site):
    for lang in LANGS:
        for page in _pages(real_site, lang):
            text = reader_text(page.read_text(encoding="utf-8"), lang)
            assert "site.yaml" not in text and "src/analysis" not in text, page


def test_dollars_in_prose_are_text_not_math(real_site):
    for lang, money in (("kk", "млн $"), ("en", "USD")):
        html = _html(real_site, lang, "notebooks/02_investment")
        first = re.search(r"<section[^>]*>.*?<p>(.*?)</p>", html, re.S).group(1)
        assert 'class="math' not in first and money in first, first[:300]


def test_front_page_states_the_published_results_and_the_ledger(real_site, run):
    """The front page leads with the one headline (counted from the run's ledger.json and
    findings.json by the package's own function), links each top finding, states every
    front result of the notebooks in the page's language and links its cell."""
    from analysis.checks import ledger as ledger_mod
    from analysis.findings import model
    from analysis.findings.headline import headline
    from analysis.present import findings_text

    neutral = ledger_mod.from_json_text(
        (real_site.reports / "en" / "ledger.json").read_text(encoding="utf-8"))
    found = model.from_json_text(
        (real_site.reports / "en" / "findings.json").read_text(encoding="utf-8"))
    h = headline(neutral, found)
    assert h.rows == len(neutral) and h.findings == len(found) > 0
    for lang in LANGS:
        # (Sphinx writes typographic apostrophes in English)
        text = re.sub(r"<[^>]+>", "", _html(real_site, lang, "index")).replace("’", "'")
        text = html_mod.unescape(re.sub(r"\s+", " ", text))
        assert t("site.run.complete", lang) in text  # every notebook's outputs are there
        said = findings_text.headline_text(h, lang, "paragraph").replace("**", "")
        assert said in text, said
        for f in found[:3]:
            assert findings_text.sentence(f.title, lang) in text, f.id
        site_run = inputs.discover(real_site.reports, lang)
        front = [r for nb in site_run.notebooks for r in nb.results if r.front]
        assert {r.key for r in front} >= {"survey.sample_size", "trade.growth.trade_total",
                                           "inv.growth.tr_to_kz"}
        for result in front:
            assert re.sub(r"\s+", " ", result.sentence(lang)) in text, result.key
    html = _html(real_site, "en", "index")
    assert html.count('href="findings.html#') >= 5
    assert re.search(r'href="notebooks/0[1-5]_\w+\.html#cell-[\w-]+"', html)


def test_published_tables_and_figures_have_distinct_labels_and_no_placeholders(real_run):
    """Every table, figure title and caption every notebook published, in both languages."""
    problems = []
    for lang in LANGS:
        for side in sorted((real_run.root / "reports" / lang).rglob("*.json")):
            meta = json.loads(side.read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("kind") not in ("table", "figure"):
                continue
            texts = [meta.get("caption", "")]
            columns = (meta.get("shown") or {}).get("columns", [])
            texts += columns
            dup = {c for c in columns if columns.count(c) > 1}
            problems += [(lang, side.name, "duplicate", c) for c in dup]
            problems += [(lang, side.name, "placeholder", t) for t in texts
                         if re.search(r"\{[A-Za-z_]\w*\}", t)]
            if meta.get("kind") == "table":
                problems += [] if "shown" in meta else [(lang, side.name, "no shown cells")]
    assert problems == []


#: Notebooks whose tables hold words of the reader's language in columns their specs do
#: not declare as ``text`` (none: every such column is declared).
WAITING_NEUTRAL: dict[str, str] = {}


@pytest.mark.parametrize("stem", [pytest.param(s, marks=pytest.mark.xfail(
    strict=True, reason=WAITING_NEUTRAL[s])) if s in WAITING_NEUTRAL else s for s in (
    "00_overview", "01_trade", "02_investment", "03_energy", "04_survey", "05_checks",
    "06_external", "seminar")])
def test_language_neutral_data_is_the_same_in_both_languages(real_run, stem):
    """Results and tables' .data.csv are language-neutral: both languages write the same."""
    reports = real_run.root / "reports"
    assert list((reports / "kk" / stem).rglob("*.data.csv")), stem
    differ = []
    for data in sorted((reports / "kk" / stem).rglob("*.data.csv")):
        other = reports / "en" / data.relative_to(reports / "kk")
        if not other.is_file() or other.read_bytes() != data.read_bytes():
            differ.append(data.relative_to(reports / "kk").as_posix())
    for res in sorted((reports / "kk" / stem).rglob("results.json")):
        other = reports / "en" / res.relative_to(reports / "kk")
        if other.read_bytes() != res.read_bytes():
            differ.append(res.relative_to(reports / "kk").as_posix())
    assert differ == []


#: Kazakh pages whose English or decimal points come from another part of the package,
#: with the part that removes them. Each such assertion is marked xfail(strict): it fails
#: (as XPASS) the day the other part lands, so that the mark is removed, never forgotten.
WAITING_ENGLISH: dict[str, str] = {}
WAITING_DECIMALS: dict[str, str] = {}
NOTEBOOKS = REPO / "notebooks"
KK_PAGES = ["index", "search", "genindex", "ledger", "findings", "replication", "exhibits/index",
            *[f"exhibits/{ex.id}" for ex in exhibit_map.load()],
            *[f"notebooks/{p.stem}" for p in sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))],
            *[f"notebooks/seminar/{p.stem}{v}" for p in sorted(NOTEBOOKS.glob("seminar/*.ipynb"))
              for v in ("", "-student")]]


def _kk_params(waiting: dict[str, str]) -> list[object]:
    return [pytest.param(d, marks=pytest.mark.xfail(strict=True, reason=waiting[f"{d}.html"]))
            if f"{d}.html" in waiting else d for d in KK_PAGES]


@pytest.mark.parametrize("doc", _kk_params(WAITING_ENGLISH))
def test_kazakh_pages_carry_no_english_sentence(real_site, doc):
    text = reader_text(_html(real_site, "kk", doc), "kk")
    assert english_sentences(text) == []


@pytest.mark.parametrize("doc", _kk_params(WAITING_DECIMALS))
def test_kazakh_pages_write_decimals_with_a_comma(real_site, doc):
    text = reader_text(_html(real_site, "kk", doc), "kk")
    assert decimal_points(text) == []


def test_the_language_guards_see_what_they_guard():
    """The two scanners find an English sentence and a decimal point, and leave code,
    formulas, quotations of the source and proper names alone."""
    page = ('<html lang="kk"><body><p>Бұл сөйлем. This is an English sentence.</p>'
            '<p>Мән 92.83 %</p><code>x = 0.95 and the rest</code>'
            '<td class="kaztur-printed">19.5%</td><p>«1998 жылы 5.5» TPAO BTC Comtrade'
            ' World Development Indicators</p><span class="math">1.5 of the x</span>'
            '<button title="Toggle the sidebar"></button>'
            '<p>https://www.ansa.it/sito/notizie/mondo/news reports/kk/ledger.csv CC-BY-4.0</p>'
            '<p>Дереккөз: https://x.kz/a/b and this one is a sentence</p></body></html>')
    text = reader_text(page, "kk")
    # an address, a file path and a licence identifier are not English; the words after
    # an address still are
    assert english_sentences(text) == ["This is an English sentence", "Toggle the sidebar",
                                       "and this one is a sentence"]
    assert decimal_points(text) == ["92.83"]


def test_seminar_teacher_and_student_pages(real_site):
    for lang in LANGS:
        teacher = _html(real_site, lang, SEMINAR)
        student = _html(real_site, lang, SEMINAR + "-student")
        assert "growth_table" in teacher and "growth_table" not in student
        assert re.search(r'<details class="(kaztur-solution|[^"]*hide[^"]*)"', teacher)
        assert "немесе / or" not in student and "немесе / or" not in teacher
        assert 'href="seminar_01_growth-student.html"' in teacher


def test_rebuild_is_skipped_when_nothing_changed(real_site):
    proc = build_site(real_site.reports)
    assert proc.returncode == 0 and "nothing (up to date)" in proc.stdout, proc.stdout
