"""The API against its own OpenAPI schema, with schemathesis: generated requests, valid and
not, must never get a 5xx, and every 4xx must carry a JSON error body."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error

from planwijzer.ingest.corpus import write_corpus
from planwijzer.ingest.plan import parse_plan_text
from planwijzer.ingest.records import RecordKind
from planwijzer.service.app import create_app
from planwijzer.settings import Settings
from tests.conftest import plan_source
from tests.service.conftest import small_engine

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 30


def _small_app() -> FastAPI:
    """The service over two actieprogramma's, in a scratch folder that lives as long as the module."""
    scratch = Path(_SCRATCH.name)
    source = plan_source()
    records = [
        r
        for r in parse_plan_text(source.path.read_text(encoding="utf-8"), source)
        if r.kind is RecordKind.ACTION and r.actieprogramma in {"5.5", "1.1"}
    ]
    settings = Settings(
        build_dir=scratch / "build",
        feedback_path=scratch / "feedback.sqlite3",
        rate_limit="",
        abstain_below_nl=0.0,
        abstain_below_nl_short=0.0,
        abstain_below_en=0.0,
    )
    write_corpus(records, settings.corpus_path)
    return create_app(settings, small_engine(settings))


_SCRATCH = tempfile.TemporaryDirectory()
schema = schemathesis.openapi.from_asgi("/openapi.json", _small_app())


@schemathesis.check
def client_errors_explain_themselves(ctx, response, case) -> None:  # noqa: ARG001 - the check's signature
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict) and body.get("error") and body.get("message"), body


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors_and_clear_client_errors(case: Case) -> None:
    case.call_and_validate(checks=[not_a_server_error, client_errors_explain_themselves])
