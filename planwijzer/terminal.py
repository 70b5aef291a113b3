"""What every ``planwijzer`` command shares: the consoles, failing with a clear message, settings."""

from __future__ import annotations

from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from planwijzer.settings import Settings

console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


def fail(what: str, error: Exception, exit_code: int = 1) -> NoReturn:
    # Text, not markup: messages quote the plan, which may hold square brackets.
    errors.print(Text.assemble((f"{what}: ", "bold red"), str(error)))
    raise typer.Exit(exit_code) from error


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**{name: value for name, value in overrides.items() if value is not None})
    except ValidationError as error:
        fail("Invalid settings", error, exit_code=2)


def number(value: float | int | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)
