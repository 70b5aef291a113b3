"""Dense retrieval: cosine similarity between the query and every embedded passage."""

from __future__ import annotations

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


class DenseRetriever:
    """Records ranked by their best-matching passage."""

    def __init__(
        self,
        records: Sequence[Record],
        passages: Sequence[Passage],
        index: faiss.Index,
        embeddings: PlanEmbeddings,
    ) -> None:
        if index.ntotal != len(passages):
            raise ValueError(f"the index holds {index.ntotal} vectors for {len(passages)} passages")
        by_id = {record.id: record for record in records}
        unknown = {passage.record_id for passage in passages} - by_id.keys()
        if unknown:
            raise ValueError(f"passages of records the corpus lacks: {sorted(unknown)[:3]}")
        self._passage_records = [by_id[passage.record_id] for passage in passages]
        self._index = index
        self.embeddings = embeddings

    def retrieve(self, query: str, k: int) -> list[Hit]:
        if k < 1 or self._index.ntotal == 0:
            return []
        vector = self.embeddings.embed_question(query).reshape(1, -1)
        fetch = min(self._index.ntotal, k * PASSAGE_OVERFETCH)
        scores, positions = self._index.search(vector, fetch)
        hits: dict[str, Hit] = {}
        for score, position in zip(scores[0], positions[0], strict=True):
            if position < 0:
                continue
            record = self._passage_records[position]
            if record.id not in hits:
                hits[record.id] = Hit(record, float(score), "dense")
        return list(hits.values())[:k]
