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
# # 00 · Quickstart: forecast a noisy sine wave, honestly
#
# **What you will learn**
# - how to cut a time series into *(window of the past → next values)* training
#   pairs, and why the train/validation/test split must follow time (with a number
#   that shows what shuffling leaks)
# - why every forecast starts with a baseline, and how to read **MASE** (mean
#   absolute scaled error: below 1 beats the naive "tomorrow = today" forecast)
# - how to build an LSTM forecaster with `keras.layers`, train it with
#   `model.compile` + `model.fit` (early stopping), and read its training curves
# - two ways to forecast 20 steps ahead, **recursive** (feed each prediction back
#   in) and **direct** (predict all steps at once), and how their errors differ
#   step by step
# - the classic mistake from many tutorials — a window of one time step — and
#   what it costs, in numbers
# - why one training run proves little: the same comparison over several seeds,
#   with a winner named only where the ranges over seeds do not overlap
#
# **Time:** 1:03 to run with the default parameters on an idle 2-core laptop CPU
# (measured by the latest `make tutorials`; README lists every notebook's time).

# %% [markdown]
# ## Setup

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

import rnn_zoo
from rnn_zoo.datasets.synthetic import make_sine_waves
from rnn_zoo.evaluation import (
    direct_forecast,
    directional_accuracy,
    mase,
    naive_forecast,
    naive_scale,
    recursive_forecast,
)
from rnn_zoo.notebook import record_results, setup_notebook
from rnn_zoo.plotting import plot_backtest

# %% tags=["parameters"]
# Every knob lives here; the tests run this notebook with smaller values.
SEED = 0  # the noise of the series
SEEDS = [0, 1, 2]  # model seeds: every LSTM is trained once per seed
LENGTH = 1000  # time steps in the series
PERIOD = 6.283185  # steps per cycle: sin(t), one radian per step
NOISE = 0.1  # standard deviation of the Gaussian noise on every observation
LOOKBACK = 20  # steps the model sees (about 3 cycles)
HORIZON = 20  # steps to forecast
UNITS = 32  # LSTM width
EPOCHS = 20  # at most; early stopping ends training when validation stalls
PATIENCE = 5  # early stopping: epochs without a better validation loss
BATCH_SIZE = 32
LEARNING_RATE = 1e-3

# %%
print(setup_notebook(SEED))  # quiet TensorFlow import, Keras 3 check, seeds, plots

import keras  # noqa: E402  (imported quietly by setup_notebook)

from rnn_zoo.training import (  # noqa: E402
    build_optimizer,
    clearly_better,
    describe_difference,
    set_seed,
    summarize_runs,
)

# %% [markdown]
# ## Data: a sine wave seen through noise
#
# `make_sine_waves` draws `sin(2π t / PERIOD) + NOISE · ε` with `ε` standard
# normal. We keep the noise-free curve too: the noise can never be predicted, so
# it sets a **floor** under any model's error.

# %%
sine_args = dict(
    length=LENGTH, freq_range=(1 / PERIOD, 1 / PERIOD), phase_range=(0.0, 0.0)
)
series = make_sine_waves(1, noise=NOISE, seed=SEED, **sine_args)[0]  # (LENGTH, 1)
clean = make_sine_waves(1, noise=0.0, **sine_args)[0]
print("series:", series.shape, series.dtype, "(time steps, features)")

shown = np.arange(min(80, LENGTH))
fig, ax = plt.subplots()
ax.plot(shown, clean[shown, 0], color="0.6", label="noise-free sine")
ax.plot(shown, series[shown, 0], ".-", label=f"observed (noise {NOISE})")
ax.set(title="The first steps of the series", xlabel="time step", ylabel="value")
ax.legend()
plt.show()

# %% [markdown]
# ## Split along time, never shuffled
#
# The model must be scored on a future it has never seen: 70% of the steps for
# training, the next 15% for validation (early stopping) and the last 15% for the
# test. Neighbouring windows overlap almost entirely, so a *shuffled* split would
# put near-copies of every test window in the training set. The cell below counts
# how many test targets a shuffled split would already have shown the model
# during training (as an input or a target of some training window).

