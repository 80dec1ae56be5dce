"""The NumPy reference cells' shared core: argument checks, cell math, forward passes.

Private. `rnn_zoo.reference` (one step at a time, the worked example) and
`rnn_zoo.reference.bptt` (backpropagation through time) both stand on this
module; the forward passes defined here are re-exported by
`rnn_zoo.reference`, whose docstring describes the weight layout.

NumPy only: importing this module never imports TensorFlow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from rnn_zoo._validation import check_one_of, check_type, error_message

__all__ = ["ACTIVATIONS", "ForwardResult", "rnn_forward", "lstm_forward", "gru_forward"]

#: SimpleRNN activations supported by :func:`rnn_step` / :func:`rnn_forward`.
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
_DTYPES = ("float64", "float32")
_N_GATES = {"rnn": 1, "lstm": 4, "gru": 3}
_CELL_TITLES = {"rnn": "a SimpleRNN", "lstm": "an LSTM", "gru": "a GRU"}


class ForwardResult(NamedTuple):
    """What a ``*_forward`` function returns.

    Attributes:
        h: All hidden states, ``(batch, timesteps, units)``; ``h[:, -1]`` is what a
            Keras layer with ``return_sequences=False`` returns.
        c: LSTM cell states ``(batch, timesteps, units)``; None for SimpleRNN/GRU.
        gates: Gate activations stacked over time, each ``(batch, timesteps,
            units)``: ``{"input", "forget", "candidate", "output"}`` for an LSTM,
            ``{"update", "reset", "candidate"}`` for a GRU, empty for a SimpleRNN.
    """

    h: np.ndarray
    c: np.ndarray | None
    gates: dict[str, np.ndarray]


# --------------------------------------------------------------------------- checks


def _numeric(value: Any, name: str, dtype: str) -> np.ndarray:
    """``value`` as a ``dtype`` array, or a TypeError naming ``name``."""
    try:
        return np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise TypeError(error_message(name, "an array of numbers", value)) from None


def _array(value: Any, name: str, dtype: str, layout: tuple[str, ...]) -> np.ndarray:
    """``value`` as a ``dtype`` array whose axes are named by ``layout``, else raise."""
    array = _numeric(value, name, dtype)
    if array.ndim != len(layout):
        allowed = f"a {len(layout)}-D array of shape ({', '.join(layout)})"
        raise ValueError(error_message(name, allowed, array))
    return array


def _sequence(x: Any, dtype: str) -> np.ndarray:
    """Check the ``x`` of a ``*_forward`` / ``*_backward`` function."""
    x = _array(x, "x", _dtype(dtype), ("batch", "timesteps", "features"))
    if x.shape[1] == 0:
        raise ValueError(error_message("x", "a sequence with at least 1 timestep", x))
    return x


def _state(
    value: Any, name: str, shape: tuple[int, ...], dtype: str, layout: str
) -> np.ndarray:
    """An initial state or upstream gradient of exactly ``shape`` (zeros if None)."""
    if value is None:
        return np.zeros(shape, dtype=dtype)
    array = _array(value, name, dtype, tuple(layout.split(", ")))
    if array.shape != shape:
        allowed = f"an array of shape {shape} = ({layout})"
        raise ValueError(error_message(name, allowed, array))
    return array


def _dtype(dtype: Any) -> str:
    return check_one_of(dtype, "dtype", _DTYPES)


def _shape(value: Any) -> tuple[int, ...] | str:
    return tuple(np.shape(value)) if np.ndim(value) or np.size(value) else "scalar"


def _weights_list(weights: Any) -> list[Any]:
    """Check that ``weights`` is ``[kernel, recurrent_kernel, bias]``."""
    allowed = (
        "a list of 3 arrays [kernel, recurrent_kernel, bias] as returned by "
        "`layer.get_weights()`"
    )
    check_type(weights, "weights", (list, tuple), allowed)
    if len(weights) != 3:
        remedy = {
            2: " Layers built with use_bias=False have no bias: append a zero bias",
            6: " For a Bidirectional layer pass `layer.forward_layer.get_weights()`",
        }.get(len(weights), "")
        shapes = [_shape(w) for w in weights]
        raise ValueError(
            f"`weights` must be {allowed}. Received: weights with {len(weights)} "
            f"arrays of shapes {shapes}.{remedy}"
        )
    return list(weights)


def _cell_weights(
    arrays: Sequence[Any],
    *,
    cell: str,
    n_features: int,
    dtype: str,
    name: str,
    reset_after: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Convert and shape-check ``(kernel, recurrent_kernel, bias)`` for ``cell``."""
    kernel, recurrent, bias = (
        _numeric(a, n, dtype)
        for a, n in zip(arrays, ("kernel", "recurrent_kernel", "bias"), strict=True)
    )
    gates = _N_GATES[cell]
    units = recurrent.shape[0] if recurrent.ndim else kernel.shape[-1] // gates
    bias_shape = (
        (2, gates * units) if cell == "gru" and reset_after else (gates * units,)
    )
    expected = [(n_features, gates * units), (units, gates * units), bias_shape]
    received = [kernel.shape, recurrent.shape, bias.shape]
    if received == expected and units > 0:
        return kernel, recurrent, bias
    remedy = ""
    if cell == "gru" and received[:2] == expected[:2]:
        if bias.shape == (gates * units,):
            remedy = ". These are weights of a GRU built with reset_after=False: "
            remedy += "pass reset_after=False"
        elif bias.shape == (2, gates * units):
            remedy = ". These are weights of a GRU built with reset_after=True "
            remedy += "(the Keras default): pass reset_after=True"
    elif kernel.ndim == 2 and kernel.shape[0] != n_features:
        remedy = (
            f". The kernel has {kernel.shape[0]} input rows but the input has "
            f"{n_features} features"
        )
    gru_bias = "(2, 3 * units) or (3 * units,) for reset_after=False"
    raise ValueError(
        f"{name} must have shapes {expected} for {_CELL_TITLES[cell]} with "
        f"{n_features} input features and {units} units (kernel (features, "
        f"{gates} * units), recurrent_kernel (units, {gates} * units), bias "
        f"{gru_bias if cell == 'gru' else f'({gates} * units,)'}). "
        f"Received: shapes {received}{remedy}"
    )


