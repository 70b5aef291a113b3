"""Which words the plan could be searched by at all: the words and stems of its text and of its
records' search keywords.

A short question about something the plan never names ("komt er een casino?") still finds
the records nearest to it in the embedding space, and a dense similarity just over the
threshold would quote one of them as if it answered. A word is known when the plan or a
keyword has it, as a word or a stem, as part of a compound either way ("opvang" in
"kinderopvang", "fiets" in "fietsenwinkel"), or with a typo: one edit (or swap of
neighbours) for a word of up to six letters, two from seven ("kinderopvnag"), and for a
long word a near match of part of a plan word ("geenoveerd" in "gerenoveerde").

Words of everyday Dutch, and their misspellings, are never counted unknown: the stopword
list holds the function words a search can do without, not every word that merely frames a
question ("kun", "omhoog", "eindelijk"), and the plan's silence on an everyday word says
little.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from planwijzer.index.analysis import DutchAnalyzer

# The shortest part of a word that counts as a plan word inside it: shorter ones ("kind",
# "huis") sit inside far too many unrelated words.
MIN_PART_LETTERS = 5
# The shortest word that is looked for inside the plan's words or with a typo.
MIN_FUZZY_LETTERS = 4
# From this length a word may have two typos instead of one, and may be a misspelt part of a
# plan word.
LONG_WORD_LETTERS = 7
# How alike (0-100) a long word must be to the best matching part of a plan word. On the
# short dev questions in scope with a typo put in their longest word (five variants each, 180
# in all) none was lost with parts at 90 or 85, and "casino" and "corona" stay unknown.
PART_SIMILARITY = 90


class Vocabulary:
    def __init__(
        self, texts: Iterable[str], everyday_words: Iterable[str] = (), analyzer: DutchAnalyzer | None = None
    ) -> None:
        self._analyzer = analyzer or DutchAnalyzer()
        self._everyday = frozenset(everyday_words)
        words: set[str] = set()
        for text in texts:
            words.update(self._analyzer.tokens(text))
            words.update(self._analyzer.terms(text))
        self._words = frozenset(words)
        self._plan_words = sorted(words)
        self._known_words = sorted(words | self._everyday)
        # One string to look for a word inside any plan word with a single (C-level) search.
        self._joined = "\n".join(self._plan_words)

    def __len__(self) -> int:
        return len(self._words)

    def unknown(self, text: str) -> list[str]:
        """The words of ``text`` (stopwords, everyday words and numbers out) that the plan could
        not be searched by. A number the plan lacks ("meer bussen na 22 uur?") names no topic."""
        return [
            word
            for word in self._analyzer.tokens(text)
            if word not in self._everyday and not word.isdigit() and not self.knows(word)
        ]

    def knows(self, word: str) -> bool:
        if word in self._words or any(stem in self._words for stem in self._analyzer.terms(word)):
            return True
        if word.isdigit() or len(word) < MIN_FUZZY_LETTERS:
            return False
        return (
            word in self._joined
            or self._holds_a_plan_word(word)
            or self._misspells_a_known_word(word)
            or self._misspells_part_of_a_plan_word(word)
        )

    def _holds_a_plan_word(self, word: str) -> bool:
        return any(
            word[start:end] in self._words
            for start in range(len(word) - MIN_PART_LETTERS + 1)
            for end in range(start + MIN_PART_LETTERS, len(word) + 1)
        )

    def _misspells_a_known_word(self, word: str) -> bool:
        edits = 2 if len(word) >= LONG_WORD_LETTERS else 1
        return process.extractOne(word, self._known_words, scorer=OSA.distance, score_cutoff=edits) is not None

    def _misspells_part_of_a_plan_word(self, word: str) -> bool:
        if len(word) < LONG_WORD_LETTERS:
            return False
        match = process.extractOne(word, self._plan_words, scorer=fuzz.partial_ratio, score_cutoff=PART_SIMILARITY)
        return match is not None
