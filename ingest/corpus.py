"""The corpus file: one JSON object per record, written atomically.

``build/corpus.jsonl`` is what the index stage and evaluation scripts read; its fields are
documented in the README.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import tiktoken

from planwijzer.errors import CorpusError
from planwijzer.files import atomic_write
from planwijzer.ingest.records import Record


def token_counter(encoding_name: str) -> tiktoken.Encoding:
    """The tiktoken encoding for token counts; the default one ships inside a package."""
    try:
        return tiktoken.get_encoding(encoding_name)
    except ValueError as error:
        raise CorpusError(f"unknown token encoding {encoding_name!r}: {error}") from error


def with_token_counts(records: Iterable[Record], encoding: tiktoken.Encoding) -> Iterator[Record]:
    for record in records:
        yield replace(record, tokens=len(encoding.encode_ordinary(record.text)))


def write_corpus(records: Iterable[Record], path: Path) -> int:
    """Write records as JSON lines; the file is replaced only once it is complete."""
    count = 0
    with atomic_write(path) as out:
        for record in records:
            out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_corpus(path: Path) -> list[Record]:
    """Read a corpus file; raise :class:`CorpusError` naming the line that is not a record."""
    if not path.is_file():
        raise CorpusError(f"corpus {path} does not exist; run `planwijzer ingest` first")
    records = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                records.append(Record.from_json(json.loads(line)))
            except (ValueError, TypeError, KeyError) as error:
                raise CorpusError(f"{path} line {number} is not a corpus record: {error}") from error
    return records
