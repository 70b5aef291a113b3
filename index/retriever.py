"""What every retriever returns, and the protocol they share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from planwijzer.ingest.records import Record, RecordKind

# What ranked search returns: records a citation can point to. Introductions stay reachable
# by id, but they promise nothing, and on the dev questions they pushed the actions down.
RANKED_KINDS = frozenset({RecordKind.ACTION, RecordKind.BULLET})


@dataclass(frozen=True)
class Hit:
    """A record found for a query; ``score`` is comparable only within one ranking.

    A fused hit keeps the raw score each contributing ranking gave it in ``components``
    (``(("bm25", 7.1), ("dense", 0.87))``): an absolute similarity says more about how sure a
    match is than a score scaled within one query.
    """

    record: Record
    score: float
    method: str  # "bm25", "ngram", "pairs", "dense", "keywords", "hybrid" or "lookup"
    components: tuple[tuple[str, float], ...] = ()

    def component(self, method: str) -> float | None:
        """The raw score of ``method``'s ranking for this record, if that ranking found it."""
        if method == self.method:
            return self.score
        return dict(self.components).get(method)


class Retriever(Protocol):
    def retrieve(self, query: str, k: int) -> list[Hit]:
        """The ``k`` best records for ``query``, best first."""
        ...


@runtime_checkable
class RecordScorer(Protocol):
    """A ranking that scores all of ``records`` at once, so that fusing it builds no hits but
    those returned."""

    records: Sequence[Record]
    method: str

    def record_scores(self, query: str, depth: int) -> np.ndarray:
        """A float64 score for each of ``records`` in order, ``-inf`` for a record the ranking
        did not find; at least its ``depth`` best are scored."""
        ...
