from dataclasses import replace
from pathlib import Path

import pytest

from planwijzer.errors import UnknownReferenceError
from planwijzer.index.lexicon import Lexicon
from planwijzer.index.lookup import ActieprogrammaRef, ProgrammeRef
from planwijzer.index.retriever import Hit
from planwijzer.index.search import UNRANKED_MARGIN, Searcher, build_searcher
from planwijzer.index.store import build_index, load_index
from planwijzer.ingest.corpus import read_corpus, write_corpus
from planwijzer.ingest.plan import parse_plan_text
from planwijzer.ingest.records import Record, RecordKind
from planwijzer.settings import SearchMode, Settings
from tests.conftest import plan_source
from tests.fakes import HashingEmbeddings


class ScriptedRetriever:
    """Returns the records it was given, so the tests see which path a query took."""

    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.queries: list[str] = []

    def retrieve(self, query: str, k: int) -> list[Hit]:
        self.queries.append(query)
        return [Hit(record, 0.5, "scripted") for record in self.records[:k]]


@pytest.fixture(scope="module")
def records() -> list[Record]:
    source = plan_source()
    return parse_plan_text(source.path.read_text(encoding="utf-8"), source)


def test_numbers_are_looked_up_and_never_searched(records: list[Record]) -> None:
    retriever = ScriptedRetriever(records)
    hits = Searcher(records, retriever).search("p6 a31")
    assert [(h.record.programme, h.record.action, h.method) for h in hits] == [(6, 31, "lookup")]
    assert retriever.queries == []


def test_actieprogramma_look_up_is_capped_at_k(records: list[Record]) -> None:
    hits = Searcher(records, ScriptedRetriever(records)).search("actieprogramma 5.5", k=3)
    assert [h.record.action for h in hits] == [95, 96, 97]


def test_other_queries_go_to_the_retriever(records: list[Record]) -> None:
    retriever = ScriptedRetriever([record for record in records if record.kind is RecordKind.ACTION])
    hits = Searcher(records, retriever).search("kinderopvang", k=2)
    assert retriever.queries == ["kinderopvang"]
    assert [h.method for h in hits] == ["scripted", "scripted"]


@pytest.mark.parametrize(
    ("query", "searched"),
    [
        ("is er een tram gepland in leuven", "is er een tram gepland"),
        ("Will a new swimming pool be built in Leuven?", "Will a new swimming pool be built?"),
        ("studentenkoten te Leuven, en in Heverlee?", "studentenkoten, en in Heverlee?"),
        ("What is Leuven doing about cars in the city centre?", "What is doing about cars in the city centre?"),
        ("zijn de Leuvense scholen toegankelijk?", "zijn de scholen toegankelijk?"),
        ("wat gebeurt er in Leuven-Noord?", "wat gebeurt er in Leuven-Noord?"),  # a part of the city
        ("werkt de stad samen met KU Leuven?", "werkt de stad samen met KU Leuven?"),  # names that hold it
        ("Leuven 2030 en het klimaat", "Leuven 2030 en het klimaat"),
        ("in leuven", "in leuven"),  # nothing else is asked
    ],
)
def test_the_city_the_whole_plan_is_about_is_not_searched_for(records: list[Record], query: str, searched: str) -> None:
    retriever = ScriptedRetriever([record for record in records if record.kind is RecordKind.ACTION])
    Searcher(records, retriever).search(query)
    assert retriever.queries == [searched]


def test_a_search_within_a_part_ranks_all_of_it_and_returns_only_it(records: list[Record]) -> None:
    retriever = ScriptedRetriever(records)
    hits = Searcher(records, retriever).search("fietsenstallingen", k=3, within=ActieprogrammaRef("5.5"))
    # The scripted ranking puts programme 1 first: a part near the end is still found whole.
    assert [h.record.label for h in hits] == ["5.95", "5.96", "5.97"]
    assert Searcher(records, retriever).search("5.95 en 3.40", within=ProgrammeRef(3))[0].record.label == "3.40"
    with pytest.raises(UnknownReferenceError, match="actieprogramma 5.99 bestaat niet"):
        Searcher(records, retriever).search("kinderopvang", within=ActieprogrammaRef("5.99"))


class RecordingRetriever(ScriptedRetriever):
    """Ranks the plan's introductions first, and notes how many hits it was asked for."""

    def __init__(self, records: list[Record]) -> None:
        super().__init__(sorted(records, key=lambda record: record.kind is not RecordKind.INTRO))
        self.depths: list[int] = []

    def retrieve(self, query: str, k: int) -> list[Hit]:
        self.depths.append(k)
        return super().retrieve(query, k)


def test_the_retriever_is_asked_deeper_only_when_unranked_records_crowd_out_the_top(records: list[Record]) -> None:
    retriever = RecordingRetriever(records)
    introductions = sum(record.kind is RecordKind.INTRO for record in records)
    assert introductions > UNRANKED_MARGIN
    hits = Searcher(records, retriever).search("kinderopvang", k=5)
    assert retriever.depths == [5 + UNRANKED_MARGIN, 5 + introductions]
    assert len(hits) == 5 and all(hit.record.kind is RecordKind.ACTION for hit in hits)
    actions_first = ScriptedRetriever([r for r in records if r.kind is RecordKind.ACTION])
    assert len(Searcher(records, actions_first).search("kinderopvang", k=5)) == 5
    assert len(actions_first.queries) == 1


