from dataclasses import replace

import pytest

from planwijzer.index.lexicon import Lexicon
from planwijzer.index.retriever import Hit
from planwijzer.index.search import Searcher
from planwijzer.ingest.records import Record
from planwijzer.service.answering import AnswerStatus, Grounder, NotFoundReason
from planwijzer.service.compose import ExtractiveComposer
from planwijzer.settings import Settings
from tests.conftest import support_over
from tests.service.conftest import small_engine


@pytest.mark.parametrize(
    ("question", "counts"),
    [("Will there be more childcare places for parents?", True), ("Komen er meer plaatsen in de kinderopvang?", False)],
)
def test_the_plan_words_of_an_english_question_add_to_its_confidence_with_the_english_lexicon_on(
    answering: Settings, question: str, counts: bool
) -> None:
    answering = answering.model_copy(update={"lexicon_english_words": 12_000})
    engine = small_engine(answering)

    def confidence(weight: float) -> float:
        settings = answering.model_copy(update={"abstain_lexicon_weight": weight})
        grounding = Grounder(engine.searcher, engine.sources, settings).ground(question)
        assert grounding.confidence is not None
        return grounding.confidence

    assert engine.searcher.support is not None
    support = engine.searcher.support.english(question) if counts else 0.0
    assert support > 0 or not counts
    assert confidence(0.5) == pytest.approx(confidence(0.0) + 0.5 * support)


def test_the_english_keywords_of_the_records_add_to_an_english_question_s_confidence(
    few_records: list[Record], small_build: Settings
) -> None:
    records = [
        replace(record, keywords=("childcare places",) if record.label == "5.104" else ()) for record in few_records
    ]
    support = support_over(records)
    searcher = Searcher(records, OneRecord(records[0]), support=support)
    question = "Are there city plans for more childcare places?"

    def confidence(weight: float) -> float | None:
        settings = small_build.model_copy(update={"abstain_keyword_weight_en": weight})
        return Grounder(searcher, {}, settings).ground(question).confidence

    # The words that frame the question ("city", "plans") are no keyword's, and do not count.
    topic = support.english_by_keywords("more childcare places")
    assert topic > support.english_by_keywords(question) > 0
    assert confidence(0.5) == pytest.approx(OneRecord.SCORE + 0.5 * topic)
    assert confidence(0.0) == pytest.approx(OneRecord.SCORE)  # the dense similarity alone


class OneRecord:
    """A retriever that always finds the same record, as a dense ranking would, with a
    similarity over every threshold."""

    SCORE = 0.99

    def __init__(self, record: Record) -> None:
        self.record = record
        self.queries: list[str] = []

    def retrieve(self, query: str, k: int) -> list[Hit]:
        self.queries.append(query)
        return [Hit(self.record, self.SCORE, "dense")][:k]


@pytest.mark.parametrize(
    ("question", "searched"),
    [
        ("is er kinderopvang in heverlee?", "is er kinderopvang?"),
        ("Komen er meer plaatsen in de kinderopvang in Kessel-Lo?", "Komen er meer plaatsen in de kinderopvang?"),
        ("wat gebeurt er in wijgmaal?", "wat gebeurt er in wijgmaal?"),  # the place is all it names
    ],
)
def test_a_question_is_searched_without_the_part_of_the_city_it_is_placed_in(
    few_records: list[Record], small_build: Settings, question: str, searched: str
) -> None:
    retriever = OneRecord(few_records[0])
    grounding = Grounder(Searcher(few_records, retriever), {}, small_build).ground(question)
    assert retriever.queries == [searched]
    assert grounding.query == searched


class RankedRecords:
    """A retriever that always finds the same records, in the given order, each over every
    threshold."""

    def __init__(self, *records: Record) -> None:
        self.records = records
        self.queries: list[str] = []

    def retrieve(self, query: str, k: int) -> list[Hit]:
        self.queries.append(query)
        return [Hit(record, OneRecord.SCORE - 0.001 * rank, "dense") for rank, record in enumerate(self.records)][:k]


@pytest.mark.parametrize(
    ("question", "cited"),
    [
        ("Komen er meer plaatsen in de kinderopvang in Wilsele?", ["5.96"]),  # not the one of Heverlee
        ("Komen er meer plaatsen in de kinderopvang in Heverlee?", ["5.104", "5.96"]),
        ("Komen er meer plaatsen in de kinderopvang?", ["5.104", "5.96"]),
    ],
)
def test_an_action_about_another_part_of_the_city_is_not_cited_for_a_question_placed_in_one(
    few_records: list[Record], small_build: Settings, question: str, cited: list[str]
) -> None:
    by_label = {record.label: record for record in few_records}
    in_heverlee = replace(by_label["5.104"], text="We openen een nieuwe kinderopvang in Heverlee.")
    searcher = Searcher(few_records, RankedRecords(in_heverlee, by_label["5.96"]))
    grounding = Grounder(searcher, {}, small_build).ground(question)
    assert [citation.label for citation in grounding.citations] == cited


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("Hoe werkt het kinderopvangbeleid in Gent?", False),
        ("Does Ghent have more childcare places?", False),
        ("kinderopvang in Leuven", True),
        ("kinderopvang in heverlee", True),  # a part of Leuven
    ],
)
def test_a_question_placed_outside_leuven_is_not_answered_by_actions_that_do_not_name_the_place(
    few_records: list[Record], small_build: Settings, question: str, answered: bool
) -> None:
    childcare = next(record for record in few_records if record.label == "5.104")
    grounding = Grounder(Searcher(few_records, OneRecord(childcare)), {}, small_build).ground(question)
    assert (grounding.status is AnswerStatus.ANSWERED) is answered
    if not answered:
        assert grounding.not_found_reason is NotFoundReason.OTHER_PLACE
        text = ExtractiveComposer({}).compose(grounding).text
        assert "Leuven" in text and ("Gent" in text or "Ghent" in text)


