"""The real service over HTTP: `planwijzer serve` on a free loopback port, the real plan,
index and embedding model."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from planwijzer.index.embeddings import load_embeddings
from planwijzer.index.store import build_index
from planwijzer.ingest.pipeline import run_ingest
from planwijzer.settings import Settings

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings()
    if not settings.corpus_path.is_file():
        run_ingest(settings)
    build_index(settings, load_embeddings(settings.embedding_model))
    port = free_port()
    command = [sys.executable, "-m", "planwijzer.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(command, env={**os.environ}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                pytest.fail(f"the server exited: {log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        else:
            pytest.fail("the server did not become ready within 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def test_a_resident_question_over_http(server: str) -> None:
    response = httpx.post(f"{server}/v1/ask", json={"question": "komt er een grotere fietsenstalling aan het station?"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "answered"
    assert "3.62" in [citation["label"] for citation in answer["citations"]]
    assert "[3.62]" in answer["answer"]


def test_an_unrelated_question_is_not_answered_from_the_plan(server: str) -> None:
    answer = httpx.post(f"{server}/v1/ask", json={"question": "Who won the Champions League final?"}).json()
    assert answer["status"] == "not_found" and answer["language"] == "en"


def test_the_stream_over_http(server: str) -> None:
    with httpx.stream("POST", f"{server}/v1/ask/stream", json={"question": "actie 5.95"}) as response:
        body = "".join(response.iter_text())
    assert body.startswith("event: citations") and "event: done" in body


def test_bad_input_over_http(server: str) -> None:
    response = httpx.post(f"{server}/v1/ask", json={"question": ""})
    assert response.status_code == 422 and response.json()["error"] == "invalid_request"
