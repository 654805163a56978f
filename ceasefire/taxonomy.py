"""Fixed vocabularies of the store's model.

Each vocabulary is a mapping from the stored value to a one-line definition. The
definitions are shown in the app and docs/counting.md, so a researcher can see exactly what a
category means before counting it. The schema's CHECK constraints are built from these
same tuples (see ``schema.py``), so nothing outside them can be written.
"""

from __future__ import annotations

WEAPONS: dict[str, str] = {
    "airstrike": "Fixed-wing or helicopter strike, barrel bombs included.",
    "drone strike": "Strike by an unmanned aerial vehicle.",
    "shelling/artillery": "Artillery, mortar or tank fire from the ground.",
    "rocket/missile": "Rocket launchers, surface-to-surface or guided missiles.",
    "ground clash": "Armed clash or assault between forces on the ground.",
    "IED": "Improvised explosive device, car bomb or landmine.",
    "other": "Anything else, including reports that do not name the means.",
}

#: Weapons that count toward an alleged violation of a ceasefire.
#: "other" is excluded because it includes non-violent or unspecified events.
KINETIC_WEAPONS: tuple[str, ...] = (
    "airstrike",
    "drone strike",
    "shelling/artillery",
    "rocket/missile",
    "ground clash",
    "IED",
)

TARGET_TYPES: dict[str, str] = {
    "armed-group position": "Front line, base, checkpoint or headquarters of an armed group.",
    "training camp": "A camp where an armed group trains fighters.",
    "civilian residential": "Homes and residential neighbourhoods.",
    "market": "Markets, shops and commercial streets.",
    "medical": "Hospitals, clinics, ambulances and medical staff.",
    "school/education": "Schools, universities and other places of learning.",
    "IDP camp": "Camps and shelters for internally displaced people.",
    "infrastructure": "Water, power, roads, bridges, bakeries, civil-defence centres.",
    "religious": "Mosques, churches and shrines.",
    "agricultural": "Farmland, crops, livestock and agricultural facilities.",
    "convoy/patrol": "Military convoys, joint patrols and observation posts.",
    "unknown": "The reports do not say what was hit.",
}

VERIFICATION_STATUSES: dict[str, str] = {
    "reported": "Reported by at least one source; not yet checked.",
    "corroborated": "Reported independently by two or more sources.",
    "disputed": "Sources disagree on whether it happened or who did it.",
    "verified": "Confirmed by a monitor or by open-source verification.",
    "discounted": "Checked and judged not to have happened as reported.",
}

SOURCE_KINDS: tuple[str, ...] = ("media", "NGO", "monitor", "government", "military", "social")

AFFILIATIONS: tuple[str, ...] = (
    "pro-government",
    "opposition",
    "Russian state",
    "Turkish state",
    "Iranian state",
    "independent",
    "unknown",
)

SIDES: dict[str, str] = {
    "pro-government coalition": "Syrian government forces, Russia, Iran and allied militias.",
    "opposition factions": "Armed opposition covered by the agreements (e.g. the National "
    "Liberation Front, the Syrian National Army).",
    "Turkey": "The Turkish armed forces.",
    "other": "Groups outside the agreements (e.g. Hayat Tahrir al-Sham, Islamic State), "
    "the US-led coalition, the SDF, and unidentified groups.",
}

#: Every casualty figure a claim can give, as a min/max pair (None = not stated).
CASUALTY_FIELDS: tuple[str, ...] = (
    "killed_min",
    "killed_max",
    "wounded_min",
    "wounded_max",
    "civilians_killed_min",
    "civilians_killed_max",
)

DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month")

LOCATION_PRECISIONS: tuple[str, ...] = ("exact", "near", "district", "governorate", "unknown")

#: Two records may be one event when their dates lie within this many days and their
#: places within this many km: the cross-dataset linking rule (``importers.linking``)
#: and the incidents proposed as possibly the same event before a new one is saved
#: (``editing.same_event``) share these numbers.
SAME_EVENT_MAX_DAYS = 1
SAME_EVENT_MAX_KM = 5.0

ORIGIN_MANUAL = "manual"
ORIGIN_DEMO = "demo"

#: How origins are named in sentences (the ids are what the store and URLs use).
ORIGIN_LABELS = {
    "acled": "ACLED",
    "ucdp": "UCDP GED",
    "airwars": "Airwars",
    "manual": "hand-coded reports",
    "demo": "demo data",
}

#: The credit line an exported figure gives each origin ("Data: ACLED (acleddata.com); ...").
ORIGIN_CREDITS = {
    "acled": "ACLED (acleddata.com)",
    "ucdp": "UCDP GED (Sundberg & Melander 2013; Davies et al.)",
    "airwars": "Airwars (airwars.org) and the original publishers",
    "manual": "hand-coded reports (see claims for sources)",
    "demo": "SYNTHETIC demonstration data",
}

#: What a claim says an actor did (``claim.role``).
CLAIM_ROLES: dict[str, str] = {
    "perpetrator": "The source says this actor carried out the act (an air strike, shelling, "
    "an attack on civilians, a one-sided UCDP event).",
    "party": "The actor took part in fighting whose initiator the source does not state "
    "(an ACLED armed clash, a UCDP state-based or non-state event): one claim per actor, "
    "none of them a perpetrator.",
}
ROLE_PERPETRATOR = "perpetrator"
ROLE_PARTY = "party"

#: Who says a perpetrator claim's actor did it (``claim.attribution_basis``).
ATTRIBUTION_BASES: dict[str, str] = {
    "stated": "The source itself names this actor as the perpetrator (or as a party).",
    "inferred": "The source gives two actors without direction; the tracker infers which "
    "one acted, by the named rule in ``claim.attribution_rule``.",
}
BASIS_STATED = "stated"
BASIS_INFERRED = "inferred"

#: The tracker's inference rules (``claim.attribution_rule``): name -> what it does.
#: Every claim with ``attribution_basis = 'inferred'`` names one of these; the About page
#: lists them and the sidebar can leave inferred attributions out.
ATTRIBUTION_RULES: dict[str, str] = {
    "acled-other-actor-civilians": "ACLED Explosions/Remote violence or Violence against "
    "civilians whose other actor (actor2) is civilians: actor1 is taken as the perpetrator "
    "(civilians do not strike, shell or attack).",
    "acled-strike-one-side-capable": "ACLED Air/drone strike whose other actor cannot carry "
    "out air strikes (only state forces with an air force or drones - Syria, Russia, Turkey, "
    "the US-led coalition - can): the actor that can is taken as the perpetrator.",
}

#: What a tally (a party's own count of violations, ``ceasefire.tallies``) covers.
TALLY_KINDS: dict[str, str] = {
    "governorate": "The reporter's count for one governorate.",
    "total": "The reporter's count for the whole area its statement covers (a named area "
    "such as the Idlib de-escalation zone, or not stated); stored beside any governorate "
    "counts of the same statement, never summed with them.",
}
