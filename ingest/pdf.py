"""Read a PDF of the plan as lines of text, for the same parser as the text version."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from planwijzer.errors import SourceFormatError
from planwijzer.ingest.lines import SourceLine, read_lines


def read_pdf_lines(path: Path) -> list[SourceLine]:
    """Lines of the PDF's text layer, page after page; line numbers count in that text.

    Raises :class:`SourceFormatError` when the file is not a readable PDF or has no text
    layer (a scanned plan needs OCR first).
    """
    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as error:
        raise SourceFormatError(f"{path}: not a readable PDF ({error})") from error
    lines = read_lines("\n".join(pages))
    if not lines:
        raise SourceFormatError(f"{path}: the PDF has no text layer to parse")
    return lines
