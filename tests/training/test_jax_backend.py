"""Keras on JAX computes what Keras on TensorFlow computes, to 1e-5.

``lm train --backend jax`` trains the same `keras.layers.LSTM` / `GRU` models with
Keras' JAX backend. Here models are built and saved in this (TensorFlow) process,
loaded in a child process on JAX (`tests.training.jax_child`), and the outputs and
the gradients of ``sum(outputs * cotangent)`` (weights, and float inputs) of both
backends are compared, for an `LSTM`, a `GRU` and `lm train`'s two-layer GRU char
LM (the LSTM char LM is the same layers). The weight layout is the same: the
child loads the `.keras` file TensorFlow wrote, gradient ``i`` is the gradient of
``model.trainable_weights[i]`` in both.

The same child (one JAX start-up, not two) first runs ``lm train --backend jax``
end to end, started with ``KERAS_BACKEND=torch``: the flag, not the environment,
chooses the backend; this process, on TensorFlow, loads the bundle and scores it.
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
LM_TINY = ["--units", "8", "--embedding-dim", "4", "--seq-len", "10", "--batch-size"]
LM_TINY += ["4", "--order", "2"]


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


@pytest.fixture(scope="module")
def jax_run(tmp_path_factory):
    """Run the JAX child once: ``lm train --backend jax``, then the cases."""
    folder = tmp_path_factory.mktemp("jax")
    rng = np.random.default_rng(0)
    cases = _cases(rng)
    arrays: dict[str, object] = {"count": len(cases)}
    expected = []
    for k, (_, model, x) in enumerate(cases):
        path = folder / f"model_{k}.keras"
        model.save(path)
        cot = rng.normal(size=np.shape(model(x))).astype("float32")
        arrays.update({f"model_{k}": str(path), f"x_{k}": x, f"cot_{k}": cot})
        expected.append(_tensorflow(model, x, cot))
    np.savez(folder / "cases.npz", **arrays)
    corpus = folder / "corpus.txt"
    text = "To be, or not to be, that is the question:\n" * 40
    corpus.write_text(text + "Whether 'tis nobler in the mind to suffer\n" * 10)
    out = folder / "lm"
    train = ["--corpus", str(corpus), "--epochs", "2", "--out", str(out), *LM_TINY]
    child = subprocess.run(
        [sys.executable, "-m", "tests.training.jax_child"]
        + [str(folder / "cases.npz"), str(folder / "results.npz")]
        + ["--lm-train", str(folder / "lm_train"), *train],
        cwd=ROOT,
        # KERAS_BACKEND in the environment does not choose; --backend does
        env={**os.environ, "KERAS_BACKEND": "torch", "TF_CPP_MIN_LOG_LEVEL": "2"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return {
        "child": child,
        "cases": cases,
        "expected": expected,
        "folder": folder,
        "corpus": corpus,
        "out": out,
    }


def test_jax_outputs_and_gradients_equal_tensorflow(jax_run):
    child, cases, expected = jax_run["child"], jax_run["cases"], jax_run["expected"]
    assert child.returncode == 0, child.stderr
    results = np.load(jax_run["folder"] / "results.npz")
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


def test_lm_train_with_jax_backend(jax_run):
    """Keras on JAX trains and scores; TensorFlow loads the bundle, same score."""
    import json

    from rnn_zoo.evaluation.language import bits_per_char
    from rnn_zoo.preprocessing.char_data import prepare_char_corpus
    from rnn_zoo.tasks.lm_bundle import load_lm_bundle

    folder, out = jax_run["folder"], jax_run["out"]
    assert jax_run["child"].returncode == 0, jax_run["child"].stderr
    stdout = (folder / "lm_train.stdout").read_text()
    stderr = (folder / "lm_train.stderr").read_text()
    assert (folder / "lm_train.code").read_text() == "0", stderr
    assert "Traceback" not in stderr
    assert stderr.count("validation bits/char: ") == 3  # baselines + 2 epochs
    config = json.loads((out / "config.json").read_text())["config"]
    # epoch 2 is the best: scored on JAX by the stepper built after epoch 1, so
    # the check below also shows that the stepper follows the trained weights
    assert config["backend"] == "jax" and config["epoch"] == 2
    printed = float(stdout.split("validation bits/char ")[1].split()[0])
    bundle = load_lm_bundle(out)  # here, on TensorFlow
    ids = prepare_char_corpus(jax_run["corpus"].read_text()).validation_ids
    score = bits_per_char(bundle.model, ids)
    assert abs(score - printed) <= 5e-4 + 1e-5  # printed with 3 decimals
    assert abs(score - config["validation_bits_per_char"]) < 1e-5
    assert score < config["baselines_bits_per_char"]["uniform"]  # it learned
