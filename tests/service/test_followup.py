from dataclasses import dataclass

import pytest

from planwijzer.index.lookup import ActieprogrammaRef, ActionRef, ProgrammeRef
from planwijzer.language import detect_language
from planwijzer.service.followup import FollowUpRewriter, Rewrite


@dataclass
class Turn:
    role: str
    content: str


CHILDCARE = [
    Turn("user", "Komen er meer plaatsen in de kinderopvang?"),
    Turn("assistant", "Ja, de stad realiseert nieuwe plaatsen [5.98] en ondersteunt de adviesraad [5.95]."),
]


@pytest.fixture
def rewriter() -> FollowUpRewriter:
    return FollowUpRewriter()


def test_without_history_the_question_is_the_query(rewriter: FollowUpRewriter) -> None:
    rewrite = rewriter.rewrite("en voor senioren?", [])
    assert rewrite.query == "en voor senioren?" and not rewrite.is_followup


@pytest.mark.parametrize(
    ("question", "own_words"),
    [
        ("en voor senioren?", "en voor senioren?"),
        ("en de prijs?", "en de prijs?"),
        ("What about seniors?", "seniors?"),
        ("ook in Kessel-Lo?", "ook in Kessel-Lo?"),
    ],
)
def test_a_follow_up_carries_the_earlier_topic(rewriter: FollowUpRewriter, question: str, own_words: str) -> None:
    rewrite = rewriter.rewrite(question, CHILDCARE)
    assert rewrite.is_followup and rewrite.query.startswith(own_words) and "kinderopvang" in rewrite.query


def test_an_english_follow_up_to_a_dutch_question_searches_in_dutch(rewriter: FollowUpRewriter) -> None:
    rewrite = rewriter.rewrite("what about Kessel-Lo?", CHILDCARE)
    assert rewrite.query.startswith("Kessel-Lo?") and detect_language(rewrite.query) == "nl"
    assert detect_language(rewriter.rewrite("What about seniors?", CHILDCARE).query) == "nl"


def test_a_question_of_a_place_and_also_asks_the_earlier_topic_there(rewriter: FollowUpRewriter) -> None:
    rewrite = rewriter.rewrite("komt er ook iets in wilsele?", CHILDCARE)
    assert rewrite.is_followup and "kinderopvang" in rewrite.query
    assert not rewriter.rewrite("wat gebeurt er allemaal in wilsele?", CHILDCARE).is_followup


@pytest.mark.parametrize(
    "question",
    [
        "is dat gratis voor gezinnen met een laag inkomen?",
        "is da gratis voor gezinnen met een laag inkomen?",  # as Flemish types it
        "geldt dat ook voor gezinnen die pas verhuisd zijn?",
    ],
)
def test_a_long_question_opening_on_a_verb_and_that_carries_the_earlier_topic(
    rewriter: FollowUpRewriter, question: str
) -> None:
    rewrite = rewriter.rewrite(question, CHILDCARE)
    assert rewrite.is_followup and "kinderopvang" in rewrite.query


@pytest.mark.parametrize(
    "question",
    [
        "is het mogelijk om mijn kind in te schrijven in een school in de buurt?",  # "het" is no pointer
        "zijn die nieuwe fietsenstallingen aan het station al in gebruik genomen?",  # "die" names its own topic
    ],
)
def test_a_long_question_of_its_own_stands_alone(rewriter: FollowUpRewriter, question: str) -> None:
    rewrite = rewriter.rewrite(question, CHILDCARE)
    assert rewrite.query == question and not rewrite.is_followup


def test_a_new_full_question_stands_alone(rewriter: FollowUpRewriter) -> None:
    question = "Hoe ondersteunt de stad mensen die dakloos zijn in de winter?"
    rewrite = rewriter.rewrite(question, CHILDCARE)
    assert rewrite.query == question and not rewrite.is_followup


