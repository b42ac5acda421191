"""A finding's title, statement and arithmetic, as phrases built from its rows.

The words are templates (``findings.title.*``, ``findings.statement.*``,
``findings.arith.*`` in ``present/labels/findings.yaml``, Kazakh and English); the fields
are the finding's data: the printed values as printed, their lines, the tables, the
official series (as the ledger names them), and numbers rounded for prose (a ratio to two
decimals, a difference in per cent of the larger value to a whole per cent). Which
template a finding takes follows its kind (:attr:`analysis.findings.grouping.Group.kind`)
and, for the text's numbers, the most telling check among its rows (:data:`TEXT_ORDER`).

The *arithmetic* is said once: for the row with the largest gap, in words — the two values,
where each stands, and how far apart they are; for a finding without a numeric gap (dates,
places, statuses, named members, a direction), how the tellings split.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from analysis.checks.phrases import Phrase, both, items, printed, say
from analysis.findings.facts import Catalogue, FigureRef, RowFacts
from analysis.findings.grouping import Group, topics_of
from analysis.findings.phrasing import ledger, line_items, rounded, where

#: For a finding about numbers of the text: the check whose template names it, most
#: telling first.
TEXT_ORDER: tuple[str, ...] = ("text.impossible", "growth.recompute", "cross.same_quantity",
                               "part.whole", "flow.capacity", "text.main", "count.enumerated",
                               "count.named_sets", "text.restated", "series.jump")

__all__ = ["TEXT_ORDER", "arithmetic", "statement", "subkind", "title"]


def _fig(fig: FigureRef, prefix: str = "") -> dict[str, Any]:
    """A figure's fields, each under ``prefix``: printed value, line (in words), exhibit,
    year, where (exhibit, year, line) and label (both languages)."""
    fields = {"printed": printed(fig.printed), "line": line_items([fig.line]),
              "exhibit": {"exhibit": fig.exhibit}, "year": fig.year or "",
              "where": where(fig),
              "label": both(fig.label_kk or fig.label_en, fig.label_en or fig.label_kk)}
    return {prefix + k: v for k, v in fields.items()}


def _exhibits(names: Sequence[str], sep: str = "and") -> dict[str, Any]:
    return items([{"exhibit": n} for n in names], say(sep))


def _years(rows: Sequence[RowFacts]) -> Any:
    years = sorted({y for r in rows for y in r.years})
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _topic(rows: Sequence[RowFacts], cat: Catalogue) -> Phrase:
    topics = sorted({t for r in rows for t in topics_of(r, cat)})
    return say("topic." + (topics[0] if len(topics) == 1 else "mixed"))


def subkind(group: Group) -> str:
    """The check whose template a finding about the text's numbers takes."""
    checks = {r.check_id for r in group.rows}
    found = next((c for c in TEXT_ORDER if c in checks), "")
    if not found and all(r.external for r in group.rows):
        return "external"
    return found or "other"


def _text_figures(group: Group) -> list[FigureRef]:
    """The text figures the finding is about (each row's subject), in line order."""
    figs = {r.subject_figure.ref: r.subject_figure for r in group.rows
            if r.subject_figure is not None and r.subject_figure.in_text}
    return sorted(figs.values(), key=lambda f: (f.line, f.ref))


def _printed_list(figs: Sequence[FigureRef]) -> dict[str, Any]:
    return items([say("value_line", printed=printed(f.printed), line=line_items([f.line]))
                  for f in figs], ", ")


def _opponents(group: Group) -> list[str]:
    return sorted({t for r in group.rows for t in r.tables})


def _balance(group: Group) -> bool:
    return any("note.balance_reversed" in r.notes for r in group.rows)


# --- titles --------------------------------------------------------------------------


def _event_name(row: RowFacts) -> Any:
    fields = (row.phrase("diagnosis") or {}).get("fields", {})
    if isinstance(fields.get("event"), Mapping):
        return fields["event"]
    return say("status_of", entity=fields.get("entity", ""),
               subject=ledger(fields.get("subject")), when=ledger(fields.get("when")))


def _aspects(group: Group) -> dict[str, Any]:
    names = sorted({r.check_id.split(".")[-1] for r in group.rows})
    return items([say(f"aspect.{n}") for n in names], say("and"))


#: Title templates that name the tables a text figure is set against, by how many.
_BY_TABLES = frozenset({"growth.recompute", "cross.same_quantity"})


