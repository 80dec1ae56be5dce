"""Checks of assignment 01: SimpleRNN, LSTM and GRU steps in NumPy, Keras layout.

The student writes, with batch-first arrays and Keras' weight layout
(``kernel`` ``(features, k*units)``, ``recurrent_kernel`` ``(units, k*units)``,
gates packed along the last axis in Keras' order):

- ``rnn_step(x, h_prev, kernel, recurrent_kernel, bias) -> h``
- ``lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias) -> (h, c)``
  (gates ``i, f, c~, o``)
- ``gru_step(x, h_prev, kernel, recurrent_kernel, bias) -> h`` (Keras' default
  ``reset_after=True``: ``bias`` is ``(2, 3*units)``, gates ``z, r, h~``)
- ``rnn_step_backward(dh, x, h_prev, h, kernel, recurrent_kernel)
  -> (dx, dh_prev, dkernel, drecurrent_kernel, dbias)``
- ``parameter_count(cell, features, units) -> int``

Reference values come from `rnn_zoo.reference`, computed from the same
random inputs the check makes (never frozen arrays).
"""

from __future__ import annotations

import numpy as np

from rnn_zoo import reference
from rnn_zoo.classroom.checks import (
    CheckFailed,
    expect_close,
    expect_shape,
    register,
    tolerance,
)

ASSIGNMENT = "01_rnn_cells"
FEATURES, UNITS, BATCH = 3, 4, 2


def _inputs(gates: int, *, seed: int, batch: int = BATCH, dtype: str = "float64"):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, FEATURES)).astype(dtype)
    h = rng.normal(size=(batch, UNITS)).astype(dtype) * 0.5
    kernel = rng.normal(size=(FEATURES, gates * UNITS)).astype(dtype) * 0.5
    recurrent = rng.normal(size=(UNITS, gates * UNITS)).astype(dtype) * 0.5
    return x, h, kernel, recurrent


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _same(a, b) -> bool:
    return np.shape(a) == np.shape(b) and np.allclose(a, b, atol=1e-6)


# ----------------------------------------------------------------------- SimpleRNN

RNN_HINT = "h_next = tanh(x @ kernel + h_prev @ recurrent_kernel + bias)"


def _rnn_diagnose(step, x, h, kernel, recurrent, bias) -> None:
    """Locate a SimpleRNN mistake by isolating one term at a time."""
    z = x @ kernel + h @ recurrent + bias
    out = np.asarray(step(x, h, kernel, recurrent, bias), dtype="float64")
    if _same(out, _sigmoid(z)):
        raise CheckFailed(
            "h_next equals sigmoid of the pre-activation",
            hint="sigmoid where tanh belongs: SimpleRNN's activation is tanh",
            location="activation",
        )
    if _same(out, z):
        raise CheckFailed(
            "h_next equals the pre-activation", hint="apply tanh", location="activation"
        )
    zeros_x, zeros_h = np.zeros_like(x), np.zeros_like(h)
    only_bias = np.asarray(step(zeros_x, zeros_h, kernel, recurrent, bias))
    if not _same(only_bias, np.tanh(np.broadcast_to(bias, only_bias.shape))):
        raise CheckFailed(
            "with x = 0 and h_prev = 0, h_next should be tanh(bias)",
            hint="forgot the bias: add `bias` inside the tanh",
            location="bias term",
            observed=only_bias,
            expected=np.tanh(np.broadcast_to(bias, only_bias.shape)),
        )
    only_x = np.asarray(step(x, zeros_h, kernel, recurrent, bias))
    if not _same(only_x, np.tanh(x @ kernel + bias)):
        raise CheckFailed(
            "with h_prev = 0, h_next should be tanh(x @ kernel + bias)",
            hint="the input term is wrong: check x @ kernel (W has shape "
            "(features, units) in Keras)",
            location="input term",
        )
    no_bias = np.zeros_like(bias)
    only_h = np.asarray(step(zeros_x, h, kernel, recurrent, no_bias))
    if _same(only_h, np.zeros_like(only_h)):
        hint = "h_next ignores the recurrent term: check U @ h_prev"
    elif _same(only_h, np.tanh(h @ recurrent.T)):
        hint = "recurrent_kernel is transposed: use h_prev @ recurrent_kernel"
    else:
        hint = "the recurrent term is wrong: check h_prev @ recurrent_kernel"
    if not _same(only_h, np.tanh(h @ recurrent)):
        raise CheckFailed(
            "with x = 0 and bias = 0, h_next should be tanh(h_prev @ recurrent_kernel)",
            hint=hint,
            location="recurrent term",
        )


