import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planwijzer.index.fusion import reciprocal_rank_fusion, score_fusion, score_fusion_of_scores
from planwijzer.index.retriever import Hit
from planwijzer.ingest.records import Record, RecordKind


def hit(record_id: str, score: float, method: str) -> Hit:
    record = Record(record_id, "s", RecordKind.ACTION, record_id, (1, 1), record_id, "2019-2024")
    return Hit(record, score, method)


def ranking(method: str, *ids: str) -> list[Hit]:
    return [hit(record_id, 100.0 - rank, method) for rank, record_id in enumerate(ids)]


def test_agreement_beats_a_single_first_place() -> None:
    fused = reciprocal_rank_fusion([ranking("bm25", "a", "b", "c"), ranking("dense", "d", "b", "a")], k=60)
    assert [h.record.id for h in fused] == ["a", "b", "d", "c"]
    assert fused[0].score == pytest.approx(1 / 61 + 1 / 63)
    assert all(h.method == "hybrid" for h in fused)


def test_weights_tilt_the_fusion() -> None:
    lists = [ranking("bm25", "a", "b"), ranking("dense", "b", "a")]
    assert reciprocal_rank_fusion(lists, weights=[2.0, 1.0])[0].record.id == "a"
    assert reciprocal_rank_fusion(lists, weights=[1.0, 2.0])[0].record.id == "b"


def test_inputs_are_not_changed() -> None:
    lists = [ranking("bm25", "a", "b"), ranking("dense", "b")]
    before = [list(ranking) for ranking in lists]
    reciprocal_rank_fusion(lists)
    assert lists == before


def test_empty_and_invalid() -> None:
    assert reciprocal_rank_fusion([[], []]) == []
    with pytest.raises(ValueError, match="one weight per ranking"):
        reciprocal_rank_fusion([ranking("bm25", "a")], weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="k must be at least 1"):
        reciprocal_rank_fusion([ranking("bm25", "a")], k=0)


def scored(method: str, **scores: float) -> list[Hit]:
    return [hit(record_id, score, method) for record_id, score in scores.items()]


def test_score_fusion_scales_each_ranking_to_0_1_before_weighing() -> None:
    bm25 = scored("bm25", a=20.0, b=10.0, c=0.0)  # scaled: a 1, b 0.5, c 0
    dense = scored("dense", b=0.9, c=0.8, a=0.4)  # scaled: b 1, c 0.8, a 0
    fused = score_fusion([bm25, dense], weights=[1.0, 1.0])
    assert [h.record.id for h in fused] == ["b", "a", "c"]
    assert [h.score for h in fused] == pytest.approx([1.5, 1.0, 0.8])
    assert all(h.method == "hybrid" for h in fused)


def test_score_fusion_keeps_a_clear_winners_lead_where_rank_fusion_does_not() -> None:
    # BM25 barely separates a from b; dense is sure about b. Ranks alone tie them.
    bm25 = scored("bm25", a=10.0, b=9.9, c=0.0)
    dense = scored("dense", b=0.95, a=0.5, c=0.45)
    assert score_fusion([bm25, dense])[0].record.id == "b"
    rrf = reciprocal_rank_fusion([bm25, dense])
    assert rrf[0].score == pytest.approx(rrf[1].score)


def test_score_fusion_of_equal_scores_and_missing_records() -> None:
    fused = score_fusion([scored("bm25", a=3.0), scored("dense", b=0.5, c=0.5)], weights=[1.0, 0.5])
    assert {h.record.id: h.score for h in fused} == {"a": 1.0, "b": 0.5, "c": 0.5}
    assert score_fusion([[], []]) == []
    with pytest.raises(ValueError, match="one weight per ranking"):
        score_fusion([scored("bm25", a=1.0)], weights=[1.0, 2.0])


def test_fused_hits_keep_each_rankings_raw_score() -> None:
    fused = score_fusion([scored("bm25", a=7.5, b=1.0), scored("dense", a=0.9)])
    first = fused[0]
    assert first.record.id == "a"
    assert dict(first.components) == {"bm25": 7.5, "dense": 0.9}
    assert first.component("dense") == 0.9 and fused[1].component("dense") is None


@pytest.mark.parametrize("fuse", [reciprocal_rank_fusion, score_fusion])
def test_a_limit_returns_the_head_of_the_full_fusion(fuse: Callable[..., list[Hit]]) -> None:
    lists = [ranking("bm25", "a", "b", "c", "e"), ranking("dense", "d", "b", "a", "c")]
    full = fuse(lists)
    assert fuse(lists, limit=2) == full[:2]
    assert fuse(lists, limit=10) == full


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.lists(
        st.lists(st.one_of(st.just(-math.inf), st.integers(1, 4).map(float)), min_size=8, max_size=8),
        min_size=1,
        max_size=4,
    ),
    st.data(),
)
def test_fusing_score_arrays_gives_the_hits_fusing_hits_gives(rows: list[list[float]], data: st.DataObject) -> None:
    # Few distinct scores, so that ties inside a ranking and in the sum are common.
    records = [hit(f"r{i}", 0.0, "x").record for i in range(8)]
    weights = data.draw(st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=len(rows), max_size=len(rows)))
    depth = data.draw(st.integers(1, 8))
    arrays = [(f"m{number}", np.array(row)) for number, row in enumerate(rows)]
    rankings = []
    for name, scores in arrays:
        found = [i for i in np.argsort(-scores, kind="stable") if np.isfinite(scores[i])][:depth]
        rankings.append([Hit(records[i], float(scores[i]), name) for i in found])
    expected = score_fusion(rankings, weights=weights, limit=5)
    fused = score_fusion_of_scores(records, arrays, weights, depth, limit=5)
    assert [(h.record.id, h.components) for h in fused] == [(h.record.id, h.components) for h in expected]
    assert [h.score for h in fused] == pytest.approx([h.score for h in expected])
