"""Browsing the plan: programmes, actieprogramma's, actions and records by number or id."""

from __future__ import annotations

from fastapi import APIRouter

from planwijzer.errors import UnknownReferenceError
from planwijzer.index.lookup import ActieprogrammaRef, ActionRef
from planwijzer.service.deps import EngineDep
from planwijzer.service.models import ActieprogrammaOut, ErrorOut, ProgrammeSummary, RecordOut

router = APIRouter(prefix="/v1", tags=["plan"])
NOT_FOUND = {404: {"model": ErrorOut}, 503: {"model": ErrorOut}}


@router.get("/programmes", responses=NOT_FOUND)
def programmes(engine: EngineDep) -> list[ProgrammeSummary]:
    """The plan's tree: programmes, their actieprogramma's, and how many actions each holds."""
    return engine.programme_tree()


@router.get("/actieprogrammas/{actieprogramma}", responses=NOT_FOUND)
def actieprogramma(actieprogramma: str, engine: EngineDep) -> ActieprogrammaOut:
    """One actieprogramma ("5.5") with all its actions."""
    actions = engine.searcher.catalog.resolve(ActieprogrammaRef(actieprogramma))
    first = actions[0]
    return ActieprogrammaOut(
        id=actieprogramma,
        title=first.actieprogramma_title or "",
        programme=first.programme or 0,
        programme_title=first.programme_title or "",
        actions=[RecordOut.of(record) for record in actions],
    )


@router.get("/actions/{programme}/{action}", responses=NOT_FOUND)
def action(programme: int, action: int, engine: EngineDep) -> RecordOut:
    """Action ``programme.action`` ("5.95" is programme 5, action 95); 404 gives the valid range."""
    [record] = engine.searcher.catalog.resolve(ActionRef(programme, action))
    return RecordOut.of(record)


@router.get("/records/{record_id:path}", responses=NOT_FOUND)
def record(record_id: str, engine: EngineDep) -> RecordOut:
    """Any record by its id ("bestuursnota-2019-2024/p5/a95", "zorgzame-stad/armoedebestrijding/2")."""
    for candidate in engine.records:
        if candidate.id == record_id:
            return RecordOut.of(candidate)
    raise UnknownReferenceError(f"record {record_id} bestaat niet")
