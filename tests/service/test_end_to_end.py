"""The real service over HTTP: `planwijzer serve` on a free loopback port, the real plan,
index and embedding model."""

from collections.abc import Iterator

import httpx
import pytest

from tests.servers import running_service

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_service(tmp_path_factory.mktemp("server")) as service:
        yield service.url


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