# %%
SPLIT = (0.7, 0.15, 0.15)  # train, validation, test: contiguous and in time order
train, val, test = rnn_zoo.time_split(series, SPLIT)
for name, part, start in [
    ("train", train, 0),
    ("val", val, len(train)),
    ("test", test, len(train) + len(val)),
]:
    print(f"{name:>5}: steps {start:4d} .. {start + len(part) - 1:4d} ({len(part)})")


def seen_in_training(window_starts, train_ids):
    """Share of the windows' targets that some training window already contains."""
    seen = np.zeros(LENGTH, bool)
    seen[(train_ids[:, None] + np.arange(LOOKBACK + 1)).ravel()] = True
    return seen[window_starts + LOOKBACK].mean()


starts = np.arange(LENGTH - LOOKBACK)  # every one-step window of the whole series
n_train, n_test = int(SPLIT[0] * len(starts)), int(SPLIT[2] * len(starts))
shuffled = np.random.default_rng(SEED).permutation(starts)
leak_shuffled = seen_in_training(shuffled[-n_test:], shuffled[:n_train])
leak_ordered = seen_in_training(starts[-n_test:], starts[:n_train])
display(
    Markdown(
        f"With a **shuffled** split, **{leak_shuffled:.0%}** of the test targets "
        f"were already in the training windows; with the **time-ordered** split, "
        f"**{leak_ordered:.0%}**. A shuffled test score measures memory, not "
        "forecasting."
    )
)

# %% [markdown]
# ## Scale with the training part only, then cut windows
#
# `SeriesScaler` learns the mean and spread from the training rows only (fitting
# it on everything would leak the test period's level). `make_windows` then cuts
# each part **separately**, so no window straddles a boundary: window `i` takes
# steps `i .. i+LOOKBACK-1` as input and the next `HORIZON` steps as target.

# %%
scaler = rnn_zoo.SeriesScaler().fit(train)


def windows(part, horizon):
    """(inputs scaled, targets scaled, targets in original units)."""
    X, y = rnn_zoo.make_windows(part, LOOKBACK, horizon=horizon)
    return scaler.transform(X), scaler.transform(y), y


X_train1, y_train1, _ = windows(train, 1)  # one-step pairs
X_val1, y_val1, _ = windows(val, 1)
X_train, y_train, _ = windows(train, HORIZON)  # HORIZON-step pairs
X_val, y_val, _ = windows(val, HORIZON)
X_test, _, y_test = windows(test, HORIZON)  # test targets in original units
print("one-step   X, y:", X_train1.shape, y_train1.shape)
print("multi-step X, y:", X_train.shape, y_train.shape, "(batch, timesteps, features)")
print("test       X, y:", X_test.shape, y_test.shape)
print()
print(f"window 0: inputs  = steps 0..{LOOKBACK - 1}:", np.round(train[:LOOKBACK, 0], 2))
print(f"          targets = steps {LOOKBACK}..{LOOKBACK + HORIZON - 1}:")
print("                   ", np.round(train[LOOKBACK : LOOKBACK + HORIZON, 0], 2))

# %%
fig = rnn_zoo.plot_forecast(
    train[:LOOKBACK, 0],
    train[LOOKBACK : LOOKBACK + HORIZON, 0],
    title=f"One training pair: {LOOKBACK} steps in (history), {HORIZON} out (actual)",
)
plt.show()

# %% [markdown]
# ## Baseline first: the naive forecast
#
# The naive forecast repeats the last observed value for every future step.
# **MASE** divides a forecast's mean absolute error by the mean absolute error of
# the one-step naive forecast *inside the training series*: about 1 for the naive
# forecast at step 1, below 1 means better than it. The noise floor is the MASE of
# a perfect model that knows the noise-free sine (its error is the noise alone,
# mean `NOISE·√(2/π)`).

# %%
origins = scaler.inverse_transform(X_test)[:, -1, 0]  # last observed value per window
naive = np.stack([naive_forecast([value], HORIZON) for value in origins])
scale = naive_scale(train[:, 0])


