"""Backpropagation through time (BPTT) for the NumPy reference cells.

Each ``*_backward`` function reruns the matching forward pass of
:mod:`rnn_zoo.reference` and walks the sequence backwards, given the
upstream gradient ``dh = dL/dh_t`` of a loss with respect to every hidden state
(``(batch, timesteps, units)``; for ``L = sum(dh * h)`` it is exactly ``dh``, and
for a loss on the last state only it is zero except at ``t = T - 1``). They return
the gradients of the loss with respect to the weights (in Keras' layout), the
inputs and the initial states, equal to what ``tf.GradientTape`` gives for the
matching Keras layer, plus the norm of the total ``dL/dh_t`` at each step: the
curve that shows vanishing or exploding gradients.

Everything here is NumPy: importing this module never imports TensorFlow. The
forward passes and checks it reruns come from the private
``rnn_zoo.reference._core``, which :mod:`rnn_zoo.reference` stands on
too; the names here are re-exported by :mod:`rnn_zoo.reference`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rnn_zoo._validation import check_one_of, check_type
from rnn_zoo.reference._core import (
    ACTIVATIONS,
    _forward_inputs,
    _state,
    gru_forward,
    lstm_forward,
    rnn_forward,
)

__all__ = ["Gradients", "gru_backward", "lstm_backward", "rnn_backward"]


class Gradients(NamedTuple):
    """What a ``*_backward`` function returns: gradients of the loss.

    Attributes:
        kernel: ``dL/dkernel``, the kernel's shape.
        recurrent_kernel: ``dL/drecurrent_kernel``, the recurrent kernel's shape.
        bias: ``dL/dbias``, the bias' shape.
        x: ``dL/dx``, ``(batch, timesteps, features)``.
        h0: ``dL/dh0``, ``(batch, units)``.
        c0: ``dL/dc0`` ``(batch, units)`` for an LSTM, None otherwise.
        dh_norms: ``(timesteps,)``, the L2 norm (over batch and units) of the total
            gradient ``dL/dh_t`` at each step, i.e. ``dh[:, t]`` plus what flows
            back from later steps.
    """

    kernel: np.ndarray
    recurrent_kernel: np.ndarray
    bias: np.ndarray
    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray | None
    dh_norms: np.ndarray

    @property
    def weights(self) -> list[np.ndarray]:
        """``[kernel, recurrent_kernel, bias]``, in the order of ``get_weights()``."""
        return [self.kernel, self.recurrent_kernel, self.bias]


def _outer(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``sum_t a[:, t].T @ b[:, t]``: a weight gradient summed over batch and time."""
    return np.einsum("bti,btj->ij", a, b)


def _gradients(x, dz_in, kernel, d_recurrent, d_bias, dh0, norms, dc0=None):
    """Assemble :class:`Gradients` from the input-side pre-activation gradients.

    ``dz_in`` ``(batch, timesteps, gates * units)`` is ``dL/d(x_t @ kernel)`` at
    every step; it gives the kernel and input gradients.
    """
    return Gradients(
        kernel=_outer(x, dz_in),
        recurrent_kernel=d_recurrent,
        bias=d_bias,
        x=dz_in @ kernel.T,
        h0=dh0,
        c0=dc0,
        dh_norms=norms,
    )


def _upstream(dh, h: np.ndarray, dtype: str) -> np.ndarray:
    """Check ``dh`` against the hidden states ``h``."""
    return _state(dh, "dh", h.shape, dtype, "batch, timesteps, units")


def _previous(h0: np.ndarray, states: np.ndarray) -> np.ndarray:
    """``states[:, t - 1]`` for every ``t``, with ``h0`` at ``t = 0``."""
    return np.concatenate([h0[:, None], states[:, :-1]], axis=1)


def _derivative(activation: str, h: np.ndarray) -> np.ndarray:
    """``act'(a)`` written in terms of the activation's output ``h = act(a)``."""
    if activation == "tanh":
        return 1.0 - h**2
    if activation == "sigmoid":
        return h * (1.0 - h)
    if activation == "relu":
        return (h > 0).astype(h.dtype)
    return np.ones_like(h)


