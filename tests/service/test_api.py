import json
import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from planwijzer.eval.gold import Turn
from planwijzer.ingest.corpus import read_corpus, write_corpus
from planwijzer.service.app import create_app
from planwijzer.service.texts import CONTACT_ADDRESS
from planwijzer.settings import Settings
from tests.service.conftest import small_engine

MARKER = re.compile(r"\[([^\[\]]+)\]")


def ask(client: TestClient, **body: object) -> dict:
    response = client.post("/v1/ask", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_answer_cites_the_plan_and_every_citation_is_marked(client: TestClient) -> None:
    answer = ask(client, question="Komen er meer plaatsen in de kinderopvang voor baby's en peuters?")
    assert answer["status"] == "answered" and answer["language"] == "nl" and answer["composer"] == "extractive"
    labels = [citation["label"] for citation in answer["citations"]]
    assert labels and set(MARKER.findall(answer["answer"])) == set(labels)
    first = answer["citations"][0]
    assert first["programme"] == 5 and first["actieprogramma"] == "5.5"
    assert first["citation"].startswith("Bestuursnota 2019-2024, programma 5, actie ")
    assert first["quote"] and first["quote"] in answer["answer"]
    assert "Actieprogramma 5.5" in answer["answer"]
    assert {"rewrite", "search", "total"} <= answer["timings_ms"].keys()


def test_an_english_question_gets_english_framing_around_dutch_quotes(client: TestClient) -> None:
    answer = ask(client, question="What does the city do for childcare places for babies?")
    assert answer["language"] == "en"
    assert answer["answer"].startswith("This is what the city's plan says")
    assert "only available in Dutch" in answer["answer"]


def test_language_can_be_forced(client: TestClient) -> None:
    assert ask(client, question="kinderopvang", language="en")["language"] == "en"


def test_top_k_caps_the_citations(client: TestClient) -> None:
    assert len(ask(client, question="kinderopvang plaatsen ouders", top_k=1)["citations"]) == 1


def test_an_action_number_is_answered_exactly(client: TestClient) -> None:
    answer = ask(client, question="actie 5.95")
    assert [c["label"] for c in answer["citations"]] == ["5.95"]
    assert answer["query"] == "actie 5.95"


def test_an_unknown_action_is_a_404_with_the_valid_range(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "actie 5.999"})
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": "actie 5.999 bestaat niet; programma 5 heeft acties 95 tot 201",
    }


def test_a_look_up_of_several_actions_cites_each(client: TestClient) -> None:
    answer = ask(client, question="5.95 en 5.97")
    assert answer["query"] == "actie 5.95, actie 5.97"
    assert [c["label"] for c in answer["citations"]] == ["5.95", "5.97"]
    found = client.get("/v1/search", params={"q": "actie 5.97 en 5.95"}).json()
    assert [hit["record"]["label"] for hit in found["results"]][:2] == ["5.97", "5.95"]


def test_next_after_a_look_up_is_the_following_action(client: TestClient) -> None:
    looked_up = ask(client, question="actie 5.95")
    history = [{"role": "user", "content": "actie 5.95"}, {"role": "assistant", "content": looked_up["answer"]}]
    following = ask(client, question="en de volgende?", history=history)
    assert following["query"] == "actie 5.96" and [c["label"] for c in following["citations"]] == ["5.96"]
    response = client.post("/v1/ask", json={"question": "de vorige", "history": history})
    assert response.status_code == 404 and "programma 5 heeft acties 95 tot" in response.json()["message"]


def test_a_programme_look_up_lists_its_actieprogrammas(client: TestClient) -> None:
    answer = ask(client, question="programma 5")
    assert answer["status"] == "answered" and answer["query"] == "programma 5"
    assert "**De actieprogramma's van programma 5 (Inclusieve en zorgzame stad):**" in answer["answer"]
    assert re.search(r"^- 5\.5 Specifiek beleid voor doelgroepen \(\d+ acties\)$", answer["answer"], re.MULTILINE)
    english = ask(client, question="programme 5", language="en")
    assert re.search(r"^- 5\.5 .+ \(\d+ actions\)$", english["answer"], re.MULTILINE)
    topic = ask(client, question="Wat doet programma 5 voor de kinderopvang van baby's?")
    assert topic["query"] != "programma 5" and topic["citations"] and topic["within"] == "programma 5"


