"""Hybrid retrieval: the lexical and dense rankings fused by rank."""

from __future__ import annotations

from collections.abc import Sequence

from planwijzer.index.fusion import reciprocal_rank_fusion
from planwijzer.index.retriever import Hit, Retriever


class HybridRetriever:
    """Fuses the top ``depth`` hits of each retriever with reciprocal-rank fusion."""

    def __init__(
        self,
        retrievers: Sequence[Retriever],
        weights: Sequence[float] | None = None,
        rrf_k: int = 60,
        depth: int = 50,
    ) -> None:
        if not retrievers:
            raise ValueError("hybrid retrieval needs at least one retriever")
        if weights is not None and len(weights) != len(retrievers):
            raise ValueError("one weight per retriever")
        self.retrievers = list(retrievers)
        self.weights = list(weights) if weights is not None else [1.0] * len(self.retrievers)
        self.rrf_k = rrf_k
        self.depth = depth

    def retrieve(self, query: str, k: int) -> list[Hit]:
        depth = max(k, self.depth)
        rankings = [retriever.retrieve(query, depth) for retriever in self.retrievers]
        return reciprocal_rank_fusion(rankings, k=self.rrf_k, weights=self.weights)[:k]
