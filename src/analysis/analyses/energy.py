"""Energy exhibits: the 1994 "contract of the century" (Кесте 3), Kazakhstan's reserves and
oil export routes (Кесте 4), and the text's figures on the same stakes and capacities.

Кесте 3 (source lines 677–771) lists nine companies' shares; they add up to 92.83 %, not
100 %, and the text just before it (line 675) gives a different list (SOCAR 20 % where the
table says 10 %). Кесте 4 (lines 807–845) gives the export routes as ≈80 %, ≈20 % and
"Аз үлес" (a small share): more than 100 % together. These are shown as printed, with the
sums, never adjusted.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.data import datasets
from analysis.methods import select
from analysis.methods.growth import as_float

K3_PROJECT = "aioc_1994"
PROJECTS = ("aioc_1994", "shah_deniz_1996", "shah_deniz_sgc", "btc", "tanap")
_STAKE = re.compile(r"^consortium_stake_(?P<company>.+?)_(?P<project>" + "|".join(
    sorted(PROJECTS, key=len, reverse=True)) + r"|[a-z0-9]+)$")


def consortium_shares(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Кесте 3 in printed order: company, printed share, share (percent), country, line."""
    frame = datasets.load("consortium_1994") if frame is None else frame
    out = pd.DataFrame({
        "row": frame["row"].astype(int),
        "company_key": frame["company_key"].astype(str),
        "company_kk": frame["company_kk"].astype(str),
        "company_en": frame["company_en"].astype(str),
        "share_printed": frame["share_printed"].astype(str),
        "share_pct": frame["share_value"].astype(float),
        "country_kk": frame["country_kk"].astype(str),
        "country_en": frame["country_en"].astype(str),
        "share_line": frame["share_line"].astype(int),
    })
    return out.sort_values("row", kind="stable").reset_index(drop=True)


def share_sum(shares: pd.DataFrame | None = None) -> dict[str, float]:
    """Sum of Кесте 3's shares and the gap to 100 (92.83 and 7.17 as printed)."""
    shares = consortium_shares() if shares is None else shares
    total = round(float(shares["share_pct"].sum()), 6)
    return {"n": int(len(shares)), "sum_pct": total, "gap_pct": round(100 - total, 6)}


def shares_by_country(shares: pd.DataFrame | None = None) -> pd.DataFrame:
    """Кесте 3's shares summed by country (English and Kazakh names), largest first."""
    shares = consortium_shares() if shares is None else shares
    out = (shares.groupby(["country_en", "country_kk"], sort=True)["share_pct"].sum()
           .reset_index().sort_values(["share_pct", "country_en"], ascending=[False, True],
                                      kind="stable"))
    return out.reset_index(drop=True)


