"""Questions the plan cannot answer whatever it says on their topic: requests for service
information (prices, opening hours, collection days), listed in ``service_questions.txt``."""

from __future__ import annotations

import re
from functools import cache

from planwijzer.text import data_lines, fold


@cache
def service_question_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line) for line in data_lines("planwijzer.service", "service_questions.txt"))


def asks_for_service_information(question: str) -> bool:
    folded = fold(question)
    return any(pattern.search(folded) for pattern in service_question_patterns())
