"""Pooled relevance judgements: the records that the systems rank high for a question, read
by a judge who does not know which system ranked them, or where.

A gold label names the actions its writer thought of; a broad question ("kinderopvang") has
more actions that answer it than anyone lists by heart. Pooling, as TREC builds its
judgements, closes that gap without favouring a system: every system's top ``depth`` goes
into one pool per question, the records the gold and earlier judgements already cover are
left out, and what remains is shuffled for the judge. What the judge finds relevant then
counts as gold beside the written labels; what the judge finds not relevant is kept too, so
that the same record is never put to a judge twice.

One JSON object per line (``eval/gold/judgements.jsonl``)::

    {"question": "dev-129", "record": {"programme": 5, "action": 97}, "relevant": true}

``record`` names a record as gold does: an action by number, anything else by id.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from planwijzer.eval.gold import (
    GOLD_DIR,
    GoldAction,
    GoldQuestion,
    GoldRecord,
    GoldResolver,
    GoldSetError,
    load_split,
    read_lines_as,
)
from planwijzer.eval.retrieval import RANKED_KINDS, Ranker
from planwijzer.ingest.records import Record, RecordKind

JUDGEMENTS_PATH = GOLD_DIR / "judgements.jsonl"


class Judgement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    question: str
    record: GoldAction | GoldRecord
    relevant: bool


def reference_of(record: Record) -> GoldAction | GoldRecord:
    """How gold names ``record``: by its number when it is an action, else by its id."""
    if record.kind is RecordKind.ACTION and record.programme is not None and record.action is not None:
        return GoldAction(programme=record.programme, action=record.action)
    return GoldRecord(id=record.id)


def load_judgements(path: Path = JUDGEMENTS_PATH) -> list[Judgement]:
    """The judgements of ``path``; none when it does not exist yet."""
    return read_lines_as(Judgement, path) if path.is_file() else []


@dataclass(frozen=True)
class JudgedRecords:
    """Per question, the record ids a judge found relevant, and every record id judged."""

    relevant: Mapping[str, frozenset[str]]
    judged: Mapping[str, frozenset[str]]

    @classmethod
    def resolve(cls, judgements: Sequence[Judgement], resolver: GoldResolver) -> JudgedRecords:
        """The record ids of sound judgements (see :func:`validate_judgements`)."""
        relevant: dict[str, set[str]] = defaultdict(set)
        judged: dict[str, set[str]] = defaultdict(set)
        for judgement in judgements:
            [record_id] = resolver.reference_ids(judgement.question, [judgement.record])
            judged[judgement.question].add(record_id)
            if judgement.relevant:
                relevant[judgement.question].add(record_id)
        return cls(
            {question: frozenset(ids) for question, ids in relevant.items()},
            {question: frozenset(ids) for question, ids in judged.items()},
        )


def read_judged(
    records: Sequence[Record], questions: Sequence[GoldQuestion] | None = None, path: Path = JUDGEMENTS_PATH
) -> JudgedRecords:
    """The judgements of ``path``, checked against ``questions`` (by default every gold
    question) and the corpus; :class:`GoldSetError` tells what is wrong with them."""
    judgements = load_judgements(path)
    check_judgements(judgements, load_split("all") if questions is None else questions, records, path)
    return JudgedRecords.resolve(judgements, GoldResolver(records))


def check_judgements(
    judgements: Sequence[Judgement], questions: Sequence[GoldQuestion], records: Sequence[Record], path: Path
) -> None:
    """:class:`GoldSetError` with the first problems :func:`validate_judgements` finds, if any."""
    problems = validate_judgements(judgements, questions, records)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise GoldSetError(f"{path}: " + "; ".join(problems[:3]) + more)


def gold_resolver(
    records: Sequence[Record],
    judged: bool,
    questions: Sequence[GoldQuestion] | None = None,
    path: Path = JUDGEMENTS_PATH,
) -> GoldResolver:
    """The resolver an evaluation scores with: the written labels alone, or (``judged``) those
    and every record a judge found relevant."""
    return GoldResolver(records, read_judged(records, questions, path).relevant if judged else None)


@dataclass(frozen=True)
class Candidate:
    """A record for the judge to read: where it stands in the plan, and its text."""

    key: str
    record: Record

    def to_json(self) -> dict[str, object]:
        record = self.record
        place = [part for part in (record.programme_title, record.actieprogramma_title, record.subheading) if part]
        return {
            "key": self.key,
            "record": reference_of(record).model_dump(),
            "label": record.label,
            "place": " › ".join(place),
            "text": record.text,
        }


@dataclass(frozen=True)
class PoolItem:
    """One question and its unjudged candidates, in an order that says nothing of their rank."""

    question: GoldQuestion
    candidates: tuple[Candidate, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question.id,
            "text": self.question.question,
            "history": [turn.model_dump() for turn in self.question.history],
            "candidates": [candidate.to_json() for candidate in self.candidates],
        }


def pool(
    questions: Sequence[GoldQuestion],
    resolver: GoldResolver,
    records: Sequence[Record],
    rankers: Mapping[str, tuple[Ranker, int]],
    query_for: Callable[[GoldQuestion], str],
    judged: JudgedRecords,
    seed: int = 0,
) -> list[PoolItem]:
    """For every ranked question, the records in the top ``depth`` of any ranker (each ranker
    with its own depth) that neither its gold nor an earlier judgement covers, shuffled."""
    by_id = {record.id: record for record in records}
    shuffle = random.Random(seed).shuffle
    items = []
    for question in questions:
        if question.kind not in RANKED_KINDS:
            continue
        query = query_for(question)
        pooled: set[str] = set()
        for rank, depth in rankers.values():
            for position in rank(query, depth):
                pooled.update(position)
        known = resolver.record_ids(question) | judged.judged.get(question.id, frozenset())
        fresh = sorted(pooled - known)
        shuffle(fresh)
        if fresh:
            candidates = tuple(Candidate(f"{question.id}#{n}", by_id[rid]) for n, rid in enumerate(fresh, start=1))
            items.append(PoolItem(question, candidates))
    return items


def validate_judgements(
    judgements: Sequence[Judgement], questions: Sequence[GoldQuestion], records: Sequence[Record]
) -> list[str]:
    """Every problem of a judgements file, as messages: a question no gold file holds, a
    record the corpus lacks, a record that the written gold already names, or one judged
    twice."""
    resolver = GoldResolver(records)
    by_id = {question.id: question for question in questions}
    problems = []
    verdicts: dict[tuple[str, str], bool] = {}
    for judgement in judgements:
        question = by_id.get(judgement.question)
        if question is None:
            problems.append(f"judgement of {judgement.question}: no gold file holds that question")
            continue
        try:
            [record_id] = resolver.reference_ids(question.id, [judgement.record])
            written = resolver.record_ids(question)
        except GoldSetError as error:
            problems.append(f"judgement of {error}")
            continue
        if record_id in written:
            problems.append(f"judgement of {question.id}: {record_id} is already written gold")
        key = (question.id, record_id)
        if key in verdicts:
            both = " both relevant and not relevant" if verdicts[key] != judgement.relevant else " twice"
            problems.append(f"judgement of {question.id}: {record_id} is judged{both}")
        verdicts[key] = judgement.relevant
    return problems


def verdicts_to_judgements(pool_items: Sequence[dict], verdicts: Sequence[dict]) -> list[Judgement]:
    """Judgements from a pool file's items and a judge's ``{"key", "relevant"}`` lines;
    :class:`GoldSetError` when a candidate has no verdict, or a verdict no candidate."""
    try:
        records = {
            candidate["key"]: (item["question"], candidate["record"])
            for item in pool_items
            for candidate in item["candidates"]
        }
    except (KeyError, TypeError) as error:
        raise GoldSetError(f"not a pool written by `planwijzer eval pool` ({error!r})") from error
    relevant: dict[str, bool] = {}
    for verdict in verdicts:
        key = verdict.get("key") if isinstance(verdict, dict) else None
        if not isinstance(key, str) or key not in records:
            raise GoldSetError(f"verdict for {key!r}: no candidate of the pool has that key")
        if key in relevant:
            raise GoldSetError(f"verdict for {key!r}: given twice")
        if not isinstance(verdict.get("relevant"), bool):
            raise GoldSetError(f"verdict for {key!r}: relevant must be true or false")
        relevant[key] = verdict["relevant"]
    missing = sorted(set(records) - set(relevant))
    if missing:
        raise GoldSetError(f"{len(missing)} candidates have no verdict, the first {missing[0]!r}")
    try:
        return [
            Judgement.model_validate({"question": question, "record": record, "relevant": relevant[key]})
            for key, (question, record) in records.items()
        ]
    except ValidationError as error:
        raise GoldSetError(f"not a pool written by `planwijzer eval pool`: {error}") from error
