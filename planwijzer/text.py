"""Text helpers that more than one stage needs."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: "Geïntegreerd beleid" -> "geintegreerd beleid"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slugify(text: str) -> str:
    """``GEÏNTEGREERD WERKEN`` -> ``geintegreerd-werken``, for readable record ids."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "tekst"
