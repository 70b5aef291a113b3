"""`make bench`: how fast Planwijzer is on this machine, printed as numbers.

1. ingest and the index build as `make run` does them (the embedding cache makes an
   unchanged plan quick; `make bench-build` times a build from scratch), timed;
2. `planwijzer serve` on a free loopback port, warmed up;
3. /v1/ask and /v1/search at 1, 4 and 16 concurrent connections for a fixed time each:
   latency p50/p95/p99, requests per second, errors. The load comes from `wrk` (C, light
   enough not to steal the server's two cores) when it is installed, else from an asyncio
   httpx driver, which costs about as much CPU as the server and so understates throughput;
4. the server's resident memory after warm-up and after the runs;
5. a soak: two minutes of /v1/ask at 16 connections in 10-second windows, for errors (goal:
   none), the drift of p95 latency from the first window to the last and the growth of
   resident memory over the soak (goal for both: under 10%).

Bounded: every phase has a deadline and the whole run stops within 3 minutes. It only ever
talks to 127.0.0.1. Results go to bench/results/latest.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import httpx

from planwijzer.eval.gold import GOLD_DIR, load_gold
from planwijzer.eval.metrics import percentile
from planwijzer.service.probe import LOOPBACK, free_port, wait_until_ready

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
CONCURRENCY = (1, 4, 16)
SECONDS_PER_RUN = 5.0
SOAK_CLIENTS = 16
SOAK_WINDOWS = 12
SOAK_WINDOW_SECONDS = 10.0
STARTUP_DEADLINE = 60.0
HOST = LOOPBACK  # never anything else
PLANWIJZER = [sys.executable, "-m", "planwijzer.cli"]


def timed(command: list[str], env: dict[str, str], timeout: float = 150) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, timeout=timeout)
    return time.perf_counter() - started


def latency_percentiles(latencies: Sequence[float]) -> dict[str, float]:
    """p50, p95 and p99 of latencies in milliseconds, as the results files name them."""
    return {f"p{share}_ms": round(percentile(latencies, share / 100), 2) for share in (50, 95, 99)}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


WRK_SCRIPT = """
local bodies = {%(bodies)s}
local paths = {%(paths)s}
local method = "%(method)s"
local i = 0
request = function()
  i = i + 1
  local n = (i %% #paths) + 1
  if method == "POST" then
    return wrk.format("POST", paths[n], {["content-type"] = "application/json"}, bodies[n])
  end
  return wrk.format("GET", paths[n])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('WRK {"requests": %%d, "errors": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f}\\n',
    summary.requests, errors, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def wrk_load(base: str, route: str, questions: list[str], clients: int, seconds: float, scratch: Path) -> dict:
    def lua(text: str) -> str:
        return "[==[" + text + "]==]"

    if route == "/v1/ask":
        bodies = [json.dumps({"question": question}) for question in questions]
        paths = [route] * len(questions)
    else:
        bodies = [""] * len(questions)
        paths = [f"{route}?{urlencode({'q': question, 'k': 10})}" for question in questions]
    script = scratch / "load.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "bodies": ", ".join(lua(body) for body in bodies),
            "paths": ", ".join(lua(path) for path in paths),
            "method": "POST" if route == "/v1/ask" else "GET",
        }
    )
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "10s", "-s", str(script), base]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=seconds + 30).stdout
    result = json.loads(output.split("WRK ", 1)[1])
    return {
        "clients": clients,
        "requests": result["requests"],
        "errors": result["errors"],
        "rps": round(result["requests"] / result["seconds"], 1),
        "p50_ms": round(result["p50"], 2),
        "p95_ms": round(result["p95"], 2),
        "p99_ms": round(result["p99"], 2),
        "generator": "wrk",
    }


