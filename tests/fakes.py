"""Deterministic stand-ins for the heavy parts, so unit tests run in milliseconds."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from planwijzer.index.analysis import DutchAnalyzer
from planwijzer.index.embeddings import PlanEmbeddings, normalise


class HashingEmbeddings(PlanEmbeddings):
    """Bag of Dutch stems hashed into a small vector: texts that share words are close.

    Records the passages (and, apart, the questions in batches) it embeds, so tests can see
    what the cache saved.
    """

    def __init__(self, dimension: int = 64, max_tokens: int = 512, model_id: str = "fake-hashing-64") -> None:
        self.dimension = dimension
        self.max_tokens = max_tokens
        self.model_id = model_id
        self.embedded: list[str] = []
        self.embedded_questions: list[str] = []
        self._analyzer = DutchAnalyzer()

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for term in self._analyzer.terms(text):
            vector[zlib.crc32(term.encode()) % self.dimension] += 1.0
        if not vector.any():
            vector[0] = 1.0
        return normalise(vector)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded.extend(texts)
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        return np.stack([self._vector(text) for text in texts])

    def embed_question(self, text: str) -> np.ndarray:
        return self._vector(text)

    def embed_questions(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded_questions.extend(texts)
        return super().embed_questions(texts)

    def count_tokens(self, text: str) -> int:
        return len(text.split())


class FailingEmbeddings(HashingEmbeddings):
    """Fails after embedding ``fail_after`` passages, as a build that crashes half-way."""

    def __init__(self, fail_after: int) -> None:
        super().__init__()
        self.fail_after = fail_after

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if len(self.embedded) + len(texts) > self.fail_after:
            raise RuntimeError("embedding failed half-way")
        return super().embed_passages(texts)
