from dataclasses import replace

from planwijzer.ingest.pipeline import parse_source
from planwijzer.ingest.records import Record
from planwijzer.ingest.sources import load_sources
from planwijzer.service.answering import AnswerStatus, Citation, Grounding
from planwijzer.service.compose import ExtractiveComposer
from tests.conftest import DATA_DIR


def composer() -> ExtractiveComposer:
    return ExtractiveComposer({source.id: source for source in load_sources(DATA_DIR / "sources.toml")})


def grounding(records: list[Record], language: str = "nl", **fields: object) -> Grounding:
    citations = tuple(Citation(record, record.text[:40], 1.0) for record in records)
    defaults: dict[str, object] = {"status": AnswerStatus.ANSWERED, "citations": citations}
    return Grounding("vraag", "vraag", language, **{**defaults, **fields})


def test_citations_are_grouped_by_actieprogramma_under_their_source(few_records: list[Record]) -> None:
    five = [r for r in few_records if r.actieprogramma == "5.5"][:2]
    one = next(r for r in few_records if r.actieprogramma == "1.1")
    text = composer().compose(grounding([five[0], one, five[1]])).text
    lines = text.splitlines()
    assert lines[0] == "Dit staat er in het plan over uw vraag:"
    heading_five = "**Actieprogramma 5.5: Specifiek beleid voor doelgroepen (Bestuursnota 2019-2024)**"
    assert lines[2] == heading_five
    assert lines[3].endswith(f"[{five[0].label}]") and lines[4].endswith(f"[{five[1].label}]")
    assert lines[6].startswith("**Actieprogramma 1.1: We stimuleren ontmoeting")
    assert lines[7] == f'- "{one.text[:40]}" [{one.label}]'


def test_a_web_page_bullet_names_its_section_and_period() -> None:
    [page] = [s for s in load_sources(DATA_DIR / "sources.toml") if s.id == "zorgzame-stad"]
    bullet = next(r for r in parse_source(page) if r.kind.value == "bullet" and r.subheading == "Armoedebestrijding")
    text = composer().compose(grounding([bullet], language="en")).text
    assert "**Armoedebestrijding (Zorgzame stad (city web page, plan 2025-2030))**" in text
    assert f"[{bullet.label}]" in text and bullet.label.startswith("Zorgzame stad › Armoedebestrijding › punt ")


def test_not_found_names_the_nearest_programmes_and_the_city_contact() -> None:
    suggestions = ((5, "Inclusieve en zorgzame stad"), (2, "Betaalbaar wonen"))
    answer = composer().compose(grounding([], status=AnswerStatus.NOT_FOUND, suggestions=suggestions))
    assert answer.text == (
        "Daarover vind ik niets in het plan van de stad. Misschien vindt u verwante beloftes in programma 5 "
        "(Inclusieve en zorgzame stad) of programma 2 (Betaalbaar wonen). Met uw vraag kunt u ook terecht bij "
        "het Stadskantoor, Professor Van Overstraetenplein 1, 3000 Leuven."
    )
    assert answer.composer == "extractive"


def test_a_part_of_the_city_no_cited_record_names_is_said_to_be_covered_by_the_whole_city(
    few_records: list[Record],
) -> None:
    childcare = next(r for r in few_records if r.label == "5.104")
    text = composer().compose(grounding([childcare], places=("heverlee",))).text
    assert "Het plan noemt Heverlee hier niet apart: deze acties gelden voor de hele stad." in text.splitlines()
    english = composer().compose(grounding([childcare], language="en", places=("kessel-lo", "wijgmaal"))).text
    assert "The plan does not single out Kessel-Lo or Wijgmaal here: these actions are for the whole city." in english
    named = replace(childcare, text=f"{childcare.text} Ook in Heverlee en Kessel Lo.")
    assert "niet apart" not in composer().compose(grounding([named], places=("heverlee", "kessel-lo"))).text