def _check_rnn(step, *, seed: int, batch: int, dtype: str) -> None:
    x, h, kernel, recurrent = _inputs(1, seed=seed, batch=batch, dtype=dtype)
    bias = np.random.default_rng(seed + 1).normal(size=UNITS).astype(dtype)
    out = step(x, h, kernel, recurrent, bias)
    expect_shape(out, (batch, UNITS), "h_next", RNN_HINT)
    expected = reference.rnn_step(x, h, kernel, recurrent, bias)
    try:
        expect_close(out, expected, "h_next", RNN_HINT, atol=tolerance(x))
    except CheckFailed:
        _rnn_diagnose(step, x, h, kernel, recurrent, bias)
        raise


@register("q1_rnn_step", points=2, hint=RNN_HINT, assignment=ASSIGNMENT)
def q1_rnn_step(rnn_step) -> None:
    """The SimpleRNN step on a batch of 2, float64."""
    _check_rnn(rnn_step, seed=1, batch=2, dtype="float64")


@register(
    "q1_rnn_step_hidden", points=1, hint=RNN_HINT, assignment=ASSIGNMENT, hidden=True
)
def q1_rnn_step_hidden(rnn_step) -> None:
    """Float32 inputs, a batch of 5, other weights."""
    _check_rnn(rnn_step, seed=11, batch=5, dtype="float32")


# ---------------------------------------------------------------------------- LSTM

LSTM_HINT = (
    "z = x @ kernel + h_prev @ recurrent_kernel + bias; i, f, c~, o = split(z, 4); "
    "c = sigmoid(f) * c_prev + sigmoid(i) * tanh(c~); h = sigmoid(o) * tanh(c)"
)
KERAS_ORDER = ("i", "f", "c", "o")


def _lstm_variant(x, h, c, kernel, recurrent, bias, order=KERAS_ORDER):
    z = dict(
        zip(order, np.split(x @ kernel + h @ recurrent + bias, 4, axis=-1), strict=True)
    )
    c_new = _sigmoid(z["f"]) * c + _sigmoid(z["i"]) * np.tanh(z["c"])
    return _sigmoid(z["o"]) * np.tanh(c_new), c_new, z


def _lstm_pair(result, batch):
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise CheckFailed(
            "lstm_step must return the pair (h, c)", hint="return h_next, c_next"
        )
    h = expect_shape(result[0], (batch, UNITS), "h_next", LSTM_HINT)
    c = expect_shape(result[1], (batch, UNITS), "c_next", LSTM_HINT)
    return h, c


