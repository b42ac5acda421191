"""``kaztur external build``: the tidy files of ``data/external/`` from upstream snapshots.

The snapshots in ``../shared/external/`` are extracts of public sources (see its README);
they are not part of the repository and a user's clone does not have them. The build checks
each snapshot against the sha256 recorded here (the snapshot the package was built from),
its columns, units and country codes, reshapes it into the tidy form of
:data:`analysis.data.official.RESOURCES`, and writes every file plus
``datapackage.json`` (source, URL, repository and commit, vintage, licence, the snapshot's
sha256, units). Nothing is written unless every snapshot passes, and each file is replaced
by a rename, so a failed build leaves the committed files as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis.data import official as ext
from analysis.data import official_trade as trade
from analysis.data.io import read_csv_text, sha256_file, table_to_csv_text
from analysis.errors import DataError, Problem, rel

SNAPSHOT_ENV = "KAZTUR_EXTERNAL_SNAPSHOTS"


def snapshot_dir() -> Path:
    """``$KAZTUR_EXTERNAL_SNAPSHOTS``, else ``../shared/external/`` beside the checkout."""
    env = os.environ.get(SNAPSHOT_ENV)
    return Path(env) if env else config.ROOT.parent / "shared" / "external"


@dataclass(frozen=True)
class Snapshot:
    """One upstream extract and what the package knows about it."""

    resource: str
    file: str
    sha256: str
    columns: tuple[str, ...]
    source: Mapping[str, str]
    # data rows of the tidy file derived from it: its declared completeness (a file that
    # records this snapshot as its source must hold all of them)
    rows: int | None = None


_WDI_COLUMNS = ("indicator", "country_name", "iso3", "year", "value")

SNAPSHOTS: dict[str, Snapshot] = {s.resource: s for s in (
    Snapshot("wdi", "wdi_ots_2000_2025.csv",
             "ef7957f539b7b151046924040055d3d4ef150645aa432599e9b5fe60657c7ab7", _WDI_COLUMNS,
             {"title": "World Development Indicators", "publisher": "World Bank",
              "url": "https://github.com/datasets/world-development-indicators",
              "repository": "datasets/world-development-indicators",
              "files": "indicators/<code>/data.csv",
              "commit": "4ebec5a2273f531ba238a34dbe440394dc5a6c4b", "vintage": "2026-07-01",
              "licence": "CC-BY-4.0",
              "attribution": "World Bank, World Development Indicators (CC BY 4.0)"},
             rows=3574),
    Snapshot("wdi_gdp_earlier", "datasets_gdp_vintage_2026-03.csv",
             "3262e0b391bd269daab7264d664178df4ac2c9e285835f2b4dcd0d59af236e61", _WDI_COLUMNS,
             {"title": "GDP (current US$), World Bank, an earlier vintage",
              "publisher": "World Bank", "url": "https://github.com/datasets/gdp",
              "repository": "datasets/gdp", "files": "data/gdp.csv",
              "commit": "822019c80142c162e4ca4eb1a63699ae36075078", "vintage": "2026-03-20",
              "licence": "ODC-PDDL-1.0",
              "attribution": "World Bank GDP via the datasets/gdp package (ODC-PDDL 1.0)"},
             rows=216),
    Snapshot("energy_institute", "ei_statreview_2026_extract.csv",
             "33f5c0b0796ff7b23986e16ae6ca54977d03ffcc4a4883f27525dec616a8aaba",
             ("table", "unit", "entity", "year", "value"),
             {"title": "Statistical Review of World Energy 2026", "publisher":
              "Energy Institute",
              "url": "https://github.com/hall-brad/energy-statistical-review-dashboard",
              "repository": "hall-brad/energy-statistical-review-dashboard",
              "files": "ei_data.json", "commit": "4803eba5eddf7e52b4deb0d117dda9abf0388e8c",
              "vintage": "2026 edition (proved reserves to end-2020)",
              "licence": "Data © Energy Institute; cite \"Energy Institute Statistical "
                         "Review of World Energy (2026)\"",
              "attribution": "Energy Institute Statistical Review of World Energy (2026)"},
             rows=1136),
    Snapshot("kz_tr_official", "kz_tr_official_figures_reported.csv",
             "3fe5e0a2b9c0d42c1d4f771571a25428ecbd074b30572b9b7825c7f46a81fdc0",
             ("year", "quantity", "value_usd_million", "qualifier", "side", "attributed_to",
              "source_url", "note"),
             {"title": "Kazakhstan–Türkiye trade and Turkish FDI figures stated by "
                       "officials, as reported in the press",
              "publisher": "Kazakh and Turkish officials (Prime Minister's office, Foreign "
                           "Ministry, Presidents) via the press",
              "url": "one source URL per row (column source_url)",
              "licence": "facts with citation (cite the source_url of each row)",
              "attribution": "each row's source_url"},
             rows=18),
    Snapshot("kz_tr_trade", "kz_tr_trade_kz_reporter.csv",
             "a7ec4d50722627c884a35ecd8cc2e4102775c0197c988751b8b3b6a912c56615",
             ("series", "reporter", "partner", "flow", "year", "value_usd", "unit_in_source",
              "source_repo", "source_path", "source_commit"),
             {"title": "Kazakhstan's goods trade with Türkiye as reported by Kazakhstan: "
                       "BNS table 312101, UN Comtrade via WITS, UN Comtrade preview",
              "publisher": "Bureau of National Statistics of the Republic of Kazakhstan; "
                           "World Bank WITS; UN Statistics Division (UN Comtrade)",
              "url": "https://github.com/makenerzhan-gif/kazakhstan-economic-data",
              "repository": "makenerzhan-gif/kazakhstan-economic-data",
              "files": "data/processed/dims/*.csv (file and commit in each row; the "
                       "repository's metadata/ names the original tables and editions)",
              "licence": "official statistics, cited as facts; the repository states no "
                         "licence, so cite the original tables (BNS 312101; WITS; UN "
                         "Comtrade), not the repository's files",
              "attribution": "Bureau of National Statistics of the Republic of Kazakhstan, "
                             "table 312101; World Bank WITS (UN Comtrade data); UN Comtrade"},
             rows=41),
)}

#: WDI's country names of the snapshot, which must agree with the code.
_EI_ENTITIES = {"Azerbaijan": "AZE", "Hungary": "HUN", "Kazakhstan": "KAZ",
                "Russian Federation": "RUS", "Turkmenistan": "TKM", "Türkiye": "TUR",
                "Uzbekistan": "UZB", "Total World": "WLD"}
#: snapshot quantity -> (quantity, months, span of years it covers or None for one year)
_OFFICIAL_QUANTITY = {
    "trade_turnover": ("trade_turnover", 12), "exports_kz_to_tr": ("exports_kz_to_tr", 12),
    "imports_kz_from_tr": ("imports_kz_from_tr", 12),
    "fdi_tr_to_kz_gross_inflow": ("fdi_tr_to_kz_gross_inflow", 12),
    "fdi_tr_to_kz_gross_inflow_9m": ("fdi_tr_to_kz_gross_inflow", 9),
    "fdi_tr_to_kz_cumulative_15y": ("fdi_tr_to_kz_cumulative", 12),
}
_QUALIFIER = {"approx": "approx", "more than": "more_than", "exact": "exact"}
#: Per trade series, the original table and its edition as the snapshot's README states
#: them ("each year from its final July edition" for BNS; nothing for the other two).
_TRADE_ORIGIN: dict[str, tuple[str, str]] = {
    trade.BNS: ("BNS table 312101, main indicators of foreign trade by country",
                "final July edition"),
    trade.WITS: ("WITS TradeStats-Trade (UN Comtrade data), reporter Kazakhstan, partner "
                 "Türkiye, all products", "unknown"),
    trade.PREVIEW: ("UN Comtrade preview, reporter 398, partner 792, flow M, commodity TOTAL",
                    "unknown"),
}
_SIDE = re.compile(r"^(KZ|TR)\s*\((.+)\)$")
_STATED = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
_YEARS = re.compile(r"^(\d{4})(?:[-–](\d{4}))?$")


# ---------------------------------------------------------------------------------------
# Snapshot → tidy frame (text), one function per snapshot
# ---------------------------------------------------------------------------------------


def _bad(path: Path, line: int, column: str, expected: str, got: str) -> Problem:
    return Problem(rel(path), line, column, expected, got)


def _wdi(frame: pd.DataFrame, path: Path, gdp_only: bool = False) -> pd.DataFrame:
    problems = []
    allowed = ["NY.GDP.MKTP.CD"] if gdp_only else list(ext.WDI_INDICATORS)
    for _, r in frame.iterrows():
        line = int(r["_line"])
        if r["indicator"] not in allowed:
            problems.append(_bad(path, line, "indicator", f"one of {', '.join(allowed)}",
                                 r["indicator"]))
        name = ext.COUNTRIES.get(r["iso3"])
        if name is None:
            problems.append(_bad(path, line, "iso3", "a country code of "
                                 f"{', '.join(ext.COUNTRIES)}", r["iso3"]))
        elif r["country_name"] != name:
            problems.append(_bad(path, line, "country_name", f"{name!r} for {r['iso3']}",
                                 r["country_name"]))
    if problems:
        raise DataError(problems)
    out = frame[["_line", "indicator", "iso3", "year", "value"]].copy()
    out["unit"] = out["indicator"].map(lambda c: ext.WDI_INDICATORS[c].unit)
    return out


def _energy(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    by_table = {v[0]: (k, v[1], v[2]) for k, v in ext.EI_SERIES.items()}
    problems = []
    for _, r in frame.iterrows():
        line = int(r["_line"])
        known = by_table.get(r["table"])
        if known is None:
            problems.append(_bad(path, line, "table", f"one of {', '.join(by_table)}",
                                 r["table"]))
        elif r["unit"] != known[1]:
            problems.append(_bad(path, line, "unit", f"{known[1]!r} for {r['table']}",
                                 r["unit"]))
        if r["entity"] not in _EI_ENTITIES:
            problems.append(_bad(path, line, "entity", f"one of {', '.join(_EI_ENTITIES)}",
                                 r["entity"]))
    if problems:
        raise DataError(problems)
    return pd.DataFrame({
        "_line": frame["_line"], "series": frame["table"].map(lambda t: by_table[t][0]),
        "iso3": frame["entity"].map(_EI_ENTITIES), "year": frame["year"],
        "value": frame["value"], "unit": frame["table"].map(lambda t: by_table[t][2])})


def _official_row(r: pd.Series, path: Path, previous: dict[str, str]) -> dict[str, Any]:
    line = int(r["_line"])
    problems = []
    quantity = _OFFICIAL_QUANTITY.get(r["quantity"])
    if quantity is None:
        problems.append(_bad(path, line, "quantity", f"one of {', '.join(_OFFICIAL_QUANTITY)}",
                             r["quantity"]))
    years = _YEARS.match(r["year"].strip())
    if years is None:
        problems.append(_bad(path, line, "year", "a year or a span such as 2007-2021",
                             r["year"]))
    side = _SIDE.match(r["side"].strip())
    if side is None:
        problems.append(_bad(path, line, "side", "KZ (office) or TR (office)", r["side"]))
    if r["qualifier"] not in _QUALIFIER:
        problems.append(_bad(path, line, "qualifier", f"one of {', '.join(_QUALIFIER)}",
                             r["qualifier"]))
    if problems:
        raise DataError(problems)
    assert quantity is not None and years is not None and side is not None
    attributed = r["attributed_to"].strip()
    if attributed == "same":  # "same" as the previous row from the same report
        attributed = previous.get(r["source_url"], "")
        if not attributed:
            raise DataError(_bad(path, line, "attributed_to",
                                 "a speaker, or 'same' after a row with the same source_url",
                                 r["attributed_to"]))
    previous[r["source_url"]] = attributed
    stated = _STATED.search(attributed)
    return {"_line": line, "quantity": quantity[0], "year_from": years.group(1),
            "year_to": years.group(2) or years.group(1), "months": str(quantity[1]),
            "value": r["value_usd_million"], "unit": "USD million",
            "qualifier": _QUALIFIER[r["qualifier"]], "side": side.group(1),
            "reporter": side.group(2).strip(), "stated_on": stated.group(1) if stated else "",
            "year_basis": "inferred" if re.search(r"\byear inferred\b", r["note"]) else "stated",
            "attributed_to": attributed, "source_url": r["source_url"], "note": r["note"]}


def _official(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    previous: dict[str, str] = {}
    rows = [_official_row(r, path, previous) for _, r in frame.iterrows()]
    out = pd.DataFrame(rows)
    out.insert(1, "figure_id", [f"R{i:02d}" for i in range(1, len(out) + 1)])
    return out


def _trade(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The trade snapshot with the original table and edition of each series added; the
    rest (codes, units, provenance, coverage) is checked by the resource's rules."""
    unknown = frame[~frame["series"].isin(list(_TRADE_ORIGIN))]
    if len(unknown):
        raise DataError([_bad(path, int(r["_line"]), "series",
                              f"one of {', '.join(_TRADE_ORIGIN)}", r["series"])
                         for _, r in unknown.iterrows()])
    origin = frame["series"].map(_TRADE_ORIGIN)
    return frame.assign(source_table=origin.map(lambda o: o[0]),
                        edition=origin.map(lambda o: o[1]))


