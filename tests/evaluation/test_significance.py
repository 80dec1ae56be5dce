"""Tests for rnn_zoo.evaluation.significance: the Diebold-Mariano paired test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from rnn_zoo.evaluation.significance import compare_forecasts, diebold_mariano


def test_dm_by_hand_horizon_one():
    a = np.array([1.0, 2.0, 1.0, 2.0, 1.0, 2.0])
    b = np.array([2.0, 2.5, 2.0, 3.0, 1.5, 3.0])
    d = a - b
    n = len(d)
    dm = d.mean() / np.sqrt(d.var() / n) * np.sqrt((n - 1) / n)  # HLN, h = 1
    result = diebold_mariano(a, b)
    assert result.statistic == pytest.approx(dm)
    assert result.p_value == pytest.approx(2 * stats.t.sf(abs(dm), n - 1))
    assert result.mean_difference == pytest.approx(-5 / 6)
    assert result.n == 6


def test_dm_uses_autocovariances_up_to_horizon_minus_one():
    d = np.array([1.0, 1.5, 2.0, 2.5, 2.0, 1.5, 1.0, 0.5, 1.0, 2.0])
    n, h = len(d), 2
    c = d - d.mean()
    var = (c @ c + 2 * (c[1:] @ c[:-1])) / n
    hln = np.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    result = diebold_mariano(d, np.zeros(n), horizon=h)
    assert result.statistic == pytest.approx(hln * d.mean() / np.sqrt(var / n))


def test_dm_is_antisymmetric_and_not_significant_on_noise():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=200) ** 2, rng.normal(size=200) ** 2
    ab, ba = diebold_mariano(a, b), diebold_mariano(b, a)
    assert ab.statistic == pytest.approx(-ba.statistic)
    assert ab.p_value > 0.05
    assert diebold_mariano(a, a + 0.5 + 0.1 * b).p_value < 1e-6


def test_compare_forecasts_pairs_by_fold():
    rows = pd.DataFrame(
        {
            "model": ["a"] * 6 + ["b"] * 6,
            "fold": [0, 0, 1, 1, 2, 2] * 2,
            "step": [1, 2] * 6,
            "y_true": [0.0] * 12,
            "y_pred": [1, 3, 1, 1, 2, 0, 2, 2, 3, 1, 2, 4],
        }
    )
    # per-fold mean |error| a: 2, 1, 1; b: 2, 2, 3 -> differences 0, -1, -2
    result = compare_forecasts(rows, "a", "b")
    assert result.n == 3 and result.mean_difference == pytest.approx(-1.0)
    squared = compare_forecasts(rows, "a", "b", loss="squared", step=2)
    assert squared.mean_difference == pytest.approx((9 - 4 + 1 - 1 + 0 - 16) / 3)


def test_identical_forecasts_are_a_clear_error():
    with pytest.raises(ValueError, match="differ by more than a constant"):
        diebold_mariano([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])


def test_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        diebold_mariano([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="at least 3 paired losses"):
        diebold_mariano([1.0, 2.0], [2.0, 1.0])
    rows = pd.DataFrame(
        {"model": ["a"], "fold": [0], "step": [1], "y_true": [0.0], "y_pred": [1.0]}
    )
    with pytest.raises(ValueError, match="`model_b` must be one of 'a'"):
        compare_forecasts(rows, "a", "lstm")
    with pytest.raises(ValueError, match="`loss` must be one of"):
        compare_forecasts(rows, "a", "a", loss="huber")


def test_enough_pairs_only_from_min_pairs_for_p_value():
    from rnn_zoo.evaluation.significance import MIN_PAIRS_FOR_P_VALUE

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=40), rng.normal(size=40)
    # three forecasts give a p-value, but one not worth reporting
    assert not diebold_mariano(a[:3], b[:3]).enough_pairs
    short = MIN_PAIRS_FOR_P_VALUE - 1
    assert not diebold_mariano(a[:short], b[:short]).enough_pairs
    assert diebold_mariano(
        a[:MIN_PAIRS_FOR_P_VALUE], b[:MIN_PAIRS_FOR_P_VALUE]
    ).enough_pairs
