"""Tables and the numbers in the prose of ``06_external`` (labels in ``labels/external.yaml``).

Why here: the notebook's sentences quote numbers (ratios, revisions, p-values); they are
computed from the same frames as the tables and formatted by the one number formatter, so
no number in the prose is typed by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pandas as pd

from analysis.analyses import official
from analysis.checks.official import DEFINITION, Verdict
from analysis.checks.official_rows import counts, is_external
from analysis.data import official as data
from analysis.data.units import UNITS as RAW_UNITS
from analysis.present.i18n import t
from analysis.present.ledger_text import value
from analysis.present.numbers import number, percent


def sources() -> pd.DataFrame:
    """One row per external file: its source, publisher, vintage, licence, origin, sha256."""
    rows = []
    for name in data.RESOURCES:
        s = data.source_of(name)
        origin = (f"{s['repository']} @ {s['commit'][:10]}" if s.get("commit")
                  else str(s.get("url", "")))
        rows.append({"resource": data.RESOURCES[name].path, "source": s["title"],
                     "publisher": s["publisher"], "vintage": s["vintage"],
                     "licence": s["licence"], "origin": origin, "sha256": s["sha256"][:12]})
    return pd.DataFrame(rows)


def _d(x: Any) -> Decimal:
    """A table cell as a Decimal for the number formatter (cells are typed loosely)."""
    return Decimal(repr(float(x)))


def _n(x: Any, lang: str, decimals: int = 0) -> str:
    return number(_d(x), lang, decimals)


def _pct(x: Any, lang: str, decimals: int = 1) -> str:
    return percent(_d(x), lang, decimals)


def _musd(x: Any, lang: str) -> str:
    return f"{_n(x, lang)} {t('usd_million', lang)}"


def k7_facts(vs: pd.DataFrame, lang: str) -> tuple[str, dict[str, str]]:
    """The sentence on Кесте 7: its turnover as a share of the official figure over the
    last three official years, and the last year's change of each."""
    tot = vs[(vs["quantity"] == "trade_turnover") & vs["ratio"].notna()]
    last = tot.set_index("year")
    if len(last) < 3 or int(last.index.max()) - 1 not in last.index:
        return "external.say.none", {}
    recent = tot[tot["year"] >= tot["year"].max() - 2]
    y = int(last.index.max())
    return "external.say.k7", {"years": f"{int(recent['year'].min())}–{y}",
            "low": _n(float(recent["ratio"].min()), lang, 2),
            "high": _n(float(recent["ratio"].max()), lang, 2),
            "k7_change": _pct(100 * (_d(last.at[y, "value"]) / _d(last.at[y - 1, "value"])
                                     - 1), lang),
            "official_change": _pct(100 * (_d(last.at[y, "official"])
                                           / _d(last.at[y - 1, "official"]) - 1), lang)}


def k6_facts(shifted: pd.DataFrame, lang: str) -> tuple[str, dict[str, str]]:
    """The sentence on Кесте 6: its turnover cells equal to the official figure of the
    year before (lag 1)."""
    hit = shifted[(shifted["quantity"] == "trade_turnover") & (shifted["ratio"] == 1)
                  & (shifted["lag"] == 1)].sort_values("year")
    if len(hit) < 2:
        return "external.say.none", {}
    a, b = hit.iloc[0], hit.iloc[-1]
    return "external.say.k6", {"year_a": str(int(a["year"])), "a": _n(a["value"], lang),
            "year_a_minus": str(int(a["official_year"])), "year_b": str(int(b["year"])),
            "b": _n(b["value"], lang), "year_b_minus": str(int(b["official_year"]))}


def lag_facts(lag: pd.DataFrame, lang: str) -> dict[str, str]:
    part = lag[(lag["table"] == "K6") & (lag["quantity"] == "trade_turnover")]
    best = part.sort_values(["matches", "lag"], ascending=[False, True]).iloc[0]
    return {"lag": str(int(best["lag"])), "matches": str(int(best["matches"])),
            "pairs": str(int(best["pairs"])), "orderings": str(int(best["orderings"])),
            "p": _n(float(best["p_value"]), lang, 2),
            "p_min": _n(1 / float(best["orderings"]), lang, 3)}


