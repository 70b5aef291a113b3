from pathlib import Path

import pytest

from planwijzer.eval.gold import (
    GOLD_DIR,
    GoldQuestion,
    GoldResolver,
    GoldSetError,
    QuestionKind,
    load_gold,
    load_split,
    validate,
)
from planwijzer.ingest.pipeline import parse_source
from planwijzer.ingest.records import Record
from planwijzer.ingest.sources import load_sources
from tests.conftest import DATA_DIR


@pytest.fixture(scope="module")
def corpus() -> list[Record]:
    return [record for source in load_sources(DATA_DIR / "sources.toml") for record in parse_source(source)]


def question(**fields: object) -> GoldQuestion:
    defaults: dict[str, object] = {"id": "q1", "question": "komt er meer kinderopvang?", "kind": "resident"}
    return GoldQuestion.model_validate({**defaults, **fields})


def test_the_shipped_gold_sets_are_sound(corpus: list[Record]) -> None:
    questions = load_split("all")
    assert validate(questions, corpus) == []
    dev, test = load_split("dev"), load_split("test")
    assert len(dev) >= 60 and len(test) >= 40
    assert {q.kind for q in test} == set(QuestionKind)  # every kind is held back too
    assert not {q.id for q in dev} & {q.id for q in test}


def test_dev_and_test_never_share_a_gold_record(corpus: list[Record]) -> None:
    """The questions written for a record or two never share one across the splits; the
    short questions on broad topics do (see eval/gold.py)."""
    resolver = GoldResolver(corpus)
    dev = {rid for q in load_gold(GOLD_DIR / "dev.jsonl") for rid in resolver.record_ids(q)}
    test = {rid for q in load_gold(GOLD_DIR / "test.jsonl") for rid in resolver.record_ids(q)}
    assert not dev & test


def test_a_split_holds_its_own_file_and_those_named_after_it(tmp_path: Path) -> None:
    for name, question_id in (("dev", "d1"), ("dev-short", "d2"), ("test", "t1"), ("development", "x")):
        (tmp_path / f"{name}.jsonl").write_text(question(id=question_id).model_dump_json() + "\n")
    assert [q.id for q in load_split("dev", tmp_path)] == ["d1", "d2"]
    assert [q.id for q in load_split("all", tmp_path)] == ["d1", "d2", "t1"]


def test_the_short_questions_are_short() -> None:
    for split in ("dev", "test"):
        questions = load_gold(GOLD_DIR / f"{split}-short.jsonl")
        assert questions and all(len(q.question.split()) <= 6 for q in questions)


def test_gold_resolves_actions_and_record_ids(corpus: list[Record]) -> None:
    resolver = GoldResolver(corpus)
    gold = [{"programme": 5, "action": 95}, {"id": "zorgzame-stad/meer-en-nog-betere-kinderopvang/1"}]
    assert resolver.record_ids(question(gold=gold)) == {
        "bestuursnota-2019-2024/p5/a95",
        "zorgzame-stad/meer-en-nog-betere-kinderopvang/1",
    }


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"gold": [{"programme": 3, "action": 999}]}, "actie 3.999 bestaat niet"),
        ({"gold": [{"id": "zorgzame-stad/nergens/1"}]}, "not in the corpus"),
        ({"gold": []}, "needs at least one gold record"),
        ({"kind": "out_of_scope", "gold": [{"programme": 5, "action": 95}]}, "has no gold records"),
        ({"kind": "followup", "gold": [{"programme": 5, "action": 95}]}, "every followup needs one"),
    ],
)
def test_the_validator_names_each_problem(corpus: list[Record], fields: dict[str, object], problem: str) -> None:
    [message] = validate([question(**fields)], corpus)
    assert message.startswith("q1: ") and problem in message


def test_the_validator_finds_duplicate_ids(corpus: list[Record]) -> None:
    gold = [{"programme": 5, "action": 95}]
    assert validate([question(gold=gold), question(gold=gold)], corpus) == ["q1: the id is used twice"]


def test_a_malformed_line_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "question": "q", "kind": "resident"}\n{"id": "b", "kind": "gossip"}\n')
    with pytest.raises(GoldSetError, match="gold.jsonl line 2"):
        load_gold(path)


def test_an_unknown_split_is_refused() -> None:
    with pytest.raises(GoldSetError, match="unknown split"):
        load_split("train")


def test_a_city_can_use_its_own_gold_file(tmp_path: Path) -> None:
    path = tmp_path / "city.jsonl"
    path.write_text(
        '{"id": "c1", "question": "Is er een zwembad?", "kind": "staff", "gold": [{"programme": 8, "action": 68}]}\n'
    )
    [question] = load_split(str(path))
    assert question.id == "c1" and question.gold[0].action == 68