def _check_lstm(step, *, seed: int, batch: int, dtype: str) -> None:
    x, h, kernel, recurrent = _inputs(4, seed=seed, batch=batch, dtype=dtype)
    rng = np.random.default_rng(seed + 1)
    c = rng.normal(size=(batch, UNITS)).astype(dtype)
    bias = rng.normal(size=4 * UNITS).astype(dtype)
    h_out, c_out = _lstm_pair(step(x, h, c, kernel, recurrent, bias), batch)
    h_ref, c_ref, _ = reference.lstm_step(x, h, c, kernel, recurrent, bias)
    try:
        tol = tolerance(x)
        expect_close(c_out, c_ref, "c_next", LSTM_HINT, location="cell state", atol=tol)
        expect_close(h_out, h_ref, "h_next", LSTM_HINT, location="hidden", atol=tol)
        return
    except CheckFailed as failure:
        error = failure
    for order in (("i", "f", "o", "c"), ("f", "i", "c", "o"), ("i", "c", "f", "o")):
        other_h, other_c, _ = _lstm_variant(x, h, c, kernel, recurrent, bias, order)
        if _same(h_out, other_h) and _same(c_out, other_c):
            raise CheckFailed(
                f"the gates are read in the order {', '.join(order)}",
                hint="wrong gate order: Keras packs the LSTM gates as i, f, c~, o "
                "along the last axis of kernel, recurrent_kernel and bias",
                location="gate order",
            )
    if _same(c_out, c_ref) and _same(
        h_out,
        _sigmoid(np.split(x @ kernel + h @ recurrent + bias, 4, axis=-1)[3]) * c_ref,
    ):
        raise CheckFailed(
            "h_next = o * c_next",
            hint="h = o * tanh(c): squash the cell state",
            location="hidden state",
        )
    zero_c = np.zeros_like(c)
    _, c_from_zero = _lstm_pair(step(x, h, zero_c, kernel, recurrent, bias), batch)
    _, c_zero_ref, _ = reference.lstm_step(x, h, zero_c, kernel, recurrent, bias)
    if _same(c_from_zero, c_zero_ref) and not _same(c_out, c_ref):
        raise CheckFailed(
            "c_next is right when c_prev = 0 and wrong otherwise",
            hint="the forget gate's term: c = f * c_prev + i * c~",
            location="forget term",
        )
    raise error


@register("q2_lstm_step", points=3, hint=LSTM_HINT, assignment=ASSIGNMENT)
def q2_lstm_step(lstm_step) -> None:
    """The LSTM step, batch 2, float64, against the reference with its gates."""
    _check_lstm(lstm_step, seed=2, batch=2, dtype="float64")


@register(
    "q2_lstm_step_hidden", points=1, hint=LSTM_HINT, assignment=ASSIGNMENT, hidden=True
)
def q2_lstm_step_hidden(lstm_step) -> None:
    """Float32, batch 5."""
    _check_lstm(lstm_step, seed=12, batch=5, dtype="float32")


# ----------------------------------------------------------------------------- GRU

GRU_HINT = (
    "Keras' GRU (reset_after=True): x-part = x @ kernel + bias[0], h-part = h_prev @ "
    "recurrent_kernel + bias[1]; z, r from sigmoid of the sums of the first two "
    "thirds; h~ = tanh(x_h + r * h_h); h = z * h_prev + (1 - z) * h~"
)


def _check_gru(step, *, seed: int, batch: int, dtype: str) -> None:
    x, h, kernel, recurrent = _inputs(3, seed=seed, batch=batch, dtype=dtype)
    bias = np.random.default_rng(seed + 1).normal(size=(2, 3 * UNITS)).astype(dtype)
    out = expect_shape(
        step(x, h, kernel, recurrent, bias), (batch, UNITS), "h_next", GRU_HINT
    )
    expected = reference.gru_step(x, h, kernel, recurrent, bias, reset_after=True)[0]
    try:
        expect_close(out, expected, "h_next", GRU_HINT, atol=tolerance(x))
        return
    except CheckFailed as failure:
        error = failure
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    h_z, h_r, h_h = np.split(h @ recurrent + bias[1], 3, axis=-1)
    z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
    candidate = np.tanh(x_h + r * h_h)
    if _same(out, (1 - z) * h + z * candidate):
        raise CheckFailed(
            "h_next = (1 - z) * h_prev + z * h~",
            hint="the update gate weighs the OLD state in Keras: "
            "h = z * h_prev + (1 - z) * h~",
            location="update interpolation",
        )
    units = UNITS
    before = np.tanh(x_h + (r * h) @ recurrent[:, 2 * units :] + bias[1][2 * units :])
    if _same(out, z * h + (1 - z) * before):
        raise CheckFailed(
            "the reset gate is applied before the matrix product",
            hint="Keras' default GRU applies the reset gate AFTER the product "
            "(reset_after=True): h~ = tanh(x_h + r * (h_prev @ U_h + b_h))",
            location="reset gate",
        )
    raise error


