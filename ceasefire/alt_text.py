"""Text alternatives of the figures: a sentence on what each shows, and its data as a
table, for readers who cannot see the chart (screen readers, text browsers, print)."""

from __future__ import annotations

import pandas as pd

from .filters import fmt_date


def _top(frame: pd.DataFrame, by: str, n: int = 3) -> str:
    totals = frame.groupby(by).incidents.sum().sort_values(ascending=False).head(n)
    return ", ".join(f"{name} ({count:,})" for name, count in totals.items())


def describe(name: str, frame: pd.DataFrame, by: str = "week") -> str:
    """One or two sentences saying what the figure ``name`` shows for ``frame``."""
    if frame is None or frame.empty:
        return "The chart is empty: no incidents match these filters."
    if name == "timeline":
        periods = pd.to_datetime(frame.period)
        peak = frame.groupby("period").incidents.sum()
        when = pd.Timestamp(peak.idxmax()).date()
        return (
            f"Incidents per {by} by alleged actor, from {fmt_date(periods.min().date())} to "
            f"{fmt_date(periods.max().date())}. Most counted: {_top(frame, 'actor')}. "
            f"Busiest {by}: the one starting {fmt_date(when)} ({int(peak.max()):,})."
        )
    if name == "target_types":
        return f"Incidents by target type. Most hit: {_top(frame, 'target_type')}."
    if name == "actor_target":
        top = frame.sort_values("incidents", ascending=False).iloc[0]
        return (
            f"Incidents by alleged actor and target type. The largest cell: "
            f"{top.actor} against {top.target_type} ({int(top.incidents):,})."
        )
    if name == "map":
        return (
            f"A map of {int(frame.incidents.sum()):,} incidents with coordinates; the table "
            "lists their places."
        )
    if name == "compare":
        rows = frame.set_index("period")
        return (
            f"Incidents before and after: {int(rows.loc['before', 'incidents']):,} in the "
            f"{int(rows.loc['before', 'days'])} days before, "
            f"{int(rows.loc['after', 'incidents']):,} in the days after."
        )
    return ""


def table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The figure's data as a readable table (wide where a chart is a grid)."""
    if frame is None or frame.empty:
        return pd.DataFrame()
    if name == "timeline":
        out = frame.pivot_table(
            index="period", columns="actor", values="incidents", aggfunc="sum", fill_value=0
        )
        out.index = pd.to_datetime(out.index).date
        return out.rename_axis("period").reset_index()
    if name == "actor_target":
        return (
            frame.pivot_table(
                index="actor",
                columns="target_type",
                values="incidents",
                aggfunc="sum",
                fill_value=0,
            )
            .rename_axis(None, axis=1)
            .reset_index()
        )
    return frame.reset_index(drop=True)
