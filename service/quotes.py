"""The plan's own words, trimmed to what a question is about.

A short record is quoted whole. A long one keeps the sentences that share the most terms
with the question (two at most, in the plan's order, "…" where text is left out); when no
sentence shares a term (an English question, say), its opening sentences stand for it.
"""

from __future__ import annotations

import re

from planwijzer.index.analysis import CharNgramAnalyzer, DutchAnalyzer

WHOLE_RECORD_WORDS = 60
KEPT_SENTENCES = 2
SECOND_SENTENCE_SHARE = 0.5
ELLIPSIS = "…"

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


class QuoteTrimmer:
    def __init__(self) -> None:
        self._words = DutchAnalyzer()
        self._grams = CharNgramAnalyzer(4)

    def quote(self, text: str, question: str) -> str:
        parts = sentences(text)
        if len(text.split()) <= WHOLE_RECORD_WORDS or len(parts) <= KEPT_SENTENCES:
            return " ".join(parts)
        scores = [self._overlap(part, question) for part in parts]
        ranked = sorted(range(len(parts)), key=lambda i: (-scores[i], i))
        best = scores[ranked[0]]
        if best > 0:
            # A second sentence must be about the question too, not share a stray letter group.
            kept = sorted(i for i in ranked[:KEPT_SENTENCES] if scores[i] >= best * SECOND_SENTENCE_SHARE)
        else:
            kept = list(range(KEPT_SENTENCES))
        pieces: list[str] = []
        for position, index in enumerate(kept):
            if position == 0 and index > 0 or position > 0 and index != kept[position - 1] + 1:
                pieces.append(ELLIPSIS)
            pieces.append(parts[index])
        if kept[-1] < len(parts) - 1:
            pieces.append(ELLIPSIS)
        return " ".join(pieces)

    def _overlap(self, sentence: str, question: str) -> float:
        # Whole stems count most; shared letter 4-grams catch compounds and typos.
        stems = len(set(self._words.terms(sentence)) & set(self._words.terms(question)))
        question_grams = set(self._grams.terms(question))
        grams = len(set(self._grams.terms(sentence)) & question_grams) / max(1, len(question_grams))
        return stems + grams
