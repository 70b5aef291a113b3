"""Files that are either complete or not there: readers never see half a write."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Literal

READABLE = 0o644


@contextmanager
def atomic_write(path: Path, mode: Literal["w", "wb"] = "w") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and move it into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    encoding = "utf-8" if mode == "w" else None
    handle = tempfile.NamedTemporaryFile(
        mode, encoding=encoding, dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # Readable by all, like any file we write: the service may run as another user.
        os.chmod(handle.name, READABLE)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
