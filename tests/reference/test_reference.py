"""NumPy reference cells and BPTT agree with Keras layers and tf.GradientTape."""

from __future__ import annotations

import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_zoo import reference as ref
from rnn_zoo.reference import bptt as reference_bptt

SIZES = [(2, 5, 3, 4), (1, 7, 2, 3), (3, 4, 5, 2)]  # (batch, timesteps, in, units)
TOL = {"rtol": 1e-5, "atol": 1e-5}

# id -> (Keras layer class, layer kwargs, reference kwargs, forward, backward, states)
CELLS = {
    "rnn-tanh": (keras.layers.SimpleRNN, {}, {}, ref.rnn_forward, ref.rnn_backward, 1),
    "rnn-relu": (
        keras.layers.SimpleRNN,
        {"activation": "relu"},
        {"activation": "relu"},
        ref.rnn_forward,
        ref.rnn_backward,
        1,
    ),
    "lstm": (keras.layers.LSTM, {}, {}, ref.lstm_forward, ref.lstm_backward, 2),
    "gru-after": (
        keras.layers.GRU,
        {"reset_after": True},
        {"reset_after": True},
        ref.gru_forward,
        ref.gru_backward,
        1,
    ),
    "gru-before": (
        keras.layers.GRU,
        {"reset_after": False},
        {"reset_after": False},
        ref.gru_forward,
        ref.gru_backward,
        1,
    ),
}
SIGMOID_GATES = {"input", "forget", "output", "update", "reset"}


def _random_cell(cell, size, rng):
    """A float64 Keras layer with random weights, inputs, initial states and dh."""
    layer_cls, layer_kw, ref_kw, forward, backward, n_states = CELLS[cell]
    batch, steps, n_in, units = size
    layer = layer_cls(units, return_sequences=True, dtype="float64", **layer_kw)
    layer.build((None, steps, n_in))
    layer.set_weights([rng.normal(size=w.shape) * 0.5 for w in layer.get_weights()])
    x = rng.normal(size=(batch, steps, n_in))
    states = [rng.normal(size=(batch, units)) * 0.5 for _ in range(n_states)]
    dh = rng.normal(size=(batch, steps, units))
    return layer, x, states, dh, ref_kw, forward, backward


def _state_kwargs(states):
    return dict(zip(("h0", "c0"), states, strict=False))


def _keras_forward_and_grads(layer, x, states, dh):
    """Keras' hidden states and tf.GradientTape grads of sum(dh * h)."""
    x_tf = tf.constant(x)
    states_tf = [tf.constant(s) for s in states]
    with tf.GradientTape() as tape:
        tape.watch([x_tf, *states_tf])
        h = layer(x_tf, initial_state=states_tf)
        loss = tf.reduce_sum(tf.constant(dh) * h)
    grads = tape.gradient(loss, [*layer.trainable_weights, x_tf, *states_tf])
    return h.numpy(), [g.numpy() for g in grads]


@pytest.mark.parametrize("cell", list(CELLS))
def test_forward_and_bptt_match_keras(cell, rng):
    for size in SIZES:  # one test per cell: each test pays a session reset
        layer, x, states, dh, ref_kw, forward, backward = _random_cell(cell, size, rng)
        h_keras, keras_grads = _keras_forward_and_grads(layer, x, states, dh)
        weights, state_kw = layer.get_weights(), _state_kwargs(states)

        result = forward(x, weights, **state_kw, **ref_kw)
        np.testing.assert_allclose(result.h, h_keras, **TOL, err_msg=str(size))
        grads = backward(x, weights, dh, **state_kw, **ref_kw)
        ours = [*grads.weights, grads.x, grads.h0]
        ours += [grads.c0] if cell == "lstm" else []
        assert [g.shape for g in ours] == [g.shape for g in keras_grads]
        for mine, theirs in zip(ours, keras_grads, strict=True):
            np.testing.assert_allclose(mine, theirs, **TOL, err_msg=str(size))
        assert (grads.c0 is None) == (cell != "lstm")
        _check_gates(cell, result)


