"""The claims ledger in words: every phrase of a ledger row written in Kazakh or English.

Why here: the checks (:mod:`analysis.checks`) say what they found as phrases — a template
key and its fields as data (:mod:`analysis.checks.phrases`) — so that one ledger serves
both languages. This module writes them: the templates are the labels ``checks.<key>`` of
``labels/ledger_text.yaml`` (kinds, statuses and rules in ``labels/checks.yaml``), the
numbers go through the one formatter (:mod:`analysis.present.numbers`: a decimal comma
and a space between thousands in Kazakh, a decimal point in English), and a Kazakh template
may put a case ending on a number (``{n:abl}``, :mod:`analysis.present.kk_endings`).

:func:`frame` turns the language-neutral ledger (:func:`analysis.checks.ledger.build`) into
the ledger of one language, the file ``reports/<lang>/ledger.csv``: the ids, statuses,
lines, printed values and numbers (``severity``, ``gap``) as they are, every text column
(:data:`TEXT_COLUMNS`) in that language. A template that names a field the row does not
carry is an error, never a blank.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from analysis.checks import core, official_rows
from analysis.checks.core import CONTRADICTED, KINDS, STATUSES, phrase_of
from analysis.checks.ledger import (
    PHRASE_COLUMNS,
    contradiction_counts,
    counts,
    kind_table,
    summary_order,
)
from analysis.present import i18n, numbers
from analysis.present.kk_endings import Inflected

__all__ = ["TEXT_COLUMNS", "frame", "texts", "say", "value", "kind_label", "status_label",
           "format_template", "exhibit", "render",
           "summary_text", "verdict_label"]

#: The columns a language's ledger writes in that language: the kind, the texts of the
#: checks, and the external verdict, value, source, vintage, tolerance and note.
TEXT_COLUMNS: tuple[str, ...] = ("kind", *core.TEXT_COLUMNS, "external_verdict",
                                 "external_value", "external_source", "external_vintage",
                                 "external_tolerance", "external_note")


def _label(key: str, lang: str) -> str:
    return i18n.t(f"checks.{key}", lang)


def status_label(status: str, lang: str) -> str:
    return _label(f"status.{status}", lang)


def kind_label(kind: str, lang: str) -> str:
    return _label(f"kind.{kind}", lang)


def verdict_label(verdict: str, lang: str) -> str:
    """An external verdict (agrees, differs by definition, disagrees) in ``lang``."""
    return _label(f"verdict.{verdict}", lang)


# ---------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------


def number(text: str | None, lang: str) -> str:
    """An exact decimal (``"-1580.25"``) in ``lang``'s notation, its decimals kept;
    ``None`` is infinity."""
    if text is None:
        return numbers.INFINITY
    d = Decimal(text)
    return numbers.number(d, lang, numbers.decimal_places(d))


def interval(iv: Mapping[str, Any], lang: str) -> str:
    """``[1 579,5; 1 580,5)`` (kk) / ``[1,579.5, 1,580.5)`` (en); ``∞`` for no bound."""
    (lo, hi), (lo_closed, hi_closed) = iv["iv"], iv["closed"]
    left = f"({numbers.MINUS}{numbers.INFINITY}" if lo is None else \
        ("[" if lo_closed else "(") + number(lo, lang)
    right = f"{numbers.INFINITY})" if hi is None else number(hi, lang) + \
        ("]" if hi_closed else ")")
    return f"{left}{'; ' if lang == 'kk' else ', '}{right}"


def printed(text: str, lang: str) -> str:
    """A number token as the source prints it, in the reader's decimal notation: the
    Kazakh ledger writes a printed ``9.8%`` as ``9,8%``, the English one ``4,8 миллиард``
    as ``4.8 миллиард`` and ``1 050`` as ``1,050``; words stay as printed."""
    if lang == "kk":
        return re.sub(r"(?<=\d)\.(?=\d)", ",", text)
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    return re.sub(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))", ",", text)


def unit(u: Mapping[str, str], lang: str) -> str:
    """A unit of the data (``USD million``, ``tonne/year``) with its scale word."""
    name, scale = u.get("unit", ""), u.get("scale", "")
    if scale and name:
        return _label(f"scaled.{scale}", lang).format(unit=_label(f"unit.{name}", lang))
    if scale:
        return _label(f"scale.{scale}", lang)
    return _label(f"unit.{name}", lang) if name else ""


def _rules(value: Mapping[str, Any], lang: str) -> str:
    names = [_label(f"rule.{r}", lang) for r in value["rules"]]
    return _label("frag.or", lang).join(names)


def _items(value: Mapping[str, Any], lang: str) -> str:
    sep = value.get("sep", "; ")
    sep_text = sep if isinstance(sep, str) else _label(str(sep["key"]), lang)
    return sep_text.join(text for v in value["items"] if (text := render(v, lang)))


#: How each tagged value (:mod:`analysis.checks.phrases`) is written, by its tag.
_TAGS: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    "num": lambda v, lang: number(v["num"], lang),
    "iv": interval,
    "unit": unit,
    "printed": lambda v, lang: printed(v["printed"], lang),
    "figure": lambda v, lang: _figure(v["figure"], lang)[""],
    "key": lambda v, lang: say(v, lang),
    "items": _items,
    "rules": _rules,
    "kk": lambda v, lang: str(v[lang]),
}


def render(v: Any, lang: str) -> str:
    """One field value in ``lang`` (the kinds of value: :mod:`analysis.checks.phrases`)."""
    if v is None:
        return ""
    if isinstance(v, bool | int | str):
        return str(v)
    if isinstance(v, list):
        return "; ".join(render(x, lang) for x in v)
    if isinstance(v, Mapping):
        tag = next((t for t in _TAGS if t in v), None)
        if tag is not None:
            return _TAGS[tag](v, lang)
    raise ValueError(f"a ledger field of unknown kind: {v!r}")


# ---------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------


def exhibit(name: object, lang: str) -> str:
    """Where numbers are printed: ``text`` in words, the tables and appendices by their
    own names (``Кесте 7``, ``Қосымша Б``)."""
    return _label("exhibit.text", lang) if name == "text" else str(name)


def exhibits(names: object, lang: str) -> str:
    """A ledger's ``exhibit`` cell (``text; Кесте 7``) in words."""
    return "; ".join(exhibit(n.strip(), lang) for n in str(names).split(";") if n.strip())


