"""Search as staff and scripts use it: an exact look-up when the query names an action,
ranked retrieval otherwise."""

from __future__ import annotations

from collections.abc import Sequence

from planwijzer.index.bm25 import BM25Retriever
from planwijzer.index.lookup import ActionCatalog, parse_reference
from planwijzer.index.retriever import Hit, Retriever
from planwijzer.ingest.records import Record


class Searcher:
    """Look-up first, then the given retriever (BM25 over the records by default)."""

    def __init__(self, records: Sequence[Record], retriever: Retriever | None = None) -> None:
        self.catalog = ActionCatalog(records)
        self.retriever = retriever or BM25Retriever(records)

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