def _check_gates(cell, result):
    """Gates are named per cell, stacked over time, sigmoids in [0, 1]."""
    expected = {
        "rnn": set(),
        "lstm": {"input", "forget", "candidate", "output"},
        "gru": {"update", "reset", "candidate"},
    }[cell.split("-")[0]]
    assert set(result.gates) == expected
    assert (result.c is not None) == (cell == "lstm")
    for name, gate in result.gates.items():
        assert gate.shape == result.h.shape
        low = 0.0 if name in SIGMOID_GATES else -1.0
        assert gate.min() >= low and gate.max() <= 1.0


@pytest.mark.parametrize("cell", ["rnn-tanh", "lstm"])
def test_dh_norms_are_the_total_gradient_at_each_step(cell, rng):
    """dL/dh_t = dh[:, t] + dL/dh0 of the rest of the sequence started from h_t."""
    layer, x, states, dh, ref_kw, forward, backward = _random_cell(cell, SIZES[0], rng)
    weights = layer.get_weights()
    result = forward(x, weights, **_state_kwargs(states), **ref_kw)
    norms = backward(x, weights, dh, **_state_kwargs(states), **ref_kw).dh_norms
    steps = x.shape[1]
    assert norms.shape == (steps,)
    assert norms[-1] == pytest.approx(np.linalg.norm(dh[:, -1]))
    for t in range(steps - 1):
        later = [result.h[:, t]] + ([result.c[:, t]] if result.c is not None else [])
        rest = backward(x[:, t + 1 :], weights, dh[:, t + 1 :], **_state_kwargs(later))
        assert norms[t] == pytest.approx(np.linalg.norm(dh[:, t] + rest.h0))


def test_vanishing_gradient_in_a_contracting_rnn():
    x = np.zeros((1, 6, 1))
    weights = [np.zeros((1, 1)), np.full((1, 1), 0.5), np.zeros(1)]
    dh = np.zeros((1, 6, 1))
    dh[0, -1, 0] = 1.0
    grads = ref.rnn_backward(x, weights, dh, activation="linear")
    np.testing.assert_allclose(grads.dh_norms, 0.5 ** np.arange(5, -1, -1))
    assert grads.h0[0, 0] == pytest.approx(0.5**6)


def test_steps_equal_first_step_of_forward(rng):
    x = rng.normal(size=(2, 5, 3))
    h0, c0 = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))

    def weights(gates, bias_shape):
        return [
            rng.normal(size=(3, gates * 4)) * 0.5,
            rng.normal(size=(4, gates * 4)) * 0.5,
            rng.normal(size=bias_shape) * 0.5,
        ]

    w = weights(1, (4,))
    h = ref.rnn_step(x[:, 0], h0, *w, activation="sigmoid")
    forward = ref.rnn_forward(x, w, h0=h0, activation="sigmoid")
    np.testing.assert_allclose(h, forward.h[:, 0], rtol=1e-12)

    w = weights(4, (16,))
    h, c, gates = ref.lstm_step(x[:, 0], h0, c0, *w)
    forward = ref.lstm_forward(x, w, h0=h0, c0=c0)
    np.testing.assert_allclose(h, forward.h[:, 0], rtol=1e-12)
    np.testing.assert_allclose(c, forward.c[:, 0], rtol=1e-12)
    for name, gate in gates.items():
        np.testing.assert_allclose(gate, forward.gates[name][:, 0], rtol=1e-12)

    for reset_after, bias_shape in [(True, (2, 12)), (False, (12,))]:
        w = weights(3, bias_shape)
        h, gates = ref.gru_step(x[:, 0], h0, *w, reset_after=reset_after)
        forward = ref.gru_forward(x, w, h0=h0, reset_after=reset_after)
        np.testing.assert_allclose(h, forward.h[:, 0], rtol=1e-12)
        assert set(gates) == {"update", "reset", "candidate"}


def test_gru_update_gate_follows_keras_convention():
    """Keras keeps z of the old state: a saturated z = 1 copies h_prev."""
    bias = np.zeros((2, 3))
    bias[0, 0] = 50.0  # update-gate bias: z = sigmoid(50) = 1
    h_prev = np.array([[0.3]])
    h, gates = ref.gru_step(
        np.ones((1, 2)), h_prev, np.ones((2, 3)), np.ones((1, 3)), bias
    )
    assert gates["update"][0, 0] == pytest.approx(1.0)
    np.testing.assert_allclose(h, h_prev)


