"""The HTTP API's request and response shapes, kept apart from the internal records."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from planwijzer.ingest.records import Record
from planwijzer.service.answering import Answer, Citation

MAX_QUESTION_CHARS = 1000
MAX_HISTORY_TURNS = 20
MAX_HISTORY_CHARS = 20_000

# Control characters (except tab and newline) are dropped before anything else looks at the text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_control(text: str) -> str:
    return _CONTROL.sub("", text)


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: Annotated[str, Field(max_length=MAX_HISTORY_CHARS)]

    @field_validator("content")
    @classmethod
    def _clean(cls, value: str) -> str:
        return strip_control(value)


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"question": "Komen er meer plaatsen in de kinderopvang?"}]},
    )

    question: str = Field(description="The question, in Dutch or English (at most 1,000 characters).")
    history: list[Turn] = Field(default_factory=list, description="Earlier turns, oldest first (at most 20).")
    language: Literal["nl", "en", "auto"] = Field(
        default="auto", description="Answer language; auto follows the question."
    )
    top_k: int | None = Field(default=None, ge=1, le=20, description="Most records to cite.")

    @field_validator("question")
    @classmethod
    def _question(cls, value: str) -> str:
        value = strip_control(value).strip()
        if not value:
            raise ValueError("de vraag is leeg / the question is empty")
        if len(value) > MAX_QUESTION_CHARS:
            raise ValueError(
                f"de vraag is langer dan {MAX_QUESTION_CHARS} tekens / the question is longer than "
                f"{MAX_QUESTION_CHARS} characters"
            )
        return value

    @model_validator(mode="after")
    def _history_size(self) -> AskRequest:
        if len(self.history) > MAX_HISTORY_TURNS:
            raise ValueError(f"history holds more than {MAX_HISTORY_TURNS} turns")
        if sum(len(turn.content) for turn in self.history) > MAX_HISTORY_CHARS:
            raise ValueError(f"history holds more than {MAX_HISTORY_CHARS} characters")
        return self


class CitationOut(BaseModel):
    id: str
    source: str
    programme: int | None
    programme_title: str | None
    actieprogramma: str | None
    actieprogramma_title: str | None
    subheading: str | None
    action: int | None
    label: str = Field(description='The marker in the answer text, without brackets: "5.95".')
    citation: str = Field(description='"Bestuursnota 2019-2024, programma 5, actie 95"')
    quote: str
    score: float

    @classmethod
    def of(cls, citation: Citation) -> CitationOut:
        fields = {**citation.record.to_json(), "label": citation.label, "quote": citation.quote}
        return cls.model_validate({**fields, "score": round(citation.score, 4)})


NotFoundReasonName = Literal[
    "low_confidence",
    "service_information",
    "news",
    "nothing_more",
    "greeting",
    "thanks",
    "acknowledgement",
    "no_topic",
    "unknown_words",
    "other_place",
]


class AskResponse(BaseModel):
    status: Literal["answered", "not_found"]
    not_found_reason: NotFoundReasonName | None = Field(
        default=None,
        description="Why the plan does not answer: nothing close enough; a request for a price, opening hour"
        " or collection day, which a policy plan does not hold; a question about news (results, the population,"
        " the weather);"
        " a request for more ('meer daarover') when the conversation has cited all the plan has on it;"
        " small talk, answered with an introduction ('hallo', 'wat kan je?'), a reply to thanks or to an"
        " acknowledgement ('ok', 'super'); a question about something the plan never names ('komt er een"
        " casino?'); a question placed outside Leuven that no action found names ('het circulatieplan in"
        " Gent'); or a question that names no topic ('wat doet de stad?'), answered with the plan's programmes"
        " to choose from.",
    )
    answer: str = Field(description="Markdown; markers such as [5.95] name entries of citations.")
    language: Literal["nl", "en"]
    query: str = Field(description="The search query actually used, after follow-up rewriting.")
    within: str | None = Field(
        default=None,
        description="The part of the plan the search was kept to ('actieprogramma 3.3', 'programma 3'): the one"
        " the question names, or the one looked up just before; null for the whole plan.",
    )
    citations: list[CitationOut]
    composer: Literal["extractive", "llm"]
    fallback_reason: str | None = Field(default=None, description="Why the language model's answer was not used.")
    timings_ms: dict[str, float]

    @classmethod
    def of(cls, answer: Answer, timings_ms: dict[str, float]) -> AskResponse:
        grounding = answer.grounding
        return cls(
            status=grounding.status.value,
            not_found_reason=grounding.not_found_reason.value if grounding.not_found_reason else None,
            answer=answer.text,
            language=grounding.language,
            query=grounding.query,
            within=grounding.within.query if grounding.within else None,
            citations=[CitationOut.of(citation) for citation in grounding.citations],
            composer=answer.composer,
            fallback_reason=answer.fallback_reason,
            timings_ms=timings_ms,
        )


class RecordOut(BaseModel):
    id: str
    source: str
    kind: str
    label: str
    citation: str
    period: str
    programme: int | None
    programme_title: str | None
    actieprogramma: str | None
    actieprogramma_title: str | None
    subheading: str | None
    topic: str | None
    action: int | None
    text: str

    @classmethod
    def of(cls, record: Record) -> RecordOut:
        # The record's own fields by name; the ones the API does not show (lines, tokens) drop out.
        return cls.model_validate({**record.to_json(), "label": record.label})


class SearchResult(BaseModel):
    record: RecordOut
    score: float
    method: str


class SearchResponse(BaseModel):
    query: str
    results: list[SearchResult]


class ActieprogrammaSummary(BaseModel):
    id: str
    title: str
    actions: int


class ProgrammeSummary(BaseModel):
    number: int
    title: str
    actions: int
    actieprogrammas: list[ActieprogrammaSummary]


class ActieprogrammaOut(BaseModel):
    id: str
    title: str
    programme: int
    programme_title: str
    actions: list[RecordOut]


class ErrorOut(BaseModel):
    error: str = Field(description="A short code: invalid_request, not_found, not_ready.")
    message: str = Field(description="A sentence a widget can show.")
    details: list[dict[str, object]] | None = None


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    status: Literal["answered", "not_found"]
    cited: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=20)
    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=2000)

    @field_validator("question", "comment")
    @classmethod
    def _clean(cls, value: str) -> str:
        return strip_control(value).strip()


class FeedbackStored(BaseModel):
    id: int