def rnn_backward(x, weights, dh, *, h0=None, activation="tanh", dtype="float64"):
    """Gradients of a SimpleRNN by backpropagation through time.

    With ``a_t = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias`` and
    ``h_t = act(a_t)``, going back from ``t = T - 1``::

        g_t  = dh[:, t] + da_{t+1} @ recurrent_kernel.T    (the total dL/dh_t)
        da_t = g_t * act'(a_t)
        dL/dkernel += x_t.T @ da_t    dL/drecurrent_kernel += h_{t-1}.T @ da_t

    The repeated multiplication by ``recurrent_kernel.T`` (and by ``act'``, at
    most 1 for tanh) is why the gradient vanishes or explodes over long
    sequences.

    Args:
        x: Inputs, ``(batch, timesteps, features)``.
        weights: ``[kernel, recurrent_kernel, bias]`` as for :func:`rnn_forward`.
        dh: Upstream gradient ``dL/dh_t`` for every step, ``(batch, timesteps,
            units)``.
        h0: Initial hidden state ``(batch, units)``; None (default) for zeros.
        activation: One of ``"tanh"`` (default), ``"relu"``, ``"sigmoid"``,
            ``"linear"``; must match the layer's.
        dtype: ``"float64"`` (default) or ``"float32"``, the precision computed in.

    Returns:
        :class:`Gradients` (``c0=None``).

    Raises:
        ValueError: As :func:`rnn_forward`, or if ``dh`` does not have the shape of
            the hidden states.
        TypeError: As :func:`rnn_forward`.

    Example:
        A linear RNN with unit weights is a running sum, so with
        ``L = sum(h)`` the input ``x_s`` counts once for every ``t >= s``:

        >>> x = np.array([[[1.0], [2.0], [3.0], [4.0]]])
        >>> weights = [np.ones((1, 1)), np.ones((1, 1)), np.zeros(1)]
        >>> grads = rnn_backward(x, weights, np.ones((1, 4, 1)), activation="linear")
        >>> grads.x[0, :, 0], grads.dh_norms
        (array([4., 3., 2., 1.]), array([4., 3., 2., 1.]))
        >>> grads.kernel, grads.bias, grads.h0  # sum(x_t * g_t) = 4+6+6+4
        (array([[20.]]), array([10.]), array([[4.]]))
    """
    check_one_of(activation, "activation", ACTIVATIONS)
    x, kernel, recurrent, bias, h0 = _forward_inputs(
        x, weights, h0, cell="rnn", dtype=dtype
    )
    h = rnn_forward(x, weights, h0=h0, activation=activation, dtype=dtype).h
    dh = _upstream(dh, h, dtype)
    da = dh.copy()  # becomes da_t = g_t * act'(a_t), step by step
    norms = np.empty(x.shape[1], dtype=dtype)
    carry = np.zeros_like(h0)
    for t in reversed(range(x.shape[1])):
        g = dh[:, t] + carry
        norms[t] = np.linalg.norm(g)
        da[:, t] = g * _derivative(activation, h[:, t])
        carry = da[:, t] @ recurrent.T
    d_recurrent = _outer(_previous(h0, h), da)
    return _gradients(x, da, kernel, d_recurrent, da.sum(axis=(0, 1)), carry, norms)


