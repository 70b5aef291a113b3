from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from planwijzer.index.bm25 import BM25Retriever
from planwijzer.index.embeddings import normalise
from planwijzer.index.lexicon import (
    ExpandingRetriever,
    Lexicon,
    build_lexicon,
    english_stopwords,
    everyday_words,
    lexicon_tokens,
    plan_vocabulary,
)
from planwijzer.ingest.records import Record, RecordKind

# Words as points in a small space: each English word sits at an angle from its Dutch one.
POINTS = {
    "bike": (1.0, 0.1, 0.0),
    "fiets": (1.0, 0.0, 0.0),
    "garden": (0.0, 1.0, 0.1),
    "tuin": (0.0, 1.0, 0.0),
    "weather": (0.5, 0.5, 1.0),  # near nothing in the plan
    "school": (0.0, 0.0, 1.0),
}


def embed_points(words: Sequence[str]) -> np.ndarray:
    return normalise(np.array([POINTS[word] for word in words], dtype=np.float32))


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Where can I change a baby's nappy?", ["where", "can", "change", "baby", "nappy"]),
        ("don't, can’t", ["dont", "cant"]),
        ("Is it OK? A 2nd bus!", ["bus"]),
        ("Financiën van de auto's", ["financien", "van", "auto"]),
    ],
)
def test_lexicon_tokens(text: str, tokens: list[str]) -> None:
    assert lexicon_tokens(text) == tokens


def test_everyday_english_words_are_topic_words_most_frequent_first() -> None:
    vocabulary = everyday_words("en", 3000)
    assert not set(vocabulary) & english_stopwords()
    assert all(len(word) >= 3 and word.isalpha() for word in vocabulary)
    assert {"school", "street", "children"} <= set(vocabulary)
    assert vocabulary.index("people") < vocabulary.index("street") < vocabulary.index("garden")
    assert len(vocabulary) < 3000 and everyday_words("en", 100) == vocabulary[: len(everyday_words("en", 100))]


def test_everyday_dutch_words_are_folded_without_function_words() -> None:
    vocabulary = everyday_words("nl", 3000)
    assert {"straat", "mensen", "nieuwe"} <= set(vocabulary)
    assert not {"de", "het", "een", "van"} & set(vocabulary)
    assert all(word.isascii() and word.isalpha() and len(word) >= 3 for word in vocabulary)
    assert len(set(vocabulary)) == len(vocabulary)


def test_plan_vocabulary_is_the_analysed_words_of_text_and_headings(few_records: list[Record]) -> None:
    words = plan_vocabulary(few_records)
    assert words == sorted(set(words))
    assert "kinderopvang" in words
    assert not {"de", "het", "een", "van"} & set(words)
    assert all(len(word) >= 3 and word.isascii() and word.isalpha() for word in words)


def test_each_english_word_goes_to_its_nearest_plan_word() -> None:
    lexicon = build_lexicon(["bike", "garden", "weather"], ["fiets", "tuin", "school"], embed_points, 0.9)
    assert dict(lexicon.entries) == {"bike": "fiets", "garden": "tuin"}  # weather is near nothing
    loose = build_lexicon(["weather"], ["fiets", "tuin", "school"], embed_points, 0.0)
    assert dict(loose.entries) == {"weather": "school"}


def test_an_empty_side_gives_an_empty_lexicon() -> None:
    assert len(build_lexicon([], ["fiets"], embed_points, 0.5)) == 0
    assert len(build_lexicon(["bike"], [], embed_points, 0.5)) == 0


def test_translation_keeps_known_words_in_order() -> None:
    lexicon = Lexicon({"bike": "fiets", "garden": "tuin", "bikes": "fiets"})
    assert lexicon.translate("Bikes in the garden, and a bike shed?") == "fiets tuin fiets"
    assert lexicon.translate("What about the weather?") == ""


def test_a_lexicon_survives_a_round_trip(tmp_path: Path) -> None:
    lexicon = Lexicon({"garden": "tuin", "bike": "fiets"})
    lexicon.write(tmp_path / "lexicon.json")
    assert Lexicon.read(tmp_path / "lexicon.json") == Lexicon({"bike": "fiets", "garden": "tuin"})


@pytest.mark.parametrize("content", ['["tuin"]', '{"garden": 3}'])
def test_a_lexicon_file_that_is_no_word_mapping_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "lexicon.json"
    path.write_text(content)
    with pytest.raises(ValueError, match="not a word-to-word mapping"):
        Lexicon.read(path)


def expanding_over(texts: list[str], lexicon: Lexicon, weight: float = 1.0) -> tuple[ExpandingRetriever, BM25Retriever]:
    records = [
        Record(f"r{number}", "test", RecordKind.ACTION, text, (number, number), f"r{number}", "2019-2024")
        for number, text in enumerate(texts, start=1)
    ]
    bm25 = BM25Retriever(records)
    return ExpandingRetriever(bm25, lexicon, weight), bm25


def test_a_dutch_query_finds_the_plan_words_for_its_everyday_words() -> None:
    lexicon = Lexicon({"tandarts": "mondzorg", "goedkoper": "goedkoop"})
    expanding, _ = expanding_over(["We maken mondzorg toegankelijk.", "Er komt een nieuw zwembad."], lexicon)
    assert [hit.record.id for hit in expanding.retrieve("wordt de tandarts goedkoper?", 10)] == ["r1"]
    assert expanding.retrieve("is the dentist getting cheaper?", 10) == []  # English: read as it is


def test_the_added_plan_words_count_with_their_weight() -> None:
    lexicon = Lexicon({"tandarts": "mondzorg"})
    texts = ["We maken mondzorg toegankelijk.", "De wachttijd voor zorg wordt korter.", "Er komt een zwembad."]
    expanding, bm25 = expanding_over(texts, lexicon, weight=0.5)
    question = "is de wachttijd bij de tandarts korter?"
    expected = bm25.scores(question) + 0.5 * bm25.scores("mondzorg")
    hits = expanding.retrieve(question, 10)
    assert [hit.record.id for hit in hits] == ["r2", "r1"]
    assert [hit.score for hit in hits] == pytest.approx([expected[1], expected[0]])
