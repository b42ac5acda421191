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
from analysis.checks.figures import Figure
from analysis.checks.official import DEFINITION, Context, Verdict
from analysis.checks.official_rows import counts, is_external, verdicts
from analysis.data import official as data
from analysis.data.units import UNITS as RAW_UNITS
from analysis.present.i18n import t
from analysis.present.ledger_text import value
from analysis.present.numbers import number, percent

#: The descriptor fields a reader reads, in the page's language
#: (``labels/external_sources.yaml``: ``external.source.<resource>.<field>``).
SOURCE_FIELDS = ("title", "publisher", "vintage", "licence")


def source_text(name: str, field: str, lang: str) -> str:
    """A descriptor field of the external file ``name`` in ``lang``."""
    return t(f"external.source.{name}.{field}", lang)


def sources(lang: str = "en") -> pd.DataFrame:
    """One row per external file: its source, publisher, vintage, licence (in ``lang``),
    origin and sha256 (identifiers, as they are)."""
    rows = []
    for name in data.RESOURCES:
        s = data.source_of(name)
        url = str(s.get("url", ""))
        origin = (f"{s['repository']} @ {s['commit'][:10]}" if s.get("commit")
                  else url if "://" in url or not url else source_text(name, "url", lang))
        text = {f: source_text(name, f, lang) for f in SOURCE_FIELDS}
        rows.append({"resource": data.RESOURCES[name].path, "source": text["title"],
                     "publisher": text["publisher"], "vintage": text["vintage"],
                     "licence": text["licence"], "origin": origin, "sha256": s["sha256"][:12]})
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


def flow_label(flow: str, lang: str) -> str:
    """The name of a flow (export, import, turnover) in ``lang``."""
    return t(f"external.flow.{flow}", lang)


def _pct_range(values: pd.Series, lang: str) -> str:
    """The range of the absolute values of percentages: "23,0–33,1 %"."""
    low, high = sorted(abs(float(v)) for v in (values.min(), values.max()))
    return f"{_n(low, lang, 1)}–{_pct(high, lang)}"


def break_facts(gap: pd.DataFrame, span: tuple[int, int] | None, side: pd.DataFrame,
                lang: str) -> tuple[str, dict[str, str]]:
    """The sentence on the break: how far WITS lies from BNS in the years they differ, per
    flow; the first year after the break in which they agree; the years only WITS has a
    value for a year the dissertation's tables print."""
    if span is None:
        return "external.say.no_break", {"years": _years(gap["year"])}
    inside = gap[gap["year"].between(*span)]
    after = gap[gap["year"] > span[1]]
    fields = {"start": str(span[0]), "end": str(span[1]),
              "exports": _pct_range(inside[inside["flow"] == "export"]["pct"], lang),
              "imports": _pct_range(inside[inside["flow"] == "import"]["pct"], lang),
              "turnover": _pct_range(inside[inside["flow"] == "turnover"]["pct"], lang),
              "tolerance": _pct(100 * float(official.BREAK_TOLERANCE), lang, 0)}
    only = side[side["wits"].notna() & side["bns"].isna()
                & (side["k7"].notna() | side["k6"].notna())]
    fields["only_wits"] = _years(only["year"]) if len(only) else "–"
    if after.empty:
        return "external.say.break_open", fields
    year = int(after["year"].min())
    fields |= {"after": str(year), "after_max": _pct(
        float(after[after["year"] == year]["pct"].abs().max()), lang, 2)}
    return "external.say.break", fields


def _years(years: Any) -> str:
    """Years as a text: one span ("2018–2019") when consecutive, else a list."""
    ys = sorted({int(y) for y in years})
    if ys and ys[-1] - ys[0] + 1 == len(ys) and len(ys) > 1:
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def k7_facts(vs: pd.DataFrame, lang: str) -> tuple[str, dict[str, str]]:
    """The sentence on Кесте 7: its turnover as a share of the official one over the last
    three years it prints, and the last year's change of each (the key says whether they
    move the same way or not)."""
    tot = vs[(vs["quantity"] == "trade_turnover") & vs["ratio"].notna()].set_index("year")
    if len(tot) < 3 or int(tot.index.max()) - 1 not in tot.index:
        return "external.say.none", {}
    y = int(tot.index.max())
    recent = tot[tot.index >= y - 2]
    k7_change = _d(tot.at[y, "value"]) / _d(tot.at[y - 1, "value"]) - 1
    off_change = _d(tot.at[y, "official"]) / _d(tot.at[y - 1, "official"]) - 1
    key = ("external.say.k7" if (k7_change > 0) != (off_change > 0)
           else "external.say.k7_same")
    return key, {"years": f"{int(recent.index.min())}–{y}", "year": str(y),
                 "low": _n(float(recent["ratio"].min()), lang, 2),
                 "high": _n(float(recent["ratio"].max()), lang, 2),
                 "series": ", ".join(t(f"external.series.{c}", lang)
                                     for c in dict.fromkeys(recent["series"])),
                 "k7_change": _pct(100 * k7_change, lang),
                 "official_change": _pct(100 * off_change, lang)}