def mase_by_step(forecast):
    """MASE at each step ahead (1 .. HORIZON) over all test windows."""
    return [mase(y_test[:, h, 0], forecast[:, h], train[:, 0]) for h in range(HORIZON)]


mase_naive = mase_by_step(naive)
mase_floor = NOISE * np.sqrt(2 / np.pi) / scale  # expected MASE of a perfect model
_, _, clean_test = rnn_zoo.time_split(clean, SPLIT)
_, perfect = rnn_zoo.make_windows(clean_test, LOOKBACK, horizon=HORIZON)
mase_perfect = mase_by_step(perfect[:, :, 0])  # the noise-free sine as forecast
display(
    Markdown(
        f"Naive forecast on {len(X_test)} test windows: MASE **{mase_naive[0]:.2f}** "
        f"at step 1 and **{max(mase_naive):.2f}** at its worst step. Noise floor: a "
        f"perfect model is expected to score MASE **{mase_floor:.2f}**; on these "
        f"windows it scores **{min(mase_perfect):.2f}** to "
        f"**{max(mase_perfect):.2f}** depending on the step (the noise in a finite "
        f"test set is not exactly average)."
    )
)

# %% [markdown]
# ## The model, built with `keras.layers`
#
# Three layers: an `LSTM` reads the window `(batch, LOOKBACK, 1)` step by step
# and returns its last hidden state (`UNITS` numbers); a linear `Dense` layer
# maps that state to `horizon` values; a `Reshape` gives them the
# `(batch, horizon, 1)` layout of the targets. `horizon=1` predicts the next value.


# %%
def lstm_forecaster(lookback, horizon):
    """LSTM over a window of `lookback` steps, then `horizon` values out."""
    inputs = keras.Input(shape=(lookback, 1), name="window")
    state = keras.layers.LSTM(UNITS, name="rnn_0")(inputs)  # last hidden state
    values = keras.layers.Dense(horizon, name="head")(state)  # linear, no activation
    outputs = keras.layers.Reshape((horizon, 1), name="forecast")(values)
    return keras.Model(inputs, outputs, name="forecaster")


set_seed(SEEDS[0])
one_step = lstm_forecaster(LOOKBACK, horizon=1)
one_step.summary(line_length=80)

# %% [markdown]
# The package's `rnn_zoo.build_forecaster` builds the same network; the table
# compares the two layer by layer:

# %%
packaged = rnn_zoo.build_forecaster(LOOKBACK, 1, horizon=1, units=UNITS)
same_layers = pd.DataFrame(
    {
        "by hand": [f"{x.name}: {type(x).__name__}" for x in one_step.layers],
        "build_forecaster": [f"{x.name}: {type(x).__name__}" for x in packaged.layers],
        "parameters (by hand)": [x.count_params() for x in one_step.layers],
        "parameters (builder)": [x.count_params() for x in packaged.layers],
    }
)
same_architecture = bool(
    (same_layers["by hand"] == same_layers["build_forecaster"]).all()
    and one_step.count_params() == packaged.count_params()
)
display(same_layers)
display(
    Markdown(
        f"In total **{one_step.count_params():,}** parameters by hand and "
        f"**{packaged.count_params():,}** from `build_forecaster`: the "
        f"architectures are {'the same' if same_architecture else 'NOT the same'}."
    )
)

# %% [markdown]
# ## Train it
#
# The training loop: Adam with each gradient clipped to norm 1, mean squared
# error on the scaled values, and early stopping that ends training once the
# validation loss has not improved for `PATIENCE` epochs and restores the best
# weights. The same `fit_forecaster` function serves every model in this notebook.


# %%
def fit_forecaster(model, train_pairs, val_pairs, verbose=0):
    """Compile `model` and fit it with early stopping; return the History."""
    model.compile(
        optimizer=keras.optimizers.Adam(LEARNING_RATE, clipnorm=1.0), loss="mse"
    )
    build_optimizer(model)  # Adam's moments now: fit traces its step once, not twice
    stop = keras.callbacks.EarlyStopping(patience=PATIENCE, restore_best_weights=True)
    return model.fit(
        *train_pairs,
        validation_data=val_pairs,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        callbacks=[stop],
        verbose=verbose,
    )