@pytest.mark.parametrize(
    "question", ["meer daarover", "Vertel me meer", "tell me more", "en verder?", "nog meer", "wat nog?", "What else?"]
)
def test_more_repeats_the_earlier_search_without_what_was_cited(rewriter: FollowUpRewriter, question: str) -> None:
    history = [
        *CHILDCARE,
        Turn("user", "en de stad zelf?"),
        Turn("assistant", "Ook [Zorgzame stad › Kinderopvang › punt 3]."),
    ]
    rewrite = rewriter.rewrite(question, CHILDCARE)
    assert rewrite.query == "Komen er meer plaatsen in de kinderopvang?" and rewrite.seen == {"5.98", "5.95"}
    assert rewriter.rewrite(question, history).seen == {"5.98", "5.95", "Zorgzame stad › Kinderopvang › punt 3"}


def test_only_more_leaves_out_what_was_cited(rewriter: FollowUpRewriter) -> None:
    assert rewriter.rewrite("en voor senioren?", CHILDCARE).seen == frozenset()


def test_a_chain_of_follow_ups_keeps_the_first_topic(rewriter: FollowUpRewriter) -> None:
    history = [*CHILDCARE, Turn("user", "en voor zieke kinderen?"), Turn("assistant", "… [5.98]")]
    rewrite = rewriter.rewrite("wanneer gebeurt dat?", history)
    assert "kinderopvang" in rewrite.query and "zieke" in rewrite.query


@pytest.mark.parametrize("question", ["en voor senioren?", "What about seniors?"])
def test_asked_again_for_someone_else_it_replaces_the_follow_up_before(
    rewriter: FollowUpRewriter, question: str
) -> None:
    history = [*CHILDCARE, Turn("user", "en voor zieke kinderen?"), Turn("assistant", "… [5.98]")]
    rewrite = rewriter.rewrite(question, history)
    assert "kinderopvang" in rewrite.query and "zieke" not in rewrite.query
    history += [Turn("user", question), Turn("assistant", "… [5.97]")]
    assert "zieke" not in rewriter.rewrite("wanneer gebeurt dat?", history).query


def test_when_no_word_of_the_question_before_is_rare_they_all_come_along() -> None:
    rewriter = FollowUpRewriter(informative=lambda word: word == "plaatsen")
    assert rewriter.rewrite("en in Heverlee?", CHILDCARE).query == "en in Heverlee? plaatsen"
    history = [Turn("user", "kinderopvang"), Turn("assistant", "… [5.98]")]
    assert rewriter.rewrite("en in Heverlee?", history).query == "en in Heverlee? kinderopvang"


@pytest.mark.parametrize("question", ["wat betekent dat concreet?", "wanneer gebeurt dat?", "and when?"])
def test_a_question_about_a_looked_up_action_resolves_to_it(rewriter: FollowUpRewriter, question: str) -> None:
    history = [Turn("user", "actie 5.95 en 5.96"), Turn("assistant", "… [5.95] … [5.96]")]
    assert rewriter.rewrite(question, history) == Rewrite(
        "actie 5.95 en 5.96", is_followup=True, reference=ActionRef(5, 95)
    )
    assert rewriter.rewrite("en voor senioren?", history).reference is None  # asked of something else


def test_a_number_or_that_action_resolves_to_an_action(rewriter: FollowUpRewriter) -> None:
    assert rewriter.rewrite("wat staat er nog in 5.95?", CHILDCARE).reference == ActionRef(5, 95)
    assert rewriter.rewrite("vertel meer over die actie", CHILDCARE).reference == ActionRef(5, 98)
    assert rewriter.rewrite("what does that action say?", CHILDCARE).reference == ActionRef(5, 98)


def test_only_informative_words_are_carried_over() -> None:
    rewriter = FollowUpRewriter(informative=lambda word: word != "plaatsen")
    query = rewriter.rewrite("en voor senioren?", CHILDCARE).query
    assert "kinderopvang" in query and "plaatsen" not in query


