"""The claims ledger as the site's interactive page: search, filters, sorting, arithmetic.

Why here: the ledger is published once for readers, as a page of the site in each language
(``ledger.html`` of ``reports/site/<lang>/``); the run writes only its data
(``reports/<lang>/ledger.csv``). :func:`fragment` is the table with its controls and
script; every row has an anchor (:func:`row_anchor`) that other pages link to.

Offline by construction: the script and the style are inline, written here (no library, no
font, nothing fetched). The filters work on ``file://`` and read their initial state from
the address (``ledger.html?status=contradicted&exhibit=k7&from=900&to=1100&q=…``), so other
pages can link to a filtered view.

Columns the checks may add are used when present and not required: ``kind`` (else the
family of ``check_id``), ``severity`` or ``order`` (default sort, most serious first),
``diagnosis_<lang>`` (else ``diagnosis``), and any ``external_*`` column (shown in an
"External" column; ``external_verdict``/``external_status`` get a filter). The texts are
shown as the ledger gives them: pass the ledger of the page's language
(:func:`analysis.present.ledger_text.frame`: kinds and verdicts in words); a status, which
stays a key in every language, is shown by its label
(:func:`analysis.present.ledger_text.status_label`).

Search: the words typed must all occur in a row. Numbers match in either notation: both the
row's text and the query are read with the page's notation and compared without thousands
separators and with a decimal point, so "92,83", "92.83" and a line number "1332" find their
rows on the Kazakh and the English page alike.

Layout: the table takes the article's width and wraps only between words; a long identifier
may break after its dots and underscores; what still does not fit scrolls inside the table's
box, never the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.checks.core import (
    CONTRADICTED,
    NOT_DECISIVE,
    PLAUSIBLE,
    REPRODUCED,
    STATUSES,
    UNTESTABLE,
    WITHIN,
)
from analysis.present import numbers
from analysis.present.i18n import t
from analysis.present.ledger_text import status_label

STATUS_COLOURS = {REPRODUCED: "#d9f2d9", WITHIN: "#fff3c4", PLAUSIBLE: "#e3eefa",
                  NOT_DECISIVE: "#f3e6f7", CONTRADICTED: "#f8d0d0", UNTESTABLE: "#ececec"}
SEVERITY_COLUMNS = ("severity", "order")
#: Without a severity in the ledger: which kinds of contradiction are shown first (an
#: impossible value, shares that cannot make a whole, one quantity printed with two values,
#: a growth rate its levels deny, a restatement that changes the number, ...).
CHECK_PRIORITY = ("text.impossible", "shares.sum100", "cross.same_quantity",
                  "growth.recompute", "text.restated", "identity.total", "identity.share",
                  "cross.cumulative", "events.dates", "survey.repeated_block",
                  "survey.options")
EXTERNAL_VERDICT_COLUMNS = ("external_verdict", "external_status")

#: (column key, label key, share of the table width in %); "external" only when present.
COLUMNS = (
    ("claim", "claim", 13), ("status", "verdict", 7), ("kind", "kind", 6),
    ("exhibit", "exhibit", 7), ("lines", "lines", 6), ("printed", "printed", 10),
    ("arithmetic", "arithmetic", 23), ("diagnosis", "diagnosis", 28),
)
EXTERNAL_WIDTH = 12


def row_anchor(claim_id: str, check_id: str) -> str:
    """The ``id`` of a ledger row (the same on every ledger page)."""
    return "L-" + re.sub(r"[^0-9A-Za-z_.-]+", "_", f"{claim_id}--{check_id}")


def _l(key: str, lang: str, **fmt: object) -> str:
    return t(f"ledger_page.{key}", lang, **fmt)


def _text(value: object) -> str:
    return "" if numbers.is_missing(value) else str(value).strip()


def lines_of(value: object) -> list[int]:
    """``"949;1019"`` → ``[949, 1019]`` (any separator; non-numbers ignored)."""
    return [int(x) for x in re.findall(r"\d+", _text(value))]


def exhibits_of(value: object) -> list[str]:
    """``"text; Кесте 7"`` → ``["text", "Кесте 7"]``."""
    return [x.strip() for x in re.split(r"[;|]", _text(value)) if x.strip()]


@dataclass(frozen=True)
class Row:
    """One ledger row as the page shows it (texts already in the page's language)."""

    anchor: str
    claim_id: str
    check_id: str
    status: str
    kind: str
    exhibits: tuple[str, ...]
    exhibit_labels: tuple[str, ...]
    lines: tuple[int, ...]
    printed: str
    inputs: str
    recomputed: str
    tolerance: str
    diagnosis: str
    severity: str
    external: str
    external_verdict: str


def _kind(r: Mapping[Any, Any]) -> str:
    kind = _text(r.get("kind"))
    return kind or _text(r.get("check_id")).split(".")[0]


def _severity_column(ledger: pd.DataFrame) -> str | None:
    return next((c for c in SEVERITY_COLUMNS if c in ledger.columns), None)


def serious_first(ledger: pd.DataFrame) -> pd.DataFrame:
    """Rows most serious first. With the ledger's own ``order`` (ascending) or numeric
    ``severity`` (descending), that; else contradictions first (:func:`summary_order`) and
    among them the first row of each kind (``kind``, else ``check_id``) in the order of
    :data:`CHECK_PRIORITY`, then the rest by kind."""
    # deliberate lazy import: the checks load the whole analysis library, which only a
    # build of the ledger page needs, never the site's up-to-date check
    from analysis.checks.ledger import summary_order

    ordered = summary_order(ledger)
    sev = _severity_column(ordered)
    if sev is not None:
        key = pd.to_numeric(ordered[sev], errors="coerce")
        ordered = ordered.assign(_k=-key if sev == "severity" else key)
        return ordered.sort_values("_k", kind="mergesort", na_position="last").drop(
            columns="_k").reset_index(drop=True)
    group = ordered["kind"] if "kind" in ordered.columns else ordered["check_id"]
    rank = {k: i for i, k in enumerate(CHECK_PRIORITY)}
    contra = ordered["status"] == CONTRADICTED
    keys = pd.DataFrame({
        "c": (~contra).astype(int),
        "tier": (contra & group.duplicated()).astype(int),
        "g": group.map(lambda g: rank.get(g, len(rank))).where(contra, 0),
        "i": range(len(ordered))})
    order = keys.sort_values(["c", "tier", "g", "i"], kind="mergesort").index
    return ordered.loc[order].reset_index(drop=True)


def _external(r: Mapping[Any, Any], lang: str) -> tuple[str, str]:
    """The verdict against the official record, and the rest of the row's external
    columns, each after its name in the page's language."""
    verdict = next((_text(r.get(c)) for c in EXTERNAL_VERDICT_COLUMNS if _text(r.get(c))), "")
    parts = [f"{t(f'checks.col.{k}', lang)}: {_text(v)}" for k, v in r.items()
             if str(k).startswith("external_") and k not in EXTERNAL_VERDICT_COLUMNS
             and _text(v)]
    return verdict, "; ".join(parts)


def rows(ledger: pd.DataFrame, lang: str,
         exhibit_labels: Mapping[str, str] | None = None) -> list[Row]:
    """The page's rows in the default order: most serious first when the ledger says how
    serious (``severity``/``order``), else contradictions first (:func:`summary_order`)."""
    labels = dict(exhibit_labels or {})
    sev = _severity_column(ledger)
    ordered = serious_first(ledger)
    out = []
    diag_col = f"diagnosis_{lang}" if f"diagnosis_{lang}" in ledger.columns else "diagnosis"
    for r in ordered.to_dict("records"):
        verdict, external = _external(r, lang)
        ex = tuple(exhibits_of(r.get("exhibit")))
        out.append(Row(
            anchor=row_anchor(_text(r["claim_id"]), _text(r["check_id"])),
            claim_id=_text(r["claim_id"]), check_id=_text(r["check_id"]),
            status=_text(r["status"]), kind=_kind(r), exhibits=ex,
            exhibit_labels=tuple(labels.get(e, e) for e in ex),
            lines=tuple(lines_of(r.get("source_lines"))),
            printed=_text(r.get("value_printed")), inputs=_text(r.get("inputs")),
            recomputed=_text(r.get("recomputed")), tolerance=_text(r.get("tolerance")),
            diagnosis=_text(r.get(diag_col)),
            severity=_text(r.get(sev)) if sev else "", external=external,
            external_verdict=verdict))
    return out


def _breakable(text: str) -> str:
    """An identifier, escaped, with break opportunities after its dots and underscores."""
    return re.sub(r"([._])", r"\1<wbr>", _e(text))


# ---------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------

_e = html.escape


def _arithmetic(row: Row, lang: str) -> str:
    parts = []
    if row.inputs:
        parts.append(f'<div class="kl-in">{_e(row.inputs)}</div>')
    if row.recomputed:
        parts.append(f'<div class="kl-re">→ {_e(row.recomputed)}</div>')
    if row.tolerance:
        parts.append(f'<div class="kl-tol">{_e(_l("tolerance", lang))}: '
                     f'{_e(row.tolerance)}</div>')
    return "".join(parts)


def _row_html(row: Row, lang: str, external: bool) -> str:
    lines = ", ".join(str(n) for n in row.lines)
    cells = [
        f'<td class="kl-claim"><a href="#{_e(row.anchor)}">{_breakable(row.claim_id)}</a>'
        f'<div class="kl-check">{_breakable(row.check_id)}</div></td>',
        f'<td class="kl-status">{_e(status_label(row.status, lang))}'
        + (f'<div class="kl-sev">{_e(row.severity)}</div>' if row.severity else "")
        + "</td>",
        f"<td>{_e(row.kind)}</td>",
        f"<td>{_e('; '.join(row.exhibit_labels))}</td>",
        f'<td class="kl-lines">{_e(lines)}</td>',
        f'<td class="kl-printed" lang="kk">{_e(row.printed)}</td>',
        f"<td>{_arithmetic(row, lang)}</td>",
        f"<td>{_e(row.diagnosis)}</td>",
    ]
    if external:
        verdict = f"<b>{_e(row.external_verdict)}</b> " if row.external_verdict else ""
        cells.append(f"<td>{verdict}{_e(row.external)}</td>")
    attrs = {
        "id": row.anchor, "data-status": row.status, "data-kind": row.kind,
        "data-exhibits": "|".join(row.exhibits), "data-lines": " ".join(map(str, row.lines)),
        "data-severity": row.severity, "data-external": row.external_verdict,
        "style": f"background:{STATUS_COLOURS.get(row.status, '#fff')}",
    }
    attr_text = " ".join(f'{k}="{_e(v)}"' for k, v in attrs.items())
    return f"<tr {attr_text}>{''.join(cells)}</tr>"


def _options(values: list[tuple[str, str]], lang: str) -> str:
    opts = [f'<option value="">{_e(_l("all", lang))}</option>']
    opts += [f'<option value="{_e(v)}">{_e(label)}</option>' for v, label in values]
    return "".join(opts)


def _controls(page_rows: list[Row], lang: str, external: bool) -> str:
    counts = {s: sum(1 for r in page_rows if r.status == s) for s in STATUSES}
    boxes = "".join(
        f'<label class="kl-box" style="background:{STATUS_COLOURS[s]}">'
        f'<input type="checkbox" name="status" checked value="{_e(s)}"> '
        f"{_e(status_label(s, lang))} ({n})</label>" for s, n in counts.items())
    kinds = sorted({r.kind for r in page_rows if r.kind})
    exhibits: dict[str, str] = {}
    for r in page_rows:
        exhibits.update(zip(r.exhibits, r.exhibit_labels, strict=True))
    ext = ""
    if external:
        verdicts = sorted({r.external_verdict for r in page_rows if r.external_verdict})
        ext = (f'<label>{_e(_l("external", lang))} <select name="external">'
               f"{_options([(v, v) for v in verdicts], lang)}</select></label>")
    num = 'min="1" step="1" class="kl-num"'
    fields = [
        f'<label>{_e(_l("search", lang))} <input type="search" name="q" size="24"></label>',
        f'<label>{_e(_l("kind", lang))} <select name="kind">'
        f"{_options([(k, k) for k in kinds], lang)}</select></label>",
        f'<label>{_e(_l("exhibit", lang))} <select name="exhibit">'
        f"{_options(sorted(exhibits.items()), lang)}</select></label>",
        f'<label>{_e(_l("lines_from", lang))} <input type="number" name="from" {num}></label>',
        f'<label>{_e(_l("lines_to", lang))} <input type="number" name="to" {num}></label>',
        ext,
        f'<button type="button" class="kl-reset">{_e(_l("reset", lang))}</button>',
        '<output class="kl-count" aria-live="polite"></output>',
    ]
    return (f'<form class="kl-controls" onsubmit="return false">\n'
            f'<div class="kl-boxes">{boxes}</div>\n'
            f'<div class="kl-fields">{"".join(fields)}</div></form>')


def _header(lang: str, external: bool) -> tuple[str, str]:
    cols = list(COLUMNS) + ([("external", "external", EXTERNAL_WIDTH)] if external else [])
    total = sum(w for _, _, w in cols)
    colgroup = "".join(f'<col style="width:{100 * w / total:.1f}%">' for _, _, w in cols)
    heads = "".join(
        f'<th scope="col" data-key="{key}"><button type="button" class="kl-sort">'
        f"{_e(_l('col.' + label, lang))}</button></th>" for key, label, _ in cols)
    return colgroup, heads


STYLE = """
.kaztur-ledger { font-size: 0.85rem; max-width: 100%; }
.kaztur-ledger .kl-controls { margin: 0.5em 0 0.8em; }
.kaztur-ledger .kl-box { display: inline-block; padding: 2px 6px; margin: 0 6px 4px 0;
  border-radius: 3px; color: #111; }
.kaztur-ledger .kl-fields { display: flex; flex-wrap: wrap; gap: 0.4em 1em;
  align-items: center; }
.kaztur-ledger .kl-num { width: 6em; }
.kaztur-ledger .kl-count { font-weight: bold; }
.kaztur-ledger .kl-scroll { overflow-x: auto; max-width: 100%; }
.kaztur-ledger table { border-collapse: collapse; table-layout: auto; width: 100%; }
.kaztur-ledger th, .kaztur-ledger td { border: 1px solid #999; padding: 3px 5px;
  vertical-align: top; text-align: left; overflow-wrap: normal; word-break: normal;
  hyphens: manual; color: #111; }
.kaztur-ledger th { background: #333; position: sticky; top: 0; z-index: 1; }
.kaztur-ledger th button { all: unset; cursor: pointer; color: #fff; font-weight: bold; }
.kaztur-ledger th[aria-sort=ascending] button::after { content: " ▲"; }
.kaztur-ledger th[aria-sort=descending] button::after { content: " ▼"; }
.kaztur-ledger .kl-check, .kaztur-ledger .kl-tol, .kaztur-ledger .kl-sev {
  color: #444; font-size: 0.9em; }
.kaztur-ledger tr:target td { outline: 2px solid #0050b3; }
.kaztur-ledger a { color: #0645ad; }
"""

SCRIPT = r"""
(function () {
  var root = document.currentScript.previousElementSibling;
  var form = root.querySelector('.kl-controls');
  var tbody = root.querySelector('tbody');
  var all = Array.prototype.slice.call(tbody.rows);
  var lang = root.dataset.lang;
  // numbers in either notation: no thousands separator, a decimal point
  function norm(s) {
    s = s.toLocaleLowerCase().replace(/(\d)[\u00a0\u202f ](?=\d{3}(?!\d))/g, '$1');
    if (lang === 'en') { s = s.replace(/(\d),(?=\d{3}(?!\d))/g, '$1'); }
    return s.replace(/(\d),(?=\d)/g, '$1.');
  }
  var text = all.map(function (tr) { return norm(tr.textContent); });
  function field(name) { return form.elements[name]; }
  function num(name) { var v = parseInt(field(name).value, 10); return isNaN(v) ? null : v; }
  function apply() {
    var on = {};
    form.querySelectorAll('input[name=status]').forEach(function (b) { on[b.value] = b.checked; });
    var q = norm(field('q').value.trim()).split(/\s+/).filter(Boolean);
    var kind = field('kind').value, ex = field('exhibit').value;
    var ext = field('external') ? field('external').value : '';
    var lo = num('from'), hi = num('to'), shown = 0;
    all.forEach(function (tr, i) {
      var d = tr.dataset, ok = on[d.status] !== false;
      ok = ok && (!kind || d.kind === kind) && (!ext || d.external === ext);
      ok = ok && (!ex || d.exhibits.split('|').indexOf(ex) >= 0);
      if (ok && (lo !== null || hi !== null)) {
        ok = d.lines.split(' ').filter(Boolean).some(function (s) {
          var n = parseInt(s, 10);
          return (lo === null || n >= lo) && (hi === null || n <= hi); });
      }
      ok = ok && q.every(function (w) { return text[i].indexOf(w) >= 0; });
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    root.querySelector('.kl-count').textContent =
      root.dataset.countTemplate.replace('{shown}', shown).replace('{total}', all.length);
  }
  function key(tr, col) {
    var d = tr.dataset;
    if (col === 'lines') { return parseInt(d.lines, 10) || 0; }
    if (col === 'status' && d.severity !== '' && !isNaN(Number(d.severity))) {
      return Number(d.severity); }
    return tr.cells[colIndex[col]].textContent.toLocaleLowerCase();
  }
  var colIndex = {};
  root.querySelectorAll('th').forEach(function (th, i) { colIndex[th.dataset.key] = i; });
  root.querySelectorAll('th button').forEach(function (b) {
    b.addEventListener('click', function () {
      var th = b.parentNode, col = th.dataset.key;
      var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      root.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir);
      var sign = dir === 'ascending' ? 1 : -1;
      var order = all.map(function (tr, i) { return [key(tr, col), i, tr]; });
      order.sort(function (a, b) {
        if (a[0] < b[0]) { return -sign; }
        if (a[0] > b[0]) { return sign; }
        return a[1] - b[1]; });
      order.forEach(function (x) { tbody.appendChild(x[2]); });
    });
  });
  var params = new URLSearchParams(window.location.search);
  ['q', 'kind', 'exhibit', 'from', 'to', 'external'].forEach(function (name) {
    if (params.has(name) && field(name)) { field(name).value = params.get(name); } });
  if (params.has('status')) {
    var wanted = params.getAll('status');
    form.querySelectorAll('input[name=status]').forEach(function (b) {
      b.checked = wanted.indexOf(b.value) >= 0; });
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  root.querySelector('.kl-reset').addEventListener('click', function () {
    form.reset(); apply(); });
  apply();
})();
"""


def fragment(ledger: pd.DataFrame, lang: str = "en",
             exhibit_labels: Mapping[str, str] | None = None) -> str:
    """The ledger's controls, table and script (an element to put in any page)."""
    page_rows = rows(ledger, lang, exhibit_labels)
    external = any(str(c).startswith("external_") for c in ledger.columns)
    colgroup, heads = _header(lang, external)
    body = "\n".join(_row_html(r, lang, external) for r in page_rows)
    count = _l("count", lang, shown="{shown}", total="{total}")
    return (f'<div class="kaztur-ledger" data-lang="{lang}" data-count-template="{_e(count)}">\n'
            f"<style>{STYLE}</style>\n{_controls(page_rows, lang, external)}\n"
            f'<div class="kl-scroll"><table class="kl-table"><colgroup>{colgroup}</colgroup>'
            f"<thead><tr>{heads}</tr></thead>\n<tbody>\n{body}\n</tbody></table></div>\n</div>"
            f"<script>{SCRIPT}</script>\n")
