# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 · RNNs from scratch: what SimpleRNN, LSTM and GRU compute, and why plain RNNs forget
#
# **What you will learn**
# - the SimpleRNN, LSTM and GRU equations, written as a few lines of NumPy that
#   reproduce `keras.layers.SimpleRNN`, `LSTM` and `GRU` to 1e-5 with the same weights,
#   and how the textbook's $W \cdot [h_{t-1}, x_t]$ maps onto Keras' `kernel` and
#   `recurrent_kernel`
# - one LSTM step by hand (input size 2, hidden size 3), every gate checked against
#   Keras, and where a careless hand calculation goes wrong
# - why an RNN has the same number of parameters for any sequence length, and the
#   parameter-count formulas, checked against `count_params()`
# - backpropagation through time (BPTT) in NumPy for SimpleRNN, LSTM and both GRU
#   forms, checked against `tf.GradientTape`
# - vanishing and exploding gradients made visible: how much the last output depends
#   on the input k steps back, for SimpleRNN, LSTM and GRU, and for recurrent
#   matrices with spectral radius 0.5, 1.0 and 1.5
#
# **Time:** 0:16 to run with the default parameters on an idle 2-core laptop CPU
# (measured by the latest `make tutorials`; README lists every notebook's time).

# %% [markdown]
# ## Setup

# %%
import time

import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from rnn_zoo.notebook import record_results, setup_notebook

START = time.perf_counter()

# %% tags=["parameters"]
SEED = 0
# the small layers checked against Keras
FEATURES = 3  # input features per time step
UNITS = 4  # hidden units
TIMESTEPS = 7
BATCH = 2
OUTPUTS = 2  # outputs y_t per step of the SimpleRNN's output layer
# the gradient-norm experiment
GRAD_TIMESTEPS = 100  # how far back we look
GRAD_UNITS = 32
GRAD_BATCH = 16
RADII = [0.5, 1.0, 1.5]  # spectral radii of the SimpleRNN recurrent matrix
SMALL_INPUT_SCALE = 0.1  # input size for the spectral-radius experiment
FORGET_BIASES = [1.0, 3.0, 6.0]  # LSTM forget-gate biases to compare

# %%
print(setup_notebook(SEED))

import keras  # noqa: E402  (imported quietly by setup_notebook)
import tensorflow as tf  # noqa: E402

from rnn_zoo import reference  # noqa: E402
from rnn_zoo.inspection import (  # noqa: E402
    gradient_norms_by_lag,
    set_spectral_radius,
)
from rnn_zoo.plotting import plot_gradient_norms  # noqa: E402

rng = np.random.default_rng(SEED)

# %% [markdown]
# ## 1. SimpleRNN: one equation, applied at every step
#
# Keras stores weights for row vectors (a batch of inputs is a matrix whose rows
# are examples), so its equations read left to right:
#
# $$h_t = \tanh\left(x_t W + h_{t-1} U + b\right), \qquad h_0 = 0$$
#
# with `kernel` $W$ of shape (features, units), `recurrent_kernel` $U$ of shape
# (units, units) and `bias` $b$ of shape (units,). The same $W, U, b$ are used at
# every time step: that is **parameter sharing**. In NumPy, one step and a loop
# over time:


# %%
def simple_rnn(x, W, U, b):
    """SimpleRNN over x (batch, timesteps, features): all hidden states."""
    h = np.zeros((x.shape[0], U.shape[0]))
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ W + h @ U + b)
        states.append(h)
    return np.stack(states, axis=1)


# %% [markdown]
# Now the check: a Keras `SimpleRNN` with random weights (non-zero bias too), and
# our loop fed with exactly those weights. `rnn_zoo.reference.rnn_forward`
# is the package's tested version of the same loop.


# %%
def random_weights(layer, scale=0.5):
    """Give a built layer random weights (biases included); return them."""
    weights = [scale * rng.standard_normal(w.shape) for w in layer.get_weights()]
    layer.set_weights(weights)
    return weights


x = rng.standard_normal((BATCH, TIMESTEPS, FEATURES)).astype("float32")
max_abs_diff = {}

rnn_layer = keras.layers.SimpleRNN(UNITS, return_sequences=True)
rnn_layer.build(x.shape)
W, U, b = random_weights(rnn_layer)
h_keras = keras.ops.convert_to_numpy(rnn_layer(x))
max_abs_diff["simple_rnn"] = float(np.abs(simple_rnn(x, W, U, b) - h_keras).max())
max_abs_diff["simple_rnn_reference"] = float(
    np.abs(reference.rnn_forward(x, [W, U, b]).h - h_keras).max()
)
print(f"hidden states {h_keras.shape} (batch, timesteps, units)")
print(f"max |ours - Keras| = {max_abs_diff['simple_rnn']:.2e}")

# %% [markdown]
# **The output.** The hidden state is the network's memory, not yet its answer.
# An output layer reads it at every step, $y_t = h_t V + c$ in Keras' row form
# ($y_t = V h_t + c$ in the column form of most textbooks), with $V$ of shape
# (units, outputs): in Keras that is a `Dense` layer applied to every step of the
# `return_sequences=True` output. Again with the same weights:

# %%
output_layer = keras.layers.Dense(OUTPUTS, kernel_initializer="zeros")  # set below
output_layer.build(h_keras.shape)
output_rng = np.random.default_rng(SEED + 1)  # leaves `rng`'s draws to the rest
V, c = (0.5 * output_rng.standard_normal(w.shape) for w in output_layer.get_weights())
output_layer.set_weights([V, c])
y_keras = keras.ops.convert_to_numpy(output_layer(h_keras))
y_ours = simple_rnn(x, W, U, b) @ V + c
max_abs_diff["simple_rnn_output"] = float(np.abs(y_ours - y_keras).max())
print(f"outputs {y_keras.shape} (batch, timesteps, outputs)")
print(f"max |ours - Keras| = {max_abs_diff['simple_rnn_output']:.2e}")

# %% [markdown]
# **One matrix or two.** Many texts write the step with one weight matrix acting on
# the previous state and the input stacked into one vector,
# $h_t = \tanh(W_{hx} \cdot [h_{t-1}, x_t] + b)$, with $W_{hx}$ of shape
# (units, units + features). It is the same computation: $W_{hx}$ is Keras'
# `recurrent_kernel` $U$ and `kernel` $W$ stacked and transposed,
# $W_{hx} = [U^\top \; W^\top]$, because
# $W_{hx} \cdot [h, x] = U^\top h + W^\top x$. The same holds for every gate of
# the LSTM and GRU below.

# %%
W_hx = np.concatenate([U, W], axis=0).T  # (units, units + features)
h = np.zeros((BATCH, UNITS))
concatenated = []
for t in range(TIMESTEPS):
    h = np.tanh(np.concatenate([h, x[:, t]], axis=1) @ W_hx.T + b)  # W·[h, x] + b
    concatenated.append(h)
concatenated = np.stack(concatenated, axis=1)
max_abs_diff["simple_rnn_concatenated"] = float(np.abs(concatenated - h_keras).max())
print(f"W_hx: {W_hx.shape} = [recurrent_kernel.T {U.T.shape} | kernel.T {W.T.shape}]")
print(f"max |W·[h, x] form - Keras| = {max_abs_diff['simple_rnn_concatenated']:.2e}")

# %% [markdown]
# ## 2. LSTM: a cell state with gates that decide what to keep
#
# An LSTM carries two states, the hidden state $h_t$ and the **cell state** $c_t$.
# Three gates (numbers between 0 and 1, one per unit) and a candidate are computed
# from the same input and previous hidden state:
#
# $$
# \begin{aligned}
# i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) && \text{input gate: how much new to write}\\
# f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) && \text{forget gate: how much old to keep}\\
# \tilde c_t &= \tanh(x_t W_c + h_{t-1} U_c + b_c) && \text{candidate: what to write}\\
# o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o) && \text{output gate: how much to show}\\
# c_t &= f_t \odot c_{t-1} + i_t \odot \tilde c_t \\
# h_t &= o_t \odot \tanh(c_t)
# \end{aligned}
# $$
#
# $\sigma$ is the logistic sigmoid and $\odot$ the element-wise product. Keras
# keeps the four blocks side by side in one kernel, in the order **i, f, c, o**:
# `kernel` is (features, 4·units). There are exactly three gates (input, forget,
# output); an LSTM has no "reset gate" or "control gate" — those words belong to
# the GRU below or to nothing at all.


# %%
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm(x, W, U, b):
    """LSTM over x: hidden states and cell states, each (batch, timesteps, units)."""
    units = U.shape[0]
    h = c = np.zeros((x.shape[0], units))
    hs, cs = [], []
    for t in range(x.shape[1]):
        z = x[:, t] @ W + h @ U + b
        i, f = sigmoid(z[:, :units]), sigmoid(z[:, units : 2 * units])
        c_tilde, o = np.tanh(z[:, 2 * units : 3 * units]), sigmoid(z[:, 3 * units :])
        c = f * c + i * c_tilde
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.stack(hs, axis=1), np.stack(cs, axis=1)


lstm_layer = keras.layers.LSTM(UNITS, return_sequences=True, return_state=True)
lstm_layer.build(x.shape)
lstm_weights = random_weights(lstm_layer)
h_keras, _, c_last_keras = (keras.ops.convert_to_numpy(t) for t in lstm_layer(x))
h_ours, c_ours = lstm(x, *lstm_weights)
max_abs_diff["lstm"] = float(
    max(np.abs(h_ours - h_keras).max(), np.abs(c_ours[:, -1] - c_last_keras).max())
)
max_abs_diff["lstm_reference"] = float(
    np.abs(reference.lstm_forward(x, lstm_weights).h - h_keras).max()
)
print(f"max |ours - Keras| over h_t and the last c_t = {max_abs_diff['lstm']:.2e}")

