import math

import pytest

from planwijzer.eval.metrics import (
    bootstrap_interval,
    found_at,
    ndcg_at,
    percentile,
    recall_at,
    reciprocal_rank,
    success_at,
)


def singles(*ids: str) -> list[set[str]]:
    return [{record_id} for record_id in ids]


def test_recall_is_capped_by_k() -> None:
    ranking = singles("x", "a", "y", "b")
    gold = {"a", "b", "c"}
    assert recall_at(ranking, gold, 1) == 0.0
    assert recall_at(ranking, gold, 2) == pytest.approx(1 / 2)  # 1 found of min(2, 3)
    assert recall_at(ranking, gold, 4) == pytest.approx(2 / 3)
    assert recall_at(singles("b"), gold, 1) == 1.0  # any one of three equally good answers


def test_a_chunk_covering_several_records_finds_each_of_them() -> None:
    chunks = [{"x", "a", "b"}, {"c"}]
    assert found_at(chunks, {"a", "b", "c"}, 1) == 2
    assert recall_at(chunks, {"a", "b"}, 1) == 1.0


def test_success_asks_only_for_one_gold_record_in_the_top_k() -> None:
    ranking = singles("x", "a", "y", "b")
    gold = {"a", "b", "c"}
    assert success_at(ranking, gold, 1) == 0.0
    assert success_at(ranking, gold, 2) == 1.0
    assert recall_at(ranking, gold, 5) == pytest.approx(2 / 3)  # capped recall asks for all three
    assert success_at(ranking, gold, 5) == 1.0
    assert success_at(ranking, {"b"}, 4) == recall_at(ranking, {"b"}, 4) == 1.0  # one gold: the same
    with pytest.raises(ValueError):
        success_at(ranking, set(), 5)


def test_reciprocal_rank() -> None:
    assert reciprocal_rank(singles("x", "y", "a"), {"a"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(singles("x"), {"a"}) == 0.0


def test_ndcg_against_a_hand_computed_value() -> None:
    ranking = singles("a", "x", "b")
    expected = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert ndcg_at(ranking, {"a", "b"}, 10) == pytest.approx(expected)
    assert ndcg_at(singles("a", "b"), {"a", "b"}, 10) == pytest.approx(1.0)
    assert ndcg_at([{"a", "b"}], {"a", "b"}, 10) == 1.0  # capped for chunks


def test_metrics_do_not_change_their_inputs() -> None:
    ranking, gold = singles("a", "b"), {"a"}
    before = ([set(p) for p in ranking], set(gold))
    recall_at(ranking, gold, 5), reciprocal_rank(ranking, gold), ndcg_at(ranking, gold, 5)
    assert (ranking, gold) == before


def test_no_gold_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one gold"):
        recall_at(singles("a"), set(), 5)


def test_percentile_by_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0 and percentile(values, 0.95) == 95.0
    assert percentile([3.0], 0.95) == 3.0


def test_the_bootstrap_interval_holds_the_mean_and_narrows_with_more_questions() -> None:
    few = [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0]  # mean 0.75
    many = few * 10
    low, high = bootstrap_interval(few)
    assert low < 0.75 < high and 0.0 <= low and high <= 1.0
    many_low, many_high = bootstrap_interval(many)
    assert many_high - many_low < (high - low) / 2  # ten times the questions: about a third of the width
    assert bootstrap_interval(few) == (low, high)  # a fixed seed: the same scores, the same interval


def test_the_bootstrap_interval_of_equal_scores_is_that_score() -> None:
    assert bootstrap_interval([0.5] * 7) == (0.5, 0.5)
    assert bootstrap_interval([]) is None
    with pytest.raises(ValueError, match="level"):
        bootstrap_interval([1.0], level=1.0)