def test_asking_what_the_plan_holds_lists_its_programmes(client: TestClient) -> None:
    answer = ask(client, question="Welke programma's zijn er?")
    assert answer["status"] == "answered" and answer["query"] == "programma's" and answer["citations"] == []
    lines = answer["answer"].splitlines()
    assert (
        lines[0]
        == "Het plan van de stad heeft 2 programma's. Vraag naar een programma om zijn actieprogramma's te zien:"
    )
    assert re.fullmatch(r"- 1\. Verbonden, betrokken en participatieve stad \(\d+ acties\)", lines[2])
    assert lines[3].startswith("- 5. Inclusieve en zorgzame stad (")
    english = ask(client, question="What is the plan about?")
    assert english["language"] == "en" and english["answer"].startswith("The city's plan has 2 programmes.")
    follow_up = [
        {"role": "user", "content": "Welke programma's zijn er?"},
        {"role": "assistant", "content": answer["answer"]},
    ]
    assert ask(client, question="en kinderopvang?", history=follow_up)["query"] == "en kinderopvang?"


def test_a_question_without_a_topic_is_offered_the_programmes(client: TestClient) -> None:
    vague = ask(client, question="Wat doet de stad?")
    assert vague["status"] == "not_found" and vague["not_found_reason"] == "no_topic" and vague["citations"] == []
    lines = vague["answer"].splitlines()
    assert lines[0].startswith("Waarover wilt u iets weten? Noem een onderwerp")
    assert lines[0].endswith("Het plan van de stad heeft 2 programma's:")
    assert lines[3].startswith("- 5. Inclusieve en zorgzame stad (")
    english = ask(client, question="What is the city doing?")
    assert english["language"] == "en" and english["not_found_reason"] == "no_topic"
    assert english["answer"].startswith("What would you like to know about?")
    # With a topic, or as a follow-up to one, it is searched as before.
    assert ask(client, question="Wat doet de stad voor de kinderopvang?")["status"] == "answered"
    question = "Komen er meer plaatsen in de kinderopvang?"
    answered = ask(client, question=question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": answered["answer"]}]
    follow_up = ask(client, question="wat doet de stad nog?", history=history)
    assert follow_up["not_found_reason"] != "no_topic" and "kinderopvang" in follow_up["query"]


def test_a_question_naming_a_programme_is_answered_from_that_programme(client: TestClient) -> None:
    answer = ask(client, question="Wat doet programma 1 voor de kinderopvang van baby's?")
    assert answer["status"] == "answered" and answer["within"] == "programma 1"
    assert answer["citations"] and {citation["programme"] for citation in answer["citations"]} == {1}
    assert answer["answer"].startswith("Dit staat er in programma 1 van het plan over uw vraag:")
    english = ask(client, question="What does programme 1 do for childcare for babies?")
    assert english["answer"].startswith("This is what programme 1 of the city's plan says about your question:")


def test_a_programme_with_nothing_close_to_the_question_shows_what_it_holds(answering: Settings) -> None:
    settings = answering.model_copy(update={"abstain_below_nl": 5.0, "abstain_below_nl_short": 5.0})
    with TestClient(create_app(settings, small_engine(settings))) as client:
        answer = ask(client, question="Wat doet programma 1 voor de kinderopvang van baby's?")
        named = ask(client, question="Welke acties van actieprogramma 1.1 gaan over kinderopvang voor baby's?")
    assert answer["status"] == "answered" and answer["query"] == "programma 1" and answer["within"] == "programma 1"
    assert answer["answer"].startswith("Over uw vraag vind ik niets in programma 1. Dit staat erin:")
    assert "**De actieprogramma's van programma 1" in answer["answer"]
    assert named["answer"].startswith("Over uw vraag vind ik niets in actieprogramma 1.1. Dit staat erin:")
    assert named["query"] == "actieprogramma 1.1" and len(named["citations"]) > 3  # all of 1.1


def test_a_question_naming_an_actieprogramma_is_answered_from_it(client: TestClient) -> None:
    answer = ask(client, question="Welke acties van actieprogramma 1.1 gaan over kinderopvang voor baby's?")
    assert answer["status"] == "answered" and answer["within"] == "actieprogramma 1.1"
    assert {citation["actieprogramma"] for citation in answer["citations"]} == {"1.1"}
    assert answer["answer"].startswith("Dit staat er in actieprogramma 1.1 van het plan over uw vraag:")
    assert ask(client, question="wat staat er in actieprogramma 1.1?")["within"] is None  # a look-up


LOOKED_UP_1_1 = [
    {"role": "user", "content": "actieprogramma 1.1"},
    {"role": "assistant", "content": "Dit staat er in het plan: … [1.1] … [1.2]"},
]


def test_a_short_question_after_an_actieprogramma_is_asked_of_it(client: TestClient) -> None:
    answer = ask(client, question="welke gaan over kinderopvang?", history=LOOKED_UP_1_1)
    assert answer["status"] == "answered" and answer["within"] == "actieprogramma 1.1"
    assert {citation["actieprogramma"] for citation in answer["citations"]} == {"1.1"}
    assert answer["answer"].startswith("Dit staat er in actieprogramma 1.1 van het plan over uw vraag:")
    assert ask(client, question="welke gaan over kinderopvang?")["within"] is None


def test_when_the_actieprogramma_holds_nothing_close_the_whole_plan_answers(answering: Settings) -> None:
    question = "welke gaan over kinderopvang?"
    grounder = small_engine(answering).grounder
    in_part = grounder.ground(question, [Turn.model_validate(turn) for turn in LOOKED_UP_1_1]).confidence
    in_plan = grounder.ground(question).confidence
    assert in_part is not None and in_plan is not None and in_part < in_plan
    between = (in_part + in_plan) / 2
    settings = answering.model_copy(update={"abstain_below_nl": between, "abstain_below_nl_short": between})
    with TestClient(create_app(settings, small_engine(settings))) as client:
        answer = ask(client, question=question, history=LOOKED_UP_1_1)
    assert answer["status"] == "answered" and answer["within"] is None
    assert {citation["actieprogramma"] for citation in answer["citations"]} == {"5.5"}


def test_a_follow_up_is_rewritten_from_the_history(client: TestClient) -> None:
    history = [
        {"role": "user", "content": "Is er flexibele opvang voor ploegenarbeiders?"},
        {"role": "assistant", "content": "Ja, de stad realiseert plaatsen voor flexibele opvang [5.98]."},
    ]
    answer = ask(client, question="en voor zieke kinderen?", history=history)
    # "ploegenarbeiders" is not carried: the few records of this test plan never use the word.
    assert answer["query"] == "en voor zieke kinderen? flexibele opvang"
    assert ask(client, question="wat staat er nog in die actie?", history=history)["citations"][0]["label"] == "5.98"
    assert ask(client, question="wat staat er nog in 5.95?", history=history)["citations"][0]["label"] == "5.95"
    timed = ask(client, question="Is de kinderopvang ook open om 5.100 uur in de ochtend voor ouders?", history=history)
    assert timed["query"] != "actie 5.100"  # a number inside a long question is not a look-up


def test_more_cites_what_the_conversation_has_not_cited_yet(client: TestClient) -> None:
    history: list[dict[str, str]] = []
    cited: list[str] = []
    for question in ["Komen er meer plaatsen in de kinderopvang?", "meer daarover"]:
        answer = ask(client, question=question, history=history)
        assert answer["status"] == "answered", answer["answer"]
        labels = [citation["label"] for citation in answer["citations"]]
        assert labels and not set(labels) & set(cited)
        cited += labels
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer["answer"]}]
    assert answer["answer"].startswith("Verder staat er in het plan hierover:")
    assert answer["query"] == "Komen er meer plaatsen in de kinderopvang?"


