"""The claims ledger: every number the dissertation prints, recomputed and judged.

:func:`build` loads the transcribed data (``analysis.datasets``), turns every printed number
of the tables (Кесте 1–8) and of the running text (``text_claims``) into a
:class:`analysis.checks.Figure`, runs the checks of :mod:`analysis.checks` and returns one
row per claim and check. A number that nothing in the source can test still gets a row
(status ``untestable``) saying why, so that the ledger covers every printed number.

Which numbers measure the same quantity is declared here, in data, not guessed: the table
cells are given the ``quantity_key`` that ``text_claims.csv`` uses for the same quantity
(:data:`TABLE_KEYS`), and the relations between quantities (totals of parts, growth of a
level, cumulative sums, shares of a total) are listed in :data:`IDENTITIES`,
:data:`SHARES_OF_TOTAL` and :data:`CUMULATIVE_OF`.

``kaztur check`` (:func:`main`) prints a summary (contradictions first, each with its lines
and one-line arithmetic) and writes ``ledger.csv`` and ``ledger.html`` to the reports
folder (``--out``, else ``$KAZTUR_REPORTS_DIR``, else ``reports/``). Contradictions are
findings of the source, not failures: the exit status is 0 unless ``--strict`` is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from analysis import datasets
from analysis.checks import core as checks
from analysis.checks.core import (
    CONTRADICTED,
    REPRODUCED,
    STATUSES,
    UNTESTABLE,
    WITHIN,
    Figure,
    Row,
    Share,
)
from analysis.data.parse import NumberFormatError, parse_number

# ---------------------------------------------------------------------------------------
# Declarations: which table cell measures which quantity
# ---------------------------------------------------------------------------------------

#: (exhibit short name, row_key or column_key) → the quantity_key text_claims uses for it.
TABLE_KEYS: dict[tuple[str, str], str] = {
    ("K7", "exports"): "kz_exports_to_tr",
    ("K7", "imports"): "kz_imports_from_tr",
    ("K7", "trade_total"): "kz_tr_trade_total",
    ("K7", "growth_pct"): "kz_tr_trade_growth_pct",
    ("K6", "trade_total"): "kz_tr_trade_total",
    ("K6", "exports_to_tr"): "kz_exports_to_tr",
    ("K6", "imports_from_tr"): "kz_imports_from_tr",
    ("K6", "tr_fdi"): "tr_fdi_in_kz",
    ("K6", "turkish_companies"): "turkish_companies_in_kz",
    ("K6", "joint_projects"): "kz_tr_joint_projects_ots",
    ("K8", "tr_to_kz"): "tr_fdi_in_kz",
    ("K8", "kz_to_tr"): "kz_investment_in_tr",
    ("K8", "projects"): "kz_tr_investment_projects",
    ("K4", "oil"): "kz_oil_reserves",
    ("K4", "gas"): "kz_gas_reserves",
    ("K4", "russia"): "kz_oil_export_share_russia",
    ("K4", "china"): "kz_oil_export_share_china",
    ("K4", "europe"): "kz_oil_export_share_europe",
    ("K2", "indicator_1998"): "kz_oil_via_caspian_georgia",
    ("K2", "pipeline_infrastructure_projects"): "oil_terminal_capacity_sogandy",
    ("K2", "situation_2020"): "kz_oil_exports_aktau_kuryk",
    ("K1", "length"): "middle_corridor_length",
}

#: total key → the part keys that add up to it (within one source and year).
IDENTITIES: dict[str, tuple[str, ...]] = {
    "kz_tr_trade_total": ("kz_exports_to_tr", "kz_imports_from_tr"),
}

#: share key (percent) → (part keys, total key): share = 100 · Σ parts / total.
SHARES_OF_TOTAL: dict[str, tuple[tuple[str, ...], str]] = {
    "kz_exports_share_of_kz_tr_trade": (("kz_exports_to_tr",), "kz_tr_trade_total"),
    "turkish_companies_in_kz_construction_trade_share": (
        ("turkish_companies_in_kz_construction", "turkish_companies_in_kz_trade"),
        "turkish_companies_in_kz"),
}

#: cumulative key → the yearly key whose table figures it sums.
CUMULATIVE_OF: dict[str, str] = {
    "tr_fdi_in_kz_cumulative": "tr_fdi_in_kz",
    "kz_investment_in_tr_cumulative": "kz_investment_in_tr",
}

#: Stocks the text states "now" without a year: compared with every year of the table
#: (consistent if some year's figure fits), so no year has to be assumed.
UNDATED_STOCKS: frozenset[str] = frozenset({"turkish_companies_in_kz"})

#: Reasons for untestable claims that are close to, but not the same as, a table figure.
NOT_THE_SAME: dict[str, str] = {
    "kz_tr_joint_projects": (
        "no other figure for this quantity: Кесте 6 counts joint projects within the OTS "
        "(30/45/60 in 2020–2022) and Кесте 8 investment projects per year (20–40), both "
        "defined differently and dated, while the text gives no year"),
    "kz_tr_joint_projects_ots": (
        "no other figure for this quantity: the text's 'nearly 100 joint Kazakh–Turkish "
        "investment projects' (line 1107) is undated and not restricted to the OTS"),
    "kz_tr_investment_projects": (
        "no other figure for this quantity: Кесте 6 'joint projects' (within the OTS) are "
        "defined differently"),
}

GROWTH_SUFFIX = "_growth_pct"
_DECLINE_WORDS = ("decline", "decrease", "fall", "fell", "drop")

SHORT = {f"Кесте {n}": f"K{n}" for n in range(1, 9)}
CELL_RESOURCES = ("k1_transcaspian_route", "k2_oil_export_diversification", "k3_consortium_1994",
                  "k4_energy_reserves_routes", "k5_cooperation_directions",
                  "k6_indicators_2020_2022", "k7_trade_2018_2023", "k8_investment_2018_2023")


# ---------------------------------------------------------------------------------------
# Figures from the data
# ---------------------------------------------------------------------------------------


def _is_year(text: str) -> bool:
    return text.isdigit() and len(text) == 4


def cell_ref(short: str, cell: dict[str, object]) -> str:
    """Stable id of a table cell: ``K7.2019.exports``, ``K6.2020.trade_total``,
    ``K3.bp.share``; ``.2`` etc. for a second number in one cell."""
    row_key, col_key = str(cell["row_key"]), str(cell["column_key"])
    year = cell.get("year")
    if _is_year(row_key):
        ref = f"{short}.{row_key}.{col_key}"
    elif year is not None and not pd.isna(year) and col_key.startswith("y"):
        ref = f"{short}.{int(year)}.{row_key}"  # type: ignore[call-overload]
    else:
        ref = f"{short}.{row_key}.{col_key}"
    token = int(cell.get("token") or 1)  # type: ignore[call-overload]
    return ref if token == 1 else f"{ref}.{token}"


def table_figures(cells: pd.DataFrame) -> list[Figure]:
    """Every numeric cell of one cell table as a :class:`Figure` (``–`` cells skipped)."""
    out = []
    for cell in cells.to_dict("records"):
        if not str(cell["number_printed"] or "").strip() or pd.isna(cell["value"]):
            continue
        short = SHORT[str(cell["exhibit"])]
        row_key, col_key = str(cell["row_key"]), str(cell["column_key"])
        key = TABLE_KEYS.get((short, col_key)) or TABLE_KEYS.get((short, row_key))
        if key is None and short == "K3":
            key = f"consortium_stake_{row_key}_aioc_1994"
        if key is None:
            key = f"{short}.{row_key}.{col_key}"
        label = str(cell.get("row_label_en") or row_key)
        if _is_year(row_key) or short in ("K3",):
            label = str(cell.get("column_label_en") or col_key)
            if short == "K3":
                label = f"{cell.get('row_label_en')} share"
        out.append(checks.figure_from_record(
            cell, ref=cell_ref(short, cell), source=short, exhibit=str(cell["exhibit"]),
            key=key, label=label))
    return out


def text_figures(claims: pd.DataFrame) -> list[Figure]:
    """Every ``text_claims`` row as a :class:`Figure` (``ref`` = claim id)."""
    out = []
    for rec in claims.to_dict("records"):
        out.append(checks.figure_from_record(
            rec, ref=str(rec["claim_id"]), source="text", exhibit="text",
            key=str(rec["quantity_key"]), label=str(rec.get("label_en") or "")))
    return out


def is_decline(claims: pd.DataFrame, claim_id: str) -> bool:
    """Does the text say the growth figure is a fall (sign not printed)?"""
    rec = claims[claims["claim_id"] == claim_id]
    if rec.empty:
        return False
    text = f"{rec.iloc[0].get('label_en', '')} {rec.iloc[0].get('note_en', '')}".lower()
    return any(w in text for w in _DECLINE_WORDS)


# ---------------------------------------------------------------------------------------
# Assembling the ledger
# ---------------------------------------------------------------------------------------


@dataclass
class Builder:
    """Collects rows and remembers which figures some check has looked at."""

    rows: list[Row] = field(default_factory=list)
    tested: set[str] = field(default_factory=set)

    def add(self, row: Row | None, *figures: Figure) -> None:
        if row is None:
            return
        self.rows.append(row)
        if row.status != UNTESTABLE:
            self.tested.update(f.ref for f in figures)

    def extend(self, rows: Iterable[Row]) -> None:
        self.rows.extend(rows)


def _by(figs: Iterable[Figure], *, source: str | None = None) -> dict[tuple[str, int | None],
                                                                       list[Figure]]:
    out: dict[tuple[str, int | None], list[Figure]] = defaultdict(list)
    for f in figs:
        if source is None or f.source == source:
            out[(f.key, f.year)].append(f)
    return out


def _table_identities(b: Builder, tables: list[Figure]) -> None:
    """total = Σ parts within each exhibit and year; when another exhibit prints the same
    identity for that year with a different total, the row says so."""
    found: dict[tuple[str, str, int | None], tuple[Figure, list[Figure]]] = {}
    for source in sorted({f.source for f in tables}):
        idx = _by(tables, source=source)
        for total_key, part_keys in IDENTITIES.items():
            for (key, year), totals in sorted(idx.items(), key=lambda kv: str(kv[0])):
                if key != total_key:
                    continue
                parts = [idx.get((pk, year), []) for pk in part_keys]
                if all(parts):
                    found[(source, key, year)] = (totals[0], [p[0] for p in parts])
    for (source, key, year), (total, parts) in sorted(found.items(), key=str):
        row = checks.check_identity(total, parts, f"{total.ref}.identity")
        others = [(s, v) for (s, k, y), v in sorted(found.items(), key=str)
                  if k == key and y == year and s != source and v[0].point() != total.point()]
        for _s, (o_total, o_parts) in others:
            lines = sorted({*o_total.lines, *[ln for p in o_parts for ln in p.lines]})
            row = replace(row, diagnosis=(
                f"{row.diagnosis}; but {o_total.exhibit} (lines {', '.join(map(str, lines))}) "
                f"gives {' + '.join(p.printed for p in o_parts)} = {o_total.printed} for "
                f"{year}"))
        b.add(row, total, *parts)


def _table_growth(b: Builder, tables: list[Figure]) -> None:
    for source in sorted({f.source for f in tables}):
        idx = _by(tables, source=source)
        for (key, year), figs in sorted(idx.items(), key=lambda kv: str(kv[0])):
            if not key.endswith(GROWTH_SUFFIX) or year is None:
                continue
            level_key = TABLE_GROWTH_LEVEL.get(key, key[: -len(GROWTH_SUFFIX)])
            prev = idx.get((level_key, year - 1))
            cur = idx.get((level_key, year))
            growth = figs[0]
            if prev and cur:
                b.add(checks.check_growth(growth, prev[0], cur[0], f"{growth.ref}.growth"),
                      growth, prev[0], cur[0])


#: growth key → level key, where the level key is not the growth key minus "_growth_pct".
TABLE_GROWTH_LEVEL: dict[str, str] = {"kz_tr_trade_growth_pct": "kz_tr_trade_total"}


def _direction_note(claim: Figure, ref: Figure, tables: list[Figure]) -> str:
    """For exports/imports compared across tables: say when the direction of the balance
    differs (exports > imports in one table, < in the other)."""
    if claim.key not in ("kz_exports_to_tr", "kz_imports_from_tr"):
        return ""
    idx = _by(tables)

    def pair(source: str) -> tuple[Figure, Figure] | None:
        ex = [f for f in idx.get(("kz_exports_to_tr", claim.year), []) if f.source == source]
        im = [f for f in idx.get(("kz_imports_from_tr", claim.year), []) if f.source == source]
        return (ex[0], im[0]) if ex and im else None

    a, r = pair(claim.source), pair(ref.source)
    if a is None or r is None:
        return ""
    sa = (a[0].point() > a[1].point()) - (a[0].point() < a[1].point())
    sr = (r[0].point() > r[1].point()) - (r[0].point() < r[1].point())
    if sa == sr:
        return ""
    word = {1: ">", -1: "<", 0: "="}
    return (f"the balance is reversed: {claim.exhibit} has exports {a[0].printed} "
            f"{word[sa]} imports {a[1].printed} for {claim.year}, {ref.exhibit} exports "
            f"{r[0].printed} {word[sr]} imports {r[1].printed}")


def _table_cross(b: Builder, tables: list[Figure]) -> None:
    """Table vs table: the same quantity and year in two exhibits; the lower-numbered
    exhibit owns the row (``K6.2020.exports_to_tr.cross.k7``)."""
    idx = _by(tables)
    for (key, _year), figs in sorted(idx.items(), key=lambda kv: str(kv[0])):
        if key.endswith(GROWTH_SUFFIX):
            continue
        sources = sorted({f.source for f in figs})
        for i, sa in enumerate(sources):
            for sb in sources[i + 1:]:
                a = next(f for f in figs if f.source == sa)
                r = next(f for f in figs if f.source == sb)
                note = _direction_note(a, r, tables)
                b.add(checks.check_same_quantity(a, r, f"{a.ref}.cross.{sb.lower()}", note),
                      a, r)


def _year_match(text: Figure, table: Figure) -> bool:
    return table.year is None or text.year == table.year


def _text_vs_tables(b: Builder, texts: list[Figure], tables: list[Figure]) -> None:
    by_key: dict[str, list[Figure]] = defaultdict(list)
    for f in tables:
        by_key[f.key].append(f)
    for t in texts:
        if t.key.endswith(GROWTH_SUFFIX) or t.key not in by_key:
            continue
        cands = [f for f in by_key[t.key] if f.base == t.base]
        for source in sorted({f.source for f in cands}):
            src = sorted((f for f in cands if f.source == source),
                         key=lambda f: (f.year or 0, f.ref))
            cid = f"{t.ref}.cross.{source.lower()}"
            if t.year is None and t.key in UNDATED_STOCKS and all(f.year for f in src):
                b.add(_undated_row(t, src, cid), t, *src)
                continue
            for f in src:
                if _year_match(t, f) and (t.year is not None or f.year is None):
                    b.add(checks.check_same_quantity(t, f, cid), t, f)


def _undated_row(t: Figure, yearly: list[Figure], cid: str) -> Row:
    """An undated stock vs every year of a table: consistent if one year fits."""
    verdicts = [(checks.compare(t, f), f) for f in yearly]
    rank = {REPRODUCED: 0, WITHIN: 1, CONTRADICTED: 2, UNTESTABLE: 3}
    best, ref = min(verdicts, key=lambda vf: (rank[vf[0].status],
                                             abs(t.point(vf[1].unit) - vf[1].point())))
    years = ", ".join(f"{f.year}: {f.printed}" for f in yearly)
    row = checks.check_same_quantity(t, ref, cid)
    if best.status == CONTRADICTED:
        a = t.point(ref.unit)
        diag = (f"{t.where()} gives {t.stated()} without a year; no year of {ref.exhibit} "
                f"({years}) comes within rounding/qualifier; the closest, {ref.printed} for "
                f"{ref.year} (line {ref.line}), differs by {checks.fmt(a - ref.point())} "
                f"(ratio {checks.fmt(a / ref.point(), 3)})")
        hint = checks.slip_hint(a / ref.point())
        if hint:
            diag += f"; {hint}"
    else:
        diag = (f"{t.where()} gives {t.stated()} without a year; {ref.exhibit} {ref.year} "
                f"({ref.printed}, line {ref.line}) fits ({years})")
    return Row(cid, row.check_id, row.exhibit, (*t.lines, *[f.line for f in yearly]),
               row.value_printed, f"{ref.exhibit} {years}", row.recomputed, row.tolerance,
               best.status, diag)


def _levels(figs: list[Figure], key: str, year: int) -> Figure | None:
    cands = [f for f in figs if f.key == key and f.year == year and f.qualifier in
             ("exact", "approx", "more_than", "less_than", "up_to")]
    return sorted(cands, key=lambda f: f.ref)[0] if cands else None


def _text_growth(b: Builder, texts: list[Figure], tables: list[Figure],
                 claims: pd.DataFrame) -> None:
    """A growth rate stated in the text, recomputed from the levels of each table and of
    the text itself (year and year − 1). A fall stated in words gets a negative sign."""
    for t in texts:
        if not t.key.endswith(GROWTH_SUFFIX) or t.year is None:
            continue
        level_key = TABLE_GROWTH_LEVEL.get(t.key, t.key[: -len(GROWTH_SUFFIX)])
        growth = t
        if is_decline(claims, t.ref) and t.point() > 0:
            growth = replace(t, value=-t.value, printed=f"-{t.printed.strip()}")
        sources = sorted({f.source for f in tables}) + ["text"]
        for source in sources:
            pool = tables if source != "text" else texts
            pool = [f for f in pool if f.source == source]
            prev = _levels(pool, level_key, t.year - 1)
            cur = _levels(pool, level_key, t.year)
            if prev is None or cur is None or prev.base != cur.base:
                continue
            row = checks.check_growth(growth, prev, cur, f"{t.ref}.growth.{source.lower()}")
            if growth is not t:
                row = Row(row.claim_id, row.check_id, row.exhibit, row.source_lines,
                          t.printed, row.inputs, row.recomputed, row.tolerance, row.status,
                          row.diagnosis + f"; the text states a fall, read as {growth.printed}")
            if source != "text":
                row = Row(row.claim_id, row.check_id, f"text; {prev.exhibit}",
                          row.source_lines, row.value_printed, row.inputs, row.recomputed,
                          row.tolerance, row.status, row.diagnosis)
            b.add(row, t, prev, cur)


def _text_identities(b: Builder, texts: list[Figure]) -> None:
    for t in texts:
        parts_keys = IDENTITIES.get(t.key)
        if not parts_keys or t.year is None:
            continue
        chosen = []
        for pk in parts_keys:
            cands = [f for f in texts if f.key == pk and f.year == t.year
                     and f.qualifier == "exact"]
            if not cands:
                break
            chosen.append(min(cands, key=lambda f: (abs(f.line - t.line), f.ref)))
        if len(chosen) == len(parts_keys):
            b.add(checks.check_identity(t, chosen, f"{t.ref}.identity"), t, *chosen)


def _text_shares(b: Builder, texts: list[Figure]) -> None:
    for t in texts:
        rel = SHARES_OF_TOTAL.get(t.key)
        if rel is None:
            continue
        part_keys, total_key = rel

        def near(key: str, t: Figure = t) -> Figure | None:
            cands = [f for f in texts if f.key == key and (f.year == t.year)]
            return min(cands, key=lambda f: (abs(f.line - t.line), f.ref)) if cands else None

        parts = [near(k) for k in part_keys]
        total = near(total_key)
        if total is None or any(p is None for p in parts):
            continue
        b.add(checks.check_share_of_total(t, [p for p in parts if p], total, f"{t.ref}.share"),
              t, total, *[p for p in parts if p])


def _text_cumulative(b: Builder, texts: list[Figure], tables: list[Figure]) -> None:
    for t in texts:
        yearly_key = CUMULATIVE_OF.get(t.key)
        if yearly_key is None:
            continue
        for source in sorted({f.source for f in tables if f.key == yearly_key}):
            yearly = sorted((f for f in tables if f.key == yearly_key and f.source == source),
                            key=lambda f: f.year or 0)
            row = checks.check_cumulative(t, yearly, f"{t.ref}.cumulative.{source.lower()}")
            b.add(row, t, *yearly)


def _text_restated(b: Builder, texts: list[Figure]) -> None:
    """The same quantity_key and year stated twice; the two ends of one printed range
    ("200–300 million") are not a restatement."""
    groups: dict[tuple[str, int | None], list[Figure]] = defaultdict(list)
    for t in texts:
        groups[(t.key, t.year)].append(t)
    for (_key, _year), figs in sorted(groups.items(), key=lambda kv: str(kv[0])):
        figs = sorted(figs, key=lambda f: f.ref)
        for j, later in enumerate(figs):
            for earlier in figs[:j]:
                ends = {later.qualifier, earlier.qualifier}
                if ends & {"range_low", "range_high"} and later.line == earlier.line:
                    continue
                if later.period != earlier.period and later.key not in CUMULATIVE_OF \
                        and later.key not in UNDATED_STOCKS:
                    continue
                if later.base != earlier.base:
                    continue
                b.add(checks.check_restated(later, earlier,
                                            f"{later.ref}.restated.{earlier.ref}"),
                      later, earlier)


def _share_sums(b: Builder, tables: list[Figure], cells: dict[str, pd.DataFrame]) -> None:
    k3 = [f for f in tables if f.source == "K3" and f.ref.endswith(".share")]
    if k3:
        shares = [Share(f.label, f.line, f) for f in k3]
        b.add(checks.check_share_sum(shares, "K3.1994.share.sum100", "Кесте 3"), *k3)
    k4 = cells.get("k4_energy_reserves_routes")
    if k4 is not None:
        part = k4[(k4["part"] == 2) & (k4["column_key"] == "share")].sort_values("row")
        shares = []
        figs = []
        by_ref = {f.ref: f for f in tables}
        for cell in part.to_dict("records"):
            ref = cell_ref("K4", cell)
            fig = by_ref.get(ref)
            label = str(cell["row_label_en"])
            if fig is None:
                shares.append(Share(label, int(cell["source_line"]), None,
                                    words=str(cell["printed"])))
            else:
                shares.append(Share(label, fig.line, fig))
                figs.append(fig)
        if shares:
            b.add(checks.check_share_sum(shares, "K4.routes.share.sum100", "Кесте 4"), *figs)


def _impossible(b: Builder, texts: list[Figure]) -> None:
    for t in texts:
        b.add(checks.check_impossible(t, f"{t.ref}.impossible"), t)


def _leading_digit_missing(printed: str) -> bool:
    try:
        return parse_number(printed).leading_digit_missing
    except NumberFormatError:
        return False


def _untestable(b: Builder, figs: list[Figure]) -> None:
    for f in figs:
        if f.ref in b.tested:
            continue
        reason = NOT_THE_SAME.get(f.key, "")
        if not reason and _leading_digit_missing(f.printed):
            reason = (f"printed {f.printed!r} without a leading digit (a digit has dropped "
                      "out of the source); read literally as a fraction, nothing to test it "
                      "against")
        if not reason and f.source == "text" and f.period and f.year is None:
            reason = (f"no other figure for this quantity and period ({f.period}) in the "
                      f"source")
        b.add(checks.untestable(f, f"{f.ref}.none", reason), f)


def build() -> pd.DataFrame:
    """The whole ledger from the shipped data, sorted by claim id and check id.

    Raises :class:`analysis.errors.DataError` for bad input data (from ``datasets.load``).
    """
    cells = {name: datasets.load(name) for name in CELL_RESOURCES}
    tables = [f for name in CELL_RESOURCES for f in table_figures(cells[name])]
    claims = datasets.load("text_claims")
    texts = text_figures(claims)
    results = datasets.load("survey_results")
    questionnaire = datasets.load("survey_questionnaire")
    events = datasets.load("ots_events")
    return assemble(tables, texts, claims, cells, results, questionnaire, events)


def assemble(tables: list[Figure], texts: list[Figure], claims: pd.DataFrame,
             cells: dict[str, pd.DataFrame], results: pd.DataFrame | None,
             questionnaire: pd.DataFrame | None, events: pd.DataFrame | None) -> pd.DataFrame:
    """Run every check on already-built figures and frames (tests pass crafted ones)."""
    b = Builder()
    _table_identities(b, tables)
    _table_growth(b, tables)
    _table_cross(b, tables)
    _share_sums(b, tables, cells)
    _text_vs_tables(b, texts, tables)
    _text_growth(b, texts, tables, claims)
    _text_identities(b, texts)
    _text_shares(b, texts)
    _text_cumulative(b, texts, tables)
    _text_restated(b, texts)
    _impossible(b, texts)
    _untestable(b, [*tables, *texts])
    if results is not None:
        b.extend(checks.survey_sum_rows(results))
        b.extend(checks.survey_granularity_rows(results))
        b.extend(checks.survey_repeat_rows(results))
        if questionnaire is not None:
            b.extend(checks.survey_option_rows(questionnaire, results))
    if events is not None:
        b.extend(checks.event_rows(events))
    return to_frame(b.rows)


def to_frame(rows: Iterable[Row]) -> pd.DataFrame:
    """Rows as a DataFrame with :data:`analysis.checks.LEDGER_COLUMNS`, sorted by
    ``claim_id`` then ``check_id``; duplicate ids are an error (ids must be stable keys)."""
    frame = pd.DataFrame([r.as_dict() for r in rows], columns=list(checks.LEDGER_COLUMNS))
    frame = frame.sort_values(["claim_id", "check_id"], kind="mergesort").reset_index(drop=True)
    dup = frame[frame.duplicated(["claim_id", "check_id"], keep=False)]
    if not dup.empty:
        raise ValueError(f"duplicate ledger ids: {sorted(set(dup['claim_id']))}")
    return frame


# ---------------------------------------------------------------------------------------
# Output: summary, CSV, HTML
# ---------------------------------------------------------------------------------------


def counts(ledger: pd.DataFrame) -> dict[str, int]:
    """Rows per status, in the order of :data:`analysis.checks.STATUSES`."""
    return {s: int((ledger["status"] == s).sum()) for s in STATUSES}


def summary_order(ledger: pd.DataFrame) -> pd.DataFrame:
    """Contradictions first, then within rounding, reproduced, untestable; by claim id."""
    rank = {CONTRADICTED: 0, WITHIN: 1, REPRODUCED: 2, UNTESTABLE: 3}
    out = ledger.assign(_r=ledger["status"].map(rank))
    return out.sort_values(["_r", "claim_id", "check_id"], kind="mergesort").drop(
        columns="_r").reset_index(drop=True)


def summary_text(ledger: pd.DataFrame) -> str:
    c = counts(ledger)
    lines = [f"kaztur check: {len(ledger)} ledger rows – "
             + ", ".join(f"{n} {s}" for s, n in c.items())]
    contra = summary_order(ledger)
    contra = contra[contra["status"] == CONTRADICTED]
    if not contra.empty:
        lines.append(f"{len(contra)} contradiction(s) in the source:")
        for _, r in contra.iterrows():
            lines.append(f"  ✗ {r['claim_id']} [{r['check_id']}] lines {r['source_lines']}: "
                         f"{r['diagnosis']}")
    return "\n".join(lines)
