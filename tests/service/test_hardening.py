import gc
import json
import logging

import pytest
from fastapi.testclient import TestClient

from planwijzer.index.embeddings import load_embeddings
from planwijzer.index.store import VECTORS, build_index
from planwijzer.logs import configure_logging
from planwijzer.service.app import create_app
from planwijzer.settings import Settings
from tests.conftest import lend_project_cache
from tests.service.conftest import small_engine

QUESTION = {"question": "Komen er meer plaatsen in de kinderopvang?"}


def test_an_oversized_body_is_a_413(client: TestClient) -> None:
    response = client.post("/v1/ask", content=b'{"question": "' + b"a" * 70_000 + b'"}')
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_an_oversized_body_without_a_length_is_a_413(client: TestClient) -> None:
    def chunks():
        yield b'{"question": "'
        for _ in range(20):
            yield b"a" * 5_000
        yield b'"}'

    response = client.post("/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["message"] == "the request body is over 65536 bytes"


def test_clients_are_rate_limited_with_retry_after(answering: Settings) -> None:
    settings = answering.model_copy(update={"rate_limit": "3/minute"})
    with TestClient(create_app(settings, small_engine(settings))) as client:
        statuses = [client.post("/v1/ask", json=QUESTION).status_code for _ in range(4)]
        limited = client.get("/v1/search", params={"q": "kinderopvang"})
        assert client.get("/healthz").status_code == 200  # never limited
    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 60


def test_a_nonsense_rate_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="rate_limit"):
        Settings(rate_limit="fast")


def test_requests_carry_an_id(client: TestClient) -> None:
    assert len(client.get("/healthz").headers["x-request-id"]) == 32
    assert client.get("/healthz", headers={"x-request-id": "abc-123"}).headers["x-request-id"] == "abc-123"
    assert client.get("/healthz", headers={"x-request-id": "a b\\c"}).headers["x-request-id"] != "a b\\c"


def test_the_request_log_holds_no_question_and_no_address(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="planwijzer.access"):
        client.post("/v1/ask", json=QUESTION, headers={"x-request-id": "r1"})
    [record] = [r for r in caplog.records if r.name == "planwijzer.access"]
    assert (record.request_id, record.route, record.status, record.answer_status) == ("r1", "/v1/ask", 200, "answered")
    assert record.latency_ms > 0
    assert not hasattr(record, "question") and not hasattr(record, "client")
    assert "kinderopvang" not in caplog.text


def test_question_logging_is_a_setting(answering: Settings, caplog: pytest.LogCaptureFixture) -> None:
    settings = answering.model_copy(update={"log_questions": True})
    with TestClient(create_app(settings, small_engine(settings))) as client, caplog.at_level(logging.INFO):
        client.post("/v1/ask", json=QUESTION)
    [record] = [r for r in caplog.records if r.name == "planwijzer.access"]
    assert record.question == QUESTION["question"] and record.client == "testclient"


@pytest.fixture
def real_index(small_build: Settings) -> Settings:
    """The small corpus indexed with the real default model, as `planwijzer index` would (with
    short lexicons and the project's cached vectors: embedding thousands of words is not what
    these tests are about)."""
    settings = small_build.model_copy(update={"lexicon_english_words": 300, "lexicon_dutch_words": 300})
    lend_project_cache(settings)
    build_index(settings, load_embeddings(settings.embedding_model, settings.cache_dir))
    return settings


def test_a_sound_index_makes_the_service_ready_and_warm(real_index: Settings) -> None:
    try:
        with TestClient(create_app(real_index)) as client:
            assert client.get("/readyz").status_code == 200
            engine = client.app.state.engine
            # Answered once before ready: a session per thread count a request can get is
            # open, and what start-up loaded is out of the garbage collector's way.
            threads = {engine.threads.alone, engine.threads.shared}
            assert threads <= engine.searcher.embeddings._encoder._sessions.keys()
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_corrupt_index_makes_the_service_unready_never_wrong(
    real_index: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    vectors = real_index.index_dir / VECTORS
    data = bytearray(vectors.read_bytes())
    data[200] ^= 0x01
    vectors.write_bytes(bytes(data))
    with caplog.at_level(logging.ERROR), TestClient(create_app(real_index)) as client:
        ready = client.get("/readyz")
        answer = client.post("/v1/ask", json=QUESTION)
    assert ready.status_code == 503 and "has changed since it was built" in ready.json()["reason"]
    assert "planwijzer index" in ready.json()["reason"]
    assert answer.status_code == 503
    assert any("Not ready" in r.getMessage() and "planwijzer index" in r.getMessage() for r in caplog.records)


def test_an_index_of_another_model_makes_the_service_unready(small_build: Settings) -> None:
    from tests.fakes import HashingEmbeddings

    build_index(small_build, HashingEmbeddings())
    with TestClient(create_app(small_build)) as client:
        ready = client.get("/readyz")
    assert ready.status_code == 503 and "built with the model fake-hashing-64" in ready.json()["reason"]


def test_only_listed_origins_may_call_the_api_from_a_browser(answering: Settings) -> None:
    settings = answering.model_copy(update={"cors_origins": ["https://leuven.be"]})
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    with TestClient(create_app(settings, small_engine(settings))) as client:
        allowed = client.options("/v1/ask", headers={"origin": "https://leuven.be", **preflight})
        refused = client.options("/v1/ask", headers={"origin": "https://elsewhere.example", **preflight})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "https://leuven.be"
    assert "access-control-allow-origin" not in refused.headers


def test_service_logs_are_one_json_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", as_json=True)
    try:
        logging.getLogger("planwijzer.access").info("request", extra={"route": "/v1/ask", "status": 200})
        logging.getLogger("uvicorn.error").info("started", extra={"color_message": "\x1b[1mstarted\x1b[0m"})
    finally:
        configure_logging()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert lines[0]["logger"] == "planwijzer.access" and lines[0]["route"] == "/v1/ask" and lines[0]["status"] == 200
    assert "color_message" not in lines[1]
