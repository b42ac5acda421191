"""Table cells as figures, and the checks among the tables (Кесте 1–8).

Identities within each exhibit and year (turnover = exports + imports), growth rates
recomputed from the levels, the same quantity and year in two exhibits, and the shares of
Кесте 3 and Кесте 4 that divide one whole. Every comparison is found through the index of
:mod:`analysis.checks.context` (by quantity key, year and source).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.checks import arith, compare
from analysis.checks.arith import Share
from analysis.checks.compare import Note
from analysis.checks.context import Builder, Context, Producer
from analysis.checks.core import Row
from analysis.checks.declarations import (
    GROWTH_SUFFIX,
    IDENTITIES,
    SHORT,
    TABLE_GROWTH_LEVEL,
    TABLE_KEYS,
    TABLE_SHARE_LISTS,
    ShareList,
)
from analysis.checks.figures import Figure, figure_from_record
from analysis.checks.phrases import items, printed, say


def _is_year(text: str) -> bool:
    return text.isdigit() and len(text) == 4


def cell_ref(short: str, cell: Mapping[Any, Any]) -> str:
    """Stable id of a table cell: ``K7.2019.exports``, ``K6.2020.trade_total``,
    ``K3.bp.share``; ``.2`` etc. for a second number in one cell."""
    row_key, col_key = str(cell["row_key"]), str(cell["column_key"])
    year = cell.get("year")
    if _is_year(row_key):
        ref = f"{short}.{row_key}.{col_key}"
    elif year is not None and not pd.isna(year) and col_key.startswith("y"):
        ref = f"{short}.{int(year)}.{row_key}"
    else:
        ref = f"{short}.{row_key}.{col_key}"
    token = int(cell.get("token") or 1)
    return ref if token == 1 else f"{ref}.{token}"


def _cell_key(short: str, row_key: str, col_key: str) -> str:
    """The quantity a cell measures: the key ``text_claims`` uses for it when declared
    (:data:`TABLE_KEYS`), a consortium stake for Кесте 3, else the cell's own coordinates."""
    key = TABLE_KEYS.get((short, col_key)) or TABLE_KEYS.get((short, row_key))
    if key is None and short == "K3":
        key = f"consortium_stake_{row_key}_aioc_1994"
    return key or f"{short}.{row_key}.{col_key}"


def _cell_labels(short: str, cell: Mapping[Any, Any]) -> tuple[str, str]:
    """(English, Kazakh) label of a cell: its row's, or its column's in a table whose rows
    are years; a Кесте 3 stake is its company's share."""
    row_key, col_key = str(cell["row_key"]), str(cell["column_key"])
    if short == "K3":
        return f"{cell.get('row_label_en')} share", f"{cell.get('row_label_kk')} үлесі"
    if _is_year(row_key):
        return (str(cell.get("column_label_en") or col_key),
                str(cell.get("column_label_kk") or col_key))
    return str(cell.get("row_label_en") or row_key), str(cell.get("row_label_kk") or row_key)


def table_figures(cells: pd.DataFrame) -> list[Figure]:
    """Every numeric cell of one cell table as a :class:`Figure` (``–`` cells skipped)."""
    out = []
    for cell in cells.to_dict("records"):
        if not str(cell["number_printed"] or "").strip() or pd.isna(cell["value"]):
            continue
        short = SHORT[str(cell["exhibit"])]
        label, label_kk = _cell_labels(short, cell)
        out.append(figure_from_record(
            cell, ref=cell_ref(short, cell), source=short, exhibit=str(cell["exhibit"]),
            key=_cell_key(short, str(cell["row_key"]), str(cell["column_key"])),
            label=label, label_kk=label_kk))
    return out


def _identity_sets(ctx: Context) -> dict[tuple[str, str, int | None],
                                          tuple[Figure, list[Figure]]]:
    found = {}
    idx = ctx.table_index
    for total_key, part_keys in IDENTITIES.items():
        for f in idx.by_key.get(total_key, []):
            if any(o.ref < f.ref for o in idx.get(total_key, f.year, f.source)):
                continue  # one identity per source and year: the first total
            parts = [idx.get(pk, f.year, f.source) for pk in part_keys]
            if all(parts):
                found[(f.source, total_key, f.year)] = (f, [p[0] for p in parts])
    return found


def identities(ctx: Context, b: Builder) -> None:
    """total = Σ parts within each exhibit and year; when another exhibit prints the same
    identity for that year with a different total, the row says so."""
    found = _identity_sets(ctx)
    by_year: dict[tuple[str, int | None], list[tuple[str, Figure, list[Figure]]]] = {}
    for (source, key, year), (total, parts) in found.items():
        by_year.setdefault((key, year), []).append((source, total, parts))
    for (source, key, year), (total, parts) in sorted(found.items(), key=str):
        row = arith.check_identity(total, parts, f"{total.ref}.identity")
        for o_source, o_total, o_parts in sorted(by_year[(key, year)], key=lambda t: t[0]):
            if o_source == source or o_total.point() == total.point():
                continue
            lines = sorted({*o_total.lines, *[ln for p in o_parts for ln in p.lines]})
            row = row.with_note(say(
                "note.other_identity", exhibit=o_total.exhibit,
                lines=items(lines, ", "),
                expr=items([printed(p.printed) for p in o_parts], " + "),
                total=printed(o_total.printed), year=year))
        b.add(row, total, *parts)


