import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from planwijzer.index.search import build_searcher
from planwijzer.index.store import build_index, load_index
from planwijzer.ingest.corpus import read_corpus, write_corpus
from planwijzer.ingest.records import Record
from planwijzer.service.app import create_app
from planwijzer.service.engine import Engine
from planwijzer.settings import SearchMode, Settings
from tests.fakes import HashingEmbeddings


def small_engine(settings: Settings) -> Engine:
    """The service over two actieprogramma's (5.5 childcare, 1.1 meeting) with the fake embedder."""
    embeddings = HashingEmbeddings()
    build_index(settings, embeddings)
    records = read_corpus(settings.corpus_path)
    searcher = build_searcher(records, SearchMode.HYBRID, settings, embeddings, load_index(settings, embeddings))
    return Engine.from_searcher(settings, searcher)


@pytest.fixture(scope="session")
def fake_vectors(tmp_path_factory: pytest.TempPathFactory, few_records: list[Record]) -> Path:
    """The embedding cache of a build of ``few_records`` with the fake embedder, passages and
    English lexicon words, made once: the vectors are the same in every test, and embedding
    the 12,000 lexicon words again is most of what building a small index with it takes."""
    settings = Settings(build_dir=tmp_path_factory.mktemp("fake-vectors") / "build", lexicon_english_words=12_000)
    write_corpus(few_records, settings.corpus_path)
    build_index(settings, HashingEmbeddings())
    return settings.cache_dir


@pytest.fixture
def answering(small_build: Settings, fake_vectors: Path) -> Settings:
    """Settings that never abstain: the fake embedder's similarities are not calibrated."""
    shutil.copytree(fake_vectors, small_build.cache_dir, dirs_exist_ok=True)
    return small_build.model_copy(
        update={"abstain_below_nl": 0.0, "abstain_below_nl_short": 0.0, "abstain_below_en": 0.0}
    )


@pytest.fixture
def client(answering: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(answering, small_engine(answering))) as test_client:
        yield test_client
