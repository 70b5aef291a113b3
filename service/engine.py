"""Everything a running service holds: corpus, indexes, the grounder and the composers.

Loaded once per process in the app's lifespan and shared read-only by all requests.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from planwijzer.index.search import Searcher, open_searcher
from planwijzer.ingest.records import Record, Source
from planwijzer.ingest.sources import load_sources
from planwijzer.language import detect_language, load_word_frequencies
from planwijzer.service.answering import Answer, AnswerStatus, Grounder
from planwijzer.service.compose import ExtractiveComposer
from planwijzer.service.followup import Turn, asked_language
from planwijzer.service.llm import GenerationError, LLMComposer
from planwijzer.service.models import ActieprogrammaSummary, ProgrammeSummary
from planwijzer.service.scope import asks_for_plan_overview, small_talk
from planwijzer.service.threads import ThreadBudget
from planwijzer.settings import Settings

logger = logging.getLogger(__name__)

WARM_UP_QUESTION = "Komen er meer plaatsen in de kinderopvang?"


@dataclass
class Engine:
    settings: Settings
    searcher: Searcher
    sources: dict[str, Source]
    grounder: Grounder
    composer: ExtractiveComposer
    threads: ThreadBudget
    llm: LLMComposer | None = None

    @classmethod
    def load(cls, settings: Settings) -> Engine:
        """Opens corpus and index; raises :class:`PlanwijzerError` (with how to fix it) when they are not usable."""
        searcher = open_searcher(settings)
        load_word_frequencies()
        engine = cls.from_searcher(settings, searcher)
        engine.threads.rehearse(lambda: searcher.search("kinderopvang", k=1))
        return engine

    @classmethod
    def from_searcher(cls, settings: Settings, searcher: Searcher) -> Engine:
        sources = {source.id: source for source in load_sources(settings.registry_path)}
        llm = LLMComposer.from_settings(settings) if settings.llm_base_url else None
        limit_threads = searcher.embeddings.limit_threads if searcher.embeddings else _keep_threads
        threads = ThreadBudget(
            limit_threads,
            alone=settings.threads_when_alone,
            shared=settings.threads_per_worker,
            at_once=settings.searches_at_once or None,
        )
        grounder = Grounder(searcher, sources, settings)
        return cls(settings, searcher, sources, grounder, ExtractiveComposer(sources), threads, llm)

    async def answer(
        self, question: str, history: Sequence[Turn] = (), language: str = "auto", top_k: int | None = None
    ) -> Answer:
        """The answer as served: the language model's when it is on and succeeds, else extractive."""
        search_question = question
        # Small talk and "welke programma's zijn er?" are answered as asked: nothing to rewrite.
        if self.llm is not None and history and small_talk(question) is None and not asks_for_plan_overview(question):
            try:
                search_question, history = await self.llm.rewrite(question, history), ()
                # The standalone question may be in another language than the one asked.
                if language == "auto":
                    language = asked_language(question) or detect_language(question)
            except GenerationError as error:
                logger.info("Follow-up rewrite by rules: %s", error)
        grounding = await self.threads.run(self.grounder.ground, search_question, history, language, top_k)
        if self.llm is None or grounding.status is AnswerStatus.NOT_FOUND or grounding.lookup:
            return self.composer.compose(grounding)
        try:
            return await self.llm.compose(grounding)
        except GenerationError as error:
            return replace(self.composer.compose(grounding), fallback_reason=str(error))

    async def warm_up(self) -> None:
        """Answers one question the extractive way (never the language model): the first
        answer starts the thread pool and loads what only answering reads (about 0.2 s),
        better before the service reports ready than in a resident's request."""
        grounding = await self.threads.run(self.grounder.ground, WARM_UP_QUESTION, (), "auto", None)
        self.composer.compose(grounding)

    @property
    def records(self) -> list[Record]:
        return self.searcher.records

    def programme_tree(self) -> list[ProgrammeSummary]:
        catalog = self.searcher.catalog
        return [
            ProgrammeSummary(
                number=number,
                title=title,
                actions=actions,
                actieprogrammas=[
                    ActieprogrammaSummary(id=ap_id, title=ap_title, actions=ap_actions)
                    for ap_id, ap_title, ap_actions in catalog.actieprogramma_counts(number)
                ],
            )
            for number, title, actions in catalog.programmes()
        ]


def _keep_threads(_count: int) -> None:
    """BM25-only search embeds nothing."""
