"""What routes need from the app, as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from planwijzer.errors import PlanwijzerError
from planwijzer.service.engine import Engine
from planwijzer.service.metrics import ServiceMetrics


class ServiceNotReady(PlanwijzerError):
    """The engine did not load (no corpus, no current index); the message is what loading raised."""


def get_engine(request: Request) -> Engine:
    engine: Engine | None = request.app.state.engine
    if engine is None:
        raise ServiceNotReady(request.app.state.not_ready_reason or "the service is still starting")
    return engine


def get_metrics(request: Request) -> ServiceMetrics:
    return request.app.state.metrics


EngineDep = Annotated[Engine, Depends(get_engine)]
MetricsDep = Annotated[ServiceMetrics, Depends(get_metrics)]
