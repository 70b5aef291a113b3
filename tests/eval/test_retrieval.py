import pytest

from planwijzer.eval.gold import GoldQuestion, GoldResolver
from planwijzer.eval.retrieval import evaluate_retrieval
from planwijzer.ingest.records import Record


def gold_question(qid: str, kind: str, programme: int | None = None, action: int | None = None) -> GoldQuestion:
    gold = [{"programme": programme, "action": action}] if programme else []
    history = [{"role": "user", "content": "eerder"}] if kind == "followup" else []
    return GoldQuestion.model_validate({"id": qid, "question": qid, "kind": kind, "gold": gold, "history": history})


def test_every_system_is_scored_per_kind_and_overall(few_records: list[Record]) -> None:
    resolver = GoldResolver(few_records)
    a95 = next(r.id for r in few_records if r.programme == 5 and r.action == 95)
    questions = [
        gold_question("r1", "resident", 5, 95),
        gold_question("s1", "staff", 5, 96),
        gold_question("o1", "out_of_scope"),
        gold_question("f1", "followup", 5, 95),
    ]

    def always_95(query: str, k: int) -> list[set[str]]:
        del query
        return [{a95}][:k]

    def nothing(query: str, k: int) -> list[set[str]]:
        del query, k
        return []

    rankers = {"perfect_on_95": always_95, "empty": nothing}
    report = evaluate_retrieval("dev", questions, resolver, rankers)
    assert report.skipped == {"out_of_scope": 1}
    perfect, empty = (result.by_kind() for result in report.systems)
    assert perfect["resident"]["recall@1"] == 1.0 and perfect["staff"]["recall@1"] == 0.0
    assert perfect["followup"]["recall@1"] == 1.0 and perfect["followup"]["success@5"] == 1.0
    assert perfect["all"]["recall@5"] == pytest.approx(2 / 3) and perfect["all"]["questions"] == 3
    assert report.systems[0].recall_curve() == pytest.approx([2 / 3] * 10)
    assert empty["all"]["mrr"] == 0.0
    assert set(report.to_json()["systems"]) == {"perfect_on_95", "empty"}
