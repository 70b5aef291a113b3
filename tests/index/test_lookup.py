from pathlib import Path

import pytest

from planwijzer.errors import UnknownReferenceError
from planwijzer.index.lookup import (
    ActieprogrammaRef,
    ActionCatalog,
    ActionRef,
    ProgrammeRef,
    named_scope,
    parse_reference,
    parse_references,
)
from planwijzer.ingest.plan import parse_plan_text
from planwijzer.ingest.records import RecordKind
from tests.conftest import plan_source


@pytest.mark.parametrize(
    ("query", "reference"),
    [
        ("actie 3.45", ActionRef(3, 45)),
        ("3.45", ActionRef(3, 45)),
        ("5.95", ActionRef(5, 95)),
        ("10.111", ActionRef(10, 111)),
        ("programma 6 actie 31", ActionRef(6, 31)),
        ("Programma 6, actie 31", ActionRef(6, 31)),
        ("p6 a31", ActionRef(6, 31)),
        ("P6A31", ActionRef(6, 31)),
        ("wat staat er nog in 5.95?", ActionRef(5, 95)),
        ("actieprogramma 5.5", ActieprogrammaRef("5.5")),
        ("Actieprogramma 8.3", ActieprogrammaRef("8.3")),
        ("programma 5", ProgrammeRef(5)),
        ("Programme 2", ProgrammeRef(2)),
        ("wat staat er in programma 3?", ProgrammeRef(3)),
        ("actie 31 van programma 6", ActionRef(6, 31)),
        ("action 31 of programme 6", ActionRef(6, 31)),
        ("actie 5,95", ActionRef(5, 95)),  # the Dutch decimal comma
        ("5,95", ActionRef(5, 95)),
        ("actie 5.0", ActionRef(5, 0)),  # after the word, a number the plan lacks is told so
    ],
)
def test_references_are_recognised(query: str, reference: object) -> None:
    assert parse_reference(query) == reference


@pytest.mark.parametrize(
    "query",
    [
        "komen er meer plaatsen in de kinderopvang?",
        "4.000 fietsparkeerplaatsen",
        "8,5 procent sociale woningen",
        "plan 2019-2024",
        "1.000 nieuwe inwoners",
        "versie 3.45.6",
        "het kost 5,95 euro",  # a comma number inside a sentence is a quantity
        "5,95 euro",
        "wat doet programma 3 voor fietsers en voetgangers?",  # a question kept to programme 3
    ],
)
def test_numbers_that_are_not_references(query: str) -> None:
    assert parse_reference(query) is None


@pytest.mark.parametrize(
    ("question", "programme", "words"),
    [
        ("wat doet programma 3 voor fietsers?", 3, "wat doet voor fietsers?"),
        ("Welke acties in het programma 5 gaan over ouderen?", 5, "welke acties gaan over ouderen?"),
        ("what does programme 8 do for sports clubs?", 8, "what does do for sports clubs?"),
    ],
)
def test_a_programme_named_in_a_question_is_where_it_is_asked(question: str, programme: int, words: str) -> None:
    assert named_scope(question) == (ProgrammeRef(programme), words)
    assert parse_reference(question) is None


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("welke acties van actieprogramma 3.3 gaan over stallingen?", "welke acties gaan over stallingen?"),
        ("welke acties in programma 3, ap 3.3, gaan over stallingen", "welke acties , , gaan over stallingen"),
    ],
)
def test_an_actieprogramma_named_in_a_question_is_where_it_is_asked(question: str, words: str) -> None:
    assert named_scope(question) == (ActieprogrammaRef("3.3"), words)


@pytest.mark.parametrize(
    "question",
    [
        "programma 3",
        "wat staat er in programma 3?",  # a look-up: the programme's contents
        "wat doet programma 3 en programma 4 voor fietsers?",  # two programmes: no one place
        "wat staat er in actieprogramma 3.3?",  # a look-up
        "welke acties van programma 5 en actieprogramma 3.3 gaan over fietsen?",  # 3.3 is not in 5
        "actie 5.95 uit programma 5, wat houdt die in?",  # an action: looked up
        "komen er meer plaatsen in de kinderopvang?",
    ],
)
def test_questions_kept_to_no_programme(question: str) -> None:
    assert named_scope(question) is None


