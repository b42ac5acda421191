"""``kaztur external refresh``: the trade series of ``kz_tr_trade.csv`` fetched anew from
their publishers' interfaces, where one exists.

Which series can be refreshed, and how (no key is needed for either):

* **UN-Comtrade-preview** from UN Comtrade's *public preview* endpoint,
  ``GET https://comtradeapi.un.org/public/v1/preview/C/A/HS`` (``C`` goods, ``A`` annual,
  ``HS`` classification) with ``reporterCode=398`` (Kazakhstan), ``partnerCode=792``
  (Türkiye), ``partner2Code=0``, ``flowCode=M`` (the flow the series holds),
  ``cmdCode=TOTAL``, ``customsCode=C00``, ``motCode=0`` (all customs procedures and modes of
  transport), ``period`` the years asked for (comma-separated) and ``includeDesc=false``.
  The preview needs **no subscription key** (it returns at most 500 records, ample for one
  total per year); Comtrade's full data endpoint, ``/data/v1/get/C/A/HS``, needs the header
  ``Ocp-Apim-Subscription-Key`` (a free registration at comtradedeveloper.un.org) and is not
  used. Answer: JSON ``{"elapsedTime", "count", "data": [record, …], "error"}``, one record
  per year with ``refYear``, ``flowCode`` and ``primaryValue`` (US dollars).
* **WITS-TradeStats** from the World Bank's WITS API (SDMX), **no key**:
  ``GET https://wits.worldbank.org/API/V1/SDMX/V21/datasource/tradestats-trade/reporter/kaz/
  year/{y1;y2;…}/partner/tur/product/Total/indicator/{XPRT-TRD-VL|MPRT-TRD-VL}?format=JSON``,
  one request per flow (WITS serves a range of years for one reporter, partner, product and
  indicator). Answer: SDMX-JSON (``dataSets[0].series`` keyed by dimension positions, the
  year in ``structure.dimensions.observation``), values in thousand US dollars.
* **BNS-312101** has no documented interface: stat.gov.kz publishes table 312101 as
  spreadsheet files, and the JSON endpoints of its Taldau portal are undocumented. The
  BNS series is therefore snapshot-only (``kaztur external build``).

A refresh replaces the rows of a series only when the answer is complete: every year the
series must cover (:data:`analysis.data.official_trade.COVERAGE`) and every year the current
file holds. A partial answer, an unreachable API or an API error leaves ``data/external/``
untouched and says why. The refreshed rows name their request in ``source_path`` and have
no repository or commit; ``datapackage.json`` adds, per refreshed series, the endpoint, the
retrieval date and the sha256 of the answer. This code is tested offline only, on answers
written in the documented formats (``tests/fixtures/comtrade/``, ``tests/fixtures/wits/``):
the live refresh is untested here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd
import requests

from analysis.data import official as ext
from analysis.data import official_trade as trade
from analysis.data import snapshots

TIMEOUT_S = 60
COMTRADE_PREVIEW = "https://comtradeapi.un.org/public/v1/preview/C/A/HS"
COMTRADE_CODES = {"KAZ": "398", "TUR": "792"}
COMTRADE_FLOWS = {"M": trade.IMPORT, "X": trade.EXPORT}
WITS_API = "https://wits.worldbank.org/API/V1/SDMX/V21/datasource/tradestats-trade"
WITS_INDICATORS = {trade.EXPORT: "XPRT-TRD-VL", trade.IMPORT: "MPRT-TRD-VL"}


class RefreshError(RuntimeError):
    """The refresh could not be completed; nothing was written."""


@dataclass(frozen=True)
class Answer:
    """What one publisher returned for one series, as tidy text rows."""

    series: str
    rows: pd.DataFrame        # flow, year, value_usd, unit_in_source, source_path (text)
    endpoint: str
    digest: str               # sha256 of the raw answers as canonical JSON


def _get(name: str, url: str, params: Mapping[str, str] | None = None) -> Any:
    """One GET, its JSON; network, HTTP and format failures become a :class:`RefreshError`."""
    try:
        response = requests.get(url, params=params, timeout=TIMEOUT_S)
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        raise RefreshError(
            f"cannot reach {name} ({url}): {exc.__class__.__name__}: {exc}. `kaztur external "
            "refresh` needs network access; data/external/ is unchanged.") from None
    if response.status_code != 200:
        raise RefreshError(f"{name} refused the request {response.url} (HTTP "
                           f"{response.status_code}: {_message(response)}); data/external/ "
                           "is unchanged.")
    try:
        return response.json()
    except ValueError:
        raise RefreshError(f"{name} answered {response.url} with something that is not JSON "
                           f"({response.text[:80]!r}); data/external/ is unchanged.") from None


def _message(response: requests.Response) -> str:
    """The error message of an answer: Comtrade's ``{"statusCode", "message"}``, else the
    first characters of the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:120].strip() or response.reason or "no message"
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return json.dumps(body)[:120]


