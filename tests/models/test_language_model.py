"""Tests for build_char_lm: shapes, names, loss sanity, state carrying, errors."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from rnn_zoo.models.language_model import build_char_lm
from tests.models.builder_checks import assert_round_trip, predict, two_training_steps

CELLS = ("lstm", "gru", "rnn")
LOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


@pytest.mark.parametrize("cell", CELLS)
def test_char_lm_shape_and_names(cell, rng):
    tokens = rng.integers(1, 12, size=(2, 5))
    for num_layers in (1, 2):
        model = build_char_lm(
            12, embedding_dim=4, units=4, num_layers=num_layers, cell=cell, dropout=0.1
        )
        stack = []
        for i in range(num_layers):
            stack += [f"rnn_{i}", f"rnn_dropout_{i}"]
        assert [layer.name for layer in model.layers] == [
            "tokens",
            "embedding",
            *stack,
            "logits",
        ]
        assert model.input_shape == (None, None)
        assert not model.compiled
        assert predict(model, tokens).shape == (2, 5, 12)
        for i in range(num_layers):
            layer = model.get_layer(f"rnn_{i}")
            assert isinstance(layer, keras.layers.RNN)  # plain, not Bidirectional
            assert layer.return_sequences and not layer.return_state


def test_char_lm_fixed_shapes():
    model = build_char_lm(
        12, units=4, stateful=True, batch_size=2, sequence_length=5, cell="gru"
    )
    assert model.input_shape == (2, 5)
    assert model.output_shape == (2, 5, 12)
    assert model.get_layer("rnn_0").stateful is True


def test_fresh_model_loss_is_log_vocab_size(rng):
    vocab_size = 40
    tokens = rng.integers(1, vocab_size, size=(8, 20))
    targets = rng.integers(1, vocab_size, size=(8, 20))
    for cell in CELLS:
        model = build_char_lm(vocab_size, embedding_dim=16, units=32, cell=cell)
        loss = float(LOSS(targets, predict(model, tokens)))
        assert abs(loss - np.log(vocab_size)) < 0.1


@pytest.mark.parametrize("cell, num_layers", [("lstm", 2), ("gru", 1)])
def test_char_lm_training_step_and_round_trip(cell, num_layers, rng, tmp_path):
    model = build_char_lm(
        12, embedding_dim=4, units=4, num_layers=num_layers, cell=cell
    )
    text = rng.integers(1, 12, size=(2, 6))
    x, y = text[:, :-1], text[:, 1:]
    first, second = two_training_steps(model, x, y, LOSS)
    assert np.isfinite(first) and second < first
    assert_round_trip(model, x, tmp_path)


def test_stateful_model_carries_state_between_batches(rng):
    stateless = build_char_lm(12, embedding_dim=4, units=4, num_layers=2)
    stateful = build_char_lm(
        12, embedding_dim=4, units=4, num_layers=2, stateful=True, batch_size=2
    )
    stateful.set_weights(stateless.get_weights())
    text = rng.integers(1, 12, size=(2, 6))
    whole = predict(stateless, text)
    halves = [predict(stateful, text[:, :3]), predict(stateful, text[:, 3:])]
    np.testing.assert_allclose(np.concatenate(halves, axis=1), whole, atol=1e-6)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_layers_rebuild_into_one_step_generator(cell, rng):
    """The module docstring's recipe: reuse the named layers, one token at a time."""
    model = build_char_lm(12, embedding_dim=4, units=4, num_layers=2, cell=cell)
    text = rng.integers(1, 12, size=(2, 5))
    embedding, logits = model.get_layer("embedding"), model.get_layer("logits")
    steppers = []
    for i in range(2):
        layer = model.get_layer(f"rnn_{i}")
        step = type(layer).from_config({**layer.get_config(), "return_state": True})
        step.build((None, None, layer.input.shape[-1]))
        step.set_weights(layer.get_weights())
        steppers.append(step)

    states = [None, None]
    outputs = []
    for t in range(text.shape[1]):
        x = embedding(text[:, t : t + 1])
        for i, step in enumerate(steppers):
            x, *states[i] = step(x, initial_state=states[i])
        outputs.append(keras.ops.convert_to_numpy(logits(x)))
    np.testing.assert_allclose(
        np.concatenate(outputs, axis=1), predict(model, text), atol=1e-5
    )


@pytest.mark.parametrize("mask_zero", [True, False])
def test_mask_zero_ignores_padding(rng, mask_zero):
    # Padding goes BEFORE the text: a causal model's outputs on the text then
    # depend on the padding unless it is masked (padding after the text could
    # never reach them, so it would pass with mask_zero=False too).
    model = build_char_lm(
        12, embedding_dim=4, units=4, num_layers=2, mask_zero=mask_zero
    )
    text = rng.integers(1, 12, size=(2, 3))
    padded = np.concatenate([np.zeros((2, 2), dtype=text.dtype), text], axis=1)
    gap = np.abs(predict(model, padded)[:, 2:] - predict(model, text)).max()
    if mask_zero:
        assert gap < 1e-6
    else:  # negative control: unmasked padding changes the outputs
        assert gap > 1e-4


def test_char_lm_rejects_bad_arguments():
    cases = [
        ((2,), {}, "`vocab_size` must be an integer >= 3. Received: vocab_size=2"),
        ((0,), {}, "`vocab_size` must be an integer >= 3"),
        ((12,), {"stateful": True}, "`batch_size` must be a positive integer when"),
        ((12,), {"batch_size": 0}, "`batch_size` must be a positive integer or None"),
        ((12,), {"sequence_length": 0}, "`sequence_length` must be a positive"),
        ((12,), {"embedding_dim": 0}, "`embedding_dim` must be a positive integer"),
        ((12,), {"units": 0}, "`units` must be a positive integer"),
        ((12,), {"num_layers": 0}, "`num_layers` must be a positive integer"),
        ((12,), {"dropout": 1.0}, r"`dropout` must be a number in \[0.0, 1.0\)"),
        ((12,), {"cell": "lstmm"}, "`cell` must be one of 'lstm', 'gru', 'rnn'"),
        ((12,), {"kernel_initializer": "nope"}, "`kernel_initializer` must be"),
    ]
    for args, kwargs, match in cases:
        with pytest.raises(ValueError, match=match):
            build_char_lm(*args, **kwargs)
    with pytest.raises(TypeError, match="`vocab_size` must be an integer >= 3"):
        build_char_lm(30.0)
    with pytest.raises(TypeError, match="`stateful` must be a bool"):
        build_char_lm(12, stateful="yes", batch_size=2)
    # A causal language model has no bidirectional option.
    with pytest.raises(TypeError, match="bidirectional"):
        build_char_lm(12, bidirectional=True)