history = fit_forecaster(one_step, (X_train1, y_train1), (X_val1, y_val1), verbose=2)

# %%
fig = rnn_zoo.plot_history(
    history,
    log_scale=True,
    labels={"loss": "MSE (scaled units²)"},
    title="One-step LSTM: loss per epoch",
)
plt.show()


# %%
def recursive_mase(model):
    """Recursive forecasts of a one-step model (original units) and MASE by step."""
    forecast = scaler.inverse_transform(recursive_forecast(model, X_test, HORIZON))
    return forecast[:, :, 0], mase_by_step(forecast[:, :, 0])


recursive, mase_recursive = recursive_mase(one_step)
display(
    Markdown(
        f"One step ahead, this LSTM scores MASE **{mase_recursive[0]:.3f}** against "
        f"**{mase_naive[0]:.3f}** for the naive forecast and a floor of "
        f"**{mase_floor:.3f}**."
    )
)

# %% [markdown]
# ## The classic mistake: a window of one step
#
# Many tutorials feed the network **one** value to predict the next. From a single
# value of a sine you cannot tell whether the curve is rising or falling, so the
# best any model can do is a fixed function of today's value — not much more than
# "tomorrow = today". Same network, same training, window of 1:

# %%
X_train_w1, y_train_w1 = rnn_zoo.make_windows(scaler.transform(train), 1)
X_val_w1, y_val_w1 = rnn_zoo.make_windows(scaler.transform(val), 1)


def window_of_one_mase(model):
    """Step-1 forecasts from the last value of each test window, and their MASE."""
    forecast = model.predict_on_batch(X_test[:, -1:, :])  # same test origins
    forecast = scaler.inverse_transform(forecast)[:, 0, 0]
    return forecast, mase(y_test[:, 0, 0], forecast, train[:, 0])


window_of_one = lstm_forecaster(1, horizon=1)
fit_forecaster(window_of_one, (X_train_w1, y_train_w1), (X_val_w1, y_val_w1))
one_value, mase_window_of_one = window_of_one_mase(window_of_one)
direction = {
    label: directional_accuracy(y_test[:, 0, 0], forecast, reference=origins)
    for label, forecast in [
        ("window of 1", one_value),
        (f"window of {LOOKBACK}", recursive[:, 0]),
    ]
}
display(
    Markdown(
        f"| step 1, seed {SEEDS[0]} | MASE | direction of the next move right |\n"
        f"|---|---|---|\n"
        f"| naive | {mase_naive[0]:.3f} | — (predicts no move) |\n"
        f"| LSTM, window of 1 | {mase_window_of_one:.3f} | "
        f"{direction['window of 1']:.0%} |\n"
        f"| LSTM, window of {LOOKBACK} | {mase_recursive[0]:.3f} | "
        f"{direction[f'window of {LOOKBACK}']:.0%} |\n\n"
        f"With this seed the window of 1 removes "
        f"**{1 - mase_window_of_one / mase_naive[0]:.0%}** of the naive error and "
        f"the window of {LOOKBACK} "
        f"**{1 - mase_recursive[0] / mase_naive[0]:.0%}**. One seed is one draw; "
        "the seed section below says whether the difference holds."
    )
)

# %% [markdown]
# ## Twenty steps ahead: recursive vs direct
#
# - **Recursive:** apply the one-step model, append its prediction to the window,
#   repeat (`recursive_forecast`). After `LOOKBACK` steps the model reads only its
#   own predictions, so errors can feed on themselves.
# - **Direct:** train a second model whose head outputs all `HORIZON` steps at once
#   (`lstm_forecaster(LOOKBACK, horizon=HORIZON)`) and call it once
#   (`direct_forecast`). No feedback, but a fixed horizon.


# %%
def direct_mase(model):
    """Direct forecasts (original units) of a HORIZON-step model and MASE by step."""
    forecast = direct_forecast(model, X_test, horizon=HORIZON)
    forecast = scaler.inverse_transform(forecast)[:, :, 0]
    return forecast, mase_by_step(forecast)


