"""The evaluation's outputs: ``eval/reports/latest.json``, ``latest.md`` and a chart of
recall@k per system (``latest.png``), and the gates that make it a CI check."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planwijzer.eval.answers import AnswerReport
from planwijzer.eval.retrieval import DEPTH, GOLD_COUNT_GROUPS, METRICS, RANKED_KINDS, RetrievalReport, SystemResult
from planwijzer.files import atomic_write

REPORTS_DIR = Path(__file__).resolve().parent / "reports"
# The figures whose 95% intervals the reports print.
RECALLS = ("recall@1", "recall@5")
ANSWER_RATES = ("citation_precision", "citation_recall", "abstention", "false_abstention", "followup_recall")


@dataclass(frozen=True)
class Gates:
    """Floors (and one ceiling) an evaluation must meet; None leaves a figure unchecked."""

    min_recall5: float | None = None
    min_recall1: float | None = None
    min_precision: float | None = None
    min_abstention: float | None = None
    max_false_abstention: float | None = None


@dataclass(frozen=True)
class Evaluation:
    split: str
    served: str  # the system /v1/ask uses, whose figures the gates check
    retrieval: RetrievalReport
    answers: AnswerReport | None
    context: dict[str, object] = field(default_factory=dict)

    @property
    def served_result(self) -> SystemResult | None:
        """The retrieval figures of the system /v1/ask uses, if it was evaluated."""
        return next((result for result in self.retrieval.systems if result.system == self.served), None)

    def differences(self) -> dict[str, dict[str, tuple[float, tuple[float, float] | None]]]:
        """How much better the served system ranks than each other one, question by question:
        per recall figure, the mean difference and its 95% bootstrap interval."""
        served = self.served_result
        if served is None:
            return {}
        others = [other for other in self.retrieval.systems if other is not served]
        return {other.system: {metric: served.difference(other, metric) for metric in RECALLS} for other in others}

    def difference_lines(self) -> list[str]:
        """ "hybrid − bm25: recall@1 +0.270 (+0.180 to +0.361), …", one line per other system."""
        lines = []
        for system, figures in self.differences().items():
            parts = []
            for metric, (difference, interval) in figures.items():
                low, high = interval or (difference, difference)
                parts.append(f"{metric} {difference:+.3f} ({low:+.3f} to {high:+.3f})")
            lines.append(f"{self.served} − {system}: " + ", ".join(parts))
        return lines

    def failures(self, gates: Gates) -> list[str]:
        """One line per gate the evaluation misses."""
        served = self.served_result
        found: list[str] = []
        if served is None:
            checks_retrieval = gates.min_recall5 is not None or gates.min_recall1 is not None
            return [f"the served system {self.served} was not evaluated"] if checks_retrieval else []
        overall = served.by_kind()["all"]
        for metric, floor in (("recall@5", gates.min_recall5), ("recall@1", gates.min_recall1)):
            if floor is not None and overall[metric] < floor:
                found.append(f"{self.served} {metric} {overall[metric]:.3f} < {floor:.3f}")
        if self.answers is None:
            return found
        summary = self.answers.summary()
        for metric, floor in (("citation_precision", gates.min_precision), ("abstention", gates.min_abstention)):
            value = summary[metric]
            if floor is not None and (value is None or value < floor):
                found.append(f"{metric} {_number(value)} < {floor:.3f}")
        ceiling = gates.max_false_abstention
        false_abstention = summary["false_abstention"]
        if ceiling is not None and (false_abstention is None or false_abstention > ceiling):
            found.append(f"false_abstention {_number(false_abstention)} > {ceiling:.3f}")
        return found

    def to_json(self) -> dict[str, object]:
        return {
            "split": self.split,
            "served": self.served,
            "context": self.context,
            "retrieval": self.retrieval.to_json(),
            "differences_95": {
                system: {
                    metric: {"difference": difference, "interval": interval}
                    for metric, (difference, interval) in figures.items()
                }
                for system, figures in self.differences().items()
            },
            "answers": self.answers.to_json() if self.answers else None,
        }


def _number(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def interval_line(intervals: Mapping[str, tuple[float, float] | None], names: Sequence[str]) -> str:
    """The 95% intervals of ``names``, where there are any: "recall@1 0.900–0.968, …"."""
    shown = [(name, interval) for name in names if (interval := intervals.get(name)) is not None]
    return ", ".join(f"{name} {low:.3f}–{high:.3f}" for name, (low, high) in shown)


def gold_count_rows(retrieval: RetrievalReport) -> list[tuple[str, str, int, list[float]]]:
    """Capped recall@5 per kind (and ``all``) and number of gold records: (kind, group, number
    of questions, each system's recall@5 in the report's order), the groups with questions."""
    grouped = [result.by_gold_count() for result in retrieval.systems]
    rows = []
    for kind in [str(kind) for kind in RANKED_KINDS] + ["all"]:
        for group in GOLD_COUNT_GROUPS:
            figures = [by_kind[kind][group] for by_kind in grouped if group in by_kind.get(kind, {})]
            if figures:
                rows.append((kind, group, int(figures[0]["questions"]), [row["recall@5"] for row in figures]))
    return rows


def markdown(evaluation: Evaluation) -> str:
    lines = [f"# Planwijzer evaluation: {evaluation.split} split", ""]
    for key, value in evaluation.context.items():
        lines.append(f"- {key}: {value}")
    lines += ["", f"## Retrieval (top {DEPTH}, served system: {evaluation.served})", ""]
    lines.append("| kind | system | n | " + " | ".join(METRICS) + " | p95 ms |")
    lines.append("|---|---|---|" + "---|" * (len(METRICS) + 1))
    kinds = sorted({kind for result in evaluation.retrieval.systems for kind in result.by_kind()} - {"all"}) + ["all"]
    for kind in kinds:
        for result in evaluation.retrieval.systems:
            row = result.by_kind().get(kind)
            if row:
                cells = " | ".join(f"{row[metric]:.3f}" for metric in METRICS)
                lines.append(
                    f"| {kind} | {result.system} | {row['questions']} | {cells} | {result.latency()['p95_ms']:.1f} |"
                )
    lines += ["", "95% intervals over all questions (bootstrap):", ""]
    for result in evaluation.retrieval.systems:
        lines.append(f"- {result.system}: {interval_line(result.intervals(), RECALLS)}")
    lines += [f"- {line}" for line in evaluation.difference_lines()]
    systems = [result.system for result in evaluation.retrieval.systems]
    lines += ["", "Recall@5 by number of gold records:", ""]
    lines.append("| kind | gold records | n | " + " | ".join(systems) + " |")
    lines.append("|---|---|---|" + "---|" * len(systems))
    for kind, group, questions, recalls in gold_count_rows(evaluation.retrieval):
        lines.append(f"| {kind} | {group} | {questions} | " + " | ".join(f"{recall:.3f}" for recall in recalls) + " |")
    if evaluation.answers is not None:
        columns = ANSWER_RATES
        lines += ["", "## Answers (as /v1/ask serves them)", ""]
        lines.append("| kind | n | " + " | ".join(columns) + " | p50 ms | p95 ms |")
        lines.append("|---|---|" + "---|" * (len(columns) + 2))
        rows = {**evaluation.answers.by_kind(), "all": evaluation.answers.summary()}
        for kind, summary in rows.items():
            cells = " | ".join(_number(summary[column]) if summary[column] is not None else "–" for column in columns)
            lines.append(
                f"| {kind} | {summary['questions']} | {cells} | {_number(summary['p50_ms'])} | "
                f"{_number(summary['p95_ms'])} |"
            )
        intervals = interval_line(evaluation.answers.intervals(), columns)
        lines += ["", f"95% intervals over all questions (bootstrap): {intervals}"]
    return "\n".join(lines) + "\n"


def recall_chart(evaluation: Evaluation, path: Path) -> None:
    """recall@k for k = 1 … DEPTH, one line per system, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # files only; never a window
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 4.5), dpi=120)
    ks = list(range(1, DEPTH + 1))
    for result in evaluation.retrieval.systems:
        axes.plot(ks, result.recall_curve(), marker="o", label=result.system)
    axes.set_xlabel("k")
    axes.set_ylabel("recall@k (capped)")
    axes.set_ylim(0, 1)
    axes.set_xticks(ks)
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    axes.set_title(f"Planwijzer retrieval, {evaluation.split} split")
    figure.tight_layout()
    with atomic_write(path, "wb") as out:
        figure.savefig(out, format="png")
    pyplot.close(figure)


def write_reports(evaluation: Evaluation, directory: Path = REPORTS_DIR) -> list[Path]:
    """latest.json, latest.md and latest.png in ``directory``; returns their paths."""
    json_path, markdown_path, chart_path = (directory / name for name in ("latest.json", "latest.md", "latest.png"))
    with atomic_write(json_path) as out:
        out.write(json.dumps(evaluation.to_json(), indent=2, ensure_ascii=False) + "\n")
    with atomic_write(markdown_path) as out:
        out.write(markdown(evaluation))
    recall_chart(evaluation, chart_path)
    return [json_path, markdown_path, chart_path]
