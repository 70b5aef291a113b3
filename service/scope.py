"""Messages the plan cannot answer whatever it says on their topic.

- requests for service information (prices, opening hours, collection days), listed in
  ``service_questions.txt``;
- questions about news (who won an election or a match, the weather), listed in
  ``news_questions.txt``;
- small talk: a greeting or a request for help (``greetings.txt``), thanks (``thanks.txt``).

And one the plan answers as a whole: what it holds (``overview_questions.txt``), its programmes.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from planwijzer.text import data_lines, fold

SmallTalk = Literal["greeting", "thanks"]
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SMALL_TALK_FILES: tuple[tuple[SmallTalk, str], ...] = (("greeting", "greetings.txt"), ("thanks", "thanks.txt"))


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
    """``"greeting"`` or ``"thanks"`` when the whole message is that, else None."""
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
