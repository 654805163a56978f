"""The drafter: the rules run in order over an article, assembled into a proposal.

Claims: one per speaker of an act's words. A named source has a claim when its words
about the act give a perpetrator, a figure, a denial, or report the act at all; the
outlet's own words (and the unnamed sources it relays) make a claim only with a
perpetrator or a figure, unless the outlet is itself a primary source (a monitor, an
NGO, an army). A headline attributed to a source fills that source's claim
(``headline_claims``). Acts the text does not date or place take the date and place of
the act before them (``_inherit_dates``, ``_inherit_places``); in an article of several
acts, a source's blame in a lead that names no place carries to its acts whose own
words blame no one, when the lead names one perpetrator (``_carry_lead_blame``); a lead
naming several does not say which struck where.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from .acts import Act, ActRules
from .blame import BlameRules
from .casualties import Figure, FigureRules
from .dates import DateRules, detect_published
from .lexicon import is_alias, lexicon
from .places import PlaceRules
from .sentences import Sentence, View, spanned, split_sentences, text_sha256, views
from .sources import SourceRules, Speaker

#: words that make a named source's statement about the act (a claim with no blame or
#: figure: "the strikes hit the market at 8 am", a denial, a count of the dead)
_ABOUT_ACT = re.compile(
    r"\b(?:den(?:y|ied|ies)|rejected|false|fabricated|not involved|dead|killed|wounded|injured|"
    r"victims?|toll|casualties|among the dead)\b|\b(?:the|this|that)\s+(?:[\w-]+\s+)?(?:attack|strike|strikes|raid|raids|"
    r"shelling|bombardment|bombing|explosion|massacre|rockets|shells|convoy|hospital|market|camp|"
    r"school|mosque|house|home|building)\b",
    re.I,
)


class _Drafter(SourceRules, BlameRules, FigureRules, DateRules, PlaceRules, ActRules):
    def __init__(self, text: str, outlet: str, published: date, url: str | None, con=None):
        self.text = text
        self.outlet = outlet
        self.published = published
        self.url = url
        self.con = con
        self.lex = lexicon()
        self.sentences = split_sentences(text)
        self.speakers: dict[str, Speaker] = {}
        self.review: list[str] = []
        self.persons: dict[str, str] = {}  # surname -> speaker key
        self.n_acts = 1
        self.speaker_acts: dict[str, set[int]] = {}  # speaker -> acts it reports

    # -- lexicon choice --
    def choose(self, table: str, sentences: list[Sentence], default: str) -> dict:
        """The lexicon word named most often (first mention breaks ties). A target word
        that is a destination ("taken to hospitals", "walking to their schools") is
        not what was hit."""
        counts: Counter = Counter()
        first: dict[str, tuple[int, int]] = {}
        for vocab, pats in self.lex.raw[table].items():
            rx = self.lex.regex(pats)
            for s in sentences:
                t = self._origin_blanked(s) if not s.heading else s.text
                for m in rx.finditer(t):
                    if table == "targets" and re.search(
                        r"\b(?:to|into|towards|arriv(?:e|ed|es|ing)\s+at)\s+(?:the\s+|their\s+|nearby\s+|field\s+|local\s+|a\s+)*(?:\w+\s+)?$",
                        t[max(0, m.start() - 30) : m.start()],
                        re.I,
                    ):
                        continue
                    counts[vocab] += 1
                    pos = (s.start + m.start(), s.start + m.end())
                    if vocab not in first or pos[0] < first[vocab][0]:
                        first[vocab] = pos
        if not counts:
            return spanned(default, None, rule="no word of the lexicon found")
        best = sorted(counts, key=lambda v: (-counts[v], first[v][0]))[0]
        return spanned(
            best,
            first[best],
            rule=f"named {counts[best]} time(s)",
            words=self.text[first[best][0] : first[best][1]],
        )

    def _reports_act(self, text: str) -> bool:
        """Whether words report an attack (an attack verb or a weapon)."""
        if getattr(self, "_act_rx", None) is None:
            lex = self.lex
            words = [p for ps in lex.raw["weapons"].values() for p in ps] + lex.raw["agentive"][
                "after"
            ]
            self._act_rx = lex.regex(words)
        return bool(self._act_rx.search(text))

    # -- claims --
    def claims(self, sentences: list[Sentence], act: Act | None = None) -> list[dict]:
        """One claim per speaker of the act's words (see the package docstring)."""
        default = self._default_speaker()
        by_speaker: dict[str, list[View]] = {}
        for s in sentences:
            if s.heading:
                continue
            for v in views(s):
                if v.speaker != "nobody":  # a country with no office: no one's claim
                    by_speaker.setdefault(v.speaker, []).append(v)
        out = []
        for key, group in by_speaker.items():
            per = {id(v): (self.blamed(v), self.figures(v)) for v in group}
            if len(self.speaker_acts.get(key, ())) > 1:
                # a source reporting several acts: its figures in the lead, before the
                # article names a place, are a total across the acts, no one act's;
                # its blame there is the act's only when the act's own words blame no
                # one and the lead names one perpetrator ("attacks by Syrian regime and
                # Russian forces" across four acts does not say which struck where)
                lead = [v for v in group if getattr(v.sentence, "lead", False)]
                own = any(per[id(v)][0] for v in group if v not in lead)
                named = {b[0] for v in lead for b in per[id(v)][0] if b[0]}
                for v in lead:
                    blames = [] if (own or len(named) > 1) else per[id(v)][0]
                    per[id(v)] = (blames, [f for f in per[id(v)][1] if f.revised])
            blames = [b for v in group for b in per[id(v)][0]]
            figs = [f for v in group for f in per[id(v)][1]]
            about = any(_ABOUT_ACT.search(v.text) or self._reports_act(v.text) for v in group)
            # the outlet's own words make a claim only with a perpetrator or a figure,
            # unless the outlet is itself a primary source (a monitor, an NGO, an
            # army): then its report of the act is its claim
            primary = self.speakers[key].source_kind in ("monitor", "NGO", "military", "government")
            if not blames and not figs and (not about or (key == default and not primary)):
                continue
            out += self._claim(key, group, per, blames, figs)
        return out

    def _claim(self, key: str, group: list[View], per: dict, blames, figs) -> list[dict]:
        sp = self.speakers[key]
        cue = next((v.cue for v in group if v.cue), None)
        claim: dict[str, Any] = {
            "source_name": spanned(sp.source_name, cue or sp.span),
            "source_kind": spanned(sp.source_kind),
            "source_affiliation": spanned(sp.source_affiliation),
            "source_url": spanned(sp.source_url),
        }
        details = [sp.detail] if sp.detail else []
        for v in group:
            for d in [v.detail, *v.relays]:
                if d and d not in details:
                    details.append(d)
        if details:
            claim["source_detail"] = spanned("; ".join(details))
        with_figures = {b[2] for v in group if per[id(v)][1] for b in per[id(v)][0]}
        self._actor(claim, sp, blames, with_figures)
        claim.update(self._combine(sp.source_name, figs))
        spans = []
        for v in group:
            s = v.sentence
            if v.cue or per[id(v)][0] or per[id(v)][1]:
                if [s.start, s.end] not in spans:
                    spans.append([s.start, s.end])
        quote = " … ".join(self.text[a:b] for a, b in spans)
        claim["quote"] = spanned(quote, spans[0] if spans else None, spans=spans)
        claim["published_on"] = spanned(self.published.isoformat())
        parties = []
        for b in blames:
            if b[3] == "party" and b[0] and b[0] not in [p[0] for p in parties]:
                parties.append(b)
        if len(parties) <= 1:
            return [claim]
        # a clash: one claim per party, each with the source's figures (an incident's
        # range is the lowest minimum to the highest maximum, so the figures are not
        # counted twice)
        out = []
        for actor, written, span, role in parties:
            one = dict(claim)
            value = written if is_alias(written) else actor
            one["alleged_actor"] = spanned(value, span, actor=actor, as_written=written)
            one["role"] = spanned(role, span)
            one.pop("also_named", None)
            out.append(one)
        return out

    def _actor(self, claim: dict, sp: Speaker, blames, with_figures) -> None:
        if not blames:
            claim["alleged_actor"] = spanned(None, None)
            claim["role"] = spanned("perpetrator")
            return
        count = Counter(b[0] for b in blames)
        firsts: dict = {}
        for b in blames:
            firsts.setdefault(b[0], b)
        actor = sorted(count, key=lambda a: (a is None, -count[a], blames.index(firsts[a])))[0]
        mentions = [b for b in blames if b[0] == actor]
        # as written: a known alias, preferably in a sentence that states figures
        written = sorted(
            mentions, key=lambda b: (not is_alias(b[1]), b[2] not in with_figures, b[2][0])
        )[0]
        value = written[1] if (is_alias(written[1]) or actor is None) else actor
        claim["alleged_actor"] = spanned(value, written[2], actor=actor, as_written=written[1])
        if actor is None:
            self.review.append(
                f"{sp.source_name} blames {written[1]!r}, which is no known actor: "
                "it goes to the actor review queue when saved (or pick an actor)."
            )
        claim["role"] = spanned(written[3], written[2])
        others = sorted(a for a in set(count) - {actor} if a is not None)
        clash = len({b[0] for b in blames if b[3] == "party" and b[0]}) > 1
        if others and not clash:
            claim["also_named"] = spanned(others)
            self.review.append(
                f"{sp.source_name} also blames {', '.join(others)}: one claim per actor?"
            )

    def headline_claims(self, claims: list[dict], act_sentences: list[Sentence]) -> None:
        """A headline attributed to a source ("— Russian centre", ": monitor",
        "- rescuers") fills what that source's claim lacks (its actor, its figures); it
        makes a claim of its own only when the body names no other source. A headline
        never makes the outlet's claim."""
        default = self._default_speaker()
        body_sources = {c["source_name"]["value"] for c in claims}
        for s in self.sentences:
            if not s.heading or s.kind == "furniture" or not s.segments:
                continue
            for v in views(s):
                if v.speaker in (default, "nobody"):
                    continue
                sp = self.speakers[v.speaker]
                blames, figs = self.blamed(v), self.figures(v)
                if not blames and not figs:
                    continue
                mine = [c for c in claims if c["source_name"]["value"] == sp.source_name]
                if not mine:
                    if body_sources - {self.speakers[default].source_name}:
                        continue
                    new = self._claim(v.speaker, [v], {id(v): (blames, figs)}, blames, figs)
                    for c in new:
                        c["source_name"]["rule"] = "named only in the headline"
                    claims.extend(new)
                    continue
                c = mine[0]
                if c["alleged_actor"]["value"] is None and blames:
                    self._actor(c, sp, blames, set())
                    c["alleged_actor"]["rule"] = "from the headline"
                given = {k.rsplit("_", 1)[0] for k in c if k.endswith(("_min", "_max"))}
                for fld, val in self._combine(sp.source_name, figs).items():
                    if fld.rsplit("_", 1)[0] not in given:
                        c[fld] = {**val, "rule": "from the headline"}

    # -- incident --
    def incident(self, sentences: list[Sentence], claims: list[dict]) -> dict:
        inc: dict[str, Any] = {}
        inc["occurred_on"] = self.occurred_on(sentences)
        inc["date_precision"] = spanned("day")
        inc.update(self.place(sentences))
        inc["weapon"] = self.choose("weapons", sentences, "other")
        inc["target_type"] = self.choose("targets", sentences, "unknown")
        inc["verification"] = self.verification(claims)
        lead = next((s for s in sentences if not s.heading), None)
        if lead is not None:
            inc["description"] = spanned(lead.text, (lead.start, lead.end))
        return inc

    @staticmethod
    def verification(claims: list[dict]) -> dict:
        """Disputed only when two claims each name perpetrators (alleged actor and the
        actors also named) and the two sets have nothing in common."""
        sets = []
        for c in claims:
            if (c.get("role") or {}).get("value") == "party":
                continue
            actors = {c["alleged_actor"].get("actor")} | set(
                (c.get("also_named") or {}).get("value") or []
            )
            actors.discard(None)
            if actors:
                sets.append((c["source_name"]["value"], actors))
        for i, (na, a) in enumerate(sets):
            for nb, b in sets[i + 1 :]:
                if not (a & b):
                    return spanned(
                        "disputed",
                        None,
                        rule=f"{na} blames {', '.join(sorted(a))}; {nb} blames {', '.join(sorted(b))}",
                    )
        return spanned("reported", None, rule="no two sources blame actors with nothing in common")

    def _inherit_places(self, acts: list[Act], incidents: list[dict]) -> None:
        """An act with no place of its own (not a retaliation) is at the place of the act
        reported before it ("dropped bombs on woodland near the makeshift camps")."""
        keys = ("place_name", "governorate", "governorate_pcode", "district", "district_pcode",
                "latitude", "longitude", "location_precision")  # fmt: skip
        for i in range(1, len(acts)):
            inc = incidents[i]
            if acts[i].kind == "second":
                continue
            # no place of its own: its opener ("The town came under fire again") names
            # none (a province named later, by a summary, is not its place)
            opener_named = self._sentence_candidates(acts[i].sentences[0], [0])
            if (inc.get("place_name") or {}).get("value") and opener_named:
                continue
            prev = incidents[i - 1]
            if not (prev.get("place_name") or {}).get("value"):
                continue
            for k in keys:
                if k in prev:
                    inc[k] = {
                        **prev[k],
                        "rule": "no place of its own: the place of the act reported before it",
                    }

    def _inherit_dates(self, acts: list[Act], incidents: list[dict]) -> None:
        """An act the text does not date: a retaliation takes the main act's date only
        when that is the publication day (nothing else is possible); another act takes
        the date of the act reported before it, unless it is reported "separately"."""
        main = incidents[0]["occurred_on"]["value"]
        for i in range(1, len(acts)):
            inc = incidents[i]
            if inc["occurred_on"]["value"] is not None:
                continue
            if acts[i].kind == "second":
                if main == self.published.isoformat():
                    inc["occurred_on"] = spanned(
                        main, None, rule="a response to an act of the publication day: that day"
                    )
            elif not acts[i].separately:
                prev = incidents[i - 1]["occurred_on"]
                if prev["value"] is not None:
                    inc["occurred_on"] = spanned(
                        prev["value"],
                        prev["span"],
                        rule="undated: the date of the act reported before it",
                    )

    def _carry_lead_blame(self, parts) -> None:
        """Several acts: a source's blame in the main act's sentences that name no place
        (the lead: "Syrian government air strikes killed 15 civilians, 12 of them in a
        market") carries to its claims in the other acts that name no actor."""
        act0, claims0, _ = parts[0]
        lead: dict[str, list] = {}
        for s in act0.sentences:
            if getattr(s, "placed", False) or s.heading:
                continue
            for v in views(s):
                for b in self.blamed(v):
                    if b[0] and b[3] == "perpetrator":
                        lead.setdefault(self.speakers[v.speaker].source_name, []).append(b)
        for name in list(lead):
            if len({b[0] for b in lead[name]}) > 1:
                del lead[name]  # several perpetrators: the lead does not say which struck where
        for act, claims, _ in parts[1:]:
            if act.kind == "second":
                continue
            for c in claims:
                name = c["source_name"]["value"]
                if c["alleged_actor"]["value"] is None and lead.get(name):
                    sp = next(sp for sp in self.speakers.values() if sp.source_name == name)
                    self._actor(c, sp, lead[name], set())
                    c["alleged_actor"]["rule"] = (
                        "blamed in the article's lead, which names no place"
                    )

    def run(self) -> dict:
        """The rules in order (see the package's docstring): who speaks, the acts, then
        each act's incident and claims; the proposal ``draft_article`` returns."""
        self.find_reporting_outlet()
        self.classify()
        self.attribute()
        acts = self.split_acts()
        self.n_acts = len(acts)
        self._note_speaker_acts(acts)
        if acts:
            for s in acts[0].sentences:  # the lead: act 0's sentences before its first place
                if getattr(s, "placed", False):
                    break
                s.lead = True
        parts = self._draft_acts(acts)
        self.headline_claims(parts[0][1], parts[0][0].sentences)
        if len(parts) > 1:
            self._carry_lead_blame(parts)
        parts[0][2]["verification"] = self.verification(parts[0][1])
        self._inherit_dates([p[0] for p in parts], [p[2] for p in parts])
        self._inherit_places([p[0] for p in parts], [p[2] for p in parts])
        if parts[0][2]["occurred_on"]["value"] is None:
            self.review.append("No date found: set the date.")
        return self._proposal(parts)

    def _note_speaker_acts(self, acts: list[Act]) -> None:
        """Which acts each speaker reports (the figures in the lead of a source that
        reports several acts are a total across them, no one act's)."""
        self.speaker_acts = {}
        for i, act in enumerate(acts):
            if act.kind == "second":
                continue
            for s in act.sentences:
                for v in views(s):
                    if v.cue or self.blamed(v) or self.figures(v):
                        self.speaker_acts.setdefault(v.speaker, set()).add(i)

    def _draft_acts(self, acts: list[Act]) -> list[tuple[Act, list[dict], dict]]:
        """Each act's claims and incident (at least one, if the article reports no act);
        the main act's weapon and target type count the headlines' words too."""
        headings = [
            s for s in self.sentences if s.heading and s.kind not in ("furniture", "caveat")
        ]
        parts = []
        for i, act in enumerate(acts or [Act([])]):
            claims = self.claims(act.sentences, act)
            inc = self.incident(act.sentences, claims)
            if i == 0:  # the headline names the main act's means and target too
                inc["weapon"] = self.choose("weapons", headings + act.sentences, "other")
                inc["target_type"] = self.choose("targets", headings + act.sentences, "unknown")
            parts.append((act, claims, inc))
        return parts

    def _proposal(self, parts: list[tuple[Act, list[dict], dict]]) -> dict:
        """The proposal: the article, the main act's incident and claims, the article's
        caveats, the other acts offered separately, and what to review."""
        title = next((s for s in self.sentences if s.heading and s.kind != "furniture"), None)
        caveats = [spanned(s.text, (s.start, s.end)) for s in self.sentences if s.kind == "caveat"]
        others = []
        for act, claims, inc in parts[1:]:
            first = act.sentences[0]
            why = (
                "a second act reported in the same article (a retaliation): offered separately for review"
                if act.kind == "second"
                else "another act reported in the same article (another place or day): offered separately for review"
            )
            others.append(
                {"why": spanned(why, (first.start, first.end)), "incident": inc, "claims": claims}
            )
        _, claims0, inc0 = parts[0]
        return {
            "article": {
                "outlet": self.outlet,
                "reporting_outlet": spanned(self.reporting_outlet, self.reporting_span),
                "published": self.published.isoformat(),
                "url": self.url,
                "title": spanned(title.text, (title.start, title.end)) if title else spanned(None),
                "sha256": text_sha256(self.text),
                "chars": len(self.text),
            },
            "incident": inc0,
            "claims": claims0,
            "caveats": caveats,
            "other_incidents": others,
            "review": self.review,
        }


def draft_article(
    text: str,
    *,
    outlet: str,
    published: date | None = None,
    url: str | None = None,
    con=None,
) -> dict:
    """The proposal for an article (see the module docstring). ``published`` may be
    omitted when the text states its date; otherwise ValueError. ``con``: a store whose
    source registry is consulted (read only)."""
    if published is None:
        published = detect_published(text)
        if published is None:
            raise ValueError(
                "the article states no publication date: give one (--published YYYY-MM-DD)"
            )
    return _Drafter(text, outlet, published, url, con).run()


__all__ = ["Figure", "_Drafter", "draft_article"]