_TRANSFORMS: dict[str, Callable[[pd.DataFrame, Path], pd.DataFrame]] = {
    "wdi": _wdi,
    "wdi_gdp_earlier": lambda f, p: _wdi(f, p, gdp_only=True),
    "energy_institute": _energy,
    "kz_tr_official": _official,
    "kz_tr_trade": _trade,
}


# ---------------------------------------------------------------------------------------
# Build and write
# ---------------------------------------------------------------------------------------


def checked(name: str, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Rows of resource ``name`` (text, with ``_line``) validated and sorted by its key, in
    the column order of the resource: the form every writer of ``data/external/`` uses."""
    res = ext.RESOURCES[name]
    ext.validate(frame[["_line", *res.columns]].astype(str), res, path)
    return frame[res.columns].sort_values(list(res.key), kind="mergesort").reset_index(
        drop=True)


def tidy(name: str, frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The tidy, validated, sorted frame of resource ``name`` from its snapshot rows."""
    return checked(name, _TRANSFORMS[name](frame, path), path)


def read_snapshot(snap: Snapshot, folder: Path) -> pd.DataFrame:
    """The snapshot's rows as text, after its sha256 and columns are checked."""
    path = folder / snap.file
    if not path.is_file():
        raise DataError(Problem(rel(path), None, None, "this snapshot file", "missing"))
    actual = sha256_file(path)
    if actual != snap.sha256:
        raise DataError(Problem(rel(path), None, None,
                                f"sha256 {snap.sha256} (the snapshot this package was built "
                                "from; a changed upstream extract needs a reviewed update of "
                                "analysis.data.snapshots)", actual))
    return read_csv_text(path, list(snap.columns))


def csv_text(frame: pd.DataFrame) -> str:
    """The committed form of a tidy frame: floats by repr, integers plain, LF."""
    return table_to_csv_text(frame)


def resource_entry(name: str, frame: pd.DataFrame, text: str,
                   source: Mapping[str, str]) -> dict[str, Any]:
    res = ext.RESOURCES[name]
    data = text.encode("utf-8")
    return {"name": name, "path": res.path, "profile": "tabular-data-resource",
            "title": res.title, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "hash": f"sha256:{hashlib.sha256(data).hexdigest()}", "bytes": len(data),
            "sources": [dict(source)], "units": ext.units_of(name, frame),
            "schema": ext.schema_of(res)}


def descriptor_text(entries: list[dict[str, Any]]) -> str:
    desc = {"profile": "tabular-data-package", "name": "kaztur-analysis-external",
            "title": "Official statistics set against the dissertation's numbers (derived "
                     "by kaztur external build/refresh; never edited by hand)",
            "resources": sorted(entries, key=lambda e: list(ext.RESOURCES).index(e["name"]))}
    return json.dumps(desc, ensure_ascii=False, indent=2) + "\n"


def _official_source(snap: Snapshot, frame: pd.DataFrame, digest: str) -> dict[str, str]:
    dates = sorted(d for d in frame["stated_on"] if d)
    source = dict(snap.source)
    source["vintage"] = f"statements reported {dates[0]} to {dates[-1]}" if dates else "undated"
    return source | {"path": snap.file, "sha256": digest, "sha256_of": "snapshot file"}


def _trade_source(snap: Snapshot, frame: pd.DataFrame, digest: str) -> dict[str, str]:
    """The trade table's provenance; its vintage says which years each series covers, in
    which edition, and from which commits."""
    parts = []
    for series, rows in frame.groupby("series", sort=False):
        years = rows["year"].astype(int)
        editions = ", ".join(sorted(set(rows["edition"])))
        parts.append(f"{series} {years.min()}–{years.max()} (edition: {editions})")
    commits = ", ".join(c[:7] for c in sorted(set(frame["source_commit"])))
    source = dict(snap.source) | {"vintage": "; ".join(parts) + f"; extracts at commits "
                                                                f"{commits}"}
    return source | {"path": snap.file, "sha256": digest, "sha256_of": "snapshot file"}


_SOURCES: dict[str, Callable[[Snapshot, pd.DataFrame, str], dict[str, str]]] = {
    "kz_tr_official": _official_source, "kz_tr_trade": _trade_source}


def build(snapshots: Path | None = None) -> dict[str, str]:
    """The text of every file of ``data/external/`` (name → text), from the snapshots.
    Raises :class:`DataError` (file, line, column) for a bad snapshot."""
    folder = snapshots or snapshot_dir()
    if not folder.is_dir():
        raise FileNotFoundError(
            f"the snapshot folder {folder} is not present (it sits beside the checkout as "
            "../shared/external/, or set $KAZTUR_EXTERNAL_SNAPSHOTS). A clone without it "
            "uses the committed data/external/ as it is: nothing to build.")
    files: dict[str, str] = {}
    entries = []
    problems: list[Problem] = []
    for name, snap in SNAPSHOTS.items():
        try:
            frame = tidy(name, read_snapshot(snap, folder), folder / snap.file)
        except DataError as exc:
            problems += exc.problems
            continue
        text = csv_text(frame)
        digest = snap.sha256
        if name in _SOURCES:
            source = _SOURCES[name](snap, frame, digest)
        else:
            source = dict(snap.source) | {"path": snap.file, "sha256": digest,
                                          "sha256_of": "snapshot file"}
        files[ext.RESOURCES[name].path] = text
        entries.append(resource_entry(name, frame, text, source))
    if problems:
        raise DataError(problems)
    files[ext.DESCRIPTOR] = descriptor_text(entries)
    return files


def recorded_problems(folder: Path | None = None) -> list[Problem]:
    """What ``data/external/datapackage.json`` records about the snapshots, checked against
    this registry: a file derived from a snapshot names the one the package knows (path
    and sha256), and holds every row derived from it (:attr:`Snapshot.rows`; a truncated
    file whose checksum was recorded anew is still refused). Files fetched from the API
    (``kaztur external refresh``) record the fetched data's digest instead and are checked
    by their own checksum. Problems of the descriptor itself are reported by
    :func:`analysis.data.official.problems`."""
    folder = folder or ext.external_dir()
    try:
        desc = ext.descriptor(folder)
    except DataError:
        return []
    desc_path = folder / ext.DESCRIPTOR
    found: list[Problem] = []
    for entry in desc.get("resources", []):
        snap = SNAPSHOTS.get(str(entry.get("name")))
        source = (entry.get("sources") or [{}])[0]
        if snap is None or not isinstance(source, dict) \
                or source.get("sha256_of") != "snapshot file":
            continue
        if (source.get("path"), source.get("sha256")) != (snap.file, snap.sha256):
            found.append(Problem(rel(desc_path), None, snap.resource,
                                 f"the snapshot this package was built from ({snap.file}, "
                                 f"sha256 {snap.sha256})",
                                 f"{source.get('path')}, sha256 {source.get('sha256')}"))
            continue
        found += _row_count_problems(snap, folder)
    return found


def _row_count_problems(snap: Snapshot, folder: Path) -> list[Problem]:
    try:
        rows = len(ext.load(snap.resource, folder))
    except DataError:
        return []  # reported by analysis.data.official.problems
    if snap.rows is None or rows == snap.rows:
        return []
    path = folder / ext.RESOURCES[snap.resource].path
    got = f"{rows}: the file ends early (truncated?)" if rows < snap.rows else str(rows)
    return [Problem(rel(path), None, None,
                    f"{snap.rows} data rows, all those derived from {snap.file} (run `kaztur "
                    "external build`, or restore the file from git)", got)]


def replace_files(folder: Path, files: Mapping[str, str]) -> list[Path]:
    """Write every file to a temporary name first, then rename them all into place: a
    failure while writing leaves every old file untouched."""
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in files.items():
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            staged.append((Path(tmp_name), folder / name))
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8"))
            os.chmod(tmp_name, 0o644)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    return [target for _, target in staged]


def write(snapshots: Path | None = None, folder: Path | None = None) -> list[Path]:
    """``kaztur external build``: check the snapshots, then replace ``data/external/``."""
    return replace_files(folder or ext.external_dir(), build(snapshots))
