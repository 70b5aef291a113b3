from dataclasses import replace

from planwijzer.index.passages import WINDOW_MARGIN, context_header, record_passages
from planwijzer.ingest.records import Record


def words(text: str) -> int:
    return len(text.split())


def test_header_names_programme_actieprogramma_and_subheading(plan_records: list[Record]) -> None:
    record = next(r for r in plan_records if r.programme == 5 and r.action == 95)
    header = context_header(record)
    assert header.startswith(record.programme_title + " › ")
    assert record.actieprogramma_title in header


def test_capitalised_subheadings_are_sentence_cased(few_records: list[Record]) -> None:
    record = replace(few_records[0], subheading="BETAALBARE KINDEROPVANG", topic=None)
    assert context_header(record).endswith(" › Betaalbare kinderopvang")


def test_a_short_record_is_one_passage_of_its_text(few_records: list[Record]) -> None:
    record = few_records[0]
    [passage] = record_passages(record, words, max_tokens=512)
    assert passage.record_id == record.id and passage.part == 0
    assert passage.text == record.text


def test_the_header_goes_above_the_text_when_asked_for(few_records: list[Record]) -> None:
    record = few_records[0]
    [passage] = record_passages(record, words, max_tokens=512, with_header=True)
    assert passage.text == f"{context_header(record)}\n{record.text}"


def test_a_long_record_is_split_and_every_part_keeps_its_id_and_header(few_records: list[Record]) -> None:
    sentence = "De stad bouwt nieuwe plaatsen in de kinderopvang in elke wijk van Leuven."
    record = replace(few_records[0], text=" ".join([sentence] * 30))
    max_tokens = 80
    passages = record_passages(record, words, max_tokens, with_header=True)
    assert len(passages) > 1
    assert [p.part for p in passages] == list(range(len(passages)))
    header = context_header(record)
    for passage in passages:
        assert passage.record_id == record.id
        assert passage.text.startswith(header + "\n")
        assert words(passage.text) <= max_tokens - WINDOW_MARGIN
    bodies = " ".join(p.text.removeprefix(header + "\n") for p in passages)
    assert bodies == record.text


def test_a_sentence_longer_than_the_window_is_cut_between_words(few_records: list[Record]) -> None:
    record = replace(few_records[0], text=" ".join(f"woord{i}" for i in range(300)))
    passages = record_passages(record, words, max_tokens=60)
    assert len(passages) > 1
    assert all(words(p.text) <= 60 - WINDOW_MARGIN for p in passages)
    assert " ".join(p.text for p in passages) == record.text
