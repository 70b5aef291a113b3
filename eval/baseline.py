"""The reference a LangChain user builds in an afternoon: the plain source text cut by
``RecursiveCharacterTextSplitter`` (1000 characters, 200 overlap) into a FAISS store over the
same embedding model. It cannot name an action; a chunk is credited with every corpus record
whose source lines it overlaps."""

from __future__ import annotations

import bisect
import warnings
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from langchain_text_splitters import RecursiveCharacterTextSplitter

from planwijzer.index.cache import EmbeddingCache
from planwijzer.index.embeddings import PlanEmbeddings
from planwijzer.ingest.records import Record, Source

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


@dataclass(frozen=True)
class Chunk:
    text: str
    record_ids: frozenset[str]


def source_chunks(source: Source, records: Sequence[Record]) -> list[Chunk]:
    """The source's plain text split as LangChain does, each chunk with the records it covers."""
    text = source.path.read_text(encoding="utf-8")
    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True)
    line_starts = [0]
    for position, char in enumerate(text):
        if char == "\n":
            line_starts.append(position + 1)
    by_line: dict[int, set[str]] = defaultdict(set)
    for record in records:
        if record.source == source.id:
            for line in range(record.lines[0], record.lines[1] + 1):
                by_line[line].add(record.id)
    chunks = []
    for document in splitter.create_documents([text]):
        start = document.metadata["start_index"]
        first = bisect.bisect_right(line_starts, start)
        last = bisect.bisect_right(line_starts, start + len(document.page_content) - 1)
        covered = frozenset(rid for line in range(first, last + 1) for rid in by_line.get(line, ()))
        chunks.append(Chunk(document.page_content, covered))
    return chunks


class LangChainBaseline:
    """Chunks of every source in a langchain FAISS store, searched by cosine similarity."""

    def __init__(
        self, sources: Sequence[Source], records: Sequence[Record], embeddings: PlanEmbeddings, cache_dir: Path
    ) -> None:
        with warnings.catch_warnings():
            # langchain-community announces its own sunset on import; the baseline is meant
            # to be what users build today, and that still means this FAISS store.
            warnings.simplefilter("ignore", DeprecationWarning)
            from langchain_community.vectorstores import FAISS
            from langchain_community.vectorstores.utils import DistanceStrategy

        self.chunks = [chunk for source in sources for chunk in source_chunks(source, records)]
        # A cache of its own: the index build prunes its cache to the passages it uses.
        cache = EmbeddingCache(cache_dir / "baseline", embeddings.model_id, embeddings.dimension)
        texts = [chunk.text for chunk in self.chunks]
        vectors, _ = cache.embed(texts, embeddings)
        cache.save()
        # Inner product over normalised vectors is cosine similarity; LangChain's default is L2.
        self.store = FAISS.from_embeddings(
            list(zip(texts, vectors.tolist(), strict=True)),
            embeddings,
            metadatas=[{"chunk": number} for number in range(len(self.chunks))],
            distance_strategy=DistanceStrategy.MAX_INNER_PRODUCT,
        )
        self.embeddings = embeddings

    def rank(self, query: str, k: int) -> list[frozenset[str]]:
        """The records covered by each of the ``k`` best chunks, best first."""
        documents = self.store.similarity_search_by_vector(self.embeddings.embed_query(query), k=k)
        return [self.chunks[document.metadata["chunk"]].record_ids for document in documents]
