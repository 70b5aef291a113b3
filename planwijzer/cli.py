"""The ``planwijzer`` command: one sub-command per pipeline stage."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from planwijzer.errors import PlanwijzerError
from planwijzer.eval.answers import AnswerReport, abstention_sweep, evaluate_answers
from planwijzer.eval.gold import GoldQuestion, GoldResolver, load_split, validate
from planwijzer.eval.retrieval import DEPTH, METRICS, RANKED_KINDS, RetrievalReport, evaluate_retrieval
from planwijzer.eval.systems import SYSTEMS, open_rankers, served_query
from planwijzer.index.embeddings import load_embeddings
from planwijzer.index.search import open_searcher
from planwijzer.index.store import build_index
from planwijzer.ingest.corpus import read_corpus
from planwijzer.ingest.pipeline import IngestSummary, run_ingest
from planwijzer.ingest.records import Source
from planwijzer.service.answering import Answer
from planwijzer.service.engine import Engine
from planwijzer.service.models import AskRequest, AskResponse
from planwijzer.settings import SearchMode, Settings

app = typer.Typer(help="Planwijzer: answers about the Leuven policy plan, with citations.", no_args_is_help=True)
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


def _fail(what: str, error: Exception, exit_code: int = 1) -> NoReturn:
    # Text, not markup: messages quote the plan, which may hold square brackets.
    errors.print(Text.assemble((f"{what}: ", "bold red"), str(error)))
    raise typer.Exit(exit_code) from error


@app.callback()
def _root() -> None:
    """Planwijzer: answers about the Leuven policy plan, with citations."""


def _settings(**overrides: object) -> Settings:
    try:
        return Settings(**{name: value for name, value in overrides.items() if value is not None})
    except ValidationError as error:
        _fail("Invalid settings", error, exit_code=2)


@app.command()
def ingest(
    sources: Annotated[Path | None, typer.Option(help="Source registry (TOML).")] = None,
    build_dir: Annotated[Path | None, typer.Option(help="Where build/corpus.jsonl goes.")] = None,
) -> None:
    """Parse every registered source into build/corpus.jsonl and print a summary."""
    settings = _settings(sources_file=sources, build_dir=build_dir)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    ) as progress:
        task = progress.add_task("Parsing sources", total=None)

        def advance(source: Source, count: int) -> None:
            progress.update(task, description=f"Parsed {source.id} ({count} records)", advance=1)

        try:
            summary = run_ingest(settings, on_source=advance)
        except PlanwijzerError as error:
            _fail("Ingest failed", error)
    console.print(_summary_table(summary))
    console.print(f"Wrote {summary.records} records ({summary.actions:,} actions) to {settings.corpus_path}")


@app.command()
def index(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when the index is current.")] = False,
) -> None:
    """Embed the corpus and write build/index/ (skipped when the index already matches corpus and model)."""
    settings = _settings()
    try:
        embeddings = load_embeddings(settings.embedding_model)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
        ) as progress:
            task = progress.add_task("Embedding passages", total=None)
            report = build_index(
                settings,
                embeddings,
                force=force,
                on_progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    except PlanwijzerError as error:
        _fail("Index build failed", error)
    manifest = report.manifest
    if not report.rebuilt:
        console.print(f"The index in {settings.index_dir} is current ({manifest.passages} passages); nothing to do.")
        return
    console.print(
        f"Indexed {manifest.corpus_records} records as {manifest.passages} passages with {manifest.model_id} "
        f"({report.embedded} embedded anew, the rest from the cache) in {report.seconds:.1f} s -> {settings.index_dir}"
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='What to look for, or an action number ("5.95", "p6 a31").')],
    k: Annotated[int, typer.Option(min=1, max=100, help="How many results.")] = 10,
    mode: Annotated[SearchMode | None, typer.Option(help="Ranking; default from PLANWIJZER_SEARCH_MODE.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Search the corpus: an exact look-up for action numbers, ranked retrieval otherwise."""
    settings = _settings()
    try:
        searcher = open_searcher(settings, mode)
        hits = searcher.search(query, k)
    except (PlanwijzerError, ValueError) as error:
        _fail("Search failed", error)
    if as_json:
        results = [
            {
                "id": h.record.id,
                "citation": h.record.citation,
                "score": round(h.score, 4),
                "method": h.method,
                "text": h.record.text,
            }
            for h in hits
        ]
        typer.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return
    if not hits:
        console.print("No records match this query.")
    for rank, hit in enumerate(hits, start=1):
        console.print(Text.assemble((f"{rank}. {hit.record.citation}", "bold"), f"  ({hit.method} {hit.score:.3f})"))
        console.print(Text(hit.record.text), "")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in Dutch or English.")],
    language: Annotated[str, typer.Option(help="nl, en or auto.")] = "auto",
    top_k: Annotated[int | None, typer.Option(min=1, max=20, help="Most records to cite.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly the JSON of POST /v1/ask.")] = False,
) -> None:
    """Answer a question from the plan, as /v1/ask does."""
    try:
        request = AskRequest(question=question, language=language, top_k=top_k)
    except ValidationError as error:
        _fail("Invalid question", error, exit_code=2)
    try:
        engine = Engine.load(_settings())
        started = time.perf_counter()
        answer = asyncio.run(engine.answer(request.question, (), request.language, request.top_k))
    except PlanwijzerError as error:
        _fail("Ask failed", error)
    total = round((time.perf_counter() - started) * 1000, 3)
    response = AskResponse.of(answer, {**answer.grounding.timings_ms, "total": total})
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    typer.echo(response.answer)
    for citation in response.citations:
        console.print(Text.assemble((f"[{citation.label}] ", "bold"), citation.citation))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=32, help="Worker processes sharing the read-only index.")] = 1,
) -> None:
    """Start the HTTP service (API, OpenAPI at /docs)."""
    settings = _settings()
    import uvicorn

    uvicorn.run(
        "planwijzer.service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
    )


