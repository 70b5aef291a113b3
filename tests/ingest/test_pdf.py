from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from planwijzer.errors import SourceFormatError
from planwijzer.ingest.pipeline import parse_source
from planwijzer.ingest.plan import parse_plan_text
from planwijzer.ingest.records import RecordKind, Source, SourceKind

PLAN_PAGES = [
    [
        "PROGRAMMA 5: INCLUSIEVE EN ZORGZAME",
        "STAD",
        "Iedereen moet zichzelf kunnen zijn in Leuven.",
        "Actieprogramma 5.5 Specifiek beleid voor doelgroepen",
        "KINDEROPVANG",
        "1. We ondersteunen de stedelijke adviesraad kinderopvang, maar blijven op zoek gaan naar",
        "verschillende vormen van participatie.",
        "2. We breiden het aantal plaatsen in de kinderopvang uit:",
        "• in elke deelgemeente een nieuw kinderdagverblijf;",
        "• meer plaatsen voor baby’s en peuters.",
    ],
    [
        "3. We maken de opvang betaalbaar voor gezinnen met een laag inkomen, met een tarief dat",
        "rekening houdt met het inkomen.",
        "SENIORENBELEID",
        "4. We maken werk van een seniorenplan met aandacht voor eenzaamheid.",
    ],
]


def write_pdf(path: Path, pages: list[list[str]]) -> None:
    canvas = Canvas(str(path), pagesize=A4)
    for page_number, lines in enumerate(pages, start=1):
        y = 800.0
        for line in lines:
            if line.startswith("• "):
                # As word processors set them: the bullet in the Symbol font, the text beside it.
                canvas.setFont("Symbol", 10)
                canvas.drawString(50, y, "•")
                line, x = line[2:], 62.0
            else:
                x = 50.0
            canvas.setFont("Helvetica", 10)
            canvas.drawString(x, y, line)
            y -= 14
        canvas.drawString(290, 30, str(page_number))  # the page number in the footer
        canvas.showPage()
    canvas.save()


def plan_at(path: Path) -> Source:
    return Source("bestuursnota-test", "Bestuursnota test", "2019-2024", SourceKind.PLAN, path)


def summary(records: list) -> list[tuple]:
    return [
        (r.programme, r.programme_title, r.actieprogramma, r.subheading, r.action, r.text)
        for r in records
        if r.kind is RecordKind.ACTION
    ]


def test_pdf_gives_the_same_actions_as_the_text(tmp_path: Path) -> None:
    pdf = tmp_path / "plan.pdf"
    write_pdf(pdf, PLAN_PAGES)
    from_pdf = parse_source(plan_at(pdf))
    text = "\n".join(line for page in PLAN_PAGES for line in page)
    from_text = parse_plan_text(text, plan_at(tmp_path / "plan.txt"))

    assert summary(from_pdf) == summary(from_text)
    assert [action for *_, action, _ in summary(from_pdf)] == [1, 2, 3, 4]
    first, second = summary(from_pdf)[:2]
    assert first[1] == "Inclusieve en zorgzame stad"
    assert first[5] == (
        "We ondersteunen de stedelijke adviesraad kinderopvang, maar blijven op zoek gaan naar "
        "verschillende vormen van participatie."
    )
    assert second[5].endswith("- meer plaatsen voor baby’s en peuters.")


def test_a_file_that_is_not_a_pdf_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "plan.pdf"
    fake.write_text("this is not a PDF", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="not a readable PDF"):
        parse_source(plan_at(fake))


def test_a_pdf_without_text_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "scan.pdf"
    canvas = Canvas(str(empty), pagesize=A4)
    canvas.rect(50, 50, 100, 100)
    canvas.showPage()
    canvas.save()
    with pytest.raises(SourceFormatError, match="no text layer"):
        parse_source(plan_at(empty))
