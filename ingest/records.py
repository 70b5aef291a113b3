"""The typed records that flow out of the ingest stage."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any


class RecordKind(StrEnum):
    ACTION = "action"  # a numbered action of the plan
    INTRO = "intro"  # an introduction: opening chapter, programme, actieprogramma, section
    BULLET = "bullet"  # one bullet of a web page


class SourceKind(StrEnum):
    PLAN = "plan"  # a bestuursnota: programmes, actieprogramma's, numbered actions
    WEBPAGE = "webpage"  # a city web page: headings with bullets under them


@dataclass(frozen=True)
class Source:
    """One entry of the source registry."""

    id: str
    title: str
    period: str
    kind: SourceKind
    path: Path
    stop_at: str | None = None  # a web page's first line of footer, where its content ends
    keywords: Path | None = None  # the source's search keywords file (see planwijzer.ingest.keywords)

    @property
    def format(self) -> str:
        return self.path.suffix.lower().lstrip(".")


@dataclass(frozen=True)
class Record:
    """One citable unit of a source: an action, an introduction or a web-page bullet.

    ``lines`` is the 1-based, inclusive span in the source file (for a PDF, in its
    extracted text). ``tokens`` is filled in when the corpus is written.
    """

    id: str
    source: str
    kind: RecordKind
    text: str
    lines: tuple[int, int]
    citation: str
    period: str
    programme: int | None = None
    programme_title: str | None = None
    actieprogramma: str | None = None
    actieprogramma_title: str | None = None
    subheading: str | None = None
    topic: str | None = None
    action: int | None = None
    item: int | None = None
    tokens: int = 0
    # Everyday words residents search for the record by (Dutch and English); found by, never quoted.
    keywords: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How answers mark the record: "5.95" for an action, its citation for anything else."""
        if self.kind is RecordKind.ACTION and self.programme is not None and self.action is not None:
            return f"{self.programme}.{self.action}"
        return self.citation

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["lines"] = list(self.lines)
        data["keywords"] = list(self.keywords)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        fields = dict(data)
        fields["kind"] = RecordKind(fields["kind"])
        fields["lines"] = tuple(fields["lines"])
        fields["keywords"] = tuple(fields.get("keywords", ()))
        return cls(**fields)
