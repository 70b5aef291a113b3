from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from planwijzer.ingest.records import Source, SourceKind

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


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