def _pair_of(group: Group) -> tuple[FigureRef, FigureRef]:
    """The two figures a relating row compares (earlier and later for a jump)."""
    row = next((r for r in group.rows if len(r.figures) >= 2), group.rows[0])
    fields = (row.phrase("diagnosis") or {}).get("fields", {})
    if isinstance(fields.get("earlier"), Mapping) and isinstance(fields.get("later"), Mapping):
        by_ref = {f.ref: f for f in row.figures}
        refs = [fields[k].get("figure", {}).get("ref") for k in ("earlier", "later")]
        if all(r in by_ref for r in refs):
            return by_ref[refs[0]], by_ref[refs[1]]
    figs = row.figures
    return figs[0], figs[1] if len(figs) > 1 else figs[0]


def _text_title(group: Group, cat: Catalogue) -> Phrase:
    sub = subkind(group)
    figs = title_figures(group)
    tables = _opponents(group)
    key = f"title.text.{sub}"
    if sub in _BY_TABLES:
        key += ".many" if len(tables) > 1 else ".one"
    a, b = _pair_of(group)
    listed = ((group.rows[0].phrase("diagnosis") or {}).get("fields", {})).get("n", "")
    return say(key, values=_printed_list(figs), lines=line_items([f.line for f in figs]),
               tables=_exhibits(tables, "nor" if len(tables) > 1 else "and"),
               topic=_topic(group.rows, cat), n=listed if isinstance(listed, int) else "",
               **_fig(figs[0]), **_fig(a, "a_"), **_fig(b, "b_"))


def _table_title(group: Group) -> Phrase:
    row = group.rows[0]
    fields = (row.phrase("diagnosis") or {}).get("fields", {})
    total = fields.get("sum")
    return say(f"title.table.{row.kind.replace(' ', '_').replace('-', '_')}",
               table={"exhibit": row.tables[0] if row.tables else ""},
               sum=total if isinstance(total, Mapping) else "")


def _trend_title(group: Group) -> Phrase:
    fields = (group.rows[0].phrase("diagnosis") or {}).get("fields", {})
    # a table's name is a string, an official series' a phrase: one of each, in a stable
    # order
    named = {json.dumps(v, sort_keys=True, ensure_ascii=False): v for v in (
        ((r.phrase("diagnosis") or {}).get("fields") or {}).get("series", "")
        for r in group.rows)}
    series = [ledger(named[k]) if isinstance(named[k], Mapping) else named[k]
              for k in sorted(named)]
    return say("title.trend", quote=fields.get("quote", ""), line=fields.get("line", ""),
               series=items(series, ", "))


def _survey_title(group: Group) -> Phrase:
    return say(f"title.survey.{group.rows[0].check_id.split('.')[-1]}", questions=items(
        sorted({q for r in group.rows for q in _questions(r)}), ", "))


def _tables_title(group: Group, cat: Catalogue) -> Phrase:
    key = "title.tables_balance" if _balance(group) else "title.tables"
    return say(key, tables=_exhibits(_opponents(group)), years=_years(group.rows),
               topic=_topic(group.rows, cat))


def _record_title(group: Group, cat: Catalogue) -> Phrase:
    # the tables set against the record (a trend claim joined for its table names "text"
    # too; when tables are there, they are what disagrees)
    found = {e for r in group.rows for e in r.exhibits}
    sources = sorted(found - {"text"} if found - {"text"} else found)
    return say("title.record", sources=_exhibits(sources), topic=_topic(group.rows, cat),
               years=_years(group.rows))


def title(group: Group, cat: Catalogue) -> Phrase:
    """The finding's title (a short sentence naming the problem)."""
    kind, rows = group.kind, group.rows
    if kind == "event":
        return say("title.event", event=_event_name(rows[0]), aspects=_aspects(group))
    if kind == "trend":
        return _trend_title(group)
    if kind == "survey":
        return _survey_title(group)
    if kind == "tables":
        return _tables_title(group, cat)
    if kind == "record":
        return _record_title(group, cat)
    if kind == "table":
        return _table_title(group)
    if kind == "figure":
        return _text_title(group, cat)
    return say("title.other", claim=rows[0].subject, kind={"kind": rows[0].kind})


def _questions(row: RowFacts) -> list[int]:
    fields = (row.phrase("diagnosis") or {}).get("fields", {})
    found = [fields.get("question")] if isinstance(fields.get("question"), int) else []
    return found or [int(q) for q in _digits(row.subject)]


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


