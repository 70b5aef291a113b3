"""What every retriever returns, and the protocol they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from planwijzer.ingest.records import Record


@dataclass(frozen=True)
class Hit:
    """A record found for a query; ``score`` is comparable only within one ranking."""

    record: Record
    score: float
    method: str  # "bm25", "dense", "hybrid" or "lookup"


class Retriever(Protocol):
    def retrieve(self, query: str, k: int) -> list[Hit]:
        """The ``k`` best records for ``query``, best first."""
        ...