def test_a_question_placed_outside_leuven_is_answered_by_an_action_that_names_the_place(
    few_records: list[Record], small_build: Settings
) -> None:
    childcare = next(record for record in few_records if record.label == "5.104")
    named = replace(childcare, text=childcare.text + " We werken hiervoor samen met de buurgemeenten.")
    grounding = Grounder(Searcher(few_records, OneRecord(named)), {}, small_build).ground(
        "Is er kinderopvang voor kinderen met een beperking in Herent?"
    )
    assert grounding.status is AnswerStatus.ANSWERED
    assert [citation.label for citation in grounding.citations] == ["5.104"]


@pytest.mark.parametrize(
    ("lexicon", "opening"),
    [
        (Lexicon({"holidays": "vakanties", "needs": "zorgbehoeften"}), "… We ondersteunen opvangvoorzieningen"),
        (Lexicon({}), "Vanuit de erkenning van Leuven"),  # no shared words: the opening sentences
    ],
)
def test_an_english_question_is_quoted_where_its_plan_words_are(
    few_records: list[Record], small_build: Settings, lexicon: Lexicon, opening: str
) -> None:
    inclusive_childcare = next(record for record in few_records if record.label == "5.104")
    support = support_over(few_records, lexicon)
    searcher = Searcher(few_records, OneRecord(inclusive_childcare), support=support)
    grounding = Grounder(searcher, {}, small_build).ground(
        "Is there care during the holidays for kids with special needs?"
    )
    assert grounding.status is AnswerStatus.ANSWERED and grounding.language == "en"
    assert grounding.citations[0].quote.startswith(opening)


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("komt er een casino?", ("casino",)),
        ("casino", ("casino",)),
        ("kinderopvnag?", ()),  # a typo of a plan word
        ("ik werk 's avonds in een casino, is er dan opvang voor mijn kinderen?", ()),  # a longer question
    ],
)
def test_a_short_question_about_what_the_plan_never_names_is_not_answered(
    few_records: list[Record], small_build: Settings, question: str, unknown: tuple[str, ...]
) -> None:
    childcare = next(record for record in few_records if record.label == "5.104")
    support = support_over(few_records)
    # A dense similarity well over the short questions' threshold (casino's nearest record had 0.856).
    searcher = Searcher(few_records, OneRecord(childcare), support=support)
    grounding = Grounder(searcher, {}, small_build).ground(question)
    assert grounding.unknown_words == unknown
    if unknown:
        assert grounding.status is AnswerStatus.NOT_FOUND
        assert grounding.not_found_reason is NotFoundReason.UNKNOWN_WORDS
        assert "„casino”" in ExtractiveComposer({}).compose(grounding).text
    else:
        assert grounding.status is AnswerStatus.ANSWERED


@pytest.mark.parametrize(
    ("question", "top_k", "labels", "lead"),
    [
        ("welke acties noemen Huis van het Kind?", None, ["5.120", "5.129"], "Het plan noemt „Huis van het Kind” op 2"),
        ("Which actions mention mantelzorg?", None, ["5.150", "5.194"], "The city's plan mentions “mantelzorg” in 2"),
        (
            "welke acties noemen ontmoeting",
            3,
            ["1.1", "1.2", "1.5"],
            "Het plan noemt „ontmoeting” op 8 plaatsen; hieronder de eerste 3, in de volgorde van het plan:",
        ),
    ],
)
def test_a_question_for_every_action_that_names_something_cites_them_in_the_plan_s_order(
    few_records: list[Record], small_build: Settings, question: str, top_k: int | None, labels: list[str], lead: str
) -> None:
    # The retriever would find one record only: the answer does not come from a search.
    searcher = Searcher(few_records, OneRecord(few_records[0]))
    grounding = Grounder(searcher, {}, small_build).ground(question, top_k=top_k)
    assert grounding.status is AnswerStatus.ANSWERED and grounding.lookup
    assert [citation.label for citation in grounding.citations] == labels
    assert ExtractiveComposer({}).compose(grounding).text.startswith(lead)


def test_a_question_for_every_action_that_names_what_the_plan_never_names_says_so(
    few_records: list[Record], small_build: Settings
) -> None:
    searcher = Searcher(few_records, OneRecord(few_records[0]))
    grounding = Grounder(searcher, {}, small_build).ground("welke acties noemen de zeppelin?")
    assert grounding.status is AnswerStatus.NOT_FOUND
    assert grounding.not_found_reason is NotFoundReason.UNKNOWN_WORDS and grounding.unknown_words == ("zeppelin",)
    assert "„zeppelin”" in ExtractiveComposer({}).compose(grounding).text
