import json
from pathlib import Path

import pytest

from planwijzer.eval.gold import GoldQuestion, GoldResolver, GoldSetError
from planwijzer.eval.judgements import (
    JudgedRecords,
    Judgement,
    gold_resolver,
    load_judgements,
    pool,
    reference_of,
    validate_judgements,
    verdicts_to_judgements,
)
from planwijzer.ingest.records import Record


def question(qid: str, kind: str = "resident", gold: tuple[int, ...] = (95,)) -> GoldQuestion:
    return GoldQuestion.model_validate(
        {"id": qid, "question": f"vraag {qid}", "kind": kind, "gold": [{"programme": 5, "action": a} for a in gold]}
    )


def action(records: list[Record], number: int) -> Record:
    return next(r for r in records if r.programme == 5 and r.action == number)


def judgement(qid: str, number: int, relevant: bool) -> Judgement:
    return Judgement.model_validate(
        {"question": qid, "record": {"programme": 5, "action": number}, "relevant": relevant}
    )


def write_judgements(path: Path, judgements: list[Judgement]) -> Path:
    path.write_text("".join(j.model_dump_json() + "\n" for j in judgements), encoding="utf-8")
    return path


def test_a_judged_relevant_record_counts_as_gold_and_a_rejected_one_does_not(
    tmp_path: Path, few_records: list[Record]
) -> None:
    questions = [question("q1"), question("q2", gold=(96,))]
    path = write_judgements(tmp_path / "judgements.jsonl", [judgement("q1", 97, True), judgement("q1", 98, False)])
    written = gold_resolver(few_records, judged=False, questions=questions, path=path)
    judged = gold_resolver(few_records, judged=True, questions=questions, path=path)
    a95, a96, a97 = (action(few_records, n).id for n in (95, 96, 97))
    assert written.record_ids(questions[0]) == {a95}
    assert judged.record_ids(questions[0]) == {a95, a97}
    assert judged.record_ids(questions[1]) == {a96}


def test_the_pool_holds_each_rankers_top_at_its_own_depth_minus_what_is_known(few_records: list[Record]) -> None:
    ids = {n: action(few_records, n).id for n in (95, 96, 97, 98, 99, 100)}
    questions = [question("q1"), question("o1", kind="out_of_scope", gold=())]
    judged = JudgedRecords.resolve([judgement("q1", 96, False)], GoldResolver(few_records))

    def deep(query: str, k: int) -> list[set[str]]:
        del query
        return [{ids[n]} for n in (95, 96, 97, 98)][:k]

    def chunks(query: str, k: int) -> list[set[str]]:
        del query
        return [{ids[99], ids[100]}, {ids[98]}][:k]

    items = pool(questions, GoldResolver(few_records), few_records, {"deep": (deep, 3), "chunks": (chunks, 1)},
                 lambda q: q.question, judged)  # fmt: skip
    [item] = items
    assert item.question.id == "q1"
    # 95 is gold, 96 judged already, 98 below both depths.
    assert {c.record.id for c in item.candidates} == {ids[97], ids[99], ids[100]}
    assert [c.key for c in item.candidates] == ["q1#1", "q1#2", "q1#3"]
    again = pool(questions, GoldResolver(few_records), few_records, {"deep": (deep, 3), "chunks": (chunks, 1)},
                 lambda q: q.question, judged)  # fmt: skip
    assert again == items
    shown = item.to_json()
    assert shown["text"] == "vraag q1" and all(
        {"key", "label", "place", "text"} <= c.keys() for c in shown["candidates"]
    )
    assert "deep" not in json.dumps(shown)  # the judge is not told which ranker found a record


def test_validation_names_every_kind_of_wrong_judgement(few_records: list[Record]) -> None:
    questions = [question("q1")]
    unknown_record = Judgement.model_validate(
        {"question": "q1", "record": {"programme": 5, "action": 999}, "relevant": True}
    )
    problems = validate_judgements(
        [
            judgement("nope", 97, True),
            unknown_record,
            judgement("q1", 95, True),
            judgement("q1", 97, True),
            judgement("q1", 97, False),
        ],
        questions,
        few_records,
    )
    assert len(problems) == 4
    assert "no gold file holds" in problems[0]
    assert "999" in problems[1]
    assert "already written gold" in problems[2]
    assert "both relevant and not relevant" in problems[3]


def test_wrong_judgements_refuse_the_evaluation(tmp_path: Path, few_records: list[Record]) -> None:
    path = write_judgements(tmp_path / "j.jsonl", [judgement("q1", 97, True), judgement("q1", 97, False)])
    with pytest.raises(GoldSetError, match="both relevant"):
        gold_resolver(few_records, judged=True, questions=[question("q1")], path=path)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"question": "q1", "record": {"programme": 5}, "relevant": true}\n', encoding="utf-8")
    with pytest.raises(GoldSetError, match="line 1"):
        load_judgements(broken)
    assert load_judgements(tmp_path / "missing.jsonl") == []


def test_records_are_named_as_gold_names_them(plan_records: list[Record]) -> None:
    first_action = next(r for r in plan_records if r.action is not None)
    intro = next(r for r in plan_records if r.action is None)
    assert reference_of(first_action).model_dump() == {
        "programme": first_action.programme,
        "action": first_action.action,
    }
    assert reference_of(intro).model_dump() == {"id": intro.id}


def test_the_pool_does_not_keep_the_rank_order(few_records: list[Record]) -> None:
    ranked = [r.id for r in few_records[:12]]

    def rank(query: str, k: int) -> list[set[str]]:
        del query
        return [{rid} for rid in ranked][:k]

    only_first = GoldQuestion.model_validate(
        {"id": "q1", "question": "q", "kind": "resident", "gold": [{"id": ranked[0]}]}
    )
    no_judgements = JudgedRecords({}, {})
    [item] = pool([only_first], GoldResolver(few_records), few_records, {"r": (rank, 12)}, lambda q: q.question,
                  no_judgements)  # fmt: skip
    order = [c.record.id for c in item.candidates]
    assert sorted(order) == sorted(ranked[1:]) and order != ranked[1:]


def pool_line(qid: str, keyed: dict[str, dict]) -> dict:
    return {"question": qid, "candidates": [{"key": key, "record": record} for key, record in keyed.items()]}


def test_verdicts_become_judgements_only_when_every_candidate_has_exactly_one() -> None:
    pool_items = [pool_line("q1", {"q1#1": {"programme": 5, "action": 97}, "q1#2": {"id": "web/bullet/1"}})]
    both = [{"key": "q1#1", "relevant": True}, {"key": "q1#2", "relevant": False}]
    made = verdicts_to_judgements(pool_items, both)
    assert [(j.question, j.record.model_dump(), j.relevant) for j in made] == [
        ("q1", {"programme": 5, "action": 97}, True),
        ("q1", {"id": "web/bullet/1"}, False),
    ]
    for wrong, message in [
        (both[:1], "1 candidates have no verdict"),
        ([*both, {"key": "q1#3", "relevant": True}], "no candidate of the pool"),
        ([*both, both[0]], "given twice"),
        ([{"key": "q1#1", "relevant": "ja"}, both[1]], "true or false"),
        (["q1#1"], "no candidate of the pool"),
    ]:
        with pytest.raises(GoldSetError, match=message):
            verdicts_to_judgements(pool_items, wrong)
    with pytest.raises(GoldSetError, match="not a pool"):
        verdicts_to_judgements([{"question": "q1"}], both)
