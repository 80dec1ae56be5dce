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
# # 06 · Training craft, measured
#
# Initialisation, gradient clipping, optimisers, dropout, early stopping and
# hyperparameter search: what each does, measured on a small task.
#
# **What you will learn**
# - why all-zero weights never learn (symmetry), shown with the gradients, and how
#   zeros, a constant, Glorot/Xavier and orthogonal initialisation compare
# - what gradient clipping does at a learning rate that is too high: loss curves
#   and gradient norms, and clipping by norm (per weight or global) vs by value
# - SGD, SGD with momentum, RMSProp and Adam on the same budget, each at the best
#   rate of its own small learning-rate sweep
# - what Keras' `LSTM(dropout=)` and `LSTM(recurrent_dropout=)` drop (one mask per
#   sequence), against a `Dropout` layer between layers (a new mask per step):
#   the effect on validation loss, and the price of recurrent dropout (no fused
#   cuDNN kernel, slower epochs)
# - early stopping: the restored best epoch vs the last one
# - grid search, random search and Bayesian optimisation with KerasTuner, the
#   same number of trials each
# - to read a comparison over seeds: mean and range, and "not shown" where the
#   ranges overlap
# - to watch a run in TensorBoard: `fit(run_dir=...)` writes its logs
#
# **Time:** 6:38 to run with the default parameters on an idle 2-core laptop CPU
# (measured by the latest `make tutorials`; README lists every notebook's time).
#
# Every claim below is measured with **3 seeds** on the **same budget** (the same
# number of epochs, so the same number of updates), with
# `rnn_zoo.training.experiments.compare_runs`. A sentence that compares two settings is
# rendered from the numbers by `describe_difference`: it says one beat the other
# only when their ranges over the seeds do not overlap.

# %% [markdown]
# ## Setup

# %%
import functools
import time
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from rnn_zoo.notebook import record_results, setup_notebook

START = time.perf_counter()

# %% tags=["parameters"]
SEED = 0
SEEDS = [0, 1, 2]  # every comparison: one run per seed
LENGTH = 10  # adding problem: time steps per sequence
N_TRAIN = 2048  # training sequences
N_VAL = 256  # validation sequences
N_TEST = 512  # test sequences
UNITS = 16  # LSTM units
BATCH_SIZE = 64
EPOCHS = 6  # the budget of every run in sections 1-3
LEARNING_RATE = 0.01  # Adam, section 1
CONSTANT = 0.1  # the constant initialiser's value
HIGH_LR = 1.0  # section 2: SGD with momentum 0.9 at a learning rate too high
CLIP = 1.0  # clipnorm and global_clipnorm
CLIP_VALUE = 0.1  # clipvalue
GRAD_EVERY = 4  # log the gradient norm every this many updates
OPT_N_TRAIN = 1024  # section 3: training sequences (half, for the sweep's runs)
LR_SWEEP = {  # section 3: learning rates tried per optimiser
    "SGD": [0.1, 0.3, 1.0],
    "SGD + momentum 0.9": [0.03, 0.1, 0.3],
    "RMSProp": [0.003, 0.01, 0.03],
    "Adam": [0.01, 0.03, 0.1],
}
DROP_N_TRAIN = 256  # section 4: a small, noisy training set, to overfit
DROP_NOISE = 0.2  # standard deviation of the noise added to the targets
DROP_UNITS = 32  # two LSTM layers of this width
DROP_RATE = 0.3
DROP_EPOCHS = 25
PATIENCE = 3  # early stopping: epochs without improvement
GRID_UNITS = [8, 32]  # grid search: every width with every rate below
GRID_LEARNING_RATES = [0.002, 0.02]
TUNER_INITIAL = 2  # Bayesian optimisation: random trials before it models
TUNER_EPOCHS = 3  # epochs per trial
TIME_CAP = 120  # safety cap in seconds per run, for slow machines
RUN_DIR = "runs/06_training_craft"  # section 7: the run folder (TensorBoard logs)

# %%
print(setup_notebook(SEED))

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from tensorboard.backend.event_processing.event_accumulator import (  # noqa: E402
    EventAccumulator,
)
from tensorboard.util.tensor_util import make_ndarray  # noqa: E402

from rnn_zoo.datasets import make_adding_problem  # noqa: E402
from rnn_zoo.models import build_sequence_regressor, fused_kernel_report  # noqa: E402
from rnn_zoo.plotting import plot_runs  # noqa: E402
from rnn_zoo.training import (  # noqa: E402
    GradientNormLog,
    compare_runs,
    compare_searches,
    describe_difference,
    fit,
    gradient_norms_by_weight,
    set_seed,
    summarize_runs,
)

TUNER_TRIALS = len(GRID_UNITS) * len(GRID_LEARNING_RATES)  # trials of every search

# %% [markdown]
# ## The task and its baseline
#
# The **adding problem** of notebook 02, short (`LENGTH` steps) so that a small
# LSTM solves it in a few hundred updates: each step carries a random value and a
# marker, and the target is the sum of the two marked values. Predicting the mean
# training target for every sequence is the baseline every model must beat.

# %%
X_train, y_train = make_adding_problem(N_TRAIN, length=LENGTH, seed=SEED)
X_val, y_val = make_adding_problem(N_VAL, length=LENGTH, seed=SEED + 1)
X_test, y_test = make_adding_problem(N_TEST, length=LENGTH, seed=SEED + 2)
baseline = float(np.mean((y_train.mean() - y_test) ** 2))
display(
    Markdown(
        f"{N_TRAIN} training, {N_VAL} validation and {N_TEST} test sequences of "
        f"{LENGTH} steps. Baseline (always {y_train.mean():.3f}): test MSE "
        f"**{baseline:.4f}**."
    )
)

