"""exact_match, token_accuracy, attention_alignment_accuracy: hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.datasets import make_date_pairs
from rnn_zoo.evaluation import (
    attention_alignment_accuracy,
    exact_match,
    token_accuracy,
)

# -- exact_match -------------------------------------------------------------------


def test_exact_match_hand_computed():
    targets = ["2021-03-03", "1999-12-31", "1000-01-01", "2999-12-31"]
    predictions = ["2021-03-03", "1999-12-30", "1000-01-01", "2999-12-31 "]
    assert exact_match(predictions, targets) == 0.5  # the trailing space counts
    assert exact_match(targets, targets) == 1.0
    assert exact_match(["a"], ["A"]) == 0.0  # case counts
    # token ids, lists or arrays, compare element by element
    assert exact_match([[2, 3], np.array([4])], [(2, 3), [4, 5]]) == 0.5


def test_token_accuracy_hand_computed():
    # 9 + 10 right out of 10 + 10
    assert token_accuracy(
        ["2021-03-04", "1999-12-31"], ["2021-03-03", "1999-12-31"]
    ) == pytest.approx(19 / 20)
    # truncated ("2021-03": 7 right of 10) and overlong ("1999-12-31x": 10 of 11)
    assert token_accuracy(
        ["2021-03", "1999-12-31x"], ["2021-03-03", "1999-12-31"]
    ) == pytest.approx(17 / 21)
    # a shift ruins every later position: a negative control for "contains"
    assert token_accuracy(["x2021-03-0"], ["2021-03-03"]) == 0.0
    assert token_accuracy([[1, 2, 3]], [[1, 9, 3]]) == pytest.approx(2 / 3)
    assert token_accuracy([""], [""]) == 1.0


@pytest.mark.parametrize("metric", [exact_match, token_accuracy])
@pytest.mark.parametrize(
    ("predictions", "targets", "error", "match"),
    [
        ("2021-03-03", ["2021-03-03"], TypeError, r"Wrap a single string"),
        ([], [], ValueError, "`predictions` must be a non-empty list"),
        (["a"], ["a", "b"], ValueError, "1 predictions and 2 targets"),
        ([3], ["a"], TypeError, r"`predictions\[0\]` must be a string"),
        (["a"], 5, TypeError, "`targets` must be a non-empty list"),
    ],
)
def test_sequence_metric_errors(metric, predictions, targets, error, match):
    with pytest.raises(error, match=match):
        metric(predictions, targets)


# -- attention_alignment_accuracy ----------------------------------------------------


def test_alignment_accuracy_hand_computed():
    # source "3 Mar 2021" -> target "2021-03-03"; year [6, 10), month [2, 5), day [0, 1)
    spans = make_date_pairs(1, formats=["{d} {b} {Y}"], years=(2021, 2021), seed=0)
    alignment = spans.alignments[0]
    source = spans.sources[0]
    year, month, day = alignment[0], alignment[5], alignment[8]
    weights = np.full((10, len(source)), 0.01)
    peaks = [year[0]] * 4 + [0] + [month[0]] * 2 + [0] + [day[0], year[0]]
    weights[np.arange(10), peaks] = 1.0
    # 8 aligned characters (dashes left out); the last day character peaks on
    # the year: 7 of 8 right
    assert attention_alignment_accuracy([weights], [alignment]) == pytest.approx(7 / 8)
    # the gold alignment matrix itself (plus a little everywhere) scores 1
    gold = spans.alignment_matrix(0)
    assert attention_alignment_accuracy([gold + 1e-3], [alignment]) == 1.0


def test_alignment_accuracy_counts_missing_rows_and_ignores_extra_rows():
    alignment = [(0, 2), (-1, -1), (2, 4)]
    two_right = np.array([[1.0, 0, 0, 0], [0, 0, 0, 1.0], [0, 0, 1.0, 0]])
    assert attention_alignment_accuracy([two_right], [alignment]) == 1.0
    extra = np.vstack([two_right, [[1.0, 0, 0, 0]]])  # e.g. the end-token step
    assert attention_alignment_accuracy([extra], [alignment]) == 1.0
    truncated = two_right[:1]  # stopped after one token: the 3rd is missing
    assert attention_alignment_accuracy([truncated], [alignment]) == 0.5
    empty = np.zeros((0, 4))
    assert attention_alignment_accuracy([empty], [alignment]) == 0.0


def test_alignment_accuracy_pools_examples_of_different_sizes_and_3d_arrays():
    a = np.array([[0.9, 0.1], [0.2, 0.8]])  # both right for spans (0,1), (1,2)
    b = np.array([[0.1, 0.2, 0.7]])  # wrong for (0, 2)
    alignments = [[(0, 1), (1, 2)], [(0, 2)]]
    assert attention_alignment_accuracy([a, b], alignments) == pytest.approx(2 / 3)
    stacked = np.stack([a, a[::-1]])  # second: peaks at 1 then 0, both wrong
    assert attention_alignment_accuracy(
        stacked, [[(0, 1), (1, 2)], [(0, 1), (1, 2)]]
    ) == pytest.approx(0.5)


def test_alignment_accuracy_source_offset():
    weights = np.array([[0.0, 1.0, 0.0]])  # column 1 = source character 0
    assert attention_alignment_accuracy([weights], [[(0, 1)]]) == 0.0
    assert attention_alignment_accuracy([weights], [[(0, 1)]], source_offset=1) == 1.0
    start = np.array([[1.0, 0.0, 0.0]])  # peak on the start token: outside
    assert attention_alignment_accuracy([start], [[(0, 1)]], source_offset=1) == 0.0


def test_alignment_accuracy_of_uniform_attention_is_chance_level():
    # negative control: flat weights peak at column 0 (argmax takes the first)
    pairs = make_date_pairs(50, seed=3)
    flat = [np.ones((10, len(s))) for s in pairs.sources]
    score = attention_alignment_accuracy(flat, pairs.alignments)
    starts_at_zero = sum(
        span[0] == 0 for spans in pairs.alignments for span in spans if span[0] >= 0
    )
    assert score == pytest.approx(starts_at_zero / (8 * 50))
    assert score < 0.5


@pytest.mark.parametrize(
    ("attention", "alignments", "kwargs", "error", "match"),
    [
        ([np.ones((1, 2))], [[(0, 1)], [(0, 1)]], {}, ValueError, "1 matrices and 2"),
        ([np.ones(3)], [[(0, 1)]], {}, ValueError, r"`attention\[0\]` must be a 2-D"),
        ([[["a"]]], [[(0, 1)]], {}, TypeError, r"`attention\[0\]` must be a 2-D"),
        (
            [np.array([[np.nan]])],
            [[(0, 1)]],
            {},
            ValueError,
            r"`attention\[0\]` must contain only finite",
        ),
        ([np.ones((1, 2))], [[(1, 1)]], {}, ValueError, r"Bad span: \(1, 1\)"),
        ([np.ones((1, 2))], [[(0.0, 1)]], {}, TypeError, r"Bad span: \(0.0, 1\)"),
        ([np.ones((1, 2))], [[(-1, -1)]], {}, ValueError, "nothing to score"),
        ([np.ones((1, 2))], [[(0, 1)]], {"source_offset": -1}, ValueError, "offset"),
        (np.ones((2, 2)), [[(0, 1)]], {}, TypeError, "`attention` must be a list"),
        ([np.ones((1, 2))], "ab", {}, TypeError, "`alignments` must be a list"),
    ],
)
def test_alignment_accuracy_errors(attention, alignments, kwargs, error, match):
    with pytest.raises(error, match=match):
        attention_alignment_accuracy(attention, alignments, **kwargs)
