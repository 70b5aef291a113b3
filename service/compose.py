"""The extractive answer: a lead sentence in the question's language, then the cited records
grouped by actieprogramma, each in the plan's own words with its citation marker; a programme
look-up also lists the programme's actieprogramma's, and "welke programma's zijn er?" gets the
plan's programmes, as does a question without a topic ("wat doet de stad?").

Deterministic and model-free, so it is the default and the fallback of the language model.
"""

from __future__ import annotations

from collections.abc import Mapping

from planwijzer.index.lookup import ActieprogrammaRef, Scope
from planwijzer.ingest.records import Record, RecordKind, Source, SourceKind
from planwijzer.service.answering import (
    Answer,
    AnswerStatus,
    Citation,
    Grounding,
    NotFoundReason,
    ProgrammeOverview,
)
from planwijzer.service.scope import place_names_in
from planwijzer.service.texts import PHRASES, Phrases


def marker(label: str) -> str:
    return f"[{label}]"


class ExtractiveComposer:
    def __init__(self, sources: Mapping[str, Source]) -> None:
        self.sources = dict(sources)

    def compose(self, grounding: Grounding) -> Answer:
        phrases = PHRASES[grounding.language]
        if grounding.status is AnswerStatus.NOT_FOUND:
            return Answer(grounding, _not_found_text(grounding, phrases), "extractive")
        if grounding.programmes:
            return Answer(grounding, _plan_text(grounding.programmes, phrases, phrases.plan_contents), "extractive")
        lines = [_lead(grounding, phrases)]
        if phrases.dutch_only:
            lines.append(phrases.dutch_only)
        if note := whole_city_note(grounding):
            lines.append(note)
        groups: dict[tuple[str, str | None, int | None], list[Citation]] = {}
        for citation in grounding.citations:
            groups.setdefault(_group_key(citation.record), []).append(citation)
        for citations in groups.values():
            lines.append("")
            lines.append(f"**{self._heading(citations[0].record, phrases)}**")
            lines.extend(f'- "{citation.quote}" {marker(citation.label)}' for citation in citations)
        if grounding.overview is not None:
            lines.extend(_overview_lines(grounding.overview, phrases))
        return Answer(grounding, "\n".join(lines), "extractive")

    def _heading(self, record: Record, phrases: Phrases) -> str:
        source = self.sources.get(record.source)
        title = source.title if source else record.source
        period = source.period if source else record.period
        if source is not None and source.kind is SourceKind.WEBPAGE or record.kind is RecordKind.BULLET:
            where = phrases.source_page.format(title=title, period=period)
            return f"{record.subheading} ({where})" if record.subheading else where
        where = phrases.source_plan.format(title=title, period=period)
        if record.actieprogramma:
            title = (record.actieprogramma_title or "").rstrip(". ")
            section = phrases.actieprogramma.format(number=record.actieprogramma, title=title)
        elif record.programme is not None:
            section = phrases.programme.format(number=record.programme, title=record.programme_title)
        else:
            section = phrases.no_actieprogramma
        return f"{section} ({where})"


def _overview_lines(overview: ProgrammeOverview, phrases: Phrases) -> list[str]:
    heading = phrases.programme_contents.format(number=overview.programme, title=overview.title)
    return [
        "",
        f"**{heading}**",
        *(
            phrases.actieprogramma_line.format(number=number, title=title, actions=actions)
            for number, title, actions in overview.actieprogrammas
        ),
    ]


def _plan_text(programmes: tuple[tuple[int, str, int], ...], phrases: Phrases, heading: str) -> str:
    lines = (phrases.programme_line.format(number=n, title=title, actions=actions) for n, title, actions in programmes)
    return "\n".join([heading.format(count=len(programmes)), "", *lines])


def _group_key(record: Record) -> tuple[str, str | None, int | None]:
    if record.actieprogramma:
        return (record.source, record.actieprogramma, None)
    return (record.source, record.subheading, record.programme)


def whole_city_note(grounding: Grounding) -> str | None:
    """For a question placed in a part of the city that no cited record names ("is er
    kinderopvang in heverlee?"): that the actions quoted are for the whole city, so that they
    do not read as a promise for that part."""
    cited = set(place_names_in(" ".join(citation.record.text for citation in grounding.citations)))
    places = [place.title() for place in grounding.places if place not in cited]
    if not places:
        return None
    phrases = PHRASES[grounding.language]
    return phrases.whole_city.format(places=f" {phrases.conjunction} ".join(places))


def _lead(grounding: Grounding, phrases: Phrases) -> str:
    if grounding.within is not None:
        lead = phrases.lead_nothing_within if grounding.lookup else phrases.lead_within
        return lead.format(part=_part(grounding.within, phrases))
    if grounding.mentioned is not None:
        places = phrases.place if grounding.mention_count == 1 else phrases.places
        lead = phrases.lead_mentions.format(words=grounding.mentioned, count=grounding.mention_count, places=places)
        shown = len(grounding.citations)
        more = "" if shown == grounding.mention_count else phrases.mentions_shown.format(shown=shown)
        return f"{lead}{more}:"
    if grounding.lookup:
        return phrases.lead_lookup
    return phrases.lead_more if grounding.continued else phrases.lead


def _part(within: Scope, phrases: Phrases) -> str:
    if isinstance(within, ActieprogrammaRef):
        return phrases.actieprogramma_part.format(number=within.actieprogramma)
    return phrases.programme_part.format(number=within.programme)


def _not_found_text(grounding: Grounding, phrases: Phrases) -> str:
    if grounding.not_found_reason is NotFoundReason.GREETING:
        return phrases.greeting
    if grounding.not_found_reason is NotFoundReason.THANKS:
        return phrases.thanks
    if grounding.not_found_reason is NotFoundReason.ACKNOWLEDGEMENT:
        return phrases.acknowledgement
    if grounding.not_found_reason is NotFoundReason.NO_TOPIC:
        return _plan_text(grounding.programmes, phrases, phrases.no_topic)
    lines = [_not_found_lead(grounding, phrases)]
    if grounding.suggestions:
        named = [phrases.programme_inline.format(number=n, title=title) for n, title in grounding.suggestions]
        listing = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} {phrases.conjunction} {named[-1]}"
        lines.append(phrases.not_found_suggestions.format(programmes=listing))
    lines.append(phrases.contact)
    return " ".join(lines)


def _not_found_lead(grounding: Grounding, phrases: Phrases) -> str:
    reason = grounding.not_found_reason
    if reason is NotFoundReason.UNKNOWN_WORDS:
        return phrases.not_found_unknown_words.format(words=", ".join(grounding.unknown_words))
    if reason is NotFoundReason.OTHER_PLACE:
        return phrases.not_found_other_place.format(places=f" {phrases.conjunction} ".join(grounding.places))
    if reason is NotFoundReason.SERVICE_INFORMATION:
        return phrases.not_found_service
    if reason is NotFoundReason.NEWS:
        return phrases.not_found_news
    if reason is NotFoundReason.NOTHING_MORE:
        return phrases.nothing_more
    return phrases.not_found
