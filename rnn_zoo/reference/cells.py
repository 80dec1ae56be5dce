"""NumPy reference cells: SimpleRNN, LSTM and GRU forward passes in Keras' layout.

These functions recompute, step by step and in plain NumPy, exactly what
``keras.layers.SimpleRNN``, ``LSTM`` and ``GRU`` compute (default activations), so a
notebook can open the box: print every gate, check a hand calculation, or compare
with a Keras layer to 1e-5. Backpropagation through time lives in
:mod:`rnn_zoo.reference.bptt` and is re-exported here (``rnn_backward``,
``lstm_backward``, ``gru_backward``, ``Gradients``).

Weights are taken as ``layer.get_weights()`` returns them, with ``units`` = u:

- SimpleRNN: ``[kernel (features, u), recurrent_kernel (u, u), bias (u,)]``;
  ``h_t = act(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)``.
- LSTM: ``[kernel (features, 4u), recurrent_kernel (u, 4u), bias (4u,)]``, column
  blocks in gate order input, forget, candidate, output:
  ``i, f, o = sigmoid(...)``, ``c~ = tanh(...)``, ``c_t = f * c_{t-1} + i * c~``,
  ``h_t = o * tanh(c_t)``.
- GRU: ``[kernel (features, 3u), recurrent_kernel (u, 3u), bias]``, column blocks in
  gate order update z, reset r, candidate; ``bias`` is ``(2, 3u)`` (row 0 input
  bias, row 1 recurrent bias) with ``reset_after=True`` (the Keras default) and
  ``(3u,)`` with ``reset_after=False``. See :func:`gru_step` for the equations and
  Keras' update-gate convention.

Shapes are ``(batch, timesteps, features)`` for sequences and ``(batch, features)``
for one step. Everything is computed in float64 by default (``dtype="float64"``),
so comparisons with Keras are limited by Keras' precision, not ours. This module
imports NumPy only: it works without TensorFlow.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rnn_zoo._validation import check_one_of, check_type
from rnn_zoo.reference._core import (
    ACTIVATIONS,
    ForwardResult,
    _gru_cell,
    _lstm_cell,
    _rnn_cell,
    _state,
    _step_inputs,
    gru_forward,
    lstm_forward,
    rnn_forward,
)
from rnn_zoo.reference.bptt import (
    Gradients,
    gru_backward,
    lstm_backward,
    rnn_backward,
)

__all__ = [
    "ACTIVATIONS",
    "WORKED_LSTM_GATES",
    "ForwardResult",
    "Gradients",
    "WorkedLSTMExample",
    "gru_backward",
    "gru_forward",
    "gru_step",
    "lstm_backward",
    "lstm_forward",
    "lstm_step",
    "rnn_backward",
    "rnn_forward",
    "rnn_step",
    "worked_lstm_example",
]

#: The worked LSTM example (input size 2, hidden size 3): per gate, ``(W, b)`` with
#: ``W`` of shape (units, inputs) = (3, 2) as written in textbooks. The Keras kernel
#: holds ``W.T`` for each gate, see :func:`worked_lstm_example`.
WORKED_LSTM_GATES: dict[str, tuple[tuple[tuple[float, ...], ...], tuple[float, ...]]]
WORKED_LSTM_GATES = {
    "input": (((-0.2, 0.3), (0.4, -0.1), (-0.3, 0.2)), (-0.1, 0.2, 0.4)),
    "forget": (((0.1, -0.3), (-0.2, 0.4), (0.5, -0.1)), (0.2, 0.1, -0.3)),
    "candidate": (((0.2, 0.1), (-0.3, 0.4), (0.1, -0.2)), (0.3, -0.2, 0.1)),
    "output": (((-0.4, 0.2), (0.3, -0.1), (0.1, 0.5)), (-0.2, 0.3, -0.4)),
}


class WorkedLSTMExample(NamedTuple):
    """The worked LSTM example in Keras' layout (see :func:`worked_lstm_example`)."""

    x: np.ndarray
    kernel: np.ndarray
    recurrent_kernel: np.ndarray
    bias: np.ndarray

    @property
    def weights(self) -> list[np.ndarray]:
        """``[kernel, recurrent_kernel, bias]``, ready for ``layer.set_weights``."""
        return [self.kernel, self.recurrent_kernel, self.bias]


# --------------------------------------------------------------------------- steps


