"""Direct look-up: queries that name an action are answered exactly, before any search.

Staff type "actie 3.45", "3.45", "programma 6 actie 31", "p6 a31", "actieprogramma 5.5" or
"programma 5". Action numbers count per programme, so "5.95" is programme 5, action 95.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
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


@dataclass(frozen=True)
class ActieprogrammaRef:
    actieprogramma: str


@dataclass(frozen=True)
class ProgrammeRef:
    programme: int


Reference = ActionRef | ActieprogrammaRef | ProgrammeRef

# Order matters: the most explicit forms first, so "actieprogramma 5.5" is not read as action 5.5.
_ACTIEPROGRAMMA = re.compile(r"\b(?:actieprogramma|ap)\s*(\d{1,2})\.(\d{1,2})\b")
_PROGRAMME_ACTION = re.compile(r"\b(?:programma|prog|p)\s*(\d{1,2})\s*[,;]?\s*(?:actie|a)\s*(\d{1,3})\b")
# "1.000" is a thousand, not programme 1 action 0: no leading zero, nothing numeric after.
_DOTTED = re.compile(r"(?<![\d.,])\b(\d{1,2})\.([1-9]\d{0,2})\b(?![.,]?\d)")
# A programme alone, once no form with an action matched, in a query of a few words: inside a
# longer question ("wat doet programma 3 voor fietsers?") it is part of a topic.
_PROGRAMME = re.compile(r"\b(?:programma|programme|program)\s*(\d{1,2})\b")
# A query this short that holds a number asks to see what it names.
LOOKUP_MAX_WORDS = 6


def parse_reference(query: str) -> Reference | None:
    """The first action or actieprogramma that ``query`` names, if any."""
    text = fold(query)
    if match := _ACTIEPROGRAMMA.search(text):
        return _actieprogramma_ref(match)
    for pattern in (_PROGRAMME_ACTION, _DOTTED):
        if match := pattern.search(text):
            return _action_ref(match)
    if len(text.split()) <= LOOKUP_MAX_WORDS and (match := _PROGRAMME.search(text)):
        return ProgrammeRef(int(match.group(1)))
    return None


def parse_references(query: str) -> list[Reference]:
    """Every action and actieprogramma ``query`` names, in the order it names them ("5.95 en
    5.96"); a programme only as :func:`parse_reference` finds one."""
    text = fold(query)
    named: list[tuple[int, Reference]] = []
    taken: list[tuple[int, int]] = []
    forms = ((_ACTIEPROGRAMMA, _actieprogramma_ref), (_PROGRAMME_ACTION, _action_ref), (_DOTTED, _action_ref))
    for pattern, reference_of in forms:  # the most explicit first: "actieprogramma 5.5" is not action 5.5
        for match in pattern.finditer(text):
            if not any(start < match.end() and match.start() < end for start, end in taken):
                taken.append(match.span())
                named.append((match.start(), reference_of(match)))
    if not named:
        single = parse_reference(query)
        return [single] if single is not None else []
    return list(dict.fromkeys(reference for _, reference in sorted(named, key=lambda item: item[0])))


def _actieprogramma_ref(match: re.Match[str]) -> Reference:
    return ActieprogrammaRef(f"{int(match.group(1))}.{int(match.group(2))}")


def _action_ref(match: re.Match[str]) -> Reference:
    return ActionRef(int(match.group(1)), int(match.group(2)))


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

    def resolve_all(self, references: Iterable[Reference]) -> list[Record]:
        """The records several references name, each once, in the order named."""
        records = {record.id: record for reference in references for record in self.resolve(reference)}
        return list(records.values())

    def actieprogrammas(self, programme: int) -> list[list[Record]]:
        """The actions of each actieprogramma of ``programme``, in the plan's order."""
        return [actions for actions in self._actieprogrammas.values() if actions[0].programme == programme]
