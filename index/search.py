"""Search as staff and scripts use it: an exact look-up when the query names an action,
ranked retrieval otherwise."""

from __future__ import annotations

from collections.abc import Sequence

from planwijzer.index.bm25 import BM25Retriever
from planwijzer.index.dense import DenseRetriever
from planwijzer.index.embeddings import PlanEmbeddings, load_embeddings
from planwijzer.index.hybrid import HybridRetriever
from planwijzer.index.lookup import ActionCatalog, parse_reference
from planwijzer.index.retriever import Hit, Retriever
from planwijzer.index.store import LoadedIndex, load_index
from planwijzer.ingest.corpus import read_corpus
from planwijzer.ingest.records import Record
from planwijzer.settings import SearchMode, Settings


class Searcher:
    """Look-up first, then the given retriever (BM25 over the records by default)."""

    def __init__(self, records: Sequence[Record], retriever: Retriever | None = None) -> None:
        self.records = list(records)
        self.catalog = ActionCatalog(self.records)
        self.retriever = retriever or BM25Retriever(self.records)

    def search(self, query: str, k: int = 10) -> list[Hit]:
        """Ranked hits for ``query``; raises :class:`UnknownReferenceError` for a number the plan lacks."""
        if not query.strip():
            raise ValueError("the query is empty")
        if k < 1:
            raise ValueError("k must be at least 1")
        reference = parse_reference(query)
        if reference is not None:
            return [Hit(record, 1.0, "lookup") for record in self.catalog.resolve(reference)[:k]]
        return self.retriever.retrieve(query, k)


def build_retriever(
    records: Sequence[Record],
    mode: SearchMode,
    settings: Settings,
    embeddings: PlanEmbeddings | None = None,
    index: LoadedIndex | None = None,
) -> Retriever:
    """The retriever for ``mode``; dense and hybrid need the embeddings and the loaded index."""
    bm25 = BM25Retriever(records)
    if mode is SearchMode.BM25:
        return bm25
    if embeddings is None or index is None:
        raise ValueError(f"{mode} search needs the embedding model and the index")
    dense = DenseRetriever(records, index.passages, index.vectors, embeddings)
    if mode is SearchMode.DENSE:
        return dense
    return HybridRetriever([bm25, dense], weights=[settings.bm25_weight, settings.dense_weight], rrf_k=settings.rrf_k)


def open_searcher(settings: Settings, mode: SearchMode | None = None) -> Searcher:
    """A searcher over the built corpus and index; raises :class:`IndexNotReadyError` (with
    how to rebuild) when dense or hybrid search is asked for and the index is not current."""
    mode = mode or settings.search_mode
    records = read_corpus(settings.corpus_path)
    if mode is SearchMode.BM25:
        return Searcher(records, build_retriever(records, mode, settings))
    embeddings = load_embeddings(settings.embedding_model)
    index = load_index(settings, embeddings)
    return Searcher(records, build_retriever(records, mode, settings, embeddings, index))
