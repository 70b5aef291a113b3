from __future__ import annotations

from pathlib import Path

import pytest

from planwijzer.errors import SourceRegistryError
from planwijzer.ingest.records import SourceKind
from planwijzer.ingest.sources import load_sources
from tests.conftest import DATA_DIR

ENTRY = """
[[source]]
id = "{id}"
title = "Plan"
period = "2019-2024"
kind = "{kind}"
file = "{file}"
"""


def registry(tmp_path: Path, *entries: dict[str, str]) -> Path:
    (tmp_path / "plan.txt").write_text("PROGRAMMA 1: X\n1. Actie.\n", encoding="utf-8")
    path = tmp_path / "sources.toml"
    path.write_text("".join(ENTRY.format(**entry) for entry in entries), encoding="utf-8")
    return path


def test_shipped_registry() -> None:
    sources = {source.id: source for source in load_sources(DATA_DIR / "sources.toml")}
    assert set(sources) == {"bestuursnota-2019-2024", "zorgzame-stad"}
    plan, page = sources["bestuursnota-2019-2024"], sources["zorgzame-stad"]
    assert (plan.kind, plan.period, plan.format) == (SourceKind.PLAN, "2019-2024", "txt")
    assert (page.kind, page.period, page.title) == (SourceKind.WEBPAGE, "2025-2030", "Zorgzame stad")
    assert plan.path.is_file() and page.path.is_file()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "Plan 1", "kind": "plan", "file": "plan.txt"}, "lower-case letters"),
        (
            {"id": "plan", "kind": "brochure", "file": "plan.txt"},
            "kind 'brochure' is not one of plan, webpage",
        ),
        ({"id": "plan", "kind": "plan", "file": "missing.txt"}, "does not exist"),
        ({"id": "plan", "kind": "plan", "file": "sources.toml"}, "a plan source must be one of: pdf, txt"),
        ({"id": "plan", "kind": "plan", "file": ""}, "'file' is required"),
    ],
)
def test_bad_entries_are_named(tmp_path: Path, entry: dict[str, str], message: str) -> None:
    with pytest.raises(SourceRegistryError, match=message):
        load_sources(registry(tmp_path, entry))


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    entry = {"id": "plan", "kind": "plan", "file": "plan.txt"}
    with pytest.raises(SourceRegistryError, match="duplicate source id"):
        load_sources(registry(tmp_path, entry, entry))


def test_missing_and_malformed_registry(tmp_path: Path) -> None:
    with pytest.raises(SourceRegistryError, match="does not exist"):
        load_sources(tmp_path / "nothing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[[source]\nid=", encoding="utf-8")
    with pytest.raises(SourceRegistryError, match="not valid TOML"):
        load_sources(broken)
