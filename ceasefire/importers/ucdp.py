"""UCDP Georeferenced Event Dataset (GED) event CSVs.

Two layouts are accepted: the older one (``conflict_new_id``, ``side_a_new_id``,
``gwnob`` ...) and the current one (``relid``, ``side_a_dset_id``,
``where_description`` ...). Only columns both share are required; the rest are used
when present.

Quirks handled here
- Quoted fields span lines (``source_article``, ``source_headline``): DuckDB's reader
  handles them, and problem reports give editor line numbers (see ``pipeline``).
- ``side_a`` may list several groups in one cell (``National Front for Liberation,
  SNA``): split on ``, `` into one claim per group, each carrying the row's figures
  (the incident range is min/max over claims, so nothing is double counted).
- Who did it, by ``type_of_violence`` (UCDP GED codebook): 1 **state-based** (armed
  force between two parties, at least one the government of a state: ``side_a`` is the
  government by UCDP's convention of listing the government first, not the attacker)
  and 2 **non-state** (between two organised armed groups, neither a government):
  the event records fighting *between* the dyad's sides and does not say who struck
  whom, so every group of ``side_a`` and of ``side_b`` gets a ``party`` claim, never a
  perpetrator (a clash between two sides an agreement binds is an alleged violation,
  direction undetermined: ``derive``). 3 **one-sided** violence ("the use of armed
  force by the government of a state or by a formally organised group against
  civilians"): ``side_a`` is the actor that used the force, so it is the
  ``perpetrator`` (stated by UCDP); ``side_b`` is the civilians, never a claim.
  ``side_a``/``side_b`` and the type are also quoted in the claim.
- Figures: ``low``/``high`` -> killed_min/killed_max, ``best`` -> ``killed_best``
  (UCDP's best estimate, shown beside the range). Real GED
  releases have rows where ``high < low`` or ``best`` lies outside [low, high] (18 of
  2,405 rows in the NW Syria 2018-19 file, e.g. id 278606: 3/3/2); these are not
  rejected: the claim's range is [least, greatest] of low/best/high, and the three
  figures are quoted as published;
  ``deaths_civilians`` -> civilians_killed_min = civilians_killed_max. UCDP counts
  deaths only; wounded stay unknown.
- Sources: ``source_office`` (``SOHR;SOHR;Airwars``) split on ``;``, de-duplicated,
  one figure-less claim per outlet; ``source_headline`` is the description;
  ``source_article`` is quoted in the UCDP claim.
- Precision: ``date_prec`` 1 -> day, 2-3 (within 2-7 days) -> week, 4-5 (month or
  longer) -> month, dated at ``date_start``. ``where_prec`` 1 -> exact, 2 -> near
  (within 25 km), 3 -> district, 4 -> governorate, 5-7 -> unknown (larger areas).
- Weapon heuristic (conservative): GED does not code the means. The weapon is set
  only when ``source_headline`` names exactly one kind of means: air raid/airstrike/
  aerial/warplane/helicopter/barrel bomb -> airstrike; drone -> drone strike;
  shelling/artillery/mortar -> shelling/artillery; rocket/missile ->
  rocket/missile; clash/fighting/battle -> ground clash. No or several kinds ->
  other (a headline often covers several events of a day).
- Target type: GED does not say -> unknown.
- Verification: ``event_clarity`` 1 (clear event) with ``number_of_sources`` > 1 ->
  corroborated; otherwise reported.
- Governorate and district names (``Idlib Governorate``, ``Maarat al-Numaan
  district``) go through ``places`` to OCHA spellings and P-codes. ``id`` is the
  origin id.
"""

from __future__ import annotations

from .checks import (
    Check,
    blank_to_null,
    check_count,
    check_date,
    check_number,
    check_required,
    check_unique_id,
    col_or_null,
    num,
    q,
    split_list,
)
from .pipeline import FormatSpec

ORIGIN = "ucdp"
REQUIRED = [
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "latitude",
    "longitude",
    "date_start",
    "low",
    "best",
    "high",
]

WEAPON_PATTERNS = {
    "airstrike": r"air ?strike|air ?raid|aerial|warplane|war plane|aircraft|helicopter|barrel bomb|bombing raid",
    "drone strike": r"\bdrones?\b|\buav",
    "shelling/artillery": r"shell|artiller|mortar",
    "rocket/missile": r"rocket|missile",
    "ground clash": r"clash|fighting|battle",
}


