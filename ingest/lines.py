"""Turn PDF-extracted plan text into clean, numbered lines.

The bestuursnota text was extracted from a PDF, which leaves three kinds of artefact:
empty lines between every wrapped line on some pages, page breaks (the first line of a page
starts with a space) and the odd page number or link target on a line of its own. A line
holding only whitespace is what the PDF had as a paragraph gap, so it is kept as a flag
on the next line instead of as a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_BARE_URL = re.compile(r"^(https?://|www\.)\S+$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class SourceLine:
    """One line of content: its 1-based number in the file and its cleaned text."""

    number: int
    text: str
    new_paragraph: bool = False


def read_lines(text: str) -> list[SourceLine]:
    """Return the content lines of ``text``, whitespace collapsed, artefacts dropped."""
    lines: list[SourceLine] = []
    paragraph_gap = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw == "":
            continue
        cleaned = _SPACES.sub(" ", raw).strip()
        if not cleaned:
            paragraph_gap = True
            continue
        if _PAGE_NUMBER.match(cleaned) or _BARE_URL.match(cleaned):
            continue
        lines.append(SourceLine(number, cleaned, paragraph_gap))
        paragraph_gap = False
    return lines


def join_wrapped(head: str, tail: str) -> str:
    """Join a wrapped line to the text before it.

    A line that ends in a hyphen continues a compound ("niet-" + "stedelijke") or an
    elided compound ("dataverzameling en -" + "monitoring"), so no space goes between.
    """
    if not head:
        return tail
    if head.endswith("-"):
        return head + tail
    return f"{head} {tail}"
