"""Follow-up questions made standalone, by fixed rules, from the history the client sends.

"en voor senioren?" after "komen er meer plaatsen in de kinderopvang?" is searched as the
follow-up's own words plus the words of the question before it; "meer daarover" repeats the
earlier search for the records the conversation has not cited yet; "in English please" repeats
it in that language and "welke acties precies?" as it was; "wat staat er nog in 5.95?" and
"die actie" resolve to an action, "en de volgende?" to the one after it, "de tweede?" to the one
the answer before cited second. After "actieprogramma 3.3", a short question is asked of that
actieprogramma.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal, Protocol

from planwijzer.index.analysis import DutchAnalyzer
from planwijzer.index.lexicon import english_stopwords
from planwijzer.index.lookup import (
    ActieprogrammaRef,
    ActionRef,
    ProgrammeRef,
    Reference,
    Scope,
    few_words,
    named_scope,
    parse_reference,
)
from planwijzer.language import detect_language
from planwijzer.service.scope import asks_for_plan_overview, names_a_topic, names_only_places, small_talk
from planwijzer.text import data_lines, fold

_ENGLISH_OPENER_WORDS = r"and|but|also|or|so|what about|how about"
_OPENERS = re.compile(rf"^(en|maar|ook|of|dus|wat met|hoe zit het met|{_ENGLISH_OPENER_WORDS})\b")
_ENGLISH_OPENERS = re.compile(rf"^({_ENGLISH_OPENER_WORDS})\b")
# "en voor senioren?", "what about students?": the question before asked again for someone or
# something else. After another such question ("en voor zieke kinderen?") it replaces that one.
_INSTEAD = re.compile(
    r"^(?:(?:en|and|maar|but|ook|also)\s+)?(?:voor|for|wat met|what about|how about|hoe zit het met)\b"
)
# Words that point back whatever the length of the question ...
_POINTING = re.compile(
    r"\b(daar|daarover|daarvan|daarmee|daarvoor|hiervan|hierover|ervan|erover|it|that|they|them|there|those)\b"
)
# ... and so does a question that opens on a verb and "dat" ("is dat gratis voor gezinnen met
# een laag inkomen?", "geldt da ook voor studenten?"; "da" is how Flemish types it): what it
# asks about is what was said before. Not "die" or "deze": they open a topic of the question's
# own as often ("zijn die nieuwe fietsenstallingen al open?").
_POINTING_OPENING = re.compile(
    r"^(?:en\s+|maar\s+)?(?:is|zijn|wordt|worden|komt|komen|kost|kosten|geldt|gelden|gaat|gaan|blijft|blijven|"
    r"kan|kunnen|mag|mogen)\s+(?:dat|da|dit)\b"
)
# ... and words that point back only in a short question ("wanneer gebeurt dat?", "welke acties
# precies?"): in a long one they are mostly conjunctions and relative pronouns ("mensen die
# dakloos zijn") or part of a question of its own.
_WEAK_POINTING = re.compile(
    r"\b(dat|die|dit|deze|het|ze|zij|this|these|precies|concreet|concrete|exactly|specifically)\b"
)
_WEAK_POINTING_MAX_TERMS = 3
# "komt er ook iets in wilsele?": the question before, asked of a part of the city. Without "ook"
# a question of a place alone ("wat gebeurt er in wijgmaal?") asks about that place.
_ALSO = re.compile(r"\b(ook|also|too|as well)\b")
# "meer daarover", "en verder?", "what else?": what the plan says besides what was cited.
_MORE = re.compile(
    r"^(?:(?:en|and|ok|oke|okay)\s+)?"
    r"(meer|nog meer|wat nog( meer)?|verder|vertel (me )?meer|tell me more|more|what else|anything else)"
    r"( (info|informatie|daarover|hierover|about (it|that)))?\W*$"
)
# "in English please", "kan je dat in het Nederlands zeggen?": the question before, in that language.
_LANGUAGE_SWITCH = re.compile(
    r"^(?:(?:and|en|ok|okay|oke|please|graag|kan|kun|kunt|can|could|would|will)\s+)*"
    r"(?:(?:you|je|jij|u|dat|dit|that|this|it|het|answer|antwoorden|antwoord|say|zeggen|repeat|herhalen)\s+)*"
    r"(?:(?:in|into|op)\s+(?:het\s+)?)?(english|engels|dutch|nederlands)"
    r"(?:\s+(?:please|graag|aub|alsjeblieft|alstublieft|zeggen|antwoorden|herhalen))*\W*$"
)
_LANGUAGES = {"english": "en", "engels": "en", "dutch": "nl", "nederlands": "nl"}
# "welke acties precies?", "what exactly?": the question before, asked again; the answer quotes
# its actions.
_SPECIFICS = re.compile(
    r"^(?:(?:en|ok|oke|okay|maar|dus|and|but|so)\s+)?(?:(?:welke|wat|which|what)\s+)?"
    r"(?:(?:acties?|actions?|maatregel(?:en)?|measures?|plan(?:nen)?|plans?)\s+)?"
    r"(?:precies|concreet|exactly|specifically|concretely)\W*$"
)
# "wanneer?", "waar dan?", "wanneer gebeurt dat?", "when will that happen?": when or where what
# the answer before promised happens. The plan says it in those actions if anywhere, so this
# too asks the question before again; searched with its own few words, it found nothing close.
_WHEN_OR_WHERE = re.compile(
    r"^(?:(?:en|ok|oke|okay|maar|dus|and|but|so)\s+)?"
    r"(?:wanneer|waar|tegen wanneer|vanaf wanneer|hoe lang(?: nog)?|when|where|how long|how soon|by when)"
    r"(?:\s+(?:dan|precies|ongeveer|juist|ergens|exactly|then|roughly))?"
    r"(?:\s+(?:is|gebeurt|komt|wordt|start|begint|gaat|zal|will|does)"
    r"(?:\s+(?:dat|dit|het|die|that|this|it|er))?"
    r"(?:\s+(?:klaar|af|er|open|gebeuren|beginnen|starten|ready|done|happen|start|finished))?)?\W*$"
)
# "is dat al gestart?", "has it started yet?": whether what the answer before promised has
# happened; the plan's actions say what was promised, so this asks the question before again.
_STARTED = re.compile(
    r"^(?:(?:en|ok|oke|okay|maar|dus|and|but|so)\s+)?"
    r"(?:is|zijn|wordt|worden|has|have)\s+(?:dat|dit|het|die|deze|it|that|this|they)"
    r"(?:\s+(?:al|nu|ook|already|yet|been))*"
    r"\s+(?:gestart|begonnen|klaar|af|uitgevoerd|gerealiseerd|gebeurd|started|begun|finished|done|ready|built)"
    r"(?:\s+(?:al|yet|already))?\W*$"
)
# "en de volgende?", "previous one": the action after or before the one cited last.
_NEXT_OR_PREVIOUS = re.compile(
    r"^(?:(?:en|and|ok|dan)\s+)?(?:(?:de|het|the)\s+)?(volgende|vorige|next|previous)"
    r"(?:\s+(?:actie|action|one|een|please|graag|aub))*\W*$"
)
_STEPS = {"volgende": 1, "next": 1, "vorige": -1, "previous": -1}
_THAT_ACTION = re.compile(r"\b(die|deze|dat|that|this) (actie|action|maatregel|belofte)\b")
# "en die eerste actie?", "wat zegt de tweede?", "the last one": an action the answer before cited.
_ORDINAL = re.compile(
    r"\b(?:de|die|het|the|that)\s+(eerste|tweede|derde|laatste|first|second|third|last)"
    r"(?=\s*(?:actie|action|one|een|maatregel|belofte)\b|\s*[?.!,]|\s*$)"
)
_ORDINALS = {"eerste": 0, "first": 0, "tweede": 1, "second": 1, "derde": 2, "third": 2, "laatste": -1, "last": -1}
_MARKER = re.compile(r"\[(\d{1,2})\.(\d{1,3})\]")
# Any citation marker: "[5.95]", or a web-page bullet's "[Zorgzame stad › … › punt 3]".
_ANY_MARKER = re.compile(r"\[([^\[\]\n]{1,200})\]")
# A question this short leans on what came before ("en voor senioren?").
_SHORT_QUESTION_TERMS = 3


class Turn(Protocol):
    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True)
class Rewrite:
    query: str
    is_followup: bool
    reference: Reference | None = None
    # For "meer daarover": the labels of the records the conversation cited already, which
    # the answer leaves out so that it says something new.
    seen: frozenset[str] = frozenset()
    # For "in English please": the language the answer is asked in.
    language: str | None = None
    # The part of the plan to search: the one the question names ("wat doet programma 3 voor
    # fietsers?"), or, for a follow-up, the one looked up before ("actieprogramma 3.3", then
    # "welke gaan over stallingen?").
    within: Scope | None = None


class FollowUpRewriter:
    """Turns the last question of a conversation into a standalone search query.

    ``informative`` says which words of an earlier question are worth carrying over: words
    found in most of the plan ("stad", "doet") would only blur the follow-up's own words.
    ``known`` says which Dutch words the plan could be searched by at all: "casino" in "komt
    er een casino?" would only sink "en een zwembad?" (English words are carried either way:
    the plan has none of them, but the dense model reads them). ``subject`` says what a
    looked-up action is about: after "actie 5.95", "en voor senioren?" carries its subject.
    """

    def __init__(
        self,
        analyzer: DutchAnalyzer | None = None,
        informative: Callable[[str], bool] | None = None,
        known: Callable[[str], bool] | None = None,
        subject: Callable[[ActionRef], str | None] | None = None,
    ) -> None:
        self._analyzer = analyzer or DutchAnalyzer()
        self._informative = informative or (lambda _word: True)
        self._known = known or (lambda _word: True)
        self._subject = subject or (lambda _action: None)

    def rewrite(self, question: str, history: Sequence[Turn]) -> Rewrite:
        question = question.strip()
        if named := named_scope(question):
            part, words = named
            return Rewrite(words, is_followup=False, within=part)
        reference = parse_reference(question)
        if reference is not None:
            # A number in the question itself: whether it is a look-up ("5.95") or a time
            # ("om 8.30 uur") is for the caller to judge from the whole question.
            return Rewrite(question, is_followup=False, reference=reference)
        users = _user_questions(history)
        if not users:
            return Rewrite(question, is_followup=False)
        folded = fold(question)
        if _THAT_ACTION.search(folded) and (cited := _last_cited_action(history)):
            return Rewrite(question, is_followup=True, reference=cited)
        if (step := _NEXT_OR_PREVIOUS.match(folded)) and (cited := _last_cited_action(history)):
            return Rewrite(
                question, is_followup=True, reference=ActionRef(cited.programme, cited.action + _STEPS[step.group(1)])
            )
        if (ordinal := _ORDINAL.search(folded)) and (cited := _nth_cited_action(history, ordinal.group(1))):
            return Rewrite(question, is_followup=True, reference=cited)
        previous, topic = self._standalone(users)
        if language := asked_language(question):
            return Rewrite(previous, is_followup=True, reference=parse_reference(previous), language=language)
        if _asks_again(folded):
            return Rewrite(previous, is_followup=True, reference=parse_reference(previous))
        if _MORE.match(folded):
            return Rewrite(previous, is_followup=True, seen=_cited_labels(history))
        leans = self._leans_on_history(folded)
        looked_up = parse_reference(previous)
        # After a look-up of a part of the plan, a short question ("welke gaan over stallingen?")
        # is asked of that part; when nothing there comes close, the whole plan is searched.
        if isinstance(looked_up, ActieprogrammaRef | ProgrammeRef) and (leans or few_words(folded)):
            return Rewrite(question, is_followup=True, within=looked_up)
        # "wat betekent dat?" after "actie 5.95": what the plan says there, that action again.
        if isinstance(looked_up, ActionRef) and leans and not _INSTEAD.match(folded):
            return Rewrite(previous, is_followup=True, reference=looked_up)
        if not leans:
            return Rewrite(question, is_followup=False)
        context = self._context(topic if _INSTEAD.match(folded) else previous, question)
        return Rewrite(f"{_own_words(question)} {context}".strip(), is_followup=True)

    def _standalone(self, user_turns: Sequence[str]) -> tuple[str, str]:
        """The last user question as a standalone query, following the chain back, and the last
        one that stood alone: what "en voor senioren?" asks again."""
        query = topic = user_turns[0].strip()
        for turn in user_turns[1:]:
            folded = fold(turn)
            repeats = bool(_MORE.match(folded) or asked_language(turn) or _asks_again(folded))
            if parse_reference(turn) is not None or not (repeats or self._leans_on_history(folded)):
                query = topic = turn.strip()
            elif not repeats:
                query = f"{_own_words(turn)} {self._context(topic if _INSTEAD.match(folded) else query, turn)}"
        return query, topic

    def _context(self, previous: str, follow_up: str) -> str:
        """The words of ``previous`` that ``follow_up`` leans on; when the follow-up asks the
        same for other people ("en voor jongeren?"), not the people asked about before."""
        words = self._topic_words(previous)
        if _INSTEAD.match(fold(follow_up)) and _names_people(follow_up):
            words = [word for word in words if word not in _target_groups()]
        return " ".join(words)

    def _topic_words(self, previous: str) -> list[str]:
        if few_words(previous) and isinstance(looked_up := parse_reference(previous), ActionRef):
            # "actie 5.95", then "en voor senioren?": the topic is what the action is about, not its number.
            previous = self._subject(looked_up) or ""
        if detect_language(previous) == "en":
            # English function words are not in the plan, so they would all pass as rare.
            words = [word for word in self._analyzer.tokens(previous) if word not in english_stopwords()]
        else:
            words = [word for word in self._analyzer.tokens(previous) if self._known(word)]
        # When none is rare ("kinderopvang", then "en in Heverlee?"), they are all there is of the topic.
        return [word for word in words if self._informative(word)] or words

    def _leans_on_history(self, folded: str) -> bool:
        terms = len(self._analyzer.terms(folded))
        return bool(
            _OPENERS.match(folded)
            or _POINTING.search(folded)
            or _POINTING_OPENING.match(folded)
            or _MORE.match(folded)
            or terms < _SHORT_QUESTION_TERMS
            or (_WEAK_POINTING.search(folded) and terms <= _WEAK_POINTING_MAX_TERMS)
            or (_ALSO.search(folded) is not None and names_only_places(folded))
        )


def _own_words(follow_up: str) -> str:
    """The follow-up without an English opener ("what about", "and"), which ties it to the
    question before but would make a search for that question's Dutch words an English one:
    "what about kessel-lo?" after a Dutch question searches "kessel-lo?" and its words, as
    "en kessel-lo?" does. A Dutch opener stays: it is part of what the dense model reads."""
    follow_up = follow_up.strip()
    opener = _ENGLISH_OPENERS.match(follow_up.lower())
    rest = follow_up[opener.end() :].strip() if opener else ""
    return rest if rest.strip(" ?!.,") else follow_up


def _asks_again(folded: str) -> bool:
    """Whether the follow-up asks the question before again: which actions precisely, when or
    where, whether it has started."""
    return bool(_SPECIFICS.match(folded) or _WHEN_OR_WHERE.match(folded) or _STARTED.match(folded))


@cache
def _target_groups() -> frozenset[str]:
    return frozenset(data_lines("planwijzer.service", "target_groups.txt"))


def _names_people(question: str) -> bool:
    return any(word in _target_groups() for word in re.findall(r"[a-z]+", fold(question)))


def _user_questions(history: Sequence[Turn]) -> list[str]:
    """What the user asked, turn by turn, as far as it says what the conversation is about:
    small talk ("bedankt"), "welke programma's zijn er?" and questions without a topic or a
    number ("wat doet de stad?") say nothing about it, and "en de volgende?" is the action
    its answer cited ("actie 5.96")."""
    questions = []
    for position, turn in enumerate(history):
        content = turn.content
        if turn.role != "user" or small_talk(content) is not None or asks_for_plan_overview(content):
            continue
        if not (names_a_topic(content) or parse_reference(content) or _MORE.match(fold(content))):
            continue
        questions.append(_resolved(content, history[position + 1 :]))
    return questions


def _resolved(question: str, after: Sequence[Turn]) -> str:
    """A question that named an action by where it stood ("en de volgende?", "die actie", "de
    tweede?") as the look-up of the action its answer cited first."""
    folded = fold(question)
    if not (_NEXT_OR_PREVIOUS.match(folded) or _THAT_ACTION.search(folded) or _ORDINAL.search(folded)):
        return question
    answer = next((turn.content for turn in after if turn.role == "assistant"), "")
    action = _marked_action(_MARKER.search(answer))
    return action.query if action else question


def asked_language(question: str) -> str | None:
    """``"en"`` or ``"nl"`` when the question only asks for the answer in that language."""
    match = _LANGUAGE_SWITCH.match(fold(question).strip())
    return _LANGUAGES[match.group(1)] if match else None


def _last_cited_action(history: Sequence[Turn]) -> ActionRef | None:
    for turn in reversed(history):
        if turn.role == "assistant" and (action := _marked_action(_MARKER.search(turn.content))):
            return action
    return None


def _nth_cited_action(history: Sequence[Turn], ordinal: str) -> ActionRef | None:
    """The action the answer before cited in that place, when what it cited there is an action."""
    answer = next((turn.content for turn in reversed(history) if turn.role == "assistant"), "")
    cited = list(dict.fromkeys(label.strip() for label in _ANY_MARKER.findall(answer)))
    position = _ORDINALS[ordinal]
    if not cited or position >= len(cited):
        return None
    return _marked_action(_MARKER.fullmatch(f"[{cited[position]}]"))


def _marked_action(marker: re.Match[str] | None) -> ActionRef | None:
    """The action a citation marker ("[5.95]") names."""
    return ActionRef(int(marker.group(1)), int(marker.group(2))) if marker else None


def _cited_labels(history: Sequence[Turn]) -> frozenset[str]:
    return frozenset(
        label.strip() for turn in history if turn.role == "assistant" for label in _ANY_MARKER.findall(turn.content)
    )
