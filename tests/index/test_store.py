import json
from dataclasses import replace

import pytest

from planwijzer.errors import DamagedIndexError, MissingIndexError, StaleIndexError
from planwijzer.files import sha256_of
from planwijzer.index.lexicon import everyday_words, plan_vocabulary
from planwijzer.index.store import (
    DUTCH_LEXICON,
    ENGLISH_LEXICON,
    KEYWORD_PASSAGES,
    KEYWORD_VECTORS,
    MANIFEST,
    PASSAGES,
    VECTORS,
    build_index,
    load_index,
)
from planwijzer.ingest.corpus import read_corpus, write_corpus
from planwijzer.ingest.records import RecordKind
from planwijzer.settings import Settings
from tests.fakes import FailingEmbeddings, HashingEmbeddings


@pytest.fixture
def with_lexicons(small_build: Settings) -> Settings:
    """``small_build`` with both lexicons, as for a plan whose search keywords are not written."""
    return small_build.model_copy(update={"lexicon_dutch_words": 8000, "lexicon_english_words": 12_000})


@pytest.fixture
def built(small_build: Settings) -> Settings:
    build_index(small_build, HashingEmbeddings())
    return small_build


def test_build_writes_a_manifest_that_describes_the_index(with_lexicons: Settings) -> None:
    settings = with_lexicons
    report = build_index(settings, HashingEmbeddings())
    manifest = json.loads((settings.index_dir / MANIFEST).read_text())
    records = read_corpus(settings.corpus_path)
    assert report.rebuilt and report.embedded == len(records)
    assert manifest["corpus_sha256"] == sha256_of(settings.corpus_path)
    assert manifest["corpus_records"] == manifest["corpus_actions"] == len(records)
    assert manifest["model_id"] == "fake-hashing-64" and manifest["model_dimension"] == 64
    assert manifest["passages"] == len(records)
    assert {"faiss-cpu", "numpy", "bm25s", "wordfreq"} <= manifest["libraries"].keys()
    assert manifest["keyword_passages"] == 0  # these records have no search keywords
    for name in (PASSAGES, VECTORS, KEYWORD_PASSAGES, KEYWORD_VECTORS, ENGLISH_LEXICON, DUTCH_LEXICON):
        assert manifest["files"][name]["sha256"] == sha256_of(settings.index_dir / name)
    english = json.loads((settings.index_dir / ENGLISH_LEXICON).read_text())
    dutch = json.loads((settings.index_dir / DUTCH_LEXICON).read_text())
    assert manifest["english_lexicon_entries"] == len(english) > 0
    assert manifest["dutch_lexicon_entries"] == len(dutch) > 0
    assert manifest["lexicon_english_words"] == settings.lexicon_english_words
    assert manifest["lexicon_dutch_words"] == settings.lexicon_dutch_words


def test_the_lexicons_map_words_the_plan_does_not_use_to_words_it_does(with_lexicons: Settings) -> None:
    settings = with_lexicons
    model = HashingEmbeddings()
    build_index(settings, model)
    index = load_index(settings, model)
    plan_words = set(plan_vocabulary(read_corpus(settings.corpus_path)))
    assert set(index.english_lexicon.entries) <= set(everyday_words("en", settings.lexicon_english_words))
    assert set(index.dutch_lexicon.entries) <= set(everyday_words("nl", settings.lexicon_dutch_words)) - plan_words
    assert set(index.english_lexicon.entries.values()) | set(index.dutch_lexicon.entries.values()) <= plan_words
    # Every side was embedded as questions, in batches, and is cached for the next build.
    assert {"school", "children", "vandaag"} <= set(model.embedded_questions)
    assert plan_words <= set(model.embedded_questions)
    rebuilt = HashingEmbeddings()
    build_index(settings, rebuilt, force=True)
    assert rebuilt.embedded_questions == []


def test_no_words_no_lexicons(small_build: Settings) -> None:
    # By default the search keywords do their work.
    assert small_build.lexicon_dutch_words == small_build.lexicon_english_words == 0
    settings = small_build
    model = HashingEmbeddings()
    build_index(settings, model)
    index = load_index(settings, model)
    assert len(index.english_lexicon) == len(index.dutch_lexicon) == 0 and model.embedded_questions == []


def test_the_built_index_loads(built: Settings) -> None:
    loaded = load_index(built, HashingEmbeddings())
    assert loaded.vectors.ntotal == len(loaded.passages) == loaded.manifest.passages


def test_an_unchanged_corpus_is_not_rebuilt(built: Settings) -> None:
    model = HashingEmbeddings()
    report = build_index(built, model)
    assert not report.rebuilt and model.embedded == []


def test_a_forced_rebuild_takes_its_vectors_from_the_cache(built: Settings) -> None:
    model = HashingEmbeddings()
    report = build_index(built, model, force=True)
    assert report.rebuilt and report.embedded == 0 and model.embedded == []


def test_a_changed_record_is_the_only_one_embedded_again(built: Settings) -> None:
    records = read_corpus(built.corpus_path)
    records[3] = replace(records[3], text=records[3].text + " Dat geldt ook voor onthaalouders.")
    write_corpus(records, built.corpus_path)
    model = HashingEmbeddings()
    report = build_index(built, model)
    assert report.rebuilt and report.embedded == 1
    assert "onthaalouders" in model.embedded[0]


def test_no_index_yet_says_how_to_build_one(small_build: Settings) -> None:
    with pytest.raises(MissingIndexError, match="planwijzer index"):
        load_index(small_build, HashingEmbeddings())


