"""Tests for build_forecaster: shapes, layer names, output layout, training, errors."""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest

from rnn_zoo.models.forecaster import build_forecaster
from tests.models.builder_checks import assert_round_trip, predict, two_training_steps

CELLS = ("lstm", "gru", "rnn")


@pytest.mark.parametrize("cell", CELLS)
def test_forecaster_shape_and_names(cell, rng):
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    for bidirectional, num_layers in itertools.product([False, True], [1, 2]):
        model = build_forecaster(
            5,
            3,
            horizon=4,
            n_targets=2,
            cell=cell,
            units=4,
            num_layers=num_layers,
            bidirectional=bidirectional,
        )
        rnn = [f"rnn_{i}" for i in range(num_layers)]
        names = [layer.name for layer in model.layers]
        assert names == ["window", *rnn, "head", "forecast"]
        assert model.input_shape == (None, 5, 3)
        assert model.output_shape == (None, 4, 2)
        assert not model.compiled
        assert predict(model, x).shape == (2, 4, 2)


def test_forecast_is_head_reshaped_step_major(rng):
    """forecast[:, h, t] is head unit h * n_targets + t (the make_windows y layout)."""
    model = build_forecaster(5, 3, horizon=3, n_targets=2, units=4)
    head = keras.Model(model.input, model.get_layer("head").output)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    flat, forecast = predict(head, x), predict(model, x)
    assert flat.shape == (2, 6)
    for h, t in itertools.product(range(3), range(2)):
        np.testing.assert_array_equal(forecast[:, h, t], flat[:, h * 2 + t])
    assert model.get_layer("head").activation is keras.activations.linear


def test_single_step_default_shape():
    model = build_forecaster(5, 1, units=4)
    assert model.output_shape == (None, 1, 1)


@pytest.mark.parametrize(
    "cell, bidirectional, num_layers",
    [("lstm", True, 1), ("gru", False, 2), ("rnn", False, 1)],
)
def test_forecaster_training_step_and_round_trip(
    cell, bidirectional, num_layers, rng, tmp_path
):
    model = build_forecaster(
        5,
        3,
        horizon=2,
        n_targets=1,
        cell=cell,
        units=4,
        num_layers=num_layers,
        bidirectional=bidirectional,
    )
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    y = rng.normal(size=(2, 2, 1)).astype("float32")
    first, second = two_training_steps(model, x, y, "mse")
    assert np.isfinite(first) and second < first
    assert_round_trip(model, x, tmp_path)


def test_forecaster_rejects_bad_shapes():
    cases = [
        ((0, 3), {}, "`lookback` must be a positive integer. Received: lookback=0"),
        ((-2, 3), {}, "`lookback` must be a positive integer"),
        ((5, 0), {}, "`n_features` must be a positive integer"),
        ((5, 3), {"horizon": 0}, "`horizon` must be a positive integer"),
        ((5, 3), {"n_targets": 0}, "`n_targets` must be a positive integer"),
    ]
    for args, kwargs, match in cases:
        with pytest.raises(ValueError, match=match):
            build_forecaster(*args, **kwargs)
    with pytest.raises(TypeError, match="`lookback` must be a positive integer"):
        build_forecaster(None, 3)
    with pytest.raises(TypeError, match="`horizon` must be a positive integer"):
        build_forecaster(5, 3, horizon=1.5)


def test_forecaster_rejects_bad_hyperparameters():
    cases = [
        ({"units": -1}, "`units` must be a positive integer"),
        ({"num_layers": 0}, "`num_layers` must be a positive integer"),
        ({"dropout": -0.1}, "`dropout` must be a number in"),
        ({"cell": "cnn"}, "`cell` must be one of"),
        ({"merge_mode": "max", "bidirectional": True}, "`merge_mode` must be one of"),
        ({"recurrent_initializer": "eye"}, "`recurrent_initializer` must be"),
    ]
    for kwargs, match in cases:
        with pytest.raises(ValueError, match=match):
            build_forecaster(5, 3, **kwargs)