def test_a_follow_up_for_other_people_does_not_carry_the_people_asked_about_before(rewriter: FollowUpRewriter) -> None:
    history = [Turn("user", "is er hulp voor eenzame ouderen?"), Turn("assistant", "… [5.150]")]
    assert rewriter.rewrite("en voor jongeren?", history).query == "en voor jongeren? hulp eenzame"
    english = [Turn("user", "Is there help for lonely elderly people?"), Turn("assistant", "… [5.150]")]
    assert rewriter.rewrite("and for students?", english).query == "for students? help lonely people"
    # Asked for something other than people, the people stay.
    assert rewriter.rewrite("en voor de zomer?", history).query == "en voor de zomer? hulp eenzame ouderen"


def test_words_the_plan_never_uses_are_not_carried_over() -> None:
    rewriter = FollowUpRewriter(known=lambda word: word != "casino")
    history = [Turn("user", "komt er een casino?"), Turn("assistant", "Daarover vind ik niets in het plan.")]
    assert rewriter.rewrite("en een zwembad?", history).query == "en een zwembad? komt"
    # English words are carried all the same: none is in the Dutch plan, yet the model reads them.
    english = [Turn("user", "Will Leuven get a casino?"), Turn("assistant", "The plan does not say.")]
    assert "casino" in rewriter.rewrite("and a swimming pool?", english).query


def test_after_a_look_up_the_actions_subject_is_carried_not_its_number() -> None:
    subjects = {ActionRef(5, 95): "KINDEROPVANG"}
    rewriter = FollowUpRewriter(subject=subjects.get)
    looked_up = [Turn("user", "actie 5.95"), Turn("assistant", "… [5.95]")]
    assert rewriter.rewrite("en voor senioren?", looked_up).query == "en voor senioren? kinderopvang"
    unknown = [Turn("user", "actie 5.999"), Turn("assistant", "Actie 5.999 bestaat niet.")]
    assert rewriter.rewrite("en voor senioren?", unknown).query == "en voor senioren?"


def test_an_english_follow_up_carries_topic_words_only(rewriter: FollowUpRewriter) -> None:
    history = [Turn("user", "Is Leuven doing anything about air quality?"), Turn("assistant", "… [3.145]")]
    assert rewriter.rewrite("and near schools?", history).query == "near schools? leuven air quality"


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("in English please?", "en"),
        ("and can you answer in english", "en"),
        ("kan je dat in het Engels zeggen?", "en"),
        ("Nederlands graag", "nl"),
        ("could you say that in Dutch please", "nl"),
    ],
)
def test_asking_for_another_language_repeats_the_question_before(
    rewriter: FollowUpRewriter, question: str, language: str
) -> None:
    rewrite = rewriter.rewrite(question, CHILDCARE)
    assert rewrite.query == "Komen er meer plaatsen in de kinderopvang?" and rewrite.language == language
    assert rewrite.is_followup and rewrite.seen == frozenset()


def test_a_language_switch_keeps_a_look_up_and_leaves_a_chain_alone(rewriter: FollowUpRewriter) -> None:
    looked_up = [Turn("user", "actie 5.95"), Turn("assistant", "… [5.95]")]
    assert rewriter.rewrite("in English please", looked_up).reference == ActionRef(5, 95)
    history = [*CHILDCARE, Turn("user", "in English please"), Turn("assistant", "… [5.98]")]
    rewrite = rewriter.rewrite("en voor senioren?", history)
    assert "kinderopvang" in rewrite.query and "english" not in rewrite.query.lower()


@pytest.mark.parametrize(
    "question", ["Is there an English version of the plan?", "Engelse les voor nieuwkomers?", "meer Nederlandse les?"]
)
def test_a_question_about_a_language_is_not_a_switch(rewriter: FollowUpRewriter, question: str) -> None:
    assert rewriter.rewrite(question, CHILDCARE).language is None


