"""Answers: ``POST /v1/ask`` and the same as Server-Sent Events on ``POST /v1/ask/stream``."""

from __future__ import annotations

import time
from collections.abc import AsyncIterable

from fastapi import APIRouter, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from planwijzer.errors import PlanwijzerError
from planwijzer.service.deps import EngineDep, MetricsDep
from planwijzer.service.errors import error_body
from planwijzer.service.models import AskRequest, AskResponse, ErrorOut

router = APIRouter(prefix="/v1", tags=["answers"])

ERRORS = {422: {"model": ErrorOut}, 404: {"model": ErrorOut}, 503: {"model": ErrorOut}}


async def _respond(request: AskRequest, http: Request, engine: EngineDep, metrics: MetricsDep) -> AskResponse:
    started = time.perf_counter()
    http.state.question = request.question  # logged only when PLANWIJZER_LOG_QUESTIONS is on
    answer = await engine.answer(request.question, request.history, request.language, request.top_k)
    http.state.answer_status = answer.status.value
    metrics.answers.labels(answer.status.value, answer.composer).inc()
    timings = {**answer.grounding.timings_ms, "total": round((time.perf_counter() - started) * 1000, 3)}
    return AskResponse.of(answer, timings)


@router.post("/ask", responses=ERRORS)
async def ask(request: AskRequest, http: Request, engine: EngineDep, metrics: MetricsDep) -> AskResponse:
    """Answer a question from the plan, with citations; ``not_found`` when the plan is silent."""
    return await _respond(request, http, engine, metrics)


@router.post("/ask/stream", response_class=EventSourceResponse, responses=ERRORS)
async def ask_stream(
    request: AskRequest, http: Request, engine: EngineDep, metrics: MetricsDep
) -> AsyncIterable[ServerSentEvent]:
    """The answer as events: ``citations`` first, then ``delta`` pieces of the text, then
    ``done`` with the full JSON of ``/v1/ask``; ``error`` instead when it fails."""
    try:
        response = await _respond(request, http, engine, metrics)
    except PlanwijzerError as error:
        status, body = error_body(error)
        yield ServerSentEvent(event="error", data={"status": status, **body.model_dump()})
        return
    yield ServerSentEvent(event="citations", data=[citation.model_dump() for citation in response.citations])
    for piece in response.answer.splitlines(keepends=True):
        yield ServerSentEvent(event="delta", data={"text": piece})
    yield ServerSentEvent(event="done", data=response.model_dump())
