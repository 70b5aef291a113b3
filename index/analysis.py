"""Dutch text analysis for BM25: lower case, accents folded, function words out, Snowball stems.

Queries and records go through the same analyser, so a resident's "kinderopvangplaatsen"
and the plan's "kinderopvangplaats" meet on one stem, and "financiën" matches "financien".
"""

from __future__ import annotations

import re
from functools import cache

import Stemmer

from planwijzer.text import data_lines, fold

_WORD = re.compile(r"[a-z0-9]+")
_HYPHENATED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
# What ends a phrase: any character that is not a letter, digit, space or hyphen (commas,
# full stops, brackets, quotes, slashes), so that "de stad, het OCMW" makes no pair.
_PHRASE_BREAK = re.compile(r"[^a-z0-9\s-]+")


@cache
def dutch_stopwords() -> frozenset[str]:
    return frozenset(data_lines("planwijzer.index", "stopwords_nl.txt"))


@cache
def dutch_stem_overrides() -> dict[str, str]:
    return dict(line.split() for line in data_lines("planwijzer.index", "stem_overrides_nl.txt"))


@cache
def english_stem_overrides() -> dict[str, str]:
    return dict(line.split() for line in data_lines("planwijzer.index", "stem_overrides_en.txt"))


class DutchAnalyzer:
    """Turns text into index terms; one instance per index (the stemmer keeps a cache)."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("dutch")
        self._stopwords = dutch_stopwords()
        self._overrides = dutch_stem_overrides()

    def tokens(self, text: str) -> list[str]:
        """Folded words without stopwords, before stemming."""
        return [
            word
            for word in _WORD.findall(fold(text))
            if word not in self._stopwords and (len(word) > 1 or word.isdigit())
        ]

    def terms(self, text: str) -> list[str]:
        """Index terms: the stems of :meth:`tokens`, where ``stem_overrides_nl.txt`` does not
        give another."""
        return self.stems(self.tokens(text))

    def stems(self, words: list[str]) -> list[str]:
        """The index terms of words already split off by :meth:`tokens`."""
        stems = self._stemmer.stemWords(words)
        return [self._overrides.get(word, stem) for word, stem in zip(words, stems, strict=True)]


class EnglishAnalyzer:
    """English words for the records' English search keywords ("childcare", "trees"): lower
    case, accents folded, English function words out, Snowball English stems."""

    def __init__(self, stopwords: frozenset[str]) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._stopwords = stopwords
        self._overrides = english_stem_overrides()

    def terms(self, text: str) -> list[str]:
        folded = fold(text)
        # "start-up" is also "startup", "day-care" "daycare": either spelling finds the other.
        joined = [compound.replace("-", "") for compound in _HYPHENATED.findall(folded)]
        words = [word for word in [*_WORD.findall(folded), *joined] if word not in self._stopwords and len(word) > 1]
        stems = self._stemmer.stemWords(words)
        return [self._overrides.get(word, stem) for word, stem in zip(words, stems, strict=True)]


class CharNgramAnalyzer:
    """Overlapping letter n-grams of each folded word, for a second BM25 field.

    Dutch glues words together ("fietsenstalling", "kinderopvangplaatsen") and residents
    misspell them ("kinderopvnag"); n-grams still share most of their pieces with the plan's
    words where whole stems share none.
    """

    def __init__(self, size: int = 4) -> None:
        if size < 2:
            raise ValueError("n-grams need at least two letters")
        self.size = size
        self._words = DutchAnalyzer()

    def terms(self, text: str) -> list[str]:
        grams = []
        for word in self._words.tokens(text):
            padded = f"_{word}_"
            if len(padded) <= self.size:
                grams.append(padded)
                continue
            grams.extend(padded[start : start + self.size] for start in range(len(padded) - self.size + 1))
        return grams


class WordPairAnalyzer:
    """Pairs of neighbouring stems within a phrase, for a third BM25 field.

    Words count as neighbours when only function words stand between them and no punctuation
    does: the plan's "OCMW-tarief" and "fietsenstalling aan het station" make the pairs
    "ocmw_tarief" and "fietsenstall_station". A question that names a phrase of the plan then
    finds the one record that uses it, where each of its words alone occurs in dozens.
    """

    def __init__(self) -> None:
        self._words = DutchAnalyzer()

    def terms(self, text: str) -> list[str]:
        pairs = []
        for phrase in _PHRASE_BREAK.split(fold(text)):
            stems = self._words.terms(phrase)
            pairs.extend(f"{first}_{second}" for first, second in zip(stems, stems[1:], strict=False))
        return pairs
