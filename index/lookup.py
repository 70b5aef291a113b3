"""Direct look-up: queries that name an action are answered exactly, before any search.

Staff type "actie 3.45", "3.45", "programma 6 actie 31", "p6 a31", "actie 31 van programma 6",
"actieprogramma 5.5" or "programma 5"; with the Dutch decimal comma "actie 3,45" (or "3,45"
alone); and ranges, "5.95-5.97" or "5.95 tot 5.97". Action numbers count per programme, so
"5.95" is programme 5, action 95.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planwijzer.errors import UnknownReferenceError
from planwijzer.ingest.records import Record, RecordKind
from planwijzer.text import fold


@dataclass(frozen=True)
class ActionRef:
    programme: int
    action: int

    @property
    def label(self) -> str:
        return f"{self.programme}.{self.action}"

    @property
    def query(self) -> str:
        """How a look-up of it reads: what the answer shows as its query."""
        return f"actie {self.label}"


@dataclass(frozen=True)
class ActieprogrammaRef:
    actieprogramma: str

    @property
    def query(self) -> str:
        return f"actieprogramma {self.actieprogramma}"

    def contains(self, record: Record) -> bool:
        return record.actieprogramma == self.actieprogramma


@dataclass(frozen=True)
class ProgrammeRef:
    programme: int

    @property
    def query(self) -> str:
        return f"programma {self.programme}"

    def contains(self, record: Record) -> bool:
        return record.programme == self.programme


Reference = ActionRef | ActieprogrammaRef | ProgrammeRef
# A part of the plan a search can be kept to ("welke gaan over stallingen?" after "actieprogramma 3.3").
Scope = ActieprogrammaRef | ProgrammeRef


def scope_of(programme: int | None = None, actieprogramma: str | None = None) -> Scope | None:
    """The part of the plan a search is kept to when filtered by programme, actieprogramma or
    both; ValueError when the two name different parts."""
    if actieprogramma is None:
        return ProgrammeRef(programme) if programme is not None else None
    if programme is not None and not actieprogramma.startswith(f"{programme}."):
        raise ValueError(f"actieprogramma {actieprogramma} is geen deel van programma {programme}")
    return ActieprogrammaRef(actieprogramma)


# Order matters: the most explicit forms first, so "actieprogramma 5.5" is not read as action 5.5.
_ACTIEPROGRAMMA = re.compile(r"\b(?:actieprogramma|ap)\s*(\d{1,2})\.(\d{1,2})\b")
_PROGRAMME_ACTION = re.compile(r"\b(?:programma|prog|p)\s*(\d{1,2})\s*[,;]?\s*(?:actie|a)\s*(\d{1,3})\b")
# "actie 31 van programma 6": the action first, then its programme.
_ACTION_OF_PROGRAMME = re.compile(
    r"\b(?:actie|action)\s*(\d{1,3})\s+(?:van|uit|in|of|from)\s+(?:het\s+|the\s+)?(?:programma|programme|program)\s*(\d{1,2})\b"
)
# After the word itself a number is an action whatever it looks like: "actie 5,95", "actie 5.0".
_EXPLICIT_ACTION = re.compile(r"\b(?:actie|action)\s*(\d{1,2})[.,](\d{1,3})\b(?![.,]?\d)")
# "1.000" is a thousand, not programme 1 action 0: no leading zero, nothing numeric after.
_DOTTED = re.compile(r"(?<![\d.,])\b(\d{1,2})\.([1-9]\d{0,2})\b(?![.,]?\d)")
# "5,95" alone is an action in the Dutch way of writing it; inside a sentence a comma number is a
# quantity ("8,5 procent").
_COMMA_ALONE = re.compile(r"^\s*(\d{1,2}),([1-9]\d{0,2})\s*\??\s*$")
# "5.95-5.97", "5.95 tot 5.97", "5.95 t/m 97": the actions from one to the other, in one programme.
_RANGE = re.compile(
    r"(?<![\d.,])\b(\d{1,2})\.([1-9]\d{0,2})\s*(?:-|–|tot en met|tot|t/m|to|through)\s*"
    r"(?:(\d{1,2})\.)?([1-9]\d{0,2})\b(?![.,]?\d)"
)
# A range longer than this names two actions, not everything between them.
RANGE_MAX_ACTIONS = 60
# A query this short that holds a number asks to see what it names.
LOOKUP_MAX_WORDS = 6


def few_words(text: str) -> bool:
    """A query of at most ``LOOKUP_MAX_WORDS`` words: a number in it is a look-up, and after a
    look-up it is asked of what was looked up."""
    return len(text.split()) <= LOOKUP_MAX_WORDS


def parse_reference(query: str) -> Reference | None:
    """The first action or actieprogramma that ``query`` names, if any: an actieprogramma
    before an action, then the most explicit form first."""
    text = fold(query)
    if numbered := _numbered(text):
        return numbered[0][1]
    named = _named_part(text)
    if named is not None and _word_count(named[1]) <= PART_LOOKUP_MAX_OTHER_WORDS:
        return named[0]
    return None


def _numbered(text: str) -> list[tuple[int, Reference]]:
    """Every action and actieprogramma ``text`` names by number, each with where it starts,
    the most explicit forms first: "actieprogramma 5.5" is not action 5.5, and the ends of
    "5.95-5.97" are not two actions of their own."""
    found: list[tuple[int, Reference]] = []
    taken: list[tuple[int, int]] = []
    for pattern, references_of in _FORMS:
        for match in pattern.finditer(text):
            if not any(start < match.end() and match.start() < end for start, end in taken):
                taken.append(match.span())
                found.extend((match.start(), reference) for reference in references_of(match))
    return found


# "in programma 3", "van actieprogramma 3.3" inside a question: the words that name a part of
# the plan, left out of what is searched for.
_PART = r"(?:\b(?:in|van|uit|binnen|of|from|within)\s+)?(?:(?:het|the)\s+)?\b"
_NAMED_ACTIEPROGRAMMA = re.compile(_PART + r"(?:actieprogramma|ap)\s*(\d{1,2})\.(\d{1,2})\b")
_NAMED_PROGRAMME = re.compile(_PART + r"(?:programma|programme|program)\s*(\d{1,2})\b")
# "wat staat er in programma 3?" asks to see it; with more words of its own beside the name
# ("wat doet programma 3 voor fietsers?") a question asks something of it.
PART_LOOKUP_MAX_OTHER_WORDS = 3


def named_scope(question: str) -> tuple[Scope, str] | None:
    """The programme or actieprogramma a question keeps to ("wat doet programma 3 voor
    fietsers?", "welke acties van actieprogramma 3.3 gaan over stallingen?"), and the
    question's own words without its name; None when the question names no part, several, or
    an action, or is a look-up ("wat staat er in programma 3?")."""
    named = _named_part(fold(question))
    if named is None or _word_count(named[1]) <= PART_LOOKUP_MAX_OTHER_WORDS:
        return None
    return named


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _named_part(text: str) -> tuple[Scope, str] | None:
    """The one part of the plan ``text`` names, and its other words; None when it names an
    action or not exactly one part (a programme and one of its actieprogramma's are one)."""
    actieprogrammas = {f"{int(first)}.{int(second)}" for first, second in _NAMED_ACTIEPROGRAMMA.findall(text)}
    rest = _NAMED_ACTIEPROGRAMMA.sub(" ", text)
    if _numbered(rest):
        return None
    programmes = {int(number) for number in _NAMED_PROGRAMME.findall(rest)}
    words = " ".join(_NAMED_PROGRAMME.sub(" ", rest).split())
    if len(actieprogrammas) == 1:
        [actieprogramma] = actieprogrammas
        within_one = programmes <= {int(actieprogramma.split(".")[0])}
        return (ActieprogrammaRef(actieprogramma), words) if within_one else None
    if not actieprogrammas and len(programmes) == 1:
        return ProgrammeRef(programmes.pop()), words
    return None


def parse_references(query: str) -> list[Reference]:
    """Every action and actieprogramma ``query`` names, in the order it names them ("5.95 en
    5.96"); a programme only as :func:`parse_reference` finds one."""
    named = _numbered(fold(query))
    if not named:
        single = parse_reference(query)
        return [single] if single is not None else []
    # Sorted by where each is named; a range keeps its order, as the sort is stable.
    return list(dict.fromkeys(reference for _, reference in sorted(named, key=lambda item: item[0])))


def _actieprogramma_ref(match: re.Match[str]) -> list[Reference]:
    return [ActieprogrammaRef(f"{int(match.group(1))}.{int(match.group(2))}")]


def _action_ref(match: re.Match[str]) -> list[Reference]:
    return [ActionRef(int(match.group(1)), int(match.group(2)))]


def _programme_last_ref(match: re.Match[str]) -> list[Reference]:
    return [ActionRef(int(match.group(2)), int(match.group(1)))]


def _range_refs(match: re.Match[str]) -> list[Reference]:
    programme, first, last = int(match.group(1)), int(match.group(2)), int(match.group(4))
    if match.group(3) is None and last <= first:  # "5.95 tot 10 december": no second action
        return [ActionRef(programme, first)]
    other_programme = int(match.group(3)) if match.group(3) else programme
    if other_programme != programme or not first < last <= first + RANGE_MAX_ACTIONS:
        return [ActionRef(programme, first), ActionRef(other_programme, last)]
    return [ActionRef(programme, action) for action in range(first, last + 1)]


_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], list[Reference]]], ...] = (
    (_ACTIEPROGRAMMA, _actieprogramma_ref),
    (_RANGE, _range_refs),
    (_ACTION_OF_PROGRAMME, _programme_last_ref),
    (_PROGRAMME_ACTION, _action_ref),
    (_EXPLICIT_ACTION, _action_ref),
    (_DOTTED, _action_ref),
    (_COMMA_ALONE, _action_ref),
)


