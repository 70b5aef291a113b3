"""Hybrid retrieval: several rankings of the same records fused into one."""

from __future__ import annotations

from collections.abc import Sequence

from planwijzer.index.fusion import FusionMethod, reciprocal_rank_fusion, score_fusion
from planwijzer.index.retriever import Hit, Retriever


class HybridRetriever:
    """Fuses the top ``depth`` hits of each retriever (see :mod:`planwijzer.index.fusion`)."""

    def __init__(
        self,
        retrievers: Sequence[Retriever],
        weights: Sequence[float] | None = None,
        fusion: FusionMethod = FusionMethod.SCORE,
        rrf_k: int = 60,
        depth: int = 100,
    ) -> None:
        if not retrievers:
            raise ValueError("hybrid retrieval needs at least one retriever")
        if weights is not None and len(weights) != len(retrievers):
            raise ValueError("one weight per retriever")
        self.retrievers = list(retrievers)
        self.weights = list(weights) if weights is not None else [1.0] * len(self.retrievers)
        self.fusion = fusion
        self.rrf_k = rrf_k
        self.depth = depth

    def retrieve(self, query: str, k: int) -> list[Hit]:
        depth = max(k, self.depth)
        rankings = [retriever.retrieve(query, depth) for retriever in self.retrievers]
        if self.fusion is FusionMethod.RRF:
            return reciprocal_rank_fusion(rankings, k=self.rrf_k, weights=self.weights)[:k]
        return score_fusion(rankings, weights=self.weights)[:k]
