"""The optional language-model composer: any OpenAI-compatible chat endpoint (a local vLLM,
llama.cpp server or Ollama) writes the answer from the grounding, and nothing it writes is
trusted unchecked.

A sentence stays only if it ends in citation markers that all name records of the
grounding; the citations returned are exactly those the kept sentences name. A timeout, an
error or an answer without one valid sentence raises :class:`GenerationError`, and the
caller falls back to the extractive answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from planwijzer.errors import PlanwijzerError
from planwijzer.prompts import load_prompt
from planwijzer.service.answering import Answer, Grounding
from planwijzer.service.compose import whole_city_note
from planwijzer.service.followup import Turn
from planwijzer.settings import Settings

logger = logging.getLogger(__name__)

LANGUAGE_NAMES = {"nl": "Dutch", "en": "English"}
_MARKER = re.compile(r"\[([^\[\]]+)\]")
# A sentence ends after . ! ? or a marker, unless a marker follows ("… plaatsen. [5.98]").
_SENTENCE_BREAK = re.compile(r"(?<=[.!?\]])\s+(?=[^\[\s])")
# The prompt fences data between <<< and >>>; data that held those could close its fence.
_FENCE = re.compile(r"<{3,}|>{3,}")


class GenerationError(PlanwijzerError):
    """The language model gave no usable answer: timeout, error, or no validly cited sentence."""


def unfenced(text: str) -> str:
    return _FENCE.sub(" ", text)


def checked_sentences(text: str, allowed_labels: set[str]) -> tuple[list[str], set[str]]:
    """The sentences of ``text`` whose markers all name allowed labels (and that have one),
    and the labels they use."""
    kept: list[str] = []
    used: set[str] = set()
    for line in text.splitlines():
        for sentence in (part.strip() for part in _SENTENCE_BREAK.split(line)):
            labels = _MARKER.findall(sentence)
            if sentence and labels and all(label in allowed_labels for label in labels):
                kept.append(sentence)
                used.update(labels)
    return kept, used


class LLMComposer:
    def __init__(self, model: BaseChatModel, settings: Settings) -> None:
        self.model = model
        self.timeout = settings.llm_timeout_seconds
        self._system = load_prompt(settings.prompts_dir, "system")
        self._answer = load_prompt(settings.prompts_dir, "answer")
        self._rewrite = load_prompt(settings.prompts_dir, "rewrite")

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMComposer:
        from langchain_openai import ChatOpenAI

        model = ChatOpenAI(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            temperature=0,
            timeout=settings.llm_timeout_seconds,
            max_retries=0,
        )
        return cls(model, settings)

    async def compose(self, grounding: Grounding) -> Answer:
        records = [
            {"label": c.label, "citation": c.record.citation, "text": unfenced(c.record.text)}
            for c in grounding.citations
        ]
        messages = [
            SystemMessage(self._system.format(language=LANGUAGE_NAMES[grounding.language])),
            HumanMessage(
                self._answer.format(
                    records=json.dumps(records, ensure_ascii=False, indent=1), question=unfenced(grounding.question)
                )
            ),
        ]
        text = await self._call(messages)
        kept, used = checked_sentences(text, {citation.label for citation in grounding.citations})
        if not kept:
            raise GenerationError("the language model's answer cited no retrieved record")
        cited = replace(grounding, citations=tuple(c for c in grounding.citations if c.label in used))
        note = whole_city_note(cited)
        return Answer(cited, " ".join([note, *kept] if note else kept), "llm")

    async def rewrite(self, question: str, history: Sequence[Turn]) -> str:
        conversation = "\n".join(f"{turn.role}: {unfenced(turn.content)}" for turn in history)
        prompt = self._rewrite.format(conversation=conversation, question=unfenced(question))
        rewritten = (await self._call([HumanMessage(prompt)])).strip()
        if not rewritten or len(rewritten) > 4 * len(question) + 200:
            raise GenerationError("the language model's rewrite is empty or implausibly long")
        return rewritten

    async def _call(self, messages: list) -> str:
        try:
            reply = await asyncio.wait_for(self.model.ainvoke(messages), timeout=self.timeout)
        except TimeoutError as error:
            raise GenerationError(f"the language model did not answer within {self.timeout:g} s") from error
        except Exception as error:  # any failure of a remote model means: fall back
            logger.warning("Language model call failed: %s", type(error).__name__)
            raise GenerationError(f"the language model failed ({type(error).__name__})") from error
        content = reply.content
        return content if isinstance(content, str) else " ".join(str(part) for part in content)
