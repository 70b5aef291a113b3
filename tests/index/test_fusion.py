import pytest

from planwijzer.index.fusion import reciprocal_rank_fusion
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
