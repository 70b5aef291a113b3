"""Fusion: one ranking out of several (BM25 on words, BM25 on letter n-grams, dense).

Two methods, both weighted:

- reciprocal-rank fusion: a record at rank r earns weight / (k + r); it ignores how far apart
  the scores are, only their order counts (k, 60 in the original paper, damps the top ranks);
- score fusion: each ranking's scores are min-max scaled to 0..1 over its own hits, then
  summed with weights. BM25 scores and cosine similarities live on different scales, and the
  scaling puts them on one; unlike rank fusion it keeps a clear winner's lead. On the dev
  questions it ranks better than rank fusion (see the README's retrieval table), so it is the
  default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum

from planwijzer.index.retriever import Hit


class FusionMethod(StrEnum):
    SCORE = "score"
    RRF = "rrf"


def _checked_weights(rankings: Sequence[Sequence[Hit]], weights: Sequence[float] | None) -> Sequence[float]:
    if weights is None:
        return [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    return weights


def _fused(scores: dict[str, float], first_hit: dict[str, Hit], method: str) -> list[Hit]:
    # sorted() is stable: ties keep the order in which the records were first seen.
    ordered = sorted(scores, key=lambda record_id: -scores[record_id])
    return [replace(first_hit[record_id], score=scores[record_id], method=method) for record_id in ordered]


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Hit]],
    k: int = 60,
    weights: Sequence[float] | None = None,
    method: str = "hybrid",
) -> list[Hit]:
    """Fuse rankings (each best first) by rank; ties keep first-seen order."""
    weights = _checked_weights(rankings, weights)
    if k < 1:
        raise ValueError("k must be at least 1")
    scores: dict[str, float] = {}
    first_hit: dict[str, Hit] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, hit in enumerate(ranking, start=1):
            record_id = hit.record.id
            scores[record_id] = scores.get(record_id, 0.0) + weight / (k + rank)
            first_hit.setdefault(record_id, hit)
    return _fused(scores, first_hit, method)


def score_fusion(
    rankings: Sequence[Sequence[Hit]],
    weights: Sequence[float] | None = None,
    method: str = "hybrid",
) -> list[Hit]:
    """Fuse rankings by their min-max scaled scores; a record a ranking lacks gets 0 from it."""
    weights = _checked_weights(rankings, weights)
    scores: dict[str, float] = {}
    first_hit: dict[str, Hit] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if not ranking:
            continue
        low = min(hit.score for hit in ranking)
        spread = max(hit.score for hit in ranking) - low
        for hit in ranking:
            scaled = (hit.score - low) / spread if spread > 0 else 1.0
            record_id = hit.record.id
            scores[record_id] = scores.get(record_id, 0.0) + weight * scaled
            first_hit.setdefault(record_id, hit)
    return _fused(scores, first_hit, method)
