"""The guard rails of ``docs/ADDING_A_TABLE.md``: each step of adding a printed table that
can be forgotten fails here (or in the test or ``make lint`` step the recipe names) when it
is forgotten. These read the shipped files only (milliseconds); the recipe's walk is in its
section "A real walk"."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from analysis.analyses.overview import INVENTORY
from analysis.checks import declarations
from analysis.data import manifest
from analysis.data.schemas import CELL_FIELDS, RESOURCES, ROWS
from analysis.run import exhibit_map

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
CELL_TABLES = sorted(name for name, res in RESOURCES.items() if res.fields == CELL_FIELDS)
#: The transcribed exhibits: printed tables (Кесте) and appendices (Қосымша), not the
#: resources gathered from the running text
EXHIBITS = sorted(name for name, res in RESOURCES.items()
                  if res.exhibit.startswith(("Кесте ", "Қосымша ")))


def _rows(name: str) -> list[dict[str, str]]:
    with open(RAW / RESOURCES[name].path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _lines(pair: tuple[int, int]) -> str:
    return f"{pair[0]}–{pair[1]}"


def test_every_raw_file_is_a_declared_resource():
    """Step 2: a CSV file in data/raw/ without its entry in ``schemas.RESOURCES`` is read by
    no command (``kaztur verify`` only warns); here it fails."""
    declared = {res.path for res in RESOURCES.values()}
    assert sorted(p.name for p in RAW.glob("*.csv") if p.name not in declared) == []


def test_every_exhibit_declares_its_row_count():
    """Step 2: without its count in ``schemas.ROWS`` a printed table cut short at a row
    boundary passes ``kaztur verify``."""
    assert len(EXHIBITS) >= 10
    assert sorted(set(EXHIBITS) - set(ROWS)) == []
    for name in EXHIBITS:
        assert len(_rows(name)) == ROWS[name], name


@pytest.mark.parametrize("name", CELL_TABLES)
def test_a_tables_line_range_ends_at_its_last_cell(name):
    """Step 2: a printed table's range runs from its caption to the last line holding one
    of its cells, never into the running text after it (Кесте 1 was declared to line 560;
    it breaks off at line 539)."""
    lines = [int(r["source_line"]) for r in _rows(name)]
    start, end = RESOURCES[name].source_lines
    assert max(lines) == end, f"{name}: declared to end at line {end}, last cell on {max(lines)}"
    assert start < min(lines), f"{name}: the caption (line {start}) comes before every cell"


def test_the_exhibit_map_and_the_overview_give_the_schemas_lines():
    """Steps 2 and 15: each exhibit's line range is declared once in the schemas; the
    exhibit map (README, site) and the overview's inventory (00_overview) must give the
    same range, and the inventory the map's notebooks; every transcribed exhibit is on
    the map."""
    by_label = {RESOURCES[name].exhibit: RESOURCES[name].source_lines for name in EXHIBITS}
    mapped = {ex.label_kk: ex for ex in exhibit_map.load()}
    assert sorted(set(by_label) - set(mapped)) == [], "exhibits missing from the map"
    for label, lines in by_label.items():
        assert mapped[label].lines == _lines(lines), label
    by_id = {ex.id: ex for ex in exhibit_map.load()}
    inventory = {key: (lines, notebooks) for key, lines, _kind, notebooks in INVENTORY}
    assert sorted(ex.id for ex in mapped.values()
                  if ex.label_kk in by_label and ex.id not in inventory) == []
    for key, (lines, notebooks) in inventory.items():
        if key in by_id:
            ex = by_id[key]
            assert lines == ex.lines, key
            assert notebooks == ", ".join(dict.fromkeys(s.notebook for s in ex.sources)), key


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_every_kazakh_text_has_its_english(name):
    """Step 1: a Kazakh text (``*_kk``, or a printed cell in Cyrillic) has its English in the
    column beside it; an empty one would put Kazakh on the English pages."""
    rows = _rows(name)
    pairs = [(c, c[:-3] + "_en") for c in rows[0]
             if c.endswith("_kk") and c[:-3] + "_en" in rows[0]]
    if "printed" in rows[0] and "printed_en" in rows[0]:
        pairs.append(("printed", "printed_en"))
    missing = [(i + 2, kk) for i, row in enumerate(rows) for kk, en in pairs
               if CYRILLIC.search(row[kk]) and not row[en].strip()]
    assert missing == [], f"{RESOURCES[name].path}: (line, column) without English: {missing}"


def test_a_manifest_not_regenerated_after_a_range_change_is_found(tmp_path):
    """Step 3: ``kaztur manifest`` records each file's title and line range; a descriptor
    left behind after either changed in the schemas is an error of ``kaztur verify``."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for res in RESOURCES.values():
        (raw / res.path).write_bytes((RAW / res.path).read_bytes())
    (raw / "datapackage.json").write_bytes((RAW / "datapackage.json").read_bytes())
    assert manifest.check(raw) == []
    text = (raw / "datapackage.json").read_text(encoding="utf-8")
    first = _lines(RESOURCES["k7_trade_2018_2023"].source_lines)
    assert text.count(f'"lines": "{first}"') == 1
    (raw / "datapackage.json").write_text(text.replace(f'"lines": "{first}"',
                                                       '"lines": "995–1060"'), encoding="utf-8")
    found = [str(p) for p in manifest.check(raw)]
    assert any("k7_trade_2018_2023" in p and "kaztur manifest" in p for p in found), found


def test_the_readmes_table_of_raw_files_gives_their_rows_and_lines():
    """Step 4 (the README's table of ``data/raw/``): every transcribed exhibit is listed,
    and each listed file with its number of rows and the line range of its schema."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    listed = {m[0]: (int(m[1]), m[2]) for m in
              re.findall(r"^\| `([a-z0-9_]+\.csv)` \| .*? \| (\d+) \| (\d+–\d+)", text, re.M)}
    by_path = {res.path: name for name, res in RESOURCES.items()}
    assert sorted(RESOURCES[n].path for n in EXHIBITS if RESOURCES[n].path not in listed) == []
    for path, (rows, lines) in listed.items():
        name = by_path[path]
        assert (rows, lines) == (len(_rows(name)), _lines(RESOURCES[name].source_lines)), path


@pytest.mark.parametrize("name", CELL_TABLES)
def test_every_number_of_a_table_says_what_it_measures(name):
    """Step 8: each number of a printed table is declared: its quantity in
    ``declarations.TABLE_KEYS`` (by its row or column key), which the ledger needs to set it
    against the text, other tables and the official record, or, for a share of a whole, a
    share list of ``TABLE_SHARE_LISTS`` for its table. A number declared neither way gets
    only an "untestable" row, silently."""
    from analysis.data import datasets

    short = declarations.SHORT[RESOURCES[name].exhibit]
    cells = datasets.load(name)
    numbers = cells[cells["number_printed"].fillna("") != ""]
    lists = any(key.startswith(f"{short}.") for key in declarations.TABLE_SHARE_LISTS)
    undeclared = sorted({(str(r.row_key), str(r.column_key)) for r in numbers.itertuples()
                         if (short, r.row_key) not in declarations.TABLE_KEYS
                         and (short, r.column_key) not in declarations.TABLE_KEYS
                         and not (lists and r.column_key == "share")})
    assert undeclared == [], f"{short}: numbers no declaration covers (row, column)"