def _digest(answers: Sequence[Any]) -> str:
    return hashlib.sha256(json.dumps(answers, sort_keys=True, separators=(",", ":"))
                          .encode()).hexdigest()


def _usd(value: Any, factor: int, what: str) -> str:
    """A value of the answer in US dollars, as text (exact decimal arithmetic)."""
    try:
        usd = Decimal(str(value)) * factor
    except (InvalidOperation, TypeError):
        raise RefreshError(f"{what}: expected a number, got {value!r}; nothing was "
                           "replaced.") from None
    return repr(float(usd))


def _format_error(name: str, what: str) -> RefreshError:
    return RefreshError(f"{name}'s answer is not in its documented format ({what}); nothing "
                        "was replaced.")


# ---------------------------------------------------------------------------------------
# UN Comtrade, public preview
# ---------------------------------------------------------------------------------------


def comtrade_params(flows: Sequence[str], years: Sequence[int]) -> dict[str, str]:
    """The query of the preview endpoint for Kazakhstan's trade with Türkiye."""
    codes = {v: k for k, v in COMTRADE_FLOWS.items()}
    return {"reporterCode": COMTRADE_CODES[trade.REPORTER],
            "partnerCode": COMTRADE_CODES[trade.PARTNER], "partner2Code": "0",
            "flowCode": ",".join(codes[f] for f in flows), "cmdCode": "TOTAL",
            "customsCode": "C00", "motCode": "0",
            "period": ",".join(str(y) for y in years), "includeDesc": "false"}


def _is_total(record: Mapping[str, Any]) -> bool:
    """A record of the total the series holds: all commodities, customs procedures and
    modes of transport, Kazakhstan with Türkiye, no second partner."""
    return (str(record.get("reporterCode")) == COMTRADE_CODES[trade.REPORTER]
            and str(record.get("partnerCode")) == COMTRADE_CODES[trade.PARTNER]
            and str(record.get("partner2Code", "0")) == "0"
            and str(record.get("cmdCode")) == "TOTAL"
            and str(record.get("customsCode", "C00")) == "C00"
            and str(record.get("motCode", "0")) == "0")


def comtrade_rows(body: Any, request: str) -> pd.DataFrame:
    """The preview's answer as rows of the table (one per flow and year)."""
    name = "UN Comtrade"
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise _format_error(name, "no 'data' list")
    if body.get("error"):
        raise RefreshError(f"UN Comtrade answered with an error: {body['error']}; nothing was "
                           "replaced.")
    rows: dict[tuple[str, int], str] = {}
    for record in body["data"]:
        if not isinstance(record, dict) or not _is_total(record):
            continue
        flow = COMTRADE_FLOWS.get(str(record.get("flowCode")))
        if flow is None or "refYear" not in record or "primaryValue" not in record:
            raise _format_error(name, f"a record without flowCode M/X, refYear or "
                                      f"primaryValue: {json.dumps(record)[:100]}")
        key = (flow, int(record["refYear"]))
        if key in rows:
            raise RefreshError(f"UN Comtrade gave two totals for {flow} {key[1]}; nothing "
                               "was replaced.")
        rows[key] = _usd(record["primaryValue"], 1, f"UN Comtrade primaryValue {key[1]}")
    return pd.DataFrame([{"flow": f, "year": str(y), "value_usd": v, "unit_in_source": "USD",
                          "source_path": request} for (f, y), v in sorted(rows.items())],
                        columns=["flow", "year", "value_usd", "unit_in_source", "source_path"])


