import pytest

from planwijzer.service.answering import Grounder
from planwijzer.settings import Settings
from tests.service.conftest import small_engine


@pytest.mark.parametrize(
    ("question", "counts"),
    [("Will there be more childcare places for parents?", True), ("Komen er meer plaatsen in de kinderopvang?", False)],
)
def test_the_plan_words_of_an_english_question_add_to_its_confidence(
    answering: Settings, question: str, counts: bool
) -> None:
    engine = small_engine(answering)

    def confidence(weight: float) -> float:
        settings = answering.model_copy(update={"abstain_lexicon_weight": weight})
        grounding = Grounder(engine.searcher, engine.sources, settings).ground(question)
        assert grounding.confidence is not None
        return grounding.confidence

    support = engine.searcher.english_support(question) if counts else 0.0
    assert support is not None
    assert support > 0 or not counts
    assert confidence(0.5) == pytest.approx(confidence(0.0) + 0.5 * support)