def lstm_backward(x, weights, dh, *, h0=None, c0=None, dtype="float64"):
    """Gradients of an LSTM by backpropagation through time.

    Going back from ``t = T - 1`` with ``g_t`` the total ``dL/dh_t`` (``dh[:, t]``
    plus what flows back from step ``t + 1``), ``h_t = o * tanh(c_t)`` and
    ``c_t = f * c_{t-1} + i * c~`` give::

        dc_t = (dL/dc_t from step t + 1) + g_t * o * (1 - tanh(c_t)**2)
        do = g_t * tanh(c_t)    di = dc_t * c~    dc~ = dc_t * i    df = dc_t * c_{t-1}
        dL/dc_{t-1} = dc_t * f

    The cell state's own path back multiplies by the forget gate only (no weight
    matrix, no squashing derivative), which is why an LSTM with ``f`` near 1
    keeps gradients alive over many steps.

    Args:
        x: Inputs, ``(batch, timesteps, features)``.
        weights: ``[kernel, recurrent_kernel, bias]`` as for :func:`lstm_forward`.
        dh: Upstream gradient ``dL/dh_t`` for every step, ``(batch, timesteps,
            units)``.
        h0: Initial hidden state ``(batch, units)``; None (default) for zeros.
        c0: Initial cell state ``(batch, units)``; None (default) for zeros.
        dtype: ``"float64"`` (default) or ``"float32"``, the precision computed in.

    Returns:
        :class:`Gradients`, with ``c0 = dL/dc0``.

    Raises:
        ValueError: As :func:`lstm_forward`, or if ``dh`` does not have the shape
            of the hidden states.
        TypeError: As :func:`lstm_forward`.

    Example:
        >>> x = np.ones((2, 5, 3))
        >>> weights = [np.zeros((3, 16)), np.zeros((4, 16)), np.zeros(16)]
        >>> grads = lstm_backward(x, weights, np.ones((2, 5, 4)), c0=np.ones((2, 4)))
        >>> [g.shape for g in grads.weights], grads.x.shape, grads.c0.shape
        ([(3, 16), (4, 16), (16,)], (2, 5, 3), (2, 4))

        With zero weights the candidate is ``tanh(0) = 0``, and the input gate only
        multiplies the candidate, so the input gate's bias gets no gradient:

        >>> (grads.bias.reshape(4, 4)[:, 0] != 0).tolist()  # input, forget, c~, output
        [False, True, True, True]
    """
    x, kernel, recurrent, bias, h0 = _forward_inputs(
        x, weights, h0, cell="lstm", dtype=dtype
    )
    c0 = _state(c0, "c0", h0.shape, dtype, "batch, units")
    h, c, gates = lstm_forward(x, weights, h0=h0, c0=c0, dtype=dtype)
    dh = _upstream(dh, h, dtype)
    i, f, cand, o = (gates[k] for k in ("input", "forget", "candidate", "output"))
    tanh_c, c_prev = np.tanh(c), _previous(c0, c)
    dz = np.empty(h.shape[:2] + (4 * h.shape[2],), dtype=dtype)
    norms = np.empty(x.shape[1], dtype=dtype)
    carry_h, carry_c = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(x.shape[1])):
        g = dh[:, t] + carry_h
        norms[t] = np.linalg.norm(g)
        dc = carry_c + g * o[:, t] * (1.0 - tanh_c[:, t] ** 2)
        dz[:, t] = np.concatenate(
            [
                dc * cand[:, t] * i[:, t] * (1.0 - i[:, t]),
                dc * c_prev[:, t] * f[:, t] * (1.0 - f[:, t]),
                dc * i[:, t] * (1.0 - cand[:, t] ** 2),
                g * tanh_c[:, t] * o[:, t] * (1.0 - o[:, t]),
            ],
            axis=-1,
        )
        carry_h, carry_c = dz[:, t] @ recurrent.T, dc * f[:, t]
    d_recurrent = _outer(_previous(h0, h), dz)
    d_bias = dz.sum(axis=(0, 1))
    return _gradients(x, dz, kernel, d_recurrent, d_bias, carry_h, norms, carry_c)