class ActionCatalog:
    """Every action and actieprogramma of the plan, by number, for exact look-up."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._actions: dict[tuple[int, int], Record] = {}
        self._actieprogrammas: dict[str, list[Record]] = defaultdict(list)
        self._programme_intros: dict[int, list[Record]] = defaultdict(list)
        for record in records:
            if record.kind is RecordKind.INTRO and record.programme is not None and not record.actieprogramma:
                self._programme_intros[record.programme].append(record)
            if record.kind is not RecordKind.ACTION or record.programme is None or record.action is None:
                continue
            self._actions[(record.programme, record.action)] = record
            if record.actieprogramma:
                self._actieprogrammas[record.actieprogramma].append(record)
        self._action_range: dict[int, tuple[int, int]] = {}
        for programme, action in self._actions:
            first, last = self._action_range.get(programme, (action, action))
            self._action_range[programme] = (min(first, action), max(last, action))

    def resolve(self, reference: Reference) -> list[Record]:
        """The records a reference names; :class:`UnknownReferenceError` says the valid range."""
        if isinstance(reference, ActieprogrammaRef):
            found = self._actieprogrammas.get(reference.actieprogramma)
            if not found:
                raise UnknownReferenceError(
                    f"actieprogramma {reference.actieprogramma} bestaat niet; "
                    f"geldig zijn: {', '.join(self._actieprogrammas)}"
                )
            return list(found)
        action_range = self._action_range.get(reference.programme)
        if action_range is None:
            programmes = sorted(self._action_range)
            raise UnknownReferenceError(
                f"programma {reference.programme} bestaat niet; "
                f"de programma's zijn {programmes[0]} tot {programmes[-1]}"
            )
        if isinstance(reference, ProgrammeRef):  # its introduction, then its actions in order
            actions = [action for actions in self.actieprogrammas(reference.programme) for action in actions]
            return [*self._programme_intros.get(reference.programme, []), *actions]
        record = self._actions.get((reference.programme, reference.action))
        if record is not None:
            return [record]
        raise UnknownReferenceError(
            f"actie {reference.label} bestaat niet; "
            f"programma {reference.programme} heeft acties {action_range[0]} tot {action_range[1]}"
        )

    def subject(self, reference: ActionRef) -> str | None:
        """What the action is about, in the plan's words: its subheading ("KINDEROPVANG"), else
        its actieprogramma's title; None for an action the plan lacks."""
        record = self._actions.get((reference.programme, reference.action))
        if record is None:
            return None
        return record.subheading or record.actieprogramma_title

    def resolve_all(self, references: Iterable[Reference]) -> list[Record]:
        """The records several references name, each once, in the order named."""
        records = {record.id: record for reference in references for record in self.resolve(reference)}
        return list(records.values())

    def programmes(self) -> list[tuple[int, str, int]]:
        """Every programme in order: its number, its title and how many actions it holds."""
        counts = Counter(programme for programme, _ in self._actions)
        titles = {record.programme: record.programme_title or "" for record in self._actions.values()}
        return [(programme, titles[programme], counts[programme]) for programme in sorted(counts)]

    def actieprogramma_counts(self, programme: int) -> list[tuple[str, str, int]]:
        """Each actieprogramma of ``programme`` in order: its number, its title and how many
        actions it holds."""
        return [
            (actions[0].actieprogramma or "", actions[0].actieprogramma_title or "", len(actions))
            for actions in self.actieprogrammas(programme)
        ]

    def actieprogrammas(self, programme: int) -> list[list[Record]]:
        """The actions of each actieprogramma of ``programme``, in the plan's order."""
        return [actions for actions in self._actieprogrammas.values() if actions[0].programme == programme]
