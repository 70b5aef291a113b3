import pytest

from planwijzer.service.scope import (
    asks_for_news,
    asks_for_plan_overview,
    asks_for_service_information,
    mentioned_words,
    mentions,
    names_a_topic,
    names_place,
    other_places_in,
    place_names_in,
    small_talk,
    without_frame_words,
    without_place_names,
)


@pytest.mark.parametrize(
    "question",
    [
        "Hoeveel kost een bewonerskaart om te parkeren per jaar?",
        "wat kost een nieuwe identiteitskaart",
        "Kan ik nog trouwen in het stadhuis en wat kost dat?",
        "wat zijn de openingsuren van het stadskantoor op zaterdag?",
        "hoe laat sluit het containerpark",
        "tot hoe laat is de bib open?",
        "wanneer wordt de blauwe zak opgehaald in mijn straat?",
        "Wanneer worden de kerstbomen opgehaald?",
        "waar vind ik de ophaalkalender",
        "How much does a train ticket to Brussels cost?",
        "What are the opening hours of the city library?",
        "when is the recycling park open on sunday",
        "wanneer gaat het containerpark open op zondag",
        "is de bib open op zaterdagen?",
        "When will the green waste be collected?",
        "Hóéveel kóst een rit met de bus?",  # accents are folded before matching
        "waar kan ik een nieuwe identiteitskaart aanvragen",
        "paspoort aanvragen",
        "rijbewijs verlengen",
        "verhuis doorgeven",
        "How do I register my address when I move to Leuven?",
        "Where can I renew my passport?",
        "hoeveel kinderbijslag krijg ik voor mijn tweede kind",
        "How much child benefit do I get?",
        "mag ik nen omheining zetten rond mijn voortuin zonder vergunning",
        "heb ik een vergunning nodig voor een carport?",
        "Do I need a permit to cut down a tree in my garden?",
        "My residence permit application has been pending for 3 months, can you check the status?",
        "hoe vraag ik een verblijfsvergunning aan",
        "waar blijft mijn aanvraag voor een bewonerskaart?",
        "Can you check the status of my request?",
        "hoe vul ik mijn belastingaangifte in via tax-on-web?",
        "hoe vul ik mijn belastingaangifte in via tax on web",
        "When do I have to file my tax return?",
    ],
)
def test_requests_for_prices_hours_and_collection_days_are_service_information(question: str) -> None:
    assert asks_for_service_information(question)


@pytest.mark.parametrize(
    "question",
    [
        "wordt de kinderopvnag betaalbaarder? de kribbe kost ons een fortuin",
        "worden de parkeertarieven in de binnenstad hoger?",
        "Wat belooft de stad over het OCMW-tarief?",
        "Hoeveel budget reserveert de stad voor Zorg Leuven?",
        "hoeveel sociale woningen wil de stad tegen 2025 halen?",
        "komen er meer openbare toiletten die 's nachts open zijn?",
        "wanneer komt er een nieuwe brug over de vaart?",
        "wanneer gaat het nieuwe zwembad open?",
        "Will the city buses all be electric soon?",
        "How will the city keep housing affordable?",
        "Digitaliseert de stad haar dienstverlening aan het loket?",
        "Krijgen nieuwe SVK-woningen een conformiteitsattest?",
        "hoeveel sociale woningen komen er bij?",
        "krijg ik meer kinderbijslag?",
        "komen er regels voor deelsteps die zonder vergunning rondrijden?",
        "hoe gaat de stad om met de aanvragen voor een omgevingsvergunning?",
        "Will the city check the air quality near schools?",
        "Verhoogt de stad de aanvullende personenbelasting?",
        "wordt de belastingaangifte van de gemeentebelastingen digitaal?",
    ],
)
def test_policy_questions_are_not(question: str) -> None:
    assert not asks_for_service_information(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who won the municipal elections in Leuven in 2018?",
        "wat was de uitslag van OHL gisteren?",
        "wie heeft de verkiezingen in Leuven gewonnen?",
        "Wie wint de Ronde van Vlaanderen?",
        "gaat het morgen regenen in leuven?",
        "what's the weather going to be like this weekend",
        "Will it rain on Saturday?",
        "Wat zegt het weerbericht voor zondag?",
        "wie is de burgemeester van leuven?",
        "Wie zijn de schepenen?",
        "Who is the mayor of Leuven?",
        "wat is het beste restaurant in leuven",
        "Wat zijn de leukste cafés?",
        "waar kan ik lekker eten in Leuven?",
        "What is the best restaurant in town?",
        "where can I eat near the station?",
        "What's the best kebab place in Leuven?",
        "waar is de lekkerste pitta?",
        "best pizza in town?",
        "Can you recommend a good Indian restaurant near the Oude Markt?",
        "how many people live in leuven",
        "What's the population of Leuven?",
        "hoeveel inwoners heeft leuven?",
        "hoeveel studenten wonen er in Leuven?",
    ],
)
def test_results_the_population_the_weather_and_the_best_restaurants_are_news(question: str) -> None:
    assert asks_for_news(question)
    assert not asks_for_service_information(question)


