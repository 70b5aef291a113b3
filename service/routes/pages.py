"""The HTML side: the widget's script, a demo city page, the staff look-up page, and a page
per action and per programme. Server-rendered with autoescaping; scripts only from files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from planwijzer.errors import UnknownReferenceError
from planwijzer.index.lookup import ActionRef
from planwijzer.ingest.records import Record, RecordKind
from planwijzer.service.deps import EngineDep
from planwijzer.service.texts import CONTACT_ADDRESS

SERVICE_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = SERVICE_DIR / "static"
templates = Jinja2Templates(directory=SERVICE_DIR / "templates")
router = APIRouter(include_in_schema=False)

# No inline script, nothing from another origin; the widget's host pages load /widget.js.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)


@dataclass
class ActieprogrammaGroup:
    id: str | None
    title: str
    actions: list[Record] = field(default_factory=list)


_ACTION_LABEL = re.compile(r"^(\d{1,2})\.(\d{1,3})$")


def _page(request: Request, template: str, **context: object) -> HTMLResponse:
    response = templates.TemplateResponse(request, template, {"contact": CONTACT_ADDRESS, **context})
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@router.get("/widget.js")
def widget_script() -> FileResponse:
    return FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript; charset=utf-8")


@router.get("/widget.css")
def widget_stylesheet() -> FileResponse:
    return FileResponse(STATIC_DIR / "widget.css", media_type="text/css; charset=utf-8")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, engine: EngineDep) -> HTMLResponse:
    tree = engine.programme_tree()
    return _page(request, "index.html", programmes=tree, actions=f"{sum(p.actions for p in tree):,}".replace(",", "."))


@router.get("/staff", response_class=HTMLResponse)
def staff(request: Request, engine: EngineDep) -> HTMLResponse:
    return _page(request, "staff.html", programmes=engine.programme_tree())


@router.get("/actie/{label}", response_class=HTMLResponse)
def action_page(label: str, request: Request, engine: EngineDep) -> HTMLResponse:
    match = _ACTION_LABEL.match(label)
    if match is None:
        raise UnknownReferenceError(f"{label} is geen actienummer; een actienummer ziet eruit als 5.95")
    [action] = engine.searcher.catalog.resolve(ActionRef(int(match.group(1)), int(match.group(2))))
    actions = _actions(engine.records, action.programme)
    position = actions.index(action)
    siblings = [
        record for record in actions if action.actieprogramma and record.actieprogramma == action.actieprogramma
    ]
    return _page(
        request,
        "action.html",
        action=action,
        previous=actions[position - 1] if position > 0 else None,
        following=actions[position + 1] if position + 1 < len(actions) else None,
        siblings=siblings,
    )


@router.get("/programma/{number}", response_class=HTMLResponse)
def programme_page(number: int, request: Request, engine: EngineDep) -> HTMLResponse:
    tree = engine.programme_tree()
    programme = next((p for p in tree if p.number == number), None)
    if programme is None:
        raise UnknownReferenceError(f"programma {number} bestaat niet; de programma's zijn 1 tot {tree[-1].number}")
    groups: list[ActieprogrammaGroup] = []
    for record in _actions(engine.records, number):
        if not groups or groups[-1].id != record.actieprogramma:
            groups.append(ActieprogrammaGroup(record.actieprogramma, record.actieprogramma_title or ""))
        groups[-1].actions.append(record)
    return _page(request, "programme.html", programme=programme, programmes=tree, groups=groups)


def _actions(records: list[Record], programme: int | None) -> list[Record]:
    return [r for r in records if r.kind is RecordKind.ACTION and r.programme == programme]