# %% [markdown]
# ## 3. GRU: two gates, one state
#
# The GRU merges the cell and hidden state and uses two gates. In Keras' form
# (`reset_after=True`, the default and the cuDNN one) the reset gate multiplies the
# recurrent product *after* the matrix multiplication, which needs a second bias:
#
# $$
# \begin{aligned}
# z_t &= \sigma(x_t W_z + h_{t-1} U_z + b_z) && \text{update gate}\\
# r_t &= \sigma(x_t W_r + h_{t-1} U_r + b_r) && \text{reset gate}\\
# \tilde h_t &= \tanh\big(x_t W_h + b_h + r_t \odot (h_{t-1} U_h + b'_h)\big)\\
# h_t &= z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t
# \end{aligned}
# $$
#
# The original GRU of Cho et al. (`reset_after=False`) resets the state *before*
# the product: $\tilde h_t = \tanh\big(x_t W_h + (r_t \odot h_{t-1}) U_h + b_h\big)$.
# Note Keras' $z_t$ is the fraction of the **old** state kept; most textbooks write
# $h_t = (1 - z'_t) \odot h_{t-1} + z'_t \odot \tilde h_t$ with $z' = 1 - z$: the
# same model with the update gate's weights negated.


# %%
def gru(x, W, U, b, reset_after=True):
    """GRU over x: hidden states (batch, timesteps, units)."""
    units = U.shape[0]
    b_in, b_rec = (b[0], b[1]) if reset_after else (b, np.zeros_like(b))
    h = np.zeros((x.shape[0], units))
    states = []
    for t in range(x.shape[1]):
        xw = x[:, t] @ W + b_in
        hu = h @ U[:, : 2 * units] + b_rec[: 2 * units]
        z = sigmoid(xw[:, :units] + hu[:, :units])
        r = sigmoid(xw[:, units : 2 * units] + hu[:, units:])
        if reset_after:
            recurrent = r * (h @ U[:, 2 * units :] + b_rec[2 * units :])
        else:
            recurrent = (r * h) @ U[:, 2 * units :]
        h = z * h + (1 - z) * np.tanh(xw[:, 2 * units :] + recurrent)
        states.append(h)
    return np.stack(states, axis=1)


gru_layers = {}
for reset_after in (True, False):
    gru_layer = keras.layers.GRU(UNITS, return_sequences=True, reset_after=reset_after)
    gru_layer.build(x.shape)
    gru_layers[reset_after] = gru_layer
    gru_weights = random_weights(gru_layer)
    h_keras = keras.ops.convert_to_numpy(gru_layer(x))
    key = "gru" if reset_after else "gru_reset_before"
    max_abs_diff[key] = float(np.abs(gru(x, *gru_weights, reset_after) - h_keras).max())
    max_abs_diff[key + "_reference"] = float(
        np.abs(
            reference.gru_forward(x, gru_weights, reset_after=reset_after).h - h_keras
        ).max()
    )
    print(f"reset_after={reset_after}: bias {gru_weights[2].shape}, ", end="")
    print(f"max |ours - Keras| = {max_abs_diff[key]:.2e}")

# %%
worst = max(max_abs_diff.values())
display(pd.DataFrame({"max |NumPy - Keras|": max_abs_diff}).style.format("{:.1e}"))
display(
    Markdown(
        f"All {len(max_abs_diff)} NumPy versions (the few lines above and "
        f"`rnn_zoo.reference`) agree with Keras to **{worst:.1e}** "
        f"({'within' if worst < 1e-5 else 'NOT within'} 1e-5): Keras computes in "
        "float32, so about 1e-7 is as close as it gets."
    )
)

# %% [markdown]
# ## 4. One LSTM step by hand: the worked example
#
# Input size 2, hidden size 3, $h_0 = c_0 = 0$ and $x_1 = [0.5, 1.0]$. Because
# $h_0 = 0$, only the input weights matter at the first step. Textbooks write each
# gate's weights as a (units × inputs) matrix $W$ acting on a column vector,
# $z = W x + b$; Keras stores $W^\top$. The weights:

# %%
example = reference.worked_lstm_example()
x1 = example.x[0, 0]
weights_table = pd.DataFrame(
    {
        gate: {"W (3×2)": np.array(W_g).tolist(), "b": list(b_g)}
        for gate, (W_g, b_g) in reference.WORKED_LSTM_GATES.items()
    }
).T
display(weights_table)

# %% [markdown]
# Each gate's pre-activation is $z = W x_1 + b$; for the forget gate's first unit
# that is $0.1 \cdot 0.5 + (-0.3) \cdot 1.0 + 0.2$. Then the sigmoid (tanh for the
# candidate), and the two state updates $c_1 = f \odot c_0 + i \odot \tilde c$,
# $h_1 = o \odot \tanh(c_1)$:

# %%
ACTIVATION = {
    "input": sigmoid,
    "forget": sigmoid,
    "candidate": np.tanh,
    "output": sigmoid,
}


