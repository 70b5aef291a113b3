"""Every fixed sentence Planwijzer says to a user, in Dutch and in English, in one place.

The plan itself is only in Dutch: English answers frame Dutch quotes and say so once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    lead: str
    lead_lookup: str
    lead_more: str  # after "meer daarover"
    lead_mentions: str  # {words} named in {count} {places}, for "welke acties noemen de NMBS?"
    mentions_shown: str  # {shown}, added to it when more records name the words than the answer cites
    place: str
    places: str
    lead_within: str  # "{part}": a search kept to a programme or actieprogramma
    lead_nothing_within: str  # "{part}": nothing there came close; what it holds follows
    actieprogramma_part: str  # "{number}": the part named in lead_within
    programme_part: str  # "{number}"
    dutch_only: str
    whole_city: str  # when the question named a part of the city that no cited record names
    source_plan: str  # "{title}" and "{period}" are filled in
    source_page: str
    actieprogramma: str  # "{number}" and "{title}"
    programme: str  # "{number}" and "{title}"
    programme_inline: str  # the same inside a sentence
    no_actieprogramma: str
    programme_contents: str  # "{number}" and "{title}": above a programme's actieprogramma's
    actieprogramma_line: str  # "{number}", "{title}" and "{actions}"
    plan_contents: str  # "{count}": above the list of the plan's programmes
    programme_line: str  # "{number}", "{title}" and "{actions}"
    not_found: str
    not_found_service: str  # for prices, opening hours and collection days
    not_found_news: str  # for results, the population, the weather and the best restaurants
    not_found_unknown_words: str  # {words}: the question's words the plan never uses
    not_found_other_place: str  # {places}: the places outside Leuven the question names
    not_found_suggestions: str  # "{programmes}"
    nothing_more: str  # "meer daarover", and the conversation cited all there is
    greeting: str  # "hallo", "wat kan je?"
    thanks: str  # "bedankt"
    acknowledgement: str  # "ok", "super"
    no_topic: str  # "{count}": "wat doet de stad?", above the list of the plan's programmes
    contact: str
    conjunction: str


CONTACT_ADDRESS = "Stadskantoor, Professor Van Overstraetenplein 1, 3000 Leuven"

PHRASES: dict[str, Phrases] = {
    "nl": Phrases(
        lead="Dit staat er in het plan over uw vraag:",
        lead_lookup="Dit staat er in het plan:",
        lead_more="Verder staat er in het plan hierover:",
        lead_mentions="Het plan noemt „{words}” op {count} {places}",
        mentions_shown="; hieronder de eerste {shown}, in de volgorde van het plan",
        place="plaats",
        places="plaatsen",
        lead_within="Dit staat er in {part} van het plan over uw vraag:",
        lead_nothing_within="Over uw vraag vind ik niets in {part}. Dit staat erin:",
        actieprogramma_part="actieprogramma {number}",
        programme_part="programma {number}",
        dutch_only="",
        whole_city="Het plan noemt {places} hier niet apart: deze acties gelden voor de hele stad.",
        source_plan="{title}",
        source_page="{title}, plan {period}",
        actieprogramma="Actieprogramma {number}: {title}",
        programme="Programma {number}: {title}",
        programme_inline="programma {number} ({title})",
        no_actieprogramma="Algemeen",
        programme_contents="De actieprogramma's van programma {number} ({title}):",
        actieprogramma_line="- {number} {title} ({actions} acties)",
        plan_contents=(
            "Het plan van de stad heeft {count} programma's. Vraag naar een programma om zijn actieprogramma's te zien:"
        ),
        programme_line="- {number}. {title} ({actions} acties)",
        not_found="Daarover vind ik niets in het plan van de stad.",
        not_found_service=(
            "Het plan van de stad zegt wat de stad wil doen; prijzen, openingsuren en ophaaldagen staan er niet in."
        ),
        not_found_news=(
            "Het plan van de stad zegt wat de stad wil doen; uitslagen, het aantal inwoners, het weer en de"
            " beste adressen om te eten of te winkelen staan er niet in."
        ),
        not_found_unknown_words="Het plan van de stad spreekt nergens over „{words}”.",
        not_found_other_place="Het plan van de stad gaat over Leuven: over {places} zegt het hier niets.",
        not_found_suggestions="Misschien vindt u verwante beloftes in {programmes}.",
        nothing_more="Meer vind ik daarover niet in het plan van de stad.",
        greeting=(
            "Hallo! Ik beantwoord vragen over het beleidsplan van de stad Leuven met de woorden van het plan zelf,"
            " en ik zeg bij elk antwoord uit welke actie het komt. Vraag bijvoorbeeld: „Komen er meer plaatsen in"
            " de kinderopvang?” Of zoek een actie op met haar nummer: „actie 5.95”."
        ),
        thanks="Graag gedaan! Hebt u nog een vraag over het plan van de stad?",
        acknowledgement="Hebt u nog een vraag over het plan van de stad?",
        no_topic=(
            "Waarover wilt u iets weten? Noem een onderwerp, bijvoorbeeld: „Komen er meer plaatsen in de"
            " kinderopvang?” Het plan van de stad heeft {count} programma's:"
        ),
        contact=f"Met uw vraag kunt u ook terecht bij het {CONTACT_ADDRESS}.",
        conjunction="of",
    ),
    "en": Phrases(
        lead="This is what the city's plan says about your question:",
        lead_lookup="This is what the city's plan says:",
        lead_more="The city's plan also says this about it:",
        lead_mentions="The city's plan mentions “{words}” in {count} {places}",
        mentions_shown="; below are the first {shown}, in the plan's order",
        place="place",
        places="places",
        lead_within="This is what {part} of the city's plan says about your question:",
        lead_nothing_within="I find nothing on your question in {part}. This is what it holds:",
        actieprogramma_part="actieprogramma {number}",
        programme_part="programme {number}",
        dutch_only="The plan is only available in Dutch, so the quotes below are in Dutch.",
        whole_city="The plan does not single out {places} here: these actions are for the whole city.",
        source_plan="{title}, the city's policy plan",
        source_page="{title} (city web page, plan {period})",
        actieprogramma="Action programme {number}: {title}",
        programme="Programme {number}: {title}",
        programme_inline="programme {number} ({title})",
        no_actieprogramma="General",
        programme_contents="The action programmes of programme {number} ({title}):",
        actieprogramma_line="- {number} {title} ({actions} actions)",
        plan_contents="The city's plan has {count} programmes. Ask for one to see its action programmes:",
        programme_line="- {number}. {title} ({actions} actions)",
        not_found="I cannot find anything about this in the city's plan.",
        not_found_service=(
            "The city's plan says what the city intends to do; prices, opening hours and collection days are not in it."
        ),
        not_found_news=(
            "The city's plan says what the city intends to do; results, the population, the weather and the"
            " best places to eat or shop are not in it."
        ),
        not_found_unknown_words="The city's plan nowhere mentions “{words}”.",
        not_found_other_place="The city's plan is about Leuven: it says nothing on this about {places}.",
        not_found_suggestions="Related commitments may be in {programmes}.",
        nothing_more="The city's plan says nothing more about this.",
        greeting=(
            "Hello! I answer questions about the city of Leuven's policy plan in the plan's own words, and with"
            " every answer I say which action it comes from. Ask, for example: “Will there be more childcare"
            " places?” Or look up an action by its number: “action 5.95”."
        ),
        thanks="You're welcome! Anything else about the city's plan?",
        acknowledgement="Anything else you would like to know about the city's plan?",
        no_topic=(
            "What would you like to know about? Name a topic, for example: “Will there be more childcare"
            " places?” The city's plan has {count} programmes:"
        ),
        contact=f"You can also ask the city directly at the {CONTACT_ADDRESS}.",
        conjunction="or",
    ),
}
