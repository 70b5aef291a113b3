"""Word lexicons made by the embedding model itself, mapping words the plan does not use to
the plan words nearest to them, so that BM25 can meet a question in the plan's own words.

- **English**: the plan is Dutch, so an English question shares no words with it, and the
  dense similarity of an English question to Dutch text is compressed (0.79 to 0.86 for
  questions the plan answers and questions it does not alike). The multilingual model puts
  "smoking" near "roken" and "swimming" near "zwembaden": how well those plan words match
  tells in-scope from out-of-scope English questions far better.
- **Dutch**: residents say "tandarts" where the plan says "mondzorg", "goedkoper" where it
  says "goedkoop". Everyday Dutch words the plan does not use get their nearest plan word
  added to the question for the two BM25 rankings (the dense ranking reads the question as
  asked). Off by default: the records' search keywords do that work now, and this lexicon
  is for a plan whose keywords are not written yet.

Each word is embedded once, at index build time (as a query, word against word, cached like
the passages); at question time a lexicon is a dictionary look-up. Everyday words come from
``wordfreq``, most frequent first; plan words are the analysed words of the corpus.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from planwijzer.files import atomic_write
from planwijzer.index.analysis import DutchAnalyzer, dutch_stopwords
from planwijzer.index.bm25 import BM25Retriever, plan_text
from planwijzer.index.dense import flat_index
from planwijzer.index.retriever import Hit
from planwijzer.ingest.records import Record
from planwijzer.language import detect_language, english_words
from planwijzer.text import data_lines, fold

_WORD = re.compile(r"[a-z]{3,}")
_POSSESSIVE = re.compile(r"['’]s\b")
_APOSTROPHE = re.compile(r"['’]")


@dataclass(frozen=True)
class Lexicon:
    """A word the plan does not use → the plan word nearest to it in the embedding space."""

    entries: Mapping[str, str]

    def __len__(self) -> int:
        return len(self.entries)

    def translate(self, text: str) -> str:
        """The plan words for the words of ``text`` that the lexicon knows, in order."""
        return " ".join(self.entries[word] for word in lexicon_tokens(text) if word in self.entries)

    def write(self, path: Path) -> None:
        with atomic_write(path) as out:
            json.dump(dict(sorted(self.entries.items())), out, ensure_ascii=False, indent=0)
            out.write("\n")

    @classmethod
    def read(cls, path: Path) -> Lexicon:
        entries = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
            raise ValueError(f"{path} is not a word-to-word mapping")
        return cls(entries)


def lexicon_tokens(text: str) -> list[str]:
    """Folded words of three letters or more; "baby's" is "baby", "don't" is "dont",
    "financiën" is "financien"."""
    return _WORD.findall(_APOSTROPHE.sub("", _POSSESSIVE.sub("", fold(text))))


@cache
def english_stopwords() -> frozenset[str]:
    return frozenset(data_lines("planwijzer.index", "stopwords_en.txt")) | english_words()


@cache
def everyday_words(language: str, size: int) -> tuple[str, ...]:
    """Of the ``size`` most frequent words of ``language`` (``"en"`` or ``"nl"``), folded,
    those that can carry a topic: no function words, nothing under three letters."""
    from wordfreq import top_n_list

    stopwords = english_stopwords() if language == "en" else dutch_stopwords()
    words = dict.fromkeys(fold(word) for word in top_n_list(language, size))
    return tuple(word for word in words if _WORD.fullmatch(word) and word not in stopwords)


def plan_vocabulary(records: Sequence[Record]) -> list[str]:
    """The distinct analysed words (folded, Dutch stopwords out) of the records, sorted."""
    analyzer = DutchAnalyzer()
    words = {word for record in records for word in analyzer.tokens(plan_text(record))}
    return sorted(word for word in words if _WORD.fullmatch(word))


def build_lexicon(
    words: Sequence[str],
    plan_words: Sequence[str],
    embed_words: Callable[[Sequence[str]], np.ndarray],
    min_similarity: float,
) -> Lexicon:
    """Each of ``words`` mapped to its nearest plan word, when their cosine similarity
    reaches ``min_similarity``. ``embed_words`` gives one normalised row per word."""
    if not words or not plan_words:
        return Lexicon({})
    index = flat_index(embed_words(plan_words))
    similarities, nearest = index.search(np.ascontiguousarray(embed_words(words), dtype=np.float32), 1)
    return Lexicon(
        {
            word: plan_words[position]
            for word, similarity, position in zip(words, similarities[:, 0], nearest[:, 0], strict=True)
            if position >= 0 and similarity >= min_similarity
        }
    )


class ExpandingRetriever:
    """BM25 that reads a Dutch query with the plan words the lexicon gives for its everyday
    words added ("de tandarts is zo duur" … "mondzorg"), other queries as they are.

    The added words count ``weight`` times as much as the question's own (the setting
    ``lexicon_expansion_weight``). A lexicon entry is a guess, and a common one ("appartement":
    appartementen) can outrank what the question itself names; on the dev questions 0.5 to
    0.7 put one more resident question's action in the top five, but cost as much in the
    citations, so the default stays at 1.
    """

    def __init__(self, retriever: BM25Retriever, lexicon: Lexicon, weight: float = 1.0) -> None:
        self.retriever = retriever
        self.lexicon = lexicon
        self.weight = weight

    def retrieve(self, query: str, k: int) -> list[Hit]:
        extra = self.lexicon.translate(query) if detect_language(query) == "nl" else ""
        if not extra:
            return self.retriever.retrieve(query, k)
        return self.retriever.top(self.retriever.scores(query) + self.weight * self.retriever.scores(extra), k)
