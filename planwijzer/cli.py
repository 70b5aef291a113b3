"""The ``planwijzer`` command: one sub-command per pipeline stage."""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from planwijzer.errors import PlanwijzerError
from planwijzer.eval.cli import eval_app
from planwijzer.index.embeddings import load_embeddings
from planwijzer.index.lookup import scope_of
from planwijzer.index.search import open_searcher
from planwijzer.index.store import build_index
from planwijzer.ingest.keywords import keyword_worklist, load_keywords
from planwijzer.ingest.pipeline import IngestSummary, parse_source, run_ingest
from planwijzer.ingest.records import Source
from planwijzer.ingest.sources import load_sources
from planwijzer.logs import configure_logging, logging_config
from planwijzer.service.engine import Engine
from planwijzer.service.models import AskRequest, AskResponse
from planwijzer.settings import SearchMode
from planwijzer.terminal import console, fail, load_settings

app = typer.Typer(help="Planwijzer: answers about the Leuven policy plan, with citations.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@app.callback()
def _root() -> None:
    """Planwijzer: answers about the Leuven policy plan, with citations."""


@app.command()
def ingest(
    sources: Annotated[Path | None, typer.Option(help="Source registry (TOML).")] = None,
    build_dir: Annotated[Path | None, typer.Option(help="Where build/corpus.jsonl goes.")] = None,
) -> None:
    """Parse every registered source into build/corpus.jsonl and print a summary."""
    settings = load_settings(sources_file=sources, build_dir=build_dir)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    ) as progress:
        task = progress.add_task("Parsing sources", total=None)

        def advance(source: Source, count: int) -> None:
            progress.update(task, description=f"Parsed {source.id} ({count} records)", advance=1)

        try:
            summary = run_ingest(settings, on_source=advance)
        except PlanwijzerError as error:
            fail("Ingest failed", error)
    console.print(_summary_table(summary))
    for source_id, report in summary.keywords.items():
        console.print(f"Keywords: {report.attached:,} records of {source_id}")
        for ids, problem in (
            (report.stale, "keyword entries were written for an older text and are left out; write them again"),
            (report.unknown, "keyword entries name records the source does not have"),
            (report.missing, "records have no keywords and are found by their text alone"),
        ):
            if ids:
                console.print(f"[yellow]{source_id}: {len(ids)} {problem}: {', '.join(ids[:10])}[/yellow]")
    console.print(f"Wrote {summary.records} records ({summary.actions:,} actions) to {settings.corpus_path}")


@app.command()
def keywords(
    sources: Annotated[Path | None, typer.Option(help="Source registry (TOML).")] = None,
) -> None:
    """Print, as JSON lines, the keyword entries to write: for every action and bullet whose
    search keywords are missing or were written for an older text."""
    settings = load_settings(sources_file=sources)
    try:
        for source in load_sources(settings.registry_path):
            entries = load_keywords(source.keywords) if source.keywords is not None else []
            for entry in keyword_worklist(parse_source(source), entries):
                typer.echo(json.dumps(entry.model_dump(), ensure_ascii=False))
    except PlanwijzerError as error:
        fail("Reading the keywords failed", error)


@app.command()
def index(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when the index is current.")] = False,
) -> None:
    """Embed the corpus and write build/index/ (skipped when the index already matches corpus and model)."""
    settings = load_settings()
    try:
        embeddings = load_embeddings(settings.embedding_model, settings.cache_dir)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
        ) as progress:
            task = progress.add_task("Embedding", total=None)
            report = build_index(
                settings,
                embeddings,
                force=force,
                on_progress=lambda stage, done, total: progress.update(
                    task, description=f"Embedding {stage}", completed=done, total=total
                ),
            )
    except PlanwijzerError as error:
        fail("Index build failed", error)
    manifest = report.manifest
    if not report.rebuilt:
        console.print(f"The index in {settings.index_dir} is current ({manifest.passages} passages); nothing to do.")
        return
    console.print(
        f"Indexed {manifest.corpus_records} records as {manifest.passages} passages (and {manifest.keyword_passages} "
        f"of search keywords) with {manifest.model_id} "
        f"({report.embedded} embedded anew, the rest from the cache), lexicons of {manifest.english_lexicon_entries:,} "
        f"English and {manifest.dutch_lexicon_entries:,} Dutch words, in {report.seconds:.1f} s -> {settings.index_dir}"
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='What to look for, or an action number ("5.95", "p6 a31").')],
    k: Annotated[int, typer.Option(min=1, max=100, help="How many results.")] = 10,
    mode: Annotated[SearchMode | None, typer.Option(help="Ranking; default from PLANWIJZER_SEARCH_MODE.")] = None,
    programme: Annotated[int | None, typer.Option(min=1, max=99, help="Only this programme.")] = None,
    actieprogramma: Annotated[str | None, typer.Option(help='Only this actieprogramma: "5.5".')] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Search the corpus: an exact look-up for action numbers, ranked retrieval otherwise."""
    settings = load_settings()
    try:
        within = scope_of(programme, actieprogramma)
        hits = open_searcher(settings, mode).search(query, k, within)
    except (PlanwijzerError, ValueError) as error:
        fail("Search failed", error)
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
        fail("Invalid question", error, exit_code=2)
    try:
        engine = Engine.load(load_settings())
        started = time.perf_counter()
        answer = asyncio.run(engine.answer(request.question, (), request.language, request.top_k))
    except PlanwijzerError as error:
        fail("Ask failed", error)
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
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(help="Proxies whose X-Forwarded-For is trusted (the rate limit then sees real clients)."),
    ] = None,
) -> None:
    """Start the HTTP service (API, OpenAPI at /docs)."""
    settings = load_settings()
    # One thread per worker served the most requests per second on two cores (126/s against
    # 101/s with two at 16 clients, for 16 ms against 12 ms alone); an explicit
    # OMP_NUM_THREADS wins. Set before anything starts the OpenMP runtime (faiss); the
    # embedding model reads it too. A request alone still gets threads_when_alone
    # (service/threads.py).
    os.environ.setdefault("OMP_NUM_THREADS", str(settings.threads_per_worker))
    import uvicorn

    uvicorn.run(
        "planwijzer.service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=logging_config(settings.log_level, as_json=True),
        access_log=False,
        forwarded_allow_ips=forwarded_allow_ips,
        # In-flight requests get this long to finish after SIGTERM before workers stop.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )


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
    configure_logging()
    app()


if __name__ == "__main__":
    main()