def _step_inputs(
    x_t: Any, h_prev: Any, arrays: Sequence[Any], *, cell: str, dtype: str, **kw: Any
) -> tuple[np.ndarray, ...]:
    """Check the arguments of a ``*_step`` function."""
    dtype = _dtype(dtype)
    x_t = _array(x_t, "x_t", dtype, ("batch", "features"))
    names = "`kernel`, `recurrent_kernel` and `bias`"
    weights = _cell_weights(
        arrays, cell=cell, n_features=x_t.shape[1], dtype=dtype, name=names, **kw
    )
    shape = (x_t.shape[0], weights[1].shape[0])
    h_prev = _state(h_prev, "h_prev", shape, dtype, "batch, units")
    return (x_t, h_prev, *weights)


def _forward_inputs(
    x: Any, weights: Any, h0: Any, *, cell: str, dtype: str, **kw: Any
) -> tuple[np.ndarray, ...]:
    """Check the arguments of a ``*_forward`` / ``*_backward`` function."""
    x = _sequence(x, dtype)
    arrays = _cell_weights(
        _weights_list(weights),
        cell=cell,
        n_features=x.shape[2],
        dtype=dtype,
        name="`weights`",
        **kw,
    )
    h0 = _state(h0, "h0", (x.shape[0], arrays[1].shape[0]), dtype, "batch, units")
    return (x, *arrays, h0)


# --------------------------------------------------------------------------- cells


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # Equal to 1 / (1 + exp(-z)), without overflow warnings for large |z|.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


_ACTIVATION_FNS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": _sigmoid,
    "linear": lambda z: z,
}


def _rnn_cell(x_t, h_prev, kernel, recurrent, bias, activation):
    return _ACTIVATION_FNS[activation](x_t @ kernel + h_prev @ recurrent + bias)


def _lstm_cell(x_t, h_prev, c_prev, kernel, recurrent, bias):
    z = x_t @ kernel + h_prev @ recurrent + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    gates = {
        "input": _sigmoid(z_i),
        "forget": _sigmoid(z_f),
        "candidate": np.tanh(z_c),
        "output": _sigmoid(z_o),
    }
    c = gates["forget"] * c_prev + gates["input"] * gates["candidate"]
    return gates["output"] * np.tanh(c), c, gates