def _stated(fig: Mapping[str, Any], lang: str) -> str:
    qualifier = str(fig.get("qualifier") or "exact")
    key = f"qual.{qualifier}" if f"checks.qual.{qualifier}" in i18n.labels() else "qual.exact"
    return _format(_label(key, lang), {"n": Inflected(printed(str(fig["printed"]), lang))})


def _shown_unit(fig: Mapping[str, Any], lang: str) -> str:
    """The unit after a described figure; none for a percentage printed with its sign."""
    if fig.get("unit") == "percent" and re.search(r"%|пайыз", str(fig["printed"])):
        return ""
    return unit({"unit": str(fig.get("unit") or "")}, lang)


def _figure_label(fig: Mapping[str, Any], lang: str) -> str:
    own = fig.get("label_kk") if lang == "kk" else fig.get("label_en")
    return str(own or fig.get("label_en") or fig.get("ref") or "")


def _figure(fig: Mapping[str, Any], lang: str) -> dict[str, str]:
    """A figure's texts: described (``""``), ``_where``, ``_stated``, ``_tol``, ``_label``,
    ``_year``, ``_line``."""
    where = _format(_label("where", lang), {"exhibit": exhibit(fig.get("exhibit"), lang),
                                            "line": fig.get("line", "")})
    head = exhibit(fig.get("exhibit"), lang)
    if fig.get("source") == "text" and fig.get("ref"):
        head = f"{fig['ref']}: {head}"
    stated = _stated(fig, lang)
    described = _format(_label("describe", lang), {
        "head": head, "year": "" if fig.get("year") is None else str(fig["year"]),
        "label": _figure_label(fig, lang), "stated": stated,
        "unit": _shown_unit(fig, lang), "line": fig.get("line", "")})
    return {"": described, "_where": where, "_stated": stated,
            "_tol": say(fig["tol"], lang) if fig.get("tol") else "",
            "_label": _figure_label(fig, lang),
            "_year": "" if fig.get("year") is None else str(fig["year"]),
            "_line": str(fig.get("line", ""))}


# ---------------------------------------------------------------------------------------
# Phrases
# ---------------------------------------------------------------------------------------


def _fields(fields: Mapping[str, Any], lang: str) -> dict[str, Inflected]:
    out: dict[str, Inflected] = {}
    for name, v in fields.items():
        if isinstance(v, Mapping) and "figure" in v:
            for suffix, text in _figure(v["figure"], lang).items():
                out[name + suffix] = Inflected(text)
        else:
            out[name] = Inflected(render(v, lang))
    return out


_QUOTATION = re.compile(r"(«[^»]*»)")