async def load(base: str, route: str, questions: list[str], clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client(number: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            turn = number
            while time.perf_counter() < deadline:
                question = questions[turn % len(questions)]
                turn += clients
                started = time.perf_counter()
                try:
                    if route == "/v1/ask":
                        response = await http.post(route, json={"question": question})
                    else:
                        response = await http.get(route, params={"q": question, "k": 10})
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                errors += not ok

    started = time.perf_counter()
    await asyncio.gather(*(client(number) for number in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / elapsed, 1),
        **latency_percentiles(latencies),
        "generator": "httpx",
    }


@contextmanager
def serving() -> Iterator[tuple[str, int]]:
    """`planwijzer serve` on a free loopback port, ready and warmed up: (base URL, pid)."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = subprocess.Popen(
        [*PLANWIJZER, "serve", "--host", HOST, "--port", str(port)],
        # No rate limit: the bench measures capacity, from one client address. Two malloc
        # arenas, as the image runs (see "Memory" in the README).
        env={**os.environ, "PLANWIJZER_LOG_LEVEL": "WARNING", "PLANWIJZER_RATE_LIMIT": "", "MALLOC_ARENA_MAX": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_ready(base, server, STARTUP_DEADLINE)
        asyncio.run(load(base, "/v1/ask", dev_questions(), 2, 2.0))  # warm-up
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=15)


@cache
def dev_questions() -> list[str]:
    # The 120 questions of dev.jsonl, not the short ones beside them: a question of a few words
    # embeds faster, and the figures stay comparable with those measured before they existed.
    return [question.question for question in load_gold(GOLD_DIR / "dev.jsonl")]


def drive(base: str, route: str, clients: int, seconds: float, scratch: Path) -> dict:
    """One timed run of load, by wrk when installed, on a server with nothing left to do."""
    drain(base)
    if shutil.which("wrk"):
        return wrk_load(base, route, dev_questions(), clients, seconds, scratch)
    return asyncio.run(load(base, route, dev_questions(), clients, seconds))


def drain(base: str) -> None:
    """Waits until the server has answered what an earlier run left in flight: a load
    generator stops with requests still queued, and the service takes them in order, so a
    search asked now is answered after them."""
    httpx.get(f"{base}/v1/search", params={"q": "kinderopvang"}, timeout=STARTUP_DEADLINE).raise_for_status()


def main() -> None:
    env = {**os.environ}
    results: dict[str, object] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    results["ingest_seconds"] = round(timed([*PLANWIJZER, "ingest"], env), 2)
    results["index_seconds"] = round(timed([*PLANWIJZER, "index"], env), 2)

    with serving() as (base, pid), tempfile.TemporaryDirectory() as scratch:
        results["rss_mb_after_warmup"] = round(rss_mb(pid), 1)
        results["runs"] = [
            {"route": route, **drive(base, route, clients, SECONDS_PER_RUN, Path(scratch))}
            for route in ("/v1/ask", "/v1/search")
            for clients in CONCURRENCY
        ]
        results["rss_mb_after_runs"] = round(rss_mb(pid), 1)
        results["soak"] = soak(base, pid, Path(scratch))

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)


def soak(base: str, pid: int, scratch: Path) -> dict:
    """Sustained load after the runs, so that memory is measured from a server that has
    already served 16 connections (its thread pool grown), and growth means a leak."""
    rss_start = rss_mb(pid)
    windows = []
    for number in range(SOAK_WINDOWS):
        run = drive(base, "/v1/ask", SOAK_CLIENTS, SOAK_WINDOW_SECONDS, scratch)
        windows.append({"window": number + 1, **run, "rss_mb": round(rss_mb(pid), 1)})
    first, last = windows[0], windows[-1]
    return {
        "clients": SOAK_CLIENTS,
        "seconds": SOAK_WINDOWS * SOAK_WINDOW_SECONDS,
        "requests": sum(w["requests"] for w in windows),
        "errors": sum(w["errors"] for w in windows),
        "p95_first_ms": first["p95_ms"],
        "p95_last_ms": last["p95_ms"],
        "p95_drift_percent": round(100 * (last["p95_ms"] - first["p95_ms"]) / first["p95_ms"], 1),
        "rss_start_mb": round(rss_start, 1),
        "rss_end_mb": last["rss_mb"],
        "rss_growth_percent": round(100 * (last["rss_mb"] - rss_start) / rss_start, 1),
        "windows": windows,
    }


def print_table(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"ingest {results['ingest_seconds']} s · index {results['index_seconds']} s · RSS"
        f" {results['rss_mb_after_warmup']} MB after warm-up, {results['rss_mb_after_runs']} MB after the runs"
    )
    table = Table(title="Latency and throughput over loopback (one uvicorn worker)")
    for column in ("route", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "load from"):
        table.add_column(column, justify="left" if column == "route" else "right")
    for run in results["runs"]:
        table.add_row(
            run["route"], str(run["clients"]), str(run["requests"]), str(run["errors"]), str(run["rps"]),
            str(run["p50_ms"]), str(run["p95_ms"]), str(run["p99_ms"]), run["generator"],
        )  # fmt: skip
    console.print(table)
    soak_result = results["soak"]
    table = Table(title=f"Soak: {soak_result['clients']} connections for {soak_result['seconds']:.0f} s on /v1/ask")
    for column in ("window", "requests", "errors", "req/s", "p50 ms", "p95 ms", "RSS MB"):
        table.add_column(column, justify="right")
    for w in soak_result["windows"]:
        row = (w["window"], w["requests"], w["errors"], w["rps"], w["p50_ms"], w["p95_ms"], w["rss_mb"])
        table.add_row(*(str(value) for value in row))
    console.print(table)
    console.print(
        f"soak: {soak_result['requests']} requests, {soak_result['errors']} errors; p95 drift"
        f" {soak_result['p95_drift_percent']}%; RSS {soak_result['rss_start_mb']} -> {soak_result['rss_end_mb']} MB"
        f" ({soak_result['rss_growth_percent']}%)"
    )
    console.print(f"Written to {RESULTS}")


if __name__ == "__main__":
    main()