@pytest.mark.parametrize(
    "question",
    [
        "welke acties precies?",
        "welke actie precies?",
        "which measure exactly?",
        "what exactly?",
        "wat concreet?",
        "En welke precies",
        # when or where it happens: the plan says so in the same actions if anywhere
        "wanneer?",
        "en waar dan?",
        "Wanneer gaat dat gebeuren?",
        "hoe lang nog?",
        "When will that happen?",
    ],
)
def test_asking_for_specifics_asks_the_question_before_again(rewriter: FollowUpRewriter, question: str) -> None:
    assert rewriter.rewrite(question, CHILDCARE) == Rewrite(CHILDCARE[0].content, is_followup=True)
    looked_up = [Turn("user", "actie 5.95"), Turn("assistant", "… [5.95]")]
    assert rewriter.rewrite(question, looked_up).reference == ActionRef(5, 95)
    chain = [*CHILDCARE, Turn("user", question), Turn("assistant", "… [5.98]")]
    assert rewriter.rewrite("en voor senioren?", chain).query.endswith("kinderopvang")


@pytest.mark.parametrize(
    "question", ["Wat gebeurt er precies met de vismarkt en de parking eronder?", "wanneer komt er een nieuw zwembad?"]
)
def test_a_question_of_its_own_asking_for_specifics_stands_alone(rewriter: FollowUpRewriter, question: str) -> None:
    assert rewriter.rewrite(question, CHILDCARE) == Rewrite(question, is_followup=False)


def test_small_talk_in_a_chain_is_passed_over(rewriter: FollowUpRewriter) -> None:
    history = [*CHILDCARE, Turn("user", "Bedankt!"), Turn("assistant", "Graag gedaan!")]
    rewrite = rewriter.rewrite("en voor senioren?", history)
    assert "kinderopvang" in rewrite.query and "bedankt" not in rewrite.query.lower()


def test_a_short_question_after_small_talk_alone_stands_alone(rewriter: FollowUpRewriter) -> None:
    history = [Turn("user", "Hallo!"), Turn("assistant", "Hallo! Ik beantwoord vragen over het plan.")]
    assert rewriter.rewrite("kinderopvang?", history) == rewriter.rewrite("kinderopvang?", [])


@pytest.mark.parametrize(
    ("question", "action"), [("en de volgende?", 99), ("Next one", 99), ("de vorige actie", 97), ("previous", 97)]
)
def test_next_and_previous_step_from_the_action_cited_last(
    rewriter: FollowUpRewriter, question: str, action: int
) -> None:
    history = [*CHILDCARE, Turn("user", "actie 5.98"), Turn("assistant", "… [5.98]")]
    rewrite = rewriter.rewrite(question, history)
    assert rewrite.is_followup and rewrite.reference == ActionRef(5, action)


def test_next_without_a_cited_action_is_an_ordinary_follow_up(rewriter: FollowUpRewriter) -> None:
    history = [Turn("user", "Komen er meer plaatsen in de kinderopvang?"), Turn("assistant", "Niets gevonden.")]
    assert rewriter.rewrite("en de volgende?", history).reference is None


@pytest.mark.parametrize(
    ("looked_up", "scope"), [("actieprogramma 3.3", ActieprogrammaRef("3.3")), ("programma 5", ProgrammeRef(5))]
)
@pytest.mark.parametrize("question", ["welke gaan over stallingen?", "en over fietsdiefstal?", "fietsenstallingen"])
def test_after_a_look_up_of_a_part_a_short_question_is_asked_of_that_part(
    rewriter: FollowUpRewriter, looked_up: str, scope: object, question: str
) -> None:
    history = [Turn("user", looked_up), Turn("assistant", "Dit staat er in het plan: … [3.37] … [3.38]")]
    rewrite = rewriter.rewrite(question, history)
    assert rewrite == Rewrite(question, is_followup=True, within=scope)


