"""Text helpers that more than one stage needs."""

from __future__ import annotations

import re
import unicodedata
from importlib import resources

# The blocks of combining marks that decomposing letters leaves behind; one pass of a regular
# expression takes them out several times faster than testing character by character, which
# counted for a second of the service's start-up.
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([?!.,;:])")


def fold(text: str) -> str:
    """Lower case without accents: "Geïntegreerd beleid" -> "geintegreerd beleid"."""
    if text.isascii():  # most questions: nothing to decompose
        return text.lower()
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text.lower()))


def slugify(text: str) -> str:
    """``GEÏNTEGREERD WERKEN`` -> ``geintegreerd-werken``, for readable record ids."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "tekst"


def without_matches(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with what ``pattern`` matches taken out and the spaces tidied: "is er kinderopvang
    in heverlee ?" without "in heverlee" is "is er kinderopvang?"."""
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(pattern.sub(" ", text).split()))


def data_lines(package: str, name: str) -> list[str]:
    """The lines of a data file shipped in ``package``, stripped, without blanks and ``#`` comments."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return [line for line in (raw.strip() for raw in text.splitlines()) if line and not line.startswith("#")]
