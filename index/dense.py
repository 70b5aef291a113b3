"""Dense retrieval: cosine similarity between the query and every embedded passage."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import faiss
import numpy as np

from planwijzer.index.embeddings import PlanEmbeddings
from planwijzer.index.passages import Passage
from planwijzer.index.retriever import Hit
from planwijzer.ingest.records import Record

# A record split into parts can fill several of the top passage slots; fetching a few more
# passages than records asked for keeps k distinct records in the answer.
PASSAGE_OVERFETCH = 3


def flat_index(vectors: np.ndarray) -> faiss.Index:
    """Exact inner-product search over normalised vectors: brute force over ~1,500 passages
    takes well under a millisecond. For a corpus of millions, swap in
    ``faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)`` or an ``IndexIVFFlat`` trained
    on the vectors (with ``nprobe`` tuned on the dev set); the rest of the code is unchanged."""
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


class QueryVectors:
    """A query's vector, embedded once however many dense rankings read it. Each thread keeps
    the last query it embedded: a search runs its rankings one after the other on one thread."""

    def __init__(self, embeddings: PlanEmbeddings) -> None:
        self.embeddings = embeddings
        self._last = threading.local()

    def of(self, query: str) -> np.ndarray:
        last: tuple[str, np.ndarray] | None = getattr(self._last, "query", None)
        if last is not None and last[0] == query:
            return last[1]
        vector = self.embeddings.embed_question(query)
        self._last.query = (query, vector)
        return vector


class DenseRetriever:
    """Records ranked by their best-matching passage. ``method`` names the ranking in fused
    hits ("dense" for the plan's text, "keywords" for the records' search keywords)."""

    def __init__(
        self,
        records: Sequence[Record],
        passages: Sequence[Passage],
        index: faiss.Index,
        embeddings: PlanEmbeddings,
        method: str = "dense",
        query_vectors: QueryVectors | None = None,
    ) -> None:
        if index.ntotal != len(passages):
            raise ValueError(f"the index holds {index.ntotal} vectors for {len(passages)} passages")
        self.records = list(records)
        position = {record.id: position for position, record in enumerate(self.records)}
        unknown = {passage.record_id for passage in passages} - position.keys()
        if unknown:
            raise ValueError(f"passages of records the corpus lacks: {sorted(unknown)[:3]}")
        # Which of ``records`` each passage (and so each vector) belongs to.
        self._passage_positions = np.array([position[passage.record_id] for passage in passages], dtype=np.int64)
        self._index = index
        self.embeddings = embeddings
        self.method = method
        self._query_vectors = query_vectors or QueryVectors(embeddings)

    def retrieve(self, query: str, k: int) -> list[Hit]:
        if k < 1 or self._index.ntotal == 0:
            return []
        scores, positions = self._nearest_passages(query, k)
        hits: dict[str, Hit] = {}
        for score, position in zip(scores[0], positions[0], strict=True):
            if position < 0:
                continue
            record = self.records[self._passage_positions[position]]
            if record.id not in hits:
                hits[record.id] = Hit(record, float(score), self.method)
                if len(hits) == k:
                    break
        return list(hits.values())

    def record_scores(self, query: str, depth: int) -> np.ndarray:
        """Each record's best passage among those nearest the query; ``-inf`` for the rest."""
        best = np.full(len(self.records), -np.inf)
        if depth < 1 or self._index.ntotal == 0:
            return best
        scores, positions = self._nearest_passages(query, depth)
        found = positions[0] >= 0
        np.maximum.at(best, self._passage_positions[positions[0][found]], scores[0][found].astype(np.float64))
        return best

    def _nearest_passages(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        vector = self._query_vectors.of(query).reshape(1, -1)
        return self._index.search(vector, min(self._index.ntotal, k * PASSAGE_OVERFETCH))
