"""The plan parser on small snippets, one per tricky form of the bestuursnota's text."""

from __future__ import annotations

import textwrap

import pytest

from planwijzer.errors import CorpusError, NumberingError
from planwijzer.ingest.plan import parse_plan_text
from planwijzer.ingest.records import Record, RecordKind, Source
from tests.conftest import plan_source

SOURCE: Source = plan_source()


def as_extracted(snippet: str) -> str:
    """Write a snippet the way the PDF extraction left the plan: an empty line after every
    line, and a paragraph gap as a line holding one space."""
    out = []
    for line in textwrap.dedent(snippet).strip("\n").splitlines():
        out.append(" " if not line.strip() else line + " ")
        out.append("")
    return "\n".join(out)


def parse(snippet: str) -> list[Record]:
    return parse_plan_text(as_extracted(snippet), SOURCE)


def actions(records: list[Record]) -> dict[tuple[int | None, int | None], Record]:
    return {(r.programme, r.action): r for r in records if r.kind is RecordKind.ACTION}


def test_programme_title_wraps_onto_a_second_line() -> None:
    records = parse("""
        PROGRAMMA 1: VERBONDEN, BETROKKEN EN
        PARTICIPATIEVE STAD

        In een verbonden stad voelen inwoners zich thuis.
        1. De stad reikt kaders aan.
    """)
    intro, action = records
    assert intro.kind is RecordKind.INTRO
    assert intro.id == "bestuursnota-2019-2024/p1/intro"
    assert intro.citation == "Bestuursnota 2019-2024, programma 1, inleiding"
    assert intro.text == "In een verbonden stad voelen inwoners zich thuis."
    assert action.programme_title == "Verbonden, betrokken en participatieve stad"


@pytest.mark.parametrize(
    ("heading", "expected_id"),
    [
        ("Actieprogramma 5.5 Specifiek beleid voor doelgroepen", "5.5"),
        ("Actieprogramma 8.3. De stad bouwt sportinfrastructuur", "8.3"),
        ("Actieprogramma 5.2: Werken in alle buurten", "5.2"),
        (" Actieprogramma 1.4 Mondiaal engagement", "1.4"),
    ],
)
def test_actieprogramma_heading_forms(heading: str, expected_id: str) -> None:
    programme = int(expected_id.split(".")[0])
    records = parse(f"""
        PROGRAMMA {programme}: TITEL
        {heading}
        1. Een actie.
    """)
    (action,) = actions(records).values()
    assert action.actieprogramma == expected_id
    assert not action.actieprogramma_title.startswith((".", ":"))


def test_actieprogramma_title_wraps_onto_lower_case_lines_then_the_intro_starts() -> None:
    records = parse("""
        PROGRAMMA 1: TITEL
        Actieprogramma 1.1 We stimuleren ontmoeting via (ondersteuning werking en activiteiten
        van) buurten, vrijwilligerswerkingen en middenveld.
        We streven ernaar dat iedere inwoner anderen kan ontmoeten.
        1. De stad reikt kaders aan.
    """)
    intro = next(r for r in records if r.kind is RecordKind.INTRO and r.actieprogramma == "1.1")
    assert intro.actieprogramma_title == (
        "We stimuleren ontmoeting via (ondersteuning werking en activiteiten "
        "van) buurten, vrijwilligerswerkingen en middenveld."
    )
    assert intro.text == "We streven ernaar dat iedere inwoner anderen kan ontmoeten."
    assert intro.id == "bestuursnota-2019-2024/p1/ap1.1/intro"
    assert intro.citation == "Bestuursnota 2019-2024, actieprogramma 1.1, inleiding"


def test_a_title_that_ends_in_a_full_stop_does_not_swallow_the_note_below_it() -> None:
    records = parse("""
        PROGRAMMA 7: TITEL
        Actieprogramma 7.5 Leuven als regionale en internationale speler.
        (zie ook programma 10)
        1. Een actie.
    """)
    intro = next(r for r in records if r.kind is RecordKind.INTRO and r.actieprogramma == "7.5")
    assert intro.actieprogramma_title == "Leuven als regionale en internationale speler."
    assert intro.text == "(zie ook programma 10)"


def test_actions_are_numbered_per_programme_across_actieprogrammas() -> None:
    records = parse("""
        PROGRAMMA 5: INCLUSIEVE EN ZORGZAME STAD
        Actieprogramma 5.4 Lokaal sociaal beleid
        1. Eerste actie.
        2. Tweede actie.
        Actieprogramma 5.5 Specifiek beleid voor doelgroepen
        3. Derde actie.
        PROGRAMMA 6: DUURZAME STAD
        1. Opnieuw de eerste.
    """)
    found = {key: record.actieprogramma for key, record in actions(records).items()}
    assert found == {(5, 1): "5.4", (5, 2): "5.4", (5, 3): "5.5", (6, 1): None}