def lstm_first_step(x1, gates=reference.WORKED_LSTM_GATES):
    """Pre-activations, gates, c_1 and h_1 of the first LSTM step (h_0 = c_0 = 0)."""
    pre, gate = {}, {}
    for name, (W_g, b_g) in gates.items():
        pre[name] = np.array(W_g) @ x1 + np.array(b_g)
        gate[name] = ACTIVATION[name](pre[name])
    c0 = np.zeros(3)
    c1 = gate["forget"] * c0 + gate["input"] * gate["candidate"]
    h1 = gate["output"] * np.tanh(c1)
    return pre, gate, c1, h1


pre, gate, c1, h1 = lstm_first_step(x1)
by_hand = pd.DataFrame(
    {
        **{f"z_{n} (pre-activation)": pre[n] for n in pre},
        **{f"{n} gate" if n != "candidate" else "candidate c̃": gate[n] for n in gate},
        "c_1": c1,
        "h_1": h1,
    },
    index=["unit 0", "unit 1", "unit 2"],
).T
display(by_hand.style.format("{:+.4f}"))

# %% [markdown]
# **Check against Keras.** Load the same numbers into a `keras.layers.LSTM(3)`
# (`example.weights` is `[kernel, recurrent_kernel, bias]` in Keras' layout) and
# compute the gates with Keras' own ops from the layer's variables, and $h_1$, $c_1$
# from the layer itself:

# %%
worked_layer = keras.layers.LSTM(3, return_state=True)
worked_layer.build((1, 1, 2))
worked_layer.set_weights(example.weights)
h1_keras, _, c1_keras = (
    keras.ops.convert_to_numpy(t)[0] for t in worked_layer(example.x.astype("float32"))
)
z_keras = keras.ops.convert_to_numpy(
    keras.ops.matmul(example.x[0].astype("float32"), worked_layer.cell.kernel)
    + worked_layer.cell.bias
)[0]
keras_gates = dict(
    zip(
        ("input", "forget", "candidate", "output"),
        [
            keras.ops.convert_to_numpy(fn(block))
            for fn, block in zip(
                (
                    keras.ops.sigmoid,
                    keras.ops.sigmoid,
                    keras.ops.tanh,
                    keras.ops.sigmoid,
                ),
                np.split(z_keras, 4),
                strict=True,
            )
        ],
        strict=True,
    )
)
worked_diff = max(
    max(np.abs(gate[n] - keras_gates[n]).max() for n in gate),
    np.abs(h1 - h1_keras).max(),
    np.abs(c1 - c1_keras).max(),
)
print("h_1 by hand:", h1.round(4), " Keras:", h1_keras.round(4))
print("c_1 by hand:", c1.round(4), " Keras:", c1_keras.round(4))
print(f"largest difference over every gate, c_1 and h_1: {worked_diff:.1e}")

# %% [markdown]
# **Where a careless hand calculation goes wrong.** A published version of this
# example makes three mistakes in its arithmetic. It (1) drops the first input
# component, multiplying the first weight column by 0 as one would for $h_0$;
# (2) uses 0.5 for the second component in some gates and 1.0 in others, as if
# $x_1$ were $[0, 0.5]$ or $[0, 1.0]$; and (3) writes sigmoid values that do
# not match their arguments: it gives $\sigma(0.05) = 0.38$. Each mistake,
# recomputed for the forget gate:

# %%
SOURCE_SIGMOID_OF_005 = 0.38  # the value the source writes for σ(0.05)
careless_inputs = {
    "correct: x = [0.5, 1.0]": x1,
    "(1) first component dropped: x = [0, 1.0]": np.array([0.0, x1[1]]),
    "(1) and (2), 0.5 for the second: x = [0, 0.5]": np.array([0.0, x1[0]]),
}
careless_pre = {
    label: lstm_first_step(inputs)[0]["forget"]
    for label, inputs in careless_inputs.items()
}
display(
    pd.DataFrame(careless_pre, index=["unit 0", "unit 1", "unit 2"])
    .T.rename_axis("forget-gate pre-activation z_f")
    .style.format("{:+.3f}")
)
source_argument = careless_pre["(1) and (2), 0.5 for the second: x = [0, 0.5]"][0]
display(
    Markdown(
        f"- (1) and (2): the correct forget-gate pre-activations are "
        f"**{np.round(pre['forget'], 4).tolist()}**. Dropping $x_1[0] = {x1[0]}$ "
        f"and reading the second component as {x1[0]} gives "
        f"$z_f[0] = {source_argument:.2f}$: the source's argument, where "
        f"{pre['forget'][0]:.2f} is right.\n"
        f"- (3): $\\sigma({source_argument:.2f}) = {sigmoid(source_argument):.3f}$, "
        f"not {SOURCE_SIGMOID_OF_005}: a sigmoid of a small positive number is just "
        f"above 0.5 (0.38 would need the argument "
        f"$\\sigma^{{-1}}(0.38) = {np.log(0.38 / 0.62):.3f}$). Even the correct "
        f"argument gives $\\sigma({pre['forget'][0]:.2f}) = "
        f"{gate['forget'][0]:.3f}$.\n"
        f"- The correct step gives $h_1$ = {np.round(h1, 4).tolist()}, which the Keras "
        f"layer reproduces to {worked_diff:.0e}."
    )
)

