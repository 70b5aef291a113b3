"""Messages the plan cannot answer whatever it says on their topic.

- requests for service information (prices, opening hours, collection days), listed in
  ``service_questions.txt``;
- questions about news (who won an election or a match, who holds an office, the weather),
  listed in ``news_questions.txt``;
- small talk: a greeting or a request for help (``greetings.txt``), thanks (``thanks.txt``),
  an acknowledgement ("ok", "super", ``acknowledgements.txt``).

And two the plan answers as a whole, with its programmes: what it holds
(``overview_questions.txt``), and a question that names no topic ("wat doet de stad?"), whose
words all frame a question (``frame_words.txt``) or are function words.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from planwijzer.index.analysis import dutch_stopwords
from planwijzer.language import english_words
from planwijzer.text import data_lines, fold

SmallTalk = Literal["greeting", "thanks", "acknowledgement"]
_PUNCTUATION = re.compile(r"[^\w\s]+")
_WORD = re.compile(r"[a-z0-9]+")
_SMALL_TALK_FILES: tuple[tuple[SmallTalk, str], ...] = (
    ("greeting", "greetings.txt"),
    ("thanks", "thanks.txt"),
    ("acknowledgement", "acknowledgements.txt"),
)


@cache
def question_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line) for line in data_lines("planwijzer.service", name))


def _matches(question: str, name: str) -> bool:
    folded = fold(question)
    return any(pattern.search(folded) for pattern in question_patterns(name))


def asks_for_service_information(question: str) -> bool:
    return _matches(question, "service_questions.txt")


def asks_for_news(question: str) -> bool:
    return _matches(question, "news_questions.txt")


def small_talk(message: str) -> SmallTalk | None:
    """``"greeting"``, ``"thanks"`` or ``"acknowledgement"`` when the whole message is that, else None."""
    for kind, name in _SMALL_TALK_FILES:
        if _whole_message_matches(message, name):
            return kind
    return None


def asks_for_plan_overview(message: str) -> bool:
    """True when the whole message asks what the plan holds ("welke programma's zijn er?")."""
    return _whole_message_matches(message, "overview_questions.txt")


def _whole_message_matches(message: str, name: str) -> bool:
    words = " ".join(_PUNCTUATION.sub(" ", fold(message)).split())
    return any(pattern.match(words) for pattern in question_patterns(name))


def without_frame_words(question: str) -> str:
    """The question's words (lower case, accents folded) without those that only frame it:
    "komt er een nieuw zwembad?" is "er een zwembad"."""
    frame = _frame_words()
    return " ".join(word for word in _WORD.findall(fold(question)) if word not in frame)


@cache
def _frame_words() -> frozenset[str]:
    return frozenset(data_lines("planwijzer.service", "frame_words.txt"))


def place_names_in(text: str) -> tuple[str, ...]:
    """The parts of the city ``text`` names, each as ``place_names.txt`` writes it however the
    text does ("kessel lo", "Kessel-Lo" and "kessello" are all "kessel-lo")."""
    listed = _listed_place_names()
    return tuple(dict.fromkeys(listed[_place_key(match.group("name"))] for match in _place_names().finditer(text)))


def without_place_names(question: str) -> str:
    """The question without the parts of the city it is placed in (``place_names.txt``), when
    the rest still names a topic: "is er kinderopvang in heverlee?" is searched as "is er
    kinderopvang?", "wat gebeurt er in wijgmaal?" as it is."""
    if not _place_names().search(question):
        return question
    rest = " ".join(_place_names().sub(" ", question).split())
    rest = re.sub(r"\s+([?!.,;:])", r"\1", rest)
    return rest if names_a_topic(rest) else question


@cache
def _listed_place_names() -> dict[str, str]:
    return {_place_key(name): name for name in data_lines("planwijzer.service", "place_names.txt")}


def _place_key(name: str) -> str:
    return re.sub(r"[- ]", "", name.casefold())


@cache
def _place_names() -> re.Pattern[str]:
    names = [re.escape(name).replace(r"\-", "[- ]?") for name in _listed_place_names().values()]
    # The preposition goes with the name: "in heverlee", "te kessel-lo", "uit wilsele".
    return re.compile(rf"(?:\b(?:in|te|uit|van|rond|voor|naar|near)\s+)?\b(?P<name>{'|'.join(names)})\b", re.IGNORECASE)


def names_a_topic(question: str) -> bool:
    """False when no word of ``question`` could be searched for: each one frames a question
    ("wat", "doet", "stad", "planning"), is a number without letters or a single letter (the
    "s" of "programma's")."""
    unspecific = _unspecific_words()
    return any(
        word not in unspecific and len(word) > 1 and not word.isdigit() for word in _WORD.findall(fold(question))
    )


@cache
def _unspecific_words() -> frozenset[str]:
    return _frame_words() | dutch_stopwords() | english_words()