def test_more_after_a_look_up_brings_the_actions_near_it(client: TestClient) -> None:
    looked_up = ask(client, question="actie 5.95")
    history = [
        {"role": "user", "content": "actie 5.95"},
        {"role": "assistant", "content": looked_up["answer"]},
    ]
    answer = ask(client, question="meer daarover", history=history)
    labels = [citation["label"] for citation in answer["citations"]]
    assert answer["status"] == "answered" and labels and "5.95" not in labels
    assert answer["query"].startswith("We ondersteunen de stedelijke adviesraad kinderopvang")


def test_asking_for_another_language_answers_the_question_before_in_it(client: TestClient) -> None:
    question = "Komen er meer plaatsen in de kinderopvang?"
    dutch = ask(client, question=question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": dutch["answer"]}]
    english = ask(client, question="in English please", history=history)
    assert english["language"] == "en" and english["query"] == question
    assert english["answer"].startswith("This is what the city's plan says about your question:")
    assert [c["label"] for c in english["citations"]] == [c["label"] for c in dutch["citations"]]
    # A language the client names outright still decides.
    assert ask(client, question="in English please", history=history, language="nl")["language"] == "nl"


def test_small_talk_gets_a_reply_instead_of_a_search(client: TestClient) -> None:
    hello = ask(client, question="Hallo!")
    assert hello["status"] == "not_found" and hello["not_found_reason"] == "greeting"
    assert hello["answer"].startswith("Hallo! Ik beantwoord vragen over het beleidsplan")
    assert hello["citations"] == [] and CONTACT_ADDRESS not in hello["answer"]
    question = "Komen er meer plaatsen in de kinderopvang?"
    answered = ask(client, question=question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": answered["answer"]}]
    thanks = ask(client, question="bedankt!", history=history)  # a short follow-up would repeat the answer
    assert thanks["not_found_reason"] == "thanks" and thanks["citations"] == []
    assert ask(client, question="thanks!")["answer"] == "You're welcome! Anything else about the city's plan?"
    okay = ask(client, question="ok", history=history)  # not the answer again, nor a search for "ok"
    assert okay["not_found_reason"] == "acknowledgement" and okay["citations"] == []
    assert okay["answer"] == "Hebt u nog een vraag over het plan van de stad?"


def test_more_says_when_the_plan_has_nothing_more(answering: Settings) -> None:
    settings = answering.model_copy(update={"max_citations": 20})
    with TestClient(create_app(settings, small_engine(settings))) as client:
        history = [{"role": "user", "content": "Komen er meer plaatsen in de kinderopvang?"}]
        while (answer := ask(client, question="meer daarover", history=history))["status"] == "answered":
            assert len(history) < 20, "a conversation of 'meer daarover' never runs dry"
            history += [{"role": "assistant", "content": answer["answer"]}, {"role": "user", "content": "meer"}]
        assert answer["not_found_reason"] == "nothing_more" and answer["citations"] == []
        assert answer["answer"].startswith("Meer vind ik daarover niet in het plan")


def test_not_in_the_plan_says_so_and_points_to_the_city(answering: Settings) -> None:
    settings = answering.model_copy(update={"abstain_below_nl": 5.0, "abstain_below_nl_short": 5.0})
    with TestClient(create_app(settings, small_engine(settings))) as client:
        answer = ask(client, question="Mag ik kippen houden in mijn tuin?")
    assert answer["status"] == "not_found" and answer["citations"] == []
    assert answer["not_found_reason"] == "low_confidence"
    assert answer["answer"].startswith("Daarover vind ik niets in het plan van de stad.")
    assert CONTACT_ADDRESS in answer["answer"] and "programma " in answer["answer"]


@pytest.mark.parametrize(("short", "long"), [(5.0, 0.0), (0.0, 5.0)])
def test_a_dutch_question_of_a_few_words_is_held_to_its_own_threshold(
    answering: Settings, short: float, long: float
) -> None:
    settings = answering.model_copy(update={"abstain_below_nl": long, "abstain_below_nl_short": short})
    with TestClient(create_app(settings, small_engine(settings))) as client:
        few_words = ask(client, question="kinderopvang?")
        many_words = ask(client, question="Komen er volgend jaar meer plaatsen in de kinderopvang voor baby's?")
    assert few_words["status"] == ("not_found" if short else "answered")
    assert many_words["status"] == ("not_found" if long else "answered")


def test_a_question_mostly_in_a_records_keywords_is_answered_below_the_threshold(answering: Settings) -> None:
    records = read_corpus(answering.corpus_path)
    records = [replace(r, keywords=("crèche", "babyopvang")) if r.label == "5.95" else r for r in records]
    write_corpus(records, answering.corpus_path)
    settings = answering.model_copy(update={"abstain_below_nl": 5.0, "abstain_below_nl_short": 5.0})
    with TestClient(create_app(settings, small_engine(settings))) as client:
        named = ask(client, question="babyopvang?")
        framed = ask(client, question="komt er babyopvang in de stad?")  # "komt" and "stad" are no keywords
        other = ask(client, question="kinderopvang?")  # the plan's word, but no record's keyword
        longer = ask(client, question="is er babyopvang in de buurt van het station voor pendelaars?")
        both = ask(client, question="komt er in de stad meer babyopvang en nog een crèche bij?")
    assert named["status"] == "answered" and named["citations"][0]["label"] == "5.95"
    assert framed["status"] == "answered" and framed["citations"][0]["label"] == "5.95"
    assert both["status"] == "answered" and both["citations"][0]["label"] == "5.95"  # a longer one, all keywords
    assert other["status"] == "not_found" and longer["status"] == "not_found"  # one word in four


def test_a_price_or_opening_hour_is_not_found_however_close_the_topic(answering: Settings) -> None:
    settings = answering
    with TestClient(create_app(settings, small_engine(settings))) as client:
        price = ask(client, question="Hoeveel kost een plaats in de kinderopvang?")
        hours = ask(client, question="What are the opening hours of the childcare centres?")
        policy = ask(client, question="Wordt het tarief van de kinderopvang lager?")
    for answer in (price, hours):
        assert answer["status"] == "not_found" and answer["citations"] == []
        assert answer["not_found_reason"] == "service_information"
        assert CONTACT_ADDRESS in answer["answer"]
    assert price["answer"].startswith("Het plan van de stad zegt wat de stad wil doen; prijzen, openingsuren")
    assert hours["answer"].startswith("The city's plan says what the city intends to do; prices, opening hours")
    assert policy["status"] == "answered" and policy["not_found_reason"] is None


def test_news_is_not_found_however_close_the_topic(answering: Settings) -> None:
    settings = answering
    with TestClient(create_app(settings, small_engine(settings))) as client:
        results = ask(client, question="Wie heeft de verkiezingen voor de kinderopvang gewonnen?")
        weather = ask(client, question="Will it rain at the childcare centre tomorrow?")
    for answer in (results, weather):
        assert answer["status"] == "not_found" and answer["citations"] == []
        assert answer["not_found_reason"] == "news"
    assert results["answer"].startswith("Het plan van de stad zegt wat de stad wil doen; uitslagen, het aantal")
    assert weather["answer"].startswith("The city's plan says what the city intends to do; results, the population")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"question": ""}, "question: de vraag is leeg"),
        ({"question": " \t\n "}, "question: de vraag is leeg"),
        ({"question": "\x00\x07"}, "question: de vraag is leeg"),
        ({"question": "a" * 1001}, "langer dan 1000 tekens"),
        ({"question": 42}, "question: Input should be a valid string"),
        ({}, "question: Field required"),
        ({"question": "kinderopvang", "language": "fr"}, "language: Input should be 'nl', 'en' or 'auto'"),
        ({"question": "kinderopvang", "history": [{"role": "user", "content": "x"}] * 21}, "more than 20 turns"),
        (
            {"question": "kinderopvang", "history": [{"role": "user", "content": "x" * 10_001}] * 2},
            "more than 20000 characters",
        ),
        ({"question": "kinderopvang", "history": [{"role": "system", "content": "x"}]}, "role"),
        ({"question": "kinderopvang", "top_k": 0}, "top_k"),
        ({"question": "kinderopvang", "colour": "red"}, "colour: Extra inputs are not permitted"),
    ],
)
def test_bad_input_is_a_422_with_a_message(client: TestClient, body: dict, message: str) -> None:
    response = client.post("/v1/ask", json=body)
    assert response.status_code == 422
    error = response.json()
    assert error["error"] == "invalid_request" and message in error["message"]