# %% [markdown]
# ## The model
#
# One LSTM layer reads the sequence (2 features per step) and a linear `Dense`
# layer maps its last output to the predicted sum. Every experiment below builds
# this model with different settings: `compare_runs` calls `build(**settings)`
# once per configuration and seed, after seeding.


# %%
def build(
    units=UNITS,
    kernel_initializer="glorot_uniform",
    recurrent_initializer="orthogonal",
    all_zeros=False,
):
    """One LSTM layer and a linear head (Keras' default initialisers)."""
    inputs = keras.Input(shape=(LENGTH, 2), name="features")
    x = keras.layers.LSTM(
        units,
        kernel_initializer=kernel_initializer,
        recurrent_initializer=recurrent_initializer,
        name="rnn_0",
    )(inputs)
    outputs = keras.layers.Dense(1, name="prediction")(x)
    model = keras.Model(inputs, outputs, name="adding_lstm")
    if all_zeros:
        model.set_weights([np.zeros_like(w) for w in model.get_weights()])
    return model


def layer_summary(model):
    """(name, class, parameters) of every layer."""
    return [(x.name, type(x).__name__, x.count_params()) for x in model.layers]


model = build()
model.summary()
builder_same = layer_summary(model) == layer_summary(
    build_sequence_regressor(LENGTH, 2, units=UNITS)
)
display(
    Markdown(
        f"{model.count_params():,} parameters. The package's "
        f"`build_sequence_regressor(LENGTH, 2, units=UNITS)` gives the same layers "
        f"and counts: **{'yes' if builder_same else 'no'}**."
    )
)

# %%
# what every run of sections 1-3 shares: data, loss, batch size, time cap
data = dict(
    train=(X_train, y_train),
    validation=(X_val, y_val),
    test=(X_test, y_test),
    loss="mse",
    batch_size=BATCH_SIZE,
    seconds=TIME_CAP,
    history=True,
)


def summary_table(runs, columns=("test_loss",), totals=()):
    """Mean, std and range over seeds of some columns, sums of others, per config."""
    parts = {c: summarize_runs(runs, c)[["mean", "std", "min", "max"]] for c in columns}
    table = pd.concat(parts, axis=1)
    for column in totals:
        table[(column, "total")] = runs.groupby("config", sort=False)[column].sum()
    return table


def verdicts(runs, first=None, metric="test_loss"):
    """`first` (default: the lowest mean) against every other config, as bullets."""
    means = summarize_runs(runs, metric)["mean"]
    first = means.idxmin() if first is None else first
    lines = [
        f"- {describe_difference(runs, metric, first, other)}"
        for other in means.index
        if other != first
    ]
    if "stopped_by_time" in runs and runs["stopped_by_time"].any():  # a busy CPU
        cut = runs[runs["stopped_by_time"]]
        lines.append(
            f"- **Caution:** the time cap (`TIME_CAP` = {TIME_CAP} s) stopped "
            + ", ".join(cut["config"] + " seed " + cut["seed"].astype(str))
            + " early, so those runs had a smaller budget."
        )
    return first, "\n".join(lines)


# %% [markdown]
# ## 1. Initialisation: zeros, a constant, Glorot/Xavier, orthogonal
#
# The classic texts list four ways to set the input kernel $W$ and the recurrent
# kernel $U$ of a recurrent layer before training. Keras' default is Glorot
# uniform for $W$ (uniform in $\pm\sqrt{6/(\text{fan\_in}+\text{fan\_out})}$) and
# orthogonal for $U$. Here both kernels get the same scheme; the head and biases
# keep their defaults.
#
# **Why all zeros cannot learn.** If *every* weight is 0, every unit computes the
# same thing (here: nothing, since $\tanh(0) = 0$ makes $h_t = 0$), so every unit
# receives the same gradient, and the head, whose weights are 0, passes no
# gradient back at all. The gradient of each weight on one batch says it:

# %%
zero_model = build(all_zeros=True)
zero_model.compile(optimizer="adam", loss="mse")
zero_grads = gradient_norms_by_weight(zero_model, X_train[:256], y_train[:256])
display(
    pd.DataFrame({"gradient norm": zero_grads})
    .style.format("{:.3g}")
    .set_caption("All weights zero: the gradient of each weight on 256 sequences")
)
moving = [name for name, norm in zero_grads.items() if norm > 0]
only_bias = moving == ["prediction/bias"]
display(
    Markdown(
        f"Only {', '.join(f'`{m}`' for m in moving)} gets a non-zero gradient"
        + (
            ": the model can learn the mean target and nothing else. After any "
            "update the LSTM still outputs 0 and the head's kernel is still 0, so "
            "the same holds at every later step, at any learning rate. Breaking "
            "that symmetry is the job of random initialisation."
            if only_bias
            else "."
        )
    )
)

# %% [markdown]
# With only the LSTM's kernels at zero (the head random, as usual) the symmetry is
# broken by the head: unit $j$'s gradient is scaled by its head weight. The units
# start identical and drift apart only slowly. The table counts, after training,
# how many directions the recurrent kernel really uses (its singular values above
# 1% of the largest, out of `UNITS`).

# %%
constant = keras.initializers.Constant(CONSTANT)
INIT_CONFIGS = {
    "zeros": dict(kernel_initializer="zeros", recurrent_initializer="zeros"),
    f"constant {CONSTANT}": dict(
        kernel_initializer=constant, recurrent_initializer=constant
    ),
    "Glorot/Xavier uniform": dict(
        kernel_initializer="glorot_uniform", recurrent_initializer="glorot_uniform"
    ),
    "orthogonal": dict(
        kernel_initializer="orthogonal", recurrent_initializer="orthogonal"
    ),
}
init_runs = compare_runs(
    INIT_CONFIGS,
    SEEDS,
    EPOCHS,
    build=build,
    learning_rate=LEARNING_RATE,
    keep_models=True,
    **data,
)


