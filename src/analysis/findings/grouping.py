"""The grouping rules: which contradicted ledger rows are one problem.

Rules, not ids. Each contradicted row (a ``differs by definition`` verdict is never one) gets
a few *problem keys* from what it compares (:func:`problem_keys`); rows that share a key
are one finding, and so are rows linked through a chain of shared keys (a union–find over
the keys). The keys, in words:

``event``         the tellings of one event or status (``E.<event key>``): its dates,
                  places, ordinals and statuses are one problem;
``survey``        one survey check over all questions (the options never asked, the
                  repeated blocks);
``trend``         one verbal trend claim, against every series it describes; a claim the
                  official record bears out (an official series reproduces it) that a
                  table contradicts is that table's problem with the record (``record``
                  key), not a problem of the claim;
``tables``        two tables printing the same quantities with different values (one per
                  pair of tables and topic: Кесте 6 against Кесте 7 on trade);
``record``        the tables against the official record, per topic (both trade tables
                  against BNS/WITS are one problem);
``table``         one table's own arithmetic (a share sum, a total, a growth column), per
                  table and kind of check;
``figure``        a number printed in the text: every contradiction of it (against a table,
                  a restatement, the record, an impossible value) is one problem; a
                  restatement, a part and its whole, a count and its named members, the
                  "main" channel and another link the two figures they compare;
``text-tables``   text figures of one topic and year contradicted by the same check against
                  the same table (the text's 2022 growth rates against Кесте 7) — one
                  problem however many figures print it;
``same-number``   one number printed twice (a table and the text) against the record.

A row none of these fits keeps its own subject (``subject`` key), so every contradicted row
belongs to exactly one finding (tested on crafted rows and on the shipped ledger). New check
kinds group without hand edits: by their figures, tables and subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.checks.core import REPRODUCED, WITHIN
from analysis.findings.facts import Catalogue, RowFacts

#: Checks that compare two text figures telling one problem (the same quantity twice, a
#: part and its whole, a count and its named members, a channel and the "main" one).
LINKING_CHECKS = frozenset({"text.restated", "part.whole", "flow.capacity", "count.named_sets",
                            "text.main"})
#: Checks that set a text figure against a table's value of the same quantity.
TABLE_CHECKS = frozenset({"cross.same_quantity", "growth.recompute"})

Key = tuple[str, ...]

__all__ = ["Group", "LINKING_CHECKS", "TABLE_CHECKS", "group", "problem_keys", "topics_of"]


def topics_of(row: RowFacts, cat: Catalogue) -> tuple[str, ...]:
    """The topics of a row's figures (a trend claim: its quantity's topic), sorted."""
    found = {cat.topic_of(f) for f in row.figures}
    if not row.figures:
        found |= {cat.exhibit_topic[t] for t in row.tables if t in cat.exhibit_topic}
    quantity = cat.quantity_of(row.subject)
    if not found and quantity:
        found.add(cat.topic.get(quantity, "other"))
    return tuple(sorted(found)) or ("other",)


def _topic(row: RowFacts, cat: Catalogue) -> str:
    return "+".join(topics_of(row, cat))


def _same_number(row: RowFacts, cat: Catalogue) -> Key | None:
    fig = row.subject_figure
    value = fig.base_value() if fig is not None else None
    if fig is None or value is None:
        return None
    return ("same-number", cat.quantity_of(fig.ref), str(fig.year), str(value))


def _table_keys(row: RowFacts, cat: Catalogue) -> list[Key]:
    tables = row.tables
    if row.external:
        keys: list[Key] = [("record", "tables", _topic(row, cat))]
        same = _same_number(row, cat)
        return keys + ([same] if same else [])
    if len(tables) >= 2:
        return [("tables", *tables, _topic(row, cat))]
    if len(tables) == 1:
        return [("table", tables[0], row.kind)]
    return [("subject", row.subject)]


def _text_keys(row: RowFacts, cat: Catalogue) -> list[Key]:
    texts = row.text_figures
    subject = row.subject_figure if row.subject_figure in texts else texts[0]
    keys: list[Key] = [("figure", subject.ref)]
    if row.check_id in LINKING_CHECKS:
        keys += [("figure", f.ref) for f in texts if f.ref != subject.ref]
    if row.external:
        same = _same_number(row, cat)
        keys += [same] if same else []
    if row.check_id in TABLE_CHECKS:
        keys += [("text-tables", cat.topic_of(subject), row.check_id, str(subject.year), t)
                 for t in row.tables]
    return keys


#: The trend rows set against an official series end so (``V010.trend.bns``).
OFFICIAL_TREND_REFS = frozenset({"bns", "wits"})
#: The statuses of a trend row that bear its claim out.
BORNE_OUT = frozenset({REPRODUCED, WITHIN})


def borne_out_by_record(rows: Sequence[RowFacts]) -> frozenset[str]:
    """The trend claims an official series bears out (reproduces, or within rounding)."""
    return frozenset(r.subject for r in rows if r.check_id == "trend.series"
                     and r.claim_id.rsplit(".", 1)[-1] in OFFICIAL_TREND_REFS
                     and r.status in BORNE_OUT)


def problem_keys(row: RowFacts, cat: Catalogue,
                 record_bears_out: frozenset[str] = frozenset()) -> list[Key]:
    """The problem keys of one contradicted row (module docstring); the first names the
    kind of finding it makes on its own. ``record_bears_out``: the trend claims the
    official record bears out (:func:`borne_out_by_record`)."""
    if row.event_key:
        return [("event", row.event_key)]
    if row.kind == "survey":
        return [("survey", row.check_id.split(".")[-1])]
    if row.check_id == "trend.series":
        if row.subject in record_bears_out \
                and row.claim_id.rsplit(".", 1)[-1] not in OFFICIAL_TREND_REFS:
            return [("record", "tables", _topic(row, cat))]
        return [("trend", row.subject)]
    if row.text_figures:
        return _text_keys(row, cat)
    return _table_keys(row, cat)


@dataclass(frozen=True)
class Group:
    """The contradicted rows of one finding and the keys that joined them."""

    rows: tuple[RowFacts, ...]
    keys: tuple[Key, ...]

    @property
    def kind(self) -> str:
        """The finding's kind: the kind of its most telling key (``event``, ``survey``,
        ``trend``, ``tables``, ``record``, ``table``, ``figure``, ``subject``)."""
        order = ("event", "survey", "trend", "tables", "record", "table", "figure",
                 "subject")
        kinds = {k[0] for k in self.keys}
        return next((k for k in order if k in kinds), "subject")


class _Union:
    def __init__(self) -> None:
        self.parent: dict[Key, Key] = {}

    def find(self, key: Key) -> Key:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group(rows: Sequence[RowFacts], cat: Catalogue) -> list[Group]:
    """The contradictions of ``rows`` in groups, one per problem (module docstring), in
    the order of their first row."""
    union = _Union()
    keyed: list[tuple[RowFacts, list[Key]]] = []
    bears_out = borne_out_by_record(rows)
    for row in rows:
        if not row.contradiction:
            continue
        keys = problem_keys(row, cat, bears_out)
        for key in keys[1:]:
            union.join(keys[0], key)
        union.find(keys[0])
        keyed.append((row, keys))
    members: dict[Key, list[tuple[RowFacts, list[Key]]]] = {}
    for row, keys in keyed:
        members.setdefault(union.find(keys[0]), []).append((row, keys))
    return [Group(rows=tuple(r for r, _ in found),
                  keys=tuple(dict.fromkeys(k for _, ks in found for k in ks)))
            for found in members.values()]