def quote_facts(quotes: pd.DataFrame, lang: str) -> tuple[str, dict[str, str]]:
    """The sentence on the officials' quotes: how many are BNS rounded to their last
    stated digit, bounds BNS satisfies, or outside it; the same for WITS in the years both
    series cover; the quotes outside BNS, with their arithmetic."""
    both = quotes[(quotes["bns_status"] != "") & (quotes["wits_status"] != "")]
    covered = quotes[quotes["bns_status"] != ""]
    outside = covered[covered["bns_status"] == official.QUOTE_OUTSIDE]

    def count(frame: pd.DataFrame, col: str, status: str) -> int:
        return int((frame[f"{col}_status"] == status).sum())

    rounds_b, rounds_w = (count(both, c, official.QUOTE_ROUNDS) for c in ("bns", "wits"))
    fields = {"n": str(len(covered)),
              "rounds": str(count(covered, "bns", official.QUOTE_ROUNDS)),
              "bounds": str(count(covered, "bns", official.QUOTE_BOUND)),
              "outside": str(len(outside)), "both": str(len(both)),
              "both_years": _years(both["year"]) if len(both) else "–",
              "rounds_bns": str(rounds_b), "rounds_wits": str(rounds_w),
              "cases": "; ".join(
                  t("external.say.quote_case", lang, id=r.figure_id, year=r.year,
                    quote=_n(r.quote, lang), value=_n(r.bns, lang, 1),
                    rounded=_n(r.bns_rounded, lang)) for r in outside.itertuples()) or "–"}
    key = "external.say.quotes" if rounds_b > rounds_w else "external.say.quotes_mixed"
    return key, fields


#: Below this chance of as many matches, the shift test's sentence calls the matches a
#: sign of a shift (a convention: with this few cells no threshold makes it proof).
SHIFT_SIGNAL_P = 0.05


def shift_facts(cells: pd.DataFrame, summary: pd.DataFrame, quotes: pd.DataFrame,
                lang: str) -> tuple[str, dict[str, str]]:
    """The sentence on the one-year shift: matches cell by cell at each lag, the matching
    cells, what chance alone gives (the key says whether the matches exceed it), and the
    quoted figures that equal Кесте 6's cells of the year after (the old two-pair sign)."""
    s = summary.set_index(["lag", "series"])
    bns, wits = "BNS-312101", "WITS-TradeStats"

    def part(lag: int, code: str, col: str) -> float:
        return float(str(s.at[(lag, code), col])) if (lag, code) in s.index else 0.0

    lagged = cells[cells["lag"] == 1]
    pairs = [r for r in quotes.itertuples() for c in lagged.itertuples()
             if (r.flow, r.year, r.quote) == (c.flow, c.official_year, c.value)]
    p = part(1, bns, "p") if (1, bns) in s.index else 1.0
    by_wits = lagged[lagged["series"] == wits]
    fields = {"years_bns": _years(lagged[lagged["series"] == bns]["year"]) or "–",
              "year_w": _years(by_wits["year"]) or "–",
              "year_w_official": _years(by_wits["official_year"]) or "–",
              "n1": str(int(part(1, bns, "cells"))), "m1": str(int(part(1, bns, "matches"))),
              "n0": str(int(part(0, bns, "cells"))), "m0": str(int(part(0, bns, "matches"))),
              "nw": str(int(part(1, wits, "cells"))), "mw": str(int(part(1, wits, "matches"))),
              "step": _n(float(cells["step"].iloc[0]), lang),
              "which": "; ".join(
                  t("external.say.shift_case", lang, flow=flow_label(str(h.flow), lang),
                    year=h.year, value=_n(h.value, lang), official_year=h.official_year,
                    official=_n(h.official, lang, 1))
                  for h in lagged[lagged["within"] & (lagged["series"] == bns)]
                  .itertuples()) or "–",
              "expected": _n(part(1, bns, "expected"), lang, 2), "p": _n(p, lang, 2),
              "quotes": "; ".join(f"{r.figure_id} {r.year}: "
                                  f"{t(f'external.qual.{r.qualifier}', lang)} "
                                  f"{_n(r.quote, lang)}" for r in pairs) or "–"}
    key = "external.say.shift_signal" if p < SHIFT_SIGNAL_P else "external.say.shift"
    return key, fields


def mirror_facts(m: pd.DataFrame, lang: str) -> dict[str, str]:
    return {"years": ", ".join(str(int(y)) for y in m["year"]),
            "ratios": ", ".join(_n(r, lang, 2) for r in m["ratio"]), "n": str(len(m))}


def fdi_facts(f: pd.DataFrame, lang: str) -> dict[str, str]:
    row = f[f["official_9m"].notna()].iloc[0]
    return {"year": str(int(row["year"])), "nine": _musd(row["official_9m"], lang),
            "k6": _musd(row["k6"], lang), "k8": _musd(row["k8"], lang),
            "total": _musd(row["wdi_total"], lang),
            "share": _pct(row["k8_share_pct"], lang)}


#: The text's claims on the OTS as a whole, which the OTS table compares with the WDI totals.
OTS_QUANTITIES = ("ots_gdp", "ots_population")


def ots_verdicts(figures: Iterable[Figure], ctx: Context) -> list[Verdict]:
    """The external verdicts of the OTS claims alone, judged under the notebook's vintage
    and tolerance. The ledger judges every figure once per run, under the defaults; the
    notebook may choose others, and its OTS table needs only these few (judging all of
    them took 2.3 s of each kernel, 60 ms for these)."""
    return verdicts([f for f in figures if f.key in OTS_QUANTITIES], ctx)


def ots_claims(claims: pd.DataFrame, found: Iterable[Verdict]) -> pd.DataFrame:
    """The text's OTS GDP and population claims in base units, with the year compared
    (an undated claim takes the year its external verdict found best)."""
    years = {v.figure.ref: v.reference.year for v in found}
    part = claims[claims["quantity_key"].isin(OTS_QUANTITIES)]
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
