from __future__ import annotations

import json
from pathlib import Path

import pytest

from planwijzer.errors import SourceFormatError, SourceRegistryError
from planwijzer.ingest.corpus import read_corpus
from planwijzer.ingest.keywords import KeywordEntry, attach_keywords, load_keywords, text_sha256
from planwijzer.ingest.pipeline import parse_source, run_ingest
from planwijzer.ingest.records import RecordKind
from planwijzer.ingest.sources import load_sources
from planwijzer.settings import Settings
from tests.conftest import DATA_DIR
from tests.ingest.test_corpus import record

PLAN = (
    "PROGRAMMA 1: BUURTEN\n1.1 Samen in de buurt\n"
    "1. We bouwen een nieuwe zwemaccommodatie.\n2. We leggen fietsinfrastructuur aan.\n"
)


def entry(record_id: str, text: str, nl: list[str], en: list[str] | None = None) -> dict[str, object]:
    return {"id": record_id, "text_sha256": text_sha256(text), "nl": nl, "en": en or []}


def write_lines(path: Path, *entries: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in entries), encoding="utf-8")
    return path


def test_keywords_are_attached_to_the_text_they_were_written_for() -> None:
    current, changed = record(95), record(96)
    entries = [
        entry(current.id, current.text, ["crèche", "opvang baby"], ["childcare", "crèche"]),
        entry(changed.id, "an older wording of the action", ["peuters"]),
        entry("bestuursnota-2019-2024/p5/a999", "gone", ["weg"]),
    ]
    unwritten = record(97)
    loaded = [KeywordEntry.model_validate(item) for item in entries]
    records, report = attach_keywords([current, changed, unwritten], loaded)
    assert records[0].keywords == ("crèche", "opvang baby", "childcare")  # each word once
    assert records[1] == changed  # stale keywords describe another text: left out
    assert (report.attached, report.stale, report.unknown) == (1, (changed.id,), ("bestuursnota-2019-2024/p5/a999",))
    assert report.missing == (unwritten.id,)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 2 is not a keywords entry"),
        ('{"id": "x", "text_sha256": "abc", "nl": []}', "line 2 is not a keywords entry"),
        ('{"id": "x", "text_sha256": "' + "0" * 64 + '", "nl": [], "tags": []}', "line 2 is not a keywords entry"),
    ],
)
def test_a_bad_line_is_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "keywords.jsonl"
    path.write_text(json.dumps(entry("a", "text", ["woord"])) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=message):
        load_keywords(path)


def test_two_entries_for_one_record_are_refused(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "keywords.jsonl", entry("a", "t", ["x"]), entry("a", "t", ["y"]))
    with pytest.raises(SourceFormatError, match="more than one entry for a"):
        load_keywords(path)


def test_ingest_attaches_a_sources_keywords_to_the_corpus(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    write_lines(
        tmp_path / "plan.trefwoorden.jsonl",
        entry("plan/p1/a1", "We bouwen een nieuwe zwemaccommodatie.", ["zwembad"], ["swimming pool"]),
        entry("plan/p1/a2", "We leggen fietspaden aan.", ["fietspad"]),  # written for an older text
    )
    registry = tmp_path / "sources.toml"
    registry.write_text(
        '[[source]]\nid = "plan"\ntitle = "Plan"\nperiod = "2019-2024"\nkind = "plan"\n'
        'file = "plan.txt"\nkeywords = "plan.trefwoorden.jsonl"\n',
        encoding="utf-8",
    )
    settings = Settings(sources_file=registry, build_dir=tmp_path / "build")
    summary = run_ingest(settings)
    by_id = {item.id: item for item in read_corpus(settings.corpus_path)}
    assert by_id["plan/p1/a1"].keywords == ("zwembad", "swimming pool")
    assert by_id["plan/p1/a2"].keywords == ()
    assert summary.keywords["plan"].stale == ("plan/p1/a2",) and summary.keywords["plan"].missing == ()


def test_a_missing_keywords_file_is_a_registry_error(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    registry = tmp_path / "sources.toml"
    registry.write_text(
        '[[source]]\nid = "plan"\ntitle = "Plan"\nperiod = "2019-2024"\nkind = "plan"\n'
        'file = "plan.txt"\nkeywords = "missing.jsonl"\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceRegistryError, match="missing.jsonl does not exist"):
        load_sources(registry)


def test_every_shipped_record_has_current_keywords() -> None:
    """The keywords shipped in data/ match the sources as parsed: none stale, none missing.
    Introductions have none: search does not return them."""
    for source in load_sources(DATA_DIR / "sources.toml"):
        assert source.keywords is not None
        searchable = [item for item in parse_source(source) if item.kind is not RecordKind.INTRO]
        _, report = attach_keywords(searchable, load_keywords(source.keywords))
        assert (report.attached, report.stale, report.unknown, report.missing) == (len(searchable), (), (), ())
