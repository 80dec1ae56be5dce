"""Tests for rnn_zoo.evaluation.baselines: hand-computed forecasts and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_zoo.evaluation.baselines import (
    BASELINES,
    drift_forecast,
    mean_forecast,
    naive_forecast,
    seasonal_naive_forecast,
)

HISTORY = [2.0, 4.0, 3.0, 8.0]


def test_naive_repeats_the_last_value():
    np.testing.assert_array_equal(naive_forecast(HISTORY, 3), [8.0, 8.0, 8.0])


def test_seasonal_naive_repeats_the_last_season():
    history = [1.0, 2.0, 3.0, 4.0, 5.0]  # last season (m=2): 4, 5
    np.testing.assert_array_equal(
        seasonal_naive_forecast(history, 5, 2), [4.0, 5.0, 4.0, 5.0, 4.0]
    )
    np.testing.assert_array_equal(
        seasonal_naive_forecast(history, 3, 1), naive_forecast(history, 3)
    )


def test_drift_extends_the_first_to_last_line():
    # slope (8 - 2) / 3 = 2 per step
    np.testing.assert_allclose(drift_forecast(HISTORY, 3), [10.0, 12.0, 14.0])


def test_mean_forecast():
    np.testing.assert_allclose(mean_forecast(HISTORY, 2), [4.25, 4.25])


def test_forecasts_use_only_the_history_given():
    """Negative control: a spike after the history cannot change a forecast."""
    series = np.arange(10.0)
    spiked = series.copy()
    spiked[6:] += 1e6
    for name, rule in BASELINES.items():
        np.testing.assert_array_equal(rule(series[:6], 2), rule(spiked[:6], 2), name)


def test_accepts_series_and_column_vectors():
    s = pd.Series(HISTORY, index=pd.date_range("2024-01-01", periods=4))
    np.testing.assert_array_equal(naive_forecast(s, 1), [8.0])
    np.testing.assert_array_equal(
        mean_forecast(np.array(HISTORY).reshape(-1, 1), 1), [4.25]
    )


def test_shapes_and_dtype():
    for rule in BASELINES.values():
        out = rule(HISTORY, 4)
        assert out.shape == (4,) and out.dtype == np.float64


# --------------------------------------------------------------------- bad input


@pytest.mark.parametrize("rule", list(BASELINES.values()))
def test_bad_horizon(rule):
    with pytest.raises(ValueError, match="`horizon` must be a positive integer"):
        rule(HISTORY, 0)
    with pytest.raises(TypeError, match="`horizon` must be a positive integer"):
        rule(HISTORY, 1.5)


@pytest.mark.parametrize("rule", list(BASELINES.values()))
def test_nan_in_history(rule):
    with pytest.raises(ValueError, match="`history` must contain only finite"):
        rule([1.0, np.nan, 2.0], 1)


def test_history_too_short():
    with pytest.raises(ValueError, match="at least 2 value"):
        drift_forecast([1.0], 1)
    with pytest.raises(ValueError, match="at least 1 value"):
        naive_forecast([], 1)
    with pytest.raises(ValueError, match="one full season of m=4"):
        seasonal_naive_forecast([1.0, 2.0, 3.0], 1, 4)


def test_history_must_be_one_dimensional():
    with pytest.raises(ValueError, match="`history` must be a 1-D series"):
        naive_forecast(np.ones((3, 2)), 1)
    with pytest.raises(TypeError, match="`history` must be a 1-D array-like"):
        naive_forecast(["a", "b"], 1)