@pytest.mark.parametrize(
    "question",
    [
        "Wat doet de stad tegen extreme hitte en droogte?",
        "Is Leuven preparing for extreme weather and floods?",
        "komt de zondagsmarkt weer terug?",
        "Wie helpt mij als mantelzorger?",
        "Wat doet de stad met de resultaten van de bevraging?",
        "Will the city win back space for pedestrians?",
        "Wat doet de burgemeester voor de binnenstad?",
        "Ondertekent de stad het burgemeestersconvenant?",
        "Who is the city helping with energy bills?",
        "steunt de stad de lokale handelaars?",
        "wat doet de stad voor de horeca?",
        "komt er een beter aanbod van winkels in de deelgemeenten?",
        "How does the city support local shops?",
        "What's the best way to support local shops?",
        "Does the city promote good coffee bars on the Oude Markt?",
        "hoeveel sociale woningen wil de stad tegen 2025 halen?",
        "How many people will the new housing plan reach?",
    ],
)
def test_policy_on_nearby_topics_is_not_news(question: str) -> None:
    assert not asks_for_news(question)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Hallo!", "greeting"),
        ("goedemorgen Planwijzer", "greeting"),
        ("Hi", "greeting"),
        ("wat kan je?", "greeting"),
        ("Who are you?", "greeting"),
        ("help", "greeting"),
        ("hoe werkt dit?", "greeting"),
        ("Bedankt!", "thanks"),
        ("dank u wel voor de info", "thanks"),
        ("ok, thanks a lot", "thanks"),
        ("Merci 🙂", "thanks"),
        ("ok", "acknowledgement"),
        ("Oké, super!", "acknowledgement"),
        ("ja", "acknowledgement"),
        ("hmm", "acknowledgement"),
        ("👍", "acknowledgement"),
        ("I see", "acknowledgement"),
    ],
)
def test_greetings_thanks_and_acknowledgements_are_small_talk(message: str, kind: str) -> None:
    assert small_talk(message) == kind


@pytest.mark.parametrize(
    "message",
    [
        "hallo, komen er meer plaatsen in de kinderopvang?",
        "help bij het invullen van mijn premie-aanvraag",
        "bedankt aan de vrijwilligers: steunt de stad hen?",
        "wat kan de stad doen tegen zwerfvuil?",
        "Who are the people on the city council?",
        "ok en voor senioren?",
        "nee, ik bedoel fietspaden",
        "goed onderhouden fietspaden?",
    ],
)
def test_a_question_with_a_greeting_in_it_is_not_small_talk(message: str) -> None:
    assert small_talk(message) is None


@pytest.mark.parametrize(
    "message",
    [
        "Welke programma's zijn er?",
        "waarover gaat het plan?",
        "Wat staat er allemaal in de bestuursnota?",
        "overzicht",
        "toon alle programma's",
        "What is the plan about?",
        "Which programmes are there?",
        "list the programmes",
    ],
)
def test_asking_what_the_plan_holds_is_a_plan_overview(message: str) -> None:
    assert asks_for_plan_overview(message)


