"""Residents' ratings of answers: ``POST /v1/feedback``; the city's export as CSV."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from planwijzer.service.feedback import Feedback, FeedbackStore
from planwijzer.service.models import ErrorOut, FeedbackIn, FeedbackStored

router = APIRouter(prefix="/v1", tags=["feedback"])


def _store(request: Request) -> FeedbackStore:
    return request.app.state.feedback


@router.post("/feedback", status_code=201, responses={422: {"model": ErrorOut}})
async def add_feedback(feedback: FeedbackIn, request: Request) -> FeedbackStored:
    """Store a thumbs up or down on an answer (no IP address or other identifier is kept)."""
    entry = Feedback(feedback.question, feedback.status, tuple(feedback.cited), feedback.rating, feedback.comment)
    return FeedbackStored(id=await run_in_threadpool(_store(request).add, entry))


@router.get(
    "/feedback/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}},
)
async def export_feedback(request: Request, authorization: Annotated[str | None, Header()] = None) -> Response:
    """All feedback as CSV, for the city; needs ``Authorization: Bearer <PLANWIJZER_FEEDBACK_TOKEN>``."""
    expected = request.app.state.settings.feedback_token
    if expected is None:
        raise HTTPException(403, "the export is switched off: set PLANWIJZER_FEEDBACK_TOKEN to switch it on")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not secrets.compare_digest(given.encode(), expected.get_secret_value().encode()):
        raise HTTPException(401, "a valid token is needed", headers={"WWW-Authenticate": "Bearer"})
    csv_text = await run_in_threadpool(_store(request).export_csv)
    return Response(
        csv_text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=feedback.csv"},
    )
