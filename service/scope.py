"""Questions the plan cannot answer whatever it says on their topic: requests for service
information (prices, opening hours, collection days), listed in ``service_questions.txt``."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from planwijzer.text import fold


@cache
def service_question_patterns() -> tuple[re.Pattern[str], ...]:
    text = resources.files("planwijzer.service").joinpath("service_questions.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(re.compile(line) for line in lines if line and not line.startswith("#"))


def asks_for_service_information(question: str) -> bool:
    folded = fold(question)
    return any(pattern.search(folded) for pattern in service_question_patterns())
