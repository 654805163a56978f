"""A synthetic demonstration data set, generated deterministically.

So that a new user sees a working dashboard before importing anything, a fresh store is
filled with a few thousand made-up incidents (2018-2022) in real places of the Idlib
area (``data/demo_places.csv``), at rates that rise and fall around the real escalations
and agreement dates, with conflicting claims on part of them. Every demo row has
``is_demo = true`` and origin ``demo``; their sources are named "Demo ..." so that no
real outlet is ever credited with an invented claim. While any demo row exists the app
shows a banner; ``python -m ceasefire demo remove`` (or the button) deletes them all.

The generator is vectorised (numpy), so the benchmarks use it to build stores of
millions of incidents with the same distributions.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from .records import WriteSummary, delete_origin, write_frames
from .tables.db import PROJECT_ROOT
from .taxonomy import ORIGIN_DEMO

DEMO_PLACES_CSV = PROJECT_ROOT / "data" / "demo_places.csv"
DEFAULT_SEED = 20180917
DEFAULT_SIZE = 3_000

# Relative daily intensity between dates (start of each stretch, level): the 2018
# build-up, the lull after Sochi, the 2019 offensive, the winter 2019-20 offensive, the
# collapse after the Moscow ceasefire, and a low, spiky 2021-22.
_INTENSITY = [
    (date(2018, 1, 1), 3.0),
    (date(2018, 9, 17), 0.8),
    (date(2019, 2, 1), 2.0),
    (date(2019, 4, 26), 6.0),
    (date(2019, 8, 31), 1.5),
    (date(2019, 12, 1), 8.0),
    (date(2020, 3, 6), 0.6),
    (date(2020, 6, 1), 1.0),
    (date(2021, 6, 1), 1.6),
    (date(2021, 10, 1), 1.0),
    (date(2022, 12, 31), 0.0),
]

# alleged actor -> (share, weapons and their shares)
_ACTORS = {
    "Syrian government": (
        0.42,
        {"shelling/artillery": 0.55, "airstrike": 0.3, "rocket/missile": 0.15},
    ),
    "Russia": (0.30, {"airstrike": 0.85, "rocket/missile": 0.1, "drone strike": 0.05}),
    "Pro-government militias": (0.06, {"shelling/artillery": 0.6, "ground clash": 0.4}),
    "Turkey": (0.05, {"shelling/artillery": 0.6, "drone strike": 0.4}),
    "Hayat Tahrir al-Sham": (
        0.06,
        {"shelling/artillery": 0.4, "rocket/missile": 0.3, "ground clash": 0.3},
    ),
    "National Liberation Front": (0.05, {"shelling/artillery": 0.5, "rocket/missile": 0.5}),
    None: (0.06, {"other": 0.5, "airstrike": 0.3, "IED": 0.2}),  # no perpetrator named
}
_TARGETS = {
    "civilian residential": 0.30,
    "armed-group position": 0.22,
    "agricultural": 0.08,
    "market": 0.06,
    "infrastructure": 0.08,
    "medical": 0.04,
    "school/education": 0.04,
    "IDP camp": 0.04,
    "religious": 0.02,
    "training camp": 0.03,
    "convoy/patrol": 0.03,
    "unknown": 0.06,
}
_SOURCES = [
    ("Demo monitor", "monitor", "independent"),
    ("Demo opposition outlet", "media", "opposition"),
    ("Demo pro-government outlet", "media", "pro-government"),
    ("Demo Russian state outlet", "media", "Russian state"),
    ("Demo civil defence", "NGO", "opposition"),
]
_STATUSES = {
    "reported": 0.55,
    "corroborated": 0.25,
    "verified": 0.1,
    "discounted": 0.03,
    "disputed": 0.07,
}


def _daily_intensity(days: pd.DatetimeIndex) -> np.ndarray:
    starts = pd.to_datetime([d for d, _ in _INTENSITY])
    levels = np.array([lvl for _, lvl in _INTENSITY])
    return levels[np.searchsorted(starts.values, days.values, side="right") - 1]


def _pick(rng: np.random.Generator, shares: dict, n: int) -> np.ndarray:
    keys = list(shares)
    p = np.array(list(shares.values()), dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def generate(
    size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(incidents, claims) frames in ``records.write_frames`` form; same seed, same data."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2018-01-01", "2022-12-31", freq="D")
    weights = _daily_intensity(days)
    per_day = rng.poisson(weights / weights.sum() * size)
    occurred = np.repeat(days.values, per_day)
    n = len(occurred)

    places = pd.read_csv(DEMO_PLACES_CSV)
    place_idx = rng.choice(len(places), size=n, p=places.weight / places.weight.sum())
    chosen = places.iloc[place_idx].reset_index(drop=True)
    actor_names = list(_ACTORS)
    actor_idx = rng.choice(len(actor_names), size=n, p=[v[0] for v in _ACTORS.values()])
    weapon = np.empty(n, dtype=object)
    for i, (_, weapons) in enumerate(_ACTORS.values()):
        mask = actor_idx == i
        weapon[mask] = _pick(rng, weapons, int(mask.sum()))
    origin_ids = np.char.add("demo-", np.arange(1, n + 1).astype(str))
    incidents = pd.DataFrame(
        {
            "origin_id": origin_ids,
            "occurred_on": pd.to_datetime(occurred).date,
            "date_precision": "day",
            "place_name": chosen.place_name,
            "governorate": chosen.governorate,
            "governorate_pcode": None,
            "district": chosen.district,
            "district_pcode": None,
            # jitter within ~2 km; 5 % of incidents have no coordinates
            "latitude": np.where(
                rng.random(n) < 0.05, np.nan, chosen.latitude + rng.normal(0, 0.01, n)
            ),
            "longitude": chosen.longitude + rng.normal(0, 0.01, n),
            "location_precision": "near",
            "weapon": weapon,
            "target_type": _pick(rng, _TARGETS, n),
            "description": "Synthetic demonstration incident (not a real event).",
            "verification": _pick(rng, _STATUSES, n),
            "is_demo": True,
        }
    )
    incidents.loc[incidents.latitude.isna(), "longitude"] = np.nan
    incidents.loc[incidents.latitude.isna(), "location_precision"] = "district"

    n_claims = rng.choice([1, 2, 3], size=n, p=[0.5, 0.35, 0.15])
    owner = np.repeat(np.arange(n), n_claims)
    first = np.r_[0, np.cumsum(n_claims)[:-1]]
    rank = np.arange(len(owner)) - np.repeat(first, n_claims)
    base_actor = np.array(actor_names, dtype=object)[actor_idx][owner]
    # 15 % of multi-claim incidents: a later claim blames another pro-government actor
    conflicting = (rng.random(n) < 0.15)[owner] & (rank > 0)
    swap = {"Russia": "Syrian government", "Syrian government": "Russia"}
    alleged = np.where(conflicting, [swap.get(a, a) for a in base_actor], base_actor)
    killed_low = rng.poisson(1.5, n)[owner]
    spread = rng.poisson(1.0, len(owner)) * (rank > 0)
    source = rng.integers(0, len(_SOURCES), len(owner))
    claims = pd.DataFrame(
        {
            "origin_id": origin_ids[owner],
            "source_name": [_SOURCES[s][0] for s in source],
            "source_kind": [_SOURCES[s][1] for s in source],
            "source_affiliation": [_SOURCES[s][2] for s in source],
            "source_url": None,
            "alleged_actor": alleged,
            "killed_min": killed_low + spread,
            "killed_max": killed_low + spread + rng.poisson(0.5, len(owner)),
            "wounded_min": rng.poisson(2.0, len(owner)),
            "wounded_max": None,
            "civilians_killed_min": None,
            "civilians_killed_max": None,
            "quote": "Synthetic claim.",
            "published_on": incidents.occurred_on.values[owner],
        }
    )
    claims["wounded_max"] = claims.wounded_min + rng.poisson(1.0, len(owner))
    civilian = incidents.target_type.values[owner] != "armed-group position"
    claims["civilians_killed_min"] = np.where(civilian, claims.killed_min, 0)
    claims["civilians_killed_max"] = np.where(civilian, claims.killed_max, 0)
    return incidents, claims


def load_demo(
    con: duckdb.DuckDBPyConnection, size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED
) -> WriteSummary:
    """Write the demo set (an upsert: loading it again changes nothing)."""
    incidents, claims = generate(size, seed)
    return write_frames(con, ORIGIN_DEMO, incidents, claims)


def remove_demo(con: duckdb.DuckDBPyConnection, *, editor: str | None = None) -> int:
    """Delete every demo incident and claim, as ``editor`` (required; the removal is
    one entry of the change log); returns how many incidents went."""
    from .auth import require_editor
    from .editing import log_change, undo

    editor = require_editor(editor, "removing the demo data")

    def log(c: duckdb.DuckDBPyConnection, n: int) -> None:
        change_id = log_change(
            c,
            editor=editor,
            entity="import",
            entity_id=ORIGIN_DEMO,
            action="remove-origin",
            old={"incidents": n},
            new=None,
            note="demo data removed",
        )
        undo.mark(c, change_id)

    return delete_origin(con, ORIGIN_DEMO, on_commit=log, before_write=undo.keep_before)
