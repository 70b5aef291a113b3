from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from planwijzer.index.analysis import CharNgramAnalyzer
from planwijzer.index.bm25 import BM25Retriever
from planwijzer.index.lexicon import Lexicon
from planwijzer.index.search import RANKED_KINDS
from planwijzer.index.support import LexicalSupport
from planwijzer.ingest.corpus import write_corpus
from planwijzer.ingest.plan import parse_plan_text
from planwijzer.ingest.records import Record, RecordKind, Source, SourceKind
from planwijzer.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


def support_over(records: list[Record], lexicon: Lexicon | None = None) -> LexicalSupport:
    """The lexical support of ``records`` as hybrid search builds it: BM25 on stems and on
    letter 3-grams, and an English lexicon (none by default)."""
    words, letters = BM25Retriever(records), BM25Retriever(records, CharNgramAnalyzer(3), method="ngram")
    return LexicalSupport(words, letters, lexicon or Lexicon({}), RANKED_KINDS)


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No PLANWIJZER_* variable of the calling shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("PLANWIJZER_"):
            monkeypatch.delenv(name)
    yield


def plan_source(path: Path = DATA_DIR / "bestuursnota-2019-2024.txt") -> Source:
    return Source(
        id="bestuursnota-2019-2024",
        title="Bestuursnota 2019-2024",
        period="2019-2024",
        kind=SourceKind.PLAN,
        path=path,
    )


@pytest.fixture
def plan() -> Source:
    return plan_source()


@pytest.fixture(scope="session")
def plan_records() -> list[Record]:
    """Every record of the bestuursnota, parsed once per test run."""
    source = plan_source()
    return parse_plan_text(source.path.read_text(encoding="utf-8"), source)


@pytest.fixture(scope="session")
def few_records(plan_records: list[Record]) -> list[Record]:
    """Two actieprogramma's worth of actions: childcare (5.5) and meeting places (1.1)."""
    return [r for r in plan_records if r.kind is RecordKind.ACTION and r.actieprogramma in {"5.5", "1.1"}]


@pytest.fixture
def small_build(tmp_path: Path, few_records: list[Record]) -> Settings:
    """Settings whose build folder holds a corpus of ``few_records`` and no index yet."""
    settings = Settings(build_dir=tmp_path / "build", feedback_path=tmp_path / "var" / "feedback.sqlite3")
    write_corpus(few_records, settings.corpus_path)
    return settings


def lend_project_cache(settings: Settings) -> None:
    """Copies the vectors `make index` left in the project's embedding cache into the build
    of ``settings``, so that a build with the real model embeds only what they lack. A copy:
    a build keeps only its own texts in its cache. The model written for ONNX Runtime is
    linked, not copied: nothing writes to it."""
    project_cache = PROJECT_ROOT / "build" / "cache"
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    for cached in project_cache.glob("*.npz"):
        shutil.copyfile(cached, settings.cache_dir / cached.name)
    if (project_cache / "models").is_dir() and not (settings.cache_dir / "models").exists():
        (settings.cache_dir / "models").symlink_to(project_cache / "models", target_is_directory=True)
