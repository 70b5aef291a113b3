from dataclasses import replace
from pathlib import Path

import pytest

from planwijzer.index.bm25 import BM25Retriever, indexed_text, plan_text
from planwijzer.ingest.plan import parse_plan_text
from tests.conftest import plan_source


@pytest.fixture(scope="module")
def bm25() -> BM25Retriever:
    source = plan_source()
    return BM25Retriever(parse_plan_text(Path(source.path).read_text(encoding="utf-8"), source))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("wat belooft de stad over het OCMW-tarief?", (5, 100)),
        ("openingsuren fietsenparking Rector De Somerplein", (3, 63)),
        ("stedelijke adviesraad kinderopvang", (5, 95)),
    ],
)
def test_staff_queries_find_their_action_first(bm25: BM25Retriever, query: str, expected: tuple[int, int]) -> None:
    best = bm25.retrieve(query, k=5)[0].record
    assert (best.programme, best.action) == expected


def test_results_are_ranked_and_bounded(bm25: BM25Retriever) -> None:
    hits = bm25.retrieve("kinderopvang plaatsen", k=7)
    assert len(hits) == 7
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.method == "bm25" and h.score > 0 for h in hits)


def test_context_headings_are_searchable(bm25: BM25Retriever) -> None:
    # "seniorenbeleid" is the subheading, not in every action's own text.
    hits = bm25.retrieve("seniorenbeleid", k=10)
    assert any(h.record.subheading == "SENIORENBELEID" and "senior" not in h.record.text.lower() for h in hits)


def test_unknown_words_find_nothing(bm25: BM25Retriever) -> None:
    assert bm25.retrieve("xylofoonquiz", k=5) == []
    assert bm25.retrieve("de het een", k=5) == []


def test_a_record_is_found_by_its_keywords_which_are_not_the_plan_s_words(bm25: BM25Retriever) -> None:
    assert bm25.retrieve("tandarts", k=5) == []  # the plan says "mondzorg"
    target = bm25.records[10]
    keywords = ("tandarts", "dentist")
    records = [replace(record, keywords=keywords) if record is target else record for record in bm25.records]
    with_keywords = BM25Retriever(records)
    assert [hit.record.id for hit in with_keywords.retrieve("tandarts", k=5)] == [target.id]
    assert [hit.record.id for hit in with_keywords.retrieve("dentist", k=5)] == [target.id]
    assert "tandarts" not in plan_text(records[10]) and "tandarts" in indexed_text(records[10])
