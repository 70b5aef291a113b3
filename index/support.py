"""How well the plan's own words back a question: the lexical half of deciding whether the
plan answers it at all (the dense similarity is the other half, see
:mod:`planwijzer.service.answering`). English questions, which share no words with the
plan, are read against the records' English search keywords instead, and a short question's
words against everything the plan could be searched by (:mod:`planwijzer.index.vocabulary`).

Always scored on the question as asked. The ranking reads a Dutch question with plan words
added for its everyday words (:class:`~planwijzer.index.lexicon.ExpandingRetriever`), which
finds the right action more often but would lift a question the plan does not answer just
as well ("kippen houden" gains its nearest plan words too).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from planwijzer.index.analysis import DutchAnalyzer, EnglishAnalyzer
from planwijzer.index.bm25 import BM25Retriever, indexed_text, keyword_text, plan_text
from planwijzer.index.lexicon import Lexicon, english_stopwords, everyday_words
from planwijzer.index.vocabulary import MIN_PART_LETTERS, Vocabulary
from planwijzer.ingest.records import Record, RecordKind
from planwijzer.language import detect_language

# Words among the most frequent of Dutch are never taken for words the plan does not know:
# the 2,500 most frequent reach down to "koffie" and "verkiezingen" and hold "kun", "omhoog"
# and "waarschijnlijk", which frame a question without being stopwords.
EVERYDAY_DUTCH_WORDS = 2500
# How many of the first hits a Dutch question's words are looked for in the keywords of.
KEYWORD_MATCH_DEPTH = 3
# The share of the question's words that must be keywords of one of them: the words besides
# may say what is wrong ("constant gestolen", "verouderd") rather than name a topic.
KEYWORD_SHARE = 0.6
# A year a question is placed in ("in 2025") is not among the words the keywords must name.
_YEAR = re.compile(r"(19|20)\d\d")


def plan_vocabulary(records: Sequence[Record]) -> Vocabulary:
    """Every word the plan could be searched by: its text, headings and search keywords; the
    keywords' English words only as written."""
    analyzer = DutchAnalyzer()
    plan_words = {word for record in records for word in analyzer.tokens(plan_text(record))}
    keyword_words = {word for record in records for word in analyzer.tokens(keyword_text(record))}
    english = {word for word in keyword_words - plan_words if detect_language(word) == "en"}
    return Vocabulary(
        (indexed_text(record) for record in records),
        everyday_words("nl", EVERYDAY_DUTCH_WORDS),
        analyzer,
        as_written=english,
    )


class LexicalSupport:
    def __init__(
        self,
        words: BM25Retriever,
        letters: BM25Retriever,
        english_lexicon: Lexicon,
        ranked_kinds: frozenset[RecordKind],
    ) -> None:
        if words.records != letters.records:
            raise ValueError("both BM25 fields must index the same records")
        self.words = words
        self.letters = letters
        self.english_lexicon = english_lexicon
        self._ranked = np.array([record.kind in ranked_kinds for record in words.records])
        self._position = {record.id: position for position, record in enumerate(words.records)}
        # English questions share no words with the Dutch plan, but the search keywords hold
        # English ones ("childcare", "loneliness"): what they match tells a question the plan
        # answers from one it does not far better than the lexicon's guesses ("casino" → gaming).
        english = EnglishAnalyzer(english_stopwords())
        self.english_keywords = (
            BM25Retriever(words.records, english, "keywords_en", keyword_text)
            if any(record.keywords for record in words.records)
            else None
        )
        self._english = english
        # For each English stem, how many records search may return have it among their keywords.
        self._keyword_records: Counter[str] = Counter()
        for record in words.records:
            if record.kind in ranked_kinds:
                self._keyword_records.update(set(english.terms(keyword_text(record))))
        self.vocabulary = plan_vocabulary(words.records)

    def in_plan_words(self, question: str) -> str:
        """The plan words the English lexicon gives for the question's words."""
        return self.english_lexicon.translate(question)

    def english(self, question: str) -> float:
        """The best BM25 score (Dutch stems), over the records search may return, of the plan
        words the English lexicon gives for the question's words; 0 when it knows none."""
        translated = self.in_plan_words(question)
        if not translated or not self._ranked.any():
            return 0.0
        return float(self.words.scores(translated)[self._ranked].max())

    def english_by_keywords(self, question: str) -> float:
        """How common the question's words are among the English search keywords of the
        records search may return: the mean, over its words (English stems, stopwords out), of
        log(1 + the number of records whose keywords hold the word). A word no keyword holds
        counts 0, and so does a question without words.

        A topic the plan speaks to is in the keywords of several records ("trees", "homeless");
        a word no keyword has ("casino", "airport") pulls the mean down. The best BM25 score of
        the question would reward the opposite: a word only one record has."""
        terms = self._english.terms(question)
        if not terms:
            return 0.0
        return sum(math.log1p(self._keyword_records[term]) for term in terms) / len(terms)

    def dutch(self, question: str, found: Sequence[Record]) -> float:
        """The best letter n-gram BM25 score of the question among the ``found`` records."""
        positions = [self._position[record.id] for record in found if record.id in self._position]
        if not positions:
            return 0.0
        return float(self.letters.scores(question)[positions].max())

    def unknown_words(self, question: str) -> list[str]:
        """The words of the question (stopwords out) that neither the plan nor any search
        keyword has, even in a compound or with a typo (:class:`Vocabulary`)."""
        return self.vocabulary.unknown(question)

    def named_by_keywords(self, question: str, found: Sequence[Record]) -> bool:
        """Whether most words of the question (stemmed, stopwords out; three in five, both of
        two) are words of the search keywords of one of the first ``found`` records: "nieuw
        zwembad?" names what action 8.68 is about in the words of its keywords, though the plan
        says "50 meterbad", and "de fietsen worden hier constant gestolen" names bicycle theft
        in two of its three words. A keyword word that starts the question's word, or is
        started by it, counts (:func:`_shares_a_start`). A year names no topic: "komt er in
        2025 een nieuw zwembad" is named as "komt er een nieuw zwembad" is (but "zone 30" is)."""
        analyzer = self.words.analyzer
        wanted = {term for term in analyzer.terms(question) if not _YEAR.fullmatch(term)}
        if not wanted:
            return False
        needed = math.ceil(KEYWORD_SHARE * len(wanted))
        for record in found[:KEYWORD_MATCH_DEPTH]:
            keyword_terms = {term for keyword in record.keywords for term in analyzer.terms(keyword)}
            if sum(_shares_a_start(term, keyword_terms) for term in wanted) >= needed:
                return True
        return False


def _shares_a_start(term: str, terms: set[str]) -> bool:
    """Whether ``term`` is one of ``terms``, or one of the two starts the other in five letters
    or more: the stemmer keeps "dement" apart from "dementie", and "cameratoezicht" is a
    "camera" word. (A shared end would make "hondenbelasting" a "belasting" word.)"""
    return term in terms or any(
        len(shorter) >= MIN_PART_LETTERS and longer.startswith(shorter)
        for other in terms
        for shorter, longer in [sorted((term, other), key=len)]
    )
