"""`make bench-search`: how long one search takes in-process, the figure of the retrieval goal
(p95 at most 20 ms a query).

Every gold question of both splits (a follow-up as the standalone query the service makes of
it) is searched as `/v1/search` and `/v1/ask` search it, in several rounds, each in its own
shuffled order; the p95 is over all of them, so one slow moment weighs less than in a single
pass. Beside the whole search, the query embedding alone is timed on the same queries, for
how much of a search it is, and the searches are also summed up by the length of the
question: the embedding's time grows with every token. The searches embed with every core the
process may use, as a request does when it is the only one in flight. Results go to
bench/results/search.json.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from statistics import fmean

from rich.console import Console
from rich.table import Table
from run import RESULTS, latency_percentiles  # bench/ is a folder of scripts, not a package

from planwijzer.eval.gold import load_split
from planwijzer.eval.metrics import percentile
from planwijzer.eval.systems import served_query
from planwijzer.index.search import open_searcher
from planwijzer.settings import Settings

SEARCH_RESULTS = RESULTS.with_name("search.json")
ROUNDS = 5
WARM_UP = 20
K = 10  # what /v1/search returns by default
GOAL_P95_MS = 20.0
# Question lengths in words, as the breakdown groups them: up to 5, 6 to 10, 11 to 15, more.
LENGTH_BOUNDS = (5, 10, 15)


def milliseconds(run: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: Sequence[float]) -> dict[str, float]:
    return {**latency_percentiles(times), "mean_ms": round(fmean(times), 2)}


def length_group(words: int) -> str:
    least = 1
    for most in LENGTH_BOUNDS:
        if words <= most:
            return f"{least}–{most}"
        least = most + 1
    return f"{least}+"


def by_length(searches: Sequence[tuple[str, float]]) -> dict[str, dict[str, float]]:
    """The percentiles of (query, milliseconds) ``searches`` per group of question lengths in
    words, shortest first."""
    groups: dict[str, list[float]] = {}
    for query, elapsed in sorted(searches, key=lambda search: len(search[0].split())):
        groups.setdefault(length_group(len(query.split())), []).append(elapsed)
    return {group: {"searches": len(times), **summary(times)} for group, times in groups.items()}


def main() -> None:
    settings = Settings()
    searcher = open_searcher(settings)
    if searcher.embeddings is None:
        raise SystemExit(f"search mode {settings.search_mode} embeds nothing: the goal is about hybrid search")
    query_for = served_query(searcher.records)
    queries = [query_for(question) for question in load_split("all")]
    for query in queries[:WARM_UP]:
        searcher.search(query, K)
    shuffle = random.Random(0).shuffle
    rounds, timed, embedding = [], [], []
    for _ in range(ROUNDS):
        order = list(queries)
        shuffle(order)
        rounds.append(milliseconds(lambda query: searcher.search(query, K), order))
        timed += zip(order, rounds[-1], strict=True)
        embedding += milliseconds(searcher.embeddings.embed_question, order)
    searches = [elapsed for times in rounds for elapsed in times]
    results = {
        "mode": str(settings.search_mode),
        "model": searcher.embeddings.model_id,
        "queries": len(queries),
        "rounds": ROUNDS,
        "search": summary(searches),
        "search_rounds_p95_ms": [round(percentile(times, 0.95), 2) for times in rounds],
        "query_embedding": summary(embedding),
        "search_by_question_words": by_length(timed),
        "goal_p95_ms": GOAL_P95_MS,
    }
    SEARCH_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    SEARCH_RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    search, embedded = results["search"], results["query_embedding"]
    verdict = "met" if search["p95_ms"] <= GOAL_P95_MS else "missed"
    console = Console()
    console.print(
        f"{results['mode']} search, {len(queries)} queries × {ROUNDS} rounds: p50 {search['p50_ms']} ms, "
        f"p95 {search['p95_ms']} ms (goal ≤ {GOAL_P95_MS:.0f} ms: {verdict}), p99 {search['p99_ms']} ms; "
        f"p95 of each round {results['search_rounds_p95_ms']}; the query embedding alone p50 "
        f"{embedded['p50_ms']} ms, p95 {embedded['p95_ms']} ms. Written to {SEARCH_RESULTS}"
    )
    table = Table("question words", "searches", "p50 ms", "p95 ms", title="Search time by question length")
    for group, times in results["search_by_question_words"].items():
        table.add_row(group, str(times["searches"]), f"{times['p50_ms']:.2f}", f"{times['p95_ms']:.2f}")
    console.print(table)


if __name__ == "__main__":
    main()
