"""The ingest stage end to end: registry -> parsed records -> corpus file + summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from planwijzer.errors import CorpusError, SourceFormatError
from planwijzer.ingest.corpus import token_counter, with_token_counts, write_corpus
from planwijzer.ingest.keywords import KeywordReport, attach_keywords, load_keywords
from planwijzer.ingest.pdf import read_pdf_lines
from planwijzer.ingest.plan import parse_plan_lines, parse_plan_text
from planwijzer.ingest.records import Record, RecordKind, Source, SourceKind
from planwijzer.ingest.sources import load_sources
from planwijzer.ingest.webpage import html_page_blocks, page_records, text_page_blocks
from planwijzer.settings import Settings


def parse_source(source: Source) -> list[Record]:
    """Records of one source, by its kind and file format."""
    if source.format == "pdf":
        return parse_plan_lines(read_pdf_lines(source.path), source)
    text = _read_text(source)
    if source.kind is SourceKind.PLAN:
        return parse_plan_text(text, source)
    if source.format in ("html", "htm"):
        return page_records(html_page_blocks(text, source.stop_at), source)
    return page_records(text_page_blocks(text, source.stop_at), source)


def _read_text(source: Source) -> str:
    try:
        return source.path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SourceFormatError(f"{source.path}: not UTF-8 text ({error})") from error


@dataclass(frozen=True)
class IngestSummary:
    """Counts for the closing table: records per source and kind, actions per programme."""

    records: int
    by_source_kind: Counter[tuple[str, str]] = field(default_factory=Counter)
    actions_by_programme: Counter[tuple[str, int]] = field(default_factory=Counter)
    keywords: dict[str, KeywordReport] = field(default_factory=dict)  # by source id, for sources that have them

    @classmethod
    def of(cls, records: Sequence[Record], keywords: dict[str, KeywordReport] | None = None) -> IngestSummary:
        return cls(
            keywords=keywords or {},
            records=len(records),
            by_source_kind=Counter((record.source, record.kind.value) for record in records),
            actions_by_programme=Counter(
                (record.source, record.programme)
                for record in records
                if record.kind is RecordKind.ACTION and record.programme is not None
            ),
        )

    @property
    def actions(self) -> int:
        return sum(self.actions_by_programme.values())


def run_ingest(settings: Settings, on_source: Callable[[Source, int], None] | None = None) -> IngestSummary:
    """Parse every registered source and write the corpus; ``on_source`` reports progress."""
    encoding = token_counter(settings.token_encoding)
    records: list[Record] = []
    keywords: dict[str, KeywordReport] = {}
    for source in load_sources(settings.registry_path):
        parsed = list(with_token_counts(parse_source(source), encoding))
        if source.keywords is not None:
            parsed, keywords[source.id] = attach_keywords(parsed, load_keywords(source.keywords))
        records.extend(parsed)
        if on_source is not None:
            on_source(source, len(parsed))
    _check_unique_ids(records)
    write_corpus(records, settings.corpus_path)
    return IngestSummary.of(records, keywords)


def _check_unique_ids(records: Sequence[Record]) -> None:
    counts = Counter(record.id for record in records)
    repeated = sorted(record_id for record_id, count in counts.items() if count > 1)
    if repeated:
        raise CorpusError(f"record ids must be unique; repeated: {', '.join(repeated[:10])}")
