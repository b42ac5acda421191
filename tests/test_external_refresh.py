"""``kaztur external refresh`` on recorded World Bank API responses, never on the network.

Every test here runs with the network blocked at the socket level (:func:`no_network`):
opening a socket or resolving a host name raises :class:`NetworkBlocked`, which is not an
``OSError``, so no HTTP library can mistake it for "offline" and carry on. The API is
served by ``responses`` from the hand-written fixtures in ``tests/fixtures/worldbank/``
(see its README) and data pages built here from the committed ``data/external/wdi.csv``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
import requests
import responses
import wbgapi

from analysis import config
from analysis.data import official as ext
from analysis.data import worldbank

FIXTURES = Path(__file__).parent / "fixtures" / "worldbank"
NEW_VINTAGE = "2026-09-30"
TODAY = dt.date(2026, 10, 1)


class NetworkBlocked(RuntimeError):
    """A test tried to open a socket."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkBlocked(f"a test opened a socket: {args[:2]}")

    class GuardedSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            refuse(*args)

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(autouse=True)
def fresh_wbgapi(monkeypatch):
    """wbgapi caches metadata in module globals; each test starts from an empty cache."""
    monkeypatch.setattr(wbgapi.source, "_concepts", {})
    monkeypatch.setattr(wbgapi.time, "_time_values", {})
    monkeypatch.setattr(wbgapi.economy, "_localized_metadata", {})
    monkeypatch.setattr(wbgapi.economy, "_class_data", None)
    monkeypatch.setattr(wbgapi.economy, "_aggs", None)


@pytest.fixture
def folder(tmp_path):
    """A copy of the committed data/external/ to refresh."""
    dest = tmp_path / "external"
    shutil.copytree(config.ROOT / "data" / "external", dest)
    return dest