@pytest.mark.parametrize(
    "message",
    [
        "wat staat er in het plan over kinderopvang?",
        "welke programma's gaan over fietsers?",
        "programma 5",
        "What is the plan about for cyclists?",
        "overzicht van de premies voor renovatie",
    ],
)
def test_a_question_with_a_topic_is_not_a_plan_overview(message: str) -> None:
    assert not asks_for_plan_overview(message)


@pytest.mark.parametrize(
    "question",
    [
        "wat doet de stad?",
        "Wat belooft het stadsbestuur eigenlijk?",
        "wat zijn de plannen van leuven",
        "vertel me iets",
        "wat gebeurt er in 2025?",
        "Stad.",
        "What is the city doing?",
        "tell me something about the plans",
        "and what else?",
    ],
)
def test_a_question_of_frame_words_alone_names_no_topic(question: str) -> None:
    assert not names_a_topic(question)


@pytest.mark.parametrize(
    "question",
    [
        "wat doet de stad voor ouderen?",
        "kinderopvnag",  # a misspelt word is still a topic
        "wat doet de stad aan de Vaartkom?",
        "What is the city doing about parking?",
        "komt er een kabelbaan?",  # a topic the plan lacks is for the search to find out
        "sport",
    ],
)
def test_one_word_beyond_the_frame_is_a_topic(question: str) -> None:
    assert names_a_topic(question)


def test_frame_words_are_left_out_of_a_question_and_the_rest_kept_in_order() -> None:
    assert without_frame_words("Komt er een nieuw zwembad in de stad?") == "er een zwembad in de"
    # a time of year or day places the topic, it does not name one
    assert without_frame_words("komt er een ijsbaan in de winter?") == "er een ijsbaan in de"
    assert without_frame_words("is de bib 's avonds open?") == "is de bib s open"
    # how many or whether, and asking to be given, frame the topic too
    assert without_frame_words("komt er een zwembad of niet?") == "er een zwembad of"
    assert without_frame_words("komt er een tweede containerpark?") == "er een containerpark"
    assert without_frame_words("kan ik subsidie krijgen voor zonnepanelen?") == "kan ik subsidie voor zonnepanelen"
    # and so do how big and how good a thing should be, in either language
    assert without_frame_words("komt er een grote speeltuin?") == "er een speeltuin"
    assert without_frame_words("a new or bigger swimming pool, to keep it cooler") == "a or swimming pool to it"


def test_a_part_of_the_city_is_named_as_the_list_writes_it_however_the_question_does() -> None:
    assert place_names_in("fietsen in kessel lo, Kessel-Lo en KESSELLO") == ("kessel-lo",)
    assert place_names_in("speeltuin in Wilsele Putkapel of in wijgmaal?") == ("wilsele-putkapel", "wijgmaal")
    assert place_names_in("wandelen in het Heverleebos") == ()


def test_a_place_outside_leuven_is_named_as_the_list_writes_the_name_the_question_uses() -> None:
    assert other_places_in("Hoe werkt het circulatieplan in Gent?") == ("Gent",)
    assert other_places_in("How does Ghent's circulation plan work?") == ("Ghent",)
    assert other_places_in("fietsen naar brussel, Bruxelles of BRUSSELS") == ("Brussel",)
    assert other_places_in("zwembad in Liege of Liège") == ("Liège",)  # one name, with or without accent
    assert other_places_in("samen met louvain la neuve") == ("Louvain-la-Neuve",)
    # A neighbouring town is not the part of Leuven whose name it holds, and words that are
    # also place names elsewhere ("namen", "bergen") or Leuven in French are not other places.
    assert other_places_in("sporthal in Oud Heverlee") == ("Oud-Heverlee",)
    assert place_names_in("sporthal in Oud Heverlee") == ()
    assert other_places_in("welke namen staan er op de bergen in Louvain?") == ()