# %% [markdown]
# ## 5. Parameter sharing: the count does not depend on the sequence length
#
# Each cell owns one input kernel, one recurrent kernel and its biases, reused at
# every step. With $f$ input features and $u$ units:
#
# | cell | parameters |
# |---|---|
# | SimpleRNN | $u(f + u + 1)$ |
# | LSTM | $4u(f + u + 1)$ — four blocks (i, f, c̃, o) |
# | GRU, `reset_after=True` (Keras default) | $3u(f + u + 2)$ — three blocks, two biases |
# | GRU, `reset_after=False` | $3u(f + u + 1)$ |

# %%
FORMULAS = {
    "SimpleRNN": lambda f, u: u * (f + u + 1),
    "LSTM": lambda f, u: 4 * u * (f + u + 1),
    "GRU": lambda f, u: 3 * u * (f + u + 2),
    "GRU (reset_after=False)": lambda f, u: 3 * u * (f + u + 1),
}
LAYERS = {
    "SimpleRNN": lambda u: keras.layers.SimpleRNN(u),
    "LSTM": lambda u: keras.layers.LSTM(u),
    "GRU": lambda u: keras.layers.GRU(u),
    "GRU (reset_after=False)": lambda u: keras.layers.GRU(u, reset_after=False),
}
rows = []
for name, make in LAYERS.items():
    for f, u in [(1, 8), (FEATURES, UNITS), (2, 32)]:
        counts = {}
        for timesteps in (10, 1000):
            layer = make(u)
            layer.build((None, timesteps, f))
            counts[timesteps] = layer.count_params()
        rows.append(
            {
                "cell": name,
                "features f": f,
                "units u": u,
                "formula": FORMULAS[name](f, u),
                "count_params(), 10 steps": counts[10],
                "count_params(), 1000 steps": counts[1000],
            }
        )
params = pd.DataFrame(rows)
params_match = bool(
    (params["formula"] == params["count_params(), 10 steps"]).all()
    and (params["formula"] == params["count_params(), 1000 steps"]).all()
)
display(params)
display(
    Markdown(
        f"The formula {'matches' if params_match else 'does NOT match'} "
        f"`count_params()` in all {len(params)} rows, for 10 and for 1000 time steps "
        "alike. An LSTM has 4/3 the parameters of a `reset_after=False` GRU of "
        "the same size, and 4× those of a SimpleRNN."
    )
)

# %% [markdown]
# ## 6. Backpropagation through time, by hand
#
# Training needs $\partial L / \partial W$. Unrolled over time, an RNN is a deep
# network whose layers share weights, so the gradient is a sum over time steps, and
# the gradient reaching step $t$ is the one from step $t+1$ multiplied by the step's
# Jacobian. For the SimpleRNN, with $a_t = x_t W + h_{t-1} U + b$:
#
# $$
# g_t = \frac{\partial L}{\partial h_t} = \delta_t + \big(g_{t+1} \odot \tanh'(a_{t+1})\big) U^\top,
# \qquad \frac{\partial L}{\partial W} = \sum_t x_t^\top \big(g_t \odot \tanh'(a_t)\big)
# $$
#
# `rnn_zoo.reference.rnn_backward` / `lstm_backward` / `gru_backward` walk
# the sequence backwards in NumPy (`gru_backward` in either GRU form, as its
# `reset_after` says). The loss here is $L = \sum_t \delta_t \cdot h_t$
# with random $\delta_t$; `tf.GradientTape` differentiates the Keras layers.

# %%
delta = rng.standard_normal((BATCH, TIMESTEPS, UNITS))
BACKWARD = {  # the layers of sections 1-3, with their weights
    "SimpleRNN": (rnn_layer, reference.rnn_backward, {}),
    "LSTM": (lstm_layer, reference.lstm_backward, {}),
    "GRU (reset_after=True)": (
        gru_layers[True],
        reference.gru_backward,
        {"reset_after": True},
    ),
    "GRU (reset_after=False)": (
        gru_layers[False],
        reference.gru_backward,
        {"reset_after": False},
    ),
}
bptt_rows, bptt_max_abs_diff = [], 0.0
for name, (layer, backward, kwargs) in BACKWARD.items():
    x_tensor = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_tensor)
        out = layer(x_tensor)
        h_seq = out[0] if isinstance(out, list | tuple) else out
        loss = tf.reduce_sum(tf.constant(delta, tf.float32) * h_seq)
    tape_grads = tape.gradient(loss, [*layer.trainable_weights, x_tensor])
    ours = backward(x, layer.get_weights(), delta, **kwargs)
    row = {"cell": name}
    for label, mine, theirs in zip(
        ("kernel", "recurrent kernel", "bias", "inputs x"),
        (*ours.weights, ours.x),
        tape_grads,
        strict=True,
    ):
        row[label] = float(np.abs(mine - keras.ops.convert_to_numpy(theirs)).max())
    bptt_max_abs_diff = max(bptt_max_abs_diff, *list(row.values())[1:])
    bptt_rows.append(row)
