"""Ranked records for staff, without an answer around them: ``GET /v1/search``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from planwijzer.index.lookup import scope_of
from planwijzer.service.deps import EngineDep
from planwijzer.service.models import ErrorOut, RecordOut, SearchResponse, SearchResult, strip_control

router = APIRouter(prefix="/v1", tags=["search"])


@router.get("/search", responses={422: {"model": ErrorOut}, 404: {"model": ErrorOut}, 503: {"model": ErrorOut}})
async def search(
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=1000, description='Words, or an action number: "5.95".')],
    programme: Annotated[int | None, Query(ge=1, le=99, description="Only this programme.")] = None,
    actieprogramma: Annotated[
        str | None, Query(pattern=r"^\d{1,2}\.\d{1,2}$", description='Only this one: "5.5".')
    ] = None,
    k: Annotated[int, Query(ge=1, le=100, description="How many results.")] = 10,
) -> SearchResponse:
    """Records ranked for ``q`` (an action number is looked up exactly), optionally filtered."""
    query = strip_control(q).strip()
    if not query:
        raise HTTPException(422, "q: de zoekvraag is leeg / the query is empty")
    try:
        within = scope_of(programme, actieprogramma)
    except ValueError as error:
        raise HTTPException(422, f"actieprogramma: {error}") from error
    hits = await engine.threads.run(engine.searcher.search, query, k, within)
    results = [SearchResult(record=RecordOut.of(h.record), score=round(h.score, 4), method=h.method) for h in hits[:k]]
    return SearchResponse(query=query, results=results)
