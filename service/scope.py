"""Messages the plan cannot answer whatever it says on their topic.

- requests for service information (prices, opening hours, collection days), listed in
  ``service_questions.txt``;
- questions about news (who won an election or a match, who holds an office, the weather),
  listed in ``news_questions.txt``;
- small talk: a greeting or a request for help (``greetings.txt``), thanks (``thanks.txt``),
  an acknowledgement ("ok", "super", ``acknowledgements.txt``).

Staff ask for every action that names something ("welke acties noemen de NMBS?",
``mention_questions.txt``): those are answered with the actions whose text holds it.

And questions placed outside Leuven (``other_places.txt``), which only an action naming that
place answers. And two the plan answers as a whole, with its programmes: what it holds
(``overview_questions.txt``), and a question that names no topic ("wat doet de stad?"), whose
words all frame a question (``frame_words.txt``) or are function words.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from planwijzer.index.analysis import dutch_stopwords
from planwijzer.language import english_words
from planwijzer.text import data_lines, fold, without_matches

SmallTalk = Literal["greeting", "thanks", "acknowledgement"]
_PUNCTUATION = re.compile(r"[^\w\s]+")
_WORD = re.compile(r"[a-z0-9]+")
_SMALL_TALK_FILES: tuple[tuple[SmallTalk, str], ...] = (
    ("greeting", "greetings.txt"),
    ("thanks", "thanks.txt"),
    ("acknowledgement", "acknowledgements.txt"),
)


@cache
def question_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line) for line in data_lines("planwijzer.service", name))


def _matches(question: str, name: str) -> bool:
    folded = fold(question)
    return any(pattern.search(folded) for pattern in question_patterns(name))


def asks_for_service_information(question: str) -> bool:
    return _matches(question, "service_questions.txt")


def asks_for_news(question: str) -> bool:
    return _matches(question, "news_questions.txt")


def small_talk(message: str) -> SmallTalk | None:
    """``"greeting"``, ``"thanks"`` or ``"acknowledgement"`` when the whole message is that, else None."""
    for kind, name in _SMALL_TALK_FILES:
        if _whole_message_matches(message, name):
            return kind
    return None


def asks_for_plan_overview(message: str) -> bool:
    """True when the whole message asks what the plan holds ("welke programma's zijn er?")."""
    return _whole_message_matches(message, "overview_questions.txt")


def _whole_message_matches(message: str, name: str) -> bool:
    words = " ".join(_PUNCTUATION.sub(" ", fold(message)).split())
    return any(pattern.match(words) for pattern in question_patterns(name))


def mentioned_words(question: str) -> str | None:
    """What a question for every action that names something asks for, as the question
    writes it ("welke acties noemen de NMBS?" asks for "NMBS"); None for any other question."""
    asked = " ".join(question.split()).strip(" ?!.")
    for pattern in _mention_questions():
        if match := pattern.match(asked):
            words = _QUOTES.sub("", _MENTION_FRAME.sub("", match.group("words"))).strip()
            return words or None
    return None


@cache
def _mention_questions() -> tuple[re.Pattern[str], ...]:
    # Matched as asked, not folded: the words asked for are quoted as the question writes them.
    lines = data_lines("planwijzer.service", "mention_questions.txt")
    return tuple(re.compile(line, re.IGNORECASE) for line in lines)


def mentions(text: str, words: str) -> bool:
    """Whether ``text`` holds ``words`` at the start of a word, in that order, a hyphen or a space
    between them, case and accents aside: "NMBS" is in "NMBS-fietsenstalling", "fietsenstalling"
    in "fietsenstallingen", "de lijn" in "met De Lijn"."""
    return _mention_pattern(fold(words)).search(fold(text)) is not None


@cache
def _mention_pattern(folded_words: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in re.split(r"[\s-]+", folded_words) if part]
    return re.compile(r"\b" + r"[\s-]+".join(parts))


_QUOTES = re.compile(r"[\"'„“”‘’«»]")
# Around the words asked for, not part of them: "de NMBS", "the word ocmw", "X in het plan".
# A capital keeps an article as part of a name: "De Lijn".
_MENTION_FRAME = re.compile(
    r"^(?:(?:de|het|een|the|a|an|woord|word|term|naam|name)\s+)+|\s+(?:in het plan|in the plan|ergens)$"
)


def without_frame_words(question: str) -> str:
    """The question's words (lower case, accents folded) without those that only frame it:
    "komt er een nieuw zwembad?" is "er een zwembad"."""
    frame = _frame_words()
    return " ".join(word for word in _WORD.findall(fold(question)) if word not in frame)


@cache
def _frame_words() -> frozenset[str]:
    return frozenset(data_lines("planwijzer.service", "frame_words.txt"))


def place_names_in(text: str) -> tuple[str, ...]:
    """The parts of the city ``text`` names, each as ``place_names.txt`` writes it however the
    text does ("kessel lo", "Kessel-Lo" and "kessello" are all "kessel-lo")."""
    return _city_parts().named_in(_other_places().pattern.sub(" ", text))


def without_place_names(question: str) -> str:
    """The question without the parts of the city it is placed in (``place_names.txt``), when
    the rest still names a topic: "is er kinderopvang in heverlee?" is searched as "is er
    kinderopvang?", "wat gebeurt er in wijgmaal?" as it is."""
    rest = _without_city_parts(question)
    if rest is None or not names_a_topic(rest):
        return question
    # "Heverlee? greener centre" (a follow-up and the words it carries) loses its first "?" too.
    return rest.lstrip("?!.,;: ")