display(pd.DataFrame(bptt_rows).set_index("cell").style.format("{:.1e}"))
display(
    Markdown(
        f"Every gradient of the NumPy BPTT, for all {len(bptt_rows)} cells (both GRU "
        f"forms included), equals `GradientTape`'s to **{bptt_max_abs_diff:.1e}** "
        "(max absolute difference)."
    )
)

# %% [markdown]
# ## 7. Vanishing and exploding gradients, made visible
#
# How much does the last output $h_T$ still depend on the input $k$ steps earlier?
# The norm of the Jacobian $\partial h_T / \partial x_{T-k}$ answers it:
# `rnn_zoo.inspection.diagnostics.gradient_norms_by_lag` measures it with
# `tf.GradientTape`, averaged over a batch of random sequences. By the BPTT
# recursion above it is a product of $k$ step Jacobians: if they shrink vectors,
# the product vanishes exponentially; if they stretch them, it explodes.
#
# First the three cells as Keras initialises them (glorot-uniform input kernel,
# orthogonal recurrent kernel, LSTM forget bias 1), on inputs drawn from a
# standard normal distribution:

# %%
x_long = rng.standard_normal((GRAD_BATCH, GRAD_TIMESTEPS, 1)).astype("float32")
cells = {
    "SimpleRNN": keras.layers.SimpleRNN(GRAD_UNITS),
    "LSTM": keras.layers.LSTM(GRAD_UNITS),
    "GRU": keras.layers.GRU(GRAD_UNITS),
}
cell_norms = {}
for name, layer in cells.items():
    layer.build(x_long.shape)
    cell_norms[name] = gradient_norms_by_lag(layer, x_long)
K = GRAD_TIMESTEPS - 1
fig = plot_gradient_norms(
    cell_norms,
    title=f"Gradient of the last output w.r.t. earlier inputs, {GRAD_UNITS} units, "
    "at initialisation",
)


# %%
def per_step(norms, k):
    """Average factor by which the norm changes per step, from k = 0 to k."""
    return float((norms[k] / norms[0]) ** (1 / k)) if norms[k] > 0 else 0.0


half = K // 2
cell_table = pd.DataFrame(
    {
        name: {
            "norm at k = 0": n[0],
            f"norm at k = {half}": n[half],
            f"norm at k = {K}": n[K],
            f"factor per step (k = 0..{half})": per_step(n, half),
        }
        for name, n in cell_norms.items()
    }
).T
display(cell_table.style.format("{:.3g}"))
fastest = min(cell_norms, key=lambda n: cell_norms[n][half])
display(
    Markdown(
        f"At initialisation every cell forgets: {half} steps back the gradient is "
        + ", ".join(
            f"{cell_norms[name][half] / cell_norms[name][0]:.1e} of its k = 0 value "
            f"for the {name}"
            for name in cell_norms
        )
        + f"; the {fastest} loses it fastest. Gates are no magic at "
        "initialisation: an LSTM's memory lasts as long as its forget gate stays "
        "near 1, and Keras starts it at σ(1) ≈ "
        f"{sigmoid(1.0):.2f}. Training can move it; so can we, by hand:"
    )
)

# %% [markdown]
# ### The LSTM's forget gate is the knob
#
# Along the cell state the step Jacobian is just $\partial c_t / \partial c_{t-1} =
# f_t$ (plus smaller terms through $h$): no matrix product, no tanh'. Set the forget
# bias $b_f$ higher and $f_t \approx \sigma(b_f)$ approaches 1:

# %%
forget_norms = {}
for bias_value in FORGET_BIASES:
    layer = keras.layers.LSTM(GRAD_UNITS)
    layer.build(x_long.shape)
    kernel, recurrent, bias = layer.get_weights()
    bias[GRAD_UNITS : 2 * GRAD_UNITS] = bias_value  # Keras order: i, f, c, o
    layer.set_weights([kernel, recurrent, bias])
    forget_norms[
        f"LSTM, forget bias {bias_value:g} (σ = {sigmoid(bias_value):.3f})"
    ] = gradient_norms_by_lag(layer, x_long)
fig = plot_gradient_norms(
    forget_norms, title="LSTM: a forget gate near 1 carries the gradient back"
)
forget_at_half = [n[half] / n[0] for n in forget_norms.values()]
display(
    Markdown(
        f"Relative gradient at k = {half}: "
        + ", ".join(
            f"forget bias {b:g}: {r:.1e}"
            for b, r in zip(FORGET_BIASES, forget_at_half, strict=True)
        )
        + ". "
        + (
            "The higher the forget gate, the further back the gradient reaches."
            if all(np.diff(forget_at_half) > 0)
            else "Raising the forget bias did not help monotonically here."
        )
    )
)

