import csv
import io

from fastapi.testclient import TestClient
from pydantic import SecretStr

from planwijzer.service.app import create_app
from planwijzer.settings import Settings
from tests.service.conftest import small_engine

RATING = {"question": "Komt er meer kinderopvang?", "status": "answered", "cited": ["x/p5/a98"], "rating": "down"}


def test_feedback_is_stored_and_survives_a_restart(answering: Settings) -> None:
    settings = answering.model_copy(update={"feedback_token": SecretStr("s3cret")})
    engine = small_engine(settings)
    with TestClient(create_app(settings, engine)) as client:
        assert client.post("/v1/feedback", json=RATING).status_code == 201
        second = client.post("/v1/feedback", json={**RATING, "rating": "up", "comment": "dank\x00 je"})
        assert second.json() == {"id": 2}
    with TestClient(create_app(settings, engine)) as client:
        export = client.get("/v1/feedback/export", headers={"Authorization": "Bearer s3cret"})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [row["rating"] for row in rows] == ["down", "up"]
    assert rows[0]["question"] == "Komt er meer kinderopvang?" and rows[0]["cited"] == '["x/p5/a98"]'
    assert rows[1]["comment"] == "dank je"
    assert set(rows[0]) == {"id", "created_at", "question", "status", "cited", "rating", "comment"}  # no IP


def test_the_export_needs_the_token(answering: Settings) -> None:
    with TestClient(create_app(answering, small_engine(answering))) as client:
        switched_off = client.get("/v1/feedback/export")
    assert switched_off.status_code == 403 and "PLANWIJZER_FEEDBACK_TOKEN" in switched_off.json()["message"]
    settings = answering.model_copy(update={"feedback_token": SecretStr("s3cret")})
    with TestClient(create_app(settings, small_engine(settings))) as client:
        assert client.get("/v1/feedback/export").status_code == 401
        wrong = client.get("/v1/feedback/export", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"


def test_bad_feedback_is_a_422(client: TestClient) -> None:
    for body in ({**RATING, "rating": "meh"}, {**RATING, "question": ""}, {**RATING, "cited": ["x"] * 21}, {}):
        response = client.post("/v1/feedback", json=body)
        assert response.status_code == 422 and response.json()["error"] == "invalid_request"


def test_html_pages_carry_a_strict_content_security_policy(client: TestClient) -> None:
    for path in ("/", "/staff", "/actie/5.95", "/programma/5"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "<script>" not in response.text  # scripts only from files
    home = client.get("/").text
    assert '<script src="/widget.js"' in home


def test_the_widget_and_static_files_are_served(client: TestClient) -> None:
    script = client.get("/widget.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "attachShadow" in script.text
    assert client.get("/widget.css").status_code == 200
    assert client.get("/static/staff.js").status_code == 200


def test_an_action_page_shows_the_action_and_its_neighbours(client: TestClient) -> None:
    page = client.get("/actie/5.96").text
    assert "Actie 5.96" in page and 'href="/actie/5.95"' in page and 'href="/actie/5.97"' in page
    assert "Bestuursnota 2019-2024, programma 5, actie 96" in page


def test_unknown_pages_are_404(client: TestClient) -> None:
    assert client.get("/actie/5.2").status_code == 404
    assert client.get("/actie/vijf").status_code == 404
    assert client.get("/programma/42").status_code == 404
