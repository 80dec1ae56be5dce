# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: nbgrader,tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,rnn_zoo,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   rnn_zoo:
#     assignment: 01_rnn_cells
# ---

# %% [markdown]
# # Assignment 01 · Recurrent cells in NumPy, in Keras' weight layout
#
# Companion of notebook `01_rnn_from_scratch`. You will write one step of a
# SimpleRNN, an LSTM and a GRU exactly as Keras computes them, the backward pass
# of one SimpleRNN step, and the parameter-count formulas.
#
# **How it is graded.** Write your code where it says `raise NotImplementedError()`.
# Each check cell holds one call such as `check("q1_rnn_step", rnn_step)`: it runs
# your function on fresh random inputs and compares it with a NumPy reference. A
# failure tells you *where* the mistake is (for example "h_next ignores the
# recurrent term"). Some checks are hidden: the grader runs them on other inputs
# (float32, other batch sizes). Do not edit the check cells.
#
# **Shapes.** Arrays are batch-first: `x` is `(batch, features)`, `h_prev` is
# `(batch, units)`. Keras stores `kernel` as `(features, k * units)` and
# `recurrent_kernel` as `(units, k * units)`, with the `k` gates side by side
# along the last axis, so one step computes `x @ kernel + h_prev @ recurrent_kernel`.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from rnn_zoo.classroom import check


def sigmoid(z):
    """The logistic function, elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


# %% [markdown]
# ## Q1 · SimpleRNN step (3 points)
#
# $h_t = \tanh(x_t W + h_{t-1} U + b)$ with `W = kernel`, `U = recurrent_kernel`,
# `b = bias`.

# %% nbgrader={"grade": false, "grade_id": "a1_rnn_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def rnn_step(x, h_prev, kernel, recurrent_kernel, bias):
    """One SimpleRNN step: (batch, features), (batch, units) -> (batch, units)."""
    # BEGIN SOLUTION
    # HINT: three terms inside one tanh: the input, the recurrent state, the bias.
    return np.tanh(x @ kernel + h_prev @ recurrent_kernel + bias)
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_rnn_step", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("q1_rnn_step", rnn_step)
# BEGIN HIDDEN TESTS
check("q1_rnn_step_hidden", rnn_step)
# END HIDDEN TESTS

# %% [markdown]
# ## Q2 · LSTM step (4 points)
#
# Keras packs the four gates in the order **i, f, c̃, o**:
# $z = x W + h_{t-1} U + b$, split into four blocks of `units` columns;
# $i = \sigma(z_i)$, $f = \sigma(z_f)$, $\tilde c = \tanh(z_c)$, $o = \sigma(z_o)$;
# $c_t = f \odot c_{t-1} + i \odot \tilde c$ and $h_t = o \odot \tanh(c_t)$.
# Return the pair `(h_t, c_t)`.

# %% nbgrader={"grade": false, "grade_id": "a2_lstm_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def lstm_step(x, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One LSTM step; returns (h_next, c_next), each (batch, units)."""
    # BEGIN SOLUTION
    # HINT: np.split(z, 4, axis=-1) gives the blocks in Keras' order i, f, c~, o.
    z = x @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=-1)
    c_next = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_c)
    h_next = sigmoid(z_o) * np.tanh(c_next)
    return h_next, c_next
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_lstm_step", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
check("q2_lstm_step", lstm_step)
# BEGIN HIDDEN TESTS
check("q2_lstm_step_hidden", lstm_step)
# END HIDDEN TESTS

# %% [markdown]
# ## Q3 · GRU step, Keras' default form (4 points)
#
# Keras' GRU has `reset_after=True`: `bias` is `(2, 3 * units)`, one row for the
# input side and one for the recurrent side, gates in the order **z, r, h̃**.
# With $x_z, x_r, x_h$ the blocks of $x W + b_0$ and $h_z, h_r, h_h$ those of
# $h_{t-1} U + b_1$: $z = \sigma(x_z + h_z)$, $r = \sigma(x_r + h_r)$,
# $\tilde h = \tanh(x_h + r \odot h_h)$, and
# $h_t = z \odot h_{t-1} + (1 - z) \odot \tilde h$.

# %% nbgrader={"grade": false, "grade_id": "a3_gru_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def gru_step(x, h_prev, kernel, recurrent_kernel, bias):
    """One GRU step (reset_after=True); returns h_next (batch, units)."""
    # BEGIN SOLUTION
    # HINT: the reset gate multiplies h_h, the recurrent block AFTER its product.
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    h_z, h_r, h_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z = sigmoid(x_z + h_z)
    r = sigmoid(x_r + h_r)
    candidate = np.tanh(x_h + r * h_h)
    return z * h_prev + (1 - z) * candidate
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_gru_step", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
check("q3_gru_step", gru_step)
# BEGIN HIDDEN TESTS
check("q3_gru_step_hidden", gru_step)
# END HIDDEN TESTS

# %% [markdown]
# ## Q4 · Backward pass of one SimpleRNN step (3 points)
#
# Given the upstream gradient `dh` $= \partial L / \partial h_t$ and the step's
# inputs and output `h` $= h_t$, return
# `(dx, dh_prev, dkernel, drecurrent_kernel, dbias)`. Start from
# $dz = dh \odot (1 - h_t^2)$, the gradient at the pre-activation.

# %% nbgrader={"grade": false, "grade_id": "a4_rnn_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def rnn_step_backward(dh, x, h_prev, h, kernel, recurrent_kernel):
    """Gradients of one SimpleRNN step with respect to its inputs and weights."""
    # BEGIN SOLUTION
    # HINT: every weight gradient sums over the batch; dbias too.
    dz = dh * (1.0 - h**2)
    return (
        dz @ kernel.T,
        dz @ recurrent_kernel.T,
        x.T @ dz,
        h_prev.T @ dz,
        dz.sum(axis=0),
    )
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_rnn_backward", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("q4_rnn_backward", rnn_step_backward)

# %% [markdown]
# ## Q5 · Parameter counts (1 point)
#
# `parameter_count(cell, features, units)` for `cell` in `"rnn"`, `"lstm"`,
# `"gru"` (Keras' default GRU). The count does not depend on the sequence length:
# the same weights are used at every step.

# %% nbgrader={"grade": false, "grade_id": "a5_parameter_count", "locked": false, "schema_version": 3, "solution": true, "task": false}
def parameter_count(cell, features, units):
    """Trainable weights of one Keras recurrent layer."""
    # BEGIN SOLUTION
    # HINT: count kernel, recurrent_kernel and bias; the GRU has two bias rows.
    per_gate = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    biases = 2 if cell == "gru" else 1
    return per_gate * units * (features + units + biases)
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q5_parameter_count", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("q5_parameter_count", parameter_count)

# %% [markdown]
# ## Takeaways
#
# - A recurrent step is one matrix product per input plus one per state, then the
#   gates; Keras keeps the gates side by side in one `kernel`.
# - The checks compare your code with a reference *and* probe it one term at a
#   time: that is also how to debug your own model code.
