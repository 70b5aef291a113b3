"""From a question to an answer: rewrite a follow-up, find the actions, decide whether the
plan speaks to the question at all, and choose what to cite.

The composing itself (the words around the quotes) is done by :mod:`.compose` or, when it is
switched on, by a language model in :mod:`.llm`; both work from the :class:`Grounding` made here.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from planwijzer.index.analysis import DutchAnalyzer
from planwijzer.index.bm25 import plan_text
from planwijzer.index.lookup import (
    ActieprogrammaRef,
    ActionCatalog,
    ProgrammeRef,
    Reference,
    Scope,
    few_words,
    parse_references,
)
from planwijzer.index.retriever import Hit
from planwijzer.index.search import Searcher
from planwijzer.index.vocabulary import Vocabulary
from planwijzer.ingest.records import Record, RecordKind, Source
from planwijzer.language import detect_language
from planwijzer.service.followup import FollowUpRewriter, Rewrite, Turn
from planwijzer.service.quotes import QuoteTrimmer
from planwijzer.service.scope import (
    asks_for_news,
    asks_for_plan_overview,
    asks_for_service_information,
    mentioned_words,
    mentions,
    names_a_topic,
    names_place,
    other_places_in,
    place_names_in,
    small_talk,
    without_frame_words,
    without_place_names,
)
from planwijzer.settings import Settings

# A number inside a long sentence ("om 8.30 uur") is not a look-up; an explicit word or a
# question of a few words is.
_EXPLICIT_REFERENCE = re.compile(r"\b(actie|action|programma|programme|actieprogramma|ap|p\d+)\b", re.IGNORECASE)
# How many candidates are ranked before choosing citations: enough to see the dense scores.
CANDIDATES = 10
# Words of an earlier question carried into a follow-up: only those in under 2% of the records.
# The follow-up has words of its own ("en voor schoolkinderen na de schooltijd?"): at 3%,
# "kinderopvang" (2.4%) comes along and pulls two dev follow-ups' gold out of the top 5.
RARE_WORD_MAX_SHARE = 0.02
# A Dutch question of at most this many words besides stopwords ("hulp bij dementie?",
# "studentenkoten") is read by the dense similarity alone: the letter n-gram score grows with a
# question's length, so it tells long questions apart well (AUC 0.98 with the dense similarity,
# on the dev questions) and short ones badly (0.78, against 0.87 for the dense similarity alone).
SHORT_QUESTION_TERMS = 3
# "meer daarover" asks for records the answer before left out: they may score lower than an
# answer's own citations, but not so low that they are about something else.
MORE_SCORE_RATIO = 0.5
# "meer daarover" after a look-up searches with the looked-up actions' own words, this many
# characters of them: enough for what they are about, short enough to embed quickly.
MORE_QUERY_CHARS = 500
# "welke acties noemen de NMBS?" cites every action that does, up to this many (the most a
# question's top_k may ask for); the answer says how many there are in all.
MENTIONS_SHOWN = 20


class ConfidenceScale(StrEnum):
    """Which threshold decides whether the plan answers a question: confidence is read
    differently for English questions and for Dutch ones of a few words."""

    DUTCH = "nl"
    DUTCH_SHORT = "nl_short"  # at most SHORT_QUESTION_TERMS words the plan could match
    ENGLISH = "en"

    @property
    def language(self) -> str:
        """The language of the words searched for."""
        return "en" if self is ConfidenceScale.ENGLISH else "nl"


class AnswerStatus(StrEnum):
    ANSWERED = "answered"
    NOT_FOUND = "not_found"


class NotFoundReason(StrEnum):
    LOW_CONFIDENCE = "low_confidence"  # nothing in the plan is close enough to the question
    SERVICE_INFORMATION = "service_information"  # a price, opening hour or collection day
    NEWS = "news"  # who won an election or a match, who is mayor, the weather, the best restaurant
    NOTHING_MORE = "nothing_more"  # "meer daarover", and the conversation cited all there is
    GREETING = "greeting"  # "hallo", "wat kan je?": an introduction, no search
    THANKS = "thanks"  # "bedankt": a short reply, no search
    ACKNOWLEDGEMENT = "acknowledgement"  # "ok", "super": a short reply, no search
    NO_TOPIC = "no_topic"  # "wat doet de stad?": nothing to search for; the programmes are offered
    UNKNOWN_WORDS = "unknown_words"  # "komt er een casino?": the plan never names what it asks about
    OTHER_PLACE = "other_place"  # "het circulatieplan in Gent": no cited action names that place


@dataclass(frozen=True)
class Citation:
    record: Record
    quote: str
    score: float

    @property
    def label(self) -> str:
        return self.record.label


@dataclass(frozen=True)
class ProgrammeOverview:
    """What a programme look-up ("programma 5") lists: its actieprogramma's, each with its
    title and how many actions it holds."""

    programme: int
    title: str
    actieprogrammas: tuple[tuple[str, str, int], ...]


# What a plan overview ("welke programma's zijn er?") shows as its query.
PLAN_OVERVIEW_QUERY = "programma's"


@dataclass(frozen=True)
class Grounding:
    """Everything an answer may rest on, decided before any words are chosen."""

    question: str
    query: str
    language: str
    status: AnswerStatus
    citations: tuple[Citation, ...]
    lookup: bool = False
    confidence: float | None = None
    confidence_scale: ConfidenceScale | None = None  # which threshold the confidence was held to
    # Programmes of the nearest records, offered when the plan does not answer the question.
    suggestions: tuple[tuple[int, str], ...] = ()
    not_found_reason: NotFoundReason | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    continued: bool = False  # it answers "meer daarover": only records not cited before
    overview: ProgrammeOverview | None = None
    # "welke programma's zijn er?": every programme's number, title and number of actions.
    programmes: tuple[tuple[int, str, int], ...] = ()
    # The part of the plan the citations were sought in; with ``lookup``, the part the question
    # named, in which nothing came close: the answer shows what it holds.
    within: Scope | None = None
    # With ``not_found_reason`` UNKNOWN_WORDS: the question's words the plan never uses.
    unknown_words: tuple[str, ...] = ()
    # "welke acties noemen de NMBS?": the words every cited record holds, and how many records
    # of the plan hold them (the answer cites the first of them, in the plan's order).
    mentioned: str | None = None
    mention_count: int = 0
    # The parts of the city the question was placed in and searched without ("heverlee"); with
    # ``not_found_reason`` OTHER_PLACE, the places outside Leuven it names ("Gent").
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class Searched:
    """A ranked search, how sure it is, and why the plan does not answer (None when it does)."""

    hits: list[Hit]
    confidence: float | None
    scale: ConfidenceScale
    reason: NotFoundReason | None
    unknown_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    grounding: Grounding
    text: str
    composer: str  # "extractive" or "llm"
    fallback_reason: str | None = None

    @property
    def status(self) -> AnswerStatus:
        return self.grounding.status


class Grounder:
    """Finds what the plan says about a question; stateless, safe to share between requests."""

    def __init__(self, searcher: Searcher, sources: Mapping[str, Source], settings: Settings) -> None:
        self.searcher = searcher
        self.sources = dict(sources)
        self.settings = settings
        self._analyzer = DutchAnalyzer()
        vocabulary = searcher.support.vocabulary if searcher.support is not None else None
        self._rewriter = follow_up_rewriter(searcher.records, vocabulary, searcher.catalog)
        self._trimmer = QuoteTrimmer()

    def ground(
        self, question: str, history: Sequence[Turn] = (), language: str = "auto", top_k: int | None = None
    ) -> Grounding:
        """Raises :class:`UnknownReferenceError` when the question names an action the plan lacks."""
        started = time.perf_counter()
        question_language = detect_language(question) if language == "auto" else language
        if (talk := small_talk(question)) is not None:
            return Grounding(
                question, question, question_language, AnswerStatus.NOT_FOUND, (),
                not_found_reason=NotFoundReason(talk), timings_ms={"rewrite": _since(started)},
            )  # fmt: skip
        if asks_for_plan_overview(question):
            return Grounding(
                question, PLAN_OVERVIEW_QUERY, question_language, AnswerStatus.ANSWERED, (), True,
                timings_ms={"rewrite": _since(started)}, programmes=tuple(self.searcher.catalog.programmes()),
            )  # fmt: skip
        if (words := mentioned_words(question)) is not None:
            # The words asked for may be a name in any language ("De Lijn"): the rest tells.
            asked_in = detect_language(question.replace(words, " ")) if language == "auto" else language
            return self._mentioning(question, words, asked_in, top_k or MENTIONS_SHOWN, started)
        rewrite = self._rewriter.rewrite(question, history)
        if language == "auto":
            language = rewrite.language or question_language
        limit = top_k or self.settings.max_citations
        timings: dict[str, float] = {"rewrite": _since(started)}
        reference = rewrite.reference
        if reference is not None and (rewrite.is_followup or _is_lookup(question)):
            # "5.95 en 5.96" names two; "en de volgende?" names none, its reference is worked out.
            references = parse_references(rewrite.query) or [reference]
            return self._look_up(question, references, language, limit, timings, started)
        if not (rewrite.is_followup or rewrite.language or rewrite.within) and not names_a_topic(question):
            # The records nearest to "wat doet de stad?" are near by chance: offer the programmes.
            return Grounding(
                question, question, language, AnswerStatus.NOT_FOUND, (), not_found_reason=NotFoundReason.NO_TOPIC,
                timings_ms=timings, programmes=tuple(self.searcher.catalog.programmes()),
            )  # fmt: skip
        query, looked_up = self._search_query(rewrite)
        # Besides "meer daarover" after a look-up, a search differs from the question only by
        # the parts of the city it left out.
        places = place_names_in(rewrite.query) if not looked_up and query != rewrite.query else ()
        candidates = max(CANDIDATES, limit) + len(rewrite.seen)
        # "in English please" asks the question before again: that one decides on the scope.
        asked = rewrite.query if rewrite.language else question
        within = rewrite.within
        # Within a part of the plan, as many as may be cited are enough: asking for more of a
        # small part than the whole plan's top ranks hold means ranking every record.
        found = self._search(query, asked, candidates if within is None else limit, looked_up, within)
        if found.reason is NotFoundReason.LOW_CONFIDENCE and within is not None:
            if not rewrite.is_followup:
                # Nothing in the part the question names is close to its words: what it holds.
                return replace(self._look_up(question, [within], language, limit, timings, started), within=within)
            # Nothing close in the part of the plan looked up before: the whole plan may answer.
            within = None
            found = self._search(query, asked, candidates, looked_up, within)
        timings["search"] = _since(started) - timings["rewrite"]
        hits, reason = found.hits, found.reason
        if places:
            # "een sporthal in wilsele": the sports hall of Heverlee is no answer.
            hits = [hit for hit in hits if not _about_other_parts(hit.record, places)]
        chosen = [] if reason is not None or not hits else self._choose(hits, limit, rewrite.seen)
        if reason is None and not chosen:
            reason = NotFoundReason.NOTHING_MORE
        if reason is None and (elsewhere := _unanswered_places(rewrite.query, chosen)):
            reason, places = NotFoundReason.OTHER_PLACE, elsewhere
        if reason is not None:
            return Grounding(
                question, query, language, AnswerStatus.NOT_FOUND, (), confidence=found.confidence,
                confidence_scale=found.scale, suggestions=_programmes(hits[:3]), not_found_reason=reason,
                timings_ms=timings, unknown_words=found.unknown_words, places=places,
            )  # fmt: skip
        quote_words = self._quote_words(query, found.scale.language)
        citations = tuple(
            Citation(hit.record, self._trimmer.quote(hit.record.text, quote_words), hit.score) for hit in chosen
        )
        return Grounding(
            question, query, language, AnswerStatus.ANSWERED, citations, confidence=found.confidence,
            confidence_scale=found.scale, timings_ms=timings, continued=bool(rewrite.seen), within=within,
            places=places,
        )  # fmt: skip

    def _look_up(
        self,
        question: str,
        references: Sequence[Reference],
        language: str,
        limit: int,
        timings: dict[str, float],
        started: float,
    ) -> Grounding:
        records = self._quoted(references)
        first = references[0]
        whole = len(references) > 1 or isinstance(first, ActieprogrammaRef)
        limit = max(limit, len(records)) if whole else limit
        overview = self._overview(first.programme) if isinstance(first, ProgrammeRef) else None
        citations = tuple(Citation(record, record.text, 1.0) for record in records[:limit])
        timings["search"] = _since(started) - timings["rewrite"]
        query = ", ".join(named.query for named in references)
        return Grounding(
            question, query, language, AnswerStatus.ANSWERED, citations, True, timings_ms=timings, overview=overview
        )

    def _mentioning(self, question: str, words: str, language: str, limit: int, started: float) -> Grounding:
        """Every record search may return whose text holds ``words``, in the plan's order; when
        none does, the plan never names them."""
        found = [
            record
            for record in self.searcher.records
            if record.kind in self.searcher.ranked_kinds and mentions(record.text, words)
        ]
        timings = {"search": _since(started)}
        if not found:
            return Grounding(
                question, words, language, AnswerStatus.NOT_FOUND, (), not_found_reason=NotFoundReason.UNKNOWN_WORDS,
                unknown_words=(words,), timings_ms=timings,
            )  # fmt: skip
        citations = tuple(Citation(record, self._trimmer.quote(record.text, words), 1.0) for record in found[:limit])
        return Grounding(
            question, words, language, AnswerStatus.ANSWERED, citations, True, timings_ms=timings,
            mentioned=words, mention_count=len(found),
        )  # fmt: skip

    def _search(
        self, query: str, asked: str, candidates: int, left_out: frozenset[str], within: Scope | None
    ) -> Searched:
        hits = self.searcher.search(query, candidates, within)
        hits = [hit for hit in hits if hit.record.id not in left_out]
        scale = self._scale(query)
        confidence = self._confidence(hits, scale, query)
        reason = self._not_found_reason(asked, query, hits, confidence, scale)
        if reason is None and (unknown := self._unknown_words(query, scale)):
            return Searched(hits, confidence, scale, NotFoundReason.UNKNOWN_WORDS, unknown)
        return Searched(hits, confidence, scale, reason)

    def _quoted(self, references: Sequence[Reference]) -> list[Record]:
        """The records a look-up quotes, each once: for a programme, its introduction (its
        actions are listed by actieprogramma instead)."""
        records = self.searcher.catalog.resolve_all(references)
        # A programme is only ever named alone (see parse_references).
        if any(isinstance(reference, ProgrammeRef) for reference in references):
            return [record for record in records if record.kind is not RecordKind.ACTION]
        return records

    def _overview(self, programme: int) -> ProgrammeOverview:
        catalog = self.searcher.catalog
        title = next((title for number, title, _ in catalog.programmes() if number == programme), "")
        counts = catalog.actieprogramma_counts(programme)
        listed = tuple((number, name.rstrip(". "), actions) for number, name, actions in counts)
        return ProgrammeOverview(programme, title, listed)

    def _search_query(self, rewrite: Rewrite) -> tuple[str, frozenset[str]]:
        """What to search for, and the ids of records to leave out of the ranking: the
        question without the part of the city it is placed in, when it names a topic besides
        (:func:`~planwijzer.service.scope.without_place_names`). "meer daarover" after a
        look-up ("actie 5.95") asks for what the plan says near those actions: their own words
        find it, and they themselves, found first, are left out."""
        references = parse_references(rewrite.query) if rewrite.seen else []
        if not references:
            return without_place_names(rewrite.query), frozenset()
        records = self._quoted(references)
        words = " ".join(record.text for record in records)
        return words[:MORE_QUERY_CHARS], frozenset(record.id for record in records)

    def _quote_words(self, query: str, language: str) -> str:
        """What a long record's sentences are matched against when it is quoted: the query,
        and for an English one the plan words the English lexicon gives for its words."""
        if language == "en" and self.searcher.support is not None:
            return f"{query} {self.searcher.support.in_plan_words(query)}"
        return query

    def _scale(self, query: str) -> ConfidenceScale:
        """How to read the confidence of a search for ``query``: by the words searched for, in
        their own language, whichever language the answer is given in ("in English please"
        after a Dutch question)."""
        if detect_language(query) == "en":
            return ConfidenceScale.ENGLISH
        if len(self._analyzer.terms(query)) <= SHORT_QUESTION_TERMS:
            return ConfidenceScale.DUTCH_SHORT
        return ConfidenceScale.DUTCH

    def _confidence(self, hits: Sequence[Hit], scale: ConfidenceScale, query: str) -> float | None:
        """How sure the search is that the plan speaks to the question: the best dense
        similarity, plus, for a question of more than a few words, a little of how well the
        plan's words back the question as asked (:class:`~planwijzer.index.support.LexicalSupport`).

        For Dutch questions that is the best letter n-gram BM25 score among the hits: alone,
        each told in-scope from out-of-scope dev questions with an AUC of 0.82 and 0.89;
        together 0.91. English questions share no letters with the plan, so for them it is
        the best BM25 score of their words among the records' English search keywords: on
        the 54 English dev questions that took the AUC from 0.83, with the English lexicon's
        plan words instead (still there, off by default, for a plan without English
        keywords), to 0.93. None when no dense ranking ran (BM25-only mode).
        """
        dense = _best_component(hits, "dense")
        support = self.searcher.support
        if dense is None or support is None or scale is ConfidenceScale.DUTCH_SHORT:
            return dense
        if scale is ConfidenceScale.ENGLISH:
            lexicon_weight = self.settings.abstain_lexicon_weight
            by_lexicon = lexicon_weight * support.english(query) if lexicon_weight else 0.0
            by_keywords = support.english_by_keywords(without_frame_words(query))
            return dense + by_lexicon + self.settings.abstain_keyword_weight_en * by_keywords
        return dense + self.settings.abstain_ngram_weight * support.dutch(query, [hit.record for hit in hits])

    def _not_found_reason(
        self, question: str, query: str, hits: Sequence[Hit], confidence: float | None, scale: ConfidenceScale
    ) -> NotFoundReason | None:
        """Why the plan does not answer the question, or None when it does. The question as
        asked decides on service information and news: a follow-up's rewritten query carries
        words of earlier turns. The confidence is that of the ``query`` searched."""
        if asks_for_service_information(question):
            return NotFoundReason.SERVICE_INFORMATION
        if asks_for_news(question):
            return NotFoundReason.NEWS
        if not hits or (confidence is not None and confidence < self.settings.abstain_below(scale)):
            if not self._named_by_keywords(query, hits, scale):
                return NotFoundReason.LOW_CONFIDENCE
        return None

    def _named_by_keywords(self, query: str, hits: Sequence[Hit], scale: ConfidenceScale) -> bool:
        """A Dutch question whose words are mostly keywords of one of the first hits ("nieuw
        zwembad?", "zwerfvuil", "de fietsen worden hier constant gestolen", "ik zoek werk, kan
        de stad helpen?") is answered however low its dense similarity: of the dev questions
        held to the short threshold, that held for 13 of the 29 in scope and none of the 13 out
        of scope when all words had to be keywords; three in five changed no dev question
        there, and of the longer dev questions under their threshold it holds for 3 of the 6
        in scope and none of the 8 out of scope. Words that only frame a question ("komt", "stad") are
        never keywords, so they are not looked for: "komt er een nieuw zwembad?" is named by
        8.68's keywords as "nieuw zwembad?" is."""
        support = self.searcher.support
        return (
            scale is not ConfidenceScale.ENGLISH
            and support is not None
            and support.named_by_keywords(without_frame_words(query), [hit.record for hit in hits])
        )

    def _unknown_words(self, query: str, scale: ConfidenceScale) -> tuple[str, ...]:
        """The words of a question of a few Dutch words that the plan and its keywords never
        use, not even in a compound or with a typo. Such a question ("komt er een casino in
        leuven?") is about something the plan does not name, however close its dense
        similarity comes to the threshold: none of the in-scope dev questions held to the
        short threshold has such a word. A longer question may well ask in words of its own
        ("mijn huisbaas wil me uit mijn huis zetten"): its other words carry it."""
        support = self.searcher.support
        if scale is not ConfidenceScale.DUTCH_SHORT or support is None:
            return ()
        return tuple(support.unknown_words(without_frame_words(query)))

    def _choose(self, hits: Sequence[Hit], limit: int, seen: frozenset[str] = frozenset()) -> list[Hit]:
        """The best hit, and the next ones whose score stays close to it; with ``seen`` (for
        "meer daarover"), the best ones not cited before that stay within reach of the best."""
        if seen:
            floor = hits[0].score * MORE_SCORE_RATIO
            return [hit for hit in hits if hit.record.label not in seen and hit.score >= floor][:limit]
        floor = hits[0].score * self.settings.citation_score_ratio
        return [hit for position, hit in enumerate(hits[:limit]) if position == 0 or hit.score >= floor]


def _about_other_parts(record: Record, places: Sequence[str]) -> bool:
    """Whether ``record`` names parts of the city, none of them one of ``places``: an action
    about the sports hall of Heverlee, for a question placed in Wilsele."""
    named = place_names_in(record.text)
    return bool(named) and not set(named) & set(places)


def _unanswered_places(query: str, chosen: Sequence[Hit]) -> tuple[str, ...]:
    """The places outside Leuven ``query`` names when none of the ``chosen`` records names one
    of them: the plan's actions are Leuven's, so "het circulatieplan in Gent" is not answered by
    Leuven's circulation plan. A record counts by its text, headings and search keywords."""
    elsewhere = other_places_in(query)
    if not elsewhere:
        return ()
    for hit in chosen:
        record = hit.record
        named = " ".join((record.text, record.actieprogramma_title or "", record.subheading or "", *record.keywords))
        if any(names_place(named, place) for place in elsewhere):
            return ()
    return elsewhere


def follow_up_rewriter(
    records: Sequence[Record], vocabulary: Vocabulary | None, catalog: ActionCatalog | None = None
) -> FollowUpRewriter:
    """The rewriter follow-ups are read with: words carried over only when rare in the plan
    and, with a ``vocabulary``, only when the plan could be searched by them; after a look-up,
    what the action is about (the ``catalog`` of ``records``)."""
    return FollowUpRewriter(
        DutchAnalyzer(),
        rare_word_test(records),
        vocabulary.knows if vocabulary is not None else None,
        (catalog or ActionCatalog(records)).subject,
    )


def rare_word_test(records: Sequence[Record], max_share: float = RARE_WORD_MAX_SHARE) -> Callable[[str], bool]:
    """A test for words whose stem occurs in fewer than ``max_share`` of the records."""
    analyzer = DutchAnalyzer()
    frequency: Counter[str] = Counter()
    for record in records:
        frequency.update(set(analyzer.terms(plan_text(record))))
    limit = max_share * len(records)

    def is_rare(word: str) -> bool:
        stems = analyzer.terms(word)
        return bool(stems) and all(frequency[stem] < limit for stem in stems)

    return is_rare


def _is_lookup(question: str) -> bool:
    return bool(_EXPLICIT_REFERENCE.search(question)) or few_words(question)


def _best_component(hits: Sequence[Hit], method: str) -> float | None:
    """The best raw score ``method``'s ranking gave any of the hits; None when it did not run."""
    scores = [score for hit in hits if (score := hit.component(method)) is not None]
    return max(scores) if scores else None


def _programmes(hits: Sequence[Hit]) -> tuple[tuple[int, str], ...]:
    seen: dict[int, str] = {}
    for hit in hits:
        record = hit.record
        if record.programme is not None and record.programme_title:
            seen.setdefault(record.programme, record.programme_title)
    return tuple(seen.items())


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
