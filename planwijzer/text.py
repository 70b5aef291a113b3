"""Text helpers that more than one stage needs."""

from __future__ import annotations

import re
import unicodedata
from importlib import resources


def fold(text: str) -> str:
    """Lower case without accents: "Geïntegreerd beleid" -> "geintegreerd beleid"."""
    if text.isascii():  # most questions: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slugify(text: str) -> str:
    """``GEÏNTEGREERD WERKEN`` -> ``geintegreerd-werken``, for readable record ids."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "tekst"


def data_lines(package: str, name: str) -> list[str]:
    """The lines of a data file shipped in ``package``, stripped, without blanks and ``#`` comments."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return [line for line in (raw.strip() for raw in text.splitlines()) if line and not line.startswith("#")]