def gru_backward(x, weights, dh, *, h0=None, reset_after=True, dtype="float64"):
    """Gradients of a GRU by backpropagation through time.

    Uses Keras' equations (see :func:`rnn_zoo.reference.gru_step`):
    ``h_t = z * h_{t-1} + (1 - z) * h~``, so ``h_{t-1}`` gets ``g_t * z`` directly
    (the GRU's "highway", like the LSTM's cell state) plus what flows back through
    the gates and the candidate.

    Args:
        x: Inputs, ``(batch, timesteps, features)``.
        weights: ``[kernel, recurrent_kernel, bias]`` as for :func:`gru_forward`.
        dh: Upstream gradient ``dL/dh_t`` for every step, ``(batch, timesteps,
            units)``.
        h0: Initial hidden state ``(batch, units)``; None (default) for zeros.
        reset_after: Must match the layer's ``reset_after`` (default True).
        dtype: ``"float64"`` (default) or ``"float32"``, the precision computed in.

    Returns:
        :class:`Gradients` (``c0=None``); ``bias`` is ``(2, 3 * units)`` with
        ``reset_after=True``, ``(3 * units,)`` without, like the weights.

    Raises:
        ValueError: As :func:`gru_forward`, or if ``dh`` does not have the shape of
            the hidden states.
        TypeError: As :func:`gru_forward`.

    Example:
        With all-zero weights ``h_t = h_{t-1} / 2``, so with ``L = sum(h)``,
        ``dL/dh0 = 1/2 + 1/4 + 1/8``:

        >>> x = np.ones((1, 3, 2))
        >>> weights = [np.zeros((2, 3)), np.zeros((1, 3)), np.zeros((2, 3))]
        >>> grads = gru_backward(x, weights, np.ones((1, 3, 1)), h0=np.ones((1, 1)))
        >>> grads.h0, grads.bias.shape
        (array([[0.875]]), (2, 3))
    """
    check_type(reset_after, "reset_after", bool, "a bool")
    x, kernel, recurrent, bias, h0 = _forward_inputs(
        x, weights, h0, cell="gru", dtype=dtype, reset_after=reset_after
    )
    h, _, gates = gru_forward(x, weights, h0=h0, reset_after=reset_after, dtype=dtype)
    dh = _upstream(dh, h, dtype)
    z, r, cand = gates["update"], gates["reset"], gates["candidate"]
    units = h.shape[2]
    u_zr, u_h = recurrent[:, : 2 * units], recurrent[:, 2 * units :]
    h_prev = _previous(h0, h)
    if reset_after:
        inner_h = h_prev @ u_h + bias[1, 2 * units :]  # what the reset gate scales
    dz_in = np.empty(h.shape[:2] + (3 * units,), dtype=dtype)
    dz_rec = np.empty_like(dz_in)
    norms = np.empty(x.shape[1], dtype=dtype)
    carry = np.zeros_like(h0)
    for t in reversed(range(x.shape[1])):
        g = dh[:, t] + carry
        norms[t] = np.linalg.norm(g)
        da_h = g * (1.0 - z[:, t]) * (1.0 - cand[:, t] ** 2)
        da_z = g * (h_prev[:, t] - cand[:, t]) * z[:, t] * (1.0 - z[:, t])
        if reset_after:
            da_r = da_h * inner_h[:, t] * r[:, t] * (1.0 - r[:, t])
            dz_rec[:, t] = np.concatenate([da_z, da_r, da_h * r[:, t]], axis=-1)
            carry = g * z[:, t] + dz_rec[:, t] @ recurrent.T
        else:
            d_reset_h = da_h @ u_h.T  # gradient w.r.t. r * h_{t-1}
            da_r = d_reset_h * h_prev[:, t] * r[:, t] * (1.0 - r[:, t])
            dz_rec[:, t, : 2 * units] = np.concatenate([da_z, da_r], axis=-1)
            carry = (
                g * z[:, t] + d_reset_h * r[:, t] + dz_rec[:, t, : 2 * units] @ u_zr.T
            )
        dz_in[:, t] = np.concatenate([da_z, da_r, da_h], axis=-1)
    d_bias = dz_in.sum(axis=(0, 1))
    if reset_after:
        d_recurrent = _outer(h_prev, dz_rec)
        d_bias = np.stack([d_bias, dz_rec.sum(axis=(0, 1))])
    else:
        d_recurrent = np.concatenate(
            [
                _outer(h_prev, dz_rec[..., : 2 * units]),
                _outer(r * h_prev, dz_in[..., 2 * units :]),
            ],
            axis=1,
        )
    return _gradients(x, dz_in, kernel, d_recurrent, d_bias, carry, norms)