def test_upper_case_subheadings_head_their_actions_and_have_their_own_intro() -> None:
    records = parse("""
        PROGRAMMA 5: TITEL
        Actieprogramma 5.5 Specifiek beleid voor doelgroepen
        KINDEROPVANG
        Kinderopvang van hoge kwaliteit heeft positieve effecten.
        1. We ondersteunen de stedelijke adviesraad kinderopvang.
        SENIORENBELEID
        2. We maken werk van een seniorenplan.
    """)
    by_number = actions(records)
    assert by_number[(5, 1)].subheading == "KINDEROPVANG"
    assert by_number[(5, 2)].subheading == "SENIORENBELEID"
    intro = next(r for r in records if r.kind is RecordKind.INTRO)
    assert intro.id == "bestuursnota-2019-2024/p5/ap5.5/intro/kinderopvang"
    assert intro.citation == "Bestuursnota 2019-2024, actieprogramma 5.5 › KINDEROPVANG"
    assert intro.text == "Kinderopvang van hoge kwaliteit heeft positieve effecten."


def test_a_subheading_that_wraps_is_one_subheading() -> None:
    records = parse("""
        PROGRAMMA 4: TITEL
        Actieprogramma 4.1 Open ruimte
        BEWAREN VAN DE CULTUURHISTORISCHE LANDSCHAPPEN EN OPEN
        RUIMTEGEBIEDEN MET GEÏNTEGREERDE BEBOUWING
        1. Een actie.
    """)
    assert actions(records)[(4, 1)].subheading == (
        "BEWAREN VAN DE CULTUURHISTORISCHE LANDSCHAPPEN EN OPEN RUIMTEGEBIEDEN MET GEÏNTEGREERDE BEBOUWING"
    )


def test_algemeen_block_before_the_first_actieprogramma() -> None:
    records = parse("""
        PROGRAMMA 2: BETAALBAAR WONEN
        De stad voert een ambitieus woonbeleid.

        Algemeen:
        1. We maken werk van een woonbeleidsplan.
        Actieprogramma 2.1 We investeren in sociale huisvesting.
        2. We halen het bindend sociaal objectief.
    """)
    by_number = actions(records)
    assert (by_number[(2, 1)].actieprogramma, by_number[(2, 1)].subheading) == (None, "Algemeen")
    assert (by_number[(2, 2)].actieprogramma, by_number[(2, 2)].subheading) == ("2.1", None)
    assert by_number[(2, 1)].citation == "Bestuursnota 2019-2024, programma 2, actie 1"


def test_multi_line_action_with_bullets_page_break_and_page_number() -> None:
    records = parse(
        """
        PROGRAMMA 6: TITEL
        44. De stad versnelt de inspanningen op vlak van duurzame
        energieproductie:
        • De stad voert een ruimtelijke energieplanning en creëert
        mogelijkheden voor productie uit wind, zon en biomassa.
         • De stad is een ‘living lab’ voor innovatieve projecten.

        94
        45. Volgende actie.
    """.replace("44.", "1.").replace("45.", "2.")
    )
    first = actions(records)[(6, 1)]
    assert first.text == (
        "De stad versnelt de inspanningen op vlak van duurzame energieproductie:\n"
        "- De stad voert een ruimtelijke energieplanning en creëert mogelijkheden voor productie "
        "uit wind, zon en biomassa.\n"
        "- De stad is een ‘living lab’ voor innovatieve projecten."
    )
    assert first.lines == (3, 11)


def test_a_paragraph_cut_by_a_page_break_is_joined_again() -> None:
    records = parse("""
        PROGRAMMA 4: TITEL
        1. We kijken wat er nodig is om het leven in de woonkern zo

        55

        aangenaam mogelijk te maken.
    """)
    assert actions(records)[(4, 1)].text == (
        "We kijken wat er nodig is om het leven in de woonkern zo aangenaam mogelijk te maken."
    )


def test_second_paragraph_of_an_action_stays_with_it() -> None:
    records = parse("""
        PROGRAMMA 3: TITEL
        1. We bouwen een digitale parkeerrechtendatabank uit.

        De databank vormt het hart van het digitaal parkeren.

        2. Volgende actie.
    """)
    assert actions(records)[(3, 1)].text == (
        "We bouwen een digitale parkeerrechtendatabank uit.\nDe databank vormt het hart van het digitaal parkeren."
    )


