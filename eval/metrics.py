"""Ranking metrics as pure functions over one query's ranking and its gold ids.

A ranking is a sequence of positions, best first; a position holds the ids of the records it
covers. For Planwijzer's own retrievers every position is one record. A text chunk of the
LangChain baseline covers every record it overlaps, so it is counted generously: it finds
each gold record it contains.

Recall@k is capped (BEIR's ``R_cap@k``): the gold found in the top k, divided by
``min(k, len(gold))``, so that a question with three equally good actions can still reach
recall@1 of 1.0 by ranking one of them first. Success@k (TREC's ``S@k``) asks less: whether
the top k hold any gold record at all; for a question with one gold record the two agree.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

import numpy as np

Ranking = Sequence[Collection[str]]


def found_at(ranking: Ranking, gold: Collection[str], k: int) -> int:
    """How many gold records the top ``k`` positions cover."""
    covered: set[str] = set()
    for position in ranking[:k]:
        covered.update(position)
    return len(covered & set(gold))


def recall_at(ranking: Ranking, gold: Collection[str], k: int) -> float:
    if not gold:
        raise ValueError("recall needs at least one gold record")
    # min(1, …): a chunk can cover more gold records than k positions hold.
    return min(1.0, found_at(ranking, gold, k) / min(k, len(gold)))


def success_at(ranking: Ranking, gold: Collection[str], k: int) -> float:
    """1.0 when the top ``k`` positions cover any gold record, else 0.0."""
    if not gold:
        raise ValueError("success needs at least one gold record")
    return 1.0 if found_at(ranking, gold, k) else 0.0


def reciprocal_rank(ranking: Ranking, gold: Collection[str]) -> float:
    """1 / the rank of the first position that covers a gold record; 0 when none does."""
    wanted = set(gold)
    for rank, position in enumerate(ranking, start=1):
        if wanted.intersection(position):
            return 1.0 / rank
    return 0.0


def ndcg_at(ranking: Ranking, gold: Collection[str], k: int) -> float:
    """Binary-relevance nDCG@k; a position earns a gain for each gold record it newly covers
    (capped at 1.0, which a multi-record chunk could otherwise exceed)."""
    if not gold:
        raise ValueError("nDCG needs at least one gold record")
    wanted, covered = set(gold), set()
    dcg = 0.0
    for rank, position in enumerate(ranking[:k], start=1):
        new = (wanted & set(position)) - covered
        covered |= new
        dcg += len(new) / math.log2(rank + 1)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(k, len(wanted)) + 1))
    return min(1.0, dcg / ideal)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` fall (nearest rank)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def bootstrap_interval(
    values: Sequence[float], level: float = 0.95, resamples: int = 2000, seed: int = 0
) -> tuple[float, float] | None:
    """The percentile bootstrap interval of the mean of ``values`` (per-question scores): how
    far the mean could move with other questions of the same kind. None without values. The
    seed is fixed, so a report says the same of the same scores."""
    if not values:
        return None
    if not 0 < level < 1:
        raise ValueError("level must lie between 0 and 1")
    scores = np.asarray(values, dtype=float)
    draws = np.random.default_rng(seed).integers(0, len(scores), size=(resamples, len(scores)))
    means = scores[draws].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)
