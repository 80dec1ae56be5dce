"""tag_accuracy, padding_gap, prefix_predictions: hand-computed values and controls."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.evaluation import padding_gap, prefix_predictions, tag_accuracy


def running_sum(x):
    """A causal per-step 'model': step t sums x[:t + 1]."""
    return np.cumsum(np.asarray(x, dtype=float), axis=1)[..., None]


def backward_sum(x):
    """A 'model' that reads the future: step t sums x[t:]."""
    return np.cumsum(np.asarray(x, dtype=float)[:, ::-1], axis=1)[:, ::-1, None]


def test_tag_accuracy_skips_padding():
    tags = np.array([[1, 2, 3, 0], [4, 4, 0, 0]])
    predicted = np.array([[1, 0, 3, 2], [4, 1, 4, 4]])  # 3 of 5 real steps right
    assert tag_accuracy(tags, predicted) == pytest.approx(3 / 5)
    scores = np.eye(5)[predicted] * 2.0 - 1.0  # arg-max is `predicted`
    assert tag_accuracy(tags, scores) == pytest.approx(3 / 5)
    assert tag_accuracy(tags + 1, predicted + 1, padding=1) == pytest.approx(3 / 5)


def test_tag_accuracy_errors():
    with pytest.raises(ValueError, match="`predicted` must be tag ids of shape"):
        tag_accuracy(np.ones((2, 3), int), np.ones((2, 4), int))
    with pytest.raises(ValueError, match="`tags` must be an array with at least"):
        tag_accuracy(np.zeros((2, 3), int), np.zeros((2, 3), int))


def test_padding_gap_zero_for_causal_and_large_for_backward():
    inputs = np.array([[1, 2, 0, 0], [3, 4, 5, 6]])
    assert padding_gap(running_sum, inputs, [2, 4]) == 0.0
    # a backward reader sees the padding: 0 here, but 7 in a row padded with 7s
    padded_with_sevens = np.array([[1, 2, 7, 7], [3, 4, 5, 6]])
    assert padding_gap(backward_sum, padded_with_sevens, [2, 4]) == 14.0
    # rows of the same length are run together: the gap is still per row
    same_length = np.array([[1, 2, 7], [3, 4, 1], [5, 6, 7]])
    assert padding_gap(backward_sum, same_length, [2, 2, 3]) == 7.0


def test_padding_gap_checks_lengths():
    inputs = np.zeros((2, 3))
    for lengths in ([1], [0, 2], [1, 4], [1.0, 2.0]):
        with pytest.raises(ValueError, match="`lengths` must be one integer per row"):
            padding_gap(running_sum, inputs, lengths)


def test_prefix_predictions_equal_outputs_only_for_a_causal_model():
    x = np.array([[1.0, 2.0, 3.0, 4.0]])
    np.testing.assert_array_equal(
        prefix_predictions(running_sum, x), running_sum(x)[:, 1:]
    )
    honest = prefix_predictions(backward_sum, x, start=0)
    np.testing.assert_array_equal(honest[0, :, 0], x[0])  # only x[t] is left
    assert backward_sum(x)[0, 0, 0] == 10.0  # the whole future, read ahead
    with pytest.raises(ValueError, match="`start` must be an integer in \\[0, 3\\]"):
        prefix_predictions(running_sum, x, start=4)
