"""The service as processes: several workers over one read-only index, a graceful stop that
lets in-flight answers finish, and the language-model mode against an OpenAI-compatible
endpoint (a small fake one, slow on purpose)."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from planwijzer.service.probe import free_port
from tests.servers import running_service

pytestmark = pytest.mark.slow

MODEL_DELAY_SECONDS = 2.0


class SlowChatModel(BaseHTTPRequestHandler):
    """Answers /v1/chat/completions after a delay, citing the first record it was given."""

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        request = json.loads(self.rfile.read(int(self.headers["content-length"])))
        prompt = request["messages"][-1]["content"]
        label = re.search(r'"label": "([^"]+)"', prompt)
        time.sleep(MODEL_DELAY_SECONDS)
        reply = f"Volgens het plan gebeurt dat [{label.group(1)}]." if label else "Geen idee."
        body = json.dumps(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": "fake",
                "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": reply}}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        del args  # quiet


@pytest.fixture(scope="module")
def chat_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), SlowChatModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


QUESTION = {"question": "Komt er een grotere fietsenstalling aan het station?"}


def test_the_llm_mode_over_a_real_openai_compatible_endpoint(tmp_path: Path, chat_endpoint: str) -> None:
    with running_service(tmp_path, PLANWIJZER_LLM_BASE_URL=chat_endpoint) as service:
        answer = httpx.post(f"{service.url}/v1/ask", json=QUESTION, timeout=30).json()
    assert answer["composer"] == "llm" and answer["fallback_reason"] is None
    assert answer["answer"].startswith("Volgens het plan gebeurt dat [")
    assert len(answer["citations"]) == 1 and f"[{answer['citations'][0]['label']}]" in answer["answer"]


def test_a_stop_lets_in_flight_answers_finish(tmp_path: Path, chat_endpoint: str) -> None:
    with running_service(tmp_path, PLANWIJZER_LLM_BASE_URL=chat_endpoint) as service, ThreadPoolExecutor() as pool:
        in_flight = pool.submit(httpx.post, f"{service.url}/v1/ask", json=QUESTION, timeout=30)
        time.sleep(MODEL_DELAY_SECONDS / 4)  # the request is now waiting on the model
        service.process.send_signal(signal.SIGTERM)
        response = in_flight.result()
        service.process.wait(timeout=30)
    assert response.status_code == 200 and response.json()["composer"] == "llm"
    # uvicorn ends by re-raising the signal it stopped for, so the exit status is -SIGTERM.
    assert service.process.returncode in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in (tmp_path / "server.log").read_text()


def started_workers(log: Path, expected: int, seconds: float = 60.0) -> set[str]:
    """The process ids of the workers the log says have started, once ``expected`` have or
    ``seconds`` have passed: the service is ready as soon as one worker is."""
    deadline = time.monotonic() + seconds
    while True:
        started = set(re.findall(r"Started server process \[(\d+)\]", log.read_text()))
        if len(started) >= expected or time.monotonic() > deadline:
            return started
        time.sleep(0.1)


def test_several_workers_share_one_index(tmp_path: Path) -> None:
    with running_service(tmp_path, "--workers", "2") as service, ThreadPoolExecutor(8) as pool:
        workers = started_workers(tmp_path / "server.log", 2)
        responses = list(pool.map(lambda _: httpx.post(f"{service.url}/v1/ask", json=QUESTION, timeout=30), range(24)))
    assert len(workers) == 2
    assert {response.status_code for response in responses} == {200}
    assert {tuple(c["label"] for c in r.json()["citations"]) for r in responses} == {
        tuple(c["label"] for c in responses[0].json()["citations"])
    }
