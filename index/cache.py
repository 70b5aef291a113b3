"""Embeddings remembered by the hash of the text they were made from, one file per model, so
that rebuilding the index only embeds passages (and lexicon words) whose text changed.

A text embedded as a question (the model's query side) is kept apart from the same text
embedded as a passage: E5 gives the two different vectors.
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from planwijzer.files import atomic_write
from planwijzer.index.embeddings import PlanEmbeddings
from planwijzer.text import slugify

logger = logging.getLogger(__name__)

BATCH_SIZE = 64


def text_key(text: str, as_question: bool = False) -> str:
    return hashlib.sha256((f"query\0{text}" if as_question else text).encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors of one model keyed by text hash, stored as ``<cache_dir>/<model>.npz``."""

    def __init__(self, cache_dir: Path, model_id: str, dimension: int) -> None:
        self.path = cache_dir / f"{slugify(model_id)}-{text_key(model_id)[:8]}.npz"
        self.model_id = model_id
        self.dimension = dimension
        self._vectors: dict[str, np.ndarray] = {}
        self._load()

    def __len__(self) -> int:
        return len(self._vectors)

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            with np.load(self.path, allow_pickle=False) as stored:
                keys, vectors, model = stored["keys"], stored["vectors"], str(stored["model"])
        except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile) as error:
            # A cache is only a shortcut: a damaged one is rebuilt, never trusted.
            logger.warning("Ignoring the unreadable embedding cache %s: %s", self.path, error)
            return
        if model != self.model_id or vectors.shape != (len(keys), self.dimension):
            logger.warning("Ignoring the embedding cache %s: it belongs to another model", self.path)
            return
        self._vectors = dict(zip(keys.tolist(), vectors, strict=True))

    def embed(
        self,
        texts: Sequence[str],
        embeddings: PlanEmbeddings,
        on_progress: Callable[[int, int], None] | None = None,
        as_questions: bool = False,
    ) -> tuple[np.ndarray, int]:
        """Vectors for ``texts`` (one row each) and how many had to be embedded anew."""
        keys = [text_key(text, as_questions) for text in texts]
        missing = list(dict.fromkeys(key for key in keys if key not in self._vectors))
        text_of = dict(zip(keys, texts, strict=True))
        embed = embeddings.embed_questions if as_questions else embeddings.embed_passages
        for start in range(0, len(missing), BATCH_SIZE):
            batch = missing[start : start + BATCH_SIZE]
            vectors = embed([text_of[key] for key in batch])
            self._vectors.update(zip(batch, vectors, strict=True))
            if on_progress:
                on_progress(min(start + BATCH_SIZE, len(missing)), len(missing))
        matrix = np.stack([self._vectors[key] for key in keys]) if keys else np.empty((0, self.dimension))
        return matrix.astype(np.float32), len(missing)

    def save(self, keep: Sequence[str] | None = None, keep_questions: Sequence[str] = ()) -> None:
        """Write the cache atomically; with ``keep``, only the vectors of those passage texts
        (and of the ``keep_questions`` question texts) survive."""
        vectors = self._vectors
        if keep is not None:
            wanted = {text_key(text) for text in keep} | {text_key(text, True) for text in keep_questions}
            vectors = {key: vector for key, vector in vectors.items() if key in wanted}
        keys = np.array(sorted(vectors), dtype=str)
        matrix = np.stack([vectors[key] for key in keys]) if len(keys) else np.empty((0, self.dimension))
        with atomic_write(self.path, "wb") as out:
            np.savez(out, keys=keys, vectors=matrix.astype(np.float32), model=np.array(self.model_id))
