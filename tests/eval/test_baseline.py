from pathlib import Path

from planwijzer.eval.baseline import CHUNK_SIZE, LangChainBaseline, source_chunks
from planwijzer.ingest.records import Record
from tests.conftest import plan_source
from tests.fakes import HashingEmbeddings


def test_chunks_are_credited_with_the_records_whose_lines_they_overlap(plan_records: list[Record]) -> None:
    chunks = source_chunks(plan_source(), plan_records)
    assert all(len(chunk.text) <= CHUNK_SIZE for chunk in chunks)
    first_action = next(r for r in plan_records if r.programme == 1 and r.action == 1)
    holding = [chunk for chunk in chunks if "De stad reikt zelf kaders en concepten aan" in chunk.text]
    assert holding and all(first_action.id in chunk.record_ids for chunk in holding)
    # A 1,000-character chunk holds a few actions at most: the generous count stays honest.
    assert max(len(chunk.record_ids) for chunk in chunks) <= 12
    covered = {record_id for chunk in chunks for record_id in chunk.record_ids}
    assert covered == {record.id for record in plan_records}


def test_the_baseline_ranks_chunks_by_similarity(tmp_path: Path, plan_records: list[Record]) -> None:
    few = [r for r in plan_records if r.programme == 5]
    baseline = LangChainBaseline([plan_source()], few, HashingEmbeddings(), tmp_path)
    target = next(r for r in few if r.action == 95)
    ranking = baseline.rank(target.text, 3)
    assert len(ranking) == 3
    assert target.id in ranking[0]