def test_rnn_backward_matches_finite_differences(rng):
    for activation in ref.ACTIVATIONS:
        _check_finite_differences(activation, rng)


def _check_finite_differences(activation, rng):
    x, dh = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 2))
    weights = [rng.normal(size=s) * 0.5 for s in [(3, 2), (2, 2), (2,)]]
    h0 = rng.normal(size=(2, 2))
    grads = ref.rnn_backward(x, weights, dh, h0=h0, activation=activation)

    def loss(w, x_=x, h0_=h0):
        h = ref.rnn_forward(x_, w, h0=h0_, activation=activation).h
        return np.sum(dh * h)

    eps = 1e-6
    for i, grad in enumerate(grads.weights):
        for idx in np.ndindex(grad.shape):
            up = [w.copy() for w in weights]
            down = [w.copy() for w in weights]
            up[i][idx] += eps
            down[i][idx] -= eps
            numeric = (loss(up) - loss(down)) / (2 * eps)
            assert grad[idx] == pytest.approx(numeric, rel=1e-5, abs=1e-7)
    shift = np.zeros_like(h0)
    shift[1, 0] = eps
    numeric = (loss(weights, h0_=h0 + shift) - loss(weights, h0_=h0 - shift)) / (
        2 * eps
    )
    assert grads.h0[1, 0] == pytest.approx(numeric, rel=1e-5, abs=1e-7)


def test_simple_rnn_activations_exact():
    x_t, h_prev = np.array([[1.0, -3.0]]), np.zeros((1, 1))
    weights = ([[1.0], [1.0]], [[0.0]], [0.0])  # pre-activation -2
    expected = {"tanh": np.tanh(-2.0), "relu": 0.0, "sigmoid": 1 / (1 + np.exp(2.0))}
    expected["linear"] = -2.0
    for activation, value in expected.items():
        h = ref.rnn_step(x_t, h_prev, *weights, activation=activation)
        assert h[0, 0] == pytest.approx(value, abs=1e-15)


def test_float32_dtype():
    x = np.ones((2, 3, 2))
    weights = [np.full((2, 8), 0.1), np.full((2, 8), 0.2), np.zeros(8)]
    low = ref.lstm_forward(x, weights, dtype="float32")
    high = ref.lstm_forward(x, weights)
    assert low.h.dtype == np.float32 and high.h.dtype == np.float64
    np.testing.assert_allclose(low.h, high.h, rtol=1e-6)
    grads = ref.lstm_backward(x, weights, np.ones((2, 3, 2)), dtype="float32")
    assert grads.kernel.dtype == np.float32


# --------------------------------------------------------------------------- example


def test_worked_example_by_hand():
    ex = ref.worked_lstm_example()
    assert ex.x.shape == (1, 1, 2)
    assert [w.shape for w in ex.weights] == [(2, 12), (3, 12), (12,)]
    np.testing.assert_array_equal(ex.recurrent_kernel, 0.0)
    x = ex.x[0, 0]
    pre = x @ ex.kernel + ex.bias
    # forget row 1: 0.1 * 0.5 - 0.3 * 1.0 + 0.2 = -0.05, and so on.
    np.testing.assert_allclose(pre[3:6], [-0.05, 0.4, -0.15], atol=1e-12)
    np.testing.assert_allclose(pre[0:3], [0.1, 0.3, 0.45], atol=1e-12)  # input
    np.testing.assert_allclose(pre[6:9], [0.5, 0.05, -0.05], atol=1e-12)  # cand.
    np.testing.assert_allclose(pre[9:12], [-0.2, 0.35, 0.15], atol=1e-12)  # output

    zeros = np.zeros((1, 3))
    h, c, gates = ref.lstm_step(ex.x[:, 0], zeros, zeros, *ex.weights)

    def sigmoid(v):
        return 1.0 / (1.0 + np.exp(-np.array(v)))

    np.testing.assert_allclose(gates["forget"][0], sigmoid([-0.05, 0.4, -0.15]))
    np.testing.assert_allclose(gates["forget"][0], [0.4875, 0.5987, 0.4626], atol=5e-5)
    np.testing.assert_allclose(gates["input"][0], [0.5250, 0.5744, 0.6106], atol=5e-5)
    np.testing.assert_allclose(
        gates["candidate"][0], [0.4621, 0.0500, -0.0500], atol=5e-5
    )
    np.testing.assert_allclose(gates["output"][0], [0.4502, 0.5866, 0.5374], atol=5e-5)
    # c_0 = 0, so c_1 = i * c~ and h_1 = o * tanh(c_1).
    np.testing.assert_allclose(c[0], [0.2426, 0.0287, -0.0305], atol=5e-5)
    np.testing.assert_allclose(h[0], [0.1071, 0.0168, -0.0164], atol=5e-5)
    # The source article's sigmoid(0.05) = 0.38 is wrong:
    assert sigmoid(0.05) == pytest.approx(0.5125, abs=5e-5)


