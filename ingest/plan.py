"""Parse a bestuursnota into records: opening chapters, programmes, actieprogramma's, actions.

The structure, as the plan's text shows it:

- an opening part (introduction chapter, principles) before ``PROGRAMMA 1``;
- ``PROGRAMMA N: TITLE`` headings, the title in capitals and possibly wrapped;
- ``Actieprogramma N.M title`` headings (also ``N.M.`` and ``N.M:``), the title possibly
  wrapped onto lines that start in lower case;
- upper-case subheadings (``KINDEROPVANG``) and ``Algemeen:`` blocks;
- short mixed-case topic lines (``Lerenden``, ``Ondersteuning sportverenigingen:``) that
  head a group of actions;
- actions ``K. text``, numbered per programme, with ``•`` bullets inside.

Text that is not an action becomes an ``intro`` record of the part it introduces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from planwijzer.errors import CorpusError, NumberingError, NumberingProblem
from planwijzer.ingest.lines import SourceLine, join_wrapped, read_lines
from planwijzer.ingest.records import Record, RecordKind, Source
from planwijzer.text import slugify

_PROGRAMME = re.compile(r"^PROGRAMMA\s+(\d{1,2})\s*:\s*(.*)$")
_ACTIEPROGRAMMA = re.compile(r"^Actieprogramma\s+(\d{1,2})\.(\d{1,2})[.:]?\s+(.*)$", re.IGNORECASE)
_ACTION = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_BULLET = re.compile(r"^[•▪◦●]\s*(.*)$")
_ALGEMEEN = re.compile(r"^Algemeen\s*:?$", re.IGNORECASE)
_ITEM = "- "
_SENTENCE_END = (".", ":", ";", "!", "?", "…", ")")
# A topic line is a short line of its own; a longer one ending in ":" still is (it reads
# as the lead-in of the actions below it), a longer one without is a wrapped sentence.
_TOPIC_MAX = 80
_LEAD_IN_MAX = 110


def parse_plan_text(text: str, source: Source) -> list[Record]:
    """Parse the plan's text; raise :class:`NumberingError` if action numbers break."""
    return parse_plan_lines(read_lines(text), source)


def parse_plan_lines(lines: Sequence[SourceLine], source: Source) -> list[Record]:
    """Parse cleaned plan lines; raise :class:`NumberingError` if action numbers break."""
    records = _PlanParser(lines, source).parse()
    problems = check_numbering(records)
    if problems:
        raise NumberingError(problems)
    return records


def check_numbering(records: Iterable[Record]) -> list[NumberingProblem]:
    """Every programme's actions must run 1..N in order; list each place where they don't."""
    problems: list[NumberingProblem] = []
    seen: dict[int, set[int]] = {}
    expected: dict[int, int] = {}
    for record in records:
        if record.kind is not RecordKind.ACTION or record.programme is None:
            continue
        number = record.action
        assert number is not None
        programme_seen = seen.setdefault(record.programme, set())
        wanted = expected.get(record.programme, 1)
        if number != wanted:
            if number in programme_seen:
                kind = "duplicate"
            elif number > wanted:
                kind = "gap"
            else:
                kind = "out-of-order"
            problems.append(NumberingProblem(record.source, record.programme, record.lines[0], number, wanted, kind))
        programme_seen.add(number)
        expected[record.programme] = max(wanted, number + 1)
    return problems


def sentence_case(title: str) -> str:
    """``BETAALBAAR WONEN`` -> ``Betaalbaar wonen`` (programme titles are set in capitals)."""
    lowered = title.strip().lower()
    return lowered[:1].upper() + lowered[1:]


def _is_upper_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and len(text) <= 100


def _starts_lower(text: str) -> bool:
    first = text.lstrip("(‘'\"")[:1]
    return first.islower()


@dataclass
class _Position:
    programme: int | None = None
    programme_title: str | None = None
    actieprogramma: str | None = None
    actieprogramma_title: str | None = None
    subheading: str | None = None
    topic: str | None = None