# --- statements ----------------------------------------------------------------------


def _diagnoses(rows: Sequence[RowFacts]) -> dict[str, Any]:
    return items([ledger(r.phrase("diagnosis")) for r in rows], "; ")


def _is_level(row: RowFacts) -> bool:
    fig = row.subject_figure
    return fig is not None and fig.unit != "percent"


def _ratios(rows: Sequence[RowFacts]) -> tuple[Fraction, Fraction] | None:
    """The smallest and largest ratio printed / official of the rows' levels (not rates)."""
    found = []
    for r in rows:
        ratio = ((r.phrase("diagnosis") or {}).get("fields") or {}).get("ratio")
        text = ratio.get("num") if isinstance(ratio, Mapping) else None
        if text is not None and _is_level(r):
            found.append(Fraction(text))
    return (min(found), max(found)) if found else None


def _record_parts(rows: Sequence[RowFacts]) -> list[Phrase]:
    """Per source (a table, the text): how many of its numbers disagree, and how their
    levels compare with the official values."""
    out = []
    for exhibit in sorted({e for r in rows for e in r.exhibits}):
        mine = [r for r in rows if exhibit in r.exhibits]
        span = _ratios(mine)
        ratio: Any = ""
        if span:
            ratio = rounded(span[0], 2) if span[0] == span[1] else say(
                "range", low=rounded(span[0], 2), high=rounded(span[1], 2))
        out.append(say("record_part" if span else "record_part.rates",
                       exhibit={"exhibit": exhibit}, n=len(mine), years=_years(mine),
                       ratio=ratio))
    return out


def title_figures(group: Group) -> list[FigureRef]:
    """The text figures a finding about the text names: for a comparison with the tables
    each row's own figure; otherwise every text figure its rows compare, in line order."""
    if subkind(group) in _BY_TABLES:
        return _text_figures(group)
    return sorted({f.ref: f for r in group.rows for f in r.text_figures}.values(),
                  key=lambda f: (f.line, f.ref))


def _against(group: Group) -> dict[str, Any]:
    """What does not bear the text's numbers out: the tables, the rest of the text, the
    official record."""
    rows = group.rows
    parts: list[Phrase] = []
    tables = _opponents(group)
    if tables:
        parts.append(say("against.tables", tables=_exhibits(tables)))
    if any(not r.external and not r.tables for r in rows):
        parts.append(say("against.text"))
    if any(r.external for r in rows):
        parts.append(say("against.record"))
    return items(parts, say("or"))


def statement(group: Group, cat: Catalogue) -> Phrase:
    """The finding in plain words: what disagrees with what, and how many numbers."""
    kind, rows = group.kind, group.rows
    if kind in ("event", "trend", "survey", "subject", "table") or (
            kind == "figure" and subkind(group) in ("count.named_sets", "count.enumerated")):
        return say("statement.tellings", details=_diagnoses(rows))
    if kind == "tables":
        return say("statement.tables", tables=_exhibits(_opponents(group)), n=len(rows),
                   years=_years(rows), topic=_topic(rows, cat),
                   balance=say("statement.balance") if _balance(group) else "")
    if kind == "record":
        # the printed numbers against the record; a trend claim the record bears out but
        # a table contradicts (joined here) is said after them
        ext = [r for r in rows if r.external]
        said = say("statement.record", parts=items(_record_parts(ext), "; "), n=len(ext))
        other = [r for r in rows if not r.external]
        return say("statement.record_and", record=said, details=_diagnoses(other)) \
            if other else said
    record = sum(r.external for r in rows)
    return say("statement.text" + ("_record" if record else ""),
               values=_printed_list(title_figures(group)), against=_against(group),
               n_rows=len(rows), record=record)


# --- arithmetic ----------------------------------------------------------------------


def _largest(rows: Sequence[RowFacts]) -> RowFacts | None:
    numeric = [r for r in rows if r.gap is not None and r.figures]
    return max(numeric, key=lambda r: (r.gap or 0, -r.index)) if numeric else None


def _pct(gap: Fraction | None) -> dict[str, str]:
    return rounded((gap or Fraction(0)) * 100, 0)


def _ratio(a: FigureRef, b: FigureRef) -> Any:
    va, vb = a.base_value(), b.base_value()
    return rounded(va / vb, 2) if va is not None and vb else ""


