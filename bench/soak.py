"""`make soak`: two minutes at 16 concurrent connections on loopback, in 10-second windows.

Reports errors (goal: none), how far p95 latency drifts from the first window to the last,
and how much the server's resident memory grows (goal for both: under 10%). Stops by itself
after the two minutes; talks only to 127.0.0.1. Results go to bench/results/soak.json.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table
from run import RESULTS, drive, rss_mb, serving  # bench/ is a folder of scripts, not a package

CLIENTS = 16
WINDOWS = 12
WINDOW_SECONDS = 10.0
SOAK_RESULTS = RESULTS.with_name("soak.json")


def main() -> None:
    windows = []
    with serving() as (base, pid), tempfile.TemporaryDirectory() as scratch:
        rss_start = rss_mb(pid)
        for number in range(WINDOWS):
            run = drive(base, "/v1/ask", CLIENTS, WINDOW_SECONDS, Path(scratch))
            windows.append({"window": number + 1, **run, "rss_mb": round(rss_mb(pid), 1)})
    first, last = windows[0], windows[-1]
    summary = {
        "clients": CLIENTS,
        "seconds": WINDOWS * WINDOW_SECONDS,
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
    SOAK_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    SOAK_RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    table = Table(title=f"Soak: {CLIENTS} connections for {summary['seconds']:.0f} s on /v1/ask")
    for column in ("window", "requests", "errors", "req/s", "p50 ms", "p95 ms", "RSS MB"):
        table.add_column(column, justify="right")
    for w in windows:
        row = (w["window"], w["requests"], w["errors"], w["rps"], w["p50_ms"], w["p95_ms"], w["rss_mb"])
        table.add_row(*(str(value) for value in row))
    console = Console()
    console.print(table)
    console.print(
        f"{summary['requests']} requests, {summary['errors']} errors; p95 drift {summary['p95_drift_percent']}%; "
        f"RSS {summary['rss_start_mb']} -> {summary['rss_end_mb']} MB ({summary['rss_growth_percent']}%). "
        f"Written to {SOAK_RESULTS}"
    )


if __name__ == "__main__":
    main()