eval_app = typer.Typer(help="Measure Planwijzer against the gold questions in eval/gold/.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("validate")
def eval_validate(
    split: Annotated[str, typer.Option(help="dev, test or all.")] = "all",
) -> None:
    """Check that every gold label names a record of the corpus, and the kinds are consistent."""
    settings = _settings()
    try:
        questions = load_split(split)
        problems = validate(questions, read_corpus(settings.corpus_path))
    except PlanwijzerError as error:
        _fail("Validation failed", error)
    for problem in problems:
        errors.print(Text(problem))
    if problems:
        raise typer.Exit(1)
    kinds = Counter(str(question.kind) for question in questions)
    console.print(
        f"{len(questions)} gold questions are sound: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    )


@eval_app.command("retrieval")
def eval_retrieval(
    split: Annotated[str, typer.Option(help="dev (for tuning), test (held back) or all.")] = "dev",
    systems: Annotated[str, typer.Option(help="Comma-separated: " + ", ".join(SYSTEMS))] = ",".join(SYSTEMS),
    report: Annotated[Path | None, typer.Option(help="Also write the report as JSON here.")] = None,
    min_recall5: Annotated[
        float | None, typer.Option(help="Fail unless the served mode reaches this recall@5.")
    ] = None,
    min_recall1: Annotated[
        float | None, typer.Option(help="Fail unless the served mode reaches this recall@1.")
    ] = None,
) -> None:
    """Recall@1/5/10, MRR and nDCG@10 per question kind for each system, side by side."""
    settings = _settings()
    names = [name.strip() for name in systems.split(",") if name.strip()]
    try:
        questions = load_split(split)
        records = read_corpus(settings.corpus_path)
        rankers = open_rankers(settings, names)
        result = evaluate_retrieval(split, questions, GoldResolver(records), rankers, served_query(records))
    except (PlanwijzerError, ValueError) as error:
        _fail("Evaluation failed", error)
    console.print(_retrieval_table(result))
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
    served = next((r for r in result.systems if r.system == settings.search_mode.value), None)
    gates = {"recall@5": min_recall5, "recall@1": min_recall1}
    failed = []
    for metric, floor in gates.items():
        if floor is None:
            continue
        if served is None:
            _fail(
                "Evaluation failed", ValueError(f"the gate needs the served mode {settings.search_mode} in --systems")
            )
        value = served.by_kind()["all"][metric]
        if value < floor:
            failed.append(f"{served.system} {metric} {value:.3f} < {floor:.3f}")
    if failed:
        errors.print(Text("Quality gate failed: " + "; ".join(failed), style="bold red"))
        raise typer.Exit(1)


@eval_app.command("answers")
def eval_answers(
    split: Annotated[str, typer.Option(help="dev (for tuning), test (held back) or all.")] = "dev",
    report: Annotated[Path | None, typer.Option(help="Also write the report as JSON here.")] = None,
    sweep: Annotated[bool, typer.Option(help="Print the abstention calibration table per language.")] = False,
) -> None:
    """Citation precision and recall, abstention and false abstention, follow-up recall, latency."""
    settings = _settings()
    try:
        questions = load_split(split)
        resolver = GoldResolver(read_corpus(settings.corpus_path))
        engine = Engine.load(settings)

        async def ask_engine(question: GoldQuestion) -> Answer:
            return await engine.answer(question.question, question.history)

        result = asyncio.run(evaluate_answers(split, questions, resolver, ask_engine))
    except PlanwijzerError as error:
        _fail("Evaluation failed", error)
    console.print(_answers_table(result))
    if sweep:
        for language in ("nl", "en"):
            table = Table(title=f"Abstention if abstain_below_{language} were …")
            for column in ("threshold", "abstention (out of scope)", "false abstention (in scope)"):
                table.add_column(column, justify="right")
            low = settings.abstain_below_nl if language == "nl" else settings.abstain_below_en
            thresholds = [round(low - 0.05 + 0.005 * step, 3) for step in range(21)]
            for threshold, right, wrong in abstention_sweep(result.scores, language, thresholds):
                table.add_row(f"{threshold:.3f}", _fmt(right), _fmt(wrong))
            console.print(table)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _answers_table(result: AnswerReport) -> Table:
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
    rows = {**result.by_kind(), "all": result.summary()}
    for kind, summary in rows.items():
        if kind == "all":
            table.add_section()
        table.add_row(kind, *(_fmt(summary[key]) for key in columns))
    return table


def _retrieval_table(result: RetrievalReport) -> Table:
    table = Table(title=f"Retrieval on the {result.split} split (top {DEPTH})")
    labels = {"recall@1": "R@1", "recall@5": "R@5", "recall@10": "R@10", "mrr": "MRR", "ndcg@10": "nDCG@10"}
    for column in ("kind", "system", "n", *(labels[m] for m in METRICS), "p50 ms", "p95 ms"):
        table.add_column(column, justify="left" if column in ("kind", "system") else "right", no_wrap=True)
    kinds = [str(kind) for kind in RANKED_KINDS] + ["all"]
    for kind in kinds:
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


def _summary_table(summary: IngestSummary) -> Table:
    table = Table(title="Corpus summary")
    table.add_column("source")
    table.add_column("programma", justify="right")
    table.add_column("actions", justify="right")
    for (source, programme), count in sorted(summary.actions_by_programme.items()):
        table.add_row(source, str(programme), str(count))
    table.add_section()
    table.add_row("all sources", "", f"{summary.actions:,}")
    table.add_section()
    for (source, kind), count in sorted(summary.by_source_kind.items()):
        table.add_row(source, f"{kind} records", str(count))
    return table


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
    app()


if __name__ == "__main__":
    main()
