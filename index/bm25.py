"""Lexical retrieval: BM25 over the Dutch-analysed text of each record, its context and its
search keywords."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import bm25s
import numpy as np

from planwijzer.index.analysis import DutchAnalyzer
from planwijzer.index.retriever import Hit
from planwijzer.ingest.records import Record


class Analyzer(Protocol):
    def terms(self, text: str) -> list[str]: ...


def plan_text(record: Record) -> str:
    """The plan's own words for a record: its text and the headings above it."""
    context = (record.actieprogramma_title, record.subheading, record.topic)
    return " ".join(part for part in (*context, record.text) if part)


def keyword_text(record: Record) -> str:
    """A record's search keywords, as one text."""
    return " ".join(record.keywords)


def indexed_text(record: Record) -> str:
    """What a record is found by: the plan's words and the record's search keywords."""
    return " ".join((plan_text(record), *record.keywords))


class BM25Retriever:
    """BM25 (Lucene variant) over a corpus; built in memory in well under a second."""

    def __init__(
        self,
        records: Sequence[Record],
        analyzer: Analyzer | None = None,
        method: str = "bm25",
        text: Callable[[Record], str] = indexed_text,
    ) -> None:
        if not records:
            raise ValueError("BM25 needs at least one record")
        self.records = list(records)
        self.method = method  # "ngram" or "pairs" for the other fields, so fused hits tell them apart
        self.analyzer: Analyzer = analyzer or DutchAnalyzer()
        corpus_terms = [self.analyzer.terms(text(record)) for record in self.records]
        self._vocabulary: dict[str, int] = {}
        ids = [[self._vocabulary.setdefault(term, len(self._vocabulary)) for term in terms] for terms in corpus_terms]
        self._index = bm25s.BM25(method="lucene")
        self._index.index(bm25s.tokenization.Tokenized(ids=ids, vocab=self._vocabulary), show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every record for ``query`` (zeros when no term is known)."""
        known = [term for term in self.analyzer.terms(query) if term in self._vocabulary]
        if not known:
            return np.zeros(len(self.records), dtype=np.float32)
        return np.asarray(self._index.get_scores(known), dtype=np.float32)

    def retrieve(self, query: str, k: int) -> list[Hit]:
        return self.top(self.scores(query), k)

    def record_scores(self, query: str, depth: int) -> np.ndarray:
        """The BM25 scores as a ranking: a record without any of the query's terms is not found.
        Scoring every record costs no more than scoring the ``depth`` best."""
        del depth
        scores = self.scores(query).astype(np.float64)
        scores[scores == 0] = -np.inf
        return scores

    def top(self, scores: np.ndarray, k: int) -> list[Hit]:
        """The ``k`` records with the highest of ``scores`` (one per record), leaving out zeros."""
        count = min(k, int(np.count_nonzero(scores)))
        if count == 0:
            return []
        best = np.argsort(-scores, kind="stable")[:count]
        return [Hit(self.records[i], float(scores[i]), self.method) for i in best]
