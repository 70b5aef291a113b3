"""Planwijzer's exceptions.

    PlanwijzerError                 every error Planwijzer raises on purpose
    ├── SourceRegistryError         the source registry (data/sources.toml) is missing or wrong
    ├── SourceFormatError           a source file cannot be read in the format its name implies
    ├── CorpusError                 the parsed plan is not a trustworthy corpus
    │   └── NumberingError          action numbers are not contiguous 1..N in a programme
    ├── UnknownReferenceError       a query names an action or actieprogramma the plan lacks
    ├── EmbeddingModelError         the configured embedding model cannot be found or loaded
    └── IndexNotReadyError          the search index cannot be used; the message says how to rebuild
        ├── MissingIndexError       no index has been built yet
        ├── StaleIndexError         the index was built from another corpus or model
        └── DamagedIndexError       an index file is missing, truncated or altered

Command-line and HTTP entry points turn these into a clear message and a non-zero exit
code or a 4xx/5xx response; anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class PlanwijzerError(Exception):
    """Base class of all errors Planwijzer raises on purpose."""


class SourceRegistryError(PlanwijzerError):
    """The source registry is missing, malformed or names a file that does not exist."""


class SourceFormatError(PlanwijzerError):
    """A source file cannot be read in the format its extension implies."""


class CorpusError(PlanwijzerError):
    """The parsed documents do not form a trustworthy corpus."""


@dataclass(frozen=True)
class NumberingProblem:
    """One break in a programme's action numbering, located by its source line."""

    source: str
    programme: int
    line: int
    found: int
    expected: int
    kind: str  # "gap", "duplicate" or "out-of-order"

    def describe(self) -> str:
        return (
            f"{self.source} line {self.line}: programma {self.programme} has action "
            f"{self.found} where {self.expected} was expected ({self.kind})"
        )


class NumberingError(CorpusError):
    """Action numbers in at least one programme are not contiguous 1..N."""

    def __init__(self, problems: Sequence[NumberingProblem]) -> None:
        self.problems = tuple(problems)
        listing = "\n".join(f"  - {problem.describe()}" for problem in self.problems)
        super().__init__(f"action numbering is broken in {len(self.problems)} place(s):\n{listing}")


class UnknownReferenceError(PlanwijzerError):
    """A query names an action or actieprogramma that does not exist; the message gives the valid range."""


class EmbeddingModelError(PlanwijzerError):
    """The embedding model named in the settings cannot be found or loaded."""


class IndexNotReadyError(PlanwijzerError):
    """The search index cannot be used as it is; the message ends with how to rebuild it."""

    REBUILD_HINT = "Rebuild it with `planwijzer index` (or `make run`)."

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{reason}. {self.REBUILD_HINT}")


class MissingIndexError(IndexNotReadyError):
    """No index has been built yet."""


class StaleIndexError(IndexNotReadyError):
    """The index was built from another corpus, with another model or by an older Planwijzer."""


class DamagedIndexError(IndexNotReadyError):
    """An index file is missing, truncated or altered since it was built."""