@pytest.mark.parametrize(
    ("text", "place", "names"),
    [
        ("We optimaliseren de bestaande fietssnelwegen naar Brussel en Mechelen.", "Brussels", True),
        ("We optimaliseren de bestaande fietssnelwegen naar Brussel en Mechelen.", "Bruxelles", True),
        ("We optimaliseren de bestaande fietssnelwegen naar Brussel en Mechelen.", "Gent", False),
        ("in overleg met de buurgemeenten", "Herent", True),  # a neighbour, spoken of as one
        ("in overleg met de buurgemeenten", "Gent", False),
    ],
)
def test_a_text_names_a_place_in_any_way_of_writing_it_or_a_word_that_speaks_of_it(
    text: str, place: str, names: bool
) -> None:
    assert names_place(text, place) is names


@pytest.mark.parametrize(
    ("question", "without"),
    [
        ("is er kinderopvang in heverlee?", "is er kinderopvang?"),
        ("zijn er plannen voor deelauto's in Kessel-Lo", "zijn er plannen voor deelauto's"),
        ("meer fietsenstallingen in kessel lo?", "meer fietsenstallingen?"),
        ("komt er een speeltuin in wilsele-dorp", "komt er een speeltuin"),
        ("Will there be childcare in Heverlee?", "Will there be childcare?"),
        ("Heverlee? greener centre", "greener centre"),  # a follow-up, with the words it carries
        ("wat gebeurt er in wijgmaal?", "wat gebeurt er in wijgmaal?"),  # nothing else is named
        ("heverlee", "heverlee"),
        ("komt er een nieuw zwembad?", "komt er een nieuw zwembad?"),
        ("komt er een  nieuw zwembad ?", "komt er een  nieuw zwembad ?"),  # no place: left as typed
        ("wat staat er over de Heverleestraat?", "wat staat er over de Heverleestraat?"),  # a word, not the place
    ],
)
def test_the_part_of_the_city_a_question_is_placed_in_is_left_out_when_a_topic_remains(
    question: str, without: str
) -> None:
    assert without_place_names(question) == without


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("welke acties noemen de NMBS?", "NMBS"),
        ("Which actions mention the NMBS?", "NMBS"),
        ("Which actions mention De Lijn?", "De Lijn"),  # a capital keeps the article: a name
        ("In welke acties staat 'Kessel-Lo'?", "Kessel-Lo"),
        ("welke acties vermelden het woord „buurtbudget” in het plan?", "buurtbudget"),
        ("waar noemt het plan de Vaartkom?", "Vaartkom"),
        ("actions mentioning the word ocmw", "ocmw"),
        ("Where does the plan mention KU Leuven?", "KU Leuven"),
        ("alle acties over kinderopvang", "kinderopvang"),  # all of them: a list
        ("Show all actions about the NMBS", "NMBS"),
        ("welke actie noemt de Vaartkom?", "Vaartkom"),  # one action asked for, all given
        ("welke daarvan vermelden Wijgmaal?", "Wijgmaal"),
        ("which one mentions M Leuven?", "M Leuven"),
        ("Which action mentions the NMBS?", "NMBS"),
        ("welke acties gaan over fietsdiefstal?", None),  # a topic: searched as any question is
        ("welke acties noemen?", None),
        ("noemt de stad een datum voor de tram?", None),
    ],
)
def test_a_question_for_every_action_that_names_something_gives_what_it_names(question: str, words: str | None) -> None:
    assert mentioned_words(question) == words


@pytest.mark.parametrize(
    ("text", "words", "held"),
    [
        ("uitgebreid (nieuwe NMBS-fietsenstalling onder het plein)", "nmbs", True),
        ("We starten onderhandelingen met De Lijn over", "de lijn", True),
        ("meer fietsenstallingen aan het station", "fietsenstalling", True),  # the start of a word
        ("in Kessel Lo en Heverlee", "Kessel-Lo", True),
        ("een geïntegreerd beleid", "geintegreerd", True),
        ("de grootste stad", "oost", False),  # not inside a word
        ("De Lijn en de NMBS", "NMBS De Lijn", False),  # in that order
    ],
)
def test_a_text_holds_the_words_asked_for_at_the_start_of_a_word(text: str, words: str, held: bool) -> None:
    assert mentions(text, words) is held
