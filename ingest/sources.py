"""The source registry: which documents Planwijzer answers from (``data/sources.toml``)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from planwijzer.errors import SourceRegistryError
from planwijzer.ingest.records import Source, SourceKind

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FORMATS = {SourceKind.PLAN: {"txt", "pdf"}, SourceKind.WEBPAGE: {"txt", "html", "htm"}}


def load_sources(registry: Path) -> list[Source]:
    """Read and check the registry; file paths are relative to the registry's folder.

    Raises :class:`SourceRegistryError` naming the entry and field that is wrong.
    """
    try:
        data = tomllib.loads(registry.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SourceRegistryError(f"source registry {registry} does not exist") from error
    except tomllib.TOMLDecodeError as error:
        raise SourceRegistryError(f"source registry {registry} is not valid TOML: {error}") from error
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise SourceRegistryError(f"{registry}: no [[source]] entries")
    sources = [_source(entry, number, registry) for number, entry in enumerate(entries, start=1)]
    ids = [source.id for source in sources]
    duplicates = sorted({source_id for source_id in ids if ids.count(source_id) > 1})
    if duplicates:
        raise SourceRegistryError(f"{registry}: duplicate source id(s): {', '.join(duplicates)}")
    return sources


def _source(entry: object, number: int, registry: Path) -> Source:
    where = f"{registry}, source #{number}"
    if not isinstance(entry, dict):
        raise SourceRegistryError(f"{where}: expected a table")
    for name in ("id", "title", "period", "kind", "file"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise SourceRegistryError(f"{where}: '{name}' is required and must be a non-empty string")
    if not _ID.match(entry["id"]):
        raise SourceRegistryError(f"{where}: id {entry['id']!r} must be lower-case letters, digits and '-'")
    try:
        kind = SourceKind(entry["kind"])
    except ValueError as error:
        known = ", ".join(kind.value for kind in SourceKind)
        raise SourceRegistryError(f"{where}: kind {entry['kind']!r} is not one of {known}") from error
    stop_at = entry.get("stop_at")
    if stop_at is not None and not isinstance(stop_at, str):
        raise SourceRegistryError(f"{where}: 'stop_at' must be a string")
    path = _existing_file(registry, entry["file"], where)
    keywords = entry.get("keywords")
    if keywords is not None and (not isinstance(keywords, str) or not keywords.strip()):
        raise SourceRegistryError(f"{where}: 'keywords' must be a file name")
    source = Source(
        id=entry["id"],
        title=entry["title"],
        period=entry["period"],
        kind=kind,
        path=path,
        stop_at=stop_at,
        keywords=_existing_file(registry, keywords, where) if keywords else None,
    )
    if source.format not in _FORMATS[kind]:
        allowed = ", ".join(sorted(_FORMATS[kind]))
        raise SourceRegistryError(f"{where}: a {kind.value} source must be one of: {allowed}")
    return source


def _existing_file(registry: Path, name: str, where: str) -> Path:
    path = (registry.parent / name).resolve()
    if not path.is_file():
        raise SourceRegistryError(f"{where}: file {path} does not exist")
    return path