def used_directions(model):
    recurrent = model.get_layer("rnn_0").get_weights()[1]  # U: (units, 4 units)
    singular = np.linalg.svd(recurrent, compute_uv=False)
    return int(np.sum(singular > 0.01 * singular.max())) if singular.max() else 0


init_runs["directions used"] = init_runs["model"].map(used_directions)
init_runs = init_runs.drop(columns="model")
init_table = summary_table(init_runs, ("test_loss", "directions used"))
display(
    init_table.style.format("{:.4f}").set_caption(
        "Test MSE and recurrent-kernel directions used, over seeds"
    )
)

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
panels = {
    "val_loss": ("validation MSE", "mean and range over seeds"),
    "test_loss": ("test MSE", "one dot per seed"),
}
for ax, (metric, (what, how)) in zip(axes, panels.items(), strict=True):
    plot_runs(
        init_runs,
        metric,
        log_scale=True,
        title=f"Initialisation: {what} ({how})",
        ylabel=f"{what} (log scale)",
        ax=ax,
    )
    ax.axhline(baseline, color="0.5", linestyle="--", label="baseline")
    ax.legend()
fig.tight_layout()

# %%
init_means = summarize_runs(init_runs, "test_loss")["mean"]
directions = summarize_runs(init_runs, "directions used")["mean"]
init_best, init_words = verdicts(init_runs)
display(
    Markdown(
        f"Lowest mean test MSE: **{init_best}**.\n\n{init_words}\n\n"
        f"The zeros-initialised LSTM ends with a mean test MSE of "
        f"{init_means['zeros']:.4f} (baseline {baseline:.4f}) and its recurrent "
        f"kernel uses {directions['zeros']:.1f} directions on average, against "
        f"{directions['orthogonal']:.1f} for orthogonal"
        + (
            ": units that start alike stay alike."
            if directions["zeros"] < directions["orthogonal"]
            else "."
        )
    )
)

# %% [markdown]
# ## 2. Gradient clipping at a learning rate that is too high
#
# SGD with momentum 0.9 at learning rate `HIGH_LR`, four ways:
#
# - **no clipping**;
# - **`clipnorm`**: Keras clips *each weight's* gradient separately to this norm,
#   which changes the direction of the whole update;
# - **`global_clipnorm`**: scales the *whole* gradient so its norm is at most this,
#   keeping its direction (what papers mean by "clipping by norm");
# - **`clipvalue`**: clips every element to $[-c, c]$.
#
# For a gradient $(3, 4)$ (norm 5):

# %%
g = np.array([3.0, 4.0])
by_norm = g * min(1.0, CLIP / np.linalg.norm(g))
by_value = np.clip(g, -CLIP_VALUE, CLIP_VALUE)
display(
    Markdown(
        f"clip by norm {CLIP}: {np.round(by_norm, 3).tolist()} (same direction); "
        f"clip by value {CLIP_VALUE}: {np.round(by_value, 3).tolist()} (direction "
        "changed: both elements now equal)."
    )
)

# %% [markdown]
# The gradient norm is logged every `GRAD_EVERY` updates on a fixed batch of 256
# training sequences, before clipping (`rnn_zoo.training.gradient_log.GradientNormLog`).

# %%
sgd = functools.partial(keras.optimizers.SGD, HIGH_LR, momentum=0.9)
CLIP_CONFIGS = {
    "no clipping": dict(optimizer=sgd()),
    f"clipnorm {CLIP} (each weight)": dict(optimizer=sgd(clipnorm=CLIP)),
    f"global_clipnorm {CLIP}": dict(optimizer=sgd(global_clipnorm=CLIP)),
    f"clipvalue {CLIP_VALUE}": dict(optimizer=sgd(clipvalue=CLIP_VALUE)),
}
clip_runs = compare_runs(
    CLIP_CONFIGS,
    SEEDS,
    EPOCHS,
    build=build,
    gradient_probe=(X_train[:256], y_train[:256]),
    gradient_every=GRAD_EVERY,
    **data,
)
clip_table = summary_table(clip_runs, ("test_loss", "max_grad_norm"), ("diverged",))
display(clip_table.style.format("{:.4g}").set_caption("Test MSE and largest gradient"))

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
plot_runs(
    clip_runs,
    "loss",
    log_scale=True,
    title=f"SGD + momentum at lr {HIGH_LR}: training MSE",
    ylabel="training MSE per epoch (log scale)",
    ax=axes[0],
)
plot_runs(
    clip_runs,
    "grad_norms",
    log_scale=True,
    title="Gradient norm before clipping",
    xlabel=f"measurement (every {GRAD_EVERY} updates)",
    ylabel="global gradient norm (log scale)",
    ax=axes[1],
)
fig.tight_layout()

# %%
clip_names = list(CLIP_CONFIGS)
_, clip_words = verdicts(clip_runs, clip_names[0])
clip_words += (
    f"\n- {describe_difference(clip_runs, 'test_loss', clip_names[1], clip_names[2])}"
)
no_clip = clip_runs[clip_runs["config"] == clip_names[0]]
display(
    Markdown(
        f"Without clipping the largest gradient norm measured was "
        f"{no_clip['max_grad_norm'].max():.3g} and "
        f"{int(no_clip['diverged'].sum())} of {len(SEEDS)} runs diverged (NaN).\n\n"
        + clip_words
    )
)

