"""Retrieval evaluation: every system ranks every gold question; metrics per kind, side by side.

A follow-up question is ranked by the standalone query the service would make of it (the
same query for every system); out-of-scope questions have no gold to find and are left to
the answer evaluation.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from planwijzer.eval.gold import GoldQuestion, GoldResolver, QuestionKind
from planwijzer.eval.metrics import (
    Ranking,
    bootstrap_interval,
    ndcg_at,
    percentile,
    recall_at,
    reciprocal_rank,
    success_at,
)

Ranker = Callable[[str, int], Ranking]

RANKED_KINDS = (
    QuestionKind.RESIDENT,
    QuestionKind.STAFF,
    QuestionKind.ENGLISH,
    QuestionKind.MULTI,
    QuestionKind.FOLLOWUP,
)
DEPTH = 10
METRICS = ("recall@1", "recall@5", "recall@10", "success@5", "mrr", "ndcg@10")
# Questions grouped by how many gold records they have: capped recall@5 asks a question with
# one for that one, and a broad question for all of its, up to five.
GOLD_COUNT_GROUPS = ("1", "2–4", "5+")


def gold_count_group(count: int) -> str:
    """The group of ``GOLD_COUNT_GROUPS`` a question with ``count`` gold records is in."""
    if count < 1:
        raise ValueError("a ranked question has at least one gold record")
    return GOLD_COUNT_GROUPS[0] if count == 1 else GOLD_COUNT_GROUPS[1] if count < 5 else GOLD_COUNT_GROUPS[2]


@dataclass(frozen=True)
class QueryScore:
    question_id: str
    kind: str
    gold_count: int
    metrics: dict[str, float]
    milliseconds: float
    recall_curve: tuple[float, ...] = ()  # recall@1 … recall@DEPTH


@dataclass(frozen=True)
class SystemResult:
    system: str
    scores: list[QueryScore]

    def by_kind(self) -> dict[str, dict[str, float]]:
        """Mean of each metric per question kind, and over all questions as ``all``."""
        return _means(self._kinds())

    def by_gold_count(self) -> dict[str, dict[str, dict[str, float]]]:
        """Mean of each metric per question kind (and ``all``) per group of
        ``GOLD_COUNT_GROUPS``, the groups a kind has questions in, in that order."""
        grouped = {}
        for kind, scores in self._kinds().items():
            groups: dict[str, list[QueryScore]] = {group: [] for group in GOLD_COUNT_GROUPS}
            for score in scores:
                groups[gold_count_group(score.gold_count)].append(score)
            grouped[kind] = _means(groups)
        return grouped

    def _kinds(self) -> dict[str, list[QueryScore]]:
        groups: dict[str, list[QueryScore]] = defaultdict(list)
        for score in self.scores:
            groups[score.kind].append(score)
        groups["all"] = list(self.scores)
        return groups

    def intervals(self) -> dict[str, tuple[float, float] | None]:
        """The 95% bootstrap interval of each metric over all questions (see bootstrap_interval)."""
        return {metric: bootstrap_interval([score.metrics[metric] for score in self.scores]) for metric in METRICS}

    def difference(self, other: SystemResult, metric: str) -> tuple[float, tuple[float, float] | None]:
        """How much better this system does than ``other`` on ``metric``, question by question
        over the same questions: the mean difference and its 95% bootstrap interval."""
        if [score.question_id for score in self.scores] != [score.question_id for score in other.scores]:
            raise ValueError(f"{self.system} and {other.system} ranked different questions")
        differences = [
            mine.metrics[metric] - theirs.metrics[metric]
            for mine, theirs in zip(self.scores, other.scores, strict=True)
        ]
        return (fmean(differences) if differences else 0.0), bootstrap_interval(differences)

    def recall_curve(self) -> list[float]:
        """Mean recall@k for k = 1 … DEPTH, for the chart."""
        return [fmean(score.recall_curve[k] for score in self.scores) for k in range(DEPTH)] if self.scores else []

    def latency(self) -> dict[str, float]:
        times = [score.milliseconds for score in self.scores]
        return {"p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95), "max_ms": max(times)}


def _means(groups: Mapping[str, Sequence[QueryScore]]) -> dict[str, dict[str, float]]:
    """Per group with questions: their number and the mean of each metric."""
    return {
        name: {"questions": len(scores), **{m: fmean(s.metrics[m] for s in scores) for m in METRICS}}
        for name, scores in groups.items()
        if scores
    }


@dataclass(frozen=True)
class RetrievalReport:
    split: str
    systems: list[SystemResult]
    skipped: dict[str, int]

    def to_json(self) -> dict[str, object]:
        return {
            "split": self.split,
            "skipped": self.skipped,
            "systems": {
                result.system: {
                    "by_kind": result.by_kind(),
                    "by_gold_count": result.by_gold_count(),
                    "intervals_95": result.intervals(),
                    "recall_curve": [round(value, 4) for value in result.recall_curve()],
                    "latency": result.latency(),
                }
                for result in self.systems
            },
        }


def score_ranking(ranking: Ranking, gold: set[str]) -> dict[str, float]:
    return {
        "recall@1": recall_at(ranking, gold, 1),
        "recall@5": recall_at(ranking, gold, 5),
        "recall@10": recall_at(ranking, gold, 10),
        "success@5": success_at(ranking, gold, 5),
        "mrr": reciprocal_rank(ranking, gold),
        "ndcg@10": ndcg_at(ranking, gold, 10),
    }


def evaluate_retrieval(
    split: str,
    questions: Sequence[GoldQuestion],
    resolver: GoldResolver,
    rankers: Mapping[str, Ranker],
    query_for: Callable[[GoldQuestion], str] = lambda question: question.question,
) -> RetrievalReport:
    """Rank every question with every ranker (top ``DEPTH``) and score it against its gold;
    ``query_for`` turns a question (and its history) into the query that is ranked."""
    ranked = [question for question in questions if question.kind in RANKED_KINDS]
    skipped = Counter(str(question.kind) for question in questions if question.kind not in RANKED_KINDS)
    gold = {question.id: resolver.record_ids(question) for question in ranked}
    queries = {question.id: query_for(question) for question in ranked}
    results = []
    for system, rank in rankers.items():
        scores = []
        for question in ranked:
            started = time.perf_counter()
            ranking = rank(queries[question.id], DEPTH)
            elapsed = (time.perf_counter() - started) * 1000
            curve = tuple(recall_at(ranking, gold[question.id], k) for k in range(1, DEPTH + 1))
            scores.append(
                QueryScore(
                    question.id,
                    str(question.kind),
                    len(gold[question.id]),
                    score_ranking(ranking, gold[question.id]),
                    elapsed,
                    curve,
                )  # fmt: skip
            )
        results.append(SystemResult(system, scores))
    return RetrievalReport(split, results, dict(skipped))
