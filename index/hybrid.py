"""Hybrid retrieval: several rankings of the same records fused into one."""

from __future__ import annotations

from collections.abc import Sequence

from planwijzer.index.fusion import FusionMethod, reciprocal_rank_fusion, score_fusion, score_fusion_of_scores
from planwijzer.index.retriever import Hit, RecordScorer, Retriever
from planwijzer.language import detect_language


class HybridRetriever:
    """Fuses the top ``depth`` hits of each retriever (see :mod:`planwijzer.index.fusion`)."""

    def __init__(
        self,
        retrievers: Sequence[Retriever],
        weights: Sequence[float] | None = None,
        fusion: FusionMethod = FusionMethod.SCORE,
        rrf_k: int = 60,
        depth: int = 100,
        english_weights: Sequence[float] | None = None,
    ) -> None:
        if not retrievers:
            raise ValueError("hybrid retrieval needs at least one retriever")
        for given in (weights, english_weights):
            if given is not None and len(given) != len(retrievers):
                raise ValueError("one weight per retriever")
        self.retrievers = list(retrievers)
        self.weights = list(weights) if weights is not None else [1.0] * len(self.retrievers)
        # English questions against a Dutch plan: Dutch stemming of English words only adds
        # noise, so they may weigh the rankings differently.
        self.english_weights = list(english_weights) if english_weights is not None else self.weights
        self.fusion = fusion
        self.rrf_k = rrf_k
        self.depth = depth
        self._scorers = _scorers_of_one_list(self.retrievers)

    def retrieve(self, query: str, k: int) -> list[Hit]:
        depth = max(k, self.depth)
        weights = self.english_weights if detect_language(query) == "en" else self.weights
        # A ranking that weighs nothing is not run (BM25 on Dutch stems for English questions).
        if self.fusion is FusionMethod.SCORE and self._scorers is not None:
            scored = [
                (scorer.method, scorer.record_scores(query, depth), weight)
                for scorer, weight in zip(self._scorers, weights, strict=True)
                if weight
            ]
            return score_fusion_of_scores(
                self._scorers[0].records, [(name, scores) for name, scores, _ in scored],
                [weight for *_, weight in scored], depth, limit=k,
            )  # fmt: skip
        rankings = [
            retriever.retrieve(query, depth) if weight else []
            for retriever, weight in zip(self.retrievers, weights, strict=True)
        ]
        if self.fusion is FusionMethod.RRF:
            return reciprocal_rank_fusion(rankings, k=self.rrf_k, weights=weights, limit=k)
        return score_fusion(rankings, weights=weights, limit=k)


def _scorers_of_one_list(retrievers: Sequence[Retriever]) -> list[RecordScorer] | None:
    """The retrievers as record scorers when each is one and all score the same records in the
    same order; else None, and fusion reads their hits."""
    scorers = [retriever for retriever in retrievers if isinstance(retriever, RecordScorer)]
    if len(scorers) != len(retrievers):
        return None
    ids = [record.id for record in scorers[0].records]
    if any([record.id for record in scorer.records] != ids for scorer in scorers[1:]):
        return None
    return scorers
