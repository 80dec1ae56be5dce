"""Tests for the char-LM data path: contiguous split, train-only vocabulary, chunks."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.preprocessing.char_data import (
    char_dataset,
    prepare_char_corpus,
    split_text,
)
from rnn_zoo.preprocessing.text import CharTokenizer


def test_split_is_contiguous_90_10():
    text = "".join(chr(65 + i % 26) for i in range(1000))
    train, validation = split_text(text)
    assert (len(train), len(validation)) == (900, 100)
    assert train + validation == text
    # Tiny Shakespeare's conventional cut: int(0.9 * 1115394) = 1003854
    assert len(split_text("x" * 1_115_394)[0]) == 1_003_854


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, float("nan")])
def test_split_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError, match="`validation_fraction` must be"):
        split_text("abcdef", validation_fraction=fraction)


def test_split_rejects_too_short_and_non_text():
    with pytest.raises(ValueError, match="`text` must be long enough"):
        split_text("a")
    with pytest.raises(TypeError, match="`text` must be a string"):
        split_text(b"abc")


def test_tokenizer_fitted_on_train_only_and_unknowns_counted():
    text = "abab" * 9 + "xyzab"  # 41 chars: train 36 = "abab"*9, validation 'xyzab'
    corpus = prepare_char_corpus(text)
    assert corpus.tokenizer.vocabulary_[2:] == ["a", "b"]
    assert corpus.validation_ids.tolist() == [1, 1, 1, 2, 3]
    assert corpus.unknown_validation == 3
    assert len(corpus.train_ids) + len(corpus.validation_ids) == len(text)
    assert corpus.train_ids.dtype == np.int32


def test_prepare_uses_given_tokenizer_config():
    corpus = prepare_char_corpus("AaBb" * 10, tokenizer=CharTokenizer(lower=True))
    assert corpus.tokenizer.vocabulary_[2:] == ["a", "b"]
    with pytest.raises(TypeError, match="`tokenizer` must be a CharTokenizer"):
        prepare_char_corpus("abcd" * 5, tokenizer="char")


def test_chunks_are_shifted_by_one_and_cover_every_target_once():
    ids = np.arange(1, 42)  # 41 ids -> 40 targets -> 8 chunks of 5
    ds = char_dataset(ids, sequence_length=5, batch_size=4, shuffle=True, seed=3)
    batches = [(x.numpy(), y.numpy()) for x, y in ds]
    assert [x.shape for x, _ in batches] == [(4, 5), (4, 5)]
    for x, y in batches:
        np.testing.assert_array_equal(y, x + 1)  # target = next id
    targets = np.sort(np.concatenate([y.ravel() for _, y in batches]))
    np.testing.assert_array_equal(targets, np.arange(2, 42))


def test_shuffle_is_seeded():
    ids = np.arange(200)

    def first_batch(seed):
        ds = char_dataset(ids, sequence_length=4, batch_size=3, seed=seed)
        return next(iter(ds))[0].numpy()

    np.testing.assert_array_equal(first_batch(1), first_batch(1))
    assert not np.array_equal(first_batch(1), first_batch(2))


def test_stateful_layout_rows_continue_each_other():
    ids = np.arange(25)
    batches = [
        x.numpy()
        for x, _ in char_dataset(
            ids, sequence_length=3, batch_size=2, shuffle=False, stateful=True
        )
    ]
    assert len(batches) == 4
    for first, second in zip(batches, batches[1:], strict=False):
        np.testing.assert_array_equal(second[:, 0], first[:, -1] + 1)


def test_dataset_errors():
    with pytest.raises(ValueError, match="at least batch_size \\* sequence_length"):
        char_dataset(np.arange(10), sequence_length=5, batch_size=2)
    with pytest.raises(TypeError, match="`ids` must be a 1-D array of integer"):
        char_dataset("hello")
    with pytest.raises(ValueError, match="`shuffle` must be False"):
        char_dataset(np.arange(100), sequence_length=2, batch_size=2, stateful=True)
    with pytest.raises(ValueError, match="`sequence_length` must be a positive"):
        char_dataset(np.arange(100), sequence_length=0)


def test_char_dataset_prefetches_without_autotuning():
    # an autotuned iterator can take seconds to delete (rnn_zoo/preprocessing/_prefetch)
    ds = char_dataset(np.arange(41), sequence_length=5, batch_size=4, shuffle=False)
    assert ds.options().autotune.enabled is False
    assert len(list(ds)) == 2
