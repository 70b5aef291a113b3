"""The real service as a separate process on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from planwijzer.index.embeddings import load_embeddings
from planwijzer.index.store import build_index
from planwijzer.ingest.pipeline import run_ingest
from planwijzer.service.probe import NotReadyError, free_port, wait_until_ready
from planwijzer.settings import Settings


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
    build_index(settings, load_embeddings(settings.embedding_model, settings.cache_dir))
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
            try:
                wait_until_ready(base, process)
            except NotReadyError as error:
                raise NotReadyError(f"{error}: {log_path.read_text(errors='replace')}") from error
            yield Service(base, process)
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=30)
