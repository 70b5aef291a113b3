"""Which language a question is in: Dutch or English, the two Planwijzer answers in.

Questions are short and informal, which defeats statistical detectors; counting function
words that belong to one language only is enough to tell these two apart. When in doubt the
answer is Dutch, the plan's own language.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from planwijzer.index.analysis import dutch_stopwords
from planwijzer.text import data_lines

# Words of letters only: "a31" in "p6 a31" is part of a number, not the English "a".
_WORD = re.compile(r"\b[a-z']+\b")


@cache
def english_words() -> frozenset[str]:
    return frozenset(data_lines("planwijzer", "words_en.txt"))


# A question of content words alone ("air quality", "social housing") has no function word to
# tell; then it is English only when its words are, on average, this much more frequent in
# English than in Dutch (Zipf scale: 1 is ten times as frequent). "parking" (0.9), "design"
# (0.9) and "museum" (-0.2) are everyday Flemish too.
ENGLISH_FREQUENCY_LEAD = 1.0


def detect_language(text: str) -> str:
    """``"en"`` when more of the words are English function words than Dutch ones, or, with
    none of either, when the words are clearly more frequent in English; else ``"nl"``."""
    words = _WORD.findall(text.lower())
    english = english_words()
    dutch = dutch_stopwords()
    # Words both lists hold ("in", "is", "we") say nothing either way.
    english_count = sum(word in english and word not in dutch for word in words)
    dutch_count = sum(word in dutch and word not in english for word in words)
    if english_count or dutch_count or not words:
        return "en" if english_count > dutch_count else "nl"
    return "en" if _english_lead(tuple(words)) >= ENGLISH_FREQUENCY_LEAD else "nl"


@lru_cache(maxsize=4096)
def _english_lead(words: tuple[str, ...]) -> float:
    from wordfreq import zipf_frequency  # its word lists load on first use

    return sum(zipf_frequency(word, "en") - zipf_frequency(word, "nl") for word in words) / len(words)


def load_word_frequencies() -> None:
    """Loads the word frequency lists detection falls back on, which takes about half a
    second and 80 MB: a service does it when it starts, not on a resident's first question of
    content words alone."""
    from wordfreq import zipf_frequency

    for language in ("en", "nl"):
        zipf_frequency("stad", language)
