from langchain_core.documents import Document

from planwijzer.index.adapters import PlanwijzerRetriever
from planwijzer.index.bm25 import BM25Retriever
from planwijzer.index.search import Searcher
from planwijzer.ingest.records import Record


def test_langchain_users_get_documents_with_citations(few_records: list[Record]) -> None:
    retriever = PlanwijzerRetriever(searcher=Searcher(few_records, BM25Retriever(few_records)), k=3)
    documents = retriever.invoke("kinderopvang")
    assert 0 < len(documents) <= 3
    assert all(isinstance(document, Document) for document in documents)
    first = documents[0]
    record = next(r for r in few_records if r.id == first.id)
    assert first.page_content == record.text
    assert first.metadata["citation"] == record.citation
    assert first.metadata["programme"] == record.programme and first.metadata["method"] == "bm25"


def test_an_action_number_returns_that_action(few_records: list[Record]) -> None:
    retriever = PlanwijzerRetriever(searcher=Searcher(few_records), k=3)
    [document] = retriever.invoke("actie 5.95")
    assert document.metadata["action"] == 95 and document.metadata["method"] == "lookup"
