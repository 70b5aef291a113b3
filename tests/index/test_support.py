import math
from dataclasses import replace

import pytest

from planwijzer.index.analysis import CharNgramAnalyzer
from planwijzer.index.bm25 import BM25Retriever
from planwijzer.index.lexicon import Lexicon
from planwijzer.index.search import RANKED_KINDS, Searcher
from planwijzer.index.support import LexicalSupport, plan_vocabulary
from planwijzer.ingest.records import Record
from tests.conftest import support_over


@pytest.fixture(scope="module")
def support(plan_records: list[Record]) -> LexicalSupport:
    return support_over(plan_records, Lexicon({"childcare": "kinderopvang", "places": "plaatsen"}))


def test_english_support_is_the_best_bm25_score_of_the_translated_words(
    support: LexicalSupport, plan_records: list[Record]
) -> None:
    best_ranked = Searcher(plan_records).search("kinderopvang plaatsen", k=1)[0]
    assert support.in_plan_words("More places in childcare?") == "plaatsen kinderopvang"
    assert support.english("More places in childcare?") == pytest.approx(best_ranked.score)
    assert support.english("What about the weather?") == 0.0


def test_english_keyword_support_is_how_common_the_question_s_words_are_among_the_keywords_read_as_english(
    plan_records: list[Record],
) -> None:
    records = [replace(record, keywords=("stadsbestuur", "beleid")) for record in plan_records]
    first, second = [position for position, record in enumerate(records) if record.kind in RANKED_KINDS][40:42]
    records[first] = replace(records[first], keywords=("kinderopvang", "childcare places", "day nursery"))
    records[second] = replace(records[second], keywords=("childcare",))
    support = support_over(records)
    # "childcare" is a keyword of two records, "places" of one: the mean of log(1 + records).
    assert support.english_by_keywords("childcare?") == pytest.approx(math.log(3))
    assert support.english_by_keywords("More places in childcare?") == pytest.approx((math.log(2) + math.log(3)) / 2)
    assert support.english_by_keywords("Will there be places?") == support.english_by_keywords("place")  # stems
    # a word no keyword holds counts 0, and pulls the mean down
    assert support.english_by_keywords("Will Leuven get a casino?") == 0.0
    assert support.english_by_keywords("childcare casino") == pytest.approx(math.log(3) / 2)
    assert support.english_by_keywords("?") == 0.0
    no_keywords = [replace(record, keywords=()) for record in plan_records]
    bare = support_over(no_keywords)
    assert bare.english_by_keywords("More places in childcare?") == 0.0


def test_dutch_support_is_the_best_letter_score_of_the_question_as_asked_among_the_records_found(
    support: LexicalSupport, plan_records: list[Record]
) -> None:
    question = "komen er meer plaatsen in de kinderopvang?"
    letters = BM25Retriever(plan_records, CharNgramAnalyzer(3), method="ngram")
    found = [hit.record for hit in letters.retrieve(question, 5)]
    assert support.dutch(question, found) == pytest.approx(letters.retrieve(question, 1)[0].score)
    assert support.dutch(question, found[3:]) < support.dutch(question, found)
    assert support.dutch(question, []) == 0.0


def test_both_fields_must_index_the_same_records(plan_records: list[Record]) -> None:
    with pytest.raises(ValueError, match="same records"):
        LexicalSupport(BM25Retriever(plan_records), BM25Retriever(plan_records[:10]), Lexicon({}), RANKED_KINDS)


def test_a_short_question_is_named_by_the_keywords_of_one_of_the_first_records_in_most_of_its_words(
    support: LexicalSupport, plan_records: list[Record]
) -> None:
    pool = replace(plan_records[40], keywords=("zwembad", "nieuw zwembad", "swimming pool"))
    others = [replace(record, keywords=("zwemles",)) for record in plan_records[41:44]]
    assert support.named_by_keywords("nieuw zwembad?", [pool, *others])
    assert support.named_by_keywords("ZWEMBAD!", [*others[:2], pool])  # analysed; the third record
    assert not support.named_by_keywords("zwembad", [*others, pool])  # past the first three
    assert not support.named_by_keywords("zwembad in Gent", [pool])  # "gent" is no keyword: one word of two
    assert not support.named_by_keywords("de het een", [pool])  # no words to name anything
    # Three words in five will do: the others may say what is wrong rather than name a topic.
    assert support.named_by_keywords("nieuw zwembad veel te klein", [pool])
    assert not support.named_by_keywords("zwembad veel te klein", [pool])
    # A year names no topic; another number may ("zone 30").
    assert support.named_by_keywords("zwembad in 2025?", [pool])
    zone = replace(plan_records[40], keywords=("zone 30",))
    assert support.named_by_keywords("overal zone 30?", [zone])
    assert not support.named_by_keywords("overal zone?", [zone])


def test_a_keyword_that_starts_a_question_word_or_is_started_by_it_names_it_too(
    support: LexicalSupport, plan_records: list[Record]
) -> None:
    cameras = replace(plan_records[40], keywords=("camera", "dementie"))
    assert support.named_by_keywords("cameratoezicht?", [cameras])  # a "camera" word
    assert support.named_by_keywords("dement?", [cameras])  # the stemmer keeps it apart from "dementie"
    taxes = replace(plan_records[40], keywords=("belasting", "hond"))
    assert not support.named_by_keywords("hondenbelasting?", [taxes])  # a shared end is not enough
    assert not support.named_by_keywords("cam?", [cameras])  # nor a start of under five letters


def test_the_plan_s_vocabulary_takes_no_typo_for_an_english_keyword_word(plan_records: list[Record]) -> None:
    pool = replace(plan_records[40], keywords=("zwembad", "50 metre pool", "swimming pool"))
    vocabulary = plan_vocabulary([pool, *plan_records[41:80]])
    assert vocabulary.knows("metre") and vocabulary.knows("zwembad")
    assert vocabulary.unknown("komt er een metro?") == ["metro"]  # one letter from "metre"
    assert vocabulary.unknown("komt er een zwembaad?") == []  # a Dutch keyword keeps its typos