# %% [markdown]
# ### SimpleRNN: the spectral radius decides
#
# A SimpleRNN has no gate: its step Jacobian is $\operatorname{diag}(\tanh'(a_t))\,
# U^\top$. Near $h = 0$ (small inputs, $\tanh' \approx 1$) it is just $U^\top$, and
# $k$ steps multiply by $U^\top$ $k$ times, so the gradient scales like
# $\rho(U)^k$, with $\rho$ the **spectral radius** (largest eigenvalue modulus).
# Keras' orthogonal initializer gives $\rho = 1$; `set_spectral_radius` rescales
# the recurrent kernel to each radius. The inputs are the same sequences scaled
# down (`SMALL_INPUT_SCALE`), so the state starts in tanh's near-linear range and
# the plot shows $U$'s effect rather than saturation's:

# %%
radius_norms = {}
for radius in RADII:
    layer = keras.layers.SimpleRNN(GRAD_UNITS)
    layer.build(x_long.shape)
    set_spectral_radius(layer, radius)
    radius_norms[f"SimpleRNN, ρ(U) = {radius:g}"] = gradient_norms_by_lag(
        layer, SMALL_INPUT_SCALE * x_long
    )
fig = plot_gradient_norms(
    radius_norms, title="SimpleRNN: spectral radius < 1 vanishes, > 1 explodes"
)

# %%
radius_summary = {
    str(radius): {
        "norm_k0": float(n[0]),
        "norm_kmax": float(n[K]),
        "factor_per_step": per_step(n, K),
    }
    for radius, n in zip(RADII, radius_norms.values(), strict=True)
}
display(pd.DataFrame(radius_summary).T.style.format("{:.3g}"))
display(
    Markdown(
        "\n".join(
            f"- ρ = {r}: the norm goes from {s['norm_k0']:.3g} at k = 0 to "
            f"{s['norm_kmax']:.3g} at k = {K}, a factor of {s['factor_per_step']:.3f} "
            f"per step ({'vanishing' if s['factor_per_step'] < 1 else 'exploding'})."
            for r, s in radius_summary.items()
        )
        + "\n\nThe factor per step is at most ρ: tanh' < 1 once the state moves "
        "away from 0 (with ρ > 1 it soon does), which is why even ρ = 1 forgets "
        "slowly. Exploding gradients are "
        "what gradient clipping (`rnn_zoo.fit(..., clipnorm=1.0)`) guards against; "
        "vanishing ones need a different cell."
    )
)

# %% [markdown]
# ## Takeaways

# %%
elapsed = time.perf_counter() - START
display(
    Markdown(
        f"- SimpleRNN, LSTM and GRU are a few lines of NumPy each; with Keras' weights "
        f"they reproduce Keras to {worst:.0e}, and BPTT reproduces `GradientTape` "
        f"to {bptt_max_abs_diff:.0e}.\n"
        f"- The worked LSTM step gives $h_1$ = {np.round(h1, 4).tolist()}; its forget "
        f"pre-activations are {np.round(pre['forget'], 4).tolist()}; the published "
        "version drops an input component, mixes 0.5 and 1.0 for the other and "
        "misreads its sigmoids.\n"
        "- Parameters are shared across time: the count depends on features and units, "
        "never on the sequence length.\n"
        f"- Gradients through a SimpleRNN scale like ρ(U)^k: a factor "
        f"{radius_summary[str(RADII[0])]['factor_per_step']:.2f} per step at ρ = "
        f"{RADII[0]} and {radius_summary[str(RADII[-1])]['factor_per_step']:.2f} at "
        f"ρ = {RADII[-1]}. The LSTM's forget gate sets its own factor; notebook 02 "
        "shows what a trained LSTM does with it.\n"
        f"\nThis notebook ran in {elapsed:.0f} s."
    )
)

# %% [markdown]
# **Go further:** nothing here is trained, so there is no "train longer". Raise
# `GRAD_TIMESTEPS` (e.g. 300) to watch the exponential trends over longer spans, or
# `GRAD_UNITS` to see that they do not depend on the width; each costs seconds.

