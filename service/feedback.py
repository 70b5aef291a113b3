"""Residents' thumbs up and down, kept so the city can see what answers missed.

An SQLite file, appended to and never rewritten: each rating is one INSERT, there is no
UPDATE or DELETE anywhere. It holds the question, the answer's status, the cited record ids,
the rating and an optional comment; no IP address or other identifier of the resident.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    status TEXT NOT NULL,
    cited TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT ''
)
"""
COLUMNS = ("id", "created_at", "question", "status", "cited", "rating", "comment")


@dataclass(frozen=True)
class Feedback:
    question: str
    status: str
    cited: tuple[str, ...]
    rating: str
    comment: str = ""


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(SCHEMA)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        # One connection per call: requests run on several threads, and SQLite's own
        # locking keeps concurrent writers apart.
        with closing(sqlite3.connect(self.path, timeout=10)) as connection, connection:
            yield connection

    def add(self, feedback: Feedback) -> int:
        with self._connection() as connection:
            cursor = connection.execute(
                "INSERT INTO feedback (created_at, question, status, cited, rating, comment) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    feedback.question,
                    feedback.status,
                    json.dumps(list(feedback.cited)),
                    feedback.rating,
                    feedback.comment,
                ),
            )
            return int(cursor.lastrowid or 0)

    def export_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        with self._connection() as connection:
            writer.writerows(connection.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id"))
        return out.getvalue()
