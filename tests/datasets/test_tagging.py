"""make_tagging_task: tags from the token `lookahead` steps later, padding, seeds."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.datasets import TAG_NAMES, forward_only_ceiling, make_tagging_task


def reference_tags(tokens, length, lookahead):
    """The tag definition, one token at a time."""
    tags = []
    for t in range(length):
        if t + lookahead >= length:
            tags.append("end")
        elif tokens[t + lookahead] > tokens[t]:
            tags.append("higher")
        elif tokens[t + lookahead] < tokens[t]:
            tags.append("lower")
        else:
            tags.append("same")
    return tags


@pytest.mark.parametrize("lookahead", [1, 3])
def test_every_tag_follows_the_definition(lookahead):
    tokens, tags, lengths = make_tagging_task(
        50, min_length=2, max_length=9, n_symbols=3, lookahead=lookahead, seed=0
    )
    for row_tokens, row_tags, length in zip(tokens, tags, lengths, strict=True):
        expected = reference_tags(row_tokens[:length].tolist(), length, lookahead)
        assert [TAG_NAMES[t] for t in row_tags[:length]] == expected


def test_hand_computed_row():
    tokens, tags, lengths = make_tagging_task(
        2, min_length=3, max_length=5, n_symbols=4, seed=0
    )
    # row 1: 1 1 4 3 (length 4): same, higher, lower, end, then padding
    assert tokens[1].tolist() == [1, 1, 4, 3, 0]
    assert tags[1].tolist() == [3, 1, 2, 4, 0]
    assert lengths.tolist() == [5, 4]


def test_shapes_padding_and_ranges():
    tokens, tags, lengths = make_tagging_task(
        300, min_length=4, max_length=7, n_symbols=5, seed=1
    )
    assert tokens.shape == tags.shape == (300, 7) and lengths.shape == (300,)
    assert tokens.dtype == tags.dtype == lengths.dtype == np.int32
    assert set(lengths.tolist()) == {4, 5, 6, 7}  # every length occurs
    real = np.arange(7)[None, :] < lengths[:, None]
    assert np.all((tokens[real] >= 1) & (tokens[real] <= 5))
    assert np.all(tokens[~real] == 0) and np.all(tags[~real] == 0)
    assert np.all((tags[real] >= 1) & (tags[real] <= 4))
    # exactly `lookahead` = 1 "end" tag per row, on the last real step
    assert np.all((tags == 4).sum(axis=1) == 1)
    assert np.all(tags[np.arange(300), lengths - 1] == 4)


def test_fixed_length_and_lookahead_longer_than_the_row():
    tokens, tags, lengths = make_tagging_task(
        3, min_length=4, max_length=4, lookahead=4, seed=2
    )
    assert np.all(lengths == 4) and np.all(tokens > 0)
    assert np.all(tags == 4)  # nothing ever lies 4 steps ahead in 4 steps


def test_tag_shares_match_the_uniform_draws():
    # 8 symbols: P(same) = 1/8, P(higher) = P(lower) = 7/16 (non-end steps)
    _, tags, _ = make_tagging_task(4000, seed=3)
    shares = np.bincount(tags[(tags > 0) & (tags < 4)], minlength=4)[1:]
    shares = shares / shares.sum()
    np.testing.assert_allclose(shares, [7 / 16, 7 / 16, 1 / 8], atol=0.01)


def test_seeds():
    first = make_tagging_task(5, seed=7)
    again = make_tagging_task(5, seed=np.random.default_rng(7))
    other = make_tagging_task(5, seed=8)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first.tokens, other.tokens)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n": 0}, ValueError, "`n` must be a positive integer. Received: n=0"),
        ({"min_length": 0}, ValueError, "`min_length` must be a positive integer"),
        (
            {"min_length": 5, "max_length": 4},
            ValueError,
            "`max_length` must be at least `min_length`=5. Received: max_length=4",
        ),
        ({"n_symbols": 1}, ValueError, "`n_symbols` must be an integer >= 2"),
        ({"lookahead": 0}, ValueError, "`lookahead` must be a positive integer"),
        ({"lookahead": 1.0}, TypeError, "`lookahead` must be a positive integer"),
        ({"seed": -1}, ValueError, "`seed` must be a non-negative integer or None"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    kwargs = {"n": 2, **kwargs}
    with pytest.raises(error, match=match):
        make_tagging_task(**kwargs)


def oracle_forward_only(tokens, lengths, min_length, max_length, n_symbols):
    """The Bayes rule of `forward_only_ceiling`, applied step by step."""
    predicted = np.zeros_like(tokens)
    possible = np.arange(min_length, max_length + 1)
    for t in range(tokens.shape[1]):
        alive = possible > t
        end = np.mean(possible[alive] <= t + 1) if alive.any() else 1.0
        a = tokens[:, t]
        others = np.stack([n_symbols - a, a - 1, np.ones_like(a)], axis=1) / n_symbols
        best = others.argmax(axis=1) + 1  # 1 higher, 2 lower, 3 same
        predicted[:, t] = np.where(end >= (1 - end) * others.max(axis=1), 4, best)
    return predicted


def test_forward_only_ceiling_is_what_the_bayes_rule_scores():
    tokens, tags, lengths = make_tagging_task(
        20000, min_length=3, max_length=6, n_symbols=4, seed=4
    )
    ceiling = forward_only_ceiling(min_length=3, max_length=6, n_symbols=4)
    predicted = oracle_forward_only(tokens, lengths, 3, 6, 4)
    real = tags > 0
    assert np.mean(predicted[real] == tags[real]) == pytest.approx(ceiling, abs=0.01)
    # a rule that never says "end" does worse (negative control)
    never_end = np.where(predicted == 4, 1, predicted)
    assert np.mean(never_end[real] == tags[real]) < ceiling - 0.05


def test_forward_only_ceiling_by_hand():
    # fixed length 2, 2 symbols: step 0 is higher/lower/same with 1/4, 1/4, 1/2
    # (the best guess "same" is right half the time), step 1 is always "end"
    assert forward_only_ceiling(min_length=2, max_length=2, n_symbols=2) == 0.75
    assert forward_only_ceiling(min_length=2, max_length=2, lookahead=2) == 1.0
    with pytest.raises(ValueError, match="`max_length` must be at least"):
        forward_only_ceiling(min_length=3, max_length=2)