def _fixture(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def current_with_revisions() -> pd.DataFrame:
    """The committed vintage with the new vintage's revisions: Türkiye's 2023 GDP up 1 %."""
    frame = ext.load("wdi")
    tur = (frame["indicator"] == "NY.GDP.MKTP.CD") & (frame["iso3"] == "TUR") & (
        frame["year"] == 2023)
    frame.loc[tur, "value"] = frame.loc[tur, "value"] * 1.01
    return frame


def data_pages(frame: pd.DataFrame, per_page: int = 1000, vintage: str = NEW_VINTAGE,
               indicators=None, economies=None) -> list[dict]:
    """The advanced-API data pages for every series × economy × year (null where the
    frame has no value), in wbgapi's request order."""
    indicators = indicators or list(ext.WDI_INDICATORS)
    economies = economies or list(ext.COUNTRIES)
    values = {(r.indicator, r.iso3, int(r.year)): float(r.value) for r in frame.itertuples()}
    rows = []
    for code in indicators:
        for iso3 in economies:
            for year in range(2000, 2026):
                rows.append({"variable": [
                    {"concept": "Series", "id": code, "value": ext.WDI_INDICATORS[code].title},
                    {"concept": "Country", "id": iso3, "value": ext.COUNTRIES[iso3]},
                    {"concept": "Time", "id": f"YR{year}", "value": str(year)}],
                    "value": values.get((code, iso3, year))})
    pages = [rows[i:i + per_page] for i in range(0, len(rows), per_page)]
    return [{"page": n + 1, "pages": len(pages), "per_page": per_page,
             "lastupdated": vintage, "total": len(rows),
             "source": {"id": "2", "name": "World Development Indicators", "data": page}}
            for n, page in enumerate(pages)]


STATIC = {"sources/2": "source_2.json", "sources/2/concepts": "concepts.json",
          "sources/2/time/all": "time_all.json", "region": "region.json",
          "incomelevel": "incomelevel.json", "lendingtype": "lendingtype.json",
          "country/all": "country_all.json"}


def serve(mock: responses.RequestsMock, pages: list[dict], source: object = None,
          seen: list[str] | None = None) -> None:
    """Answer every wbgapi request from the fixtures; an unexpected URL gets a 404."""
    def answer(request):
        url = urlparse(request.url)
        path = re.sub(r"^/v2/en/", "", url.path)
        if seen is not None:
            seen.append(path)
        if path.startswith("sources/2/series/"):
            page = int(parse_qs(url.query)["page"][0])
            return 200, {}, json.dumps(pages[page - 1])
        if path == "sources/2" and source is not None:
            return 200, {}, json.dumps(source)
        if path in STATIC:
            return 200, {}, (FIXTURES / STATIC[path]).read_text(encoding="utf-8")
        return 404, {}, "not in the fixtures"

    mock.add_callback(responses.GET, re.compile(r"https://api\.worldbank\.org/v2/.*"),
                      callback=answer)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- the guard itself -----------------------------------------------------------------


def test_the_network_guard_bites():
    with pytest.raises(NetworkBlocked):
        socket.socket()
    with pytest.raises(NetworkBlocked):
        requests.get("https://api.worldbank.org/v2/sources/2", timeout=1)


def test_an_unserved_refresh_cannot_reach_the_network(folder):
    with pytest.raises(NetworkBlocked):
        worldbank.refresh(folder, TODAY)


# --- a complete refresh ---------------------------------------------------------------


def test_refresh_rewrites_wdi_with_the_new_vintage(folder):
    old_source = ext.source_of("wdi", folder)
    old_gdp = ext.load("wdi", folder)
    old_gdp = old_gdp[old_gdp["indicator"] == "NY.GDP.MKTP.CD"].reset_index(drop=True)
    seen: list[str] = []
    with responses.RequestsMock() as mock:
        serve(mock, data_pages(current_with_revisions()), seen=seen)
        vintage, written = worldbank.refresh(folder, TODAY)
    assert vintage == NEW_VINTAGE
    assert {p.name for p in written} == {"wdi.csv", "wdi_gdp_earlier.csv", "datapackage.json"}
    assert ext.problems(folder) == []
    new = ext.load("wdi", folder).set_index(["indicator", "iso3", "year"])["value"]
    old = old_gdp.set_index(["indicator", "iso3", "year"])["value"]
    key = ("NY.GDP.MKTP.CD", "TUR", 2023)
    assert new[key] == pytest.approx(old[key] * 1.01)
    source = ext.source_of("wdi", folder)
    assert source["vintage"] == NEW_VINTAGE and source["retrieved"] == TODAY.isoformat()
    assert source["client"] == f"wbgapi {wbgapi.__version__}" and len(source["sha256"]) == 64
    # the replaced vintage becomes the earlier one, with its own provenance
    earlier = ext.load("wdi_gdp_earlier", folder)
    pd.testing.assert_frame_equal(earlier, old_gdp)
    assert ext.source_of("wdi_gdp_earlier", folder) == old_source
    # the whole data set came in 4 pages of 1 000 (16 × 9 × 26 = 3 744 cells)
    assert sum(p.startswith("sources/2/series/") for p in seen) == 4


def test_refresh_with_an_unchanged_vintage_keeps_the_earlier_one(folder):
    before = (folder / "wdi_gdp_earlier.csv").read_bytes()
    current = ext.source_of("wdi", folder)["vintage"]
    source = _fixture("source_2.json")
    source[1][0]["lastupdated"] = current  # type: ignore[index]
    with responses.RequestsMock() as mock:
        serve(mock, data_pages(ext.load("wdi", folder), vintage=current), source=source)
        worldbank.refresh(folder, TODAY)
    assert (folder / "wdi_gdp_earlier.csv").read_bytes() == before
    assert (folder / "wdi.csv").read_bytes() == (config.ROOT / "data" / "external" /
                                                  "wdi.csv").read_bytes()
    assert ext.problems(folder) == []


# --- partial answers, errors, offline --------------------------------------------------


def test_an_answer_without_an_economy_replaces_nothing(folder):
    before = snapshot(folder)
    frame = current_with_revisions()
    with responses.RequestsMock() as mock:
        serve(mock, data_pages(frame[frame["iso3"] != "KGZ"]))
        with pytest.raises(worldbank.RefreshError, match=r"partial.*economy KGZ"):
            worldbank.refresh(folder, TODAY)
    assert snapshot(folder) == before


def test_an_answer_missing_observations_replaces_nothing(folder):
    before = snapshot(folder)
    frame = current_with_revisions()
    gone = (frame["indicator"] == "SP.POP.TOTL") & (frame["iso3"] == "TUR") & (
        frame["year"] >= 2020)
    with responses.RequestsMock() as mock:
        serve(mock, data_pages(frame[~gone]))
        with pytest.raises(worldbank.RefreshError,
                           match=r"observation\(s\) of the current file \(SP.POP.TOTL TUR 2020"):
            worldbank.refresh(folder, TODAY)
    assert snapshot(folder) == before


def test_missing_checks_indicators_economies_and_observations():
    current = pd.DataFrame({"indicator": ["A", "A"], "iso3": ["KAZ", "KAZ"],
                            "year": [2020, 2021]})
    new = current.iloc[:1].astype({"year": str})
    gaps = worldbank.missing(current, new, ["A", "B"], ["KAZ", "TUR"])
    assert gaps == ["indicator B", "economy TUR", "1 observation(s) of the current file "
                    "(A KAZ 2021)"]
    assert worldbank.missing(current, current, ["A"], ["KAZ"]) == []


def test_offline_fails_with_a_clear_message(folder):
    before = snapshot(folder)
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, re.compile(r"https://api\.worldbank\.org/.*"),
                 body=requests.exceptions.ConnectionError(
                     "Failed to resolve 'api.worldbank.org' (Temporary failure in name "
                     "resolution)"))
        with pytest.raises(worldbank.RefreshError) as info:
            worldbank.refresh(folder, TODAY)
    message = str(info.value)
    assert "cannot reach the World Bank API" in message and "needs network access" in message
    assert "unchanged" in message
    assert snapshot(folder) == before


