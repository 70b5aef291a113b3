import pytest

from planwijzer.eval.gold import GoldQuestion, QuestionKind, Turn
from planwijzer.eval.systems import served_query
from planwijzer.ingest.records import Record


@pytest.mark.parametrize(
    ("question", "history", "query"),
    [
        ("is er kinderopvang in heverlee?", [], "is er kinderopvang?"),
        ("is er een tram gepland in leuven", [], "is er een tram gepland"),
        ("How does Leuven support local shops?", [], "How does support local shops?"),
        (
            "en in Leuven?",
            [
                Turn(role="user", content="komen er meer plaatsen in de kinderopvang?"),
                Turn(role="assistant", content="…"),
            ],
            None,  # a follow-up: rewritten with the words of the question before
        ),
    ],
)
def test_every_system_is_asked_the_query_the_service_searches(
    few_records: list[Record], question: str, history: list[Turn], query: str | None
) -> None:
    asked = served_query(few_records)(
        GoldQuestion(id="q", question=question, kind=QuestionKind.RESIDENT, history=history)
    )
    if query is not None:
        assert asked == query
    else:
        assert "kinderopvang" in asked and "leuven" not in asked.lower()
