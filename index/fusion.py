"""Reciprocal-rank fusion: one ranking out of several, by rank rather than raw score.

BM25 scores and cosine similarities live on different scales; their ranks do not. A record
at rank r in a ranking earns weight / (k + r); the constant k (60 in the original paper)
keeps the top few ranks of one list from drowning the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from planwijzer.index.retriever import Hit


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Hit]],
    k: int = 60,
    weights: Sequence[float] | None = None,
    method: str = "hybrid",
) -> list[Hit]:
    """Fuse rankings (each best first) into one, best first; ties keep first-seen order."""
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    if k < 1:
        raise ValueError("k must be at least 1")
    scores: dict[str, float] = {}
    first_hit: dict[str, Hit] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, hit in enumerate(ranking, start=1):
            record_id = hit.record.id
            scores[record_id] = scores.get(record_id, 0.0) + weight / (k + rank)
            first_hit.setdefault(record_id, hit)
    ordered = sorted(scores, key=lambda record_id: -scores[record_id])
    return [replace(first_hit[record_id], score=scores[record_id], method=method) for record_id in ordered]
