"""Search as staff and scripts use it: an exact look-up when the query names an action,
ranked retrieval otherwise."""

from __future__ import annotations

import re
from collections.abc import Sequence

from planwijzer.index.analysis import CharNgramAnalyzer, WordPairAnalyzer
from planwijzer.index.bm25 import BM25Retriever, plan_text
from planwijzer.index.dense import DenseRetriever, QueryVectors
from planwijzer.index.embeddings import PlanEmbeddings, load_embeddings
from planwijzer.index.hybrid import HybridRetriever
from planwijzer.index.lexicon import ExpandingRetriever
from planwijzer.index.lookup import ActionCatalog, Scope, parse_references
from planwijzer.index.retriever import RANKED_KINDS, Hit, Retriever
from planwijzer.index.store import LoadedIndex, load_index
from planwijzer.index.support import LexicalSupport
from planwijzer.ingest.corpus import read_corpus
from planwijzer.ingest.records import Record, RecordKind
from planwijzer.settings import SearchMode, Settings
from planwijzer.text import without_matches

# A search kept to a programme or actieprogramma looks this deep into the whole plan's ranking
# first: as deep as hybrid fusion reads each ranking, so the scores are those of any search.
SCOPED_DEPTH = 100
# A search asks for this many hits more than it returns, for the unranked records (the plan's
# introductions) among them; asking for k plus all of them would read each ranking deeper
# than fusion does, so a search for ten would order its records other than a search for five.
# Introductions rarely come first: when too many do, the search is asked again, deeper.
UNRANKED_MARGIN = 10
# The whole plan is about Leuven, so its name narrows a question to nothing, and ranked, it
# pulls up the records that share only it: "is er een tram gepland in leuven" found green
# electricity for "de Leuvenaars", not the tram buses, and "What is Leuven doing about cars in
# the city centre?" a building of KU Leuven. The name is left out alone ("Leuven", "Leuvense")
# or with the preposition that places a question in the city ("in Leuven", "te Leuven"); a
# name it is part of stays ("KU Leuven", "UZ Leuven", "Groep Leuven", "Leuven 2030", "Leuven
# MindGate", "Leuven-Noord"). Dev residents' recall@1 / recall@5 0.915 / 0.868 → 0.936 /
# 0.881; docs/measurements.md, "in Leuven" left out of what is ranked.
_THE_CITY = re.compile(
    r"(?<![\w-])(?:(?:in|te)\s+)?(?<!ku )(?<!uz )(?<!groep )leuven(?:se|'s|’s)?(?![\w-])(?!\s+(?:2030|mindgate))",
    re.IGNORECASE,
)


class Searcher:
    """Look-up first, then the given retriever (BM25 over the records by default), keeping
    only records of ``ranked_kinds``. ``support`` scores how well the plan's words back a
    question (see :mod:`planwijzer.index.support`); ranked modes with an index have one.
    ``embeddings`` is the model that embeds queries, when a ranking is dense.
    """

    def __init__(
        self,
        records: Sequence[Record],
        retriever: Retriever | None = None,
        ranked_kinds: frozenset[RecordKind] = RANKED_KINDS,
        support: LexicalSupport | None = None,
        embeddings: PlanEmbeddings | None = None,
    ) -> None:
        self.records = list(records)
        self.catalog = ActionCatalog(self.records)
        self.retriever = retriever or BM25Retriever(self.records)
        self.ranked_kinds = ranked_kinds
        self.support = support
        self.embeddings = embeddings
        self._unranked = sum(record.kind not in ranked_kinds for record in self.records)

    def search(self, query: str, k: int = 10, within: Scope | None = None) -> list[Hit]:
        """Ranked hits for ``query``, only of records ``within`` a programme or actieprogramma
        when given; raises :class:`UnknownReferenceError` for a number the plan lacks."""
        if not query.strip():
            raise ValueError("the query is empty")
        if k < 1:
            raise ValueError("k must be at least 1")
        if within is not None:
            self.catalog.resolve(within)  # a part the plan lacks is an error, not an empty result
        references = parse_references(query)
        if references:
            records = self.catalog.resolve_all(references)
            return [Hit(record, 1.0, "lookup") for record in records if _holds(within, record)][:k]
        query = without_the_city(query)
        depth = k + UNRANKED_MARGIN if within is None else max(k, SCOPED_DEPTH)
        found = self.retriever.retrieve(query, depth)
        hits = self._kept(found, within)
        if len(hits) < k and len(found) == depth:
            # Unranked records came first, or records outside the part: enough that k remain.
            deeper = k + self._unranked if within is None else len(self.records)
            hits = self._kept(self.retriever.retrieve(query, deeper), within)
        return hits[:k]

    def _kept(self, hits: list[Hit], within: Scope | None) -> list[Hit]:
        return [hit for hit in hits if hit.record.kind in self.ranked_kinds and _holds(within, hit.record)]