def mirror_facts(m: pd.DataFrame, lang: str) -> dict[str, str]:
    return {"years": ", ".join(str(int(y)) for y in m["year"]),
            "ratios": ", ".join(_n(r, lang, 2) for r in m["ratio"]), "n": str(len(m))}


def fdi_facts(f: pd.DataFrame, lang: str) -> dict[str, str]:
    row = f[f["official_9m"].notna()].iloc[0]
    return {"year": str(int(row["year"])), "nine": _musd(row["official_9m"], lang),
            "k6": _musd(row["k6"], lang), "k8": _musd(row["k8"], lang),
            "total": _musd(row["wdi_total"], lang),
            "share": _pct(row["k8_share_pct"], lang)}


def ots_claims(claims: pd.DataFrame, found: Iterable[Verdict]) -> pd.DataFrame:
    """The text's OTS GDP and population claims in base units, with the year compared
    (an undated claim takes the year its external verdict found best)."""
    years = {v.figure.ref: v.reference.year for v in found}
    part = claims[claims["quantity_key"].isin(["ots_gdp", "ots_population"])]
    rows = []
    for r in part.to_dict("records"):
        year = r["year"] if pd.notna(r["year"]) else years.get(r["claim_id"])
        if year is None or pd.isna(year):
            continue
        base = float(r["value"]) * RAW_UNITS[str(r["unit"])][1]
        rows.append({"claim_id": r["claim_id"], "year": int(year), "printed":
                     r["number_printed"], "value": base,
                     "measures": (["population"] if r["quantity_key"] == "ots_population"
                                  else [m for m, _ in official.GDP_DEFINITIONS])})
    return pd.DataFrame(rows)


def ots_facts(cmp: pd.DataFrame, found: Iterable[Verdict], lang: str
              ) -> tuple[str, dict[str, str]]:
    """The sentence on the OTS totals: the GDP claims that fit PPP rather than nominal
    dollars (their external verdict says so), and the population claim."""
    fits_ppp = [v.figure.ref for v in found if v.figure.key == "ots_gdp"
                and v.verdict == DEFINITION and v.reference.definition.startswith("ppp")]
    pops = cmp[cmp["measure"] == "population"]
    if len(fits_ppp) < 2 or pops.empty:
        return "external.say.none", {}
    return "external.say.ots", _ots_numbers(cmp, sorted(fits_ppp, key=lambda r: cmp[
        cmp["claim_id"] == r]["year"].iloc[0]), str(pops.iloc[0]["claim_id"]), lang)


def _ots_numbers(cmp: pd.DataFrame, gdp_ids: list[str], pop_id: str,
                 lang: str) -> dict[str, str]:
    def pick(cid: str, measure: str, group: str) -> pd.Series:
        return cmp[(cmp["claim_id"] == cid) & (cmp["measure"] == measure)
                   & (cmp["group"] == group)].iloc[0]

    first, last = gdp_ids[0], gdp_ids[-1]

    def trn(x: Any) -> str:
        return _n(float(x) / 1e12, lang, 2)

    n1, n2 = pick(first, "gdp_nominal", "members"), pick(last, "gdp_nominal", "members")
    p1, p2 = pick(first, "gdp_ppp", "members"), pick(last, "gdp_ppp", "members")
    pm, po = pick(pop_id, "population", "members"), pick(pop_id, "population",
                                                        "members_observers")
    return {"y1": str(int(n1["year"])), "y2": str(int(n2["year"])),
            "c1": trn(n1["claim"]), "c2": trn(n2["claim"]), "n1": trn(n1["official"]),
            "n2": trn(n2["official"]), "p1": trn(p1["official"]), "p2": trn(p2["official"]),
            "r1": _n(p1["ratio"], lang, 3), "r2": _n(p2["ratio"], lang, 3),
            "pop": _n(float(pm["claim"]) / 1e6, lang, 1),
            "pm": _n(float(pm["official"]) / 1e6, lang, 1),
            "po": _n(float(po["official"]) / 1e6, lang, 1)}


