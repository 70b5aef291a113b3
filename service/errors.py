"""Planwijzer's errors as HTTP responses, in one place: a JSON body with a short code and a
sentence a widget can show."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from planwijzer.errors import PlanwijzerError, UnknownReferenceError
from planwijzer.service.deps import ServiceNotReady
from planwijzer.service.models import ErrorOut


def error_body(error: PlanwijzerError) -> tuple[int, ErrorOut]:
    if isinstance(error, UnknownReferenceError):
        return 404, ErrorOut(error="not_found", message=str(error))
    if isinstance(error, ServiceNotReady):
        return 503, ErrorOut(error="not_ready", message=str(error))
    return 400, ErrorOut(error="bad_request", message=str(error))


def _validation_message(error: RequestValidationError) -> str:
    first = error.errors()[0] if error.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    message = str(first.get("msg", "invalid request")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"loc": [str(part) for part in item.get("loc", ())], "msg": str(item.get("msg", ""))}
            for item in error.errors()
        ]
        body = ErrorOut(error="invalid_request", message=_validation_message(error), details=details)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=422)

    @app.exception_handler(PlanwijzerError)
    async def _planwijzer(_: Request, error: PlanwijzerError) -> JSONResponse:
        status, body = error_body(error)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=status)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, error: HTTPException) -> JSONResponse:
        code = "not_found" if error.status_code == 404 else "http_error"
        body = ErrorOut(error=code, message=str(error.detail))
        return JSONResponse(body.model_dump(exclude_none=True), status_code=error.status_code, headers=error.headers)
