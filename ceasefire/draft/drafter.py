"""The drafter: the rules run in order over an article, assembled into a proposal."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from .blame import _Blame
from .dates import _Dates, detect_published
from .figures import _Figures
from .lexicon import _is_alias, lexicon
from .places import _Places
from .sources import Speaker, _Sources
from .text import Sentence, _v, split_sentences, text_sha256


class _Drafter(_Sources, _Blame, _Figures, _Dates, _Places):
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

    # -- lexicon choice --
    def choose(self, table: str, sentences: list[Sentence], default: str) -> dict:
        counts: Counter = Counter()
        first: dict[str, tuple[int, int, int]] = {}
        for vocab, pats in self.lex.raw[table].items():
            rx = self.lex.regex(pats)
            for s in sentences:
                for m in rx.finditer(s.text):
                    counts[vocab] += 1
                    pos = (s.start + m.start(), s.start + m.end())
                    if vocab not in first or pos[0] < first[vocab][0]:
                        first[vocab] = pos
        if not counts:
            return _v(default, None, rule="no word of the lexicon found")
        best = sorted(counts, key=lambda v: (-counts[v], first[v][0]))[0]
        return _v(
            best,
            first[best],
            rule=f"named {counts[best]} time(s)",
            words=self.text[first[best][0] : first[best][1]],
        )

    # -- claims --
    def claims(self, sentences: list[Sentence]) -> list[dict]:
        by_speaker: dict[str, list[Sentence]] = {}
        for s in sentences:
            if not s.heading:
                by_speaker.setdefault(s.speaker or self._default_speaker(), []).append(s)
        out = []
        for key, group in by_speaker.items():
            sp = self.speakers[key]
            per = {id(s): (self.blamed(s), self.figures(s)) for s in group}
            blames = [b for s in group for b in per[id(s)][0]]
            with_figures = {b[2] for s in group if per[id(s)][1] for b in per[id(s)][0]}
            figs = [f for s in group for f in per[id(s)][1]]
            if not blames and not figs and not any(s.cue for s in group):
                continue
            claim: dict[str, Any] = {
                "source_name": _v(
                    sp.source_name, sp.span or (group[0].cue if group[0].cue else None)
                ),
                "source_kind": _v(sp.source_kind),
                "source_affiliation": _v(sp.source_affiliation),
                "source_url": _v(sp.source_url),
            }
            if sp.detail or sp.relayed:
                claim["source_detail"] = _v("; ".join(filter(None, [sp.detail, *sp.relayed])))
            if blames:
                count = Counter(b[0] for b in blames)
                firsts = {}
                for b in blames:
                    firsts.setdefault(b[0], b)
                actor = sorted(
                    count, key=lambda a: (a is None, -count[a], blames.index(firsts[a]))
                )[0]
                mentions = [b for b in blames if b[0] == actor]
                # as written: a known alias, preferably in a sentence that states figures
                written = sorted(
                    mentions,
                    key=lambda b: (not _is_alias(b[1]), b[2] not in with_figures, b[2][0]),
                )[0]
                value = written[1] if (_is_alias(written[1]) or actor is None) else actor
                claim["alleged_actor"] = _v(value, written[2], actor=actor, as_written=written[1])
                if actor is None:
                    self.review.append(
                        f"{sp.source_name} blames {written[1]!r}, which is no known actor: "
                        "it goes to the actor review queue when saved (or pick an actor)."
                    )
                claim["role"] = _v(written[3], written[2])
                others = sorted(a for a in set(count) - {actor} if a is not None)
                clash = len({b[0] for b in blames if b[3] == "party" and b[0]}) > 1
                if others and not clash:
                    claim["also_named"] = _v(others)
                    self.review.append(
                        f"{sp.source_name} also blames {', '.join(others)}: one claim per actor?"
                    )
            else:
                claim["alleged_actor"] = _v(None, None)
                claim["role"] = _v("perpetrator")
            claim.update(self._combine(sp.source_name, figs))
            spans = [[s.start, s.end] for s in group if s.cue or per[id(s)][0] or per[id(s)][1]]
            quote = " … ".join(self.text[a:b] for a, b in spans)
            claim["quote"] = _v(quote, spans[0] if spans else None, spans=spans)
            claim["published_on"] = _v(self.published.isoformat())
            parties = []
            for b in blames:
                if b[3] == "party" and b[0] and b[0] not in [p[0] for p in parties]:
                    parties.append(b)
            if len(parties) > 1:
                # a clash: one claim per party, each with the source's figures (an
                # incident's range is the lowest minimum to the highest maximum, so the
                # figures are not counted twice)
                for actor, written, span, role in parties:
                    one = dict(claim)
                    value = written if _is_alias(written) else actor
                    one["alleged_actor"] = _v(value, span, actor=actor, as_written=written)
                    one["role"] = _v(role, span)
                    one.pop("also_named", None)
                    out.append(one)
                continue
            out.append(claim)
        return out

    # -- incident --
    def incident(
        self, sentences: list[Sentence], claims: list[dict], title: Sentence | None
    ) -> dict:
        inc: dict[str, Any] = {}
        when = self.occurred_on(sentences)
        inc["occurred_on"] = when
        inc["date_precision"] = _v("day")
        inc.update(self.place(sentences))
        inc["weapon"] = self.choose("weapons", sentences, "other")
        inc["target_type"] = self.choose("targets", sentences, "unknown")
        actor_sets = [
            {c["alleged_actor"]["actor"]} for c in claims if c["alleged_actor"].get("actor")
        ]
        disputed = any(not (a & b) for i, a in enumerate(actor_sets) for b in actor_sets[i + 1 :])
        inc["verification"] = _v(
            "disputed" if disputed else "reported",
            None,
            rule="sources blame actors with nothing in common"
            if disputed
            else "no conflicting blame",
        )
        lead = next((s for s in sentences if not s.heading and s.kind == "incident"), None)
        if lead is not None:
            inc["description"] = _v(lead.text, (lead.start, lead.end))
        return inc

    def run(self) -> dict:
        self.find_reporting_outlet()
        self.classify()
        self.attribute()
        body = [s for s in self.sentences if s.kind == "incident"]
        title = next((s for s in self.sentences if s.heading and s.kind != "furniture"), None)
        claims = self.claims(body)
        incident = self.incident(body, claims, title)
        if incident["occurred_on"]["value"] is None:
            self.review.append("No date found: set the date.")
        caveats = [_v(s.text, (s.start, s.end)) for s in self.sentences if s.kind == "caveat"]
        others = []
        for s in self.sentences:
            if s.kind != "second":
                continue
            claims2 = self.claims([s])
            inc2 = self.incident([s], claims2, None)
            inc2["verification"] = _v("reported", None, rule="one source")
            others.append(
                {
                    "why": _v(
                        "a second act reported in the same article (a retaliation): offered separately for review",
                        (s.start, s.end),
                    ),
                    "incident": inc2,
                    "claims": claims2,
                }
            )
        sha = text_sha256(self.text)
        return {
            "article": {
                "outlet": self.outlet,
                "reporting_outlet": _v(self.reporting_outlet, self.reporting_span),
                "published": self.published.isoformat(),
                "url": self.url,
                "title": _v(title.text, (title.start, title.end)) if title else _v(None),
                "sha256": sha,
                "chars": len(self.text),
            },
            "incident": incident,
            "claims": claims,
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