direct_model = lstm_forecaster(LOOKBACK, horizon=HORIZON)
direct_history = fit_forecaster(
    direct_model, (X_train, y_train), (X_val, y_val), verbose=2
)
direct, mase_direct = direct_mase(direct_model)
steps_ahead = np.arange(1, HORIZON + 1)
print(
    "recursive:", recursive.shape, " direct:", direct.shape, " (windows, steps ahead)"
)

# %%
by_step = pd.DataFrame(
    {"mase": [*mase_recursive, *mase_direct, *mase_perfect, *mase_naive]},
    index=pd.MultiIndex.from_product(
        [["LSTM recursive", "LSTM direct", "perfect model", "naive"], steps_ahead],
        names=["model", "step"],
    ),
)
fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7))
plot_backtest(
    by_step, ax=top, title=f"Test MASE by step ahead, seed {SEEDS[0]} (lower is better)"
)
lstms = ["LSTM recursive", "LSTM direct", "perfect model"]
plot_backtest(by_step, models=lstms, ax=bottom, title="Zoom: the two LSTMs")
zoom = by_step.loc[lstms, "mase"]
bottom.set_ylim(0.9 * zoom.min(), 1.1 * zoom.max())
plt.show()

# %% [markdown]
# The naive forecast is good whenever the horizon is close to a whole number of
# cycles (the sine has come back to where it was) and bad half a cycle later. The
# LSTMs know the cycle, so their error stays far below the naive curve; the zoom
# shows how the two LSTMs differ and how far each is from a perfect model. Here is
# the test window where the two LSTM forecasts disagree most, with all three
# forecasts:

# %%
example = int(
    np.argmax(np.abs(recursive - direct).mean(axis=1))
)  # where they differ most
fig = rnn_zoo.plot_forecast(
    scaler.inverse_transform(X_test[example])[:, 0],
    y_test[example, :, 0],
    {
        "naive": naive[example],
        "LSTM recursive": recursive[example],
        "LSTM direct": direct[example],
    },
    title=f"Test window {example}, where recursive and direct differ most",
)
plt.show()

# %% [markdown]
# ## One seed is one draw: repeat with other seeds
#
# Every number above comes from one random initialisation (and one shuffling of
# the training batches). The experiment loop below trains the same three LSTMs
# again for every other seed in `SEEDS`, on the same data. A model is named the
# better one only if it wins on **every** seed, i.e. the ranges over seeds do not
# overlap (`rnn_zoo.training.experiments.describe_difference`); otherwise the difference
# is not shown.

# %%
STEP1, MEAN = "MASE at step 1", f"mean MASE over {HORIZON} steps"
step1_runs = [
    {"config": "LSTM, window of 1", "seed": SEEDS[0], STEP1: mase_window_of_one},
    {
        "config": f"LSTM, window of {LOOKBACK}",
        "seed": SEEDS[0],
        STEP1: mase_recursive[0],
    },
]
horizon_runs = [
    {"config": "LSTM recursive", "seed": SEEDS[0], MEAN: np.mean(mase_recursive)},
    {"config": "LSTM direct", "seed": SEEDS[0], MEAN: np.mean(mase_direct)},
]
for seed in SEEDS[1:]:
    set_seed(seed)
    model_1 = lstm_forecaster(1, horizon=1)
    fit_forecaster(model_1, (X_train_w1, y_train_w1), (X_val_w1, y_val_w1))
    model_step = lstm_forecaster(LOOKBACK, horizon=1)
    fit_forecaster(model_step, (X_train1, y_train1), (X_val1, y_val1))
    model_direct = lstm_forecaster(LOOKBACK, horizon=HORIZON)
    fit_forecaster(model_direct, (X_train, y_train), (X_val, y_val))
    seed_recursive = recursive_mase(model_step)[1]
    step1_runs += [
        {
            "config": "LSTM, window of 1",
            "seed": seed,
            STEP1: window_of_one_mase(model_1)[1],
        },
        {
            "config": f"LSTM, window of {LOOKBACK}",
            "seed": seed,
            STEP1: seed_recursive[0],
        },
    ]
    horizon_runs += [
        {"config": "LSTM recursive", "seed": seed, MEAN: np.mean(seed_recursive)},
        {
            "config": "LSTM direct",
            "seed": seed,
            MEAN: np.mean(direct_mase(model_direct)[1]),
        },
    ]
    print(
        f"seed {seed}: {STEP1}: "
        + ", ".join(f"{r['config']} {r[STEP1]:.3f}" for r in step1_runs[-2:])
        + f"; {MEAN}: "
        + ", ".join(f"{r['config']} {r[MEAN]:.3f}" for r in horizon_runs[-2:])
    )
