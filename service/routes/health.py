"""Liveness, readiness and metrics for the platform that runs the service."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from planwijzer.service.deps import MetricsDep

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "The corpus or index is not usable; the reason says why."}})
def readyz(request: Request) -> JSONResponse:
    """Ready when the corpus and the checked index are loaded; 503 with the reason otherwise."""
    engine = request.app.state.engine
    if engine is None:
        reason = request.app.state.not_ready_reason or "the service is still starting"
        return JSONResponse({"status": "not_ready", "reason": reason}, status_code=503)
    return JSONResponse({"status": "ready", "records": len(engine.records)})


@router.get("/metrics", response_class=Response)
def metrics(service_metrics: MetricsDep) -> Response:
    """Prometheus metrics: request counts and latency by route, answers by status."""
    return Response(generate_latest(service_metrics.registry), media_type=CONTENT_TYPE_LATEST)
