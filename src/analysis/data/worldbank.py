"""``kaztur external refresh``: the same WDI indicators, fetched anew from the World Bank API.

Client: `wbgapi <https://pypi.org/project/wbgapi/>`_ (MIT). It queries one World Bank
database at a time through the API's ``sources/{db}/series/…/country/…/time/…`` endpoints,
so WDI (database 2) is asked for explicitly and its ``lastupdated`` date is the vintage; it
needs only ``requests``, ``PyYAML`` and ``tabulate`` and keeps no cache on disk, so a refresh
always sees the API's current vintage. (``wbdata`` was the alternative: it caches responses
on disk for days by default, pins old versions of its dependencies and is GPL-licensed.)

A refresh replaces ``wdi.csv`` only when the answer is complete: every indicator and
economy asked for, and every observation the current file holds. A partial answer, an
unreachable API or an API error leaves ``data/external/`` untouched and says why. When the
vintage is new, the GDP series of the vintage being replaced moves to
``wdi_gdp_earlier.csv`` (with its provenance), so the vintage comparison always sets the
two latest vintages side by side.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import requests
import wbgapi  # type: ignore[import-untyped]

from analysis.data import official as ext
from analysis.data import snapshots

WDI_DB = 2
API_URL = f"{wbgapi.endpoint}/sources/{WDI_DB}"
YEARS = (2000, 2025)
TIMEOUT_S = 60
GDP = "NY.GDP.MKTP.CD"


class RefreshError(RuntimeError):
    """The refresh could not be completed; nothing was written."""


@dataclass(frozen=True)
class Fetched:
    frame: pd.DataFrame       # indicator, iso3, year, value (text, sorted)
    vintage: str              # WDI's lastupdated date
    digest: str               # sha256 of the fetched observations as canonical JSON


def _call(what: str, function: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a wbgapi call, turning network and API failures into a :class:`RefreshError`."""
    options = dict(wbgapi.get_options)
    wbgapi.get_options = {**options, "timeout": TIMEOUT_S}
    try:
        return function(*args, **kwargs)
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        raise RefreshError(
            f"cannot reach the World Bank API ({wbgapi.endpoint}) while fetching {what}: "
            f"{exc.__class__.__name__}: {exc}. `kaztur external refresh` needs network "
            "access; data/external/ is unchanged (the committed vintage stays in use).") from None
    except wbgapi.APIError as exc:
        raise RefreshError(f"the World Bank API refused the request for {what}: {exc}; "
                           "data/external/ is unchanged.") from None
    finally:
        wbgapi.get_options = options


def fetch(indicators: Sequence[str], economies: Sequence[str],
          years: tuple[int, int] = YEARS) -> Fetched:
    """Every observation of ``indicators`` × ``economies`` × ``years`` in WDI, and WDI's
    vintage. Raises :class:`RefreshError` when the API cannot be reached or answers badly."""
    source = _call("the WDI vintage", wbgapi.source.get, WDI_DB) or {}
    vintage = str(source.get("lastupdated") or "").strip()
    if not vintage:
        raise RefreshError("the World Bank API gave no 'lastupdated' date for WDI; without "
                           "a vintage nothing is written.")
    rows = _call("the WDI observations", lambda: list(wbgapi.data.fetch(
        list(indicators), list(economies), time=range(years[0], years[1] + 1),
        skipBlanks=True, numericTimeKeys=True, db=WDI_DB)))
    records = sorted((str(r["series"]), str(r["economy"]), int(r["time"]), float(r["value"]))
                     for r in rows)
    digest = hashlib.sha256(json.dumps(records, separators=(",", ":")).encode()).hexdigest()
    frame = pd.DataFrame(records, columns=["indicator", "iso3", "year", "value"])
    return Fetched(frame.astype({"year": str}).assign(value=frame["value"].map(repr)),
                   vintage, digest)


def missing(current: pd.DataFrame, new: pd.DataFrame, indicators: Iterable[str],
            economies: Iterable[str]) -> list[str]:
    """What the new answer lacks: indicators, economies, or observations the current file
    has. Empty means the answer is complete."""
    gaps = [f"indicator {c}" for c in indicators if c not in set(new["indicator"])]
    gaps += [f"economy {c}" for c in economies if c not in set(new["iso3"])]
    have = set(zip(new["indicator"], new["iso3"], new["year"].astype(int), strict=True))
    lost = sorted(k for k in zip(current["indicator"], current["iso3"],
                                 current["year"].astype(int), strict=True) if k not in have)
    if lost:
        shown = ", ".join(f"{i} {c} {y}" for i, c, y in lost[:5])
        gaps.append(f"{len(lost)} observation(s) of the current file ({shown}"
                    f"{', …' if len(lost) > 5 else ''})")
    return gaps


def _api_source(vintage: str, digest: str, today: dt.date) -> dict[str, str]:
    return {"title": "World Development Indicators", "publisher": "World Bank",
            "url": API_URL, "client": f"wbgapi {wbgapi.__version__}", "vintage": vintage,
            "retrieved": today.isoformat(), "licence": "CC-BY-4.0",
            "attribution": "World Bank, World Development Indicators (CC BY 4.0)",
            "sha256": digest,
            "sha256_of": "the fetched observations as canonical JSON (sorted rows)"}


def plan(fetched: Fetched, folder: Path, today: dt.date) -> dict[str, str]:
    """The files a refresh writes (name → text), after checking the answer is complete."""
    current = ext.load("wdi", folder)
    answer = fetched.frame.assign(_line=range(2, len(fetched.frame) + 2),
                                  country_name=fetched.frame["iso3"].map(ext.COUNTRIES))
    new = snapshots.tidy("wdi", answer.fillna(""), Path("the World Bank API's answer"))
    codes, economies = list(ext.WDI_INDICATORS), list(ext.COUNTRIES)
    gaps = missing(current, fetched.frame, codes, economies)
    if gaps:
        raise RefreshError("the World Bank API's answer is partial (missing: "
                           + "; ".join(gaps) + "); nothing was replaced.")
    entries = {e["name"]: e for e in ext.descriptor(folder)["resources"]}
    files = {ext.RESOURCES["wdi"].path: snapshots.csv_text(new)}
    entries["wdi"] = snapshots.resource_entry(
        "wdi", new, files["wdi.csv"], _api_source(fetched.vintage, fetched.digest, today))
    old_source = ext.source_of("wdi", folder)
    if str(old_source["vintage"]) != fetched.vintage:
        # the vintage being replaced becomes the earlier one of the vintage comparison
        earlier = current[current["indicator"] == GDP].reset_index(drop=True)
        earlier = earlier.astype({"year": str}).assign(value=earlier["value"].map(repr))
        name = ext.RESOURCES["wdi_gdp_earlier"].path
        files[name] = snapshots.csv_text(earlier)
        entries["wdi_gdp_earlier"] = snapshots.resource_entry(
            "wdi_gdp_earlier", earlier, files[name], old_source)
    files[ext.DESCRIPTOR] = snapshots.descriptor_text(list(entries.values()))
    return files


def refresh(folder: Path | None = None, today: dt.date | None = None) -> tuple[str, list[Path]]:
    """Fetch, check, and replace the WDI files of ``folder``; return (vintage, paths)."""
    folder = folder or ext.external_dir()
    fetched = fetch(list(ext.WDI_INDICATORS), list(ext.COUNTRIES))
    files = plan(fetched, folder, today or dt.datetime.now(dt.UTC).date())
    return fetched.vintage, snapshots.replace_files(folder, files)
