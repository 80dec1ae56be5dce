"""`_cell_steps` reproduces Keras' SimpleRNN/GRU/LSTM cells at inference."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_zoo.inference._cell_steps import cell_step, project_inputs, supported

CELLS = {
    "rnn": lambda: keras.layers.SimpleRNNCell(5),
    "rnn-relu-no-bias": lambda: keras.layers.SimpleRNNCell(
        5, activation="relu", use_bias=False
    ),
    "gru": lambda: keras.layers.GRUCell(5),
    "gru-reset-before": lambda: keras.layers.GRUCell(5, reset_after=False),
    "gru-no-bias": lambda: keras.layers.GRUCell(5, use_bias=False),
    "gru-hard-sigmoid": lambda: keras.layers.GRUCell(
        5, recurrent_activation="hard_sigmoid", activation="relu"
    ),
    "lstm": lambda: keras.layers.LSTMCell(5),
    "lstm-no-bias": lambda: keras.layers.LSTMCell(5, use_bias=False),
}


@pytest.mark.parametrize("name", list(CELLS))
def test_step_equals_the_keras_cell(name, rng):
    cell = CELLS[name]()
    cell.build((None, 3))
    for weight in cell.weights:  # non-trivial biases too
        weight.assign(rng.normal(0, 0.5, weight.shape).astype("float32"))
    inputs = tf.constant(rng.normal(size=(4, 3)).astype("float32"))
    states = [
        tf.constant(rng.normal(size=(4, 5)).astype("float32"))
        for _ in range(2 if isinstance(cell, keras.layers.LSTMCell) else 1)
    ]
    for _ in range(3):  # a few steps, carrying the state
        expected, expected_states = cell(inputs, states, training=False)
        output, new_states = cell_step(cell, project_inputs(cell, inputs), states)
        np.testing.assert_allclose(output, expected, atol=1e-5)
        assert len(new_states) == len(states)
        for got, want in zip(new_states, expected_states, strict=True):
            np.testing.assert_allclose(got, want, atol=1e-5)
        states = new_states
    assert supported(cell)


def test_subclasses_and_other_dtypes_are_not_supported():
    class MyGRUCell(keras.layers.GRUCell):
        pass

    assert not supported(MyGRUCell(3))
    assert not supported(keras.layers.GRUCell(3, dtype="mixed_float16"))