step1_runs, horizon_runs = pd.DataFrame(step1_runs), pd.DataFrame(horizon_runs)

# %%
windows_pair = ("LSTM, window of 1", f"LSTM, window of {LOOKBACK}")
methods_pair = ("LSTM recursive", "LSTM direct")
window_winner = clearly_better(step1_runs, STEP1, *windows_pair)
method_winner = clearly_better(horizon_runs, MEAN, *methods_pair)
display(
    pd.concat(
        [
            summarize_runs(step1_runs, STEP1).assign(metric=STEP1),
            summarize_runs(horizon_runs, MEAN).assign(metric=MEAN),
        ]
    )[["metric", "mean", "min", "max", "runs"]].round(3)
)
display(
    Markdown(
        f"- {describe_difference(step1_runs, STEP1, *windows_pair, digits=3)}\n"
        f"- {describe_difference(horizon_runs, MEAN, *methods_pair, digits=3)}"
    )
)

# %%
record_results(
    f"LSTM MASE {mase_recursive[0]:.2f} at step 1 vs naive {mase_naive[0]:.2f} "
    f"(floor {mase_floor:.2f}); window of 1: {mase_window_of_one:.2f} "
    f"(seed {SEEDS[0]}); better on every one of {len(SEEDS)} seeds: "
    f"{window_winner or 'not shown'} (step 1), "
    f"{method_winner or 'not shown'} (all {HORIZON} steps)",
    test_windows=len(X_test),
    scaler_mean=scaler.estimator_.mean_.tolist(),
    scaler_scale=scaler.estimator_.scale_.tolist(),
    mase_floor=mase_floor,
    mase_perfect=mase_perfect,
    naive_scale=scale,
    mase_naive=mase_naive,
    mase_recursive=mase_recursive,
    mase_direct=mase_direct,
    mase_window_of_one=mase_window_of_one,
    directional_accuracy_window_of_one=direction["window of 1"],
    directional_accuracy_lstm=direction[f"window of {LOOKBACK}"],
    leak_shuffled=leak_shuffled,
    leak_ordered=leak_ordered,
    recursive_shape=recursive.shape,
    direct_shape=direct.shape,
    epochs_one_step=len(history.epoch),
    epochs_direct=len(direct_history.epoch),
    same_architecture=same_architecture,
    seeds=list(SEEDS),
    step1_runs=step1_runs.to_dict(orient="records"),
    horizon_runs=horizon_runs.to_dict(orient="records"),
    window_winner=window_winner,
    method_winner=method_winner,
)

# %% [markdown]
# ## Takeaways

# %%
beats_floor_by = mase_recursive[0] / mase_floor
verdict = {
    winner: f"**{winner}** won on every one of the {len(SEEDS)} seeds"
    for winner in (*windows_pair, *methods_pair)
} | {None: f"the ranges over {len(SEEDS)} seeds overlap, so no winner is named"}
display(
    Markdown(
        f"- **Split in time.** A shuffled split would have shown the model "
        f"{leak_shuffled:.0%} of the test targets during training; the time-ordered "
        f"split showed it {leak_ordered:.0%}.\n"
        f"- **Baseline first.** The naive forecast scores MASE {mase_naive[0]:.2f} at "
        f"step 1 and up to {max(mase_naive):.2f} further out; the noise floor is "
        f"{mase_floor:.2f}. Every model number above means something only next to "
        f"these two.\n"
        f"- **A window of one step is the classic mistake.** With seed {SEEDS[0]} "
        f"the same LSTM scores {mase_window_of_one:.2f} with a window of 1 and "
        f"{mase_recursive[0]:.2f} with a window of {LOOKBACK} ({beats_floor_by:.1f}× "
        f"the noise floor); across seeds, {verdict[window_winner]}.\n"
        f"- **Recursive vs direct.** Over {HORIZON} steps, {verdict[method_winner]}. "
        f"A one-step model serves any horizon; a direct model must be retrained "
        f"for a new one.\n"
        f"- **Seeds.** One training run is one draw: compare ranges over seeds "
        f"before naming a winner."
    )
)

