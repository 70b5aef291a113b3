from __future__ import annotations

from pathlib import Path

import pytest

from planwijzer.ingest.pipeline import parse_source
from planwijzer.ingest.records import RecordKind, Source, SourceKind
from planwijzer.ingest.webpage import BlockKind, html_page_blocks, page_records, text_page_blocks
from tests.conftest import DATA_DIR

HTML_PAGE = """<!doctype html>
<html lang="nl"><head><title>Zorgzame stad | Stad Leuven</title>
<style>.x{color:red}</style></head>
<body>
<header><nav><ul><li>Home</li><li>Wonen</li></ul></nav></header>
<main>
  <h1>Zorgzame stad</h1>
  <p>We willen graag dat iedereen in Leuven zich goed voelt.</p>
  <h2>Hoe pakken we het aan?</h2>
  <h3>Armoedebestrijding</h3>
  <ul>
    <li>We geven een toelage voor noodzakelijke uitgaven, bovenop het leefloon.</li>
    <li><p>We zorgen dat mensen automatisch krijgen
        waar ze recht op hebben.</p></li>
  </ul>
  <h3>Racismebestrijding</h3>
</main>
<footer><p>Stadskantoor, Professor Van Overstraetenplein 1, 3000 Leuven</p></footer>
</body></html>
"""


def webpage(path: Path, stop_at: str | None = None) -> Source:
    return Source("zorgzame-stad", "Zorgzame stad", "2025-2030", SourceKind.WEBPAGE, path, stop_at)


def test_text_page_blocks() -> None:
    blocks = text_page_blocks(
        "Zorgzame stad\n\nHoe pakken we het aan?\n\nArmoede\n\n • Punt één.\nStadskantoor\nAdres 1\n",
        stop_at="Stadskantoor",
    )
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.HEADING, "Zorgzame stad"),
        (BlockKind.HEADING, "Hoe pakken we het aan?"),
        (BlockKind.HEADING, "Armoede"),
        (BlockKind.BULLET, "Punt één."),
    ]


def test_shipped_page_cites_bullets_by_section_and_number() -> None:
    records = parse_source(webpage(DATA_DIR / "zorgzame-stad.txt", stop_at="Stadskantoor"))
    by_citation = {r.citation: r for r in records}
    second = by_citation["Zorgzame stad › Armoedebestrijding › punt 2"]
    assert second.text.startswith("We zorgen dat mensen automatisch krijgen waar ze recht op hebben.")
    assert second.id == "zorgzame-stad/armoedebestrijding/2"
    assert (second.kind, second.item, second.subheading, second.period) == (
        RecordKind.BULLET,
        2,
        "Armoedebestrijding",
        "2025-2030",
    )
    assert sum(r.kind is RecordKind.BULLET for r in records) == 20
    assert not any("Overstraetenplein" in r.text or "Meld het ons" in r.text for r in records)


def test_html_page_gives_the_same_records_as_its_text(tmp_path: Path) -> None:
    page = tmp_path / "zorgzame-stad.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    records = parse_source(webpage(page))
    assert [(r.kind, r.citation, r.text) for r in records] == [
        (
            RecordKind.INTRO,
            "Zorgzame stad, inleiding",
            "We willen graag dat iedereen in Leuven zich goed voelt.",
        ),
        (
            RecordKind.BULLET,
            "Zorgzame stad › Armoedebestrijding › punt 1",
            "We geven een toelage voor noodzakelijke uitgaven, bovenop het leefloon.",
        ),
        (
            RecordKind.BULLET,
            "Zorgzame stad › Armoedebestrijding › punt 2",
            "We zorgen dat mensen automatisch krijgen waar ze recht op hebben.",
        ),
    ]
    assert records[1].lines == (12, 12)


def test_html_navigation_and_footer_are_not_content() -> None:
    texts = [block.text for block in html_page_blocks(HTML_PAGE)]
    assert "Home" not in texts
    assert not any("Stadskantoor" in text for text in texts)


@pytest.mark.parametrize("stop_at", [None, "Racismebestrijding"])
def test_page_records_numbering_restarts_per_section(stop_at: str | None) -> None:
    blocks = html_page_blocks(
        HTML_PAGE.replace("<h3>Racismebestrijding</h3>", "<h3>Kinderopvang</h3><ul><li>Meer plaatsen.</li></ul>"),
        stop_at,
    )
    source = webpage(Path("page.html"))
    items = [(r.subheading, r.item) for r in page_records(blocks, source) if r.kind is RecordKind.BULLET]
    assert items == [("Armoedebestrijding", 1), ("Armoedebestrijding", 2), ("Kinderopvang", 1)]
