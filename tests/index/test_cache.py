from pathlib import Path

import numpy as np
import pytest

from planwijzer.index.cache import EmbeddingCache
from tests.fakes import HashingEmbeddings

TEXTS = ["kinderopvang in elke wijk", "meer fietsenstallingen", "een nieuw zwembad"]


def test_a_second_run_embeds_nothing(tmp_path: Path) -> None:
    model = HashingEmbeddings()
    cache = EmbeddingCache(tmp_path, model.model_id, model.dimension)
    first, embedded = cache.embed(TEXTS, model)
    assert embedded == 3
    cache.save()
    model.embedded.clear()
    again, embedded = EmbeddingCache(tmp_path, model.model_id, model.dimension).embed(TEXTS, model)
    assert embedded == 0 and model.embedded == []
    np.testing.assert_array_equal(first, again)


def test_only_changed_texts_are_embedded(tmp_path: Path) -> None:
    model = HashingEmbeddings()
    cache = EmbeddingCache(tmp_path, model.model_id, model.dimension)
    cache.embed(TEXTS, model)
    cache.save()
    model.embedded.clear()
    changed = [TEXTS[0], "een nieuwe bibliotheek", TEXTS[2]]
    vectors, embedded = EmbeddingCache(tmp_path, model.model_id, model.dimension).embed(changed, model)
    assert embedded == 1 and model.embedded == ["een nieuwe bibliotheek"]
    assert vectors.shape == (3, model.dimension)


def test_duplicate_texts_are_embedded_once(tmp_path: Path) -> None:
    model = HashingEmbeddings()
    vectors, embedded = EmbeddingCache(tmp_path, model.model_id, model.dimension).embed(TEXTS + TEXTS, model)
    assert embedded == 3 and vectors.shape == (6, model.dimension)


def test_save_with_keep_forgets_texts_no_longer_used(tmp_path: Path) -> None:
    model = HashingEmbeddings()
    cache = EmbeddingCache(tmp_path, model.model_id, model.dimension)
    cache.embed(TEXTS, model)
    cache.save(keep=TEXTS[:1])
    assert len(EmbeddingCache(tmp_path, model.model_id, model.dimension)) == 1


def test_question_vectors_are_kept_apart_from_passage_vectors(tmp_path: Path) -> None:
    model = HashingEmbeddings()
    cache = EmbeddingCache(tmp_path, model.model_id, model.dimension)
    cache.embed(TEXTS, model)
    _, embedded = cache.embed(TEXTS, model, as_questions=True)
    assert embedded == 3 and model.embedded_questions == TEXTS
    cache.save(keep=TEXTS[:1], keep_questions=TEXTS[1:])
    reopened = EmbeddingCache(tmp_path, model.model_id, model.dimension)
    assert len(reopened) == 3
    model.embedded.clear()
    model.embedded_questions.clear()
    assert reopened.embed(TEXTS[1:], model, as_questions=True)[1] == 0
    assert reopened.embed(TEXTS[1:], model)[1] == 2 and model.embedded == TEXTS[1:]


def test_another_model_does_not_reuse_the_vectors(tmp_path: Path) -> None:
    model = HashingEmbeddings()
    cache = EmbeddingCache(tmp_path, model.model_id, model.dimension)
    cache.embed(TEXTS, model)
    cache.save()
    other = HashingEmbeddings(model_id="fake-other")
    assert len(EmbeddingCache(tmp_path, other.model_id, other.dimension)) == 0


@pytest.mark.parametrize("damage", [b"", b"not a zip file at all"])
def test_a_damaged_cache_is_ignored_with_a_warning(
    tmp_path: Path, damage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    model = HashingEmbeddings()
    cache = EmbeddingCache(tmp_path, model.model_id, model.dimension)
    cache.embed(TEXTS, model)
    cache.save()
    cache.path.write_bytes(damage)
    reopened = EmbeddingCache(tmp_path, model.model_id, model.dimension)
    assert len(reopened) == 0
    assert "unreadable embedding cache" in caplog.text
    _, embedded = reopened.embed(TEXTS, model)
    assert embedded == 3