def weapon_sql(headline: str) -> str:
    h = f"lower(coalesce({headline}, ''))"
    hits = [
        f"CASE WHEN regexp_matches({h}, '{pattern}') THEN '{w}' END"
        for w, pattern in WEAPON_PATTERNS.items()
    ]
    kinds = f"list_filter([{', '.join(hits)}], lambda x: x IS NOT NULL)"
    return f"(CASE WHEN len({kinds}) = 1 THEN {kinds}[1] ELSE 'other' END)"


def parsed_date(expr: str) -> str:
    return f"TRY_CAST({blank_to_null(expr)} AS DATE)"


def roles_sql(type_of_violence: str, side_a: str, side_b: str) -> dict[str, str]:
    """The staged ``actors`` (perpetrators) and ``parties`` of a GED row, by
    ``type_of_violence`` (module docstring): 3 (one-sided) makes every group of
    ``side_a`` a perpetrator; 1 and 2 make every group of both sides a party."""
    tov = f"trim(coalesce({type_of_violence}, ''))"
    groups_a, groups_b = split_list(side_a, ","), split_list(side_b, ",")
    return {
        "actors": f"(CASE WHEN {tov} = '3' THEN {groups_a} ELSE []::VARCHAR[] END)",
        "parties": f"(CASE WHEN {tov} = '3' THEN []::VARCHAR[] "
        f"ELSE list_distinct(list_concat({groups_a}, {groups_b})) END)",
    }


def _stage(cols: set[str]) -> dict[str, str]:
    c = lambda name: col_or_null(cols, name)  # noqa: E731
    headline = c("source_headline")
    return {
        "origin_id": f"trim({q('id')})",
        "occurred_on": parsed_date(q("date_start")),
        "date_precision": f"(CASE trim({c('date_prec')}) WHEN '2' THEN 'week' WHEN '3' THEN 'week' "
        f"WHEN '4' THEN 'month' WHEN '5' THEN 'month' ELSE 'day' END)",
        "place_name": f"coalesce({blank_to_null(c('where_coordinates'))}, {blank_to_null(c('where_description'))})",
        "governorate": f"regexp_replace({blank_to_null(c('adm_1'))}, '\\s*\\(.*\\)$', '')",
        "district": blank_to_null(c("adm_2")),
        "latitude": num(q("latitude")),
        "longitude": num(q("longitude")),
        "location_precision": f"(CASE trim({c('where_prec')}) WHEN '1' THEN 'exact' WHEN '2' THEN 'near' "
        f"WHEN '3' THEN 'district' WHEN '4' THEN 'governorate' ELSE 'unknown' END)",
        "weapon": weapon_sql(headline),
        "target_type": "'unknown'",
        "description": blank_to_null(headline),
        "verification": f"(CASE WHEN trim({c('event_clarity')}) = '1' AND "
        f"TRY_CAST({c('number_of_sources')} AS INTEGER) > 1 THEN 'corroborated' ELSE 'reported' END)",
        **roles_sql(q("type_of_violence"), q("side_a"), q("side_b")),
        "killed_best": num(q("best")),
        "outlets": split_list(c("source_office"), ";"),
        "killed_min": f"least({num(q('low'))}, {num(q('best'))}, {num(q('high'))})",
        "killed_max": f"greatest({num(q('low'))}, {num(q('best'))}, {num(q('high'))})",
        "wounded_min": "NULL::DOUBLE",
        "wounded_max": "NULL::DOUBLE",
        "civilians_killed_min": num(c("deaths_civilians")),
        "civilians_killed_max": num(c("deaths_civilians")),
        "quote": f"""concat_ws('; ',
            'UCDP GED type of violence ' || {blank_to_null(q("type_of_violence"))},
            'side_a: ' || {blank_to_null(q("side_a"))},
            'side_b: ' || {blank_to_null(q("side_b"))},
            'deaths low/best/high: ' || concat_ws('/', {q("low")}, {q("best")}, {q("high")}),
            'source: ' || {blank_to_null(c("source_article"))})""",
    }


def _checks(cols: set[str]) -> list[Check]:
    checks = [
        check_required("id"),
        check_unique_id("id"),
        check_required("date_start"),
        check_date("date_start", parsed_date(q("date_start")), "'2018-01-31'"),
        *check_number("latitude", -90, 90, "latitude"),
        *check_number("longitude", -180, 180, "longitude"),
    ]
    for figure in ("low", "best", "high", "deaths_civilians"):
        if figure in cols:
            checks += check_count(figure)
    return checks


SPEC = FormatSpec(
    origin=ORIGIN,
    dataset_source="UCDP GED",
    required=REQUIRED,
    stage=_stage,
    checks=_checks,
)