def rnn_step(
    x_t, h_prev, kernel, recurrent_kernel, bias, *, activation="tanh", dtype="float64"
):
    """One SimpleRNN step: ``act(x_t @ kernel + h_prev @ recurrent_kernel + bias)``.

    Args:
        x_t: Inputs at this step, ``(batch, features)``.
        h_prev: Previous hidden state, ``(batch, units)``.
        kernel: Input weights, ``(features, units)``.
        recurrent_kernel: Recurrent weights, ``(units, units)``.
        bias: Bias, ``(units,)``.
        activation: One of ``"tanh"`` (the Keras default), ``"relu"``,
            ``"sigmoid"``, ``"linear"``.
        dtype: ``"float64"`` (default) or ``"float32"``, the precision computed in.

    Returns:
        The new hidden state ``h_t``, ``(batch, units)``.

    Raises:
        ValueError: If an array has the wrong number of dimensions or a shape that
            does not match the others, or ``activation``/``dtype`` is unknown.
        TypeError: If an array is not numeric.

    Example:
        >>> x_t, h_prev = np.array([[1.0, 2.0]]), np.array([[0.5]])
        >>> kernel, recurrent_kernel, bias = [[0.5], [0.25]], [[2.0]], [-1.0]
        >>> rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias, activation="linear")
        array([[1.]])
        >>> rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias).round(4)  # tanh(1)
        array([[0.7616]])
    """
    check_one_of(activation, "activation", ACTIVATIONS)
    arrays = (kernel, recurrent_kernel, bias)
    x_t, h_prev, *weights = _step_inputs(x_t, h_prev, arrays, cell="rnn", dtype=dtype)
    return _rnn_cell(x_t, h_prev, *weights, activation)


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, *, dtype="float64"):
    """One LSTM step, as ``keras.layers.LSTM`` computes it (default activations).

    With ``z = x_t @ kernel + h_prev @ recurrent_kernel + bias`` split into four
    blocks of ``units`` columns in Keras' gate order input, forget, candidate,
    output::

        i = sigmoid(z_i)    f = sigmoid(z_f)    c~ = tanh(z_c)    o = sigmoid(z_o)
        c_t = f * c_prev + i * c~
        h_t = o * tanh(c_t)

    Args:
        x_t: Inputs at this step, ``(batch, features)``.
        h_prev: Previous hidden state, ``(batch, units)``.
        c_prev: Previous cell state, ``(batch, units)``.
        kernel: Input weights, ``(features, 4 * units)``.
        recurrent_kernel: Recurrent weights, ``(units, 4 * units)``.
        bias: Bias, ``(4 * units,)``.
        dtype: ``"float64"`` (default) or ``"float32"``, the precision computed in.

    Returns:
        ``(h_t, c_t, gates)``: the new hidden and cell states ``(batch, units)`` and
        a dict of gate activations ``{"input", "forget", "candidate", "output"}``,
        each ``(batch, units)``.

    Raises:
        ValueError: If an array has the wrong number of dimensions or a shape that
            does not match the others.
        TypeError: If an array is not numeric.

    Example:
        The worked example (input size 2, hidden size 3, ``h_0 = c_0 = 0``):

        >>> ex = worked_lstm_example()
        >>> ex.kernel.shape, ex.x.shape
        ((2, 12), (1, 1, 2))
        >>> zeros = np.zeros((1, 3))
        >>> h, c, gates = lstm_step(ex.x[:, 0], zeros, zeros, *ex.weights)
        >>> pre_forget = ex.x[0, 0] @ ex.kernel[:, 3:6] + ex.bias[3:6]
        >>> pre_forget.round(4)  # 0.1*0.5 - 0.3*1.0 + 0.2 = -0.05, ...
        array([-0.05,  0.4 , -0.15])
        >>> for name, value in gates.items():
        ...     print(f"{name:9s}", value.round(4))
        input     [[0.525  0.5744 0.6106]]
        forget    [[0.4875 0.5987 0.4626]]
        candidate [[ 0.4621  0.05   -0.05  ]]
        output    [[0.4502 0.5866 0.5374]]
        >>> c.round(4), h.round(4)
        (array([[ 0.2426,  0.0287, -0.0305]]), array([[ 0.1071,  0.0168, -0.0164]]))
    """
    arrays = (kernel, recurrent_kernel, bias)
    x_t, h_prev, *weights = _step_inputs(x_t, h_prev, arrays, cell="lstm", dtype=dtype)
    c_prev = _state(c_prev, "c_prev", h_prev.shape, dtype, "batch, units")
    return _lstm_cell(x_t, h_prev, c_prev, *weights)


