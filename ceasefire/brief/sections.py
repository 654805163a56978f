"""The brief's other sections: the timeline and the map (the app's figures), the most
lethal incidents (the incident page's record functions), what stays uncounted, methods,
credits."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .. import charts, geo, queries
from ..analysis import counting, overview
from ..filters import fmt_date
from ..incident_record import casualty_words
from ..provenance import provenance
from .context import Context, Section, md_escape, paragraphs_html


def _n(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def timeline_figure(ctx: Context) -> go.Figure:
    """Incidents per week in the period and the 52 weeks before it, the period shaded."""
    base = ctx.period.baseline()
    f = ctx.filter.with_(start=base.start, end=ctx.period.end)
    frame = queries.timeline(ctx.con, f, "week")
    prov = provenance(ctx.con, f, ctx.made)
    spans = [
        *overview.timeline_spans(ctx.con, f),
        charts.Span(ctx.period.start, ctx.period.end, "This period", kind="highlight"),
    ]
    pairs = queries.clash_pairs(ctx.con, f, "week")
    return overview.build_figure(
        "timeline",
        frame,
        prov,
        by="week",
        markers=overview.agreement_markers(ctx.con),
        clash_pairs=None if pairs.empty else pairs,
        spans=spans,
    )


def timeline_section(ctx: Context) -> Section:
    fig = timeline_figure(ctx)
    text = (
        f"Incidents per week from {fmt_date(ctx.period.baseline().start)}, the period "
        "shaded; stacked by alleged actor under the attribution in force."
    )
    notes = charts.chart_notes(fig)  # the milestone key, what is shaded
    return Section(
        "timeline",
        "Over time",
        paragraphs_html([text], small=True)
        + "{figure:timeline}"
        + paragraphs_html([notes], small=True),
        md_escape(text) + "\n\n{figure:timeline}" + (f"\n\n{md_escape(notes)}" if notes else ""),
        {"timeline": fig},
    )


def map_section(ctx: Context) -> Section:
    frame, binned = queries.map_frame(ctx.con, ctx.filter)
    fig = overview.build_figure("map", frame, ctx.prov, binned=binned)
    missing = _n(ctx.headline["without_coordinates"])
    text = " ".join(
        t
        for t in (
            "Where the period's incidents took place.",
            charts.chart_notes(fig),
            f"{missing:,} incidents have no coordinates and are not on the map." if missing else "",
            f"{geo.BOUNDARY_CREDIT}.",
        )
        if t
    )
    return Section(
        "map",
        "Where",
        paragraphs_html([text], small=True) + "{figure:map}",
        md_escape(text) + "\n\n{figure:map}",
        {"map": fig},
    )


@dataclass(frozen=True)
class IncidentLines:
    """One incident as the brief lists it: its heading and its lines, in the words of
    the incident page."""

    incident_id: int
    heading: str
    lines: tuple[str, ...]


def lethal_incidents(ctx: Context) -> list[IncidentLines]:
    """The period's most lethal incidents (the Incidents page's "most killed" order: the
    highest figure any claim gives), those with a killed figure, at most ``incidents``."""
    table = queries.incidents(ctx.con, ctx.filter, limit=ctx.incidents, order_by="killed")
    out = []
    for row in table.itertuples(index=False):
        if pd.isna(row.killed_max) and pd.isna(row.killed_min):
            continue
        detail = queries.incident_detail(ctx.con, int(row.incident_id))
        claims = queries.incident_claims(ctx.con, int(row.incident_id))
        place = detail["place_name"] or "Place not recorded"
        lines = [
            what_words(detail),
            blame_words(claims),
            casualty_words(claims, "killed"),
            casualty_words(claims, "wounded"),
        ]
        out.append(
            IncidentLines(
                int(row.incident_id),
                f"{place}, {fmt_date(detail['occurred_on'])}",
                tuple(line for line in lines if line),
            )
        )
    return out


def what_words(detail: dict) -> str:
    """'Airstrike; target: civilian residential; Harim district, Idleb.'"""
    weapon = "weapon not stated or other" if detail["weapon"] == "other" else detail["weapon"]
    where = ", ".join(
        x
        for x in (
            f"{detail['district']} district" if detail["district"] else "",
            detail["governorate"] or "",
        )
        if x
    )
    text = f"{weapon[0].upper()}{weapon[1:]}; target: {detail['target_type']}"
    return text + (f"; {where}." if where else ".")


def blame_words(claims: pd.DataFrame) -> str:
    """'Blamed on Russia by Sputnik; on the Syrian government by Al-Watan.' from the
    perpetrator claims; parties to a clash whose initiator no source states, said so."""
    named: dict[str, list[str]] = {}
    parties: set[str] = set()
    for claim in claims.itertuples(index=False):
        actor = claim.alleged_actor if isinstance(claim.alleged_actor, str) else None
        if actor is None:
            continue
        who = claim.source if isinstance(claim.source, str) else f"{claim.origin} record"
        if claim.role == "party":
            parties.add(actor)
        else:
            named.setdefault(actor, [])
            if who not in named[actor]:
                named[actor].append(who)
    parts = [f"on {actor} by {', '.join(sources)}" for actor, sources in named.items()]
    text = ("Blamed " + "; ".join(parts) + ".") if parts else "No source names a perpetrator."
    if parties:
        text += f" Parties to fighting, initiator not stated: {', '.join(sorted(parties))}."
    return text


def incidents_section(ctx: Context) -> Section:
    listed = lethal_incidents(ctx)
    intro = (
        "The period's incidents with the highest killed figure any source gives (the "
        "Incidents page's “most killed” order), each source's figure in words."
    )
    if not listed:
        none = "No incident in the period has a casualty figure."
        return Section(
            "incidents",
            "The most lethal incidents",
            paragraphs_html([none]),
            none,
        )
    # compact: the heading and the first two lines (what, who) run on as one paragraph
    body_html = "".join(
        f"<div class='incident'><p><b>{html.escape(i.heading)}</b> "
        f"<span class='id'>(incident {i.incident_id})</span> "
        + html.escape(" ".join(i.lines[:2]))
        + "</p>"
        + "".join(f"<p class='figures'>{html.escape(line)}</p>" for line in i.lines[2:])
        + "</div>"
        for i in listed
    )
    body_md = "\n\n".join(
        f"**{md_escape(i.heading)}** (incident {i.incident_id})\n\n"
        + "\n".join(f"- {md_escape(line)}" for line in i.lines)
        for i in listed
    )
    return Section(
        "incidents",
        "The most lethal incidents",
        paragraphs_html([intro], small=True) + body_html,
        md_escape(intro) + "\n\n" + body_md,
    )


def uncounted_lines(ctx: Context) -> list[str]:
    """What the period's counts leave out or count apart, in the app's sentences."""
    h = ctx.headline
    lines = [counting.clashes_text(h), counting.awaiting_review_text(_n(h["awaiting_review"]))]
    for key, words in (
        ("without_coordinates", "have no coordinates and are not on the map"),
        ("without_alleged_actor", "name no alleged actor (counted as 'Unknown')"),
        ("without_killed_figure", "have no casualty figure (they add nothing to the ranges)"),
    ):
        if _n(h[key]):
            lines.append(f"{_n(h[key]):,} incidents {words}.")
    if _n(h["demo"]):
        lines.append(
            f"{_n(h['demo']):,} of the incidents are SYNTHETIC demonstration data: these "
            "figures describe no real events."
        )
    lines.append(
        "An event recorded by two datasets is counted once (the records are linked); "
        "incidents that meet the alleged-violation rule's where, how and who but fall "
        "outside an agreement's period in force are incidents, not alleged violations."
    )
    return [line for line in lines if line]


def uncounted_section(ctx: Context) -> Section:
    lines = uncounted_lines(ctx)
    return Section(
        "uncounted",
        "What stays uncounted",
        "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>",
        "\n".join(f"- {md_escape(line)}" for line in lines),
    )


def method_paragraphs(ctx: Context) -> list[str]:
    return [
        "Every fact is contested, so the tracker keeps each source's claim and never picks "
        "one number: an incident's killed and wounded run from the lowest figure any "
        "source gives to the highest, and totals are sums of these ranges. "
        + ctx.filter.attribution_text(),
        "An incident is an alleged violation of an agreement when its whole date window "
        "lies in the agreement's period in force, its district is in the agreement's area, "
        "its weapon is kinetic, and a claim names as perpetrator an actor on a side the "
        "agreement binds (or it is a clash between two such sides, direction "
        "undetermined); with no agreement chosen, incidents that allegedly violate at least "
        "one. The rule is derived from the records, never typed in.",
        f"This brief's view: {ctx.filter.describe()} The same numbers are on the Overview "
        "for this view and from `python -m ceasefire summary` with the same options; the "
        "timeline and the map are the app's own figures.",
    ]


def prose_section(key: str, title: str, paragraphs: list[str]) -> Section:
    """A section of plain paragraphs, in HTML and in Markdown (both escaped)."""
    return Section(
        key, title, paragraphs_html(paragraphs), "\n\n".join(md_escape(p) for p in paragraphs)
    )


def methods_section(ctx: Context) -> Section:
    # the paragraphs mark the command with backquotes; the brief prints it plain
    return prose_section("methods", "Methods", [p.replace("`", "") for p in method_paragraphs(ctx)])


def credits_lines(ctx: Context) -> list[str]:
    return [
        ctx.prov.credit_line() + ".",
        f"{geo.BOUNDARY_CREDIT}.",
        f"Incidents dated {ctx.prov.date_range_text()}.",
        f"Data version {ctx.prov.data_version}; made {ctx.prov.made_on} with the ceasefire "
        "tracker. The data version names the state of the store: a brief with the same "
        "version and options has the same numbers.",
    ]


def credits_section(ctx: Context) -> Section:
    return prose_section("credits", "Data, credits and version", credits_lines(ctx))
