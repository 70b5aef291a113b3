"""Which words the plan could be searched by at all: the words and stems of its text and of its
records' search keywords.

A short question about something the plan never names ("komt er een casino?") still finds
the records nearest to it in the embedding space, and a dense similarity just over the
threshold would quote one of them as if it answered. A word is known when the plan or a
keyword has it, as a word or a stem, as the start or end of a compound either way ("opvang"
in "kinderopvang", "fiets" in "fietsenwinkel"), as a compound of plan words ("tramlijn"),
as the past participle of a plan verb ("gerenoveerd"), or with a typo: one edit (or swap of
neighbours) for a word of up to six letters, two from seven ("kinderopvnag"), and for a
long word a near match of part of a longer plan word.

Words of everyday Dutch, and their misspellings, are not counted unknown: the stopword list
holds the function words a search can do without, not every word that merely frames a
question ("kun", "omhoog", "eindelijk"), and the plan's silence on an everyday word says
little, unless the question has no other word ("komt er een gevangenis?").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from planwijzer.index.analysis import DutchAnalyzer

# The shortest part of a word that counts as a plan word inside it: shorter ones ("kind",
# "huis") sit inside far too many unrelated words.
MIN_PART_LETTERS = 5
# The shortest word that is looked for inside the plan's words or with a typo.
MIN_FUZZY_LETTERS = 4
# The shortest part a compound is split into when each of its parts is a plan word in turn
# ("tram|lijn", "kinder|opvang|plaatsen").
MIN_COMPOUND_PART = 4
# What may join the parts of a Dutch compound: "stad-s-bestuur", "fiets-en-stalling", "hond-e-weide".
LINKING_LETTERS = ("", "s", "en", "e")
# From this length a word may have two typos instead of one, and may be a misspelt part of a
# plan word.
LONG_WORD_LETTERS = 7
# How alike (0-100) a long word must be to the best matching part of a plan word. On the
# short dev questions in scope with a typo put in their longest word (five variants each, 180
# in all) none was lost with parts at 90 or 85, and "casino" and "corona" stay unknown.
PART_SIMILARITY = 90


class Vocabulary:
    """``as_written`` are words of the texts that count only as written: no typo is taken for
    one of them. The English words of the search keywords are such: "metro" in a Dutch
    question is no misspelling of the keyword "metre"."""

    def __init__(
        self,
        texts: Iterable[str],
        everyday_words: Iterable[str] = (),
        analyzer: DutchAnalyzer | None = None,
        as_written: Iterable[str] = (),
    ) -> None:
        self._analyzer = analyzer or DutchAnalyzer()
        self._everyday = frozenset(everyday_words)
        exact = frozenset(as_written)
        surface: set[str] = set()
        stems: set[str] = set()
        for text in texts:
            words_of_text = self._analyzer.tokens(text)
            surface.update(words_of_text)
            stems.update(self._analyzer.stems(words_of_text))
        words = surface | stems
        self._words = frozenset(words)
        # A typo is looked for among whole words and longer stems: one letter more than a short
        # stem is any word that stem could stand for ("metro" next to "metr").
        long_stems = {stem for stem in stems if len(stem) >= MIN_PART_LETTERS}
        self._known_words = _ByLength((surface | long_stems | self._everyday) - exact)
        self._known_plan_words = _ByLength((surface | long_stems) - exact)
        self._parts = _ByLength(word for word in words - exact if len(word) >= MIN_PART_LETTERS)
        self._by_length = _ByLength(words - exact)
        # One string to look for a word at the start or end of any plan word with a single
        # (C-level) search; every plan word stands between two line breaks.
        self._joined = "\n" + "\n".join(words) + "\n"

    def __len__(self) -> int:
        return len(self._words)

    def unknown(self, text: str) -> list[str]:
        """The words of ``text`` (stopwords, everyday words and numbers out) that the plan could
        not be searched by. A number the plan lacks ("meer bussen na 22 uur?") names no topic.
        When no word at all is one the plan could be searched by, its everyday words are
        unknown too: "komt er een gevangenis?" asks about nothing the plan names."""
        words = [word for word in self._analyzer.tokens(text) if not word.isdigit()]
        unknown = [word for word in words if word not in self._everyday and not self.knows(word)]
        if unknown or any(self.knows(word, everyday=False) for word in words):
            return unknown
        return words

    def knows(self, word: str, everyday: bool = True) -> bool:
        """Whether the plan could be searched by ``word``; with ``everyday``, an everyday
        word and its misspellings count as known as well."""
        if self._is_plan_word(word) or (everyday and word in self._everyday):
            return True
        if word.isdigit() or len(word) < MIN_FUZZY_LETTERS:
            return False
        known_words = self._known_words if everyday else self._known_plan_words
        return (
            self._begins_or_ends_a_plan_word(word)
            or self._begins_or_ends_with_a_plan_word(word)
            or self._is_a_compound_of_plan_words(word)
            or self._is_a_participle_of_a_plan_word(word)
            or known_words.misspelt(word, 2 if len(word) >= LONG_WORD_LETTERS else 1)
            or self._misspells_part_of_a_plan_word(word)
        )

    def _is_plan_word(self, word: str) -> bool:
        return word in self._words or any(stem in self._words for stem in self._analyzer.terms(word))

    def _is_a_compound_of_plan_words(self, word: str, depth: int = 0) -> bool:
        """Whether ``word`` splits into plan words, three at most, the last one maybe with a
        typo ("tramlijn", "stadhuistram", "tramstadhuys")."""
        for split in range(MIN_COMPOUND_PART, len(word) - MIN_COMPOUND_PART + 1):
            if not self._is_plan_word(word[:split]):
                continue
            rest = word[split:]
            for link in LINKING_LETTERS:
                part = rest[len(link) :] if rest.startswith(link) else ""
                if len(part) < MIN_COMPOUND_PART:
                    continue
                if self._is_plan_word(part) or (depth == 0 and self._is_a_compound_of_plan_words(part, 1)):
                    return True
                if len(part) >= MIN_PART_LETTERS and self._parts.misspelt(part, 1):
                    return True
        return False

    # A compound's parts stand at its start or end ("kinder|opvang", "buurt|fietsenstalling"):
    # a plan word found in the middle of another word is there by chance ("gelet" in
    # "laaggeletterden").
    def _begins_or_ends_a_plan_word(self, word: str) -> bool:
        return f"\n{word}" in self._joined or f"{word}\n" in self._joined

    def _begins_or_ends_with_a_plan_word(self, word: str) -> bool:
        return any(word[:end] in self._words for end in range(MIN_PART_LETTERS, len(word))) or any(
            word[start:] in self._words for start in range(1, len(word) - MIN_PART_LETTERS + 1)
        )

    def _is_a_participle_of_a_plan_word(self, word: str) -> bool:
        """Whether ``word`` is the past participle of a verb the plan uses, maybe with a typo:
        "gerenoveerd" (the plan has "renoveren"), "geenoveerd"."""
        if not (word.startswith("ge") and word.endswith(("d", "t")) and len(word) >= LONG_WORD_LETTERS):
            return False
        verb = word[2:-1]
        return self._is_plan_word(verb) or self._parts.misspelt(verb, 1)

    def _misspells_part_of_a_plan_word(self, word: str) -> bool:
        if len(word) < LONG_WORD_LETTERS:
            return False
        # Only plan words at least as long: partial_ratio finds a shorter one inside the word
        # ("co" in "bitcoin"), which is no part of a plan word.
        longer = self._by_length.between(len(word), None)
        match = process.extractOne(word, longer, scorer=fuzz.partial_ratio, score_cutoff=PART_SIMILARITY)
        return match is not None


class _ByLength:
    """Words sorted by length, so that a word is compared only with those of a length it could
    have with a typo (or, for a part of a word, the longer ones)."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = sorted(words, key=len)
        self._lengths = [len(word) for word in self._words]

    def between(self, shortest: int, longest: int | None) -> list[str]:
        end = len(self._words) if longest is None else bisect_right(self._lengths, longest)
        return self._words[bisect_left(self._lengths, shortest) : end]

    def misspelt(self, word: str, edits: int) -> bool:
        """Whether ``word`` is at most ``edits`` edits (or swaps of neighbours) from one of the words."""
        nearby = self.between(len(word) - edits, len(word) + edits)
        return process.extractOne(word, nearby, scorer=OSA.distance, score_cutoff=edits) is not None
