from pathlib import Path

from fastapi.testclient import TestClient

from planwijzer.service.app import create_app
from planwijzer.settings import Settings
from tests.service.conftest import small_engine


def test_an_action_by_number(client: TestClient) -> None:
    action = client.get("/v1/actions/5/95").json()
    assert action["label"] == "5.95" and action["actieprogramma"] == "5.5"
    assert action["text"].startswith("We ondersteunen de stedelijke adviesraad kinderopvang")


def test_an_unknown_action_or_programme_is_a_404_naming_the_range(client: TestClient) -> None:
    response = client.get("/v1/actions/5/2")
    assert response.status_code == 404 and "acties 95 tot 201" in response.json()["message"]
    assert "de programma's zijn 1 tot 5" in client.get("/v1/actions/12/1").json()["message"]
    assert client.get("/v1/actions/five/1").status_code == 422


def test_a_record_by_id(client: TestClient) -> None:
    assert client.get("/v1/records/bestuursnota-2019-2024/p1/a1").json()["label"] == "1.1"
    assert client.get("/v1/records/bestuursnota-2019-2024/p9/a9").status_code == 404


def test_the_programme_tree_counts_actions(client: TestClient) -> None:
    tree = client.get("/v1/programmes").json()
    assert [programme["number"] for programme in tree] == [1, 5]
    five = tree[1]
    assert five["actions"] == sum(ap["actions"] for ap in five["actieprogrammas"]) == 107
    assert [ap["id"] for ap in five["actieprogrammas"]] == ["5.5"]


def test_an_actieprogramma_with_its_actions(client: TestClient) -> None:
    body = client.get("/v1/actieprogrammas/5.5").json()
    assert body["programme"] == 5 and body["actions"][0]["label"] == "5.95"
    assert client.get("/v1/actieprogrammas/5.9").status_code == 404


def test_search_ranks_and_filters(client: TestClient) -> None:
    results = client.get("/v1/search", params={"q": "kinderopvang", "k": 3}).json()["results"]
    assert len(results) == 3 and all(r["method"] == "hybrid" for r in results)
    only_one = client.get("/v1/search", params={"q": "kinderopvang ontmoeting", "programme": 1}).json()["results"]
    assert only_one and {r["record"]["programme"] for r in only_one} == {1}
    looked_up = client.get("/v1/search", params={"q": "5.95"}).json()["results"]
    assert [(r["record"]["label"], r["method"]) for r in looked_up] == [("5.95", "lookup")]


def test_search_within_an_actieprogramma(client: TestClient) -> None:
    # "ontmoeting" (meeting places) is what actieprogramma 1.1 is about, and the search still
    # keeps to the childcare actions asked for.
    results = client.get("/v1/search", params={"q": "ontmoeting", "actieprogramma": "5.5", "k": 5}).json()["results"]
    assert len(results) == 5 and {r["record"]["actieprogramma"] for r in results} == {"5.5"}
    both = client.get("/v1/search", params={"q": "ontmoeting", "programme": 1, "actieprogramma": "5.5"})
    assert both.status_code == 422 and "actieprogramma 5.5 is geen deel van programma 1" in both.json()["message"]
    unknown = client.get("/v1/search", params={"q": "ontmoeting", "actieprogramma": "5.9"})
    assert unknown.status_code == 404 and "actieprogramma 5.9 bestaat niet" in unknown.json()["message"]


def test_search_refuses_bad_parameters(client: TestClient) -> None:
    assert client.get("/v1/search", params={"q": ""}).status_code == 422
    assert client.get("/v1/search", params={"q": " \x00 "}).status_code == 422
    assert client.get("/v1/search", params={"q": "x", "k": 0}).status_code == 422
    assert client.get("/v1/search", params={"q": "x", "actieprogramma": "vijf"}).status_code == 422


def test_health_ready_metrics_and_docs(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["status"] == "ready"
    client.post("/v1/ask", json={"question": "kinderopvang"})
    metrics = client.get("/metrics").text
    assert 'planwijzer_http_requests_total{method="POST",route="/v1/ask",status="200"} 1.0' in metrics
    assert 'planwijzer_answers_total{composer="extractive",status="answered"} 1.0' in metrics
    assert "planwijzer_http_request_seconds_bucket" in metrics
    assert client.get("/docs").status_code == 200
    assert "/v1/ask/stream" in client.get("/openapi.json").json()["paths"]
    assert client.get("/no/such/page").json()["error"] == "not_found"


def test_without_an_index_the_service_is_alive_but_not_ready(tmp_path: Path) -> None:
    settings = Settings(build_dir=tmp_path / "empty", feedback_path=tmp_path / "feedback.sqlite3")
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503 and "planwijzer ingest" in ready.json()["reason"]
        answer = client.post("/v1/ask", json={"question": "kinderopvang"})
        assert answer.status_code == 503 and answer.json()["error"] == "not_ready"


def test_two_apps_do_not_share_metrics(answering: Settings) -> None:
    engine = small_engine(answering)
    with TestClient(create_app(answering, engine)) as first, TestClient(create_app(answering, engine)) as second:
        first.get("/healthz")
        assert 'route="/healthz"' in first.get("/metrics").text
        assert 'route="/healthz"' not in second.get("/metrics").text