def names_only_places(question: str) -> bool:
    """Whether the parts of the city ``question`` names are all it names: "komt er ook iets in
    wilsele?"."""
    rest = _without_city_parts(question)
    return rest is not None and not names_a_topic(rest)


def _without_city_parts(text: str) -> str | None:
    """``text`` without the parts of the city it names, spaces tidied; None when it names none."""
    if not place_names_in(text):
        return None
    return without_matches(text, _city_parts().pattern)


def other_places_in(text: str) -> tuple[str, ...]:
    """The places outside Leuven ``text`` names (``other_places.txt``), each once, as the file
    writes the name the text uses: "ghent" is "Ghent", "Bruxelles" is "Bruxelles"."""
    return _other_places().named_in(text)


def names_place(text: str, place: str) -> bool:
    """Whether ``text`` names ``place`` (a name from :func:`other_places_in`) in any way of
    writing it, or by a word that speaks of it (``other_places.txt``): "Bruxelles" names
    "Brussels", "buurgemeenten" names "Herent"."""
    return _other_places().names(text, place)


class _PlaceList:
    """Places from a data file, a place a line: its ways of writing it separated by "|", and
    after a ";" the words that speak of it too."""

    def __init__(self, name: str) -> None:
        self._written: dict[str, str] = {}  # key of a way of writing -> that way, as the file writes it
        self._place: dict[str, str] = {}  # key of a way of writing -> the place's first name
        self._words_for: dict[str, tuple[str, ...]] = {}  # first name -> words that speak of it
        variants: set[str] = set()
        for line in data_lines("planwijzer.service", name):
            names, _, words = line.partition(";")
            written = [variant.strip() for variant in names.split("|")]
            for variant in written:
                self._written.setdefault(_place_key(variant), variant)
                self._place[_place_key(variant)] = written[0]
                variants.update((variant, fold(variant)))
            self._words_for[written[0]] = tuple(fold(word) for word in words.split())
        # Longest first, so that "wilsele-putkapel" is one place, not "wilsele" and more.
        alternatives = "|".join(
            re.escape(variant).replace(r"\-", "[- ]?").replace(r"\ ", "[- ]?")
            for variant in sorted(variants, key=len, reverse=True)
        )
        # The preposition goes with the name: "in heverlee", "te kessel-lo", "uit wilsele".
        self.pattern = re.compile(
            rf"(?:\b(?:in|te|uit|van|rond|voor|naar|near)\s+)?\b(?P<name>{alternatives})\b", re.IGNORECASE
        )

    def named_in(self, text: str) -> tuple[str, ...]:
        """Each place ``text`` names, once, in the way the text first writes it."""
        found: dict[str, str] = {}
        for match in self.pattern.finditer(text):
            key = _place_key(match.group("name"))
            found.setdefault(self._place[key], self._written[key])
        return tuple(found.values())

    def names(self, text: str, place: str) -> bool:
        first = self._place[_place_key(place)]
        if any(self._place[_place_key(named)] == first for named in self.named_in(text)):
            return True
        return any(mentions(text, word) for word in self._words_for[first])


def _place_key(name: str) -> str:
    return re.sub(r"[- ]", "", fold(name))


@cache
def _city_parts() -> _PlaceList:
    return _PlaceList("place_names.txt")


@cache
def _other_places() -> _PlaceList:
    return _PlaceList("other_places.txt")


def names_a_topic(question: str) -> bool:
    """False when no word of ``question`` could be searched for: each one frames a question
    ("wat", "doet", "stad", "planning"), is a number without letters or a single letter (the
    "s" of "programma's")."""
    unspecific = _unspecific_words()
    return any(
        word not in unspecific and len(word) > 1 and not word.isdigit() for word in _WORD.findall(fold(question))
    )


@cache
def _unspecific_words() -> frozenset[str]:
    return _frame_words() | dutch_stopwords() | english_words()
