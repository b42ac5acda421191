"""Which numbers measure the same quantity, and how quantities relate: declared, not guessed.

The table cells are given the ``quantity_key`` that ``text_claims.csv`` uses for the same
quantity (:data:`TABLE_KEYS`); the relations between quantities — totals of parts, shares of
a total, cumulative sums, share lists that make up a whole, parts of a whole, flows through
a route of stated capacity, factors between two levels — are listed here by quantity key
(or, where one statement is meant, by claim id). A check runs only where a relation is
declared, and every declaration is a reading of the source that a reader can dispute.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.data.schemas import CELL_FIELDS, RESOURCES

#: (exhibit short name, row_key or column_key) → the quantity_key text_claims uses for it.
TABLE_KEYS: dict[tuple[str, str], str] = {
    ("K7", "exports"): "kz_exports_to_tr",
    ("K7", "imports"): "kz_imports_from_tr",
    ("K7", "trade_total"): "kz_tr_trade_total",
    ("K7", "growth_pct"): "kz_tr_trade_growth_pct",
    ("K6", "trade_total"): "kz_tr_trade_total",
    ("K6", "exports_to_tr"): "kz_exports_to_tr",
    ("K6", "imports_from_tr"): "kz_imports_from_tr",
    ("K6", "tr_fdi"): "tr_fdi_in_kz",
    ("K6", "turkish_companies"): "turkish_companies_in_kz",
    ("K6", "joint_projects"): "kz_tr_joint_projects_ots",
    ("K8", "tr_to_kz"): "tr_fdi_in_kz",
    ("K8", "kz_to_tr"): "kz_investment_in_tr",
    ("K8", "projects"): "kz_tr_investment_projects",
    ("K4", "oil"): "kz_oil_reserves",
    ("K4", "gas"): "kz_gas_reserves",
    ("K4", "russia"): "kz_oil_export_share_russia",
    ("K4", "china"): "kz_oil_export_share_china",
    ("K4", "europe"): "kz_oil_export_share_europe",
    ("K2", "indicator_1998"): "kz_oil_via_caspian_georgia",
    ("K2", "pipeline_infrastructure_projects"): "oil_terminal_capacity_sogandy",
    ("K2", "situation_2020"): "kz_oil_exports_aktau_kuryk",
    ("K1", "length"): "middle_corridor_length",
}

#: total key → the part keys that add up to it (within one source and year).
IDENTITIES: dict[str, tuple[str, ...]] = {
    "kz_tr_trade_total": ("kz_exports_to_tr", "kz_imports_from_tr"),
    # line 1130: 58 agreements, of which 44 bilateral and 14 multilateral
    "kz_intl_science_education_agreements": ("kz_intl_science_education_agreements_bilateral",
                                             "kz_intl_science_education_agreements_multilateral"),
}

#: share key (percent) → (part keys, total key): share = 100 · Σ parts / total.
SHARES_OF_TOTAL: dict[str, tuple[tuple[str, ...], str]] = {
    "kz_exports_share_of_kz_tr_trade": (("kz_exports_to_tr",), "kz_tr_trade_total"),
    "turkish_companies_in_kz_construction_trade_share": (
        ("turkish_companies_in_kz_construction", "turkish_companies_in_kz_trade"),
        "turkish_companies_in_kz"),
}

#: cumulative key → the yearly key whose table figures it sums.
CUMULATIVE_OF: dict[str, str] = {
    "tr_fdi_in_kz_cumulative": "tr_fdi_in_kz",
    "kz_investment_in_tr_cumulative": "kz_investment_in_tr",
}

#: Stocks the text states "now" without a year: compared with every year of the table
#: (consistent if some year's figure fits), so no year has to be assumed.
UNDATED_STOCKS: frozenset[str] = frozenset({"turkish_companies_in_kz"})

#: Quantities that are close to, but not the same as, a table figure: untestable, with the
#: reason said by the label ``checks.diag.none.not_the_same.<key>`` (what the near figure
#: measures instead: Кесте 6 counts joint projects within the OTS, 30/45/60 in 2020–2022,
#: and Кесте 8 investment projects per year, 20–40, both dated, while line 1107's "nearly
#: 100 joint Kazakh–Turkish investment projects" is undated and not restricted to the OTS).
NOT_THE_SAME: frozenset[str] = frozenset({"kz_tr_joint_projects", "kz_tr_joint_projects_ots",
                                          "kz_tr_investment_projects"})

GROWTH_SUFFIX = "_growth_pct"
DECLINE_WORDS = ("decline", "decrease", "fall", "fell", "drop")

#: The short name of each printed table in claim ids (``Кесте 7`` → ``K7``), discovered from
#: the exhibits of the raw resources.
SHORT = {res.exhibit: "K" + res.exhibit.split()[-1] for res in RESOURCES.values()
         if res.exhibit.startswith("Кесте ")}
#: Every printed table the ledger judges cell by cell: discovered, never listed — each raw
#: resource with the cell-table schema (one row per printed cell, ``CELL_FIELDS``), so a new
#: table transcribed in that form is judged the moment its schema exists.
CELL_RESOURCES: tuple[str, ...] = tuple(name for name, res in RESOURCES.items()
                                        if res.fields == CELL_FIELDS)

#: growth key → level key, where the level key is not the growth key minus "_growth_pct".
TABLE_GROWTH_LEVEL: dict[str, str] = {"kz_tr_trade_growth_pct": "kz_tr_trade_total"}

@dataclass(frozen=True)
class ShareList:
    """A list of shares that divide one whole, and what the source says of its extent.

    ``basis`` is what tells whether the list is complete, with the words that tell it
    (``marker``, verbatim on ``line``): ``rest`` (the source names the rest: «Қалған 4
    пайызы»), ``total`` (it prints a total or 100) make a list *complete*; ``main``
    (only the main ones: «негізгі»), ``among`` («соның ішінде»), ``named_some`` (it names
    more members than it gives shares) and ``no_marker`` (nothing says it is complete: a
    caption, "the participants") leave it *partial*. The one rule for every list, in a
    table or in the text (:func:`analysis.checks.arith.check_share_sum`): a complete list
    must sum to 100 within rounding; a partial one reports the share it leaves
    unaccounted (not decisive) and is contradicted only above 100 plus rounding."""

    keys: tuple[str, ...]
    whole: str
    basis: str
    marker: str
    line: int

    @property
    def complete(self) -> bool:
        return self.basis in COMPLETE_BASES


#: The bases that make a list complete (the others leave it partial).
COMPLETE_BASES: frozenset[str] = frozenset({"rest", "total"})
LIST_BASES: tuple[str, ...] = ("rest", "total", "main", "among", "named_some", "no_marker")

#: share list id → its declaration (:class:`ShareList`). A share printed as a range
#: ("30-дан 40 пайызы") counts with both ends.
SHARE_LISTS: dict[str, ShareList] = {
    # line 515: 96 % by sea, "the remaining" 4 % by the Northern Corridor
    "china_europe_containers": ShareList(
        ("china_europe_containers_sea_share", "china_europe_containers_northern_share"),
        "china_europe_containers_total", "rest", "Қалған 4 пайызы", 515),
    # line 675: the "Contract of the Century" partners named in the text, "a group of
    # Western companies" among them
    "aioc_1994_text": ShareList(
        ("consortium_stake_bp_aioc_1994", "consortium_stake_amoco_aioc_1994",
         "consortium_stake_az_other_aioc_1994", "consortium_stake_socar_aioc_1994",
         "consortium_stake_tpao_aioc_1994"), "aioc_1994", "no_marker",
        "Батыс мұнай компаниялары тобы", 675),
    # line 776: BTC shareholders named as "the participants"
    "btc": ShareList(
        ("consortium_stake_socar_btc", "consortium_stake_bp_btc", "consortium_stake_unocal_btc",
         "consortium_stake_statoil_btc", "consortium_stake_tpao_btc"), "btc", "no_marker",
        "Осы жобаның қатысушылары ретінде", 776),
    # line 778: Shah Deniz partners named (1996), with no word that they are all
    "shah_deniz_1996": ShareList(
        ("consortium_stake_bp_shah_deniz_1996", "consortium_stake_socar_shah_deniz_1996",
         "consortium_stake_statoil_shah_deniz_1996", "consortium_stake_tpao_shah_deniz_1996"),
        "shah_deniz", "no_marker", "Консорциумға серіктестер", 778),
    # line 778: TANAP "the main partners" SOCAR, BOTAS, BP
    "tanap": ShareList(
        ("consortium_stake_socar_tanap", "consortium_stake_botas_tanap",
         "consortium_stake_bp_tanap"), "tanap", "main", "негізгі серіктестер ретінде", 778),
    # line 802: shares of the Caspian coast: five states named, three shares given
    "caspian_coast": ShareList(
        ("caspian_coast_share_iran", "caspian_coast_share_russia", "caspian_coast_share_kz"),
        "caspian_coast", "named_some", "Каспийдегі бес мемлекет", 802),
    # line 805: "among them, the main routes" of Kazakhstan's oil exports (text)
    "kz_oil_export_routes_text": ShareList(
        ("kz_oil_export_share_russia", "kz_oil_export_share_china"), "kz_oil_exports", "among",
        "Соның ішінде экспорттың негізгі бағыттары", 805),
    # line 423: a survey of Kazakhstanis on foreign-policy orientation (selected answers)
    "kz_foreign_policy_opinion": ShareList(
        ("kz_opinion_independent_development", "kz_opinion_close_cooperation_russia",
         "kz_opinion_cooperation_west", "kz_opinion_integration_turkic_world",
         "kz_opinion_union_china"), "kz_population", "no_marker", "Сауалнамаларға сәйкес", 423),
}

#: The share lists of the tables, by the claim id of their row: Кесте 3 prints a caption
#: and no total row; Кесте 4's part 2 is headed "export routes of Kazakhstan's oil" and
#: names three routes, with no total. (The survey's questions, Қосымша Б, report every
#: option asked: complete lists, judged by ``survey.sum`` under the same rule.)
TABLE_SHARE_LISTS: dict[str, ShareList] = {
    "K3.1994.share.sum100": ShareList((), "aioc_1994", "no_marker",
                                      "Кесте 3 - 1994 жылғы ғасыр келісімі", 677),
    "K4.routes.share.sum100": ShareList((), "kz_oil_exports", "no_marker",
                                        "Қазақстан мұнайының экспорт бағыттары", 823),
}

#: part key → whole key: a part cannot exceed its whole (same year, or both undated).
PART_OF: dict[str, str] = {
    "turkish_companies_in_kz_construction": "turkish_companies_in_kz",
    "turkish_companies_in_kz_trade": "turkish_companies_in_kz",
    "kz_students_in_tr": "tr_foreign_students",
    "kz_graduates_of_tr_universities_grants": "kz_graduates_of_tr_universities",
}

#: flow key → capacity key: a flow through a route cannot exceed its stated capacity (an
#: undated capacity applies to every year).
FLOW_CAPACITY: dict[str, str] = {
    "middle_corridor_cargo_volume": "middle_corridor_capacity",
    "middle_corridor_cargo_volume_target": "middle_corridor_capacity_target",
    "btk_cargo_volume": "btk_capacity",
    "kz_oil_to_btc_by_tanker": "pipeline_capacity_btc",
    "kz_oil_to_btc_potential": "pipeline_capacity_btc",
}

#: factor claim id → (claim id of the level before, claim id of the level after):
#: "grew fourfold" means after = factor × before. (The text prints no factor together with
#: both levels; the check is tested on crafted data.)
FACTORS: dict[str, tuple[str, str]] = {}

#: duration key → event key of the start: an anniversary printed with its year ("20 жылдық
#: мерейтой" in 1903) must equal that year minus the year the event is told.
DURATION_START: dict[str, str] = {
    "terjuman_age_years": "terjuman_founding_1883",
    "turksoy_age_years": "turksoy_founding_1993",
    "ots_age_years": "turkic_council_founding_nakhchivan",
    "kz_independence_anniversary_years": "turkic_states_independence_1991",
    "turkic_states_independence_anniversary_2011": "turkic_states_independence_1991",
}

#: duration key → range key: a stated length equals the printed range's last minus first
#: year (the study's "34 жылдық кезең", line 8, vs "1991 жылдан 2025 жылға дейін", line 47).
#: The age of the relations themselves ("соңғы 33 жыл", line 485; "34 жыл ішінде", line
#: 1334) is another quantity: the relations began with recognition in December 1991 and
#: diplomatic relations in 1992 (line 669), not with the study period.
DURATION_SPAN: dict[str, str] = {
    "study_period_length_years": "study_period_years",
}

#: An event series the text numbers itself: lines 442–444 count the summits of the heads of
#: Turkic-speaking states from the first (Ankara 1992) to the tenth (Istanbul 2010). The
#: Turkic Council's and the OTS's own summits (from 2011) are numbered anew and are not
#: in it.
EVENT_SERIES: dict[str, tuple[str, ...]] = {
    "heads_of_state_summits": (
        "summit_01_ankara_1992", "summit_02_istanbul_1994", "summit_03_bishkek_1995",
        "summit_04_tashkent_1996", "summit_05_astana_1998", "summit_06_baku_2000",
        "summit_07_istanbul_2001", "summit_08_antalya_2006", "summit_09_nakhchivan_2009",
        "summit_10_istanbul_2010"),
}

#: count key → (series, first year, last year; ``None`` = open): a stated number of events
#: vs the events of the series dated in that window ("1994–2000: five summits"; the 2011
#: declaration's "last ten summits" are those before 2011).
EVENT_COUNTS: dict[str, tuple[str, int | None, int | None]] = {
    "heads_of_state_summits_1994_2000": ("heads_of_state_summits", 1994, 2000),
    "summits_declarations_continuity_count": ("heads_of_state_summits", None, 2010),
}

#: range key → series whose first and last dated events a printed span states.
EVENT_PERIODS: dict[str, str] = {"heads_of_state_summits_period": "heads_of_state_summits"}

#: main channel key → (the other channels' keys, the words that call it the main one, their
#: line): the channel the text calls main must carry at least as much as every other
#: channel of the same list in the same year (line 654: pipelines «негізгі тасымалдау
#: арнасы», against sea and rail transport in 2012).
MAIN_CHANNELS: dict[str, tuple[tuple[str, ...], str, int]] = {
    "kz_oil_pipeline_transport_kaztransoil": (
        ("kz_oil_sea_transport_kaztransoil", "kz_oil_rail_transport"),
        "негізгі тасымалдау арнасы", 654),
}

#: forecast key → (direction of the revision, the verb that tells it, its line): two figures
#: of the key on that line are one forecast before and after a revision, not one number
#: stated twice (line 1323: the EBRD «3%-дан 2,5%-ға дейін төмендетті»).
REVISIONS: dict[str, tuple[str, str, int]] = {
    "tr_gdp_growth_forecast_ebrd": ("down", "төмендетті", 1323),
}


@dataclass(frozen=True)
class OtherDate:
    """Two quantities the text states for different dates or scopes (the words of each
    side say which): their difference is reported, and cannot contradict."""

    relation: str        # "same" (one holder's stake), "part" (a part against a whole)
    differs: str         # "date", "scope" or "date_scope"
    words_a: str
    line_a: int
    words_b: str
    line_b: int


#: (key a, key b) → :class:`OtherDate`: TPAO's 19 % in "Shah Deniz and the Southern Gas
#: Corridor projects as a whole", now, against its 9,0 % in the 1996 Shah Deniz consortium
#: (line 778); 1,6 thousand construction-sector legal entities "now" against Кесте 6's
#: Turkish companies in all (2020–2022).
OTHER_DATE_OR_SCOPE: dict[tuple[str, str], OtherDate] = {
    ("consortium_stake_tpao_shah_deniz_sgc", "consortium_stake_tpao_shah_deniz_1996"):
        OtherDate("same", "date_scope",
                  "Шах-Дениз кен орны мен жалпы Оңтүстік газ дәлізіндегі жобаларға", 778,
                  "Шах-Дениз кен орнын игеруге келісім-шарт 1996 жылы жасалды", 778),
    ("turkish_companies_in_kz_construction", "turkish_companies_in_kz"):
        OtherDate("part", "date_scope", "Бұл салаларда Қазақстанда тиісінше 1,6 мың", 1334,
                  "Қазақстандағы түрік компаниялары (саны)", 967),
}

#: claim id → (the words that attribute the number to forecasters or analysts, its line):
#: against an outturn such a number is a forecast set against what happened, which may
#: miss without the text being wrong (line 1323: «Bloomberg сарапшыларының пікірінше»).
ATTRIBUTED_FORECASTS: dict[str, tuple[str, int]] = {
    "T198": ("Bloomberg сарапшыларының пікірінше", 1323),
}

#: Oil a channel carries out of Kazakhstan in a year: at most the oil Kazakhstan had left
#: for export that year, production less consumption (Energy Institute); transit oil of
#: other countries is not counted (the diagnosis says so).
OIL_EXPORT_FLOWS: frozenset[str] = frozenset({
    "kz_oil_sea_transport_kaztransoil", "kz_oil_rail_transport",
    "kz_oil_aktau_to_baku_makhachkala"})
