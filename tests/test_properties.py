"""Property tests: the parts that read what people type never crash, whatever the Unicode."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planwijzer.errors import PlanwijzerError
from planwijzer.index.analysis import CharNgramAnalyzer, DutchAnalyzer
from planwijzer.index.lookup import ActieprogrammaRef, ActionRef, parse_reference
from planwijzer.ingest.lines import read_lines
from planwijzer.ingest.plan import parse_plan_text
from planwijzer.language import detect_language
from planwijzer.service.followup import FollowUpRewriter
from planwijzer.service.models import strip_control
from planwijzer.service.quotes import QuoteTrimmer
from tests.conftest import plan_source

FAST = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
# Lines that look like the plan's own, so the parser's deeper paths are reached too.
PLAN_LINE = st.one_of(
    TEXT,
    st.from_regex(r"PROGRAMMA \d{1,2}: [A-Z ]{3,30}", fullmatch=True),
    st.from_regex(r"Actieprogramma \d{1,2}\.\d{1,2}[.:]? [A-Za-z ]{0,40}", fullmatch=True),
    st.from_regex(r"\d{1,3}\. [A-Za-z ,.]{0,60}", fullmatch=True),
    st.sampled_from(["", " ", "Algemeen:", "KINDEROPVANG", "• ", "- item", "12"]),
)


@FAST
@given(st.lists(PLAN_LINE, max_size=40))
def test_the_plan_parser_reads_anything_or_says_what_is_wrong(lines: list[str]) -> None:
    try:
        records = parse_plan_text("\n".join(lines), plan_source())
    except PlanwijzerError:
        return  # a clear refusal (e.g. broken numbering) is a fine outcome
    assert all(record.text.strip() for record in records)


@FAST
@given(TEXT)
def test_line_reading_never_crashes(text: str) -> None:
    for line in read_lines(text):
        assert line.number >= 1


@FAST
@given(TEXT)
def test_the_reference_parser_returns_a_reference_or_none(query: str) -> None:
    reference = parse_reference(query)
    assert reference is None or isinstance(reference, ActionRef | ActieprogrammaRef)


@dataclass
class Turn:
    role: str
    content: str


TURNS = st.lists(st.builds(Turn, st.sampled_from(["user", "assistant"]), TEXT), max_size=6)


@FAST
@given(TEXT, TURNS)
def test_the_follow_up_rewriter_always_gives_a_query(question: str, history: list[Turn]) -> None:
    rewrite = FollowUpRewriter().rewrite(question, history)
    assert isinstance(rewrite.query, str)
    assert rewrite.is_followup or not history or rewrite.query == question.strip()


@FAST
@given(TEXT)
def test_analysers_language_and_control_stripping_never_crash(text: str) -> None:
    DutchAnalyzer().terms(text)
    CharNgramAnalyzer(3).terms(text)
    assert detect_language(text) in {"nl", "en"}
    stripped = strip_control(text)
    assert not any(ord(char) < 32 and char not in "\t\n" for char in stripped)


@FAST
@given(TEXT, TEXT)
def test_quotes_come_from_the_record(text: str, question: str) -> None:
    quote = QuoteTrimmer().quote(text, question)
    for piece in quote.split(" … "):
        for word in piece.replace("…", " ").split():
            assert word in text
