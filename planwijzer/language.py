"""Which language a question is in: Dutch or English, the two Planwijzer answers in.

Questions are short and informal, which defeats statistical detectors; counting function
words that belong to one language only is enough to tell these two apart. When in doubt the
answer is Dutch, the plan's own language.
"""

from __future__ import annotations

import re
from functools import cache

from planwijzer.index.analysis import dutch_stopwords
from planwijzer.text import data_lines

# Words of letters only: "a31" in "p6 a31" is part of a number, not the English "a".
_WORD = re.compile(r"\b[a-z']+\b")


@cache
def english_words() -> frozenset[str]:
    return frozenset(data_lines("planwijzer", "words_en.txt"))


def detect_language(text: str) -> str:
    """``"en"`` when more of the words are English function words than Dutch ones, else ``"nl"``."""
    words = _WORD.findall(text.lower())
    english = english_words()
    dutch = dutch_stopwords()
    # Words both lists hold ("in", "is", "we") say nothing either way.
    english_count = sum(word in english and word not in dutch for word in words)
    dutch_count = sum(word in dutch and word not in english for word in words)
    return "en" if english_count > dutch_count else "nl"