def test_an_index_of_another_corpus_is_refused(built: Settings) -> None:
    records = read_corpus(built.corpus_path)
    write_corpus(records[:-1], built.corpus_path)
    with pytest.raises(StaleIndexError, match="another version of the corpus.*planwijzer index"):
        load_index(built, HashingEmbeddings())


def test_an_index_of_another_model_is_refused(built: Settings) -> None:
    with pytest.raises(StaleIndexError, match="built with the model fake-hashing-64, not fake-other"):
        load_index(built, HashingEmbeddings(model_id="fake-other"))


def test_an_index_of_another_passage_recipe_is_refused(built: Settings) -> None:
    with pytest.raises(StaleIndexError, match="embed_headers=False, not True"):
        load_index(built.model_copy(update={"embed_headers": True}), HashingEmbeddings())


@pytest.mark.parametrize(
    ("setting", "value"),
    [("lexicon_english_words", 500), ("lexicon_dutch_words", 500), ("lexicon_min_similarity", 0.5)],
)
def test_an_index_of_another_lexicon_recipe_is_refused(built: Settings, setting: str, value: float) -> None:
    with pytest.raises(StaleIndexError, match=f"{setting}=.*, not {value}.*planwijzer index"):
        load_index(built.model_copy(update={setting: value}), HashingEmbeddings())


def _flip_a_byte(path, position: int) -> None:
    data = bytearray(path.read_bytes())
    data[position] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: _flip_a_byte(d / VECTORS, 100), id="flipped byte in vectors"),
        pytest.param(lambda d: _flip_a_byte(d / PASSAGES, 10), id="flipped byte in passages"),
        pytest.param(lambda d: (d / VECTORS).write_bytes((d / VECTORS).read_bytes()[:-50]), id="truncated vectors"),
        pytest.param(lambda d: (d / PASSAGES).unlink(), id="passages missing"),
        pytest.param(lambda d: _flip_a_byte(d / KEYWORD_VECTORS, 20), id="flipped byte in keyword vectors"),
        pytest.param(lambda d: (d / KEYWORD_PASSAGES).unlink(), id="keyword passages missing"),
        pytest.param(lambda d: (d / ENGLISH_LEXICON).write_text('{"bike": "fiets"}'), id="lexicon replaced"),
        pytest.param(lambda d: (d / DUTCH_LEXICON).unlink(), id="dutch lexicon missing"),
        pytest.param(lambda d: (d / MANIFEST).write_text("{not json"), id="manifest not json"),
        pytest.param(lambda d: (d / MANIFEST).write_text('{"format_version": 1}'), id="manifest incomplete"),
    ],
)
def test_a_damaged_index_is_refused(built: Settings, damage) -> None:
    damage(built.index_dir)
    with pytest.raises(DamagedIndexError, match="planwijzer index"):
        load_index(built, HashingEmbeddings())


def test_a_manifest_of_another_format_is_stale(built: Settings) -> None:
    path = built.index_dir / MANIFEST
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps({**manifest, "format_version": 0}))
    with pytest.raises(StaleIndexError):
        load_index(built, HashingEmbeddings())


def test_a_damaged_index_is_rebuilt(built: Settings) -> None:
    _flip_a_byte(built.index_dir / VECTORS, 100)
    assert build_index(built, HashingEmbeddings()).rebuilt
    load_index(built, HashingEmbeddings())


def test_a_build_that_fails_half_way_leaves_the_old_index(built: Settings) -> None:
    before = sha256_of(built.index_dir / MANIFEST)
    records = read_corpus(built.corpus_path)
    write_corpus([replace(r, text=r.text + " (gewijzigd)") for r in records], built.corpus_path)
    with pytest.raises(RuntimeError, match="half-way"):
        build_index(built, FailingEmbeddings(fail_after=5))
    assert sha256_of(built.index_dir / MANIFEST) == before
    assert not [p for p in built.build_dir.iterdir() if p.name.startswith(".index")]
    with pytest.raises(StaleIndexError):  # the old index, intact, of the old corpus
        load_index(built, HashingEmbeddings())


def test_each_records_keywords_are_embedded_as_one_passage_of_their_own(small_build: Settings) -> None:
    records = read_corpus(small_build.corpus_path)
    words = {records[0].id: ("crèche", "babyopvang"), records[1].id: ("speelplein",)}
    records = [replace(record, keywords=words.get(record.id, ())) for record in records]
    write_corpus(records, small_build.corpus_path)
    model = HashingEmbeddings()
    report = build_index(small_build, model)
    index = load_index(small_build, model)
    assert [(p.record_id, p.text) for p in index.keyword_passages] == [
        (records[0].id, "crèche, babyopvang"),
        (records[1].id, "speelplein"),
    ]
    assert index.keyword_vectors is not None and index.keyword_vectors.ntotal == 2
    assert report.manifest.keyword_passages == 2 and report.embedded == len(records) + 2
    assert "crèche, babyopvang" in model.embedded  # as a passage, cached like the others
    assert build_index(small_build, HashingEmbeddings(), force=True).embedded == 0


def test_introductions_are_not_embedded_as_search_never_returns_them(small_build: Settings) -> None:
    records = read_corpus(small_build.corpus_path)
    introduction = replace(
        records[0], id=f"{records[0].id}-intro", kind=RecordKind.INTRO, text="Inleiding van het programma."
    )
    write_corpus([introduction, *records], small_build.corpus_path)
    model = HashingEmbeddings()
    report = build_index(small_build, model)
    index = load_index(small_build, model)
    assert introduction.id not in {passage.record_id for passage in index.passages}
    assert report.manifest.passages == index.vectors.ntotal == len(records)
    assert introduction.text not in model.embedded
