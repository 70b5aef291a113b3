"""The FastAPI app: ``create_app(settings)`` builds one; corpus and index load in its lifespan."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from planwijzer import __version__
from planwijzer.errors import PlanwijzerError
from planwijzer.service.engine import Engine
from planwijzer.service.errors import install_error_handlers
from planwijzer.service.feedback import FeedbackStore
from planwijzer.service.metrics import ServiceMetrics
from planwijzer.service.middleware import BodySizeLimit, Observe, RateLimit
from planwijzer.service.routes import ask, feedback, health, pages, plan, search
from planwijzer.service.routes.pages import STATIC_DIR
from planwijzer.settings import Settings

logger = logging.getLogger(__name__)

DESCRIPTION = """Answers about the Leuven policy plan (bestuursnota 2019-2024, 1,312 numbered
actions) and the Zorgzame-stad page, every answer backed by citations in the plan's own words.
When the plan says nothing about a question, the answer says so (`status: not_found`)."""


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """A new app. ``engine`` skips loading corpus and index (tests pass a small one)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine, app.state.not_ready_reason = engine, None
        if engine is None:
            try:
                app.state.engine = Engine.load(settings)
            except PlanwijzerError as error:
                # Alive but not ready: /readyz says why, and answers get a 503 with the same reason.
                app.state.not_ready_reason = str(error)
                logger.error("Not ready: %s", error)
            else:
                await app.state.engine.warm_up()
                # What is loaded now lives as long as the process; frozen, a full garbage
                # collection no longer walks it (one took 138 ms in 480 answers).
                gc.collect()
                gc.freeze()
        yield

    app = FastAPI(title="Planwijzer", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.not_ready_reason = None
    app.state.metrics = ServiceMetrics()
    app.state.feedback = FeedbackStore(settings.feedback_path)
    install_error_handlers(app)
    for module in (ask, search, plan, feedback, health, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Added last runs first: size cap, then rate limit, then the logging around the rest.
    app.add_middleware(Observe, metrics=app.state.metrics, settings=settings)
    if settings.rate_limit:
        app.add_middleware(RateLimit, limit=settings.rate_limit)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        # The city pages that embed the widget call the API from their own origin.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["content-type", "authorization"],
        )

    return app