def growth(ctx: Context, b: Builder) -> None:
    idx = ctx.table_index
    for f in sorted(ctx.tables, key=lambda f: f.ref):
        if not f.key.endswith(GROWTH_SUFFIX) or f.year is None:
            continue
        if any(o.ref < f.ref for o in idx.get(f.key, f.year, f.source)):
            continue
        level_key = TABLE_GROWTH_LEVEL.get(f.key, f.key[: -len(GROWTH_SUFFIX)])
        prev = idx.get(level_key, f.year - 1, f.source)
        cur = idx.get(level_key, f.year, f.source)
        if prev and cur:
            b.add(arith.check_growth(f, prev[0], cur[0], f"{f.ref}.growth"), f, prev[0], cur[0])


def _balance(ctx: Context, source: str, year: int | None) -> tuple[Figure, Figure] | None:
    ex = ctx.table_index.get("kz_exports_to_tr", year, source)
    im = ctx.table_index.get("kz_imports_from_tr", year, source)
    return (ex[0], im[0]) if ex and im else None


def direction_note(ctx: Context, claim: Figure, ref: Figure) -> Note | None:
    """For exports/imports compared across tables: say when the direction of the balance
    differs (exports > imports in one table, < in the other)."""
    if claim.key not in ("kz_exports_to_tr", "kz_imports_from_tr"):
        return None
    a, r = _balance(ctx, claim.source, claim.year), _balance(ctx, ref.source, ref.year)
    if a is None or r is None:
        return None
    sa = (a[0].point() > a[1].point()) - (a[0].point() < a[1].point())
    sr = (r[0].point() > r[1].point()) - (r[0].point() < r[1].point())
    if sa == sr:
        return None
    word = {1: ">", -1: "<", 0: "="}
    return say("note.balance_reversed", exhibit_a=claim.exhibit, ex_a=printed(a[0].printed),
               cmp_a=word[sa], im_a=printed(a[1].printed), year=claim.year,
               exhibit_b=ref.exhibit, ex_b=printed(r[0].printed), cmp_b=word[sr],
               im_b=printed(r[1].printed))


def cross(ctx: Context, b: Builder) -> None:
    """Table vs table: the same quantity and year in two exhibits; the lower-numbered
    exhibit owns the row (``K6.2020.exports_to_tr.cross.k7``)."""
    for (key, _year), figs in sorted(ctx.table_index.by_key_year.items(), key=str):
        if key.endswith(GROWTH_SUFFIX):
            continue
        sources = sorted({f.source for f in figs})
        for i, sa in enumerate(sources):
            for sb in sources[i + 1:]:
                a = next(f for f in figs if f.source == sa)
                r = next(f for f in figs if f.source == sb)
                b.add(compare.check_same_quantity(a, r, f"{a.ref}.cross.{sb.lower()}",
                                                  direction_note(ctx, a, r)), a, r)


def _k4_shares(ctx: Context, k4: pd.DataFrame) -> tuple[list[Share], list[Figure]]:
    part = k4[(k4["part"] == 2) & (k4["column_key"] == "share")].sort_values("row")
    shares, figs = [], []
    for cell in part.to_dict("records"):
        fig = ctx.table_index.by_ref.get(cell_ref("K4", cell))
        label, label_kk = str(cell["row_label_en"]), str(cell["row_label_kk"])
        if fig is None:
            shares.append(Share(label, int(cell["source_line"]), None,
                                words=str(cell["printed"]), label_kk=label_kk))
        else:
            shares.append(Share(label, fig.line, fig, label_kk=label_kk))
            figs.append(fig)
    return shares, figs


def _table_list(shares: list[Share], claim_id: str, exhibit: str) -> Row:
    decl: ShareList = TABLE_SHARE_LISTS[claim_id]
    return arith.check_share_sum(shares, claim_id, exhibit, complete=decl.complete,
                                 basis=arith.list_basis(decl.basis, decl.marker, decl.line))


def share_sums(ctx: Context, b: Builder) -> None:
    """The share lists of Кесте 3 and Кесте 4 under the one rule for lists of shares
    (:data:`analysis.checks.declarations.TABLE_SHARE_LISTS` says whether each is
    complete, and why)."""
    k3 = [f for f in ctx.tables if f.source == "K3" and f.ref.endswith(".share")]
    if k3:
        shares = [Share(f.label, f.line, f, label_kk=f.label_kk) for f in k3]
        b.add(_table_list(shares, "K3.1994.share.sum100", "Кесте 3"), *k3)
    k4 = ctx.cells.get("k4_energy_reserves_routes")
    if k4 is not None:
        shares, figs = _k4_shares(ctx, k4)
        if shares:
            b.add(_table_list(shares, "K4.routes.share.sum100", "Кесте 4"), *figs)


#: The table producers, in the order the ledger runs them.
PRODUCERS: tuple[Producer, ...] = (identities, growth, cross, share_sums)
