"""``planwijzer eval``: how good Planwijzer is, measured against the gold questions.

``planwijzer eval`` alone runs everything (retrieval side by side, answers as served),
prints the tables, writes eval/reports/latest.{json,md,png} and checks the gates;
``validate``, ``retrieval`` and ``answers`` run one part.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.table import Table
from rich.text import Text

from planwijzer.errors import PlanwijzerError
from planwijzer.eval.answers import AnswerReport, AskFunction, Outcome, abstention_sweep, evaluate_answers
from planwijzer.eval.gold import GoldQuestion, GoldResolver, GoldSetError, load_split, validate
from planwijzer.eval.judgements import (
    JUDGEMENTS_PATH,
    check_judgements,
    gold_resolver,
    load_judgements,
    pool,
    read_judged,
    validate_judgements,
    verdicts_to_judgements,
)
from planwijzer.eval.remote import remote_ask, remote_ranker
from planwijzer.eval.report import (
    ANSWER_RATES,
    RECALLS,
    REPORTS_DIR,
    Evaluation,
    Gates,
    gold_count_rows,
    interval_line,
    write_reports,
)
from planwijzer.eval.retrieval import DEPTH, METRICS, RANKED_KINDS, Ranker, RetrievalReport, evaluate_retrieval
from planwijzer.eval.systems import BASELINE, SYSTEMS, open_rankers, served_query
from planwijzer.files import atomic_write
from planwijzer.ingest.corpus import read_corpus
from planwijzer.service.answering import ConfidenceScale
from planwijzer.service.engine import Engine
from planwijzer.settings import Settings
from planwijzer.terminal import console, errors, fail, load_settings, number

eval_app = typer.Typer(help="Measure Planwijzer against the gold questions in eval/gold/.")

Split = Annotated[str, typer.Option(help="dev (for tuning), test (held back, report only) or all.")]
Systems = Annotated[str, typer.Option(help="Comma-separated, from: " + ", ".join(SYSTEMS))]
SplitHere = Annotated[
    str | None, typer.Option("--split", help="dev, test or all; by default the one given to `eval`, else dev.")
]
Judged = Annotated[
    bool,
    typer.Option(
        "--judged",
        help="Count as gold also the records a judge found relevant (eval/gold/judgements.jsonl), not only the "
        "written labels.",
    ),
]
SystemsHere = Annotated[
    str | None, typer.Option("--systems", help="Comma-separated; by default those given to `eval`, else all.")
]
ALL_SYSTEMS = ",".join(SYSTEMS)
LABELS = {False: "written labels", True: "written labels and judgements"}


@eval_app.callback(invoke_without_command=True)
def evaluate(
    context: typer.Context,
    split: Split = "dev",
    systems: Systems = ALL_SYSTEMS,
    judged: Judged = False,
    url: Annotated[str | None, typer.Option(help="Evaluate a running service (http://127.0.0.1:8000).")] = None,
    report_dir: Annotated[Path, typer.Option(help="Where latest.json, latest.md and latest.png go.")] = REPORTS_DIR,
    min_recall5: Annotated[float | None, typer.Option(help="Fail if the served recall@5 is lower.")] = None,
    min_recall1: Annotated[float | None, typer.Option(help="Fail if the served recall@1 is lower.")] = None,
    min_precision: Annotated[float | None, typer.Option(help="Fail if citation precision is lower.")] = None,
    min_abstention: Annotated[float | None, typer.Option(help="Fail if out-of-scope abstention is lower.")] = None,
    max_false_abstention: Annotated[float | None, typer.Option(help="Fail if false abstention is higher.")] = None,
) -> None:
    """Retrieval (every system side by side) and answers (as served), reports, and gates."""
    if context.invoked_subcommand is not None:
        # `planwijzer eval --split test retrieval` means the test split: what the subcommand
        # is not told itself, it takes from here. The rest belongs to the whole evaluation.
        context.obj = {
            name: value
            for name, value in (("split", split), ("systems", systems), ("judged", judged))
            # By name: Typer carries its own copy of click, with its own ParameterSource.
            if getattr(context.get_parameter_source(name), "name", "DEFAULT") != "DEFAULT"
        }
        whole_only = {"--url": url, "--min-recall5": min_recall5, "--min-recall1": min_recall1,
                      "--min-precision": min_precision, "--min-abstention": min_abstention,
                      "--max-false-abstention": max_false_abstention}  # fmt: skip
        given = [name for name, value in whole_only.items() if value is not None]
        if report_dir != REPORTS_DIR:
            given.append("--report-dir")
        if given:
            fail(
                "Evaluation not started",
                ValueError(
                    f"{', '.join(given)} applies to the whole evaluation, not to `{context.invoked_subcommand}`"
                ),
                exit_code=2,
            )
        return
    settings = load_settings()
    gates = Gates(min_recall5, min_recall1, min_precision, min_abstention, max_false_abstention)
    try:
        evaluation = (
            _evaluate_remote(url, split, judged, settings)
            if url
            else _evaluate_local(split, _names(systems), judged, settings)
        )
    except (PlanwijzerError, ValueError, httpx.HTTPError) as error:
        fail("Evaluation failed", error)
    console.print(retrieval_table(evaluation.retrieval))
    console.print(gold_count_table(evaluation.retrieval))
    if (served := evaluation.served_result) is not None:
        console.print(f"95% intervals, {served.system}: {interval_line(served.intervals(), RECALLS)}")
        for line in evaluation.difference_lines():
            console.print(f"95% intervals, {line}")
    if evaluation.answers is not None:
        console.print(answers_table(evaluation.answers))
        console.print(f"95% intervals, answers: {interval_line(evaluation.answers.intervals(), ANSWER_RATES)}")
    written = write_reports(evaluation, report_dir)
    console.print("Reports: " + ", ".join(str(path) for path in written))
    failures = evaluation.failures(gates)
    if failures:
        errors.print(Text("Quality gate failed: " + "; ".join(failures), style="bold red"))
        raise typer.Exit(1)


def _names(systems: str) -> list[str]:
    return [name.strip() for name in systems.split(",") if name.strip()]


def _evaluate_local(split: str, systems: list[str], judged: bool, settings: Settings) -> Evaluation:
    questions = load_split(split)
    records = read_corpus(settings.corpus_path)
    resolver = gold_resolver(records, judged)
    # Answers first: the baseline's libraries, once imported, slow the embedding model's
    # threads down, and the answer latencies should be those of the service.
    answers = asyncio.run(evaluate_answers(split, questions, resolver, _engine_ask(Engine.load(settings))))
    retrieval = evaluate_retrieval(split, questions, resolver, open_rankers(settings, systems), served_query(records))
    context = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "embedding model": settings.embedding_model,
        "search mode": settings.search_mode.value,
        "questions": len(questions),
        "gold": LABELS[judged],
    }
    return Evaluation(split, settings.search_mode.value, retrieval, answers, context)


def _evaluate_remote(url: str, split: str, judged: bool, settings: Settings) -> Evaluation:
    questions = load_split(split)
    records = read_corpus(settings.corpus_path)
    resolver = gold_resolver(records, judged)
    with httpx.Client(base_url=url, timeout=30) as client:
        rankers: dict[str, Ranker] = {"served": remote_ranker(client)}
        retrieval = evaluate_retrieval(split, questions, resolver, rankers, served_query(records))

    async def answers() -> AnswerReport:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            return await evaluate_answers(split, questions, resolver, remote_ask(client))

    context = {"created": datetime.now(UTC).isoformat(timespec="seconds"), "service": url, "gold": LABELS[judged]}
    return Evaluation(split, "served", retrieval, asyncio.run(answers()), context)


def _engine_ask(engine: Engine) -> AskFunction:
    async def ask(question: GoldQuestion) -> Outcome:
        return Outcome.of(await engine.answer(question.question, question.history))

    return ask


@eval_app.command("validate")
def eval_validate(
    context: typer.Context,
    split: Annotated[
        str | None, typer.Option("--split", help="dev, test or all; by default the one given to `eval`, else all.")
    ] = None,
) -> None:
    """Check that every gold label names a record of the corpus, and the kinds are consistent;
    and that every judgement names a gold question and a record of the corpus."""
    split = _from_eval(context, "split", split, "all")
    settings = load_settings()
    try:
        questions = load_split(split)
        records = read_corpus(settings.corpus_path)
        problems = validate(questions, records)
        judgements = load_judgements()
        problems += validate_judgements(judgements, load_split("all"), records)
    except PlanwijzerError as error:
        fail("Validation failed", error)
    for problem in problems:
        errors.print(Text(problem))
    if problems:
        raise typer.Exit(1)
    kinds = Counter(str(question.kind) for question in questions)
    listing = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    console.print(f"{len(questions)} gold questions are sound: {listing}; {len(judgements)} judgements are sound")


def _from_eval(context: typer.Context, name: str, given: str | None, default: str) -> str:
    """The subcommand's own option, else the one given to `eval`, else ``default``."""
    return given if given is not None else (context.obj or {}).get(name, default)


