import pytest

from planwijzer.index.analysis import DutchAnalyzer, EnglishAnalyzer, WordPairAnalyzer, dutch_stopwords
from planwijzer.text import fold


@pytest.fixture(scope="module")
def analyzer() -> DutchAnalyzer:
    return DutchAnalyzer()


def test_fold_lowers_and_strips_accents() -> None:
    assert fold("Geïntegreerd beleid, financiën, Één café") == "geintegreerd beleid, financien, een cafe"


def test_stopwords_and_single_letters_are_dropped(analyzer: DutchAnalyzer) -> None:
    assert analyzer.tokens("Komen er meer plaatsen in de kinderopvang?") == ["komen", "plaatsen", "kinderopvang"]
    assert analyzer.tokens("programma’s") == ["programma"]
    assert analyzer.tokens("3000 Leuven") == ["3000", "leuven"]
    # texted forms of function words go too: "mn" is "mijn", "m'n" falls apart into single letters
    assert analyzer.tokens("mn fiets, m'n fiets, zn fiets") == ["fiets", "fiets", "fiets"]


@pytest.mark.parametrize(
    "variants",
    [
        ("kinderopvangplaatsen", "kinderopvangplaats"),
        ("fietsenstalling", "fietsenstallingen"),
        ("woningen", "woning"),
        ("financiën", "financien"),
        ("buurtwerk", "buurtwerken"),
        ("fiets", "fietsen"),  # a stem override: Snowball gives "fiet" and "fiets"
        ("kind", "kinderen"),
        ("ouderen", "oudere"),
    ],
)
def test_variants_share_a_stem(analyzer: DutchAnalyzer, variants: tuple[str, ...]) -> None:
    stems = {tuple(analyzer.terms(word)) for word in variants}
    assert len(stems) == 1 and len(next(iter(stems))) == 1


def test_the_elderly_are_not_parents(analyzer: DutchAnalyzer) -> None:
    assert analyzer.terms("ouderen") != analyzer.terms("ouders")


def test_hyphenated_words_split(analyzer: DutchAnalyzer) -> None:
    assert analyzer.terms("OCMW-tarief") == ["ocmw", "tarief"]


def test_stopword_list_is_folded_lower_case() -> None:
    words = dutch_stopwords()
    assert {"de", "het", "een", "en", "van"} <= words
    assert all(word == fold(word) and " " not in word for word in words)


def test_word_pairs_join_neighbours_across_function_words_but_not_punctuation() -> None:
    pairs = WordPairAnalyzer()
    assert pairs.terms("het OCMW-tarief voor kinderopvang") == ["ocmw_tarief", "tarief_kinderopvang"]
    assert pairs.terms("de fietsenstalling aan het station") == pairs.terms("fietsenstalling station")
    assert pairs.terms("de stad, het OCMW") == []
    assert pairs.terms("kinderopvang") == [] and pairs.terms("") == []


def test_english_plurals_that_snowball_gets_wrong_meet_their_singular() -> None:
    english = EnglishAnalyzer(frozenset({"for"}))
    assert english.terms("night buses") == english.terms("night bus") == ["night", "bus"]
    assert english.terms("NGOs") == english.terms("ngo")
    assert english.terms("parking") != english.terms("park")
    assert english.terms("neighborhood center") == english.terms("neighbourhood centre")


def test_an_english_hyphenated_word_is_also_read_as_one() -> None:
    english = EnglishAnalyzer(frozenset({"up"}))
    assert set(english.terms("startups")) <= set(english.terms("start-up grant"))