# %% [markdown]
# **Train longer:** raise `EPOCHS` (early stopping stops when validation stalls),
# `LENGTH` (more training windows) and `UNITS`. On a sine this noisy the step-1
# MASE cannot fall below the noise floor printed above, so expect gains mostly
# at the longer horizons.
#
# **Next:** notebook 04 applies the same discipline to stock prices, where the
# naive forecast is very hard to beat.

# %% [markdown]
# ## Exercises
#
# 1. **No noise.** Set `NOISE = 0.0` and rerun everything. Before you do: what
#    happens to the noise floor, to the naive MASE and to the LSTM's MASE?
# 2. **Shuffle on purpose.** Change `seen_in_training` to count only targets that
#    appeared as *inputs* of training windows, and rerun the split cell. Is the
#    leak smaller? Why is it still large?
# 3. **Longer horizon.** Set `HORIZON = 40` (twice the window). Which forecast
#    degrades more at the far steps, recursive or direct? Look at the MASE-by-step
#    plot, not just the average.
# 4. **GRU instead of LSTM.** Replace `keras.layers.LSTM` by `keras.layers.GRU`
#    in `lstm_forecaster` and rerun. Compare `one_step.count_params()` and the
#    step-1 MASE over the seeds.
# 5. **A seasonal baseline.** `rnn_zoo.evaluation.seasonal_naive_forecast(history,
#    HORIZON, m=6)` repeats the value from 6 steps earlier. Score it by step. Why is
#    it strong but not perfect on a sine with period 2π ≈ 6.28 steps?
#
# <details><summary>Solutions</summary>
#
# 1. The floor drops to 0 (there is no noise left to miss). The naive MASE stays
#    near 1 at step 1 (it is scaled by its own in-sample error). The LSTM's MASE
#    falls far below its noisy value: what remains is approximation error, which
#    more epochs keep reducing.
# 2. Add the targets' offset only: `np.arange(LOOKBACK)` instead of
#    `np.arange(LOOKBACK + 1)`. The leak stays where it was: with overlapping
#    windows nearly every test target sits inside the *input* of some training
#    window a few steps later. Shuffled windows are near-duplicates of each other.
# 3. Run it and read the plot. Typically the recursive error grows once the window
#    holds only predictions (beyond `LOOKBACK` steps), while the direct model's
#    error grows more evenly; on a clean periodic signal both stay far below the
#    naive forecast. Whichever wins, the per-step table tells you where.
# 4. A GRU has 3 gate blocks instead of 4, so about three quarters of the
#    recurrent parameters; on this task its MASE is usually within the spread
#    you see between seeds — read the seed table before concluding.
# 5. ```python
#    from rnn_zoo.evaluation import seasonal_naive_forecast
#    past = scaler.inverse_transform(X_test)[:, :, 0]
#    seasonal = np.stack([seasonal_naive_forecast(p, HORIZON, 6) for p in past])
#    print(np.round(mase_by_step(seasonal), 2))
#    ```
#    Six steps is 0.28 steps short of a full cycle, so each copy is slightly out
#    of phase (and carries the old noise). Steps 1-6 copy from 6 steps back, steps
#    7-12 from 12 steps back (two cycles minus 0.57 steps), and so on: its error is
#    about constant within each block of 6 steps and jumps up with every block,
#    until further out it loses to the plain naive forecast at some steps.
#
# </details>