def _judged(context: typer.Context, given: bool) -> bool:
    """``--judged`` given to the subcommand or to `eval`."""
    return given or (context.obj or {}).get("judged", False)


@eval_app.command("retrieval")
def eval_retrieval(
    context: typer.Context, split: SplitHere = None, systems: SystemsHere = None, judged: Judged = False
) -> None:
    """Recall@1/5/10, success@5, MRR and nDCG@10 per question kind for each system, side by side."""
    split = _from_eval(context, "split", split, "dev")
    judged = _judged(context, judged)
    systems = _from_eval(context, "systems", systems, ALL_SYSTEMS)
    settings = load_settings()
    try:
        questions = load_split(split)
        records = read_corpus(settings.corpus_path)
        rankers = open_rankers(settings, _names(systems))
        resolver = gold_resolver(records, judged)
        result = evaluate_retrieval(split, questions, resolver, rankers, served_query(records))
    except (PlanwijzerError, ValueError) as error:
        fail("Evaluation failed", error)
    console.print(retrieval_table(result))
    console.print(gold_count_table(result))


@eval_app.command("pool")
def eval_pool(
    context: typer.Context,
    out: Annotated[Path, typer.Option(help="Where the pool goes, one question per JSON line.")],
    split: SplitHere = None,
    depth: Annotated[int, typer.Option(min=1, help="How deep each of bm25, dense and hybrid is pooled.")] = 5,
    baseline_depth: Annotated[
        int, typer.Option(min=0, help="How many LangChain baseline chunks are pooled, with every record in them.")
    ] = 2,
    judgements_file: Annotated[
        Path, typer.Option("--judgements", help="The judgements made so far, whose records are left out.")
    ] = JUDGEMENTS_PATH,
) -> None:
    """Write, for a judge, the records the systems rank high that no gold label or judgement
    covers yet; the judge's verdicts go to eval/gold/judgements.jsonl."""
    split = _from_eval(context, "split", split, "all")
    settings = load_settings()
    try:
        questions = load_split(split)
        records = read_corpus(settings.corpus_path)
        resolver = GoldResolver(records)
        judged = read_judged(records, path=judgements_file)
        depths = {system: depth for system in SYSTEMS if system != BASELINE}
        if baseline_depth:
            depths[BASELINE] = baseline_depth
        rankers = open_rankers(settings, list(depths))
        items = pool(
            questions,
            resolver,
            records,
            {system: (rankers[system], d) for system, d in depths.items()},
            served_query(records),
            judged,
        )
    except (PlanwijzerError, ValueError) as error:
        fail("Pooling failed", error)
    with atomic_write(out) as stream:
        for item in items:
            stream.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
    candidates = sum(len(item.candidates) for item in items)
    console.print(f"{candidates} records to judge for {len(items)} questions: {out}")