@dataclass
class _Block:
    kind: RecordKind
    position: _Position
    first_line: int
    last_line: int
    action: int | None = None
    parts: list[str] = field(default_factory=list)

    def add(self, line: SourceLine, *, new_part: bool, prefix: str = "") -> None:
        if new_part or not self.parts:
            self.parts.append(prefix + line.text)
        elif self.parts[-1] == _ITEM:
            # A PDF may set the bullet glyph apart from its text (a Symbol-font "•").
            self.parts[-1] += line.text
        else:
            self.parts[-1] = join_wrapped(self.parts[-1], line.text)
        self.last_line = line.number

    @property
    def text(self) -> str:
        return "\n".join(part for part in self.parts if part.strip("- "))


class _PlanParser:
    def __init__(self, lines: Sequence[SourceLine], source: Source) -> None:
        self.lines = lines
        self.source = source
        self.position = _Position()
        self.block: _Block | None = None
        self.records: list[Record] = []
        self.ids: set[str] = set()
        # What the last line was: "heading", "subheading", "list", "bullet" or "text".
        self.previous_role = "heading"

    def parse(self) -> list[Record]:
        index = 0
        while index < len(self.lines):
            index = self._consume(index)
        self._flush()
        return self.records

    # -- one line (or a heading with its continuation lines) at a time -----------------

    def _consume(self, index: int) -> int:
        line = self.lines[index]
        text = line.text
        in_programme = self.position.programme is not None

        if match := _PROGRAMME.match(text):
            return self._programme(index, int(match.group(1)), match.group(2))
        if match := _ACTIEPROGRAMMA.match(text):
            return self._actieprogramma(index, match)
        if in_programme and (_ALGEMEEN.match(text) or _is_upper_heading(text)):
            return self._subheading(index)
        if match := _ACTION.match(text):
            if in_programme:
                self._open(RecordKind.ACTION, line, action=int(match.group(1)))
                self._add(SourceLine(line.number, match.group(2)), new_part=True)
                self.previous_role = "text"
                return index + 1
            return self._opening_numbered(index)
        if match := _BULLET.match(text):
            self._add(SourceLine(line.number, match.group(1)), new_part=True, prefix=_ITEM)
            self.previous_role = "bullet"
            return index + 1
        if (not in_programme and _is_upper_heading(text)) or self._is_topic(index):
            self._flush()
            self.position.topic = text.rstrip(" :")
            self._open(RecordKind.INTRO, line)
            self.previous_role = "heading"
            return index + 1
        continues = _starts_lower(text) or not line.new_paragraph
        self._add(line, new_part=not continues)
        self.previous_role = "text"
        return index + 1

    def _programme(self, index: int, number: int, title: str) -> int:
        self._flush()
        first = self.lines[index]
        index += 1
        while (
            index < len(self.lines)
            and _is_upper_heading(self.lines[index].text)
            and not self.lines[index].new_paragraph
        ):
            title = f"{title} {self.lines[index].text}"
            index += 1
        self.position = _Position(programme=number, programme_title=sentence_case(title))
        self._open(RecordKind.INTRO, first)
        self.previous_role = "heading"
        return index

    def _actieprogramma(self, index: int, match: re.Match[str]) -> int:
        first = self.lines[index]
        programme = int(match.group(1))
        if programme != self.position.programme:
            raise CorpusError(
                f"{self.source.id} line {first.number}: actieprogramma "
                f"{match.group(1)}.{match.group(2)} is not inside programma {programme}"
            )
        self._flush()
        title = match.group(3)
        index += 1
        while index < len(self.lines) and not title.rstrip().endswith(".") and _starts_lower(self.lines[index].text):
            title = join_wrapped(title, self.lines[index].text)
            index += 1
        self.position = _Position(
            programme=self.position.programme,
            programme_title=self.position.programme_title,
            actieprogramma=f"{programme}.{int(match.group(2))}",
            actieprogramma_title=title.strip(),
        )
        self._open(RecordKind.INTRO, first)
        self.previous_role = "heading"
        return index

    def _subheading(self, index: int) -> int:
        line = self.lines[index]
        heading = line.text.rstrip(" :")
        block = self.block
        if self.previous_role == "subheading" and block is not None and not block.parts:
            # A subheading that wrapped onto a second line.
            heading = f"{self.position.subheading} {heading}"
        else:
            self._flush()
        self.position.subheading = heading
        self.position.topic = None
        self._open(RecordKind.INTRO, line)
        self.previous_role = "subheading"
        return index + 1

    def _opening_numbered(self, index: int) -> int:
        """Numbered lines before programme 1: a list of short items, or a principle's title."""
        line = self.lines[index]
        following = self.lines[index + 1].text if index + 1 < len(self.lines) else ""
        if self.previous_role == "list" or _ACTION.match(following):
            self._add(line, new_part=True, prefix=_ITEM)
            self.previous_role = "list"
            return index + 1
        self._flush()
        self.position.topic = line.text.rstrip(" :")
        self._open(RecordKind.INTRO, line)
        self.previous_role = "heading"
        return index + 1

    def _is_topic(self, index: int) -> bool:
        text = self.lines[index].text
        first = text[:1]
        if not (first.isupper() or first.isdigit()) or text.endswith((".", ",", ";", "…", "!", "?")):
            return False
        if len(text) > (_LEAD_IN_MAX if text.endswith(":") else _TOPIC_MAX):
            return False
        block = self.block
        if self.previous_role not in ("heading", "subheading", "list"):
            last = block.parts[-1] if block is not None and block.parts else ""
            if not last.endswith(_SENTENCE_END):
                return False
        if index + 1 < len(self.lines):
            following = self.lines[index + 1].text
            if _starts_lower(following):
                return False
            if text.endswith(":") and _BULLET.match(following):
                return False
        return True

    # -- blocks and records -------------------------------------------------------------

    def _open(self, kind: RecordKind, line: SourceLine, action: int | None = None) -> None:
        self._flush()
        position = _Position(**vars(self.position))
        self.block = _Block(kind, position, line.number, line.number, action=action)

    def _add(self, line: SourceLine, *, new_part: bool, prefix: str = "") -> None:
        if self.block is None:
            self._open(RecordKind.INTRO, line)
        assert self.block is not None
        self.block.add(line, new_part=new_part, prefix=prefix)

    def _flush(self) -> None:
        block, self.block = self.block, None
        if block is None or not block.text:
            return
        self.records.append(self._record(block))

    def _record(self, block: _Block) -> Record:
        position = block.position
        title = self.source.title
        if block.kind is RecordKind.ACTION:
            record_id = f"{self.source.id}/p{position.programme}/a{block.action}"
            citation = f"{title}, programma {position.programme}, actie {block.action}"
        else:
            record_id, citation = self._intro_id_and_citation(position)
        return Record(
            id=record_id,
            source=self.source.id,
            kind=block.kind,
            text=block.text,
            lines=(block.first_line, block.last_line),
            citation=citation,
            period=self.source.period,
            programme=position.programme,
            programme_title=position.programme_title,
            actieprogramma=position.actieprogramma,
            actieprogramma_title=position.actieprogramma_title,
            subheading=position.subheading,
            topic=position.topic,
            action=block.action,
        )

    def _intro_id_and_citation(self, position: _Position) -> tuple[str, str]:
        title = self.source.title
        section = " › ".join(part for part in (position.subheading, position.topic) if part)
        if position.programme is None:
            base = f"{self.source.id}/opening"
            citation = f"{title}, inleiding" + (f" › {section}" if section else "")
        elif position.actieprogramma is None:
            base = f"{self.source.id}/p{position.programme}/intro"
            citation = f"{title}, programma {position.programme}" + (f" › {section}" if section else ", inleiding")
        else:
            base = f"{self.source.id}/p{position.programme}/ap{position.actieprogramma}/intro"
            citation = f"{title}, actieprogramma {position.actieprogramma}" + (
                f" › {section}" if section else ", inleiding"
            )
        heading = position.topic or position.subheading
        record_id = f"{base}/{slugify(heading)}" if heading else base
        unique_id, suffix = record_id, 2
        while unique_id in self.ids:
            unique_id, suffix = f"{record_id}-{suffix}", suffix + 1
        self.ids.add(unique_id)
        return unique_id, citation