# %% [markdown]
# ## 3. Optimisers on the same budget, each at its best learning rate
#
# SGD, SGD with momentum 0.9, RMSProp and Adam, all with global clipping at
# `CLIP` and `EPOCHS` epochs. Each optimiser has its own useful range of
# learning rates (the adaptive ones divide by a running gradient scale, so they
# take smaller raw rates), and comparing them at one hand-picked rate compares
# the rates as much as the optimisers. So each gets a small sweep (`LR_SWEEP`,
# three rates a factor of about 3 apart), every rate with every seed, and is
# judged at the rate with the lowest mean validation MSE. The test MSE is only
# read at that rate. To pay for the sweep's runs, this section trains on the
# first `OPT_N_TRAIN` training sequences only.

# %%
OPTIMIZERS = {
    "SGD": keras.optimizers.SGD,
    "SGD + momentum 0.9": functools.partial(keras.optimizers.SGD, momentum=0.9),
    "RMSProp": keras.optimizers.RMSprop,
    "Adam": keras.optimizers.Adam,
}
SWEEP_CONFIGS = {
    f"{name} lr {lr:g}": dict(optimizer=make(lr, global_clipnorm=CLIP))
    for name, make in OPTIMIZERS.items()
    for lr in LR_SWEEP[name]
}
sweep_runs = compare_runs(
    SWEEP_CONFIGS,
    SEEDS,
    EPOCHS,
    build=build,
    **dict(data, train=(X_train[:OPT_N_TRAIN], y_train[:OPT_N_TRAIN])),
)
sweep_runs["optimizer"] = [
    name for name in OPTIMIZERS for lr in LR_SWEEP[name] for seed in SEEDS
]
sweep_runs["learning_rate"] = [
    lr for name in OPTIMIZERS for lr in LR_SWEEP[name] for seed in SEEDS
]
# a run that diverged counts as infinitely bad, so its rate cannot win
sweep_runs["val_mse"] = sweep_runs["final_val_loss"].fillna(np.inf)
sweep = sweep_runs.pivot_table(
    "val_mse", "optimizer", "learning_rate", aggfunc="mean", sort=False
)
best_lr = {name: sweep.loc[name].idxmin() for name in OPTIMIZERS}
display(
    sweep.style.format("{:.4f}", na_rep="")
    .highlight_min(axis=1, props="font-weight: bold")
    .set_caption(
        "Mean validation MSE after the budget, by learning rate (blank: not tried)"
    )
)

# %%
fig, ax = plt.subplots()
for name in OPTIMIZERS:
    rows = sweep_runs[sweep_runs["optimizer"] == name]
    grouped = rows.groupby("learning_rate")["final_val_loss"]  # NaN: diverged
    mean, low, high = grouped.mean(), grouped.min(), grouped.max()
    line = ax.plot(mean.index, mean.to_numpy(), "o-", label=name)[0]
    ax.fill_between(mean.index, low, high, color=line.get_color(), alpha=0.15)
ax.axhline(baseline, color="0.5", linestyle="--", label="baseline (test)")
ax.set(
    xscale="log",
    yscale="log",
    title="Learning-rate sweep: validation MSE (mean, range over seeds)",
    xlabel="learning rate (log scale)",
    ylabel="validation MSE (log scale)",
)
ax.legend()
fig.tight_layout()

# %%
chosen = [f"{name} lr {best_lr[name]:g}" for name in OPTIMIZERS]
opt_runs = sweep_runs[sweep_runs["config"].isin(chosen)].copy()
opt_runs["config"] = (
    opt_runs["optimizer"] + " (lr " + opt_runs["config"].str.split(" lr ").str[1] + ")"
)
opt_runs = opt_runs.drop(columns=["optimizer", "learning_rate", "val_mse"])
display(
    summary_table(opt_runs)
    .style.format("{:.4f}")
    .set_caption("Test MSE at each optimiser's best rate")
)
opt_best, opt_words = verdicts(opt_runs)
edge = [
    name
    for name in OPTIMIZERS
    if best_lr[name] in (min(LR_SWEEP[name]), max(LR_SWEEP[name]))
]
display(
    Markdown(
        f"Lowest mean test MSE: **{opt_best}**.\n\n{opt_words}"
        + (
            f"\n\nBest rate at the edge of its sweep for {', '.join(edge)}: a "
            "rate beyond the sweep might do better still (widen `LR_SWEEP`)."
            if edge
            else ""
        )
    )
)

# %% [markdown]
# ## 4. Dropout: between layers, on the inputs, on the recurrent state
#
# Regularisation only shows when a model overfits, so this section uses a harder
# setting: only `DROP_N_TRAIN` training sequences whose targets carry Gaussian
# noise (standard deviation `DROP_NOISE`; validation and test targets too, so the
# best possible MSE is about `DROP_NOISE`²), and a two-layer LSTM of `DROP_UNITS`
# units trained for `DROP_EPOCHS` epochs with Adam. Three kinds of dropout, each
# at rate `DROP_RATE` and active only in training (Keras' source:
# `keras/src/layers/rnn/dropout_rnn_cell.py` and `lstm.py`):
#
# - **a `Dropout` layer between layers** (`keras.layers.Dropout` after each
#   LSTM): zeroes each output value of the LSTM independently, a new mask for
#   every sample, step and unit, and scales the rest by $1/(1-r)$;
# - **`LSTM(dropout=r)`** drops the layer's **inputs** $x_t$: one mask per
#   sample of shape (features,), drawn at the first step and reused at every step
#   of the sequence, so the same input features are zeroed all along it;
# - **`LSTM(recurrent_dropout=r)`** drops the **previous state** $h_{t-1}$ where
#   it enters the recurrent kernel, also with one mask per sample for the whole
#   sequence. Keras then switches the cell to its per-gate form (four input masks
#   and four state masks, one per gate), and the fused cuDNN kernel cannot be
#   used.
#
# The one-mask-per-sequence rule, seen in an LSTM set up so that unit $j$ just
# shows whether input feature $j$ got through (the input kernel copies feature
# $j$ into unit $j$'s candidate, the forget gate is shut): ones in, `training=True`.