@eval_app.command("add-judgements")
def eval_add_judgements(
    pool_file: Annotated[Path, typer.Option("--pool", help="A pool written by `planwijzer eval pool`.")],
    verdicts_file: Annotated[
        Path, typer.Option("--verdicts", help='The judge\'s verdicts: one {"key": …, "relevant": …} per line.')
    ],
    judgements_file: Annotated[
        Path, typer.Option("--judgements", help="The judgements file to add to.")
    ] = JUDGEMENTS_PATH,
) -> None:
    """Add a judge's verdicts on a pool to eval/gold/judgements.jsonl, once every candidate has one."""
    settings = load_settings()
    try:
        new = verdicts_to_judgements(_read_jsonl(pool_file), _read_jsonl(verdicts_file))
        judgements = [*load_judgements(judgements_file), *new]
        check_judgements(judgements, load_split("all"), read_corpus(settings.corpus_path), judgements_file)
    except PlanwijzerError as error:
        fail("Judgements not added", error)
    with atomic_write(judgements_file) as stream:
        stream.writelines(judgement.model_dump_json() + "\n" for judgement in judgements)
    console.print(f"{len(new)} judgements added, {sum(j.relevant for j in new)} of them relevant: {judgements_file}")


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise GoldSetError(f"{path} does not exist")
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except json.JSONDecodeError as error:
        raise GoldSetError(f"{path}: {error}") from error


