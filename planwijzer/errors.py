"""Planwijzer's exceptions.

    PlanwijzerError                 every error Planwijzer raises on purpose
    ├── SourceRegistryError         the source registry (data/sources.toml) is missing or wrong
    ├── SourceFormatError           a source file cannot be read in the format its name implies
    ├── CorpusError                 the parsed plan is not a trustworthy corpus
    │   └── NumberingError          action numbers are not contiguous 1..N in a programme
    └── UnknownReferenceError       a query names an action or actieprogramma the plan lacks

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