def test_a_body_that_is_not_json_is_a_422(client: TestClient) -> None:
    response = client.post("/v1/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"


def test_control_characters_are_stripped(client: TestClient) -> None:
    answer = ask(client, question="kinder\x00opvang\x1b plaatsen")
    assert answer["query"] == "kinderopvang plaatsen"


def test_the_stream_sends_citations_then_text_then_the_full_answer(client: TestClient) -> None:
    body = {"question": "Komen er meer plaatsen in de kinderopvang?"}
    response = client.post("/v1/ask/stream", json=body)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = [
        (block.split("\n")[0].removeprefix("event: "), json.loads(block.split("\n")[1].removeprefix("data: ")))
        for block in response.text.strip().split("\n\n")
    ]
    names = [name for name, _ in events]
    assert names[0] == "citations" and names[-1] == "done" and set(names[1:-1]) == {"delta"}
    done = events[-1][1]
    assert "".join(data["text"] for name, data in events if name == "delta") == done["answer"]
    assert events[0][1] == done["citations"]
    plain = ask(client, **body)
    assert {**done, "timings_ms": None} == {**plain, "timings_ms": None}


def test_the_stream_reports_an_unknown_action_as_an_error_event(client: TestClient) -> None:
    response = client.post("/v1/ask/stream", json={"question": "actie 5.999"})
    assert response.text.startswith("event: error")
    assert '"status": 404' in response.text or '"status":404' in response.text


def test_a_question_for_every_action_that_names_something_lists_them(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "welke acties noemen Huis van het Kind?"}).json()
    assert body["status"] == "answered" and body["query"] == "Huis van het Kind"
    assert [citation["label"] for citation in body["citations"]] == ["5.120", "5.129"]
    assert body["answer"].startswith("Het plan noemt „Huis van het Kind” op 2 plaatsen:")
    assert all(f"[{citation['label']}]" in body["answer"] for citation in body["citations"])


def test_a_question_placed_outside_leuven_says_the_plan_is_leuven_s(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": "Hoe werkt de kinderopvang in Gent?"}).json()
    assert body["status"] == "not_found" and body["not_found_reason"] == "other_place"
    assert body["citations"] == [] and "Gent" in body["answer"]
