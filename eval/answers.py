"""Answer evaluation, through the same code as ``/v1/ask``: are the citations right, and does
Planwijzer say "not in the plan" exactly when it should?

- citation precision: the share of cited records that are gold (answered in-scope questions);
- citation recall: gold records cited, over ``min(5, gold)`` (recall@5 of the citations);
- abstention: out-of-scope questions answered ``not_found`` (higher is better);
- false abstention: in-scope questions answered ``not_found`` (lower is better);
- follow-up recall: citation recall on follow-up questions, after rewriting.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from statistics import fmean

from planwijzer.eval.gold import GoldQuestion, GoldResolver, QuestionKind
from planwijzer.eval.metrics import bootstrap_interval, percentile
from planwijzer.service.answering import Answer, AnswerStatus

RECALL_DEPTH = 5


@dataclass(frozen=True)
class Outcome:
    """What the evaluation needs of an answer, whether it came from the code or over HTTP."""

    status: str
    cited: tuple[str, ...]
    language: str
    confidence: float | None = None
    scale: str | None = None  # which threshold the confidence was held to (see ConfidenceScale)

    @classmethod
    def of(cls, answer: Answer) -> Outcome:
        grounding = answer.grounding
        cited = tuple(citation.record.id for citation in grounding.citations)
        scale = grounding.confidence_scale.value if grounding.confidence_scale else None
        return cls(grounding.status.value, cited, grounding.language, grounding.confidence, scale)


AskFunction = Callable[[GoldQuestion], Awaitable[Outcome]]


@dataclass(frozen=True)
class AnswerScore:
    question_id: str
    kind: str
    status: str
    cited: tuple[str, ...]
    gold: frozenset[str]
    confidence: float | None
    language: str
    milliseconds: float
    scale: str | None = None

    @property
    def in_scope(self) -> bool:
        return self.kind != QuestionKind.OUT_OF_SCOPE

    @property
    def precision(self) -> float | None:
        if not self.in_scope or not self.cited:
            return None
        return sum(label in self.gold for label in self.cited) / len(self.cited)

    @property
    def recall(self) -> float | None:
        if not self.in_scope:
            return None
        return len(set(self.cited) & self.gold) / min(RECALL_DEPTH, len(self.gold))


@dataclass(frozen=True)
class AnswerReport:
    split: str
    scores: list[AnswerScore]

    def per_question(self) -> dict[str, list[float]]:
        """Each rate's per-question values, whose means the summary gives."""
        in_scope = [s for s in self.scores if s.in_scope]
        out_of_scope = [s for s in self.scores if not s.in_scope]
        return {
            "citation_precision": [p for s in in_scope if (p := s.precision) is not None],
            "citation_recall": [r for s in in_scope if (r := s.recall) is not None],
            "abstention": [float(s.status == AnswerStatus.NOT_FOUND) for s in out_of_scope],
            "false_abstention": [float(s.status == AnswerStatus.NOT_FOUND) for s in in_scope],
            "followup_recall": [r for s in in_scope if s.kind == QuestionKind.FOLLOWUP and (r := s.recall) is not None],
        }

    def summary(self) -> dict[str, float | int | None]:
        times = [s.milliseconds for s in self.scores]
        return {
            "questions": len(self.scores),
            **{rate: _mean(values) for rate, values in self.per_question().items()},
            "mean_citations": _mean([len(s.cited) for s in self.scores if s.in_scope and s.cited]),
            "p50_ms": percentile(times, 0.5) if times else None,
            "p95_ms": percentile(times, 0.95) if times else None,
        }

    def intervals(self) -> dict[str, tuple[float, float] | None]:
        """The 95% bootstrap interval of each rate over all questions (see bootstrap_interval):
        with a few dozen questions of a kind, a rate moves by tenths from one set to another."""
        return {rate: bootstrap_interval(values) for rate, values in self.per_question().items()}

    def by_kind(self) -> dict[str, dict[str, float | int | None]]:
        kinds = sorted({s.kind for s in self.scores})
        return {kind: AnswerReport(self.split, [s for s in self.scores if s.kind == kind]).summary() for kind in kinds}

    def to_json(self) -> dict[str, object]:
        return {
            "split": self.split,
            "summary": self.summary(),
            "intervals_95": self.intervals(),
            "by_kind": self.by_kind(),
            "questions": [
                {
                    "id": s.question_id,
                    "kind": s.kind,
                    "status": s.status,
                    "cited": list(s.cited),
                    "gold": sorted(s.gold),
                    "confidence": s.confidence,
                    "language": s.language,
                    "scale": s.scale,
                }
                for s in self.scores
            ],
        }


def _mean(values: Sequence[float | bool | int]) -> float | None:
    return fmean(values) if values else None


async def evaluate_answers(
    split: str, questions: Sequence[GoldQuestion], resolver: GoldResolver, ask: AskFunction
) -> AnswerReport:
    """Ask every question (one at a time, so the latencies are single-request ones) and score it."""
    scores = []
    for question in questions:
        gold = frozenset(resolver.record_ids(question))
        started = time.perf_counter()
        outcome = await ask(question)
        elapsed = (time.perf_counter() - started) * 1000
        scores.append(
            AnswerScore(
                question.id,
                str(question.kind),
                outcome.status,
                outcome.cited,
                gold,
                outcome.confidence,
                outcome.language,
                elapsed,
                outcome.scale,
            )
        )
    return AnswerReport(split, scores)


def abstention_sweep(
    scores: Sequence[AnswerScore],
    scale: str,
    thresholds: Sequence[float] | None = None,
    max_false_abstention: float = 0.10,
) -> list[tuple[float, float | None, float | None]]:
    """(threshold, abstention, false abstention) for the questions whose confidence was read on
    ``scale``, had the threshold been each value: the calibration table for ``abstain_below_<scale>``.

    Without ``thresholds``, the table steps through the confidences the questions got (each
    step changes an outcome), from the lowest up to the first at which false abstention
    exceeds ``max_false_abstention``.
    """
    mine = [s for s in scores if s.scale == scale and s.confidence is not None]
    given = thresholds is not None
    if thresholds is None:
        seen = {round(score.confidence, 3) for score in mine}
        thresholds = sorted(seen | {max(seen, default=0.0) + 0.001})  # the last: abstain on all
    rows = []
    for threshold in thresholds:
        outside = [s.confidence < threshold for s in mine if not s.in_scope]
        inside = [s.confidence < threshold for s in mine if s.in_scope]
        rows.append((threshold, _mean(outside), _mean(inside)))
        if not given and (rows[-1][2] or 0.0) > max_false_abstention:
            break
    return rows