def _gru_cell(x_t, h_prev, kernel, recurrent, bias, reset_after):
    units = recurrent.shape[0]
    if reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, np.zeros_like(bias)
    x_z, x_r, x_h = np.split(x_t @ kernel + input_bias, 3, axis=-1)
    inner = h_prev @ recurrent[:, : 2 * units] + recurrent_bias[: 2 * units]
    update = _sigmoid(x_z + inner[:, :units])
    reset = _sigmoid(x_r + inner[:, units:])
    if reset_after:
        recurrent_h = reset * (
            h_prev @ recurrent[:, 2 * units :] + recurrent_bias[2 * units :]
        )
    else:
        recurrent_h = (reset * h_prev) @ recurrent[:, 2 * units :]
    candidate = np.tanh(x_h + recurrent_h)
    h = update * h_prev + (1.0 - update) * candidate
    return h, {"update": update, "reset": reset, "candidate": candidate}


def _stack(steps: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {key: np.stack([s[key] for s in steps], axis=1) for key in steps[0]}


# --------------------------------------------------------------------------- sequences


def rnn_forward(x, weights, *, h0=None, activation="tanh", dtype="float64"):
    """Run a SimpleRNN over whole sequences, like ``SimpleRNN(return_sequences=True)``.

    Args:
        x: Inputs, ``(batch, timesteps, features)``.
        weights: ``[kernel (features, units), recurrent_kernel (units, units),
            bias (units,)]``, as ``layer.get_weights()`` returns them.
        h0: Initial hidden state ``(batch, units)``; None (default) for zeros.
        activation: One of ``"tanh"`` (default), ``"relu"``, ``"sigmoid"``,
            ``"linear"``; must match the layer's.
        dtype: ``"float64"`` (default) or ``"float32"``, the precision computed in.

    Returns:
        A :class:`ForwardResult` with ``h`` ``(batch, timesteps, units)``,
        ``c=None`` and empty ``gates``.

    Raises:
        ValueError: If ``x`` is not 3-D or has no timesteps, ``weights`` is not 3
            arrays of matching shapes, ``h0`` has the wrong shape, or
            ``activation``/``dtype`` is unknown.
        TypeError: If ``weights`` is not a list or an array is not numeric.

    Example:
        A linear RNN with unit weights adds up its inputs (a running sum):

        >>> x = np.array([[[1.0], [2.0], [3.0], [4.0]]])  # (1, 4, 1)
        >>> weights = [np.ones((1, 1)), np.ones((1, 1)), np.zeros(1)]
        >>> result = rnn_forward(x, weights, activation="linear")
        >>> result.h.shape
        (1, 4, 1)
        >>> result.h[0, :, 0]
        array([ 1.,  3.,  6., 10.])
    """
    check_one_of(activation, "activation", ACTIVATIONS)
    x, *arrays, h = _forward_inputs(x, weights, h0, cell="rnn", dtype=dtype)
    states = []
    for t in range(x.shape[1]):
        h = _rnn_cell(x[:, t], h, *arrays, activation)
        states.append(h)
    return ForwardResult(np.stack(states, axis=1), None, {})


def lstm_forward(x, weights, *, h0=None, c0=None, dtype="float64"):
    """Run an LSTM over whole sequences, like ``LSTM(return_sequences=True)``.

    See :func:`lstm_step` for the equations and the gate order.

    Args:
        x: Inputs, ``(batch, timesteps, features)``.
        weights: ``[kernel (features, 4 * units), recurrent_kernel (units,
            4 * units), bias (4 * units,)]``, as ``layer.get_weights()`` returns.
        h0: Initial hidden state ``(batch, units)``; None (default) for zeros.
        c0: Initial cell state ``(batch, units)``; None (default) for zeros.
        dtype: ``"float64"`` (default) or ``"float32"``, the precision computed in.

    Returns:
        A :class:`ForwardResult` with ``h`` and ``c`` ``(batch, timesteps, units)``
        and ``gates`` ``{"input", "forget", "candidate", "output"}``, each
        ``(batch, timesteps, units)``.

    Raises:
        ValueError: If ``x`` is not 3-D or has no timesteps, ``weights`` is not 3
            arrays of matching shapes, or ``h0``/``c0`` has the wrong shape.
        TypeError: If ``weights`` is not a list or an array is not numeric.

    Example:
        With all-zero weights every sigmoid gate is 0.5 and the candidate is 0:

        >>> x = np.ones((2, 5, 3))
        >>> weights = [np.zeros((3, 16)), np.zeros((4, 16)), np.zeros(16)]
        >>> result = lstm_forward(x, weights)
        >>> result.h.shape, result.c.shape, result.gates["forget"].shape
        ((2, 5, 4), (2, 5, 4), (2, 5, 4))
        >>> result.gates["forget"][0, 0], result.gates["candidate"][0, 0]
        (array([0.5, 0.5, 0.5, 0.5]), array([0., 0., 0., 0.]))
        >>> lstm_forward(x, weights, c0=np.ones((2, 4))).c[0, :, 0]  # halves
        array([0.5    , 0.25   , 0.125  , 0.0625 , 0.03125])
    """
    x, *arrays, h = _forward_inputs(x, weights, h0, cell="lstm", dtype=dtype)
    c = _state(c0, "c0", h.shape, dtype, "batch, units")
    hs, cs, steps = [], [], []
    for t in range(x.shape[1]):
        h, c, gates = _lstm_cell(x[:, t], h, c, *arrays)
        hs.append(h)
        cs.append(c)
        steps.append(gates)
    return ForwardResult(np.stack(hs, axis=1), np.stack(cs, axis=1), _stack(steps))


def gru_forward(x, weights, *, h0=None, reset_after=True, dtype="float64"):
    """Run a GRU over whole sequences, like ``GRU(return_sequences=True)``.

    See :func:`gru_step` for the equations, the two ``reset_after`` variants and
    how Keras' update gate relates to the textbook one.

    Args:
        x: Inputs, ``(batch, timesteps, features)``.
        weights: ``[kernel (features, 3 * units), recurrent_kernel (units,
            3 * units), bias]`` as ``layer.get_weights()`` returns them; ``bias``
            is ``(2, 3 * units)`` with ``reset_after=True``, ``(3 * units,)``
            without.
        h0: Initial hidden state ``(batch, units)``; None (default) for zeros.
        reset_after: Must match the layer's ``reset_after`` (default True).
        dtype: ``"float64"`` (default) or ``"float32"``, the precision computed in.

    Returns:
        A :class:`ForwardResult` with ``h`` ``(batch, timesteps, units)``,
        ``c=None`` and ``gates`` ``{"update", "reset", "candidate"}``, each
        ``(batch, timesteps, units)``.

    Raises:
        ValueError: If ``x`` is not 3-D or has no timesteps, ``weights`` is not 3
            arrays of matching shapes (a bias from the other ``reset_after``
            setting included), or ``h0`` has the wrong shape.
        TypeError: If ``weights`` is not a list, an array is not numeric or
            ``reset_after`` is not a bool.

    Example:
        With all-zero weights ``h_t = 0.5 * h_{t-1}``:

        >>> x = np.ones((1, 3, 2))
        >>> weights = [np.zeros((2, 3)), np.zeros((1, 3)), np.zeros((2, 3))]
        >>> gru_forward(x, weights, h0=np.array([[8.0]])).h[0, :, 0]
        array([4., 2., 1.])
        >>> weights[2] = np.zeros(3)  # as a reset_after=False layer stores it
        >>> gru_forward(x, weights, h0=np.array([[8.0]]), reset_after=False).h.shape
        (1, 3, 1)
    """
    check_type(reset_after, "reset_after", bool, "a bool")
    x, *arrays, h = _forward_inputs(
        x, weights, h0, cell="gru", dtype=dtype, reset_after=reset_after
    )
    hs, steps = [], []
    for t in range(x.shape[1]):
        h, gates = _gru_cell(x[:, t], h, *arrays, reset_after)
        hs.append(h)
        steps.append(gates)
    return ForwardResult(np.stack(hs, axis=1), None, _stack(steps))
