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
