"""The shipped bestuursnota, parsed whole: the counts and texts the rest of Planwijzer relies on."""

from __future__ import annotations

from collections import Counter

import pytest

from planwijzer.ingest.plan import parse_plan_text
from planwijzer.ingest.records import Record, RecordKind
from tests.conftest import plan_source

ACTIONS_PER_PROGRAMME = {1: 52, 2: 90, 3: 161, 4: 164, 5: 201, 6: 120, 7: 179, 8: 139, 9: 95, 10: 111}


@pytest.fixture(scope="module")
def records() -> list[Record]:
    source = plan_source()
    return parse_plan_text(source.path.read_text(encoding="utf-8"), source)


@pytest.fixture(scope="module")
def by_action(records: list[Record]) -> dict[tuple[int | None, int | None], Record]:
    return {(r.programme, r.action): r for r in records if r.kind is RecordKind.ACTION}


def test_action_count_per_programme(records: list[Record]) -> None:
    counts = Counter(r.programme for r in records if r.kind is RecordKind.ACTION)
    assert dict(counts) == ACTIONS_PER_PROGRAMME
    assert sum(counts.values()) == 1312


def test_programme_introductions(records: list[Record]) -> None:
    intros = {r.programme: r for r in records if r.id.endswith(f"/p{r.programme}/intro")}
    # Programme 4 goes straight from its title to actieprogramma 4.1.
    assert sorted(intros) == [1, 2, 3, 5, 6, 7, 8, 9, 10]
    assert intros[2].text.startswith("De stad Leuven voert een ambitieus woonbeleid")
    assert intros[2].citation == "Bestuursnota 2019-2024, programma 2, inleiding"


def test_actieprogrammas_in_order(records: list[Record]) -> None:
    seen = list(dict.fromkeys(r.actieprogramma for r in records if r.actieprogramma))
    assert len(seen) == 57
    assert seen[:5] == ["1.1", "1.2", "1.3", "1.4", "2.1"]
    assert seen[-1] == "10.7"
    assert seen == sorted(seen, key=lambda ap: tuple(int(part) for part in ap.split(".")))


@pytest.mark.parametrize(
    ("programme", "action", "actieprogramma", "subheading", "starts_with"),
    [
        (5, 95, "5.5", "KINDEROPVANG", "We ondersteunen de stedelijke adviesraad kinderopvang"),
        (1, 1, "1.1", None, "De stad reikt zelf kaders en concepten aan om ontmoeting te stimuleren"),
        (2, 1, None, "Algemeen", "We maken werk van een woonbeleidsplan"),
        (
            3,
            63,
            "3.3",
            None,
            "We breiden de openingsuren van de fietsenparking onder het Rector De Somerplein",
        ),
        (6, 44, "6.3", "Algemeen", "De stad versnelt en intensifieert de inspanningen"),
        (10, 111, "10.7", None, "We zetten hoog in op het verder verduurzamen van onderhoud"),
    ],
)
def test_spot_checks(
    by_action: dict[tuple[int | None, int | None], Record],
    programme: int,
    action: int,
    actieprogramma: str | None,
    subheading: str | None,
    starts_with: str,
) -> None:
    record = by_action[(programme, action)]
    assert record.text.startswith(starts_with)
    assert (record.actieprogramma, record.subheading) == (actieprogramma, subheading)
    assert record.id == f"bestuursnota-2019-2024/p{programme}/a{action}"


def test_actieprogramma_5_5_starts_at_action_95(
    by_action: dict[tuple[int | None, int | None], Record],
) -> None:
    assert by_action[(5, 94)].actieprogramma == "5.4"
    assert by_action[(5, 95)].actieprogramma == "5.5"


def test_bullets_are_list_items(by_action: dict[tuple[int | None, int | None], Record]) -> None:
    items = by_action[(6, 44)].text.split("\n")
    assert items[0].endswith("duurzame energieproductie:")
    assert len(items) == 6
    assert all(item.startswith("- ") for item in items[1:])


def test_texts_carry_no_extraction_artefacts(records: list[Record]) -> None:
    for record in records:
        assert record.text == record.text.strip()
        assert "  " not in record.text, record.id
        assert "\n\n" not in record.text, record.id
        assert "•" not in record.text, record.id
        assert record.lines[0] <= record.lines[1]


def test_ids_are_unique(records: list[Record]) -> None:
    ids = [r.id for r in records]
    assert len(ids) == len(set(ids))
