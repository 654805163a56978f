"""ACLED exports (the 31-column CSV researchers download from acleddata.com).

Quirks handled here
- ``event_date`` is ``01 January 2018`` in exports made with the web tool and ISO
  ``2018-01-01`` in API exports; both are accepted, anything else is a problem.
- ``source`` lists several outlets in one cell separated by ``; `` (``SOHR; Step News``):
  each outlet becomes a source named by a figure-less claim (see ``pipeline``).
- ``fatalities`` is ACLED's single conservative figure: the ACLED claim carries it as
  ``killed_min = killed_max``. ACLED does not separate civilians, so civilian figures
  stay unknown (NULL), not zero.
- Who did it: ACLED gives two actors and **no direction**. Its codebook, for both
  ``actor1`` and ``actor2``: "The named actor involved in the event. Note: Actor 1 and
  Actor 2 do not imply directionality (e.g. attacker or defender)" (ACLED codebook,
  column definitions; also in the acledR package's ``acled_codebook``). So the ACLED
  claims give each actor a role (``taxonomy.CLAIM_ROLES``) per event type and sub-type:

  * **Battles** (``Armed clash``, ``Government regains territory``, ``Non-state actor
    overtakes territory``) - "a violent interaction between two organised armed
    groups": one ``party`` claim per actor, never a perpetrator. A clash between two
    sides an agreement binds is an alleged violation, direction undetermined
    (``derive``). A territorial sub-type says who holds the ground afterwards, not who
    fired first, so it is a party claim too.
  * **Explosions/Remote violence** (``Air/drone strike``,
    ``Shelling/artillery/missile attack``, ``Remote explosive/landmine/IED``,
    ``Suicide bomb``, ``Grenade``, ``Chemical weapon``) and **Violence against
    civilians** - one-sided means, but ACLED still does not say which actor used them.
    The tracker infers a perpetrator only by a named rule
    (``taxonomy.ATTRIBUTION_RULES``; claims ``inferred`` with the rule's name, which
    views can leave out):
    ``acled-other-actor-civilians`` - the other actor is civilians (``inter`` code 7 or
    a ``Civilians (...)`` name): the armed actor is the perpetrator;
    ``acled-strike-one-side-capable`` - an ``Air/drone strike`` in which exactly one
    named actor can strike from the air (``AIR_CAPABLE``: state forces with air forces
    or drones, Turkey's named operations, the US-led coalition): that actor is the
    perpetrator (this covers a strike whose only named actor is an air force).
    Otherwise every named actor is a ``party``.
  * **Protests, Riots, Strategic developments**: not kinetic (weapon "other"); their
    actors are parties.

  Civilians are victims, never an actor claim. ``assoc_actor_1``/``assoc_actor_2``
  (allies, ``; ``-separated) are quoted in the claim, not claimed: listing allies as
  further actors would make the store count the incident as disputed, which ACLED
  does not say.
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
    lit,
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


#: Who can carry out an air or drone strike in north-west Syria (``acled-strike-one-side-
#: capable``): ACLED names of state forces with air forces or armed drones, Turkey's
#: named operations and the US-led coalition (case-insensitive regular expressions,
#: matched at the start of the name).
AIR_CAPABLE = (
    r"military forces of (syria|russia|turkey|iran|israel|the united states|united states)\b",
    r"operation (olive branch|peace spring|euphrates shield|spring shield)\b",
    r"(global |us-led |u\.s\.-led )?coalition\b",
)
#: Sub-types of one-sided means (Explosions/Remote violence)
REMOTE_SUB_TYPES = (
    "air/drone strike",
    "shelling/artillery/missile attack",
    "remote explosive/landmine/ied",
    "suicide bomb",
    "grenade",
    "chemical weapon",
)


def roles_sql(
    event_type: str, sub: str, actor1: str, inter1: str, actor2: str, inter2: str
) -> dict[str, str]:
    """The staged ``actors`` (perpetrators), ``parties`` and ``attribution_rule`` of an
    ACLED row, by the rules in the module docstring."""
    a1, a2 = blank_to_null(actor1), blank_to_null(actor2)

    def civilian(name: str, inter: str) -> str:
        return (
            f"(trim(coalesce({inter}, '')) = '7' OR "
            f"regexp_matches(lower(coalesce({name}, '')), '^civilians\\b'))"
        )

    def capable(name: str) -> str:
        pattern = "^(" + "|".join(AIR_CAPABLE) + ")"
        return f"coalesce(regexp_matches(lower({name}), {lit(pattern)}), false)"

    ev, st = f"lower(trim(coalesce({event_type}, '')))", f"lower(trim(coalesce({sub}, '')))"
    one_sided = f"({st} IN ({', '.join(lit(t) for t in REMOTE_SUB_TYPES)}) OR {ev} = 'violence against civilians')"
    civ1, civ2 = civilian(a1, inter1), civilian(a2, inter2)
    strike = f"{st} = 'air/drone strike'"
    cap1 = f"({a1} IS NOT NULL AND NOT {civ1} AND {capable(a1)})"
    cap2 = f"({a2} IS NOT NULL AND NOT {civ2} AND {capable(a2)})"
    armed1 = f"({a1} IS NOT NULL AND NOT {civ1})"
    armed2 = f"({a2} IS NOT NULL AND NOT {civ2})"
    # one rule per row, or NULL: no perpetrator inferred
    rule = f"""(CASE
        WHEN {one_sided} AND {armed1} AND {civ2} THEN 'acled-other-actor-civilians'
        WHEN {one_sided} AND {armed2} AND {civ1} THEN 'acled-other-actor-civilians'
        WHEN {strike} AND {cap1} <> {cap2} THEN 'acled-strike-one-side-capable'
        END)"""
    perpetrator = f"""(CASE
        WHEN {one_sided} AND {armed1} AND {civ2} THEN {a1}
        WHEN {one_sided} AND {armed2} AND {civ1} THEN {a2}
        WHEN {strike} AND {cap1} AND NOT {cap2} THEN {a1}
        WHEN {strike} AND {cap2} AND NOT {cap1} THEN {a2}
        END)"""
    armed = f"list_filter([CASE WHEN {armed1} THEN {a1} END, CASE WHEN {armed2} THEN {a2} END], lambda x: x IS NOT NULL)"
    return {
        "actors": f"list_filter([{perpetrator}], lambda x: x IS NOT NULL)",
        "parties": f"(CASE WHEN {rule} IS NULL THEN list_distinct({armed}) ELSE []::VARCHAR[] END)",
        "attribution_rule": rule,
    }


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
        **roles_sql(
            c("event_type"), q("sub_event_type"), q("actor1"), c("inter1"), actor2, c("inter2")
        ),
        "outlets": split_list(c("source"), ";"),
        "killed_min": num(q("fatalities")),
        "killed_max": num(q("fatalities")),
        "wounded_min": "NULL::DOUBLE",
        "wounded_max": "NULL::DOUBLE",
        "civilians_killed_min": "NULL::DOUBLE",
        "civilians_killed_max": "NULL::DOUBLE",
        "quote": f"""concat_ws('; ',
            'ACLED ' || coalesce({c("event_type")}, '') || ' / ' || coalesce({q("sub_event_type")}, ''),
            'actor 1: ' || {blank_to_null(q("actor1"))},
            'associated: ' || {blank_to_null(assoc)},
            'actor 2: ' || {blank_to_null(actor2)},
            'associated with actor 2: ' || {blank_to_null(c("assoc_actor_2"))},
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
