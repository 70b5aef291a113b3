"""Parse a city web page (plain text or HTML) into records: its lead text and its bullets.

A page is a title, headings, paragraphs and bullet lists. Each bullet becomes a record cited
as ``Page › Heading › punt N``; paragraphs become ``intro`` records of their section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bs4 import BeautifulSoup, Tag

from planwijzer.ingest.lines import join_wrapped
from planwijzer.ingest.records import Record, RecordKind, Source
from planwijzer.text import slugify

_BULLET = re.compile(r"^[•▪◦●\-*]\s+(.*)$")
_SPACES = re.compile(r"\s+")
_HEADING_MAX = 80
_SKIPPED_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript")


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BULLET = "bullet"


@dataclass(frozen=True)
class PageBlock:
    """One heading, paragraph or bullet of a page, with the source line it starts on."""

    kind: BlockKind
    text: str
    line: int


def text_page_blocks(text: str, stop_at: str | None = None) -> list[PageBlock]:
    """Blocks of a page saved as text: a bullet starts with ``•``; a short line without a
    closing full stop is a heading; anything else is a paragraph. Reading stops at the first
    line equal to ``stop_at`` (where the page's own content gives way to its footer)."""
    blocks: list[PageBlock] = []
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        if stop_at is not None and line == stop_at:
            break
        if match := _BULLET.match(line):
            blocks.append(PageBlock(BlockKind.BULLET, match.group(1).strip(), number))
        elif len(line) <= _HEADING_MAX and not line.endswith("."):
            blocks.append(PageBlock(BlockKind.HEADING, line, number))
        else:
            blocks.append(PageBlock(BlockKind.PARAGRAPH, line, number))
    return blocks


def html_page_blocks(html: str, stop_at: str | None = None) -> list[PageBlock]:
    """Blocks of an HTML page, from its ``<main>`` (or ``<article>``, or ``<body>``)."""
    soup = BeautifulSoup(html, "html.parser")
    for skipped in soup.find_all(_SKIPPED_TAGS):
        skipped.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    blocks: list[PageBlock] = []
    for element in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li"]):
        assert isinstance(element, Tag)
        if element.name == "p" and element.find_parent("li") is not None:
            continue  # the paragraph is part of its list item
        text = _SPACES.sub(" ", element.get_text(" ")).strip()
        if not text:
            continue
        if stop_at is not None and text == stop_at:
            break
        kind = {"p": BlockKind.PARAGRAPH, "li": BlockKind.BULLET}.get(element.name, BlockKind.HEADING)
        blocks.append(PageBlock(kind, text, element.sourceline or 0))
    return blocks


def page_records(blocks: Sequence[PageBlock], source: Source) -> list[Record]:
    """Records of a page: the first heading is its title, bullets are numbered per section."""
    records: list[Record] = []
    section: str | None = None
    bullet_number = 0
    paragraphs: list[PageBlock] = []

    def flush_intro() -> None:
        if not paragraphs:
            return
        text = ""
        for paragraph in paragraphs:
            text = join_wrapped(text, paragraph.text) if text else paragraph.text
        where = f"{source.id}/{slugify(section)}" if section else source.id
        label = f"{source.title} › {section}" if section else f"{source.title}, inleiding"
        records.append(_page_record(source, f"{where}/intro", RecordKind.INTRO, text, paragraphs, label, section))
        paragraphs.clear()

    for position, block in enumerate(blocks):
        if block.kind is BlockKind.HEADING:
            flush_intro()
            if position > 0:  # the page title itself is not a section
                section, bullet_number = block.text.rstrip(" :"), 0
        elif block.kind is BlockKind.PARAGRAPH:
            paragraphs.append(block)
        else:
            flush_intro()
            bullet_number += 1
            where = slugify(section) if section else "pagina"
            label = (
                f"{source.title} › {section} › punt {bullet_number}"
                if section
                else f"{source.title} › punt {bullet_number}"
            )
            records.append(
                _page_record(
                    source,
                    f"{source.id}/{where}/{bullet_number}",
                    RecordKind.BULLET,
                    block.text,
                    [block],
                    label,
                    section,
                    item=bullet_number,
                )
            )
    flush_intro()
    return records


def _page_record(
    source: Source,
    record_id: str,
    kind: RecordKind,
    text: str,
    blocks: Iterable[PageBlock],
    citation: str,
    section: str | None,
    item: int | None = None,
) -> Record:
    numbers = [block.line for block in blocks]
    return Record(
        id=record_id,
        source=source.id,
        kind=kind,
        text=text,
        lines=(min(numbers), max(numbers)),
        citation=citation,
        period=source.period,
        subheading=section,
        item=item,
    )
