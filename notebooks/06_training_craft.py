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
# - SGD, SGD with momentum, RMSProp and Adam on the same budget
# - dropout between layers vs recurrent dropout: the effect on validation loss,
#   and the price of recurrent dropout (no fused cuDNN kernel, slower epochs)
# - early stopping: the restored best epoch vs the last one
# - random search vs Bayesian optimisation with KerasTuner, same number of trials
# - to read a comparison over seeds: mean and range, and "not shown" where the
#   ranges overlap
#
# **Time:** about 8.5 minutes on an otherwise idle 2-core laptop CPU with the
# default parameters (about 50 small models and 36 search trials); on a busy
# machine, up to twice that.
#
# Every claim below is measured with **3 seeds** on the **same budget** (the same
# number of epochs, so the same number of updates), with
# `rnn_zoo.experiments.compare_runs`. A sentence that compares two settings is
# rendered from the numbers by `describe_difference`: it says one beat the other
# only when their ranges over the seeds do not overlap.

# %% [markdown]
# ## Setup

# %%
import functools
import time

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
EPOCHS = 6  # the budget of every run in sections 1-3 (32 updates an epoch)
LEARNING_RATE = 0.01  # Adam, section 1
CONSTANT = 0.1  # the constant initialiser's value
HIGH_LR = 1.0  # section 2: SGD with momentum 0.9 at a learning rate too high
CLIP = 1.0  # clipnorm and global_clipnorm
CLIP_VALUE = 0.1  # clipvalue
GRAD_EVERY = 4  # log the gradient norm every this many updates
SGD_LR = 0.1  # section 3: SGD with and without momentum
ADAPTIVE_LR = 0.003  # section 3: RMSProp and Adam
DROP_N_TRAIN = 256  # section 4: a small, noisy training set, to overfit
DROP_NOISE = 0.2  # standard deviation of the noise added to the targets
DROP_UNITS = 32  # two LSTM layers of this width
DROP_RATE = 0.3
DROP_EPOCHS = 25
PATIENCE = 3  # early stopping: epochs without improvement
TUNER_TRIALS = 6  # trials per search
TUNER_INITIAL = 2  # Bayesian optimisation: random trials before it models
TUNER_EPOCHS = 3  # epochs per trial
TIME_CAP = 120  # safety cap in seconds per run, for slow machines

# %%
print(setup_notebook(SEED))

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from rnn_zoo.datasets import make_adding_problem  # noqa: E402
from rnn_zoo.experiments import (  # noqa: E402
    compare_runs,
    describe_difference,
    summarize_runs,
)
from rnn_zoo.gradient_log import gradient_norms_by_weight  # noqa: E402
from rnn_zoo.models import build_sequence_regressor, fused_kernel_report  # noqa: E402
from rnn_zoo.plotting import plot_runs  # noqa: E402
from rnn_zoo.tuning import compare_searches  # noqa: E402

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


def build(all_zeros=False, **settings):
    """One LSTM layer of UNITS units and a linear head; optionally all weights 0."""
    model = build_sequence_regressor(LENGTH, 2, units=UNITS, **settings)
    if all_zeros:
        model.set_weights([np.zeros_like(w) for w in model.get_weights()])
    return model


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
# training sequences, before clipping (`rnn_zoo.gradient_log.GradientNormLog`).

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
# ## 3. Optimisers on the same budget
#
# SGD and SGD with momentum 0.9 at learning rate `SGD_LR`, RMSProp and Adam at
# `ADAPTIVE_LR` (each at a rate that suits it; the adaptive ones divide by a
# running gradient scale, so they take smaller raw rates), all with global
# clipping at `CLIP` and `EPOCHS` epochs.

# %%
OPTIMIZER_CONFIGS = {
    "SGD": dict(optimizer=keras.optimizers.SGD(SGD_LR, global_clipnorm=CLIP)),
    "SGD + momentum 0.9": dict(
        optimizer=keras.optimizers.SGD(SGD_LR, momentum=0.9, global_clipnorm=CLIP)
    ),
    "RMSProp": dict(
        optimizer=keras.optimizers.RMSprop(ADAPTIVE_LR, global_clipnorm=CLIP)
    ),
    "Adam": dict(optimizer=keras.optimizers.Adam(ADAPTIVE_LR, global_clipnorm=CLIP)),
}
opt_runs = compare_runs(OPTIMIZER_CONFIGS, SEEDS, EPOCHS, build=build, **data)
display(summary_table(opt_runs).style.format("{:.4f}").set_caption("Test MSE"))
plot_runs(
    opt_runs,
    "val_loss",
    log_scale=True,
    title="Optimisers: validation MSE (mean, range over seeds)",
    ylabel="validation MSE (log scale)",
)
plt.axhline(baseline, color="0.5", linestyle="--", label="baseline")
plt.legend()
# %%
opt_best, opt_words = verdicts(opt_runs)
display(Markdown(f"Lowest mean test MSE: **{opt_best}**.\n\n{opt_words}"))

# %% [markdown]
# ## 4. Dropout between layers vs recurrent dropout
#
# Regularisation only shows when a model overfits, so this section uses a harder
# setting: only `DROP_N_TRAIN` training sequences whose targets carry Gaussian
# noise (standard deviation `DROP_NOISE`; validation and test targets too, so the
# best possible MSE is about `DROP_NOISE`²), and a two-layer LSTM of `DROP_UNITS`
# units trained for `DROP_EPOCHS` epochs with Adam.
#
# - **dropout** (`dropout=`): zeroes a random share of each LSTM layer's
#   *outputs* before the next layer, a new mask per step;
# - **recurrent dropout** (`recurrent_dropout=`): zeroes part of the *state*
#   passed from step to step inside the layer, the same mask at every step.

