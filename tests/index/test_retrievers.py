"""One contract for every ranking retriever, run against BM25, dense and hybrid."""

import pytest

from planwijzer.index.bm25 import BM25Retriever
from planwijzer.index.dense import DenseRetriever, QueryVectors, flat_index
from planwijzer.index.fusion import FusionMethod
from planwijzer.index.hybrid import HybridRetriever
from planwijzer.index.passages import Passage, corpus_passages
from planwijzer.index.retriever import Hit, Retriever
from planwijzer.ingest.records import Record
from tests.fakes import HashingEmbeddings


def dense_retriever(records: list[Record], max_tokens: int = 512) -> DenseRetriever:
    embeddings = HashingEmbeddings(max_tokens=max_tokens)
    passages = corpus_passages(records, embeddings.count_tokens, embeddings.max_tokens)
    vectors = embeddings.embed_passages([p.text for p in passages])
    return DenseRetriever(records, passages, flat_index(vectors), embeddings)


@pytest.fixture(params=["bm25", "dense", "hybrid"])
def retriever(request: pytest.FixtureRequest, few_records: list[Record]) -> Retriever:
    if request.param == "bm25":
        return BM25Retriever(few_records)
    if request.param == "dense":
        return dense_retriever(few_records)
    return HybridRetriever([BM25Retriever(few_records), dense_retriever(few_records)])


class TestRetrieverContract:
    def test_returns_at_most_k_distinct_records_best_first(self, retriever: Retriever) -> None:
        hits = retriever.retrieve("kinderopvang plaatsen", 5)
        assert 0 < len(hits) <= 5
        assert len({hit.record.id for hit in hits}) == len(hits)
        scores = [hit.score for hit in hits]
        assert scores == sorted(scores, reverse=True)

    def test_finds_the_record_whose_words_the_query_uses(self, retriever: Retriever, few_records: list[Record]) -> None:
        target = next(r for r in few_records if r.programme == 5 and r.action == 95)
        hits = retriever.retrieve(target.text, 3)
        assert hits[0].record.id == target.id

    def test_k_larger_than_the_corpus_returns_each_record_at_most_once(
        self, retriever: Retriever, few_records: list[Record]
    ) -> None:
        hits = retriever.retrieve("de stad", len(few_records) + 10)
        assert len(hits) <= len(few_records)
        assert len({hit.record.id for hit in hits}) == len(hits)

    def test_hits_name_their_method(self, retriever: Retriever) -> None:
        methods = {hit.method for hit in retriever.retrieve("kinderopvang", 3)}
        assert methods <= {"bm25", "dense", "hybrid"} and len(methods) == 1


def test_dense_ranks_a_split_record_once(few_records: list[Record]) -> None:
    retriever = dense_retriever(few_records, max_tokens=40)
    assert retriever._index.ntotal > len(few_records)  # some records did get split
    hits = retriever.retrieve("kinderopvang", len(few_records))
    assert len({hit.record.id for hit in hits}) == len(hits)


def test_dense_rankings_that_share_query_vectors_embed_a_query_once(few_records: list[Record]) -> None:
    embeddings = CountingEmbeddings()
    passages = corpus_passages(few_records, embeddings.count_tokens, embeddings.max_tokens)
    vectors = flat_index(embeddings.embed_passages([p.text for p in passages]))
    shared = QueryVectors(embeddings)
    text = DenseRetriever(few_records, passages, vectors, embeddings, query_vectors=shared)
    keywords = DenseRetriever(few_records, passages, vectors, embeddings, "keywords", shared)
    assert text.retrieve("kinderopvang", 3)[0].method == "dense"
    assert keywords.retrieve("kinderopvang", 3)[0].method == "keywords"
    assert embeddings.questions == ["kinderopvang"]
    keywords.retrieve("speelpleinen", 3)
    assert embeddings.questions == ["kinderopvang", "speelpleinen"]


class CountingEmbeddings(HashingEmbeddings):
    def __init__(self) -> None:
        super().__init__()
        self.questions: list[str] = []

    def embed_question(self, text: str):  # noqa: ANN201 - as the parent's
        self.questions.append(text)
        return super().embed_question(text)


def test_dense_refuses_vectors_that_do_not_match_the_passages(few_records: list[Record]) -> None:
    embeddings = HashingEmbeddings()
    vectors = embeddings.embed_passages(["een", "twee"])
    with pytest.raises(ValueError, match="2 vectors for 1 passages"):
        DenseRetriever(few_records, [Passage(few_records[0].id, 0, "een")], flat_index(vectors), embeddings)


class Fixed:
    """A ranking given in advance, best first, that counts how often it is asked."""

    def __init__(self, *order: Record) -> None:
        self.order, self.calls = list(order), 0

    def retrieve(self, query: str, k: int) -> list[Hit]:
        del query
        self.calls += 1
        return [Hit(record, 1.0 - rank / 10, "fixed") for rank, record in enumerate(self.order[:k])]


def test_rank_fusion_ranks_first_what_both_rankings_agree_on(few_records: list[Record]) -> None:
    a, b, c = few_records[:3]
    hybrid = HybridRetriever([Fixed(a, b), Fixed(c, b)], fusion=FusionMethod.RRF)
    assert hybrid.retrieve("q", 3)[0].record == b
    weighted = HybridRetriever([Fixed(a, b), Fixed(c, b)], weights=[5.0, 1.0], fusion=FusionMethod.RRF, rrf_k=1)
    assert weighted.retrieve("q", 1)[0].record == a


def test_hybrid_needs_one_weight_per_retriever(few_records: list[Record]) -> None:
    with pytest.raises(ValueError, match="one weight per retriever"):
        HybridRetriever([BM25Retriever(few_records)], weights=[1.0, 2.0])


def test_english_questions_can_weigh_the_rankings_differently(few_records: list[Record]) -> None:
    a, b = few_records[:2]
    # The first ranking prefers a, the second b; English questions ignore the first.
    hybrid = HybridRetriever([Fixed(a, b), Fixed(b, a)], weights=[2.0, 1.0], english_weights=[0.0, 1.0])
    assert hybrid.retrieve("komen er meer plaatsen in de kinderopvang", 1)[0].record == a
    assert hybrid.retrieve("will there be more childcare places", 1)[0].record == b


def test_a_ranking_that_weighs_nothing_is_not_run(few_records: list[Record]) -> None:
    a, b = few_records[:2]
    weighed, ignored = Fixed(a), Fixed(b)
    hybrid = HybridRetriever([weighed, ignored], weights=[1.0, 0.0])
    assert [hit.record for hit in hybrid.retrieve("kinderopvang", 5)] == [a]
    assert weighed.calls == 1 and ignored.calls == 0


class HitsOnly:
    """A retriever seen only through its hits."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever

    def retrieve(self, query: str, k: int) -> list[Hit]:
        return self.retriever.retrieve(query, k)


@pytest.mark.parametrize("query", ["kinderopvang plaatsen", "fietsenstalling aan het station", "zzzz"])
def test_rankings_that_score_every_record_fuse_as_their_hits_would(few_records: list[Record], query: str) -> None:
    rankings = [BM25Retriever(few_records), dense_retriever(few_records)]
    by_scores = HybridRetriever(rankings, weights=[1.0, 0.5], depth=20).retrieve(query, 8)
    by_hits = HybridRetriever([HitsOnly(r) for r in rankings], weights=[1.0, 0.5], depth=20).retrieve(query, 8)
    assert [(h.record.id, h.components) for h in by_scores] == [(h.record.id, h.components) for h in by_hits]
    assert [h.score for h in by_scores] == pytest.approx([h.score for h in by_hits])