# %%
demo_lstm = keras.layers.LSTM(4, dropout=0.5, return_sequences=True, seed=SEED)
demo_x = np.ones((2, 6, 4), "float32")  # 2 samples, 6 steps, 4 features
demo_lstm.build(demo_x.shape)
kernel = np.zeros((4, 16), "float32")  # gate blocks: input, forget, candidate, output
kernel[:, 8:12] = 10 * np.eye(4)  # candidate of unit j <- input feature j
bias = np.zeros(16, "float32")
bias[4:8] = -10.0  # forget gate shut: no memory of earlier steps
demo_lstm.set_weights([kernel, np.zeros((4, 16), "float32"), bias])
through_lstm = keras.ops.convert_to_numpy(demo_lstm(demo_x, training=True)) > 0.1
through_layer = (
    keras.ops.convert_to_numpy(
        keras.layers.Dropout(0.5, seed=SEED)(demo_x, training=True)
    )
    > 0
)


def mask_table(kept):
    """Steps x (sample, feature): 1 where the value got through."""
    return pd.concat(
        {f"sample {i}": pd.DataFrame(k.astype(int)) for i, k in enumerate(kept)},
        axis=1,
    ).rename_axis("step")


display(
    pd.concat(
        {
            "LSTM(dropout=0.5): feature j reached unit j": mask_table(through_lstm),
            "Dropout(0.5) layer: value kept": mask_table(through_layer),
        },
        axis=1,
    )
)
same_every_step = {
    "LSTM(dropout=)": bool((through_lstm == through_lstm[:, :1]).all()),
    "Dropout layer": bool((through_layer == through_layer[:, :1]).all()),
}
display(
    Markdown(
        "The same mask at every step of a sample: "
        + ", ".join(
            f"{k} **{'yes' if v else 'no'}**" for k, v in same_every_step.items()
        )
        + ". (Each sample gets its own mask, and a new one each time the layer is "
        "called, i.e. each batch.)"
    )
)

# %% [markdown]
# The models: the same two-layer LSTM, with one kind of dropout each. In the
# first layer `LSTM(dropout=)` drops one of the two input features (the value or
# the marker) for a whole sequence, which can hide what the target depends on;
# in the second layer it drops some of the first layer's outputs.


# %%
def build_deep(dropout=0.0, recurrent_dropout=0.0, between=0.0):
    """Two LSTM layers of DROP_UNITS units and a linear head, optional dropout."""
    inputs = keras.Input(shape=(LENGTH, 2), name="features")
    x = inputs
    for i in range(2):
        x = keras.layers.LSTM(
            DROP_UNITS,
            return_sequences=i == 0,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            name=f"rnn_{i}",
        )(x)
        if between:
            x = keras.layers.Dropout(between, name=f"rnn_dropout_{i}")(x)
    outputs = keras.layers.Dense(1, name="prediction")(x)
    return keras.Model(inputs, outputs, name="deep_adding_lstm")


noise = np.random.default_rng(SEED)
Xd_train, yd_train = make_adding_problem(DROP_N_TRAIN, length=LENGTH, seed=SEED + 3)
Xd_val, yd_val = make_adding_problem(N_VAL, length=LENGTH, seed=SEED + 4)
Xd_test, yd_test = make_adding_problem(N_TEST, length=LENGTH, seed=SEED + 5)
yd_train, yd_val, yd_test = (
    (y + noise.normal(0.0, DROP_NOISE, y.shape)).astype("float32")
    for y in (yd_train, yd_val, yd_test)
)
noisy = dict(
    data,
    train=(Xd_train, yd_train),
    validation=(Xd_val, yd_val),
    test=(Xd_test, yd_test),
    batch_size=32,
)
DROPOUT_CONFIGS = {
    "no dropout": {},
    f"Dropout layer {DROP_RATE}": dict(between=DROP_RATE),
    f"LSTM(dropout={DROP_RATE})": dict(dropout=DROP_RATE),
    f"LSTM(recurrent_dropout={DROP_RATE})": dict(recurrent_dropout=DROP_RATE),
}
for name, settings in DROPOUT_CONFIGS.items():
    print(f"{name}:\n{fused_kernel_report(build_deep(**settings))}\n")

# %%
drop_runs = compare_runs(
    DROPOUT_CONFIGS,
    SEEDS,
    DROP_EPOCHS,
    build=build_deep,
    learning_rate=LEARNING_RATE,
    **noisy,
)
drop_table = summary_table(
    drop_runs, ("final_val_loss", "best_val_loss", "test_loss", "seconds_per_epoch")
)
display(drop_table.style.format("{:.4f}").set_caption("Noisy adding problem"))
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
plot_runs(
    drop_runs,
    "val_loss",
    title="Validation MSE (mean, range over seeds)",
    ylabel="validation MSE",
    ax=axes[0],
)
axes[0].axhline(DROP_NOISE**2, color="0.5", linestyle=":", label="noise floor")
axes[0].legend()
plot_runs(
    drop_runs,
    "loss",
    title="Training MSE (with dropout active)",
    ylabel="training MSE",
    ax=axes[1],
)
fig.tight_layout()