def fetch_comtrade(flows: Sequence[str], years: Sequence[int]) -> Answer:
    params = comtrade_params(flows, years)
    request = requests.Request("GET", COMTRADE_PREVIEW, params=params).prepare().url or ""
    body = _get("UN Comtrade (public preview)", COMTRADE_PREVIEW, params)
    return Answer(trade.PREVIEW, comtrade_rows(body, request), COMTRADE_PREVIEW,
                  _digest([body]))


# ---------------------------------------------------------------------------------------
# WITS (World Bank), SDMX
# ---------------------------------------------------------------------------------------


def wits_url(flow: str, years: Sequence[int]) -> str:
    reporter, partner = trade.REPORTER.lower(), trade.PARTNER.lower()
    return (f"{WITS_API}/reporter/{reporter}/year/{';'.join(str(y) for y in years)}"
            f"/partner/{partner}/product/Total/indicator/{WITS_INDICATORS[flow]}")


def _dimension(values: Sequence[Mapping[str, Any]], index: int, what: str) -> str:
    try:
        return str(values[index]["id"])
    except (IndexError, KeyError, TypeError):
        raise _format_error("WITS", f"no {what} at position {index}") from None


def wits_rows(body: Any, flow: str, request: str) -> pd.DataFrame:
    """An SDMX-JSON answer of WITS for one indicator as rows of the table; values in
    thousand US dollars become US dollars."""
    try:
        dims = {d["id"]: d for d in body["structure"]["dimensions"]["series"]}
        years = body["structure"]["dimensions"]["observation"][0]["values"]
        series = body["dataSets"][0]["series"]
    except (KeyError, IndexError, TypeError):
        raise _format_error("WITS", "no structure.dimensions or dataSets[0].series") from None
    order = [d["id"] for d in sorted(dims.values(), key=lambda d: d["keyPosition"])]
    rows = []
    for key, entry in series.items():
        position = dict(zip(order, (int(i) for i in key.split(":")), strict=True))
        code = {k: _dimension(dims[k]["values"], position[k], k)
                for k in ("REPORTER", "PARTNER", "PRODUCTCODE", "INDICATOR")}
        if code != {"REPORTER": trade.REPORTER, "PARTNER": trade.PARTNER,
                    "PRODUCTCODE": "Total", "INDICATOR": WITS_INDICATORS[flow]}:
            continue
        for obs, values in entry.get("observations", {}).items():
            year = _dimension(years, int(obs), "year")
            rows.append({"flow": flow, "year": year,
                         "value_usd": _usd(values[0], 1000, f"WITS value {year}"),
                         "unit_in_source": "thousand USD", "source_path": request})
    return pd.DataFrame(rows, columns=["flow", "year", "value_usd", "unit_in_source",
                                       "source_path"])


def fetch_wits(flows: Sequence[str], years: Sequence[int]) -> Answer:
    bodies, frames = [], []
    for flow in flows:
        url = wits_url(flow, years)
        body = _get("WITS (World Bank)", url, {"format": "JSON"})
        bodies.append(body)
        frames.append(wits_rows(body, flow, f"{url}?format=JSON"))
    return Answer(trade.WITS, pd.concat(frames, ignore_index=True), WITS_API,
                  _digest(bodies))


# ---------------------------------------------------------------------------------------
# Plan and write
# ---------------------------------------------------------------------------------------

#: series → (how to fetch it, the title and licence of its interface)
FETCHERS: dict[str, tuple[Callable[[Sequence[str], Sequence[int]], Answer], str, str]] = {
    trade.PREVIEW: (fetch_comtrade, "UN Comtrade public preview API (no subscription key)",
                    "UN Comtrade terms of use; cite \"UN Comtrade\""),
    trade.WITS: (fetch_wits, "World Bank WITS API, TradeStats-Trade (SDMX, no key)",
                 "WITS terms of use; cite \"World Bank, WITS (UN Comtrade data)\""),
}


def request_span(series: str, today: dt.date) -> tuple[list[str], list[int]]:
    """The flows a series holds and the years to ask for: from its first declared year to
    last year."""
    flows = [f for (s, f) in trade.COVERAGE if s == series]
    first = min(trade.COVERAGE[(series, f)][0] for f in flows)
    return flows, list(range(first, today.year))


