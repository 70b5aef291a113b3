"""Evaluating a running Planwijzer over HTTP (`planwijzer eval --url …`): its /v1/search
ranks, its /v1/ask answers. Only the served system can be measured this way."""

from __future__ import annotations

import httpx

from planwijzer.eval.answers import AskFunction, Outcome
from planwijzer.eval.gold import GoldQuestion
from planwijzer.eval.retrieval import Ranker

TIMEOUT_SECONDS = 30.0


def remote_ranker(client: httpx.Client) -> Ranker:
    def rank(query: str, k: int) -> list[set[str]]:
        response = client.get("/v1/search", params={"q": query, "k": k})
        response.raise_for_status()
        return [{result["record"]["id"]} for result in response.json()["results"]]

    return rank


def remote_ask(client: httpx.AsyncClient) -> AskFunction:
    async def ask(question: GoldQuestion) -> Outcome:
        body = {"question": question.question, "history": [turn.model_dump() for turn in question.history]}
        response = await client.post("/v1/ask", json=body)
        response.raise_for_status()
        answer = response.json()
        return Outcome(answer["status"], tuple(c["id"] for c in answer["citations"]), answer["language"])

    return ask
