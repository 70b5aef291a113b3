"""The real service as a separate process on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from planwijzer.index.embeddings import load_embeddings
from planwijzer.index.store import build_index
from planwijzer.ingest.pipeline import run_ingest
from planwijzer.settings import Settings

READY_DEADLINE = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Service:
    url: str
    process: subprocess.Popen


@contextmanager
def running_service(scratch: Path, *arguments: str, **environment: str) -> Iterator[Service]:
    """`planwijzer serve [arguments]` over the project's corpus and index (built first if
    need be), ready; stopped afterwards. Its log is ``scratch/server.log``."""
    settings = Settings()
    if not settings.corpus_path.is_file():
        run_ingest(settings)
    build_index(settings, load_embeddings(settings.embedding_model))
    port = free_port()
    command = [sys.executable, "-m", "planwijzer.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *arguments]
    env = {
        **os.environ,
        "PLANWIJZER_FEEDBACK_PATH": str(scratch / "feedback.sqlite3"),
        "PLANWIJZER_RATE_LIMIT": "",  # tests and benchmarks send faster than any resident
        **environment,
    }
    log_path = scratch / "server.log"
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_ready(base, process, log_path)
            yield Service(base, process)
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=30)


def _wait_until_ready(base: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + READY_DEADLINE
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"the service exited: {log_path.read_text(errors='replace')}")
        time.sleep(0.2)
    raise RuntimeError(f"the service was not ready within {READY_DEADLINE:g} s")
