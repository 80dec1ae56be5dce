"""Tests for rnn_zoo.evaluation.forecasting: hand-computed values and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, mean_absolute_percentage_error

from rnn_zoo.evaluation.forecasting import (
    directional_accuracy,
    mae,
    mape,
    mase,
    naive_scale,
    rmse,
    smape,
)

Y_TRUE = [1.0, 2.0, 4.0, 8.0]
Y_PRED = [2.0, 2.0, 1.0, 10.0]  # errors -1, 0, 3, -2


def test_mae_and_rmse_by_hand():
    assert mae(Y_TRUE, Y_PRED) == pytest.approx((1 + 0 + 3 + 2) / 4)
    assert rmse(Y_TRUE, Y_PRED) == pytest.approx(np.sqrt((1 + 0 + 9 + 4) / 4))
    assert mae(Y_TRUE, Y_PRED) == pytest.approx(mean_absolute_error(Y_TRUE, Y_PRED))


def test_perfect_forecast_scores_zero():
    for metric in (mae, rmse, mape, smape):
        assert metric(Y_TRUE, Y_TRUE) == 0.0


def test_mape_by_hand_in_percent():
    # |1-2|/1, 0/2, 3/4, 2/8 -> 1, 0, 0.75, 0.25 -> mean 0.5 -> 50 %
    assert mape(Y_TRUE, Y_PRED) == pytest.approx(50.0)
    assert mape(Y_TRUE, Y_PRED) == pytest.approx(
        100 * mean_absolute_percentage_error(Y_TRUE, Y_PRED)
    )


def test_smape_by_hand():
    # 2|e| / (|y| + |yhat|): 2/3, 0, 6/5, 4/18
    expected = 100 * np.mean([2 / 3, 0.0, 6 / 5, 4 / 18])
    assert smape(Y_TRUE, Y_PRED) == pytest.approx(expected)
    assert smape([0.0, 1.0], [0.0, -1.0]) == pytest.approx(100.0)  # 0 and 200 %


def test_mase_by_hand():
    train = [1.0, 3.0, 2.0, 5.0, 4.0]  # naive errors 2, 1, 3, 1 -> scale 1.75
    assert naive_scale(train) == pytest.approx(1.75)
    assert mase(Y_TRUE, Y_PRED, train) == pytest.approx(1.5 / 1.75)
    # m = 2: |2-1|, |5-3|, |4-2| -> 5/3
    assert naive_scale(train, m=2) == pytest.approx(5 / 3)
    assert mase(Y_TRUE, Y_PRED, train, m=2) == pytest.approx(1.5 / (5 / 3))


def test_mase_of_the_naive_forecast_on_a_random_walk_is_near_one():
    rng = np.random.default_rng(0)
    walk = np.cumsum(rng.normal(size=4000))
    train, test = walk[:3000], walk[3000:]
    # one-step naive forecasts over the test part: y[t-1] predicts y[t]
    score = mase(test[1:], test[:-1], train)
    assert 0.9 < score < 1.1


def test_mase_accepts_multi_step_targets():
    y_true = np.array([[1.0, 2.0], [3.0, 4.0]])
    y_pred = np.zeros((2, 2))
    assert mase(y_true, y_pred, [0.0, 2.0]) == pytest.approx(2.5 / 2.0)


def test_directional_accuracy_on_changes_and_against_a_reference():
    assert directional_accuracy([1.0, -1.0, 2.0, -2.0], [3.0, 1.0, 0.5, -0.1]) == 0.75
    # no-change forecast makes no call: a miss unless the truth did not move
    assert directional_accuracy([1.0, -1.0, 0.0], [0.0, 0.0, 0.0]) == pytest.approx(
        1 / 3
    )
    # levels: moves from the last observed value 10 -> up, down, up
    ref = np.array([[10.0], [10.0], [20.0]])
    y_true = np.array([[11.0], [9.0], [25.0]])
    y_pred = np.array([[12.0], [12.0], [21.0]])
    assert directional_accuracy(y_true, y_pred, reference=ref) == pytest.approx(2 / 3)


def test_trailing_unit_axis_is_ignored():
    assert mae(np.array([[1.0], [2.0]]), [1.0, 4.0]) == pytest.approx(1.0)


# --------------------------------------------------------------------- bad input


@pytest.mark.parametrize("metric", [mae, rmse, mape, smape, directional_accuracy])
def test_length_mismatch_is_an_error(metric):
    with pytest.raises(ValueError, match="`y_pred` must have the same shape as"):
        metric([1.0, 2.0, 3.0], [1.0, 2.0])


def test_mase_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="same shape"):
        mase([1.0, 2.0, 3.0], [1.0, 2.0], [1.0, 2.0, 4.0])


@pytest.mark.parametrize("metric", [mae, rmse, smape])
def test_nan_is_an_error(metric):
    with pytest.raises(ValueError, match="`y_true` must contain only finite"):
        metric([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="`y_pred` must contain only finite"):
        metric([1.0, 2.0], [np.inf, 2.0])


def test_mase_nan_in_training_series_is_an_error():
    with pytest.raises(ValueError, match="`y_train` must contain only finite"):
        mase([1.0], [1.0], [1.0, np.nan, 2.0])


def test_mase_constant_training_series_is_a_clear_error():
    with pytest.raises(ValueError, match="MASE would divide by zero"):
        mase([1.0, 2.0], [1.0, 1.0], [3.0, 3.0, 3.0, 3.0])
    with pytest.raises(ValueError, match="or 2-periodic"):
        mase([1.0], [1.0], [1.0, 2.0, 1.0, 2.0], m=2)


def test_mase_training_series_too_short():
    with pytest.raises(ValueError, match="more than m=3 values"):
        mase([1.0], [1.0], [1.0, 2.0, 3.0], m=3)


def test_mase_bad_m():
    with pytest.raises(ValueError, match="`m` must be a positive integer"):
        mase([1.0], [1.0], [1.0, 2.0], m=0)
    with pytest.raises(TypeError, match="`m` must be a positive integer"):
        mase([1.0], [1.0], [1.0, 2.0], m=1.0)


def test_mape_zero_target_is_an_error():
    with pytest.raises(ValueError, match="must not contain 0 for MAPE"):
        mape([1.0, 0.0], [1.0, 1.0])


def test_empty_and_non_numeric_input():
    with pytest.raises(ValueError, match="`y_true` must be non-empty"):
        mae([], [])
    with pytest.raises(TypeError, match="`y_pred` must be an array-like of numbers"):
        mae([1.0], ["up"])


def test_reference_must_broadcast():
    with pytest.raises(ValueError, match="`reference` must broadcast"):
        directional_accuracy([1.0, 2.0], [1.0, 2.0], reference=[1.0, 2.0, 3.0])