def gru_step(
    x_t, h_prev, kernel, recurrent_kernel, bias, *, reset_after=True, dtype="float64"
):
    """One GRU step, as ``keras.layers.GRU`` computes it (default activations).

    With column blocks in Keras' gate order update ``z``, reset ``r``, candidate
    ``h~``, and ``b_in``/``b_rec`` the two rows of ``bias``::

        z = sigmoid(x_t @ W_z + h_prev @ U_z + b_z)      (b_z = b_in_z + b_rec_z)
        r = sigmoid(x_t @ W_r + h_prev @ U_r + b_r)
        reset_after=True:   h~ = tanh(x_t @ W_h + b_in_h + r * (h_prev @ U_h + b_rec_h))
        reset_after=False:  h~ = tanh(x_t @ W_h + (r * h_prev) @ U_h + b_h)
        h_t = z * h_prev + (1 - z) * h~

    Keras' update gate ``z`` is the fraction of the *old* state kept. Cho et al.
    (2014) and most textbooks write ``h_t = (1 - z') * h_prev + z' * h~`` instead,
    where ``z'`` is the fraction of the *new* candidate taken. It is the same model
    relabelled: ``z' = 1 - z = sigmoid(-(...))``, i.e. the textbook update gate has
    the negated weights and bias of Keras' one. ``reset_after=False`` is the
    original GRU; ``reset_after=True`` (the Keras and cuDNN default) applies the
    reset gate after the recurrent matrix product and has a second bias.

    Args:
        x_t: Inputs at this step, ``(batch, features)``.
        h_prev: Previous hidden state, ``(batch, units)``.
        kernel: Input weights, ``(features, 3 * units)``.
        recurrent_kernel: Recurrent weights, ``(units, 3 * units)``.
        bias: ``(2, 3 * units)`` with ``reset_after=True``, ``(3 * units,)`` with
            ``reset_after=False`` (as ``layer.get_weights()[2]`` returns it).
        reset_after: Whether the reset gate is applied after the recurrent matrix
            product; must match the layer the weights come from. Default True.
        dtype: ``"float64"`` (default) or ``"float32"``, the precision computed in.

    Returns:
        ``(h_t, gates)``: the new hidden state ``(batch, units)`` and a dict of gate
        activations ``{"update", "reset", "candidate"}``, each ``(batch, units)``
        (``"update"`` is Keras' ``z``).

    Raises:
        ValueError: If an array has the wrong number of dimensions or a shape that
            does not match the others (in particular a bias that belongs to the
            other ``reset_after`` setting).
        TypeError: If an array is not numeric or ``reset_after`` is not a bool.

    Example:
        With all-zero weights both gates are ``sigmoid(0) = 0.5`` and the
        candidate is ``tanh(0) = 0``, so ``h_t = 0.5 * h_prev``:

        >>> x_t, h_prev = np.ones((1, 2)), np.array([[2.0]])
        >>> kernel, recurrent_kernel = np.zeros((2, 3)), np.zeros((1, 3))
        >>> h, gates = gru_step(x_t, h_prev, kernel, recurrent_kernel, np.zeros((2, 3)))
        >>> h, gates["update"], gates["candidate"]
        (array([[1.]]), array([[0.5]]), array([[0.]]))
        >>> h, _ = gru_step(x_t, h_prev, kernel, recurrent_kernel, np.zeros(3),
        ...                 reset_after=False)
        >>> h
        array([[1.]])
    """
    check_type(reset_after, "reset_after", bool, "a bool")
    x_t, h_prev, *weights = _step_inputs(
        x_t,
        h_prev,
        (kernel, recurrent_kernel, bias),
        cell="gru",
        dtype=dtype,
        reset_after=reset_after,
    )
    return _gru_cell(x_t, h_prev, *weights, reset_after)


# --------------------------------------------------------------------------- example


def worked_lstm_example() -> WorkedLSTMExample:
    """The one-step worked LSTM example, in Keras' layout.

    Input size 2, hidden size 3, ``x_1 = [0.5, 1.0]``, ``h_0 = c_0 = 0``, with the
    per-gate ``(W, b)`` of :data:`WORKED_LSTM_GATES`. The recurrent kernel is all
    zeros (it does not matter at the first step, since ``h_0 = 0``).

    Returns:
        A :class:`WorkedLSTMExample` ``(x, kernel, recurrent_kernel, bias)`` with
        ``x`` ``(1, 1, 2)`` (batch, timesteps, features), ``kernel`` ``(2, 12)``
        holding ``W.T`` for the gates input, forget, candidate, output (Keras'
        order), ``recurrent_kernel`` ``(3, 12)`` and ``bias`` ``(12,)``. Its
        ``weights`` property is the list for ``keras.layers.LSTM(3).set_weights``.

    Example:
        >>> ex = worked_lstm_example()
        >>> ex.x
        array([[[0.5, 1. ]]])
        >>> ex.kernel[:, 3:6]  # the forget gate's W, transposed
        array([[ 0.1, -0.2,  0.5],
               [-0.3,  0.4, -0.1]])
        >>> [w.shape for w in ex.weights]
        [(2, 12), (3, 12), (12,)]
    """
    order = ("input", "forget", "candidate", "output")
    kernel = np.concatenate(
        [np.array(WORKED_LSTM_GATES[g][0]).T for g in order], axis=1
    )
    bias = np.concatenate([np.array(WORKED_LSTM_GATES[g][1]) for g in order])
    x = np.array([[[0.5, 1.0]]])
    return WorkedLSTMExample(x, kernel, np.zeros((3, 12)), bias)