def _pair_arith(row: RowFacts) -> Phrase:
    a, b = row.figures[0], row.figures[1] if len(row.figures) > 1 else row.figures[0]
    key = "arith.pair" if row.gap else "arith.pair_touching"
    return say(key, **_fig(a, "a_"), **_fig(b, "b_"), pct=_pct(row.gap), ratio=_ratio(a, b))


def _growth_arith(row: RowFacts) -> Phrase:
    fields = (row.phrase("diagnosis") or {}).get("fields", {})
    growth = row.subject_figure or row.figures[0]
    prev, cur = fields.get("prev", {}).get("figure", {}), fields.get("cur", {}).get("figure", {})
    value = ((fields.get("expr") or {}).get("fields") or {}).get("value") or {}
    off = fields.get("off") or {}
    return say("arith.growth", **_fig(growth), table={"exhibit": cur.get("exhibit", "")},
               prev=printed(str(prev.get("printed", ""))), cur=printed(str(cur.get(
                   "printed", ""))), prev_year=prev.get("year", ""),
               cur_year=cur.get("year", ""),
               value=rounded(Fraction(value["num"]), 1) if value.get("num") else "",
               points=rounded(abs(Fraction(off["num"])), 1) if off.get("num") else "")


def _official(row: RowFacts) -> Fraction | None:
    value = ((row.phrase("recomputed") or {}).get("fields") or {}).get("value") or {}
    text = value.get("num") if isinstance(value, Mapping) else None
    return None if text is None else Fraction(text)


def _record_arith(row: RowFacts) -> Phrase:
    fig = row.subject_figure or row.figures[0]
    fields = (row.phrase("diagnosis") or {}).get("fields", {})
    ratio = fields.get("ratio") or {}
    common = dict(**_fig(fig), value=ledger(row.phrase("recomputed")),
                  source=ledger(row.phrase("external_source")))
    official, own = _official(row), fig.base_value()
    if fig.unit == "percent" and official is not None and own is not None:
        return say("arith.record_rate", **common, points=rounded(abs(own - official), 1))
    return say("arith.record", **common, pct=_pct(row.gap),
               ratio=rounded(Fraction(ratio["num"]), 2) if ratio.get("num") else "")


def _splits(rows: Sequence[RowFacts]) -> list[Phrase]:
    """How an event's tellings split: each value with how many lines tell it."""
    from analysis.findings.corrections import value_lines

    out = []
    for row in rows:
        for conflict in value_lines(row.phrase("diagnosis")):
            out.append(say("split", values=items(
                [say("split_value", value=_field(f.get("value")), n=len(_lines(f)))
                 for f in sorted(conflict, key=lambda f: -len(_lines(f)))], "; ")))
    return out


def _lines(fields: Mapping[str, Any]) -> list[int]:
    found = fields.get("lines")
    return list(found.get("items", [])) if isinstance(found, Mapping) else []


def _field(value: Any) -> Any:
    return ledger(value) if isinstance(value, dict) and "key" in value else value


def _steps(rows: Sequence[RowFacts]) -> list[Phrase]:
    """Per series a trend claim describes: the steps that go against it, of all steps."""
    out = []
    for row in rows:
        steps = [str(v.get("key", "")) for v in ((row.phrase("recomputed") or {}).get(
            "fields", {}).get("value") or {}).get("items", []) if isinstance(v, Mapping)]
        fields = (row.phrase("diagnosis") or {}).get("fields", {})
        against = sum(k.endswith(".impossible") for k in steps)
        out.append(say("steps", series=_field(fields.get("series", "")), against=against,
                       n=len(steps)))
    return out


def arithmetic(group: Group) -> Phrase:
    """The arithmetic, once (module docstring)."""
    if group.kind == "event":
        return say("arith.tellings", details=items(_splits(group.rows), "; "))
    if group.kind == "trend":
        return say("arith.tellings", details=items(_steps(group.rows), "; "))
    row = _largest(group.rows)
    if row is None:
        return say("arith.tellings", details=_diagnoses(group.rows[:1]))
    if row.check_id == "growth.recompute":
        return _growth_arith(row)
    if row.external:
        return _record_arith(row)
    if len(row.figures) >= 2:
        return _pair_arith(row)
    return say("arith.one", details=ledger(row.phrase("diagnosis")))
