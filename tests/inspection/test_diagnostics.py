"""Gradient norms across time and gate activations, checked by hand and vs Keras."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from rnn_zoo.inspection.diagnostics import (
    gate_activations,
    gate_contrast,
    gradient_norms_by_lag,
    set_spectral_radius,
    spectral_radius,
)


def _linear_rnn(kernel, recurrent, timesteps=6):
    kernel, recurrent = np.asarray(kernel), np.asarray(recurrent)
    layer = keras.layers.SimpleRNN(recurrent.shape[0], activation="linear")
    layer(np.zeros((1, timesteps, kernel.shape[0]), "float32"))
    layer.set_weights([kernel, recurrent, np.zeros(recurrent.shape[0])])
    return layer


@pytest.mark.parametrize("rho", [0.5, 1.0, 1.5])
def test_linear_rnn_gradient_norm_is_rho_to_the_k(rho):
    # h_t = x_t W + h_{t-1} (rho I): d h_T / d x_{T-k} = rho^k W^T, ||.|| = rho^k ||W||
    kernel = np.array([[3.0, 4.0]])  # ||W|| = 5
    layer = _linear_rnn(kernel, rho * np.eye(2))
    x = np.random.default_rng(0).normal(size=(3, 6, 1))
    norms = gradient_norms_by_lag(layer, x)
    np.testing.assert_allclose(norms, 5.0 * rho ** np.arange(6), rtol=1e-5)


def test_rotation_keeps_the_norm_and_sequences_use_the_last_step():
    theta = 0.3
    rotation = np.array(
        [[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]]
    )
    layer = _linear_rnn(np.eye(2), rotation)
    layer.return_sequences = True  # y[:, -1] is taken from the sequence
    norms = gradient_norms_by_lag(layer, np.ones((2, 6, 2)))
    np.testing.assert_allclose(norms, np.sqrt(2.0), rtol=1e-5)  # ||R^k|| = ||I||


def test_tanh_saturation_shrinks_the_gradient():
    # tanh'(z) = 1 - tanh(z)^2: large inputs saturate the unit, so less flows back
    layer = keras.layers.SimpleRNN(1)
    x = np.zeros((1, 3, 1))
    layer(x)
    layer.set_weights([np.array([[1.0]]), np.array([[1.0]]), np.zeros(1)])
    small = gradient_norms_by_lag(layer, x)  # h stays 0: derivative 1 at every step
    np.testing.assert_allclose(small, [1.0, 1.0, 1.0], rtol=1e-6)
    big = gradient_norms_by_lag(layer, np.full((1, 3, 1), 3.0))
    assert np.all(big < 0.02)


def test_gradient_norm_bad_input():
    layer = keras.layers.SimpleRNN(2)
    with pytest.raises(ValueError, match="`x` must be a 3-D array"):
        gradient_norms_by_lag(layer, np.zeros((2, 3)))
    with pytest.raises(TypeError, match="`model` must be a Keras layer"):
        gradient_norms_by_lag("rnn", np.zeros((1, 2, 1)))
    with pytest.raises(TypeError, match="`x` must be an array of numbers"):
        gradient_norms_by_lag(layer, [["a"]])


def test_spectral_radius_and_rescaling():
    assert spectral_radius([[0.0, -2.0], [2.0, 0.0]]) == pytest.approx(2.0)  # ±2i
    layer = keras.layers.SimpleRNN(4)
    layer(np.zeros((1, 2, 3)))
    kernel_before = layer.get_weights()[0]
    before = set_spectral_radius(layer, 0.5)
    assert before == pytest.approx(1.0, abs=1e-5)  # Keras' orthogonal init
    kernel, recurrent, _ = layer.get_weights()
    assert spectral_radius(recurrent) == pytest.approx(0.5, abs=1e-5)
    np.testing.assert_array_equal(kernel, kernel_before)  # only the recurrent one


def test_spectral_radius_bad_input():
    with pytest.raises(ValueError, match="`matrix` must be a square 2-D array"):
        spectral_radius(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="`layer` must be a keras.layers.SimpleRNN"):
        set_spectral_radius(keras.layers.LSTM(2), 1.0)
    with pytest.raises(ValueError, match="`layer` must be built"):
        set_spectral_radius(keras.layers.SimpleRNN(2), 1.0)
    layer = keras.layers.SimpleRNN(2, recurrent_initializer="zeros")
    layer(np.zeros((1, 2, 1)))
    with pytest.raises(ValueError, match="`radius` must be a number > 0"):
        set_spectral_radius(layer, 0.0)
    with pytest.raises(ValueError, match="non-zero recurrent kernel"):
        set_spectral_radius(layer, 1.0)


def _keras_gates(layer, x, h):
    """Gates from Keras ops, fed with the hidden states Keras itself returned."""
    kernel, recurrent, bias = layer.get_weights()
    units = recurrent.shape[0]
    h_prev = np.concatenate([np.zeros_like(h[:, :1]), h[:, :-1]], axis=1)
    if isinstance(layer, keras.layers.LSTM):
        z = keras.ops.matmul(x, kernel) + keras.ops.matmul(h_prev, recurrent) + bias
        z = keras.ops.convert_to_numpy(z)
        names = ("input", "forget", "candidate", "output")
        blocks = np.split(z, 4, axis=-1)
        acts = [keras.ops.sigmoid, keras.ops.sigmoid, keras.ops.tanh, keras.ops.sigmoid]
        return {
            n: np.asarray(a(b)) for n, a, b in zip(names, acts, blocks, strict=True)
        }
    x_part = keras.ops.convert_to_numpy(keras.ops.matmul(x, kernel)) + bias[0]
    h_part = keras.ops.convert_to_numpy(keras.ops.matmul(h_prev, recurrent)) + bias[1]
    update = keras.ops.sigmoid(x_part[..., :units] + h_part[..., :units])
    reset = keras.ops.sigmoid(
        x_part[..., units : 2 * units] + h_part[..., units : 2 * units]
    )
    candidate = keras.ops.tanh(
        x_part[..., 2 * units :] + reset * h_part[..., 2 * units :]
    )
    return {
        "update": np.asarray(update),
        "reset": np.asarray(reset),
        "candidate": np.asarray(candidate),
    }


@pytest.mark.parametrize("layer_class", [keras.layers.LSTM, keras.layers.GRU])
def test_gates_equal_keras_internal_computation(layer_class):
    x = np.random.default_rng(1).normal(size=(2, 5, 3)).astype("float32")
    layer = layer_class(4, return_sequences=True)
    h_keras = np.asarray(layer(x))
    result = gate_activations(layer, x)
    np.testing.assert_allclose(result.h, h_keras, atol=1e-5)
    for name, expected in _keras_gates(layer, x, h_keras).items():
        np.testing.assert_allclose(
            result.gates[name], expected, atol=1e-5, err_msg=name
        )


def test_gates_of_a_layer_inside_a_model():
    inputs = keras.Input((4, 2))
    hidden = keras.layers.LSTM(3, name="rnn_0")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
    x = np.ones((1, 4, 2), "float32")
    result = gate_activations(model.get_layer("rnn_0"), x)
    np.testing.assert_allclose(
        result.h[:, -1], np.asarray(model.get_layer("rnn_0")(x)), atol=1e-5
    )
    assert result.c.shape == (1, 4, 3)


def test_gate_activations_bad_input():
    with pytest.raises(TypeError, match="`layer` must be a keras.layers.LSTM"):
        gate_activations(keras.layers.SimpleRNN(2), np.zeros((1, 2, 1)))
    with pytest.raises(ValueError, match="`layer` must be built"):
        gate_activations(keras.layers.GRU(2), np.zeros((1, 2, 1)))
    relu = keras.layers.LSTM(2, activation="relu")
    relu(np.zeros((1, 2, 1)))
    with pytest.raises(ValueError, match="default activation='tanh'"):
        gate_activations(relu, np.zeros((1, 2, 1)))
    layer = keras.layers.LSTM(2)
    layer(np.zeros((1, 2, 1)))
    with pytest.raises(ValueError, match="input features"):
        gate_activations(layer, np.zeros((1, 2, 5)))


def test_gate_contrast_by_hand():
    gate = np.array([[[0.1, 1.0], [0.9, 0.0], [0.3, 0.5]]])  # (1, 3, 2)
    at, elsewhere = gate_contrast({"input": gate}, [1])["input"]
    np.testing.assert_allclose(at, [0.9, 0.0])
    np.testing.assert_allclose(elsewhere, [0.2, 0.75])
    at, elsewhere = gate_contrast({"input": gate}, [0, 1, 2])["input"]
    assert np.all(np.isnan(elsewhere))
    with pytest.raises(ValueError, match="`steps` must be an integer in \\[0, 2\\]"):
        gate_contrast({"input": gate}, [3])
    with pytest.raises(ValueError, match="`example` must be an integer <= 0"):
        gate_contrast({"input": gate}, [0], example=1)
    with pytest.raises(ValueError, match="`gates` must be arrays of shape"):
        gate_contrast({"input": gate[0]}, [0])