def reserves(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Кесте 4 part 1: oil and gas reserves as printed and parsed."""
    frame = datasets.load("energy_reserves") if frame is None else frame
    return pd.DataFrame({
        "resource_key": frame["resource_key"].astype(str),
        "resource_kk": frame["resource_kk"].astype(str),
        "resource_en": frame["resource_en"].astype(str),
        "volume_kk": frame["volume_kk"].astype(str),
        "volume_en": frame["volume_en"].astype(str),
        "volume_value": frame["volume_value"].astype(float),
        "volume_unit": frame["volume_unit"].astype(str),
        "fields_kk": frame["fields_kk"].astype(str),
        "fields_en": frame["fields_en"].astype(str),
        "volume_line": frame["volume_line"].astype(int),
    })


def routes(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Кесте 4 part 2: export routes with their printed shares. ``share_pct`` is empty for
    "Аз үлес" (a small share, no number); ``approx`` marks ``≈``."""
    frame = datasets.load("oil_export_routes") if frame is None else frame
    printed = frame["share_kk"].astype(str)
    return pd.DataFrame({
        "row": frame["row"].astype(int),
        "route_key": frame["route_key"].astype(str),
        "route_kk": frame["route_kk"].astype(str),
        "route_en": frame["route_en"].astype(str),
        "share_kk": printed,
        "share_en": frame["share_en"].astype(str),
        "share_pct": frame["share_value"].astype(float),
        "approx": printed.str.startswith("≈"),
        "pipeline_kk": frame["pipeline_kk"].astype(str),
        "pipeline_en": frame["pipeline_en"].astype(str),
        "share_line": frame["share_line"].astype(int),
    }).sort_values("row", kind="stable").reset_index(drop=True)


def route_sum(rt: pd.DataFrame | None = None) -> dict[str, object]:
    """The numeric route shares add to 100 (≈80 + ≈20) and a further route has a positive,
    unquantified share: the printed shares cannot all hold at once."""
    rt = routes() if rt is None else rt
    numeric = rt["share_pct"].dropna()
    unquantified = int(rt["share_pct"].isna().sum())
    total = float(numeric.sum())
    return {"numeric_sum_pct": total, "n_numeric": int(len(numeric)),
            "n_unquantified": unquantified,
            "exceeds_100": bool(total > 100 or (total >= 100 and unquantified > 0))}


# --------------------------------------------------------------------------- text figures


def parse_stake_key(key: str) -> tuple[str, str] | None:
    """``consortium_stake_<company>_<project>`` → (company, project)."""
    m = _STAKE.match(key)
    return (m["company"], m["project"]) if m else None


def text_stakes(claims: pd.DataFrame | None) -> pd.DataFrame:
    """Every consortium stake the text gives: company, project, printed, percent, line."""
    cols = ["project", "company", "claim_id", "number_printed", "stake_pct", "qualifier",
            "year", "source_line"]
    if claims is None or claims.empty:
        return pd.DataFrame(columns=cols)
    sub = claims[claims["quantity_key"].str.startswith("consortium_stake_")].copy()
    parsed = sub["quantity_key"].map(parse_stake_key)
    sub = sub[parsed.notna()].copy()
    sub["company"] = parsed.dropna().map(lambda p: p[0])
    sub["project"] = parsed.dropna().map(lambda p: p[1])
    sub["stake_pct"] = sub["value"].astype(float)
    order = {p: i for i, p in enumerate(PROJECTS)}
    sub["_o"] = sub["project"].map(order).fillna(len(PROJECTS))
    sub = sub.sort_values(["_o", "project", "source_line", "claim_id"], kind="stable")
    return sub[cols].reset_index(drop=True)


def stakes_vs_k3(claims: pd.DataFrame | None, shares: pd.DataFrame | None = None) -> pd.DataFrame:
    """Кесте 3 next to the text's stakes in the same 1994 contract (line 675), one row per
    company named in either. ``difference`` = text − table (percentage points)."""
    shares = consortium_shares() if shares is None else shares
    txt = text_stakes(claims)
    txt = txt[txt["project"] == K3_PROJECT]
    table = shares[["company_key", "company_en", "share_printed", "share_pct", "share_line"]]
    table = table.rename(columns={"company_key": "company", "share_printed": "k3_printed",
                                  "share_pct": "k3_pct", "share_line": "k3_line"})
    text = txt[["company", "number_printed", "stake_pct", "source_line", "claim_id"]].rename(
        columns={"number_printed": "text_printed", "stake_pct": "text_pct",
                 "source_line": "text_line"})
    out = table.merge(text, on="company", how="outer", sort=False)
    out["difference"] = out["text_pct"] - out["k3_pct"]
    order = {c: i for i, c in enumerate(table["company"])}
    out["_o"] = out["company"].map(order).fillna(len(order) + out.index.to_series())
    out = out.sort_values("_o", kind="stable").drop(columns="_o")
    for col in ("k3_line", "text_line"):
        out[col] = out[col].astype("Int64")
    return out.reset_index(drop=True)


def stake_sums(claims: pd.DataFrame | None, shares: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sum of stakes per project and source (``k3`` = Кесте 3; ``text``). A project whose
    text gives one company two stakes (BOTAS in TANAP: 20 % and 30 %) is summed with the
    first telling and flagged."""
    shares = consortium_shares() if shares is None else shares
    rows = [{"project": K3_PROJECT, "source": "k3", "n_companies": len(shares),
             "sum_pct": round(float(shares["share_pct"].sum()), 6), "repeated": "",
             "lines": f"{shares['share_line'].min()}–{shares['share_line'].max()}"}]
    txt = text_stakes(claims)
    for project, grp in txt.groupby("project", sort=False):
        first = grp.drop_duplicates("company")
        repeated = sorted(set(grp["company"][grp["company"].duplicated()]))
        rows.append({"project": project, "source": "text", "n_companies": len(first),
                     "sum_pct": round(float(first["stake_pct"].sum()), 6),
                     "repeated": ", ".join(repeated),
                     "lines": ", ".join(str(v) for v in sorted(set(grp["source_line"])))})
    return pd.DataFrame(rows)


def project_stake_sum(claims: pd.DataFrame | None, project: str) -> float:
    """The sum of every stake the text gives in ``project`` (percent)."""
    txt = text_stakes(claims)
    return float(txt.loc[txt["project"] == project, "stake_pct"].sum())


def conflicting_stakes(claims: pd.DataFrame | None) -> pd.DataFrame:
    """Company–project pairs for which the text gives more than one different stake
    (e.g. BOTAS in TANAP: 20 % and 30 %, line 778), and TPAO's stake in Shah Deniz given
    for two framings (9,0 % in 1996, 19 % in the Southern Gas Corridor)."""
    txt = text_stakes(claims)
    rows = []
    for (project, company), grp in txt.groupby(["project", "company"], sort=False):
        if grp["stake_pct"].nunique() > 1:
            rows.append({"project": project, "company": company,
                         "stakes": " / ".join(grp["number_printed"]),
                         "lines": ", ".join(str(v) for v in grp["source_line"]),
                         "claim_ids": ", ".join(grp["claim_id"])})
    return pd.DataFrame(rows, columns=["project", "company", "stakes", "lines", "claim_ids"])


def capacities(claims: pd.DataFrame | None) -> pd.DataFrame:
    """Every pipeline capacity in the text, one row per telling, with whether the tellings
    of the same pipeline agree (lines 657–659 and 663–665 tell the same three)."""
    cols = ["pipeline", "claim_id", "number_printed", "value", "unit", "qualifier",
            "source_line", "n_tellings", "tellings_agree"]
    if claims is None or claims.empty:
        return pd.DataFrame(columns=cols)
    sub = claims[claims["quantity_key"].str.startswith("pipeline_capacity_")].copy()
    sub["pipeline"] = sub["quantity_key"].str.replace("pipeline_capacity_", "", regex=False)
    sub["value"] = sub["value"].astype(float)
    agree = {}
    count = {}
    for name, grp in sub.groupby("pipeline", sort=False):
        exact = grp[grp["qualifier"].isin(["exact", "approx"])]
        agree[name] = bool(exact["value"].nunique() <= 1)
        count[name] = len(grp)
    sub["n_tellings"] = sub["pipeline"].map(count)
    sub["tellings_agree"] = sub["pipeline"].map(agree)
    sub = sub.sort_values(["source_line", "claim_id"], kind="stable")
    first_line = sub.groupby("pipeline", sort=False)["source_line"].transform("min")
    sub = sub.assign(_f=first_line).sort_values(["_f", "pipeline", "source_line"],
                                                kind="stable")
    return sub[cols].reset_index(drop=True)


# Кесте 2 cells (oil volumes, a terminal capacity) and the text figure on the same thing.
K2_TEXT_KEYS = {
    "indicator_1998": "kz_oil_via_caspian_georgia",
    "pipeline_infrastructure_projects": "oil_terminal_capacity_sogandy",
    "situation_2020": "kz_oil_exports_aktau_kuryk",
}
# Кесте 4 cells and the text's figure on the same quantity.
K4_TEXT_KEYS = {
    ("reserves", "oil"): "kz_oil_reserves",
    ("reserves", "gas"): "kz_gas_reserves",
    ("routes", "russia"): "kz_oil_export_share_russia",
    ("routes", "china"): "kz_oil_export_share_china",
}


def k2_vs_text(claims: pd.DataFrame | None, k2: pd.DataFrame | None = None) -> pd.DataFrame:
    """Кесте 2's numeric cells beside the text's figures on the same thing (lines 572–574).
    Кесте 2 has no pipeline capacity: its only capacity is the Соғанды terminal (20 млн т)."""
    k2 = datasets.load("k2_oil_export_diversification") if k2 is None else k2
    cells = k2[k2["number_printed"].fillna("") != ""]
    rows = []
    for _, c in cells.sort_values(["row", "column", "token"], kind="stable").iterrows():
        key = K2_TEXT_KEYS.get(str(c["row_key"]))
        figs = select.text_figures(claims, [key], str(c["unit"])) if key else pd.DataFrame()
        base = {"row_key": c["row_key"], "row_label_kk": c["row_label_kk"],
                "row_label_en": c["row_label_en"], "k2_printed": c["number_printed"],
                "k2_value": float(c["value"]), "unit": c["unit"],
                "k2_year": c["year"], "k2_line": int(c["source_line"]), "quantity_key": key}
        if figs.empty:
            rows.append({**base, "text_printed": "", "text_value": np.nan, "text_year": pd.NA,
                         "text_line": pd.NA})
        for _, f in figs.iterrows():
            rows.append({**base, "text_printed": f["number_printed"],
                         "text_value": f["value_conv"], "text_year": f["year"],
                         "text_line": int(f["source_line"])})
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    same_year = out["text_year"].astype("Int64") == out["k2_year"].astype("Int64")
    # only a text figure for the same year is comparable (line 572's 2,2 млн has no year)
    out["difference"] = (out["text_value"] - out["k2_value"]).where(same_year.fillna(False))
    for col in ("k2_year", "text_year", "text_line"):
        out[col] = out[col].astype("Int64")
    return out.reset_index(drop=True)


def k4_vs_text(claims: pd.DataFrame | None) -> pd.DataFrame:
    """Кесте 4's reserves and route shares beside the text's figures (lines 805, 1343)."""
    res = reserves().set_index("resource_key")
    rt = routes().set_index("route_key")
    rows = []
    for (part, key), qkey in K4_TEXT_KEYS.items():
        if part == "reserves":
            cell = res.loc[key]
            printed, value = str(cell["volume_kk"]), as_float(cell["volume_value"])
            unit, line = str(cell["volume_unit"]), int(as_float(cell["volume_line"]))
        else:
            cell = rt.loc[key]
            printed, value = str(cell["share_kk"]), as_float(cell["share_pct"])
            unit, line = "percent", int(as_float(cell["share_line"]))
        figs = select.text_figures(claims, [qkey], unit)
        for _, f in figs.iterrows():
            rows.append({"item": f"{part}:{key}", "k4_printed": printed, "k4_value": value,
                         "unit": unit, "k4_line": line, "text_printed": f["number_printed"],
                         "text_value": f["value_conv"], "text_qualifier": f["qualifier"],
                         "text_line": int(f["source_line"]),
                         "difference": f["value_conv"] - value})
    return pd.DataFrame(rows)
