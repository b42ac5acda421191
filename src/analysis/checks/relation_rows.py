"""Producers for the declared relations (:mod:`analysis.checks.declarations`): share lists
of the text, parts of a whole, flows and capacities, factors between levels, one quantity
across years, and stated counts against the items a passage enumerates.
"""

from __future__ import annotations

from collections import defaultdict

from analysis.checks import arith, relations
from analysis.checks.arith import Share
from analysis.checks.context import Builder, Context, Index, Producer
from analysis.checks.declarations import (
    FACTORS,
    FLOW_CAPACITY,
    GROWTH_SUFFIX,
    PART_OF,
    SHARE_LISTS,
)
from analysis.checks.figures import Figure


def _first(figs: list[Figure]) -> Figure | None:
    return min(figs, key=lambda f: f.ref) if figs else None


def share_lists(ctx: Context, b: Builder) -> None:
    """Each declared share list of the text, per year: the shares must sum to 100 % (or,
    for a partial list, to at most 100 %)."""
    for list_id, (keys, _whole, exhaustive) in sorted(SHARE_LISTS.items()):
        years = sorted({f.year for k in keys for f in ctx.text_index.by_key.get(k, [])},
                       key=lambda y: -1 if y is None else y)
        for year in years:
            members = [_first(ctx.text_index.get(k, year, "text")) for k in keys]
            found = [m for m in members if m is not None]
            if len(found) < 2:
                continue
            shares = [Share(m.label or m.key, m.line, m) for m in found]
            cid = f"L.{list_id}" + (f".{year}" if year is not None else "") + ".sum100"
            b.add(arith.check_share_sum(shares, cid, "text", at_most=not exhaustive), *found)


def _wholes(ctx: Context, key: str, fig: Figure) -> list[Figure]:
    """The figures of ``key`` a part or flow is compared with: the nearest text statement
    of the same year, and each table's figure of that year."""
    out = []
    near = ctx.text_index.nearest("text", key, fig.year, fig.line)
    if near is not None:
        out.append(near)
    for source in ctx.table_index.sources():
        table = ctx.table_index.get(key, fig.year, source)
        if table:
            out.append(table[0])
    return out


def _at_most(ctx: Context, b: Builder, pairs: dict[str, str], check_id: str,
             suffix: str) -> None:
    for part in ctx.texts + ctx.tables:
        whole_key = pairs.get(part.key)
        if whole_key is None:
            continue
        for whole in _wholes(ctx, whole_key, part):
            cid = f"{part.ref}.{suffix}.{whole.ref}"
            b.add(relations.check_at_most(part, whole, cid, check_id), part, whole)


def part_whole(ctx: Context, b: Builder) -> None:
    _at_most(ctx, b, PART_OF, "part.whole", "part_of")


def flow_capacity(ctx: Context, b: Builder) -> None:
    _at_most(ctx, b, FLOW_CAPACITY, "flow.capacity", "within_capacity")


def factors(ctx: Context, b: Builder) -> None:
    """Declared factors ("grew fourfold"): after = factor × before."""
    refs = {**ctx.table_index.by_ref, **ctx.text_index.by_ref}
    for factor_id, (before_id, after_id) in sorted(FACTORS.items()):
        factor, before, after = refs.get(factor_id), refs.get(before_id), refs.get(after_id)
        if factor is None or before is None or after is None:
            continue
        b.add(relations.check_times(factor, before, after, f"{factor_id}.factor"),
              factor, before, after)


def _series(index: Index, b: Builder) -> None:
    by_key: dict[tuple[str, str], dict[int, list[Figure]]] = defaultdict(dict)
    for (source, key, year), figs in index.by_source.items():
        if year is not None:
            by_key[(source, key)][year] = figs
    for (_source, key), years in sorted(by_key.items()):
        if key.endswith(GROWTH_SUFFIX) or len(years) < 2:
            continue
        ordered = sorted(years)
        for y0, y1 in zip(ordered, ordered[1:], strict=False):
            earlier, later = _first(years[y0]), _first(years[y1])
            assert earlier is not None and later is not None
            if earlier.unit == "percent" or later.unit == "percent" \
                    or earlier.base != later.base or earlier.point() <= 0:
                continue
            if earlier.qualifier.endswith("range_high") or later.qualifier.endswith(
                    "range_low"):
                continue
            b.add(relations.check_jump(earlier, later, f"{later.ref}.series.{earlier.ref}"),
                  earlier, later)


def series(ctx: Context, b: Builder) -> None:
    """One quantity in consecutive stated years within one source (the text's own
    statements; each table's own rows): no implausible jump or fall."""
    _series(ctx.text_index, b)
    _series(ctx.table_index, b)


def counts(ctx: Context, b: Builder) -> None:
    """A stated count vs the items its passage enumerates (``text_enumerations.csv``)."""
    if ctx.enumerations is None or ctx.enumerations.empty:
        return
    for claim_id, grp in ctx.enumerations.groupby("claim_id", sort=True):
        count = ctx.text_index.by_ref.get(str(claim_id))
        if count is None:
            continue
        grp = grp.sort_values("item_no")
        b.add(relations.check_count(count, [str(x) for x in grp["item_kk"]],
                                    [int(x) for x in grp["source_line"]],
                                    f"{claim_id}.count"), count)


#: The relation producers, in the order the ledger runs them.
PRODUCERS: tuple[Producer, ...] = (share_lists, part_whole, flow_capacity, factors, series,
                                   counts)
