"""The systems an evaluation compares, each opened once and wrapped as a ranker."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from planwijzer.eval.baseline import LangChainBaseline
from planwijzer.eval.gold import GoldQuestion
from planwijzer.eval.retrieval import Ranker
from planwijzer.index.embeddings import load_embeddings
from planwijzer.index.search import Searcher, build_searcher, without_the_city
from planwijzer.index.store import load_index
from planwijzer.index.support import plan_vocabulary
from planwijzer.ingest.corpus import read_corpus
from planwijzer.ingest.records import Record
from planwijzer.ingest.sources import load_sources
from planwijzer.service.answering import follow_up_rewriter
from planwijzer.service.scope import without_place_names
from planwijzer.settings import SearchMode, Settings

BASELINE = "langchain"
SYSTEMS = (SearchMode.BM25.value, SearchMode.DENSE.value, SearchMode.HYBRID.value, BASELINE)


def open_rankers(settings: Settings, systems: Sequence[str] = SYSTEMS) -> dict[str, Ranker]:
    """Rankers by name; Planwijzer's own go through :class:`Searcher`, as served."""
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        raise ValueError(f"unknown systems {sorted(unknown)}; choose from {', '.join(SYSTEMS)}")
    records = read_corpus(settings.corpus_path)
    embeddings = index = None
    if set(systems) - {SearchMode.BM25.value}:
        embeddings = load_embeddings(settings.embedding_model, settings.cache_dir)
        index = load_index(settings, embeddings)
    rankers: dict[str, Ranker] = {}
    for system in systems:
        if system == BASELINE:
            sources = [source for source in load_sources(settings.registry_path) if source.format == "txt"]
            baseline = LangChainBaseline(sources, records, embeddings, settings.cache_dir)
            rankers[system] = baseline.rank
            continue
        searcher = build_searcher(records, SearchMode(system), settings, embeddings, index)
        rankers[system] = _searcher_ranker(searcher)
    return rankers


def served_query(records: Sequence[Record]) -> Callable[[GoldQuestion], str]:
    """The query the service searches for a gold question: follow-ups rewritten, the parts of
    the city and its name left out as served (the LangChain baseline is asked it too)."""
    rewriter = follow_up_rewriter(records, plan_vocabulary(records))
    return lambda question: without_the_city(
        without_place_names(rewriter.rewrite(question.question, question.history).query)
    )


def _searcher_ranker(searcher: Searcher) -> Ranker:
    def rank(query: str, k: int) -> list[set[str]]:
        return [{hit.record.id} for hit in searcher.search(query, k)]

    return rank
