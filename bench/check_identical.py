"""Dump or compare everything compute_overview returns for many filter states.

Used to prove a performance change keeps behaviour identical: run ``--dump`` on the old
code, then ``--compare`` on the new; headline, provenance, frames and the figures' JSON
(parsed, so key order does not matter) must be equal.

    .venv/bin/python bench/check_identical.py --size 100000 --dump /tmp/ref.pkl
    .venv/bin/python bench/check_identical.py --size 100000 --compare /tmp/ref.pkl
"""

from __future__ import annotations

import argparse
import base64
import json
import pickle
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_store import store_path  # noqa: E402

from ceasefire import provenance, store  # noqa: E402
from ceasefire.analysis import overview  # noqa: E402
from ceasefire.filters import Filter  # noqa: E402

MADE = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
FILTERS = {
    "all": Filter(),
    "2019 russia": Filter(start=date(2019, 1, 1), end=date(2019, 12, 31), actors=("Russia",)),
    "targets idleb": Filter(
        target_types=("market", "medical", "school/education"), governorates=("Idleb",)
    ),
    "majority": Filter(attribution="majority"),
    "majority russia": Filter(attribution="majority", actors=("Russia",), start=date(2019, 6, 1)),
    "source": Filter(attribution="source", attribution_source="Demo monitor"),
    "source side": Filter(
        attribution="source", attribution_source="Demo monitor", sides=("pro-government coalition",)
    ),
    "violations": Filter(violations_only=True, agreement="sochi-2018"),
    "side": Filter(sides=("pro-government coalition",), start=date(2020, 1, 1)),
    "points": Filter(start=date(2019, 5, 1), end=date(2019, 5, 3)),
    "points idleb school": Filter(
        start=date(2019, 5, 1), end=date(2019, 6, 30), target_types=("school/education",)
    ),
    "empty": Filter(start=date(2001, 1, 1), end=date(2001, 1, 2)),
}


class _FixedNow(datetime):
    @classmethod
    def now(cls, tz=None):
        return MADE


def _rows(frame) -> dict:
    """A frame as plain data; row order kept except for the grid map, whose query has
    no ORDER BY (its row order varies between runs, before and after any change)."""
    if {"latitude", "longitude", "any_disputed"} <= set(frame.columns):
        frame = frame.sort_values(["latitude", "longitude"]).reset_index(drop=True)
    return frame.to_dict("split")


def _values(array) -> list:
    """A trace's array as a list, whether numpy or Plotly's base64 form ({dtype, bdata})."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), array["dtype"]).tolist()
    return list(array)


def _figure(name: str, fig, binned: bool) -> dict:
    """The figure's JSON, parsed; the grid map's point arrays as sorted tuples (see
    ``_rows``)."""
    out = json.loads(fig.to_json())
    # the template's defaults for trace types the figure does not draw never show
    # (schema v2 cut the template to the drawn types; see charts.template_json)
    template = out["layout"].get("template", {})
    drawn = {trace.get("type", "scatter") for trace in out["data"]}
    template["data"] = {k: v for k, v in template.get("data", {}).items() if k in drawn}
    if name == "map" and binned:
        for trace, obj in zip(out["data"], fig.data, strict=True):
            arrays = (obj.x, obj.y, obj.marker.size, obj.marker.color)
            trace["_points"] = sorted(zip(*map(_values, arrays), strict=True))
            for key in ("x", "y"):
                trace.pop(key)
            trace["marker"].pop("size"), trace["marker"].pop("color")
    return out


def snapshot(con) -> dict:
    """Every filter x time unit: headline, provenance, frames, figure JSON (parsed)."""
    provenance.datetime = _FixedNow
    out = {}
    for label, f in FILTERS.items():
        for by in ("week", "month"):
            view = overview.compute_overview(con, f, by)
            out[(label, by)] = {
                "headline": {k: str(v) for k, v in view.headline.items()},
                "provenance": view.provenance,
                "frames": {k: _rows(v) for k, v in view.frames.items()},
                "dtypes": {k: v.dtypes.astype(str).to_dict() for k, v in view.frames.items()},
                "figures": {k: _figure(k, v, view.map_binned) for k, v in view.figures.items()},
                "binned": view.map_binned,
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--dump")
    parser.add_argument("--compare")
    parser.add_argument("--store", help="a store file instead of the bench store of --size")
    args = parser.parse_args()
    con = store.connect(args.store or store_path(args.size), read_only=True)
    snap = snapshot(con)
    if args.dump:
        Path(args.dump).write_bytes(pickle.dumps(snap))
        print(f"dumped {len(snap)} views")
    if args.compare:
        ref = pickle.loads(Path(args.compare).read_bytes())
        bad = [(key, part) for key in ref for part in ref[key] if ref[key][part] != snap[key][part]]
        print("identical" if not bad else f"DIFFERENT: {bad}")
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