def test_short_topic_lines_head_the_actions_below_them() -> None:
    records = parse("""
        PROGRAMMA 7: TITEL
        Actieprogramma 7.1 Onderwijs
        IEDEREEN MEE
        Lerenden
        1. De stad zet kosteloos onderwijs voorop.

        Ouders
        2. We betrekken ouders bij de school.
        Ondersteuning sportverenigingen:
        3. We brengen de noden van organisaties in kaart.
    """)
    topics = {key: (r.subheading, r.topic) for key, r in actions(records).items()}
    assert topics == {
        (7, 1): ("IEDEREEN MEE", "Lerenden"),
        (7, 2): ("IEDEREEN MEE", "Ouders"),
        (7, 3): ("IEDEREEN MEE", "Ondersteuning sportverenigingen"),
    }


def test_a_lead_in_line_before_bullets_stays_inside_the_action() -> None:
    records = parse("""
        PROGRAMMA 2: TITEL
        1. We zetten in op betaalbaar wonen.
        Daarvoor gebruiken we deze middelen:
        • Eigen stadsgronden inzetten;
        • Met ontwikkelaars onderhandelen;
    """)
    (action,) = actions(records).values()
    assert action.topic is None
    assert action.text == (
        "We zetten in op betaalbaar wonen. Daarvoor gebruiken we deze middelen:\n"
        "- Eigen stadsgronden inzetten;\n- Met ontwikkelaars onderhandelen;"
    )


def test_opening_chapter_and_principles_are_intros_not_actions() -> None:
    records = parse("""
        INLEIDING
        De voorbije decennia is Leuven er sterk op vooruit gegaan.

        Principes
        Het stadsbestuur ziet enkele cruciale principes.

        1. Stad voor iedereen

        Leuven is een inclusieve stad.

        Programma’s

        1. Verbonden, betrokken en participatieve stad
        2. Betaalbaar wonen
        PROGRAMMA 1: TITEL
        1. Een actie.
    """)
    opening = [r for r in records if r.programme is None]
    assert all(r.kind is RecordKind.INTRO for r in opening)
    assert [(r.topic, r.text) for r in opening] == [
        ("INLEIDING", "De voorbije decennia is Leuven er sterk op vooruit gegaan."),
        ("Principes", "Het stadsbestuur ziet enkele cruciale principes."),
        ("1. Stad voor iedereen", "Leuven is een inclusieve stad."),
        ("Programma’s", "- 1. Verbonden, betrokken en participatieve stad\n- 2. Betaalbaar wonen"),
    ]
    assert opening[2].id == "bestuursnota-2019-2024/opening/1-stad-voor-iedereen"
    assert opening[2].citation == "Bestuursnota 2019-2024, inleiding › 1. Stad voor iedereen"
    assert list(actions(records)) == [(1, 1)]


@pytest.mark.parametrize(
    ("numbers", "kind", "found", "expected"),
    [
        ((1, 2, 4), "gap", 4, 3),
        ((1, 2, 2, 3), "duplicate", 2, 3),
        ((1, 3, 2), "out-of-order", 2, 4),
        ((2, 3), "gap", 2, 1),
    ],
)
def test_broken_numbering_is_reported_with_its_line(
    numbers: tuple[int, ...], kind: str, found: int, expected: int
) -> None:
    body = "\n".join(f"{number}. Actie nummer {number}." for number in numbers)
    text = as_extracted("PROGRAMMA 3: TITEL\n" + body)
    with pytest.raises(NumberingError, match=f"programma 3 has action {found} where {expected}") as caught:
        parse_plan_text(text, SOURCE)
    problem = next(p for p in caught.value.problems if (p.found, p.expected) == (found, expected))
    assert problem.kind == kind
    bad_line = text.splitlines()[problem.line - 1]
    assert bad_line.startswith(f"{found}. ")


def test_actieprogramma_outside_its_programme_is_refused() -> None:
    with pytest.raises(CorpusError, match="actieprogramma 4.2 is not inside programma 4"):
        parse("""
            PROGRAMMA 3: TITEL
            Actieprogramma 4.2 Verkeerd geplaatst
            1. Een actie.
        """)


def test_a_subheading_after_a_topic_line_starts_afresh() -> None:
    records = parse("""
        PROGRAMMA 7: TITEL
        Actieprogramma 7.1 Onderwijs
        IEDEREEN MEE
        Lerenden
        LEREN, LEVEN EN WERKEN
        1. De stad stimuleert levenslang leren.
    """)
    action = actions(records)[(7, 1)]
    assert (action.subheading, action.topic) == ("LEREN, LEVEN EN WERKEN", None)