def without_the_city(query: str) -> str:
    """``query`` without the city's name, unless nothing but that is asked."""
    if not _THE_CITY.search(query):
        return query
    rest = without_matches(query, _THE_CITY)
    return rest if re.search(r"\w", rest) else query


def _holds(within: Scope | None, record: Record) -> bool:
    return within is None or within.contains(record)


def build_searcher(
    records: Sequence[Record],
    mode: SearchMode,
    settings: Settings,
    embeddings: PlanEmbeddings | None = None,
    index: LoadedIndex | None = None,
) -> Searcher:
    """The searcher for ``mode``; dense and hybrid need the embeddings and the loaded index.

    Hybrid fuses five rankings: BM25 on Dutch stems, BM25 on letter n-grams (compounds and
    typos), BM25 on pairs of neighbouring stems (the plan's phrases), the dense similarity of
    the plan's text and that of the records' search keywords (when the index has them),
    weighted by the settings; English questions also BM25 on the English words of the
    keywords (a sixth ranking, weighing nothing for Dutch ones). The query is embedded once
    for both dense rankings. The stem and n-gram rankings read a Dutch question with the
    plan words the index's Dutch lexicon (if it has one) gives for its everyday words; pairs
    of those added words would be phrases nobody asked for, so the pair ranking reads the
    question as asked.
    """
    bm25 = BM25Retriever(records)
    if mode is SearchMode.BM25:
        return Searcher(records, bm25)
    if embeddings is None or index is None:
        raise ValueError(f"{mode} search needs the embedding model and the index")
    ngrams = BM25Retriever(records, CharNgramAnalyzer(settings.ngram_size), method="ngram")
    # Whether the plan answers a question rests on the plan's own words, not on the keywords.
    support = LexicalSupport(
        BM25Retriever(records, text=plan_text),
        BM25Retriever(records, CharNgramAnalyzer(settings.ngram_size), method="ngram", text=plan_text),
        index.english_lexicon,
        RANKED_KINDS,
    )
    query_vectors = QueryVectors(embeddings)
    dense = DenseRetriever(records, index.passages, index.vectors, embeddings, query_vectors=query_vectors)
    if mode is SearchMode.DENSE:
        return Searcher(records, dense, support=support, embeddings=embeddings)
    lexical: list[Retriever] = [bm25, ngrams]
    if index.dutch_lexicon:
        weight = settings.lexicon_expansion_weight
        lexical = [ExpandingRetriever(retriever, index.dutch_lexicon, weight) for retriever in (bm25, ngrams)]
    pairs = BM25Retriever(records, WordPairAnalyzer(), method="pairs")
    rankings: list[Retriever] = [*lexical, pairs, dense]
    weights = [settings.bm25_weight, settings.ngram_weight, settings.pair_weight, settings.dense_weight]
    english_weights = [settings.bm25_weight_en, *weights[1:]]
    if index.keyword_vectors is not None and index.keyword_vectors.ntotal:
        rankings.append(
            DenseRetriever(
                records, index.keyword_passages, index.keyword_vectors, embeddings, "keywords", query_vectors
            )
        )
        weights.append(settings.keyword_dense_weight)
        english_weights.append(settings.keyword_dense_weight)
    if support.english_keywords is not None:
        # The keywords' English words, for English questions only: Dutch ones have their own.
        rankings.append(support.english_keywords)
        weights.append(0.0)
        english_weights.append(settings.keyword_bm25_weight_en)
    hybrid = HybridRetriever(
        rankings, weights=weights, english_weights=english_weights, fusion=settings.fusion, rrf_k=settings.rrf_k
    )
    return Searcher(records, hybrid, support=support, embeddings=embeddings)


def open_searcher(settings: Settings, mode: SearchMode | None = None) -> Searcher:
    """A searcher over the built corpus and index; raises :class:`IndexNotReadyError` (with
    how to rebuild) when dense or hybrid search is asked for and the index is not current."""
    mode = mode or settings.search_mode
    records = read_corpus(settings.corpus_path)
    if mode is SearchMode.BM25:
        return build_searcher(records, mode, settings)
    embeddings = load_embeddings(settings.embedding_model, settings.cache_dir)
    return build_searcher(records, mode, settings, embeddings, load_index(settings, embeddings))
