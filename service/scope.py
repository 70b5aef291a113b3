"""Questions the plan cannot answer whatever it says on their topic.

- requests for service information (prices, opening hours, collection days), listed in
  ``service_questions.txt``;
- questions about news (who won an election or a match, the weather), listed in
  ``news_questions.txt``.
"""

from __future__ import annotations

import re
from functools import cache

from planwijzer.text import data_lines, fold


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
