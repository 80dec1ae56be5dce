"""Keras on JAX computes what Keras on TensorFlow computes, to 1e-5.

``lm train --backend jax`` trains the same `keras.layers.LSTM` / `GRU` models with
Keras' JAX backend. Here models are built and saved in this (TensorFlow) process,
loaded in a child process with ``KERAS_BACKEND=jax`` (`tests.training.jax_child`),
and the outputs and the gradients of ``sum(outputs * cotangent)`` (weights, and
float inputs) of both backends are compared, for an `LSTM`, a `GRU` and `lm
train`'s two-layer GRU char LM (the LSTM char LM is the same layers). The weight
layout is the same: the child loads the `.keras` file TensorFlow wrote, gradient
``i`` is the gradient of ``model.trainable_weights[i]`` in both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_zoo.models import build_char_lm

pytest.importorskip("jax")  # a requirement; skipped only where JAX is missing
pytestmark = pytest.mark.slow  # a child process

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}


def _layer_model(layer: keras.layers.Layer, steps: int, features: int) -> keras.Model:
    inputs = keras.Input((steps, features))
    return keras.Model(inputs, layer(inputs))


def _cases(rng: np.random.Generator) -> list[tuple[str, keras.Model, np.ndarray]]:
    keras.utils.set_random_seed(0)
    cases = [
        (
            "LSTM",
            _layer_model(keras.layers.LSTM(16, return_sequences=True), 20, 5),
            rng.normal(size=(4, 20, 5)).astype("float32"),
        ),
        (
            "GRU",
            _layer_model(keras.layers.GRU(16, return_sequences=True), 20, 5),
            rng.normal(size=(4, 20, 5)).astype("float32"),
        ),
        (  # `lm train`'s model (embedding, two GRU layers, logits)
            "char LM",
            build_char_lm(11, embedding_dim=6, units=[12, 10], cell="gru"),
            rng.integers(1, 11, size=(4, 15)),
        ),
    ]
    for _, model, _ in cases:  # weights of a trained size, not near zero
        model.set_weights([rng.normal(0, 0.4, w.shape) for w in model.get_weights()])
    return cases


def _tensorflow(model, x, cot):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        if x.dtype.is_floating:
            tape.watch(x)
        out = model(x, training=False)
        objective = tf.reduce_sum(out * cot)
    sources = list(model.trainable_weights) + ([x] if x.dtype.is_floating else [])
    grads = tape.gradient(objective, sources)
    return out.numpy(), [tf.convert_to_tensor(g).numpy() for g in grads]


def test_jax_outputs_and_gradients_equal_tensorflow(tmp_path, rng):
    cases = _cases(rng)
    arrays: dict[str, object] = {"count": len(cases)}
    expected = []
    for k, (_, model, x) in enumerate(cases):
        path = tmp_path / f"model_{k}.keras"
        model.save(path)
        cot = rng.normal(size=np.shape(model(x))).astype("float32")
        arrays.update({f"model_{k}": str(path), f"x_{k}": x, f"cot_{k}": cot})
        expected.append(_tensorflow(model, x, cot))
    np.savez(tmp_path / "cases.npz", **arrays)
    child = subprocess.run(
        [sys.executable, "-m", "tests.training.jax_child"]
        + [str(tmp_path / "cases.npz"), str(tmp_path / "results.npz")],
        cwd=ROOT,
        env={**os.environ, "KERAS_BACKEND": "jax", "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr
    results = np.load(tmp_path / "results.npz")
    # `lm train --minutes`'s callbacks: the budget ends training after epoch 1
    assert int(results["budget_epochs"]) == 1
    for k, (name, model, x) in enumerate(cases):
        out, grads = expected[k]
        # the precondition: outputs and gradients that are not all zero
        assert np.abs(out).max() > 0.1 and all(np.abs(g).max() > 1e-3 for g in grads)
        np.testing.assert_allclose(results[f"out_{k}"], out, **TOLERANCE, err_msg=name)
        weights = model.trainable_weights
        for i, weight in enumerate(weights):
            np.testing.assert_allclose(
                results[f"grad_{k}_{i}"],
                grads[i],
                **TOLERANCE,
                err_msg=f"{name}: gradient of {weight.path}",
            )
        if np.issubdtype(x.dtype, np.floating):
            np.testing.assert_allclose(
                results[f"dx_{k}"], grads[-1], **TOLERANCE, err_msg=f"{name}: inputs"
            )