@eval_app.command("answers")
def eval_answers(
    context: typer.Context,
    split: SplitHere = None,
    sweep: Annotated[bool, typer.Option(help="Print the abstention calibration table per language.")] = False,
    judged: Judged = False,
) -> None:
    """Citation precision and recall, abstention and false abstention, follow-up recall, latency."""
    split = _from_eval(context, "split", split, "dev")
    settings = load_settings()
    try:
        questions = load_split(split)
        resolver = gold_resolver(read_corpus(settings.corpus_path), _judged(context, judged))
        result = asyncio.run(evaluate_answers(split, questions, resolver, _engine_ask(Engine.load(settings))))
    except PlanwijzerError as error:
        fail("Evaluation failed", error)
    console.print(answers_table(result))
    if sweep:
        for scale in ConfidenceScale:
            current = settings.abstain_below(scale)
            table = Table(title=f"Abstention if abstain_below_{scale} (now {current}) were …")
            for column in ("threshold", "abstention (out of scope)", "false abstention (in scope)"):
                table.add_column(column, justify="right")
            for threshold, right, wrong in abstention_sweep(result.scores, scale):
                table.add_row(f"{threshold:.3f}", number(right), number(wrong))
            console.print(table)


def answers_table(result: AnswerReport) -> Table:
    columns = {
        "questions": "n",
        "citation_precision": "precision",
        "citation_recall": "recall@5",
        "abstention": "abstention",
        "false_abstention": "false abst.",
        "followup_recall": "follow-up R",
        "mean_citations": "cites",
        "p50_ms": "p50 ms",
        "p95_ms": "p95 ms",
    }
    table = Table(title=f"Answers on the {result.split} split")
    table.add_column("kind", no_wrap=True)
    for label in columns.values():
        table.add_column(label, justify="right", no_wrap=True)
    for kind, summary in {**result.by_kind(), "all": result.summary()}.items():
        if kind == "all":
            table.add_section()
        table.add_row(kind, *(number(summary[key]) for key in columns))
    return table


def retrieval_table(result: RetrievalReport) -> Table:
    table = Table(title=f"Retrieval on the {result.split} split (top {DEPTH})")
    labels = {
        "recall@1": "R@1",
        "recall@5": "R@5",
        "recall@10": "R@10",
        "success@5": "S@5",
        "mrr": "MRR",
        "ndcg@10": "nDCG@10",
    }
    for column in ("kind", "system", "n", *(labels[m] for m in METRICS), "p50 ms", "p95 ms"):
        table.add_column(column, justify="left" if column in ("kind", "system") else "right", no_wrap=True)
    for kind in [str(kind) for kind in RANKED_KINDS] + ["all"]:
        for system in result.systems:
            row = system.by_kind().get(kind)
            if row is None:
                continue
            latency = system.latency()
            table.add_row(
                kind,
                system.system,
                str(row["questions"]),
                *(f"{row[m]:.3f}" for m in METRICS),
                f"{latency['p50_ms']:.1f}",
                f"{latency['p95_ms']:.1f}",
            )
        table.add_section()
    if result.skipped:
        table.caption = "Not ranked here: " + ", ".join(f"{n} {k}" for k, n in sorted(result.skipped.items()))
    return table


def gold_count_table(result: RetrievalReport) -> Table:
    table = Table(title="Recall@5 by number of gold records")
    for column in ("kind", "gold records", "n", *(system.system for system in result.systems)):
        table.add_column(column, justify="left" if column in ("kind", "gold records") else "right", no_wrap=True)
    for kind, group, questions, recalls in gold_count_rows(result):
        table.add_row(kind, group, str(questions), *(f"{recall:.3f}" for recall in recalls))
    return table