def test_after_a_look_up_of_a_part_a_full_question_stands_alone(rewriter: FollowUpRewriter) -> None:
    history = [Turn("user", "actieprogramma 3.3"), Turn("assistant", "… [3.37]")]
    question = "Hoe ondersteunt de stad mensen die dakloos zijn in de winter?"
    assert rewriter.rewrite(question, history) == Rewrite(question, is_followup=False)


def test_a_question_naming_a_programme_is_kept_to_it(rewriter: FollowUpRewriter) -> None:
    rewrite = rewriter.rewrite("wat doet programma 3 voor fietsers?", CHILDCARE)
    assert rewrite == Rewrite("wat doet voor fietsers?", is_followup=False, within=ProgrammeRef(3))


@pytest.mark.parametrize(
    ("question", "action"),
    [
        ("en die eerste actie, wat zegt die?", ActionRef(5, 98)),
        ("wat zegt de tweede?", ActionRef(5, 95)),
        ("the last one", ActionRef(5, 95)),
    ],
)
def test_an_ordinal_names_an_action_the_answer_before_cited(
    rewriter: FollowUpRewriter, question: str, action: ActionRef
) -> None:
    rewrite = rewriter.rewrite(question, CHILDCARE)
    assert rewrite.is_followup and rewrite.reference == action


def test_an_ordinal_past_the_citations_or_on_a_web_page_bullet_names_no_action(rewriter: FollowUpRewriter) -> None:
    assert rewriter.rewrite("en de derde?", CHILDCARE).reference is None
    history = [Turn("user", "kinderopvang"), Turn("assistant", "… [Zorgzame stad › Kinderopvang › punt 3] … [5.98]")]
    assert rewriter.rewrite("wat zegt de eerste?", history).reference is None
    assert rewriter.rewrite("wat is de eerste stap?", CHILDCARE).reference is None  # "eerste" of something else


def test_a_question_without_a_topic_is_not_what_the_conversation_is_about(rewriter: FollowUpRewriter) -> None:
    history = [Turn("user", "wat doet de stad?"), Turn("assistant", "Waarover wilt u iets weten? …")]
    first = rewriter.rewrite("kinderopvang", history)
    assert first.query == "kinderopvang" and not first.is_followup
    history += [Turn("user", "kinderopvang"), Turn("assistant", "… [5.98]")]
    price = rewriter.rewrite("en de prijs?", history)
    assert price.is_followup and "kinderopvang" in price.query and "doet" not in price.query


def test_more_after_next_is_more_about_the_action_next_named(rewriter: FollowUpRewriter) -> None:
    history = [
        Turn("user", "actie 5.95"),
        Turn("assistant", "Dit staat er in het plan: … [5.95]"),
        Turn("user", "en de volgende?"),
        Turn("assistant", "Dit staat er in het plan: … [5.96]"),
    ]
    more = rewriter.rewrite("meer daarover", history)
    assert more.query == "actie 5.96" and more.seen == {"5.95", "5.96"}
    assert rewriter.rewrite("wat betekent dat?", history).reference == ActionRef(5, 96)


@pytest.mark.parametrize("question", ["is dat al gestart?", "Has it started yet?", "en is het al klaar?"])
def test_whether_it_has_started_asks_the_question_before_again(rewriter: FollowUpRewriter, question: str) -> None:
    rewrite = rewriter.rewrite(question, CHILDCARE)
    assert rewrite.is_followup and rewrite.query == CHILDCARE[0].content


def test_a_follow_up_for_people_past_fifty_does_not_carry_the_young_people_asked_about_before(
    rewriter: FollowUpRewriter,
) -> None:
    history = [Turn("user", "is er hulp voor jongeren die werk zoeken?"), Turn("assistant", "… [7.38]")]
    assert "jongeren" not in rewriter.rewrite("en voor 50-plussers?", history).query