def test_worked_example_matches_keras_lstm():
    ex = ref.worked_lstm_example()
    layer = keras.layers.LSTM(3, return_sequences=True, dtype="float64")
    layer.build(ex.x.shape)
    layer.set_weights(ex.weights)
    result = ref.lstm_forward(ex.x, ex.weights)
    np.testing.assert_allclose(result.h, layer(ex.x).numpy(), **TOL)
    gates = ref.WORKED_LSTM_GATES
    np.testing.assert_array_equal(ex.kernel[:, 3:6], np.array(gates["forget"][0]).T)


# --------------------------------------------------------------------------- module


def test_backward_names_are_re_exported():
    for name in ("Gradients", "rnn_backward", "lstm_backward", "gru_backward"):
        assert getattr(ref, name) is getattr(reference_bptt, name)
        assert name in ref.__all__ and name in dir(ref)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ref.nope  # noqa: B018


@pytest.mark.slow  # a child process
def test_modules_do_not_import_tensorflow():
    code = (
        "import sys\n"
        "from rnn_zoo.reference.bptt import lstm_backward\n"
        "from rnn_zoo.reference import lstm_forward, gru_backward\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- errors

X = np.zeros((2, 5, 3))
LSTM_W = [np.zeros((3, 16)), np.zeros((4, 16)), np.zeros(16)]
GRU_AFTER_W = [np.zeros((3, 12)), np.zeros((4, 12)), np.zeros((2, 12))]
GRU_BEFORE_W = [np.zeros((3, 12)), np.zeros((4, 12)), np.zeros(12)]


def test_weights_count_and_type():
    with pytest.raises(ValueError, match=r"`weights` must be a list of 3 arrays.*2 "):
        ref.lstm_forward(X, LSTM_W[:2])
    with pytest.raises(ValueError, match="use_bias=False"):
        ref.rnn_forward(X, [np.zeros((3, 4)), np.zeros((4, 4))])
    with pytest.raises(ValueError, match="forward_layer"):
        ref.gru_forward(X, GRU_AFTER_W * 2)
    with pytest.raises(TypeError, match="`weights` must be a list of 3 arrays"):
        ref.lstm_forward(X, np.zeros(3))
    with pytest.raises(TypeError, match="`bias` must be an array of numbers"):
        ref.lstm_forward(X, [LSTM_W[0], LSTM_W[1], ["a"] * 16])


def test_kernel_not_matching_x_features():
    with pytest.raises(ValueError, match=r"`weights` must have shapes \[\(5, 16\)"):
        ref.lstm_forward(np.zeros((2, 5, 5)), LSTM_W)
    with pytest.raises(ValueError, match="kernel has 3 input rows but the input has 5"):
        ref.lstm_backward(np.zeros((2, 5, 5)), LSTM_W, np.zeros((2, 5, 4)))


def test_weights_of_another_cell():
    with pytest.raises(
        ValueError, match=r"for a GRU with 3 input features and 4 units"
    ):
        ref.gru_forward(X, LSTM_W)
    with pytest.raises(ValueError, match="for a SimpleRNN"):
        ref.rnn_forward(X, GRU_BEFORE_W)


def test_gru_bias_for_the_other_reset_after():
    with pytest.raises(ValueError, match="reset_after=False: pass reset_after=False"):
        ref.gru_forward(X, GRU_BEFORE_W)
    with pytest.raises(ValueError, match=r"reset_after=True \(the Keras default\)"):
        ref.gru_backward(X, GRU_AFTER_W, np.zeros((2, 5, 4)), reset_after=False)
    with pytest.raises(ValueError, match="reset_after=False: pass reset_after=False"):
        ref.gru_step(X[:, 0], np.zeros((2, 4)), *GRU_BEFORE_W)
    with pytest.raises(TypeError, match="`reset_after` must be a bool"):
        ref.gru_forward(X, GRU_AFTER_W, reset_after="yes")


def test_x_must_be_3d_numeric_with_steps():
    with pytest.raises(ValueError, match=r"`x` must be a 3-D array of shape \(batch, "):
        ref.lstm_forward(np.zeros((5, 3)), LSTM_W)
    with pytest.raises(ValueError, match="`x` must be a sequence with at least 1"):
        ref.lstm_forward(np.zeros((2, 0, 3)), LSTM_W)
    with pytest.raises(TypeError, match="`x` must be an array of numbers"):
        ref.lstm_forward([["a"]], LSTM_W)


def test_step_inputs_must_be_2d():
    with pytest.raises(
        ValueError, match=r"`x_t` must be a 2-D array of shape \(batch, "
    ):
        ref.lstm_step(np.zeros(3), np.zeros((1, 4)), np.zeros((1, 4)), *LSTM_W)
    with pytest.raises(
        ValueError, match="`kernel`, `recurrent_kernel` and `bias` must"
    ):
        ref.rnn_step(np.zeros((2, 2)), np.zeros((2, 4)), *LSTM_W)


def test_unknown_activation_and_dtype():
    w = [np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4)]
    with pytest.raises(ValueError, match="`activation` must be one of 'tanh'"):
        ref.rnn_forward(X, w, activation="softmax")
    with pytest.raises(ValueError, match="`activation` must be one of"):
        ref.rnn_step(X[:, 0], np.zeros((2, 4)), *w, activation="elu")
    with pytest.raises(ValueError, match="`dtype` must be one of 'float64', 'float32'"):
        ref.rnn_forward(X, w, dtype="float16")


