"""Recursive vs direct multi-step forecasts: hand-computed rules, a tiny Keras model,
and the shape checks that stop a misaligned score."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.evaluation import direct_forecast, recursive_forecast


def fibonacci(x):
    """One-step rule: next = last + second to last (per feature)."""
    return x[:, -1:, :] + x[:, -2:-1, :]


def test_recursive_feeds_predictions_back_fibonacci():
    windows = np.array([[[1.0], [1.0]], [[2.0], [3.0]]])
    out = recursive_forecast(fibonacci, windows, 5)
    assert out.shape == (2, 5, 1)
    np.testing.assert_array_equal(out[0, :, 0], [2, 3, 5, 8, 13])
    np.testing.assert_array_equal(out[1, :, 0], [5, 8, 13, 21, 34])


def test_recursive_two_features_and_2d_output():
    # next row = last row * [2, 0.5], returned as (batch, features)
    rule = lambda x: x[:, -1, :] * np.array([2.0, 0.5])  # noqa: E731
    out = recursive_forecast(rule, [[[0.0, 0.0], [1.0, 8.0]]], 3)
    np.testing.assert_allclose(out[0], [[2, 4], [4, 2], [8, 1]])


def test_recursive_horizon_one_equals_one_model_call():
    windows = np.arange(12.0).reshape(3, 4, 1)
    np.testing.assert_array_equal(
        recursive_forecast(fibonacci, windows, 1), fibonacci(windows)
    )


def test_recursive_keeps_the_window_length():
    seen = []

    def rule(x):
        seen.append(x.shape)
        return x[:, -1:, :]

    out = recursive_forecast(rule, np.full((2, 3, 1), 7.0), 4)
    assert seen == [(2, 3, 1)] * 4
    np.testing.assert_array_equal(out, np.full((2, 4, 1), 7.0))


def _fibonacci_keras_model():
    """A linear Keras model with hand-set weights: next = x[-2] + x[-1]."""
    keras = pytest.importorskip("keras")
    inputs = keras.Input((2, 1), name="window")
    flat = keras.layers.Flatten(name="flat")(inputs)
    head = keras.layers.Dense(1, name="head")(flat)
    model = keras.Model(inputs, keras.layers.Reshape((1, 1), name="forecast")(head))
    model.get_layer("head").set_weights([np.ones((2, 1)), np.zeros(1)])
    return model


def test_recursive_with_keras_model_matches_hand_rule():
    model = _fibonacci_keras_model()
    out = recursive_forecast(model, np.ones((1, 2, 1), "float32"), 6)
    np.testing.assert_allclose(out[0, :, 0], [2, 3, 5, 8, 13, 21])


def test_recursive_with_lstm_matches_manual_loop():
    from rnn_zoo.models import build_forecaster

    model = build_forecaster(4, 1, units=3)
    windows = np.random.default_rng(0).normal(size=(5, 4, 1)).astype("float32")
    out = recursive_forecast(model, windows, 6)
    x, manual = windows, []
    for _ in range(6):
        step = model.predict(x, verbose=0)
        manual.append(step)
        x = np.concatenate([x[:, 1:], step], axis=1)
    np.testing.assert_allclose(out, np.concatenate(manual, axis=1), atol=1e-6)
    # negative control: feeding back changes the answer vs repeating step 1
    assert not np.allclose(out[:, 5], out[:, 0])


def test_direct_forecast_shapes_and_values():
    from rnn_zoo.models import build_forecaster

    model = build_forecaster(4, 2, horizon=3, n_targets=1, units=3)
    windows = np.random.default_rng(1).normal(size=(5, 4, 2)).astype("float32")
    out = direct_forecast(model, windows, horizon=3)
    assert out.shape == (5, 3, 1)
    np.testing.assert_allclose(out, model.predict(windows, verbose=0), atol=1e-6)


def test_direct_2d_output_is_one_target():
    out = direct_forecast(lambda x: x[:, :2, 0] * 10, [[[1.0], [2.0], [3.0]]])
    np.testing.assert_array_equal(out, [[[10.0], [20.0]]])


@pytest.mark.parametrize(
    ("model", "windows", "horizon", "error", "match"),
    [
        (
            fibonacci,
            np.ones((2, 1)),
            3,
            ValueError,
            "`windows` must be a non-empty 3-D",
        ),
        (fibonacci, np.ones((0, 2, 1)), 3, ValueError, "non-empty 3-D"),
        (fibonacci, [["a"]], 3, TypeError, "`windows` must be a numeric array"),
        (fibonacci, np.full((1, 2, 1), np.nan), 3, ValueError, "finite values"),
        (fibonacci, np.ones((1, 2, 1)), 0, ValueError, "`horizon` must be a positive"),
        (fibonacci, np.ones((1, 2, 1)), 2.0, TypeError, "`horizon` must be"),
        ("model", np.ones((1, 2, 1)), 2, TypeError, "`model` must be a Keras model"),
        # a direct (multi-step) model fed to the recursive loop
        (lambda x: x[:, -2:, :], np.ones((1, 2, 1)), 2, ValueError, "one-step model"),
        # predicts one column of two: cannot be fed back
        (
            lambda x: x[:, -1:, :1],
            np.ones((1, 2, 2)),
            2,
            ValueError,
            "shape \\(1, 1, 1\\)",
        ),
    ],
)
def test_recursive_bad_input(model, windows, horizon, error, match):
    with pytest.raises(error, match=match):
        recursive_forecast(model, windows, horizon)


def test_direct_wrong_horizon_or_batch():
    windows = np.ones((2, 3, 1))
    with pytest.raises(ValueError, match=r"output \(batch, 4, targets\)"):
        direct_forecast(lambda x: x, windows, horizon=4)  # gives 3 steps
    with pytest.raises(ValueError, match="Its output has shape \\(1, 3, 1\\)"):
        direct_forecast(lambda x: x[:1], windows)
    with pytest.raises(ValueError, match="Its output has shape \\(2,\\)"):
        direct_forecast(lambda x: x[:, 0, 0], windows)