def _tidy_plain(text: str) -> str:
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r" +([,;:)\]])", r"\1", text)
    text = re.sub(r"([(\[]) +", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    return re.sub(r" {2,}", " ", text)


def _tidy(text: str) -> str:
    """Collapse the spaces an empty optional field leaves (``"( "``, ``" ,"``, doubled),
    outside quotations of the source (``«танысып ,8 миллиард»`` keeps its stray space)."""
    parts = _QUOTATION.split(text)
    return "".join(p if i % 2 else _tidy_plain(p) for i, p in enumerate(parts)).strip()


def _format(template: str, fields: Mapping[str, Any]) -> str:
    try:
        return _tidy(template.format_map(fields))
    except KeyError as missing:
        raise KeyError(f"template {template!r} names the field {missing} that the row "
                       f"does not carry (it has {sorted(fields)})") from None


def say(phrase: Mapping[str, Any] | None, lang: str) -> str:
    """A phrase (and the notes said after it) in ``lang``; ``""`` for none."""
    if not phrase:
        return ""
    text = _format(_label(str(phrase["key"]), lang), _fields(phrase.get("fields", {}), lang))
    for note in phrase.get("notes", []):
        said = say(note, lang)
        if said:
            text += "; " + said
    return text


def value(cell: object, lang: str) -> str:
    """A phrase cell of the neutral ledger (JSON: a phrase, or several joined) in
    ``lang``."""
    return render(phrase_of(cell), lang)


# ---------------------------------------------------------------------------------------
# The ledger of one language
# ---------------------------------------------------------------------------------------


def texts(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The neutral ledger with its phrase columns written in ``lang`` and its keys kept
    (``kind``, ``status``, ``external_verdict``: for tables that label them)."""
    out = ledger.copy()
    for column in PHRASE_COLUMNS:
        if column in out:
            out[column] = [value(cell, lang) for cell in out[column]]
    return out


def frame(ledger: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The neutral ledger (:func:`analysis.checks.ledger.build`) in ``lang``: the same rows,
    ids, statuses, lines, printed values and numbers; ``kind``, ``external_verdict`` and
    every phrase column written in ``lang`` (the file ``reports/<lang>/ledger.csv``)."""
    out = texts(ledger, lang)
    out["kind"] = [kind_label(core.kind_of(c), lang) for c in out["check_id"]]
    if "external_verdict" in out:
        out["external_verdict"] = [verdict_label(v, lang) if v else ""
                                   for v in out["external_verdict"]]
    return out


#: Contradictions the short summary shows (``verbose=True``: all).
SUMMARY_TOP = 12


def _summary_head(table: pd.DataFrame, lang: str) -> list[str]:
    c = counts(table)
    lines = [_format(_label("summary.head", lang), {
        "n": len(table), "counts": ", ".join(f"{n} {status_label(s, lang)}"
                                             for s, n in c.items())})]
    if "external_verdict" in table:
        lines.append("  " + external_line(table, lang))
    tab = kind_table(table)
    names = {k: kind_label(k, lang) for k in KINDS}
    width = max([len(names[k]) for k in tab["kind"]] + [4])
    lines.append(f"  {_label('summary.kind', lang):<{width}}  "
                 + "  ".join(f"{status_label(s, lang):>20}" for s in STATUSES))
    for _, r in tab.iterrows():
        lines.append(f"  {names[r['kind']]:<{width}}  "
                     + "  ".join(f"{int(r[s]):>20}" for s in STATUSES))
    return lines


def external_line(ledger: pd.DataFrame, lang: str) -> str:
    """``internal verdicts: …; external verdicts: …`` for the summary."""
    c = official_rows.counts(ledger)
    internal = ", ".join(f"{n} {status_label(s, lang)}" for s, n in c["internal"].items())
    external = ", ".join(f"{verdict_label(v, lang)}: {n}" for v, n in c["external"].items())
    return _format(_label("summary.external", lang), {
        "internal": internal, "external": external, "only": c["only_external"]["numbers"]})


def summary_text(ledger: pd.DataFrame, verbose: bool = False, lang: str = "en") -> str:
    """A short grouped summary of the neutral ledger in ``lang``: counts by status (split
    into internal and external when the external verdicts are attached), by kind, then the
    most serious contradictions; ``verbose=True``: every contradiction, grouped by kind."""
    lines = _summary_head(ledger, lang)
    contra = summary_order(ledger)
    contra = contra[contra["status"] == CONTRADICTED]
    if contra.empty:
        return "\n".join(lines)
    shown = contra if verbose else contra.head(SUMMARY_TOP)
    source, official = contradiction_counts(contra)
    key = "summary.contradictions" + ("_official" if official else "")
    head = _format(_label(key, lang), {"source": source, "official": official})
    if not verbose and len(contra) > SUMMARY_TOP:
        head += " " + _format(_label("summary.first", lang), {"n": SUMMARY_TOP})
    lines.append(head + ":")
    kind = None
    for _, r in shown.iterrows():
        row_kind = core.kind_of(r["check_id"])
        if row_kind != kind:
            kind = row_kind
            lines.append(f" [{kind_label(kind, lang)}]")
        lines.append(f"  ✗ {r['claim_id']} [{r['check_id']}] "
                     + _format(_label("summary.lines", lang), {"lines": r["source_lines"]})
                     + f": {value(r['diagnosis'], lang)}")
    return "\n".join(lines)


def format_template(template: str, fields: Mapping[str, Any]) -> str:
    """``template`` with ``fields`` (texts; :class:`~analysis.present.kk_endings.Inflected`
    for the Kazakh case endings), the spaces an empty field leaves tidied: how every ledger
    sentence is written, for other presentation modules (the findings)."""
    return _format(template, fields)
