"""Ranking metrics as pure functions over one query's ranking and its gold ids.

A ranking is a sequence of positions, best first; a position holds the ids of the records it
covers. For Planwijzer's own retrievers every position is one record. A text chunk of the
LangChain baseline covers every record it overlaps, so it is counted generously: it finds
each gold record it contains.

Recall@k is capped (BEIR's ``R_cap@k``): the gold found in the top k, divided by
``min(k, len(gold))``, so that a question with three equally good actions can still reach
recall@1 of 1.0 by ranking one of them first.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

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