# %% [markdown]
# ## Exercises
#
# 1. Predict, then check: what does `count_params()` give for `keras.layers.LSTM(64)`
#    on 10 input features? And for a `Bidirectional` wrapper around it?
# 2. Set the worked example's input to $x_1 = [1.0, 0.5]$ and recompute the gates by
#    hand (or with `lstm_first_step`). Which gate value changes most, and why? Which
#    gate cannot change $h_1$ at all, whatever its weights?
# 3. In section 7, give the SimpleRNN `activation="linear"` (build a
#    `keras.layers.SimpleRNN(GRAD_UNITS, activation="linear")` and set ρ = 1). What
#    does the factor per step become? Why is it closer to 1 than with tanh?
# 4. Rerun the spectral-radius plot with `SMALL_INPUT_SCALE = 1.0` (standard-normal
#    inputs). Does ρ = 1.5 still explode? Explain with $\tanh'$.
# 5. Extend `simple_rnn` to return the gradient norms $\|g_t\|$ of BPTT (the
#    `dh_norms` of `reference.rnn_backward`) and compare with section 7.
#
# <details><summary>Solutions</summary>
#
# 1. $4 \cdot 64 \cdot (10 + 64 + 1) = 19\,200$. A `Bidirectional` layer holds two
#    independent LSTMs: $38\,400$.
# 2. Computed in the cell below the exercises. The pre-activations move by
#    $W (\Delta x)$ with $\Delta x = [0.5, -0.5]$, so a row whose two weights have
#    opposite signs moves most; the value moves by that change times the slope of
#    its activation, which is steepest for tanh (slope 1 at 0, a sigmoid's is 1/4).
#    The forget gate cannot change $h_1$: it multiplies $c_0 = 0$.
# 3. With a linear activation and an orthogonal $U$ ($\rho = 1$, all singular values
#    1) the Jacobian is $U^k W$ and its norm stays exactly $\|W\|$: factor 1.0. The
#    tanh version loses a factor $\tanh'(a_t) < 1$ at every step.
# 4. Much less, and with few units it may even fall: large inputs push the units
#    into tanh's flat tails, where $\tanh'(a) = 1 - \tanh^2(a) \ll 1$, and that
#    factor multiplies the gradient at every step. The ρ = 1 curve falls faster
#    too.
# 5. `reference.rnn_backward(x, weights, dh).dh_norms` already returns them: with
#    `dh` non-zero only at the last step they are the norms of
#    $\partial h_T / \partial h_t$, a curve of the same shape as section 7.
#
# </details>

# %%
x1_swapped = np.array([1.0, 0.5])
swapped = lstm_first_step(x1_swapped)
change = pd.DataFrame(
    {name: swapped[1][name] - gate[name] for name in gate},
    index=["unit 0", "unit 1", "unit 2"],
).T
most_gate, most_unit = change.abs().stack().idxmax()
# the forget gate's weights replaced by anything else: h_1 does not move
other_forget = dict(reference.WORKED_LSTM_GATES)
other_forget["forget"] = (rng.standard_normal((3, 2)), rng.standard_normal(3))
forget_effect = float(np.abs(lstm_first_step(x1, other_forget)[3] - h1).max())
forget_moved = float(
    np.abs(lstm_first_step(x1, other_forget)[1]["forget"] - gate["forget"]).max()
)
display(
    Markdown(
        "<details><summary>Exercise 2, computed</summary>\n\n"
        + "| change | unit 0 | unit 1 | unit 2 |\n|---|---|---|---|\n"
        + "\n".join(
            f"| {name} | " + " | ".join(f"{v:+.3f}" for v in row) + " |"
            for name, row in change.iterrows()
        )
        + f"\n\nThe largest change is the **{most_gate}** value of **{most_unit}**: "
        f"its pre-activation goes from {pre[most_gate][int(most_unit[-1])]:+.2f} to "
        f"{swapped[0][most_gate][int(most_unit[-1])]:+.2f}, and tanh passes the "
        f"change on with slope near 1. Random forget-gate weights move the forget "
        f"gate by up to {forget_moved:.2f} but $h_1$ by {forget_effect:.1g}: "
        "with $c_0 = 0$, $f \\odot c_0 = 0$ whatever $f$ is.\n\n</details>"
    )
)

# %%
record_results(
    f"NumPy == Keras to {worst:.0e}; SimpleRNN gradient factor/step "
    f"{radius_summary[str(RADII[0])]['factor_per_step']:.2f} (ρ={RADII[0]}) vs "
    f"{radius_summary[str(RADII[-1])]['factor_per_step']:.2f} (ρ={RADII[-1]})",
    max_abs_diff=max_abs_diff,
    worked_forget_preactivation=pre["forget"].tolist(),
    worked_gates={n: g.tolist() for n, g in gate.items()},
    worked_h1=h1.tolist(),
    worked_c1=c1.tolist(),
    worked_keras_max_abs_diff=float(worked_diff),
    worked_careless_forget_preactivation={
        k: v.tolist() for k, v in careless_pre.items()
    },
    worked_sigmoid_at_source_argument=float(sigmoid(source_argument)),
    params_match=params_match,
    param_counts=params.to_dict(orient="records"),
    bptt_max_abs_diff=bptt_max_abs_diff,
    bptt_cells=[row["cell"] for row in bptt_rows],
    cell_norms={
        n: [float(v[0]), float(v[half]), float(v[K])] for n, v in cell_norms.items()
    },
    forget_bias_relative_norm=dict(
        zip(map(str, FORGET_BIASES), forget_at_half, strict=True)
    ),
    radius_norms={
        str(r): v.tolist() for r, v in zip(RADII, radius_norms.values(), strict=True)
    },
    radius_summary=radius_summary,
    exercise2_largest_change=[most_gate, most_unit],
    exercise2_forget_effect_on_h1=forget_effect,
    exercise2_forget_gate_moved=forget_moved,
)
