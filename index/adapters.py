"""Planwijzer's retrieval as a langchain ``BaseRetriever``, to plug into other chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from planwijzer.index.retriever import Hit
from planwijzer.index.search import Searcher


def hit_document(hit: Hit) -> Document:
    """The record's text as page content; its place in the plan and the score as metadata."""
    record = hit.record
    metadata: dict[str, Any] = {
        field: value for field, value in record.to_json().items() if field not in {"text", "lines", "tokens"}
    }
    metadata.update(score=hit.score, method=hit.method)
    return Document(id=record.id, page_content=record.text, metadata=metadata)


class PlanwijzerRetriever(BaseRetriever):
    """Look-up of action numbers, then Planwijzer's ranking, as langchain documents.

    ``invoke("kinderopvang")`` returns the ``k`` best records; ``invoke("5.95")`` returns that action.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Searcher
    k: int = Field(default=5, ge=1)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        del run_manager  # nothing to report back: retrieval here is local and synchronous
        return [hit_document(hit) for hit in self.searcher.search(query, self.k)]
