"""Seeded generators: sine waves, adding problem, copy task, addition pairs."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.datasets.synthetic import (
    make_adding_problem,
    make_addition_pairs,
    make_copy_task,
    make_sine_waves,
)

GENERATORS = [make_sine_waves, make_adding_problem, make_copy_task, make_addition_pairs]


def _equal(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("make", GENERATORS)
def test_seed_reproducibility(make):
    as_tuple = lambda out: out if isinstance(out, tuple) else (out,)  # noqa: E731
    first = as_tuple(make(6, seed=7))
    assert _equal(first, as_tuple(make(6, seed=7)))
    assert _equal(first, as_tuple(make(6, seed=np.random.default_rng(7))))
    assert not _equal(first, as_tuple(make(6, seed=8)))


@pytest.mark.parametrize("make", GENERATORS)
def test_n_must_be_a_positive_integer(make):
    with pytest.raises(ValueError, match="`n` must be .*Received: n=0"):
        make(0)
    with pytest.raises(TypeError, match="`n` must be .*Received: n=2.0"):
        make(2.0)
    with pytest.raises(
        ValueError, match="`seed` must be a non-negative integer or None"
    ):
        make(2, seed=-1)
    with pytest.raises(TypeError, match="`seed` must be"):
        make(2, seed="0")


# ---- sine waves ---------------------------------------------------------------


def test_sine_shape_dtype_and_bounds():
    x = make_sine_waves(2, length=5, n_features=3, seed=0)
    assert x.shape == (2, 5, 3) and x.dtype == np.float32
    assert np.all(np.abs(x) <= 1.0)
    # each series and feature gets its own frequency/phase
    assert (
        len({tuple(np.round(x[i, :, j], 5)) for i in range(2) for j in range(3)}) == 6
    )


def test_sine_golden_values_with_fixed_frequency_and_phase():
    x = make_sine_waves(2, length=5, freq_range=(0.05, 0.05), phase_range=(0.5, 0.5))
    expected = np.sin(2 * np.pi * 0.05 * np.arange(5) + 0.5).astype(np.float32)
    np.testing.assert_array_equal(x[0, :, 0], expected)
    np.testing.assert_array_equal(x[1, :, 0], expected)


def test_sine_frequency_and_phase_stay_in_range():
    # with phase fixed at 0 the first step is sin(0) = 0 and the second sin(2 pi f)
    x = make_sine_waves(
        200, length=2, freq_range=(0.01, 0.2), phase_range=(0, 0), seed=1
    )
    assert np.all(x[:, 0, 0] == 0)
    freq = np.arcsin(x[:, 1, 0].astype(np.float64)) / (2 * np.pi)
    assert freq.min() >= 0.01 - 1e-6 and freq.max() <= 0.2 + 1e-6
    assert freq.max() - freq.min() > 0.15  # spread over the range, not constant


def test_sine_noise_has_the_requested_std():
    kwargs = dict(length=4000, freq_range=(0.1, 0.1), phase_range=(0, 0))
    clean = make_sine_waves(1, **kwargs)
    noisy = make_sine_waves(1, noise=0.5, seed=3, **kwargs)
    assert abs(np.std(noisy - clean) - 0.5) < 0.03


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"length": 0}, ValueError, "`length` must be a positive integer"),
        ({"n_features": 0}, ValueError, "`n_features` must be a positive integer"),
        ({"noise": -0.1}, ValueError, "`noise` must be a number >= 0.0"),
        (
            {"freq_range": (0.0, 0.1)},
            ValueError,
            r"`freq_range` must be a pair .*\(0.0",
        ),
        ({"freq_range": (0.2, 0.1)}, ValueError, "`freq_range` must be a pair"),
        ({"freq_range": (0.1, 0.6)}, ValueError, "`freq_range` must be a pair"),
        ({"freq_range": (0.1,)}, ValueError, "`freq_range` must be a pair"),
        ({"freq_range": (0.1, True)}, ValueError, "`freq_range` must be a pair"),
        ({"freq_range": 0.1}, TypeError, "`freq_range` must be a pair"),
        ({"phase_range": (-1, 1)}, ValueError, r"`phase_range` must be .*\[0.0"),
    ],
)
def test_sine_argument_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_sine_waves(2, **kwargs)


# ---- adding problem -----------------------------------------------------------


def test_adding_problem_invariants():
    X, y = make_adding_problem(64, length=7, seed=0)
    assert X.shape == (64, 7, 2) and y.shape == (64, 1)
    assert X.dtype == np.float32 and y.dtype == np.float32
    values, markers = X[..., 0], X[..., 1]
    assert np.all((values >= 0) & (values < 1))
    assert set(np.unique(markers)) == {0.0, 1.0}
    assert np.all(markers[:, :3].sum(axis=1) == 1)  # one marker in the first half
    assert np.all(markers[:, 3:].sum(axis=1) == 1)  # one in the second half
    np.testing.assert_array_equal(y[:, 0], (values * markers).sum(axis=1))
    assert np.all((y >= 0) & (y < 2))


def test_adding_problem_shortest_length():
    X, y = make_adding_problem(2, length=2, seed=0)
    np.testing.assert_array_equal(X[..., 1], np.ones((2, 2), dtype=np.float32))
    np.testing.assert_array_equal(y[:, 0], X[..., 0].sum(axis=1))
    with pytest.raises(ValueError, match="`length` must be an integer >= 2"):
        make_adding_problem(2, length=1)


# ---- copy task ----------------------------------------------------------------


def test_copy_task_layout():
    length, n_symbols, delay = 4, 5, 3
    X, y = make_copy_task(50, length=length, n_symbols=n_symbols, delay=delay, seed=0)
    assert X.shape == y.shape == (50, 2 * length + delay)
    assert X.dtype == y.dtype == np.int32
    symbols = X[:, :length]
    assert symbols.min() >= 1 and symbols.max() <= n_symbols
    assert set(np.unique(symbols)) == set(range(1, n_symbols + 1))
    assert np.all(X[:, length : length + delay - 1] == 0)
    assert np.all(X[:, length + delay - 1] == n_symbols + 1)
    assert np.all(X[:, length + delay :] == 0)
    assert np.all(y[:, : length + delay] == 0)
    np.testing.assert_array_equal(y[:, length + delay :], symbols)


def test_copy_task_delay_one_puts_the_delimiter_right_after_the_symbols():
    X, y = make_copy_task(2, length=2, n_symbols=3, delay=1, seed=0)
    assert X[:, 2].tolist() == [4, 4]
    np.testing.assert_array_equal(y[:, 3:], X[:, :2])


@pytest.mark.parametrize("name", ["length", "n_symbols", "delay"])
def test_copy_task_argument_errors(name):
    with pytest.raises(ValueError, match=f"`{name}` must be a positive integer"):
        make_copy_task(2, **{name: 0})


# ---- addition pairs -----------------------------------------------------------


@pytest.mark.parametrize("digits", [1, 2, 3])
def test_addition_pairs_are_correct_and_fixed_width(digits):
    questions, answers = make_addition_pairs(80, digits=digits, seed=0)
    assert len(questions) == len(answers) == 80
    assert {len(q) for q in questions} == {2 * digits + 1}
    assert {len(a) for a in answers} == {digits + 1}
    for question, answer in zip(questions, answers, strict=True):
        a, b = question.rstrip().split("+")
        assert int(a) + int(b) == int(answer) == eval(question)
        assert len(a) <= digits and len(b) <= digits
        assert answer == answer.strip().ljust(digits + 1)
    assert len(set(questions)) == 80


def test_addition_pairs_can_enumerate_every_question():
    questions, answers = make_addition_pairs(100, digits=1, seed=0)
    expected = {f"{a}+{b}" for a in range(10) for b in range(10)}
    assert {q.strip() for q in questions} == expected
    with pytest.raises(ValueError, match=r"`n` must be an integer in \[1, 100\]"):
        make_addition_pairs(101, digits=1)


def test_addition_pairs_reverse_only_reverses_questions():
    questions, answers = make_addition_pairs(20, digits=3, seed=5)
    reversed_q, reversed_a = make_addition_pairs(20, digits=3, seed=5, reverse=True)
    assert [q[::-1] for q in reversed_q] == questions
    assert reversed_a == answers
    assert eval(reversed_q[0][::-1]) == int(reversed_a[0])


def test_addition_pairs_argument_errors():
    with pytest.raises(ValueError, match=r"`digits` must be an integer in \[1, 9\]"):
        make_addition_pairs(2, digits=0)
    with pytest.raises(ValueError, match=r"`digits` must be an integer in \[1, 9\]"):
        make_addition_pairs(2, digits=10)
    with pytest.raises(TypeError, match="`reverse` must be a bool"):
        make_addition_pairs(2, reverse=1)


def test_addition_pairs_with_many_digits_is_fast_and_distinct():
    questions, answers = make_addition_pairs(1000, digits=9, seed=0)
    assert len(set(questions)) == 1000
    assert all(eval(q) == int(a) for q, a in zip(questions, answers, strict=True))