# %%
drop_names = list(DROPOUT_CONFIGS)
speed = summarize_runs(drop_runs, "seconds_per_epoch")["mean"]
fused = {
    name: fused_kernel_report(build_deep(**s)).all_fused
    for name, s in DROPOUT_CONFIGS.items()
}
_, drop_words = verdicts(drop_runs, drop_names[0])
display(
    Markdown(
        f"{drop_words}\n- Time per epoch on this machine: "
        + ", ".join(f"{n} {speed[n]:.2f} s" for n in drop_names)
        + ". Fused cuDNN kernel possible (on a GPU): "
        + ", ".join(f"{n} {'yes' if fused[n] else 'no'}" for n in drop_names)
        + ". On a CPU there is no fused kernel to lose; on a GPU recurrent dropout "
        "falls back to the generic step-by-step loop (not measured here)."
    )
)

# %% [markdown]
# Did the model without dropout overfit at all? A model overfits once its
# validation loss passes its minimum while its training loss keeps falling; the
# best epoch of each run says whether that happened within the budget.

# %%
plain = drop_runs[drop_runs["config"] == drop_names[0]]
past_best = int((plain["best_epoch"] < plain["epochs"]).sum())
overfit_words = (
    "Without dropout the best validation epoch was "
    f"{', '.join(str(e) for e in plain['best_epoch'])} of "
    f"{DROP_EPOCHS}: {past_best} of {len(plain)} runs had passed their best by the "
    f"end, and the mean test MSE ({plain['test_loss'].mean():.3f}) sits "
    f"{plain['test_loss'].mean() / DROP_NOISE**2:.2f}x the noise floor "
    f"({DROP_NOISE**2:.3f})."
)
if 2 * past_best <= len(plain):
    overfit_words += (
        " The validation loss was still falling on most seeds, so within this "
        "budget there was little overfitting for dropout to cure (exercise 4)."
    )
else:
    overfit_words += " It had begun to overfit: the case dropout is meant for."
display(Markdown(overfit_words))

# %% [markdown]
# ## 5. Early stopping: the best epoch restored vs the last
#
# The same noisy task without dropout, now with early stopping: training stops
# after `PATIENCE` epochs without a better validation loss and the weights of the
# best epoch are restored (what `rnn_zoo.fit` does by default). Compared with the
# "no dropout" runs above, which kept the weights of their last epoch.

# %%
es_runs = compare_runs(
    {f"early stopping (patience {PATIENCE})": dict(early_stopping=PATIENCE)},
    SEEDS,
    DROP_EPOCHS,
    build=build_deep,
    learning_rate=LEARNING_RATE,
    **noisy,
)
last_vs_best = pd.concat([drop_runs[drop_runs["config"] == drop_names[0]], es_runs])
last_vs_best["config"] = last_vs_best["config"].replace(
    {drop_names[0]: "last epoch (no early stopping)"}
)
es_table = summary_table(last_vs_best, ("test_loss", "epochs"))
display(es_table.style.format("{:.4f}").set_caption("Test MSE and epochs run"))
es_names = list(dict.fromkeys(last_vs_best["config"]))
es_words = describe_difference(last_vs_best, "test_loss", *es_names)
last_test = drop_runs[drop_runs["config"] == drop_names[0]]["test_loss"].to_numpy()
early_worse = (es_runs["test_loss"].to_numpy() > last_test) & (
    es_runs["epochs"].to_numpy() < DROP_EPOCHS
)
display(
    Markdown(
        f"- {es_words}\n"
        f"- Early stopping ran {es_runs['epochs'].mean():.1f} epochs on average "
        f"instead of {DROP_EPOCHS} (best epoch: "
        + ", ".join(str(e) for e in es_runs["best_epoch"])
        + ")."
        + (
            f"\n- With seed(s) {es_runs['seed'][early_worse].tolist()} it stopped "
            "early and did worse than the last epoch: the validation loss sat on a "
            f"plateau for {PATIENCE} epochs before the model found the task, and "
            "a patience that short took the plateau for the end."
            if early_worse.any()
            else ""
        )
    )
)

# %% [markdown]
# ## 6. Hyperparameter search: grid, random and Bayesian, same number of trials
#
# KerasTuner searches the LSTM width and the learning rate on the adding
# problem, with `TUNER_TRIALS` trials of `TUNER_EPOCHS` epochs per search, once
# per seed:
#
# - **grid search** (`keras_tuner.GridSearch`) tries every combination of
#   `GRID_UNITS` and `GRID_LEARNING_RATES`, in order: exactly
#   `TUNER_TRIALS` points;
# - **random search** draws every trial at random: the width from 8, 16 or 32,
#   the learning rate anywhere in [0.001, 0.03] on a log scale;
# - **Bayesian optimisation** draws `TUNER_INITIAL` trials at random from that
#   same space, then fits a Gaussian process to the scores so far and proposes
#   the most promising next point.
#
# A grid spends its trials on a few values of each hyperparameter; random and
# Bayesian search try a new learning rate at every trial.


# %%
def compiled(units, learning_rate):
    """The section-1 model at this width, compiled with Adam at this rate."""
    model = build(units=units)
    model.compile(keras.optimizers.Adam(learning_rate, global_clipnorm=CLIP), "mse")
    return model


def search_space(hp):
    """Random and Bayesian search: a width and a learning rate (log scale)."""
    units = hp.Choice("units", [8, 16, 32])
    return compiled(units, hp.Float("learning_rate", 1e-3, 3e-2, sampling="log"))


def grid_space(hp):
    """Grid search: every width in GRID_UNITS with every rate in GRID_LEARNING_RATES."""
    units = hp.Choice("units", GRID_UNITS)
    return compiled(units, hp.Choice("learning_rate", GRID_LEARNING_RATES))