def test_state_shapes():
    with pytest.raises(ValueError, match=r"`h0` must be an array of shape \(2, 4\)"):
        ref.lstm_forward(X, LSTM_W, h0=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"`c0` must be an array of shape \(2, 4\)"):
        ref.lstm_forward(X, LSTM_W, c0=np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"`h0` must be a 2-D array"):
        ref.gru_forward(X, GRU_AFTER_W, h0=np.zeros(4))
    with pytest.raises(
        ValueError, match=r"`h_prev` must be an array of shape \(2, 4\)"
    ):
        ref.gru_step(X[:, 0], np.zeros((1, 4)), *GRU_AFTER_W)
    with pytest.raises(ValueError, match="`c_prev` must be an array of shape"):
        ref.lstm_step(X[:, 0], np.zeros((2, 4)), np.zeros((2, 5)), *LSTM_W)
    with pytest.raises(ValueError, match="`c0` must be an array of shape"):
        ref.lstm_backward(X, LSTM_W, np.zeros((2, 5, 4)), c0=np.zeros((2, 5)))


def test_dh_shape_must_match_hidden_states():
    match = r"`dh` must be an array of shape \(2, 5, 4\) = \(batch, timesteps, units\)"
    with pytest.raises(ValueError, match=match):
        ref.lstm_backward(X, LSTM_W, np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match="`dh` must be a 3-D array"):
        ref.gru_backward(X, GRU_AFTER_W, np.zeros((2, 4)))
    w = [np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4)]
    with pytest.raises(ValueError, match="`dh` must be an array of shape"):
        ref.rnn_backward(X, w, np.zeros((2, 5, 3)))
