import pytest

from planwijzer.index.vocabulary import Vocabulary

PLAN = [
    "We breiden het aantal plaatsen in de kinderopvang uit.",
    "De fietsenstalling aan het station wordt uitgebreid.",
    "We zetten in op betaalbaar wonen voor studenten.",
    "De tram krijgt een eigen lijn, we renoveren het stadhuis en steunen co-housing.",
]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(PLAN, everyday_words=["waarschijnlijk", "gevangenis", "koffie"])


@pytest.mark.parametrize(
    "word",
    [
        "kinderopvang",  # as the plan writes it
        "studenten",
        "student",  # another form of the same stem
        "opvang",  # part of a plan word
        "fietsenstallingen",  # a plan word inside it
        "kinderopvnag",  # two letters swapped
        "statoin",
        "fietsenstaling",  # a letter left out
        "stallingn",  # a misspelt part of a plan word
        "tramlijn",  # a compound of plan words
        "tramlijnen",
        "stadhuistram",
        "tramstadhuys",  # its last part misspelt
        "gerenoveerd",  # the past participle of a plan verb
        "gerenoveert",
    ],
)
def test_the_plan_s_words_their_parts_and_typos_are_known(vocabulary: Vocabulary, word: str) -> None:
    assert vocabulary.knows(word)


@pytest.mark.parametrize(
    "word",
    [
        "casino",
        "skilift",
        "wonder",
        "2030",
        "bitcoin",  # "co" is a plan word, but no part of one that "bitcoin" could be
        "glasvezel",
        "gestudeerd",  # "stud" is a stem of the plan, too short to be a verb's
    ],
)
def test_words_the_plan_never_uses_are_not(vocabulary: Vocabulary, word: str) -> None:
    assert not vocabulary.knows(word)


def test_unknown_words_of_a_question_leave_out_stopwords_everyday_words_and_numbers(vocabulary: Vocabulary) -> None:
    assert vocabulary.unknown("komt er waarschijnlijk een casino bij het station?") == ["komt", "casino"]
    assert vocabulary.unknown("komt er waarschijnlyk een casino?") == ["komt", "casino"]
    assert vocabulary.unknown("meer plaatsen in de kinderopvnag?") == []
    assert vocabulary.unknown("meer plaatsen in de kinderopvang tegen 2030?") == []  # the plan has no 2030


def test_a_question_of_everyday_words_only_that_the_plan_lacks_names_nothing_it_has(vocabulary: Vocabulary) -> None:
    assert vocabulary.unknown("gevangenis") == ["gevangenis"]
    assert vocabulary.unknown("een gevangenis of koffie?") == ["gevangenis", "koffie"]
    assert vocabulary.unknown("koffie aan het station?") == []  # "station" is the plan's
    assert vocabulary.unknown("waarschijnlijk een tram?") == []
    assert vocabulary.knows("gevangenis") and not vocabulary.knows("gevangenis", everyday=False)
    assert vocabulary.knows("statoin", everyday=False)  # a typo of a plan word stays a plan word


def test_a_word_known_only_as_written_is_not_what_a_typo_stands_for() -> None:
    vocabulary = Vocabulary([*PLAN, "Een zwembad van 50 metre."], as_written=["metre"])
    assert vocabulary.knows("metre") and not vocabulary.knows("metro")
    assert Vocabulary([*PLAN, "Een zwembad van 50 metre."]).knows("metro")
    assert vocabulary.knows("zwembaad")