search = dict(
    train=(X_train, y_train),
    validation=(X_val, y_val),
    seeds=SEEDS,
    trials=TUNER_TRIALS,
    epochs=TUNER_EPOCHS,
    batch_size=BATCH_SIZE,
)
search_runs = pd.concat(
    [
        compare_searches(grid_space, methods=["grid"], **search),
        compare_searches(
            search_space,
            methods=["random", "bayesian"],
            initial_points=TUNER_INITIAL,
            **search,
        ),
    ],
    ignore_index=True,
)
display(
    summary_table(search_runs, ("best_val_loss",))
    .style.format("{:.4f}")
    .set_caption("Best validation MSE found")
)
plot_runs(
    search_runs,
    "best_so_far",
    log_scale=True,
    xlabel="trial",
    title="Best validation MSE found so far (mean, range over seeds)",
    ylabel="validation MSE (log scale)",
)
display(
    pd.DataFrame(
        [
            {"search": r.config, "seed": r.seed, **r.best}
            for r in search_runs.itertuples()
        ]
    )
    .style.format({"units": "{:.0f}", "learning_rate": "{:.4f}"})
    .set_caption("Best settings found")
)
search_best, search_words = verdicts(search_runs, metric="best_val_loss")
display(
    Markdown(f"Lowest mean best validation MSE: **{search_best}**.\n\n{search_words}")
)

# %% [markdown]
# ## 7. Watching a run: TensorBoard
#
# `compare_runs` keeps its numbers in a table. A single training run given a
# `run_dir` keeps more: a backup to resume from, the best model, `history.csv`,
# and **TensorBoard logs** in `run_dir/logs` (per epoch: loss, validation loss,
# the learning rate, the gradient norm when a `GradientNormLog` is attached, and
# weight histograms with `histogram_freq`). One run of the section-1 model with
# Adam, read back here with TensorBoard's own reader:

# %%
set_seed(SEED)
fit(
    build,
    (X_train, y_train),
    validation=(X_val, y_val),
    epochs=EPOCHS,
    batch_size=BATCH_SIZE,
    learning_rate=LEARNING_RATE,
    clipnorm=CLIP,
    loss="mse",
    early_stopping=None,
    run_dir=RUN_DIR,
    histogram_freq=1,
    callbacks=[GradientNormLog((X_train[:256], y_train[:256]), every=GRAD_EVERY)],
    verbose=0,
)


def read_scalars(folder):
    """{tag: {epoch: value}} of the scalar summaries in a TensorBoard log folder."""
    events = EventAccumulator(str(folder), size_guidance={"tensors": 0})
    events.Reload()
    return {
        tag: {e.step: float(make_ndarray(e.tensor_proto)) for e in events.Tensors(tag)}
        for tag in events.Tags()["tensors"]
        if events.SummaryMetadata(tag).plugin_data.plugin_name == "scalars"
    }


logs = Path(RUN_DIR, "logs")
train_logs, val_logs = read_scalars(logs / "train"), read_scalars(logs / "validation")
board = pd.DataFrame(
    {
        "training MSE": train_logs["epoch_loss"],
        "validation MSE": val_logs["epoch_loss"],
        "gradient norm": train_logs["epoch_grad_norm"],
        "learning rate": train_logs["epoch_learning_rate"],
    }
).rename_axis("epoch")
history_csv = pd.read_csv(Path(RUN_DIR, "history.csv"), index_col="epoch")
logs_match_history = bool(
    np.allclose(board["training MSE"], history_csv["loss"], rtol=1e-6)
    and np.allclose(board["validation MSE"], history_csv["val_loss"], rtol=1e-6)
)
display(board.style.format("{:.4g}").set_caption(f"The scalars in {logs}"))
display(
    Markdown(
        f"The same numbers as `{RUN_DIR}/history.csv`: **{logs_match_history}**.\n\n"
        f"To browse them as curves, with the weight histograms, run "
        f"`tensorboard --logdir {logs}` in a terminal in the `notebooks` folder "
        "(after `make lab`: File → New → Terminal) and open "
        "http://localhost:6006, or in this notebook run `%load_ext tensorboard` "
        f"and then `%tensorboard --logdir {logs}`."
    )
)

# %% [markdown]
# ## Takeaways

# %%
elapsed = time.perf_counter() - START
takeaways = (
    f"- **Initialisation:** all-zero weights get no gradient except the output "
    f"bias, so they cannot learn; with zero LSTM kernels the test MSE after "
    f"{EPOCHS} epochs was {init_means['zeros']:.4f} against "
    f"{init_means[init_best]:.4f} for {init_best} (baseline {baseline:.4f}).\n"
    f"- **Clipping at lr {HIGH_LR}:** "
    f"{describe_difference(clip_runs, 'test_loss', clip_names[0], clip_names[2])}\n"
    f"- **Optimisers**, each at the best rate of its sweep: lowest mean test MSE "
    f"with {opt_best}; see the sentences above for which differences the seeds "
    "support.\n"
    f"- **Dropout:** "
    f"{describe_difference(drop_runs, 'test_loss', drop_names[0], drop_names[1])} "
    f"`LSTM(recurrent_dropout=)` took "
    f"{speed[drop_names[3]] / speed[drop_names[0]]:.1f}× the time per epoch of no "
    "dropout here, and rules out the fused GPU kernel.\n"
    f"- **Early stopping:** {es_words}\n"
    f"- **Search** (lowest mean: {search_best}):\n"
    + search_words.replace("- ", "  - ")
    + "\n"
    f"\nThis notebook ran in {elapsed / 60:.1f} minutes."
)
display(Markdown(takeaways))

