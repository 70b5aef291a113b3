"""The image built from the Dockerfile (by deploy/image.py, as `make image` builds it) and run.

Skipped, saying why, where no container engine is installed or no base image can be had;
`make test` installs podman where it may. A build that fails is a test failure.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "deploy"))  # a folder of scripts
from image import ImageError, base_image, build, engine, run, succeeds  # noqa: E402

TAG = "localhost/planwijzer:test"
READY_DEADLINE = 90.0


@pytest.fixture(scope="module")
def container_command() -> list[str]:
    try:
        return engine()
    except ImageError as error:
        pytest.skip(f"no container engine: {error}")


@pytest.fixture(scope="module")
def image(container_command: list[str]) -> str:
    try:
        base = base_image(container_command)
    except ImageError as error:
        pytest.skip(f"no base image: {error}")
    return build(container_command, base, TAG)


def engine_output(command: list[str], *arguments: str) -> str:
    return run([*command, *arguments], timeout=120)


@pytest.fixture
def offline_container(container_command: list[str], image: str) -> Iterator[str]:
    """The image started without any network: nothing may be downloaded at start."""
    name = f"planwijzer-test-{uuid.uuid4().hex[:8]}"
    engine_output(container_command, "run", "--detach", "--network", "none", "--name", name, image)
    try:
        yield name
    finally:
        succeeds([*container_command, "rm", "--force", name])


# Requests are made from inside the container, with its own Python: it has no network to reach.
CALL = """
import json, sys, urllib.request
request = urllib.request.Request("http://127.0.0.1:8000" + sys.argv[1], data=sys.argv[2].encode() or None,
                                 headers={"content-type": "application/json"})
with urllib.request.urlopen(request, timeout=10) as response:
    print(json.dumps({"status": response.status, "body": json.loads(response.read())}))
"""


def call(command: list[str], name: str, path: str, body: str = "") -> dict:
    return json.loads(engine_output(command, "exec", name, "python", "-c", CALL, path, body))


def test_the_image_starts_ready_without_network_and_answers(
    container_command: list[str], offline_container: str
) -> None:
    deadline = time.monotonic() + READY_DEADLINE
    while True:
        try:
            ready = call(container_command, offline_container, "/readyz")
            break
        except ImageError:  # not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
    assert ready == {"status": 200, "body": {"status": "ready", "records": 1423}}
    answer = call(
        container_command,
        offline_container,
        "/v1/ask",
        json.dumps({"question": "komen er meer plaatsen in de kinderopvang?"}),
    )["body"]
    assert answer["status"] == "answered" and answer["citations"]
    assert all(f"[{citation['label']}]" in answer["answer"] for citation in answer["citations"])
    assert engine_output(container_command, "exec", offline_container, "id", "-u").strip() == "10001"


def test_the_image_runs_as_a_plain_user_exposes_8000_and_checks_readiness(
    container_command: list[str], image: str
) -> None:
    [config] = json.loads(engine_output(container_command, "image", "inspect", image))
    settings = config["Config"]
    assert settings["User"] == "10001"
    assert "8000/tcp" in settings["ExposedPorts"]
    healthcheck = settings.get("Healthcheck") or config["Healthcheck"]  # docker's place, podman's
    assert "/readyz" in " ".join(healthcheck["Test"])
    assert settings["Cmd"][:2] == ["planwijzer", "serve"]
    assert "MALLOC_ARENA_MAX=2" in settings["Env"]
