"""Fixtures for the training tests: a tiny LSTM regressor and its data."""

from __future__ import annotations

import keras
import pytest


def tiny_regressor(units: int = 4) -> keras.Model:
    """Input (5 steps, 2 features) -> LSTM -> Dense(1), every layer named."""
    inputs = keras.Input((5, 2), name="series")
    hidden = keras.layers.LSTM(units, name="lstm")(inputs)
    outputs = keras.layers.Dense(1, name="head")(hidden)
    return keras.Model(inputs, outputs, name="tiny_regressor")


@pytest.fixture
def build_regressor():
    """A zero-argument model factory for `tiny_regressor`."""
    return tiny_regressor


@pytest.fixture
def regression_data(rng):
    """8 windows of 5 steps x 2 features; the target is the mean of the window."""
    X = rng.normal(size=(8, 5, 2)).astype("float32")
    y = X.mean(axis=(1, 2))[:, None].astype("float32")
    return X, y