# %%
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
build_deep = functools.partial(
    build_sequence_regressor, LENGTH, 2, units=DROP_UNITS, num_layers=2
)
DROPOUT_CONFIGS = {
    "no dropout": {},
    f"dropout {DROP_RATE}": dict(dropout=DROP_RATE),
    f"recurrent dropout {DROP_RATE}": dict(recurrent_dropout=DROP_RATE),
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
# ## 6. Hyperparameter search: random vs Bayesian, same number of trials
#
# KerasTuner searches the LSTM width and the learning rate (log scale) on the
# adding problem. **Random search** samples every trial at random; **Bayesian
# optimisation** samples `TUNER_INITIAL` at random, then fits a Gaussian process
# to the scores so far and proposes the most promising next point. Each search
# gets `TUNER_TRIALS` trials of `TUNER_EPOCHS` epochs, once per seed.


# %%
def hypermodel(hp):
    """KerasTuner search space: units and learning rate."""
    model = build_sequence_regressor(LENGTH, 2, units=hp.Choice("units", [8, 16, 32]))
    learning_rate = hp.Float("learning_rate", 1e-3, 3e-2, sampling="log")
    model.compile(keras.optimizers.Adam(learning_rate, global_clipnorm=CLIP), "mse")
    return model


search_runs = compare_searches(
    hypermodel,
    (X_train, y_train),
    (X_val, y_val),
    seeds=SEEDS,
    trials=TUNER_TRIALS,
    epochs=TUNER_EPOCHS,
    batch_size=BATCH_SIZE,
    initial_points=TUNER_INITIAL,
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
search_words = describe_difference(search_runs, "best_val_loss", "random", "bayesian")
display(Markdown(f"- {search_words}"))

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
    f"- **Optimisers:** lowest mean test MSE with {opt_best}; see the sentences "
    "above for which differences the seeds support.\n"
    f"- **Dropout:** "
    f"{describe_difference(drop_runs, 'test_loss', drop_names[0], drop_names[1])} "
    f"Recurrent dropout took {speed[drop_names[2]] / speed[drop_names[0]]:.1f}× "
    "the time per epoch of no dropout here, and rules out the fused GPU kernel.\n"
    f"- **Early stopping:** {es_words}\n"
    f"- **Search:** {search_words}\n"
    f"\nThis notebook ran in {elapsed / 60:.1f} minutes."
)
display(Markdown(takeaways))

# %% [markdown]
# **Train longer:** `python benchmarks/craft.py training` runs this notebook with
# `LENGTH = 20` (harder for every setting), `EPOCHS = 15`, `DROP_EPOCHS = 40` and
# `TUNER_TRIALS = 12`, 3 seeds, in about 22 minutes on 2 cores, and prints its
# tables (results in the README). Before you run it, predict: does clipping
# still matter on the longer task, and does early stopping still help? More
# seeds (`SEEDS = [0, 1, 2, 3, 4]`) narrow the ranges.

# %%
KEPT = ["config", "seed", "epochs", "stopped_by_time", "diverged", "best_epoch"]
KEPT += ["test_loss", "best_val_loss", "final_val_loss", "max_grad_norm"]
KEPT += ["seconds_per_epoch"]
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
            ("dropout", drop_runs),
            ("early_stopping", last_vs_best),
            ("search", search_runs),
        )
    },
    fused=fused,
    words={
        "init": init_words,
        "clip": clip_words,
        "optimizers": opt_words,
        "dropout": f"{drop_words}\n- {overfit_words}",
        "early_stopping": es_words,
        "search": search_words,
    },
    search_trials=[len(r) for r in search_runs["trials"]],
    search_best_so_far=search_runs["history"].map(lambda h: h["best_so_far"]).tolist(),
)

# %% [markdown]
# ## Exercises
#
# 1. Predict, then check: with `CONSTANT = 1.0`, do the LSTM's units stay more or
#    less alike than with 0.1? Look at "directions used".
# 2. Lower `HIGH_LR` (try 0.3, then 0.1) and watch the largest gradient norm of
#    the unclipped runs. Below which rate does clipping stop changing the result?
# 3. Give SGD the same learning rate as Adam (`SGD_LR = ADAPTIVE_LR`). What does
#    that say about comparing optimisers at one fixed learning rate?
# 4. Set `DROP_EPOCHS = 80` so the model without dropout has time to overfit.
#    Does dropout now beat it on every seed? Then set `DROP_N_TRAIN = 4096`:
#    what happens to the gap, and why?
# 5. Give the Bayesian search `TUNER_INITIAL = TUNER_TRIALS`. What is it then?
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
# 3. SGD at 0.003 barely moves in the same budget: each optimiser has its own
#    useful range of learning rates, so a fair comparison tunes each one (which
#    is what section 6 automates).
# 4. Dropout can only help once the plain model has passed its best validation
#    epoch (memorising the noise in its targets); check the best epochs before
#    you credit it. With 16× more data there is much less room to memorise the
#    noise, and the gap between the settings shrinks again.
# 5. Random search: every trial is drawn at random, and the Gaussian process
#    never gets to propose a point.
#
# </details>
