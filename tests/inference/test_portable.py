"""PortableStepper (any Keras backend) gives the model's and CharStepper's numbers."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_zoo.evaluation import language
from rnn_zoo.evaluation.language import bits_per_char
from rnn_zoo.inference.generation import CharStepper
from rnn_zoo.inference.portable import PortableStepper
from rnn_zoo.models import build_char_lm

VOCAB = 9


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_run_matches_the_model_and_char_stepper(cell, rng):
    model = build_char_lm(VOCAB, embedding_dim=4, units=[6, 5], cell=cell)
    tokens = rng.integers(1, VOCAB, size=(3, 11)).astype("int32")
    stepper = PortableStepper(model)
    assert stepper.state_sizes == ([6, 6, 5, 5] if cell == "lstm" else [6, 5])
    logits, states = stepper.run(tokens, stepper.initial_state(3))
    np.testing.assert_allclose(logits, model.predict_on_batch(tokens), atol=1e-5)
    fused = CharStepper(model)
    fused_logits, fused_states = fused.run(tf.constant(tokens), fused.initial_state(3))
    np.testing.assert_allclose(logits, fused_logits, atol=1e-5)
    for ours, theirs in zip(states, fused_states, strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
    # the state carried from one call to the next: two halves = one run
    first, carried = stepper.run(tokens[:, :4], stepper.initial_state(3))
    second, final = stepper.run(tokens[:, 4:], carried)
    np.testing.assert_allclose(np.concatenate([first, second], 1), logits, atol=1e-5)
    np.testing.assert_allclose(final[-1], states[-1], atol=1e-5)
    assert np.abs(logits).max() > 1e-3  # not a model of zeros


def test_it_follows_the_current_weights(rng):
    model = build_char_lm(VOCAB, embedding_dim=3, units=4)
    stepper = PortableStepper.for_model(model)
    tokens = rng.integers(1, VOCAB, size=(2, 5))
    before, _ = stepper.run(tokens, stepper.initial_state(2))
    model.set_weights([w + 0.5 for w in model.get_weights()])
    after, _ = stepper.run(tokens, stepper.initial_state(2))
    assert PortableStepper.for_model(model) is stepper
    np.testing.assert_allclose(after, model.predict_on_batch(tokens), atol=1e-5)
    assert np.abs(after - before).max() > 0.1


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_bits_per_char_on_another_backend_equals_tensorflow(cell, rng, monkeypatch):
    """The loop `bits_per_char` runs under JAX, here on TensorFlow's Keras."""
    model = build_char_lm(VOCAB, embedding_dim=4, units=8, num_layers=2, cell=cell)
    model.set_weights([rng.normal(0, 0.5, w.shape) for w in model.get_weights()])
    ids = rng.integers(0, VOCAB, 700)
    options = {"streams": 4, "warmup": 30, "chunk_length": 64}  # a padded last chunk
    expected = bits_per_char(model, ids, **options)
    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    calls = []
    monkeypatch.setattr(
        language, "_portable_nll", _counting(language._portable_nll, calls)
    )
    portable = bits_per_char(model, ids, **options)
    assert calls == [1]  # the portable loop ran
    assert abs(portable - expected) < 1e-5
    assert abs(expected - np.log2(VOCAB)) > 0.05  # weights that matter


def _counting(function, calls):
    def wrapper(*args, **kwargs):
        calls.append(1)
        return function(*args, **kwargs)

    return wrapper


def test_bad_inputs():
    stepper = PortableStepper(build_char_lm(VOCAB, units=3, cell="gru"))
    with pytest.raises(ValueError, match="`tokens` must be an int array"):
        stepper.run(np.array([1, 2]), stepper.initial_state(1))
    with pytest.raises(ValueError, match="`states` must be a list of 1 arrays"):
        stepper.run(np.array([[1, 2]]), [])
    with pytest.raises(ValueError, match="`batch_size` must be a positive integer"):
        stepper.initial_state(0)
    with pytest.raises(TypeError, match="`model` must be a keras.Model"):
        PortableStepper("model")
    plain = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="built by `build_char_lm`"):
        PortableStepper(plain)
