"""Gold questions: what users ask and which records answer them.

One JSON object per line (``eval/gold/*.jsonl``)::

    {"id": "dev-001", "question": "…", "kind": "resident", "history": [],
     "gold": [{"programme": 5, "action": 95}, {"id": "zorgzame-stad/…/1"}], "notes": "…"}

``kind`` is one of :class:`QuestionKind`. ``gold`` names bestuursnota actions by number and
any other record by id; it is empty for ``out_of_scope`` questions, whose right answer is
"the plan does not say". ``history`` holds the earlier turns of a ``followup`` question.
``dev.jsonl`` is for tuning; ``test.jsonl`` is held back and only reported. A split also
holds the files named after it (``dev-short.jsonl``): questions of a few words on the plan's
broad topics ("kinderopvang", "hulp bij dementie?"), as residents type them in a chat. Their
gold records are shared across the splits, as broad topics are; those of ``dev.jsonl`` and
``test.jsonl`` never are. ``judgements.jsonl`` is no split: it holds the verdicts of pooled
judging on records the labels do not name (:mod:`planwijzer.eval.judgements`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planwijzer.errors import PlanwijzerError, UnknownReferenceError
from planwijzer.index.lookup import ActionCatalog, ActionRef
from planwijzer.ingest.records import Record

GOLD_DIR = Path(__file__).resolve().parent / "gold"
SPLITS = ("dev", "test")
Line = TypeVar("Line", bound=BaseModel)  # one line of a JSON-lines file


class GoldSetError(PlanwijzerError):
    """A gold file cannot be read, or names records the corpus lacks."""


class QuestionKind(StrEnum):
    RESIDENT = "resident"
    STAFF = "staff"
    ENGLISH = "english"
    MULTI = "multi"
    FOLLOWUP = "followup"
    OUT_OF_SCOPE = "out_of_scope"


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["user", "assistant"]
    content: str = Field(min_length=1)


class GoldAction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    programme: int = Field(ge=1)
    action: int = Field(ge=1)


class GoldRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)


class GoldQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    kind: QuestionKind
    history: list[Turn] = []
    gold: list[GoldAction | GoldRecord] = []
    notes: str = ""


def load_gold(path: Path) -> list[GoldQuestion]:
    """Questions of one gold file; :class:`GoldSetError` names the line that is wrong."""
    if not path.is_file():
        raise GoldSetError(f"gold file {path} does not exist")
    return read_lines_as(GoldQuestion, path)


def read_lines_as(model: type[Line], path: Path) -> list[Line]:
    """Each non-blank line of a JSON-lines file as a ``model``; :class:`GoldSetError` names
    the line that is wrong."""
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            lines.append(model.model_validate_json(line))
        except ValidationError as error:
            raise GoldSetError(f"{path} line {number}: {error}") from error
    return lines


def load_split(split: str, gold_dir: Path = GOLD_DIR) -> list[GoldQuestion]:
    """``dev``, ``test``, ``all`` (both), or the path of a gold file of one's own. A split is
    its own file and the files named after it (``dev-short.jsonl``)."""
    if split.endswith(".jsonl"):
        return load_gold(Path(split))
    names = SPLITS if split == "all" else (split,)
    if not set(names) <= set(SPLITS):
        raise GoldSetError(f"unknown split {split!r}; choose dev, test, all or a .jsonl file")
    paths = [path for name in names for path in (gold_dir / f"{name}.jsonl", *sorted(gold_dir.glob(f"{name}-*.jsonl")))]
    return [question for path in paths for question in load_gold(path)]


class GoldResolver:
    """Turns gold references into corpus record ids; with ``judged_relevant`` (question id →
    record ids, see :mod:`planwijzer.eval.judgements`), a question's gold also holds the records
    a judge found relevant."""

    def __init__(self, records: Sequence[Record], judged_relevant: Mapping[str, Collection[str]] | None = None) -> None:
        self._catalog = ActionCatalog(records)
        self._ids = {record.id for record in records}
        self._judged = dict(judged_relevant or {})

    def record_ids(self, question: GoldQuestion) -> set[str]:
        """The ids of the records that answer ``question``; :class:`GoldSetError` for a wrong label."""
        return self.reference_ids(question.id, question.gold) | set(self._judged.get(question.id, ()))

    def reference_ids(self, question_id: str, references: Sequence[GoldAction | GoldRecord]) -> set[str]:
        """The record ids that ``references`` name; errors are told by ``question_id``."""
        ids = set()
        for reference in references:
            if isinstance(reference, GoldRecord):
                if reference.id not in self._ids:
                    raise GoldSetError(f"{question_id}: record {reference.id} is not in the corpus")
                ids.add(reference.id)
                continue
            try:
                [record] = self._catalog.resolve(ActionRef(reference.programme, reference.action))
            except UnknownReferenceError as error:
                raise GoldSetError(f"{question_id}: {error}") from error
            ids.add(record.id)
        return ids


def validate(questions: Sequence[GoldQuestion], records: Sequence[Record]) -> list[str]:
    """Every problem of a gold set, as messages; an empty list means the set is sound."""
    resolver = GoldResolver(records)
    problems = []
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            problems.append(f"{question.id}: the id is used twice")
        seen.add(question.id)
        in_scope = question.kind is not QuestionKind.OUT_OF_SCOPE
        if in_scope and not question.gold:
            problems.append(f"{question.id}: a {question.kind} question needs at least one gold record")
        if not in_scope and question.gold:
            problems.append(f"{question.id}: an out_of_scope question has no gold records")
        if (question.kind is QuestionKind.FOLLOWUP) != bool(question.history):
            problems.append(f"{question.id}: history belongs to followup questions, and every followup needs one")
        try:
            resolver.record_ids(question)
        except GoldSetError as error:
            problems.append(str(error))
    return problems
