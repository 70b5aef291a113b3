import pytest

from planwijzer.language import detect_language
from planwijzer.service.quotes import ELLIPSIS, QuoteTrimmer


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("komen er meer plaatsen in de kinderopvang?", "nl"),
        ("kinderopvnag", "nl"),
        ("Will there be more bike parking at the station?", "en"),
        ("what about seniors", "en"),
        ("is er een zwembad", "nl"),
        ("", "nl"),
        ("p6 a31", "nl"),  # "a31" is part of an action number, not the English "a"
        ("i need a bike", "en"),
        ("Thanks!", "en"),
        ("Hello", "en"),
        # No function words: the words' frequencies in either language decide, by a clear margin.
        ("air quality", "en"),
        ("social housing", "en"),
        ("new playgrounds?", "en"),
        ("luchtkwaliteit", "nl"),
        ("studentenkoten", "nl"),
        ("parking", "nl"),  # everyday Flemish too
        ("museum", "nl"),
    ],
)
def test_language(question: str, language: str) -> None:
    assert detect_language(question) == language


LONG = (
    "De stad maakt een nieuw groenplan op. Daarin staan alle parken van de stad. "
    "We leggen nieuwe speelpleinen aan in elke wijk. Het groenplan wordt elk jaar geëvalueerd. "
    "De bomen langs de lanen worden vervangen door inheemse soorten die beter tegen droogte kunnen. "
    "Zo wordt de stad koeler in de zomer en blijft ze aangenaam voor wie er woont en werkt."
)


def test_a_short_record_is_quoted_whole() -> None:
    text = "We verhogen de bekendheid van het OCMW-tarief voor kinderopvang."
    assert QuoteTrimmer().quote(text, "ocmw tarief") == text


def test_a_long_record_keeps_the_sentences_the_question_is_about() -> None:
    quote = QuoteTrimmer().quote(LONG, "komen er speelpleinen in mijn wijk?")
    assert "nieuwe speelpleinen aan in elke wijk" in quote
    assert quote.startswith(ELLIPSIS) and "inheemse" not in quote


def test_without_shared_words_the_opening_sentences_stand_for_it() -> None:
    quote = QuoteTrimmer().quote(LONG, "what about trees?")
    assert quote.startswith("De stad maakt een nieuw groenplan op. Daarin staan") and quote.endswith(ELLIPSIS)