def test_an_api_error_fails_clearly(folder):
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, re.compile(r"https://api\.worldbank\.org/.*"), status=503)
        with pytest.raises(worldbank.RefreshError, match="refused the request"):
            worldbank.refresh(folder, TODAY)


def test_a_source_without_a_vintage_is_refused(folder):
    source = _fixture("source_2.json")
    source[1][0]["lastupdated"] = ""  # type: ignore[index]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        serve(mock, data_pages(current_with_revisions()), source=source)
        with pytest.raises(worldbank.RefreshError, match="no 'lastupdated'"):
            worldbank.refresh(folder, TODAY)


def test_an_unknown_economy_in_the_answer_is_bad_data(folder):
    pages = data_pages(current_with_revisions())
    pages[0]["source"]["data"][0]["variable"][1]["id"] = "XXX"
    pages[0]["source"]["data"][0]["value"] = 1.0
    with responses.RequestsMock() as mock:
        serve(mock, pages)
        with pytest.raises(ext.DataError, match=r"World Bank API's answer, line \d+, column "
                                                r"'iso3'.*got 'XXX'"):
            worldbank.refresh(folder, TODAY)


def test_the_command_reports_offline_and_exits_1(folder, monkeypatch, capsys):
    from analysis.run import cli

    monkeypatch.setattr(ext, "external_dir", lambda: folder)
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, re.compile(r"https://api\.worldbank\.org/.*"),
                 body=requests.exceptions.ConnectionError("no route to host"))
        assert cli.main(["external", "refresh"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kaztur external refresh: cannot reach the World Bank API")


# ======================================================================================
# The trade series: UN Comtrade (public preview) and WITS, on answers written in their
# documented formats (tests/fixtures/comtrade/, tests/fixtures/wits/); never the network.
# ======================================================================================

from analysis.data import official_trade as trade  # noqa: E402
from analysis.data import trade_refresh  # noqa: E402

COMTRADE_FIXTURES = Path(__file__).parent / "fixtures" / "comtrade"
WITS_FIXTURES = Path(__file__).parent / "fixtures" / "wits"
COMTRADE_URL = re.compile(r"https://comtradeapi\.un\.org/public/v1/preview/C/A/HS.*")
WITS_URL = re.compile(r"https://wits\.worldbank\.org/API/V1/SDMX/V21/datasource/"
                      r"tradestats-trade/.*")


def committed_series(series: str) -> dict[tuple[str, int], float]:
    table = ext.load("kz_tr_trade")
    part = table[table["series"] == series]
    return {(f, int(y)): float(v) for f, y, v in zip(part["flow"], part["year"],
                                                     part["value_usd"], strict=True)}


def comtrade_answer(values: dict[tuple[str, int], float], extra: list[dict] | None = None
                    ) -> dict:
    """The preview's answer: one record per flow and year, from the documented record."""
    template = json.loads((COMTRADE_FIXTURES / "preview_record.json").read_text("utf-8"))
    data = []
    for (flow, year), value in sorted(values.items()):
        record = dict(template, refYear=year, period=str(year), refPeriodId=year * 10000 + 101,
                      flowCode={"import": "M", "export": "X"}[flow],
                      primaryValue=value, cifvalue=value)
        data.append(record)
    data += extra or []
    return {"elapsedTime": "0.12 secs", "count": len(data), "data": data, "error": ""}


def wits_answer(flow: str, values: dict[tuple[str, int], float]) -> dict:
    """The WITS SDMX-JSON message of one indicator, values in thousand US dollars."""
    body = json.loads((WITS_FIXTURES / "tradestats_trade.json").read_text("utf-8"))
    indicator = trade_refresh.WITS_INDICATORS[flow]
    body["structure"]["dimensions"]["series"][4]["values"] = [
        {"id": indicator, "name": f"{flow.title()} Trade Value (US$ Thousand)"}]
    years = sorted(y for f, y in values if f == flow)
    body["structure"]["dimensions"]["observation"][0]["values"] = [
        {"id": str(y), "name": str(y)} for y in years]
    body["dataSets"][0]["series"]["0:0:0:0:0"]["observations"] = {
        str(i): [values[(flow, y)] / 1000, 0] for i, y in enumerate(years)}
    return body


def serve_trade(mock: responses.RequestsMock, comtrade: dict | None, wits: dict | None,
                seen: list[str] | None = None) -> None:
    """Answer the Comtrade preview and WITS from the given answers (None: not served)."""
    def answer_comtrade(request):
        if seen is not None:
            seen.append(request.url)
        return 200, {}, json.dumps(comtrade)

    def answer_wits(request):
        if seen is not None:
            seen.append(request.url)
        flow = "export" if "XPRT-TRD-VL" in request.url else "import"
        return 200, {}, json.dumps(wits[flow])  # type: ignore[index]

    if comtrade is not None:
        mock.add_callback(responses.GET, COMTRADE_URL, callback=answer_comtrade)
    if wits is not None:
        mock.add_callback(responses.GET, WITS_URL, callback=answer_wits)


def revised() -> tuple[dict, dict]:
    """The committed preview and WITS values, with a new vintage: the preview's 2023
    imports up 2 %, WITS a year longer (its last year repeated) and its 2020 exports up 1 %."""
    preview = committed_series(trade.PREVIEW)
    last = max(y for _, y in preview)
    preview[("import", last - 2)] *= 1.02
    wits = committed_series(trade.WITS)
    end = max(y for _, y in wits)
    for flow in ("export", "import"):
        wits[(flow, end + 1)] = wits[(flow, end)]
    wits[("export", 2020)] *= 1.01
    return preview, wits


def test_a_complete_trade_refresh_replaces_the_two_series_and_keeps_bns(folder):
    before = ext.load("kz_tr_trade", folder)
    preview, wits = revised()
    breakdown = dict(json.loads((COMTRADE_FIXTURES / "preview_record.json").read_text("utf-8")),
                     customsCode="C01", primaryValue=1.0)  # not the total: ignored
    seen: list[str] = []
    with responses.RequestsMock() as mock:
        serve_trade(mock, comtrade_answer(preview, [breakdown]),
                    {f: wits_answer(f, wits) for f in ("export", "import")}, seen)
        series, written = trade_refresh.refresh(folder, TODAY)
    assert series == [trade.PREVIEW, trade.WITS]
    assert {p.name for p in written} == {"kz_tr_trade.csv", "datapackage.json"}
    assert ext.problems(folder) == []
    after = ext.load("kz_tr_trade", folder)
    # BNS has no API: its rows are exactly as they were
    pd.testing.assert_frame_equal(after[after["series"] == trade.BNS].reset_index(drop=True),
                                  before[before["series"] == trade.BNS].reset_index(drop=True))
    assert committed_series_of(after, trade.PREVIEW) == pytest.approx(preview)
    assert committed_series_of(after, trade.WITS) == pytest.approx(wits)
    api = after[after["series"] != trade.BNS]
    assert set(api["source_repo"]) == {""} and set(api["source_commit"]) == {""}
    assert set(api["edition"]) == {"unknown"}
    assert set(api[api["series"] == trade.WITS]["unit_in_source"]) == {"thousand USD"}
    assert set(api[api["series"] == trade.PREVIEW]["unit_in_source"]) == {"USD"}
    # the requests: the preview without a key, one WITS request per flow
    comtrade = [parse_qs(urlparse(u).query) for u in seen if "comtradeapi" in u]
    assert len(comtrade) == 1
    q = {k: v[0] for k, v in comtrade[0].items()}
    assert (q["reporterCode"], q["partnerCode"], q["flowCode"], q["cmdCode"]) == (
        "398", "792", "M", "TOTAL")
    assert q["period"] == ",".join(str(y) for y in range(2015, TODAY.year))
    assert not [k for k in q if "key" in k.lower()]
    witsurls = sorted(u for u in seen if "wits" in u)
    assert len(witsurls) == 2 and all("/reporter/kaz/" in u and "/partner/tur/product/Total/"
                                      in u and "format=JSON" in u for u in witsurls)
    sources = [e for e in ext.descriptor(folder)["resources"]
               if e["name"] == "kz_tr_trade"][0]["sources"]
    assert sources[0]["sha256"] == ext.source_of("kz_tr_trade")["sha256"]  # the snapshot
    assert "come from the API answers" in sources[0]["superseded"]
    api_sources = {s["series"]: s for s in sources[1:]}
    assert set(api_sources) == {trade.PREVIEW, trade.WITS}
    assert all(s["retrieved"] == TODAY.isoformat() and len(s["sha256"]) == 64
               for s in api_sources.values())


def committed_series_of(frame: pd.DataFrame, series: str) -> dict[tuple[str, int], float]:
    part = frame[frame["series"] == series]
    return {(f, int(y)): float(v) for f, y, v in zip(part["flow"], part["year"],
                                                     part["value_usd"], strict=True)}


def test_wits_thousands_become_dollars_exactly():
    body = wits_answer("export", {("export", 2015): 0.0})
    body["dataSets"][0]["series"]["0:0:0:0:0"]["observations"] = {"0": [1275573.274, 0]}
    rows = trade_refresh.wits_rows(body, "export", "https://x")
    assert rows[["year", "value_usd", "unit_in_source"]].values.tolist() == [
        ["2015", "1275573274.0", "thousand USD"]]
    # another indicator or partner in the message is not this series
    body["structure"]["dimensions"]["series"][2]["values"] = [{"id": "WLD", "name": "World"}]
    assert trade_refresh.wits_rows(body, "export", "https://x").empty


def test_comtrade_params_by_hand():
    assert trade_refresh.comtrade_params(["import"], [2022, 2023]) == {
        "reporterCode": "398", "partnerCode": "792", "partner2Code": "0", "flowCode": "M",
        "cmdCode": "TOTAL", "customsCode": "C00", "motCode": "0", "period": "2022,2023",
        "includeDesc": "false"}
    assert trade_refresh.request_span(trade.PREVIEW, TODAY) == (
        ["import"], list(range(2015, 2026)))


def test_a_partial_trade_answer_replaces_nothing(folder):
    before = snapshot(folder)
    preview, wits = revised()
    del preview[("import", 2019)]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        serve_trade(mock, comtrade_answer(preview),
                    {f: wits_answer(f, wits) for f in ("export", "import")})
        with pytest.raises(trade_refresh.RefreshError,
                           match=r"answer for UN-Comtrade-preview is partial \(missing: "
                                 r"import 2019\); nothing was replaced"):
            trade_refresh.refresh(folder, TODAY)
    assert snapshot(folder) == before


def test_two_totals_for_one_year_are_refused():
    preview = {("import", 2020): 5.0}
    body = comtrade_answer(preview)
    body["data"].append(dict(body["data"][0], primaryValue=6.0))
    with pytest.raises(trade_refresh.RefreshError, match="two totals for import 2020"):
        trade_refresh.comtrade_rows(body, "https://x")


@pytest.mark.parametrize("body, expected", [
    ({"elapsedTime": "0", "count": 0}, "not in its documented format \\(no 'data' list\\)"),
    ({"data": [], "error": "Invalid reporterCode"}, "answered with an error: Invalid"),
    ({"data": [{"reporterCode": 398, "partnerCode": 792, "cmdCode": "TOTAL",
                "flowCode": "M", "refYear": 2020}]}, "without flowCode M/X, refYear or "
                                                      "primaryValue"),
])
def test_a_comtrade_answer_out_of_format_is_refused(body, expected):
    with pytest.raises(trade_refresh.RefreshError, match=expected):
        trade_refresh.comtrade_rows(body, "https://x")


def test_a_wits_answer_out_of_format_is_refused():
    with pytest.raises(trade_refresh.RefreshError, match="WITS's answer is not in its "
                                                        "documented format"):
        trade_refresh.wits_rows({"dataSets": []}, "export", "https://x")


def test_trade_refresh_offline_fails_clearly(folder):
    before = snapshot(folder)
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, COMTRADE_URL, body=requests.exceptions.ConnectionError(
            "Failed to resolve 'comtradeapi.un.org'"))
        with pytest.raises(trade_refresh.RefreshError) as info:
            trade_refresh.refresh(folder, TODAY)
    assert str(info.value).startswith("cannot reach UN Comtrade (public preview)")
    assert "needs network access; data/external/ is unchanged" in str(info.value)
    assert snapshot(folder) == before


def test_a_rate_limited_comtrade_answer_fails_with_its_message(folder):
    body = (COMTRADE_FIXTURES / "error_rate_limit.json").read_text("utf-8")
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, COMTRADE_URL, status=429, body=body)
        with pytest.raises(trade_refresh.RefreshError,
                           match=r"refused the request .*HTTP 429: Rate limit is exceeded"):
            trade_refresh.refresh(folder, TODAY, series=[trade.PREVIEW])


def test_an_unserved_trade_refresh_cannot_reach_the_network(folder):
    with pytest.raises(NetworkBlocked):
        trade_refresh.refresh(folder, TODAY, series=[trade.WITS])


def test_the_command_refreshes_each_source_on_its_own(folder, monkeypatch, capsys):
    from analysis.run import cli

    monkeypatch.setattr(ext, "external_dir", lambda: folder)
    monkeypatch.setattr(trade_refresh.dt, "datetime", _Frozen)
    preview, wits = revised()
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, re.compile(r"https://api\.worldbank\.org/.*"),
                 body=requests.exceptions.ConnectionError("no route to host"))
        serve_trade(mock, comtrade_answer(preview),
                    {f: wits_answer(f, wits) for f in ("export", "import")})
        assert cli.main(["external", "refresh"]) == 1   # WDI failed, trade refreshed
    out, err = capsys.readouterr()
    assert err.startswith("kaztur external refresh: cannot reach the World Bank API")
    assert "trade series UN-Comtrade-preview, WITS-TradeStats" in out
    assert ext.problems(folder) == []
    assert cli.main(["external", "refresh", "nonsense"]) == 2


class _Frozen(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2026, 10, 1, tzinfo=tz)
