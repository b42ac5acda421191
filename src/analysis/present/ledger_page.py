"""``ledger.html``: the claims ledger as one self-contained page."""

from __future__ import annotations

import html

import pandas as pd

from analysis.checks.core import CONTRADICTED, REPRODUCED, UNTESTABLE, WITHIN
from analysis.checks.ledger import counts, summary_order

STATUS_COLOURS = {REPRODUCED: "#d9f2d9", WITHIN: "#fff3c4", CONTRADICTED: "#f8d0d0",
                  UNTESTABLE: "#e6e6e6"}


def to_html(ledger: pd.DataFrame) -> str:
    """A self-contained page: counts, then the ledger sorted contradictions first, rows
    coloured by status, with a status filter (inline script, no network)."""
    c = counts(ledger)
    ordered = summary_order(ledger)
    head = "".join(f"<th>{html.escape(col)}</th>" for col in ordered.columns)
    body = []
    for _, r in ordered.iterrows():
        cells = "".join(f"<td>{html.escape(str(r[col]))}</td>" for col in ordered.columns)
        status = html.escape(str(r["status"]))
        body.append(f'<tr data-status="{status}" style="background:'
                    f'{STATUS_COLOURS[str(r["status"])]}">{cells}</tr>')
    boxes = "".join(
        f'<label style="background:{STATUS_COLOURS[s]};padding:2px 6px;margin-right:6px">'
        f'<input type="checkbox" checked value="{html.escape(s)}" onchange="f()"> '
        f'{html.escape(s)} ({n})</label>' for s, n in c.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Claims ledger – kaztur-analysis</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }}
table {{ border-collapse: collapse; font-size: 0.85em; }}
th, td {{ border: 1px solid #999; padding: 3px 5px; vertical-align: top; text-align: left; }}
th {{ background: #333; color: #fff; position: sticky; top: 0; }}
</style></head><body>
<h1>Claims ledger</h1>
<p>Every number the dissertation prints, recomputed from the rest of the source and judged
against the printed rounding. <b>reproduced</b>: exact; <b>within rounding</b>: differs but
consistent with the printed precision; <b>contradicted</b>: inconsistent beyond rounding
(a finding of the source); <b>untestable</b>: nothing to check against. Line numbers refer to
dissertation_kk.txt. {len(ordered)} rows.</p>
<p>{boxes}</p>
<table id="ledger"><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(body)}
</tbody></table>
<script>
function f() {{
  var on = {{}};
  document.querySelectorAll('input[type=checkbox]').forEach(function (b) {{
    on[b.value] = b.checked; }});
  document.querySelectorAll('#ledger tbody tr').forEach(function (tr) {{
    tr.style.display = on[tr.dataset.status] ? '' : 'none'; }});
}}
</script>
</body></html>
"""