def test_served_hybrid_hits_do_not_depend_on_how_many_are_asked_for(tmp_path: Path, records: list[Record]) -> None:
    # The whole plan, introductions included: more records than the fusion's depth.
    settings = Settings(build_dir=tmp_path / "build")
    write_corpus(records, settings.corpus_path)
    embeddings = HashingEmbeddings()
    build_index(settings, embeddings)
    searcher = build_searcher(records, SearchMode.HYBRID, settings, embeddings, load_index(settings, embeddings))
    for question in ("komen er meer plaatsen in de kinderopvang?", "fietsenstalling aan het station"):
        top = [(hit.record.id, hit.score) for hit in searcher.search(question, k=30)]
        for k in (1, 5, 10):
            assert [(hit.record.id, hit.score) for hit in searcher.search(question, k=k)] == top[:k]


def test_bad_queries(records: list[Record]) -> None:
    searcher = Searcher(records, ScriptedRetriever(records))
    with pytest.raises(ValueError, match="empty"):
        searcher.search("   ")
    with pytest.raises(ValueError, match="k must be at least 1"):
        searcher.search("kinderopvang", k=0)
    with pytest.raises(UnknownReferenceError, match="programma 11 bestaat niet"):
        searcher.search("11.3")


def test_served_hybrid_reads_a_dutch_question_with_the_plan_words_of_its_everyday_words(small_build: Settings) -> None:
    embeddings = HashingEmbeddings()
    build_index(small_build, embeddings)
    records = read_corpus(small_build.corpus_path)
    index = load_index(small_build, embeddings)
    question = "is er een oppasdienst voor hummeltjes?"  # words the plan does not use

    def ranked(dutch_lexicon: Lexicon) -> list[Hit]:
        searcher = build_searcher(
            records, SearchMode.HYBRID, small_build, embeddings, replace(index, dutch_lexicon=dutch_lexicon)
        )
        return searcher.search(question, k=3)

    expanded = ranked(Lexicon({"oppasdienst": "kinderopvang", "hummeltjes": "baby"}))
    assert expanded[0].component("bm25") is not None  # BM25 on stems found it through the plan words
    assert all(hit.component("bm25") is None for hit in ranked(Lexicon({})))


def test_served_hybrid_ranks_the_plan_s_phrases(small_build: Settings) -> None:
    embeddings = HashingEmbeddings()
    build_index(small_build, embeddings)
    records = read_corpus(small_build.corpus_path)
    searcher = build_searcher(records, SearchMode.HYBRID, small_build, embeddings, load_index(small_build, embeddings))
    best = searcher.search("wat belooft de stad over het OCMW-tarief?", k=3)[0]
    assert best.record.label == "5.100"
    assert best.component("pairs") is not None


def test_keywords_find_a_record_but_do_not_count_as_the_plan_backing_a_question(small_build: Settings) -> None:
    embeddings = HashingEmbeddings()
    build_index(small_build, embeddings)
    records = read_corpus(small_build.corpus_path)
    target = next(record for record in records if record.label == "5.95")
    records = [replace(record, keywords=("hummeltjesclub",)) if record is target else record for record in records]
    searcher = build_searcher(records, SearchMode.HYBRID, small_build, embeddings, load_index(small_build, embeddings))
    best = searcher.search("hummeltjesclub", k=3)[0]
    assert best.record.label == "5.95" and best.component("bm25") is not None
    assert best.component("keywords") is None  # the index was built before the keywords
    assert searcher.support is not None and searcher.support.dutch("hummeltjesclub", [best.record]) == 0.0


def test_served_hybrid_ranks_the_records_search_keywords_by_their_dense_similarity_too(small_build: Settings) -> None:
    records = read_corpus(small_build.corpus_path)
    records = [replace(r, keywords=("hummeltjesclub", "peuterspeelzaal")) if r.label == "5.95" else r for r in records]
    write_corpus(records, small_build.corpus_path)
    embeddings = HashingEmbeddings()
    build_index(small_build, embeddings)
    searcher = build_searcher(records, SearchMode.HYBRID, small_build, embeddings, load_index(small_build, embeddings))
    best = searcher.search("peuterspeelzaal", k=3)[0]
    assert best.record.label == "5.95" and best.component("keywords") is not None


def test_served_hybrid_ranks_english_questions_by_the_english_words_of_the_keywords_too(small_build: Settings) -> None:
    records = read_corpus(small_build.corpus_path)
    keywords = ("inclusieve kinderopvang", "childcare for children with special needs")
    records = [replace(r, keywords=keywords) if r.label == "5.104" else r for r in records]
    write_corpus(records, small_build.corpus_path)
    embeddings = HashingEmbeddings()
    build_index(small_build, embeddings)
    searcher = build_searcher(records, SearchMode.HYBRID, small_build, embeddings, load_index(small_build, embeddings))
    english = searcher.search("Is there childcare for kids with special needs?", k=3)
    assert english[0].record.label == "5.104" and english[0].component("keywords_en") is not None
    dutch = searcher.search("inclusieve kinderopvang", k=3)
    assert all(hit.component("keywords_en") is None for hit in dutch)  # weighs nothing for Dutch ones
    unweighted = small_build.model_copy(update={"keyword_bm25_weight_en": 0.0})
    plain = build_searcher(records, SearchMode.HYBRID, unweighted, embeddings, load_index(unweighted, embeddings))
    assert all(hit.component("keywords_en") is None for hit in plain.search("childcare for special needs", k=3))
