"""Prompt templates as files in ``prompts/``, each with a fixed set of variables."""

from __future__ import annotations

from pathlib import Path

from langchain_core.prompts import PromptTemplate

from planwijzer.errors import PlanwijzerError

PROMPT_VARIABLES: dict[str, frozenset[str]] = {
    "system": frozenset({"language"}),
    "answer": frozenset({"records", "question"}),
    "rewrite": frozenset({"conversation", "question"}),
}


class PromptError(PlanwijzerError):
    """A prompt file is missing or does not declare exactly the variables its code fills in."""


def load_prompt(prompts_dir: Path, name: str) -> PromptTemplate:
    """``prompts_dir/<name>.md`` as a template; raises :class:`PromptError` when its variables differ."""
    if name not in PROMPT_VARIABLES:
        raise PromptError(f"unknown prompt {name!r}; known: {', '.join(PROMPT_VARIABLES)}")
    path = prompts_dir / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"prompt file {path} does not exist")
    template = PromptTemplate.from_template(path.read_text(encoding="utf-8"))
    found, expected = set(template.input_variables), PROMPT_VARIABLES[name]
    if found != expected:
        raise PromptError(f"{path} uses variables {sorted(found)}; it must use exactly {sorted(expected)}")
    return template