# %% [markdown]
# **Train longer:** `python benchmarks/craft.py training` runs this notebook with
# `LENGTH = 20` (harder for every setting), `EPOCHS = 15`, `DROP_EPOCHS = 40` and
# a 3 × 4 grid (12 trials per search), 3 seeds, and prints its tables (results
# in the README). Before you run it, predict: does clipping
# still matter on the longer task, and does early stopping still help? More
# seeds (`SEEDS = [0, 1, 2, 3, 4]`) narrow the ranges.

# %%
KEPT = ["config", "seed", "epochs", "stopped_by_time", "diverged", "best_epoch"]
KEPT += ["test_loss", "best_val_loss", "final_val_loss", "max_grad_norm"]
KEPT += ["seconds_per_epoch", "optimizer", "learning_rate"]
KEPT += ["directions used", "best_trial", "best"]


def compact(frame):
    """The key columns of a comparison as JSON-ready records (NaN, inf -> None)."""
    small = frame[[c for c in KEPT if c in frame.columns]]
    small = small.replace([np.inf, -np.inf], np.nan).astype(object)
    return small.where(small.notna(), None).to_dict("records")


record_results(
    f"test MSE, mean of {len(SEEDS)} seed{'s' * (len(SEEDS) > 1)}: {init_best} init "
    f"{init_means[init_best]:.4f} vs zeros {init_means['zeros']:.4f}; "
    f"no clipping {summarize_runs(clip_runs, 'test_loss')['mean'].iloc[0]:.3g} vs "
    f"global_clipnorm {summarize_runs(clip_runs, 'test_loss')['mean'].iloc[2]:.3g}; "
    f"best optimiser {opt_best}",
    baseline=baseline,
    zero_gradients=zero_grads,
    clipped_example={"by_norm": by_norm.tolist(), "by_value": by_value.tolist()},
    runs={
        name: compact(frame)
        for name, frame in (
            ("init", init_runs),
            ("clip", clip_runs),
            ("optimizers", opt_runs),
            ("lr_sweep", sweep_runs),
            ("dropout", drop_runs),
            ("early_stopping", last_vs_best),
            ("search", search_runs),
        )
    },
    fused=fused,
    builder_same=builder_same,
    same_mask_every_step=same_every_step,
    lr_sweep=LR_SWEEP,
    best_lr=best_lr,
    grid={"units": GRID_UNITS, "learning_rate": GRID_LEARNING_RATES},
    search_tried=[
        [[t["units"], t["learning_rate"]] for t in trials]
        for trials in search_runs["trials"]
    ],
    words={
        "init": init_words,
        "clip": clip_words,
        "optimizers": opt_words,
        "dropout": f"{drop_words}\n- {overfit_words}",
        "early_stopping": es_words,
        "search": search_words,
    },
    search_trials=[len(r) for r in search_runs["trials"]],
    tensorboard={
        "tags": sorted(train_logs),
        "epochs": sorted(train_logs["epoch_loss"]),
        "match_history": logs_match_history,
        "learning_rate": sorted(set(train_logs["epoch_learning_rate"].values())),
    },
    search_best_so_far=search_runs["history"].map(lambda h: h["best_so_far"]).tolist(),
)

# %% [markdown]
# ## Exercises
#
# 1. Predict, then check: with `CONSTANT = 1.0`, do the LSTM's units stay more or
#    less alike than with 0.1? Look at "directions used".
# 2. Lower `HIGH_LR` (try 0.3, then 0.1) and watch the largest gradient norm of
#    the unclipped runs. Below which rate does clipping stop changing the result?
# 3. Give every optimiser the same single rate (`LR_SWEEP` with `[0.003]` for
#    each). Which optimiser "wins" now? What does that say about comparing
#    optimisers at one fixed learning rate?
# 4. Set `DROP_EPOCHS = 80` so the model without dropout has time to overfit.
#    Does dropout now beat it on every seed? Then set `DROP_N_TRAIN = 4096`:
#    what happens to the gap, and why?
# 5. Give the Bayesian search as many initial points as it has trials
#    (`TUNER_INITIAL = len(GRID_UNITS) * len(GRID_LEARNING_RATES)`). What is it
#    then?
# 6. Give the grid three widths and two rates instead of two and two. How many
#    trials does every search get now, and how many learning rates does the grid
#    try, against random search?
#
# <details><summary>Solutions</summary>
#
# 1. The constant initialiser gives every unit the same weights whatever the
#    value, so the units start as copies; only the random head tells them apart.
#    A larger constant also saturates the gates (sigmoid of large sums), which
#    slows learning further.
# 2. Once the gradient norms stay near or below `CLIP`, clipping rarely binds,
#    so the runs with and without it end at similar errors (check the ranges over
#    seeds): clipping is a guard against rare large steps, not a way to learn
#    faster.
# 3. SGD at 0.003 barely moves in the same budget, while Adam and RMSProp do
#    well there: each optimiser has its own useful range of learning rates, so a
#    comparison at one rate mostly says which optimiser that rate suits. Tune
#    each one (the sweep above; section 6 automates it).
# 4. Dropout can only help once the plain model has passed its best validation
#    epoch (memorising the noise in its targets); check the best epochs before
#    you credit it. With 16× more data there is much less room to memorise the
#    noise, and the gap between the settings shrinks again.
# 5. Random search: every trial is drawn at random, and the Gaussian process
#    never gets to propose a point.
# 6. 3 × 2 = 6 trials each. The grid still tries only 2 learning rates (each
#    three times), random search about 6 different ones: when one
#    hyperparameter matters much more than the other, a grid wastes trials on
#    the one that does not (Bergstra & Bengio, 2012).
#
# </details>