def ots_table(cmp: pd.DataFrame) -> pd.DataFrame:
    """Claims vs definitions with values in trillions (GDP) or millions (population)."""
    out = cmp.copy()
    scale = out["measure"].map(lambda m: 1e6 if m == "population" else 1e12)
    out["claim"] = out["claim"] / scale
    out["official"] = out["official"] / scale
    return out


def reserves_table(res: pd.DataFrame) -> pd.DataFrame:
    return res.assign(k4_bn=res["k4"] / 1e9, ei_bn=res["ei"] / 1e9)


def energy_facts(res: pd.DataFrame, lang: str) -> dict[str, str]:
    r: Any = res.set_index("resource")
    return {"year": str(int(r.loc["oil", "ei_year"])), "oil": _n(r.loc["oil", "ratio"], lang, 2),
            "gas": _n(r.loc["gas", "ratio"], lang, 2)}


def vintage_facts(summary: pd.DataFrame, tolerance: float, lang: str) -> dict[str, str]:
    """The largest revisions between the two WDI vintages, and the ledger's tolerance."""
    old, new = data.vintage("wdi_gdp_earlier"), data.vintage("wdi")
    ots: Any = summary.set_index("iso3").loc["OTS"]
    countries = summary[summary["iso3"].isin(official.MEMBERS + official.OBSERVERS)]
    top = countries.sort_values("max_abs_revision_pct").iloc[-1]
    return {"old": old, "new": new, "total": _pct(ots["max_abs_revision_pct"], lang),
            "total_year": str(int(ots["max_year"])), "country": str(top["iso3"]),
            "country_max": _pct(top["max_abs_revision_pct"], lang),
            "country_year": str(int(top["max_year"])),
            "tolerance": _pct(100 * tolerance, lang, 0)}


def verdict_table(full: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The external rows of a ledger with external verdicts, the official value and
    vintage written in ``lang`` (the verdict a key the table spec labels)."""
    cols = ["claim_id", "value_printed", "external_value", "external_verdict",
            "external_vintage"]
    out = full[is_external(full)][cols].reset_index(drop=True)
    for column in ("external_value", "external_vintage"):
        out[column] = [value(cell, lang) for cell in out[column]]
    return out


def counts_table(full: pd.DataFrame) -> pd.DataFrame:
    c = counts(full)
    rows = [{"way": "internal", "verdict": f"status.{s}", "count": n}
            for s, n in c["internal"].items()]
    rows += [{"way": "external", "verdict": f"verdict.{v}", "count": n}
             for v, n in c["external"].items()]
    rows.append({"way": "external", "verdict": "status.only_external",
                 "count": c["only_external"]["numbers"]})
    return pd.DataFrame(rows)


def counts_facts(full: pd.DataFrame, lang: str) -> dict[str, str]:
    c = counts(full)

    def words(kind: str, prefix: str) -> str:
        return ", ".join(f"{t(f'{prefix}.{k}', lang)} {n}" for k, n in c[kind].items())

    return {"internal": words("internal", "external.status"),
            "external": words("external", "external.verdict"),
            "only": str(c["only_external"]["numbers"])}


def with_official(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the rows that have an official figure to compare with."""
    return frame[frame["official"].notna()].reset_index(drop=True)


def tolerance_text(tolerance: float, lang: str) -> str:
    return _n(100 * tolerance, lang, 0)


def vintage_caption(rev: pd.DataFrame) -> dict[str, str]:
    """Caption fields of the vintage table: the two vintages and the years compared."""
    return {"old": data.vintage("wdi_gdp_earlier"), "new": data.vintage("wdi"),
            "start": str(int(rev["year"].min())), "end": str(int(rev["year"].max()))}
