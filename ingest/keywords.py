"""Search keywords (trefwoorden): for each record, the everyday words residents look for it by.

The plan speaks policy Dutch ("mondzorg", "zwemaccommodatie", "fietsinfrastructuur"); residents
type "tandarts", "zwembad", "fietspad", or English. A source may name a keywords file in the
registry: JSON lines ``{"id", "text_sha256", "nl": [...], "en": [...]}``, one per record,
written by reading the record (an optional ``text`` field may keep the text for the reader).
The index finds a record by its keywords too; answers never quote them.

``text_sha256`` is the hash of the record text the keywords were written for. When the plan
text changes, its keywords no longer describe it: they are left out, and ingest names them so
that an editor can write them again; ``planwijzer keywords`` lists the entries to write.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planwijzer.errors import SourceFormatError
from planwijzer.ingest.records import Record, RecordKind


class KeywordEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    nl: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)
    text: str | None = None  # the record's text, for the editor's eyes (see keyword_worklist)

    @property
    def words(self) -> tuple[str, ...]:
        """Dutch and English keywords, each once, stripped."""
        return tuple(dict.fromkeys(word.strip() for word in [*self.nl, *self.en] if word.strip()))


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_keywords(path: Path) -> list[KeywordEntry]:
    """Read a keywords file; raise :class:`SourceFormatError` naming the line that is wrong."""
    entries = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entries.append(KeywordEntry.model_validate(json.loads(line)))
            except (ValueError, ValidationError) as error:
                raise SourceFormatError(f"{path} line {number} is not a keywords entry: {error}") from error
    repeated = sorted(entry_id for entry_id, count in Counter(entry.id for entry in entries).items() if count > 1)
    if repeated:
        raise SourceFormatError(f"{path}: more than one entry for {', '.join(repeated[:5])}")
    return entries


@dataclass(frozen=True)
class KeywordReport:
    """How a source's keywords matched its records."""

    attached: int  # records that got their keywords
    stale: tuple[str, ...]  # entries written for a text the record no longer has
    unknown: tuple[str, ...]  # entries for ids the source does not have (any more)
    missing: tuple[str, ...] = ()  # actions and bullets without an entry: found by their text alone


def attach_keywords(records: Sequence[Record], entries: Sequence[KeywordEntry]) -> tuple[list[Record], KeywordReport]:
    """The records with the keywords written for their current text; stale and unknown
    entries are left out and reported."""
    by_id = {entry.id: entry for entry in entries}
    known = {record.id for record in records}
    attached, stale, missing, result = 0, [], [], []
    for record in records:
        entry = by_id.get(record.id)
        if entry is None and record.kind is not RecordKind.INTRO:  # search never returns introductions
            missing.append(record.id)
        elif entry is not None and entry.text_sha256 != text_sha256(record.text):
            stale.append(record.id)
        elif entry is not None and entry.words:
            record = replace(record, keywords=entry.words)
            attached += 1
        result.append(record)
    unknown = tuple(entry.id for entry in entries if entry.id not in known)
    return result, KeywordReport(attached, tuple(stale), unknown, tuple(missing))


def keyword_worklist(records: Sequence[Record], entries: Sequence[KeywordEntry]) -> list[KeywordEntry]:
    """Entries to write for the actions and bullets whose keywords are missing or stale: each
    with the hash of the record's current text, the text itself and any old keywords to revise.
    Filled in and added to the source's keywords file (in place of the stale entry), they
    attach at the next ingest."""
    _, report = attach_keywords(records, entries)
    to_write = {*report.stale, *report.missing}
    previous = {entry.id: entry for entry in entries}
    worklist = []
    for record in records:
        if record.id not in to_write:
            continue
        old = previous.get(record.id)
        nl, en = (old.nl, old.en) if old else ([], [])
        current = text_sha256(record.text)
        worklist.append(KeywordEntry(id=record.id, text_sha256=current, nl=nl, en=en, text=record.text))
    return worklist