def test_a_scope_holds_the_records_of_its_part(catalog: ActionCatalog) -> None:
    [action] = catalog.resolve(ActionRef(5, 95))
    assert ActieprogrammaRef(action.actieprogramma or "").contains(action) and ProgrammeRef(5).contains(action)
    assert not ProgrammeRef(3).contains(action) and not ActieprogrammaRef("5.1").contains(action)


@pytest.mark.parametrize(
    ("query", "references"),
    [
        ("5.95 en 5.96", [ActionRef(5, 95), ActionRef(5, 96)]),
        ("5.97, 5.98 en 5.99", [ActionRef(5, 97), ActionRef(5, 98), ActionRef(5, 99)]),
        ("actie 5.95 en actieprogramma 3.3", [ActionRef(5, 95), ActieprogrammaRef("3.3")]),
        ("p6 a31 en p6 a32", [ActionRef(6, 31), ActionRef(6, 32)]),
        ("5.95 of toch 5.95", [ActionRef(5, 95)]),
        ("programma 5", [ProgrammeRef(5)]),
        ("4.000 fietsparkeerplaatsen", []),
        ("5.95-5.97", [ActionRef(5, 95), ActionRef(5, 96), ActionRef(5, 97)]),
        ("acties 5.95 tot 5.97 en 6.31", [ActionRef(5, 95), ActionRef(5, 96), ActionRef(5, 97), ActionRef(6, 31)]),
        ("5.95 t/m 97", [ActionRef(5, 95), ActionRef(5, 96), ActionRef(5, 97)]),
        ("5.95-6.3", [ActionRef(5, 95), ActionRef(6, 3)]),  # two programmes: the two ends
        ("5.1-5.201", [ActionRef(5, 1), ActionRef(5, 201)]),  # too long a range: the two ends
        ("loopt 5.95 tot 10 december?", [ActionRef(5, 95)]),
    ],
)
def test_every_reference_named_in_order(query: str, references: list[object]) -> None:
    assert parse_references(query) == references


@pytest.fixture(scope="module")
def catalog() -> ActionCatalog:
    source = plan_source()
    return ActionCatalog(parse_plan_text(Path(source.path).read_text(encoding="utf-8"), source))


def test_action_resolves_to_its_record(catalog: ActionCatalog) -> None:
    (record,) = catalog.resolve(ActionRef(5, 95))
    assert record.text.startswith("We ondersteunen de stedelijke adviesraad kinderopvang")


def test_an_action_is_about_its_subheading_else_its_actieprogrammas_title(catalog: ActionCatalog) -> None:
    assert catalog.subject(ActionRef(5, 95)) == "KINDEROPVANG"
    assert catalog.subject(ActionRef(3, 45)) == "We investeren in Leuven als fietsstad."
    assert catalog.subject(ActionRef(5, 999)) is None


def test_actieprogramma_resolves_to_all_its_actions(catalog: ActionCatalog) -> None:
    records = catalog.resolve(ActieprogrammaRef("5.5"))
    assert records[0].action == 95
    assert all(record.actieprogramma == "5.5" for record in records)
    assert [r.action for r in records] == list(range(95, 95 + len(records)))


def test_a_programme_resolves_to_its_introduction_then_its_actions(catalog: ActionCatalog) -> None:
    intro, *actions = catalog.resolve(ProgrammeRef(5))
    assert intro.kind is RecordKind.INTRO and intro.programme == 5 and intro.actieprogramma is None
    assert all(record.kind is RecordKind.ACTION and record.programme == 5 for record in actions)
    assert [record.action for record in actions] == sorted(record.action or 0 for record in actions)
    assert [actions[0].actieprogramma for actions in catalog.actieprogrammas(5)] == ["5.1", "5.2", "5.3", "5.4", "5.5"]


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        (ActionRef(3, 999), "actie 3.999 bestaat niet; programma 3 heeft acties 1 tot 161"),
        (ActionRef(11, 1), "programma 11 bestaat niet; de programma's zijn 1 tot 10"),
        (ActieprogrammaRef("5.9"), "actieprogramma 5.9 bestaat niet"),
        (ProgrammeRef(11), "programma 11 bestaat niet; de programma's zijn 1 tot 10"),
    ],
)
def test_unknown_references_name_the_valid_range(catalog: ActionCatalog, reference: object, message: str) -> None:
    with pytest.raises(UnknownReferenceError, match=message):
        catalog.resolve(reference)  # type: ignore[arg-type]
