import pytest

from planwijzer.eval.gold import GoldQuestion, GoldResolver
from planwijzer.eval.retrieval import evaluate_retrieval, gold_count_group
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


def test_gold_counts_fall_in_one_of_three_groups() -> None:
    assert [gold_count_group(count) for count in (1, 2, 4, 5, 12)] == ["1", "2–4", "2–4", "5+", "5+"]
    with pytest.raises(ValueError, match="at least one gold record"):
        gold_count_group(0)


def test_figures_are_broken_down_by_the_number_of_gold_records(few_records: list[Record]) -> None:
    childcare = [r for r in few_records if r.actieprogramma == "5.5"]
    assert len(childcare) >= 6

    def question(qid: str, kind: str, count: int) -> GoldQuestion:
        gold = [{"programme": r.programme, "action": r.action} for r in childcare[:count]]
        return GoldQuestion.model_validate({"id": qid, "question": qid, "kind": kind, "gold": gold, "history": []})

    questions = [question("one", "resident", 1), question("three", "resident", 3), question("six", "staff", 6)]

    def first_two(query: str, k: int) -> list[set[str]]:
        del query
        return [{record.id} for record in childcare[:2]][:k]

    report = evaluate_retrieval("dev", questions, GoldResolver(few_records), {"first_two": first_two})
    grouped = report.systems[0].by_gold_count()
    assert list(grouped["resident"]) == ["1", "2–4"] and list(grouped["staff"]) == ["5+"]
    assert grouped["resident"]["1"]["recall@5"] == 1.0
    assert grouped["resident"]["2–4"]["recall@5"] == pytest.approx(2 / 3)
    assert grouped["staff"]["5+"]["recall@5"] == pytest.approx(2 / 5) and grouped["staff"]["5+"]["success@5"] == 1.0
    assert grouped["all"]["2–4"]["questions"] == 1
    assert report.to_json()["systems"]["first_two"]["by_gold_count"] == grouped
