"""ACLED exports (the 31-column CSV researchers download from acleddata.com).

Quirks handled here
- ``event_date`` is ``01 January 2018`` in exports made with the web tool and ISO
  ``2018-01-01`` in API exports; both are accepted, anything else is a problem.
- ``source`` lists several outlets in one cell separated by ``; `` (``SOHR; Step News``):
  each outlet becomes a source named by a figure-less claim (see ``pipeline``).
- ``fatalities`` is ACLED's single conservative figure: the ACLED claim carries it as
  ``killed_min = killed_max``. ACLED does not separate civilians, so civilian figures
  stay unknown (NULL), not zero.
- Perpetrator: ``actor1`` is ACLED's primary actor and is the alleged actor of the ACLED
  claim. ``assoc_actor_1`` (allies, ``; ``-separated) and ``actor2`` (the other party)
  are quoted in the claim, not alleged: listing allies as further alleged actors would
  make the store count the incident as disputed, which ACLED does not say.
- Weapon (``sub_event_type``), kept honest: ACLED's *Battles* are ground fighting, never
  air or artillery strikes. ``Armed clash`` -> ground clash. The territorial
  sub-types (``Government regains territory``, ``Non-state actor overtakes territory``)
  are also ground clash: ACLED codes a territory change as a Battle only when it was
  taken by force; transfers without fighting are a separate sub-type
  (``Non-violent transfer of territory``, a Strategic development) -> other.
  Other ACLED sub-types, for full exports: ``Air/drone strike`` -> airstrike (drone
  strike when the notes say drone/UAV), ``Shelling/artillery/missile attack`` ->
  shelling/artillery (rocket/missile when the notes say rocket or missile and not
  shelling/artillery/mortar), ``Remote explosive/landmine/IED`` and ``Suicide bomb`` ->
  IED, anything else -> other.
- Target type: ``civilian_targeting`` ("Civilian targeting") and keywords in ``notes``
  (observation post/patrol/convoy, training camp; then, for non-Battles or civilian
  targeting, hospital, school, IDP camp, market, mosque ...). Any other Battle is
  fighting between armed groups -> armed-group position; anything else -> unknown.
- Precision: ``time_precision`` 1/2/3 -> day/week/month; ``geo_precision`` 1 -> exact,
  2 -> near (part of a region near a town), 3 -> governorate (only a larger region is
  named; the coordinates are a provincial centre).
- ``admin1``/``admin2`` (``Idleb``, ``Al Mara``) go through ``places`` to the OCHA
  spelling and P-code. Verification: "reported" (ACLED codes from reports and does
  not publish a per-event verification grade).
- ``event_id_cnty`` (``SYR73184``) is the origin id; it must be present and unique.
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

ORIGIN = "acled"
REQUIRED = [
    "event_id_cnty",
    "event_date",
    "sub_event_type",
    "actor1",
    "admin1",
    "latitude",
    "longitude",
    "fatalities",
]

DATE_FORMATS = "'01 January 2018' or '2018-01-01'"


def parsed_date(expr: str) -> str:
    text = blank_to_null(expr)
    return f"coalesce(CAST(try_strptime({text}, '%d %B %Y') AS DATE), TRY_CAST({text} AS DATE))"


def weapon_sql(sub: str, notes: str) -> str:
    n = f"lower(coalesce({notes}, ''))"
    return f"""(CASE lower(trim(coalesce({sub}, '')))
        WHEN 'armed clash' THEN 'ground clash'
        WHEN 'government regains territory' THEN 'ground clash'
        WHEN 'non-state actor overtakes territory' THEN 'ground clash'
        WHEN 'air/drone strike' THEN
            CASE WHEN regexp_matches({n}, '\\b(drone|uav)s?\\b') THEN 'drone strike' ELSE 'airstrike' END
        WHEN 'shelling/artillery/missile attack' THEN
            CASE WHEN regexp_matches({n}, 'rocket|missile')
                  AND NOT regexp_matches({n}, 'shell|artiller|mortar') THEN 'rocket/missile'
                 ELSE 'shelling/artillery' END
        WHEN 'remote explosive/landmine/ied' THEN 'IED'
        WHEN 'suicide bomb' THEN 'IED'
        ELSE 'other' END)"""


def target_sql(event_type: str, civ: str, notes: str) -> str:
    n = f"lower(coalesce({notes}, ''))"
    return f"""(CASE
        WHEN regexp_matches({n}, 'observation post|patrol|convoy') THEN 'convoy/patrol'
        WHEN regexp_matches({n}, 'training camp') THEN 'training camp'
        WHEN lower(coalesce({event_type}, '')) = 'battles'
             AND lower(coalesce({civ}, '')) NOT LIKE 'civilian targeting%' THEN 'armed-group position'
        WHEN regexp_matches({n}, 'hospital|clinic|medical|ambulance') THEN 'medical'
        WHEN regexp_matches({n}, 'school|university') THEN 'school/education'
        WHEN regexp_matches({n}, 'idp camp|displacement camp|camp for displaced') THEN 'IDP camp'
        WHEN regexp_matches({n}, '\\bmarket') THEN 'market'
        WHEN regexp_matches({n}, 'mosque|church|shrine') THEN 'religious'
        WHEN lower(coalesce({civ}, '')) LIKE 'civilian targeting%' THEN 'civilian residential'
        ELSE 'unknown' END)"""


def _stage(cols: set[str]) -> dict[str, str]:
    c = lambda name: col_or_null(cols, name)  # noqa: E731
    notes = c("notes")
    actor2, assoc = c("actor2"), c("assoc_actor_1")
    return {
        "origin_id": f"trim({q('event_id_cnty')})",
        "occurred_on": parsed_date(q("event_date")),
        "date_precision": f"(CASE trim({c('time_precision')}) WHEN '2' THEN 'week' WHEN '3' THEN 'month' ELSE 'day' END)",
        "place_name": blank_to_null(c("location")),
        "governorate": blank_to_null(q("admin1")),
        "district": blank_to_null(c("admin2")),
        "latitude": num(q("latitude")),
        "longitude": num(q("longitude")),
        "location_precision": f"(CASE trim({c('geo_precision')}) WHEN '1' THEN 'exact' WHEN '2' THEN 'near' "
        f"WHEN '3' THEN 'governorate' ELSE 'unknown' END)",
        "weapon": weapon_sql(q("sub_event_type"), notes),
        "target_type": target_sql(c("event_type"), c("civilian_targeting"), notes),
        "description": blank_to_null(notes),
        "verification": "'reported'",
        "actors": f"list_filter([trim({q('actor1')})], lambda x: x <> '')",
        "outlets": split_list(c("source"), ";"),
        "killed_min": num(q("fatalities")),
        "killed_max": num(q("fatalities")),
        "wounded_min": "NULL::DOUBLE",
        "wounded_max": "NULL::DOUBLE",
        "civilians_killed_min": "NULL::DOUBLE",
        "civilians_killed_max": "NULL::DOUBLE",
        "quote": f"""concat_ws('; ',
            'ACLED ' || coalesce({c("event_type")}, '') || ' / ' || coalesce({q("sub_event_type")}, ''),
            'primary actor: ' || {blank_to_null(q("actor1"))},
            'associated: ' || {blank_to_null(assoc)},
            'other party: ' || {blank_to_null(actor2)},
            'fatalities (ACLED, conservative): ' || {blank_to_null(q("fatalities"))},
            'sources: ' || {blank_to_null(c("source"))})""",
    }


def _checks(cols: set[str]) -> list[Check]:
    return [
        check_required("event_id_cnty"),
        check_unique_id("event_id_cnty"),
        check_required("event_date"),
        check_date("event_date", parsed_date(q("event_date")), DATE_FORMATS),
        *check_number("latitude", -90, 90, "latitude"),
        *check_number("longitude", -180, 180, "longitude"),
        *check_count("fatalities"),
    ]


SPEC = FormatSpec(
    origin=ORIGIN,
    dataset_source="ACLED",
    required=REQUIRED,
    stage=_stage,
    checks=_checks,
)
