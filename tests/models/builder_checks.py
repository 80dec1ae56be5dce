"""Checks shared by the builder tests: predict, train two steps, .keras round trip."""

from __future__ import annotations

import keras
import numpy as np


def predict(model, x):
    """The model's inference output as a NumPy array (no `predict` progress bar)."""
    return keras.ops.convert_to_numpy(model(x, training=False))


def two_training_steps(model, x, y, loss, run_eagerly=True):
    """Compile with Adam and return the losses of two training steps on (x, y)."""
    model.compile(optimizer="adam", loss=loss, run_eagerly=run_eagerly)
    first = float(model.train_on_batch(x, y))
    second = float(model.train_on_batch(x, y))
    return first, second


def assert_round_trip(model, x, tmp_path):
    """Saving to .keras and loading in safe mode keeps layer names and predictions."""
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert [layer.name for layer in loaded.layers] == [
        layer.name for layer in model.layers
    ]
    np.testing.assert_allclose(predict(loaded, x), predict(model, x), atol=1e-7)