@register("q3_gru_step", points=3, hint=GRU_HINT, assignment=ASSIGNMENT)
def q3_gru_step(gru_step) -> None:
    """The GRU step (reset_after=True), batch 2, float64."""
    _check_gru(gru_step, seed=3, batch=2, dtype="float64")


@register(
    "q3_gru_step_hidden", points=1, hint=GRU_HINT, assignment=ASSIGNMENT, hidden=True
)
def q3_gru_step_hidden(gru_step) -> None:
    """Float32, batch 5."""
    _check_gru(gru_step, seed=13, batch=5, dtype="float32")


# ------------------------------------------------------------------------ backward

BACKWARD_HINT = (
    "dz = dh * (1 - h**2); dx = dz @ kernel.T; dh_prev = dz @ recurrent_kernel.T; "
    "dkernel = x.T @ dz; drecurrent_kernel = h_prev.T @ dz; dbias = dz.sum(axis=0)"
)
BACKWARD_NAMES = ("dx", "dh_prev", "dkernel", "drecurrent_kernel", "dbias")


@register("q4_rnn_backward", points=3, hint=BACKWARD_HINT, assignment=ASSIGNMENT)
def q4_rnn_backward(rnn_step_backward) -> None:
    """The gradients of one SimpleRNN step, each against the chain rule."""
    x, h_prev, kernel, recurrent = _inputs(1, seed=4, batch=3)
    bias = np.random.default_rng(5).normal(size=UNITS)
    h = np.tanh(x @ kernel + h_prev @ recurrent + bias)
    dh = np.random.default_rng(6).normal(size=h.shape)
    dz = dh * (1 - h**2)
    expected = (dz @ kernel.T, dz @ recurrent.T, x.T @ dz, h_prev.T @ dz, dz.sum(0))
    out = rnn_step_backward(dh, x, h_prev, h, kernel, recurrent)
    if not isinstance(out, tuple | list) or len(out) != 5:
        raise CheckFailed(
            "return the five gradients "
            "(dx, dh_prev, dkernel, drecurrent_kernel, dbias)",
            hint=BACKWARD_HINT,
        )
    # the tanh derivative forgotten: every gradient is that of dz = dh
    plain = (dh @ kernel.T, dh @ recurrent.T, x.T @ dh, h_prev.T @ dh, dh.sum(0))
    if all(_same(o, p) for o, p in zip(out, plain, strict=True)):
        raise CheckFailed(
            "the gradients ignore the tanh",
            hint="multiply by tanh' first: dz = dh * (1 - h_next**2)",
            location="dz",
        )
    for name, got, want in zip(BACKWARD_NAMES, out, expected, strict=True):
        hint = BACKWARD_HINT
        if name == "dbias" and np.shape(got) == dz.shape:
            hint = "dbias sums dz over the batch: dz.sum(axis=0)"
        expect_close(got, want, name, hint, location=name)


# ---------------------------------------------------------------- parameter counts

COUNT_HINT = (
    "SimpleRNN units*(features + units + 1); LSTM 4x that; GRU (reset_after=True) "
    "3*units*(features + units + 2): it has two bias vectors"
)


@register("q5_parameter_count", points=1, hint=COUNT_HINT, assignment=ASSIGNMENT)
def q5_parameter_count(parameter_count) -> None:
    """Counts for every cell at a few sizes, from the formulas."""
    formulas = {
        "rnn": lambda f, u: u * (f + u + 1),
        "lstm": lambda f, u: 4 * u * (f + u + 1),
        "gru": lambda f, u: 3 * u * (f + u + 2),
    }
    for cell, formula in formulas.items():
        for features, units in ((1, 1), (3, 4), (10, 32)):
            got = parameter_count(cell, features, units)
            want = formula(features, units)
            if got != want:
                hint = COUNT_HINT
                if cell == "gru" and got == 3 * units * (features + units + 1):
                    hint = (
                        "Keras' GRU has reset_after=True: two bias vectors of "
                        "3*units each"
                    )
                raise CheckFailed(
                    f"parameter_count({cell!r}, {features}, {units}) = {got}",
                    hint=hint,
                    location=cell,
                    observed=got,
                    expected=want,
                )