def missing(current: pd.DataFrame, answer: Answer) -> list[str]:
    """What the answer lacks: declared years of the series, or years the current file
    holds for it. Empty means complete."""
    have = set(zip(answer.rows["flow"], answer.rows["year"].astype(int), strict=True))
    want = {(f, y) for (s, f), (a, b) in trade.COVERAGE.items() if s == answer.series
            for y in range(a, b + 1)}
    mine = current[current["series"] == answer.series]
    want |= set(zip(mine["flow"], mine["year"].astype(int), strict=True))
    return [f"{f} {y}" for f, y in sorted(want - have)]


def _api_source(answer: Answer, today: dt.date) -> dict[str, str]:
    _fetch, title, licence = FETCHERS[answer.series]
    return {"series": answer.series, "title": title,
            "publisher": trade.TRADE_SERIES[answer.series].publisher,
            "url": answer.endpoint, "vintage": f"retrieved {today.isoformat()}",
            "retrieved": today.isoformat(), "licence": licence, "attribution": licence,
            "sha256": answer.digest,
            "sha256_of": "the API's answers as canonical JSON (sorted keys)"}


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Loaded rows back in the text form of the file (numbers by repr, as written)."""
    return frame.astype(str).assign(value_usd=frame["value_usd"].map(repr))


def plan(answers: Sequence[Answer], folder: Path, today: dt.date) -> dict[str, str]:
    """The files a refresh writes (name → text), after checking every answer is complete."""
    current = ext.load("kz_tr_trade", folder)
    for answer in answers:
        gaps = missing(current, answer)
        if gaps:
            raise RefreshError(f"the answer for {answer.series} is partial (missing: "
                               f"{', '.join(gaps)}); nothing was replaced.")
    kept = current[~current["series"].isin([a.series for a in answers])]
    new = [a.rows.assign(series=a.series, reporter=trade.REPORTER, partner=trade.PARTNER,
                         source_table=f"{FETCHERS[a.series][1]}: "
                                      f"{trade.TRADE_SERIES[a.series].title}",
                         edition="unknown", source_repo="", source_commit="")
           for a in answers]
    res = ext.RESOURCES["kz_tr_trade"]
    text = pd.concat([_as_text(kept), *new], ignore_index=True)[res.columns]
    text = text.assign(_line=range(2, len(text) + 2))
    where = Path(" and ".join(f"the {a.series} answer" for a in answers))
    frame = snapshots.checked("kz_tr_trade", text, where)
    entries = {e["name"]: e for e in ext.descriptor(folder)["resources"]}
    old = entries["kz_tr_trade"]["sources"]
    refreshed = {a.series: _api_source(a, today) for a in answers}
    others = [s for s in old[1:] if s.get("series") not in refreshed]
    from_api = sorted({str(s["series"]) for s in others} | set(refreshed))
    first = dict(old[0]) | {"superseded": f"the rows of {', '.join(from_api)} come from the "
                                          "API answers listed after this source"}
    sources = [first, *others, *refreshed.values()]
    files = {res.path: snapshots.csv_text(frame)}
    entries["kz_tr_trade"] = snapshots.resource_entry("kz_tr_trade", frame, files[res.path],
                                                      sources[0])
    entries["kz_tr_trade"]["sources"] = sources
    files[ext.DESCRIPTOR] = snapshots.descriptor_text(list(entries.values()))
    return files


def refresh(folder: Path | None = None, today: dt.date | None = None,
            series: Sequence[str] = tuple(FETCHERS)) -> tuple[list[str], list[Path]]:
    """Fetch every series of ``series`` anew, check, and replace ``kz_tr_trade.csv`` (and
    the descriptor); return the series refreshed and the paths written."""
    folder = folder or ext.external_dir()
    today = today or dt.datetime.now(dt.UTC).date()
    answers = []
    for name in series:
        fetch = FETCHERS[name][0]
        flows, years = request_span(name, today)
        answers.append(fetch(flows, years))
    return [a.series for a in answers], snapshots.replace_files(
        folder, plan(answers, folder, today))
