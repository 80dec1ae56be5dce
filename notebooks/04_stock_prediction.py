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
# # 04 · Stock prediction with LSTMs and GRUs, done honestly
#
# Stock-price LSTM tutorials are the most copied notebooks on the internet, and
# most of them are wrong: the scaler sees the test data, the split is shuffled,
# and the impressive plot is yesterday's price shifted by one day. This notebook
# makes those mistakes on purpose, measures what they hide, and then does the
# job properly.
#
# **What you will learn**
# - the **shifted-copy illusion**: why a price-level forecast that hugs the
#   truth on a plot is usually just "tomorrow = today", and how to check
# - how to measure **leakage** (a scaler fitted on all rows, a shuffled split)
#   honestly: both pipelines scored on the **same test days**, each next to the
#   naive forecast, over several seeds; and why comparing scores from different
#   test days measures the period instead
# - why **log returns** are the target, and the **random walk** (naive) the
#   baseline to beat
# - the forecaster as a few `keras.layers`, built by hand, and the same layers
#   from `rnn_zoo.build_forecaster`
# - a **walk-forward backtest** of LSTM and GRU forecasters over several seeds,
#   1 and 5 days ahead, with and without volume and high-low features, against
#   naive, drift and mean baselines, scored with **MASE** and **directional accuracy**
# - a **Diebold-Mariano test** that says whether a difference in errors is real
#
# **Time:** 3:38 to run with the default parameters on an idle 2-core laptop CPU
# (measured by the latest `make tutorials`; README lists every notebook's time).

# %% [markdown]
# ## Setup

# %%
import functools
import hashlib

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

import rnn_zoo
from rnn_zoo.evaluation import compare_forecasts, rmse
from rnn_zoo.notebook import record_results, setup_notebook
from rnn_zoo.plotting import plot_backtest, plot_forecast

# %% tags=["parameters"]
# Every knob lives here; the tests run this notebook with smaller values.
SEED = 0
SEEDS = [0, 1, 2]  # every training (and the shuffled split) is repeated per seed
SOURCE = "GOOG"  # bundled daily prices, or the path of a Yahoo-style CSV
LOOKBACK = 20  # trading days the model sees (about one month)
TEST_FRACTION = 0.2  # last share of days held out in the price-level section
UNITS = 16  # width of every LSTM/GRU
EPOCHS_LEVEL = 20  # epochs for the two price-level models
LEARNING_RATE = 3e-3  # Adam, for the price-level models
EPOCHS = 8  # epochs per training in the walk-forward backtest
BATCH_SIZE = 32
TEST_DAYS = 200  # trading days forecast in the walk-forward backtest
REFITS = 2  # trainings per backtest: retrain every TEST_DAYS / REFITS days
HORIZONS = [1, 5]  # days ahead
CELLS = ["lstm", "gru"]
INPUTS = ["univariate", "+ volume, high-low"]  # input sets to backtest

# %%
print(setup_notebook(SEED))  # quiet TensorFlow import, Keras 3 check, seeds, plots

import keras  # noqa: E402  (imported quietly by setup_notebook)

from rnn_zoo.training import (  # noqa: E402
    build_optimizer,
    clearly_better,
    describe_difference,
    set_seed,
)

# %% [markdown]
# ## Data: daily prices
#
# `load_stock_prices("GOOG")` reads the daily Google prices that ship with
# matplotlib (no download); any Yahoo-style CSV works through `SOURCE`. The loader
# refuses gaps, duplicate or unsorted dates and impossible prices instead of
# passing them on.

# %%
prices = rnn_zoo.load_stock_prices(SOURCE)
print(
    prices.shape,
    "rows x columns;",
    prices.index[0].date(),
    "to",
    prices.index[-1].date(),
)
print(prices.head(3).round(2).to_string())

fig, ax = plt.subplots()
ax.plot(prices.index, prices["Close"], label="Close")
ax.set(title=f"{SOURCE}: daily closing price", xlabel="date", ylabel="price (USD)")
ax.legend()
plt.show()

# %% [markdown]
# ## The model
#
# Every forecaster in this notebook is the same small network: a window of
# `LOOKBACK` days goes through one LSTM (or GRU) layer of `UNITS` units, whose
# last state feeds a linear `Dense` layer with one output per day ahead. The
# `Reshape` only gives the output the `(batch, horizon, 1)` layout of the targets
# that `rnn_zoo.make_windows` cuts.

# %%
RECURRENT_LAYERS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}


def build_rnn_forecaster(lookback, n_features, horizon=1, *, cell="lstm"):
    """Window (lookback, n_features) -> LSTM/GRU -> the next `horizon` values."""
    return keras.Sequential(
        [
            keras.Input(shape=(lookback, n_features), name="window"),
            # cell "lstm": keras.layers.LSTM(UNITS, name="rnn_0"); keeps its last state
            RECURRENT_LAYERS[cell](UNITS, name="rnn_0"),
            keras.layers.Dense(horizon, name="head"),  # linear: one value per day
            keras.layers.Reshape((horizon, 1), name="forecast"),
        ],
        name=f"{cell}_forecaster",
    )


build_rnn_forecaster(LOOKBACK, 1).summary()

# %% [markdown]
# `rnn_zoo.build_forecaster` (what `python -m rnn_zoo forecast` trains) builds
# the same network, so you can copy either. Same layers, same parameter counts:


# %%
def layer_list(model):
    """'type: parameters' of each layer, the input placeholder left out."""
    return [
        f"{type(layer).__name__}: {layer.count_params():,} parameters"
        for layer in model.layers
        if not isinstance(layer, keras.layers.InputLayer)
    ]


builders = {
    cell: (
        build_rnn_forecaster(LOOKBACK, 3, cell=cell),
        rnn_zoo.build_forecaster(LOOKBACK, 3, cell=cell, units=UNITS),
    )
    for cell in CELLS
}
display(
    pd.DataFrame(
        {
            (cell, source): layer_list(model)
            for cell, models_ in builders.items()
            for source, model in zip(
                ["by hand", "build_forecaster"], models_, strict=True
            )
        }
    )
)
builder_matches = all(layer_list(a) == layer_list(b) for a, b in builders.values())
assert builder_matches, "the hand-built model and build_forecaster differ"

# %% [markdown]
# ## Part 1 · The tutorial pipeline: predict the price level
#
# Here is what most tutorials do: scale the closing price with a `MinMaxScaler`
# fitted on **all** rows, cut windows of `LOOKBACK` days, split the windows
# **at random** into train and test, train an LSTM and admire the test score.
# Then the same model done right: split **along time** first, fit the scaler on
# the training days only, and test on the last days, which the model has never
# seen. Both train the model above with `compile` and `fit`, once per seed in
# `SEEDS` (the seed also draws the shuffled split).

# %%
close = prices[["Close"]].to_numpy()
y = close[:, 0]
n_test = int(round(TEST_FRACTION * len(close)))
honest_rows = np.arange(len(close) - n_test, len(close))  # the last n_test days


def train_level_model(X_train, y_train, seed):
    """The LSTM above, trained to predict the next (scaled) price."""
    set_seed(seed)
    model = build_rnn_forecaster(LOOKBACK, 1)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse")
    build_optimizer(model)  # Adam's moments now: fit traces its step once, not twice
    history = model.fit(
        X_train, y_train, epochs=EPOCHS_LEVEL, batch_size=BATCH_SIZE, verbose=0
    )
    return model, history.history["loss"]


def forecast_every_day(model, scaler):
    """The model's price forecast for each day from the LOOKBACK days before it."""
    X, _ = rnn_zoo.make_windows(scaler.transform(close), LOOKBACK)
    forecast = np.full(len(close), np.nan)  # no forecast for the first days
    forecast[LOOKBACK:] = scaler.inverse_transform(model.predict(X, verbose=0)[:, 0])[
        :, 0
    ]
    return forecast


def leaky_pipeline(seed):
    """The tutorial pipeline (DON'T copy this)."""
    scaler = MinMaxScaler().fit(close)  # mistake 1: statistics of every row
    X, target = rnn_zoo.make_windows(scaler.transform(close), LOOKBACK)
    train_ids, test_ids = train_test_split(  # mistake 2: a shuffled split
        np.arange(len(X)), test_size=n_test, shuffle=True, random_state=seed
    )
    model, losses = train_level_model(X[train_ids], target[train_ids], seed)
    # window i predicts row i + LOOKBACK of `close`
    return forecast_every_day(model, scaler), test_ids + LOOKBACK, train_ids, losses


def honest_pipeline(seed):
    """Split in time first; every statistic from the training days only."""
    train_part = close[: honest_rows[0]]
    scaler = MinMaxScaler().fit(train_part)
    X, target = rnn_zoo.make_windows(scaler.transform(train_part), LOOKBACK)
    model, losses = train_level_model(X, target, seed)
    # test windows may look back into the last training days (the past), never ahead
    return forecast_every_day(model, scaler), honest_rows, np.arange(len(X)), losses


def seen_share(train_windows, rows):
    """Share of the test rows whose price some training window contains."""
    seen = np.zeros(len(close), bool)
    seen[(train_windows[:, None] + np.arange(LOOKBACK + 1)).ravel()] = True
    return float(seen[rows].mean())


def score(forecast, rows):
    """RMSE of a forecast and of the naive one ('tomorrow = today') on `rows`."""
    model_rmse, naive_rmse = rmse(y[rows], forecast[rows]), rmse(y[rows], y[rows - 1])
    return {
        "test days": len(rows),
        "RMSE (USD)": model_rmse,
        "naive RMSE (USD)": naive_rmse,
        "RMSE / naive": model_rmse / naive_rmse,
        # which days this score used: a fingerprint of the set, first and last
        "day set": hashlib.sha1(np.sort(rows)).hexdigest()[:10],
        "first day": str(prices.index[rows.min()].date()),
        "last day": str(prices.index[rows.max()].date()),
    }


pipelines = {"leaky": leaky_pipeline, "honest": honest_pipeline}
level_runs, level_forecasts = [], {}
for seed in SEEDS:
    runs_of_seed = {name: pipeline(seed) for name, pipeline in pipelines.items()}
    leaky_test_rows = runs_of_seed["leaky"][1]
    # the leaky pipeline's test days that fall in the honest test period
    same_rows = np.intersect1d(leaky_test_rows, honest_rows)
    for name, (forecast, test_rows, train_windows, losses) in runs_of_seed.items():
        print(
            f"seed {seed}, {name}: {len(losses)} epochs, "
            f"MSE {losses[0]:.4f} -> {losses[-1]:.5f}"
        )
        level_forecasts[name, seed] = forecast
        for days, rows in (("own", test_rows), ("same", same_rows)):
            level_runs.append(
                {
                    "seed": seed,
                    "config": name,
                    "test days of": days,
                    "seen in training": seen_share(train_windows, rows),
                    **score(forecast, rows),
                }
            )
level_runs = pd.DataFrame(level_runs)
own_runs = level_runs[level_runs["test days of"] == "own"]
same_runs = level_runs[level_runs["test days of"] == "same"]
columns = ["test days", "seen in training", "RMSE (USD)", "naive RMSE (USD)"]
columns += ["RMSE / naive"]  # below 1 beats naive on the same days

# %% [markdown]
# First the way the tutorials report it: each pipeline scored on its **own**
# test days. The naive forecast "tomorrow = today" learns nothing, so it cannot
# leak; its RMSE on the same days says how hard those days were.

# %%
own_mean = own_runs.groupby("config", sort=False)[columns].mean()
display(own_mean.round(3).rename_axis(f"own test days, mean of {len(SEEDS)} seeds"))
own_model, own_naive = own_mean["RMSE (USD)"], own_mean["naive RMSE (USD)"]
own_ratio = own_mean["RMSE / naive"]
display(
    Markdown(
        f"On their own test days the leaky pipeline reports **{own_model['leaky']:.1f}"
        f" USD** and the honest one **{own_model['honest']:.1f} USD** "
        f"({own_model['honest'] / own_model['leaky']:.2f}×). But the naive "
        f"forecast, which cannot leak, scores {own_naive['leaky']:.1f} vs "
        f"{own_naive['honest']:.1f} USD on the same two day sets "
        f"({own_naive['honest'] / own_naive['leaky']:.2f}×): the shuffled split's "
        f"random days from {prices.index[0].year}–{prices.index[-1].year} were "
        + ("calmer" if own_naive["leaky"] < own_naive["honest"] else "no calmer")
        + f" than the last {n_test} days. Scores from different days compare "
        "the test periods as well as the pipelines; relative to naive on its own "
        f"days, the leaky LSTM scores {own_ratio['leaky']:.2f}× and the honest one "
        f"{own_ratio['honest']:.2f}×."
    )
)

# %% [markdown]
# So score both on the **same days**: the leaky pipeline's test days that fall in
# the honest test period (neither model trained on their target), and divide
# each RMSE by the naive forecast's on those days (below 1 beats naive).

# %%
display(
    same_runs.pivot(index="seed", columns="config", values="RMSE / naive")
    .assign(**{"test days": same_runs.groupby("seed")["test days"].first()})
    .round(3)
)
leak_winner = clearly_better(same_runs, "RMSE / naive", "leaky", "honest")
display(
    Markdown(
        "RMSE / naive on the same days: "
        + describe_difference(same_runs, "RMSE / naive", "leaky", "honest", digits=3)
        + {
            "leaky": " The leak flattered the model on every seed.",
            "honest": " The honest pipeline did better on every seed: the leak "
            "did not flatter this model.",
            None: " On the same days the leak's effect is smaller than the spread "
            "over seeds, so the gap in the first table is no evidence of leakage.",
        }[leak_winner]
        + (
            " Both pipelines' LSTMs were worse than naive on every seed."
            if same_runs["RMSE / naive"].min() > 1
            else ""
        )
    )
)

# %% [markdown]
# What did each mistake leak? The shuffled split showed the model most test
# prices inside its training windows (the "seen in training" column above); how
# much that helps depends on the model, and one that mostly repeats the last
# price (see the shifted-copy illusion below) gains little from it. The scaler
# leaks only what the training days do not already tell it, the price range:

# %%
scalers_equal = np.allclose(
    MinMaxScaler().fit(close).data_range_,
    MinMaxScaler().fit(close[: honest_rows[0]]).data_range_,
)
display(
    Markdown(
        f"Training days' price range: {y[: honest_rows[0]].min():.0f} to "
        f"{y[: honest_rows[0]].max():.0f} USD; test days': "
        f"{y[honest_rows].min():.0f} to {y[honest_rows].max():.0f} USD, so the "
        "scaler fitted on all rows is "
        + ("**the same**" if scalers_equal else "**not the same**")
        + " as the one fitted on the training rows."
    )
)

# %% [markdown]
# ### The shifted-copy illusion
#
# Plot the honest model's forecasts for the first test days next to the naive
# forecast "tomorrow = today". On a chart of prices that span hundreds of dollars,
# any curve that follows the price with a delay looks like a decent forecast;
# that is how "yesterday's price, shifted by a day" passes for a model. The check
# that matters is *which day the forecast's moves resemble most*: if the forecast
# for day t moves like the price of day t − 1, the model is echoing the past.

# %%
honest_forecast = level_forecasts["honest", SEEDS[0]]
rows_shown = honest_rows[:60]
fig = plot_forecast(
    pd.Series(
        y[rows_shown[0] - 40 : rows_shown[0]],
        prices.index[rows_shown[0] - 40 : rows_shown[0]],
    ),
    pd.Series(y[rows_shown], prices.index[rows_shown]),
    {
        f"LSTM (honest, seed {SEEDS[0]})": honest_forecast[rows_shown],
        "naive: yesterday's price": y[rows_shown - 1],
    },
    units="USD",
    ylabel="closing price",
    title=f"{SOURCE}: one-day-ahead forecasts of the price level",
)
plt.show()


def best_lag(pred, rows, max_lag=5):
    """The lag k for which corr(forecast of day t, price on day t - k) is largest."""
    change = np.diff(pred)  # compare day-to-day moves, not levels
    corrs = {
        k: np.corrcoef(change, np.diff(y[rows - k]))[0, 1] for k in range(max_lag + 1)
    }
    return max(corrs, key=corrs.get), corrs


lag, lag_corrs = best_lag(honest_forecast[honest_rows], honest_rows)
display(
    Markdown(
        f"The day-to-day moves of the LSTM's forecast correlate best with the moves "
        f"of the price **{lag} day(s) earlier** (correlation {lag_corrs[lag]:.2f}), "
        f"against {lag_corrs[0]:.2f} with the moves of the day being forecast. "
        + (
            "The forecast is a delayed copy of the price: the 'good fit' on the plot "
            "is the shifted-copy illusion."
            if lag >= 1
            else "Here the forecast moves with the day it forecasts; check it "
            "against naive before celebrating."
        )
    )
)

# %% [markdown]
# ## Part 2 · Log returns as the target
#
# A price level is a random walk plus a drift: its best simple forecast is the
# last value, and a model trained on levels mostly learns to repeat it. The
# honest question is whether the model can predict the **change**. Log returns,
# `r_t = log(P_t / P_{t-1})`, are roughly stationary (no trend, a stable spread)
# and add up over days. The backtest below has the RNNs learn log returns and
# turns their forecasts back into prices from the last observed price, so every
# score is in dollars and the naive baseline is exactly the random walk.

# %%
log_returns = np.log(prices["Close"]).diff().dropna()
autocorr = [log_returns.autocorr(k) for k in range(1, 6)]
fig, ax = plt.subplots()
ax.plot(log_returns.index, 100 * log_returns, linewidth=0.6, label="daily log return")
ax.set(title=f"{SOURCE}: daily log returns", xlabel="date", ylabel="log return (%)")
ax.legend()
plt.show()
display(
    Markdown(
        f"Daily log returns have mean {100 * log_returns.mean():.3f}% and standard "
        f"deviation {100 * log_returns.std():.2f}%. Their autocorrelations at lags "
        f"1 to 5 days are {', '.join(f'{a:+.3f}' for a in autocorr)}: yesterday's "
        "return says almost nothing about today's, which is what makes this hard."
    )
)

# %% [markdown]
# ## Part 3 · Walk-forward backtest: LSTM and GRU against the baselines
#
# `walk_forward_backtest` moves a forecast origin through the last `TEST_DAYS`
# days. At each origin it fits the scaler and the model (`build_rnn_forecaster`
# above, trained with `rnn_zoo.fit`) on the past only,
# forecasts the next `h` days, and scores them; the model is retrained every
# `TEST_DAYS / REFITS` days on all the data up to that point. The baselines get
# the same history:
#
# - **naive**: the last price (the random walk);
# - **drift**: the last price plus the average daily change so far;
# - **mean**: the average price so far (a poor baseline for prices, kept as a
#   sanity check).
#
# Inputs: the univariate runs see the log returns only; the feature runs also see
# the daily change of log volume and the high-low range `log(High / Low)`, both
# known at the close of each day. Every backtest runs once per seed in `SEEDS`;
# the baselines learn nothing, so they give the same forecasts on every seed.

# %%
features = pd.DataFrame(
    {
        "Close": prices["Close"],
        "log_volume_change": np.log(prices["Volume"].clip(lower=1)).diff(),
        "high_low_range": np.log(prices["High"] / prices["Low"]),
    }
).iloc[1:]  # the first day has no volume change
input_sets = {"univariate": features[["Close"]], "+ volume, high-low": features}
input_sets = {name: input_sets[name] for name in INPUTS}
models = {cell: functools.partial(build_rnn_forecaster, cell=cell) for cell in CELLS}

results = {}
for seed in SEEDS:
    for horizon in HORIZONS:
        folds = TEST_DAYS // horizon
        for inputs_name, frame in input_sets.items():
            result = rnn_zoo.walk_forward_backtest(
                models,
                frame,
                lookback=LOOKBACK,
                horizon=horizon,
                folds=folds,
                refit=-(-folds // REFITS),  # ceil: REFITS trainings per model
                target="Close",
                target_transform="log_returns",
                epochs=EPOCHS,
                fit_kwargs={"batch_size": BATCH_SIZE},
                seed=seed,
            )
            results[seed, horizon, inputs_name] = result
            mases = result.summary["mase"]
            print(
                f"seed {seed}, {horizon} day(s) ahead, {inputs_name}: {folds} origins, "
                "MASE "
                + ", ".join(f"{name} {mases[name]:.3f}" for name in [*CELLS, "naive"])
            )

# %% [markdown]
# ### Results
#
# MASE divides each error by the average one-day change of the price in that
# fold's history: below 1 is better than the random walk did in sample.
# Directional accuracy is the share of forecasts that called the direction of the
# move from the last price correctly (the naive forecast calls no move, so it
# scores 0; a coin flip scores about 0.5). The table gives the mean over seeds.

# %%
rows = []
for (seed, horizon, inputs_name), result in results.items():
    for model, metrics in result.summary.iterrows():
        if model in CELLS or inputs_name == INPUTS[0]:  # baselines once per horizon
            label = f"{model} ({inputs_name})" if model in CELLS else model
            rows.append(
                {
                    "seed": seed,
                    "horizon (days)": horizon,
                    "forecaster": label,
                    "MASE": metrics["mase"],
                    "MAE (USD)": metrics["mae"],
                    "directional accuracy": metrics["directional_accuracy"],
                    "forecasts": int(metrics["n"]),
                }
            )
backtest_runs = pd.DataFrame(rows)
table = (
    backtest_runs.groupby(["horizon (days)", "forecaster"])
    .mean()
    .drop(columns="seed")
    .sort_values(["horizon (days)", "MASE"])
    .astype({"forecasts": int})
)
display(table.round(3))
naive_1 = table.loc[(min(HORIZONS), "naive"), "MASE"]
display(
    Markdown(
        f"The naive forecast's MASE at {min(HORIZONS)} day(s) is {naive_1:.2f}: "
        + (
            "above 1, because the test days moved more per day than the history "
            "the MASE is scaled by (a calmer past, a more volatile test period). "
            if naive_1 > 1
            else "below 1, because the test days moved less per day than the "
            "history the MASE is scaled by. "
        )
        + "What matters is each model's MASE *relative to naive* on the same days."
    )
)

# %%
longest = max(HORIZONS)
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
plot_backtest(
    results[SEEDS[0], min(HORIZONS), INPUTS[0]],
    metric="directional_accuracy",
    step_unit="trading days",
    ax=axes[0],
    title=f"Direction called, {min(HORIZONS)} day(s) ahead ({INPUTS[0]}, "
    f"seed {SEEDS[0]})",
)
plot_backtest(
    results[SEEDS[0], longest, INPUTS[0]],
    models=[*CELLS, "naive", "drift"],  # the mean forecast is far off this scale
    step_unit="trading days",
    ax=axes[1],
    title=f"MASE of {longest}-day forecasts by day ahead ({INPUTS[0]}, "
    f"seed {SEEDS[0]})",
)
plt.show()

# %% [markdown]
# ### Is any edge real? A Diebold-Mariano test, on every seed
#
# MASE differences of a few percent over a few hundred forecasts can be luck.
# The Diebold-Mariano test compares two forecasters' absolute errors fold by fold
# (paired, on the same days): a negative statistic means the RNN's errors were
# smaller, and the p-value says how often a difference this large would appear
# if both were equally good. A configuration counts as better (or worse) than
# naive only if it is so on **every** seed, each with p < 0.05.

# %%
tests = []
for (seed, horizon, inputs_name), result in results.items():
    for cell in CELLS:
        dm = compare_forecasts(result.forecasts, cell, "naive")
        tests.append(
            {
                "seed": seed,
                "horizon (days)": horizon,
                "forecaster": f"{cell} ({inputs_name})",
                "MASE": result.summary.loc[cell, "mase"],
                "naive MASE": result.summary.loc["naive", "mase"],
                "DM statistic": dm.statistic,
                "p-value": dm.p_value,
            }
        )
tests = pd.DataFrame(tests)
vs_naive = tests.groupby(["horizon (days)", "forecaster"]).agg(
    **{
        "lowest MASE": ("MASE", "min"),
        "highest MASE": ("MASE", "max"),
        "naive MASE": ("naive MASE", "first"),  # the same days on every seed
        "largest p-value": ("p-value", "max"),
    }
)
significant = vs_naive["largest p-value"] < 0.05  # on every seed
vs_naive["verdict"] = np.select(
    [
        significant & (vs_naive["highest MASE"] < vs_naive["naive MASE"]),
        significant & (vs_naive["lowest MASE"] > vs_naive["naive MASE"]),
    ],
    ["better than naive", "worse than naive"],
    "not shown",
)
display(vs_naive.round(3))

# %% [markdown]
# ## Conclusion, from the numbers above

# %%
better = vs_naive[vs_naive["verdict"] == "better than naive"]
worse = vs_naive[vs_naive["verdict"] == "worse than naive"]
n_configs = len(vs_naive)
up_share = float(
    np.mean(
        [
            (r.forecasts["y_true"] > r.forecasts["y_last"]).mean()
            for (seed, h, name), r in results.items()
            if name == INPUTS[0] and seed == SEEDS[0]
        ]
    )
)
rnn_forecasts = pd.concat(
    [r.forecasts[r.forecasts["model"].isin(CELLS)] for r in results.values()]
)
rnn_up_calls = float((rnn_forecasts["y_pred"] > rnn_forecasts["y_last"]).mean())
rnn_accuracy = backtest_runs[backtest_runs["forecaster"].str.contains("|".join(CELLS))]
rnn_accuracy = rnn_accuracy.groupby(["horizon (days)", "forecaster"])[
    "directional accuracy"
].mean()
if len(better):
    verdict = (
        f"**{len(better)} of {n_configs}** RNN configurations beat the random walk on "
        f"every one of {len(SEEDS)} seeds with a Diebold-Mariano p-value below 0.05 "
        f"each. With {n_configs} configurations tried, treat that as a lead to test "
        "on other periods and other stocks, not as an edge."
    )
else:
    verdict = (
        f"**None of the {n_configs} RNN configurations beats the random walk on every "
        f"one of {len(SEEDS)} seeds by a margin the Diebold-Mariano test can tell "
        f"from noise**; {len(worse)} were worse than naive on every seed (p < 0.05)."
    )
detail = (
    f" The RNNs' MASE ranged from {tests['MASE'].min():.3f} to "
    f"{tests['MASE'].max():.3f} over configurations and seeds, against "
    + " and ".join(
        f"{m:.3f} for naive at {h} day(s)"
        for h, m in vs_naive.groupby(level=0)["naive MASE"].first().items()
    )
    + f". The RNNs called a rise in {rnn_up_calls:.0%} of their forecasts, while the "
    f"price rose on {up_share:.0%} of the forecast moves; their directional "
    f"accuracy ranges from {rnn_accuracy.min():.2f} to "
    f"{rnn_accuracy.max():.2f} (mean over seeds), against "
    f"about {up_share:.2f} for an 'always up' rule and 0.5 for a coin flip."
)
display(Markdown(verdict + detail))

same_mean = same_runs.groupby("config")[columns[2:]].mean()
best = tests.groupby(["horizon (days)", "forecaster"])[["MASE", "naive MASE"]].mean()
best = best.loc[(best["MASE"] / best["naive MASE"]).idxmin()]  # nearest to naive
record_results(
    "leak on the same test days: LSTM RMSE "
    f"{same_mean.loc['leaky', 'RMSE / naive']:.2f}x naive leaky vs "
    f"{same_mean.loc['honest', 'RMSE / naive']:.2f}x honest ({len(SEEDS)} seeds; "
    f"{'leaky better' if leak_winner == 'leaky' else 'difference not shown'})"
    f"; backtest: {len(better)} of {n_configs} RNNs better than naive on every seed, "
    f"{len(worse)} worse",
    seeds=list(SEEDS),
    builder_matches=builder_matches,
    level_runs=level_runs.to_dict("records"),
    leak_winner=leak_winner,
    leaky_rmse=same_mean.loc["leaky", "RMSE (USD)"],
    honest_rmse=same_mean.loc["honest", "RMSE (USD)"],
    naive_rmse=same_mean.loc["leaky", "naive RMSE (USD)"],
    leaky_vs_naive=same_mean.loc["leaky", "RMSE / naive"],
    honest_vs_naive=same_mean.loc["honest", "RMSE / naive"],
    own_rmse=own_model.to_dict(),
    own_vs_naive=own_ratio.to_dict(),
    own_naive_rmse=own_naive.to_dict(),
    scalers_equal=bool(scalers_equal),
    best_lag=int(lag),
    best_forecaster=f"{best.name[1]} @ {best.name[0]}d",
    best_mase=best["MASE"],
    best_naive_mase=best["naive MASE"],
    n_significantly_better=len(better),
    n_significantly_worse=len(worse),
    n_configurations=n_configs,
    paired_tests=tests.to_dict("records"),
    up_share=up_share,
    rnn_up_calls=rnn_up_calls,
    n_forecasts=sorted(set(backtest_runs["forecasts"])),
    mase_table=backtest_runs.to_dict("records"),
)

# %% [markdown]
# ## Takeaways
#
# - A price-level forecast that looks good on a plot proves nothing: compare it
#   with the naive forecast on the same days, and check which day its moves
#   follow (Part 1 printed the lag for this run).
# - Compare two pipelines only on the **same test days**, and next to the naive
#   forecast on those days: scores from different days mostly compare the test
#   periods. Part 1 shows how far apart the two day sets were for the naive
#   forecast itself, and whether the leak (a scaler fitted on all rows, a
#   shuffled split) flattered this model on the same days by more than the
#   spread over seeds. Split along time first and fit every statistic on the
#   training part all the same: a leak that does little for one model and one
#   stock can do a lot with a bigger model or a scaler that sees a new price
#   range.
# - For prices, the random walk is the baseline to beat, and MASE makes the
#   comparison scale-free; a paired test (Diebold-Mariano), repeated over seeds,
#   decides whether a difference in errors is more than luck.
# - The conclusion above is rendered from the numbers: if you change the stock,
#   the period or the model, it changes with them.
#
# **Train longer:** raise `EPOCHS` (e.g. 30), `UNITS` (64) and `REFITS` (to
# retrain more often), or `TEST_DAYS` (400) for a longer, more reliable test;
# each doubling roughly doubles the run time of Part 3, and each seed in `SEEDS`
# adds one more run of it. More training fits the past better; whether it
# forecasts the future better is exactly what the backtest and the test above
# will tell you. `benchmarks/forecasting.py` repeats the backtest over 3 seeds.

# %% [markdown]
# ## Exercises
#
# 1. Set `SOURCE` to a CSV of another stock or an index (Yahoo Finance "Download"
#    gives the right format). Before running: will the conclusion change?
# 2. In Part 1, keep the shuffled split but fit the scaler on the training
#    windows only. Which of the two mistakes inflates the score more?
# 3. Add a baseline `"always_up"` that forecasts the last price times
#    `exp(mean log return)` (hint: `baselines={"naive": ..., "always_up": rule}`
#    with `rule(history, horizon)`). How does its directional accuracy compare
#    with the RNNs'?
# 4. Run the backtest with `mode="sliding", window=250` (one trading year of
#    history). Does forgetting old data help?
# 5. Use `compare_forecasts(..., step=5)` to test the 5-day forecasts on the
#    fifth day only. Is the p-value larger or smaller than for all steps, and why?
#
# <details><summary>Solutions</summary>
#
# 1. Usually not: for liquid stocks daily returns are close to unpredictable from
#    their own past, so expect MASE near the naive one and large p-values. If one
#    configuration out of many looks significant, remember that with 8
#    configurations one can pass p < 0.05 by luck (multiple testing); the
#    every-seed rule above guards against part of that.
# 2. `make_windows` before the split still lets test prices appear inside training
#    windows, so the shuffled split remains (compare the "seen in training"
#    share). The scaler's leak tells the model the future price range, which only
#    matters when the test prices leave the training range: Part 1 printed
#    whether the two scalers were the same. Score the variants on the same days,
#    next to naive, over the seeds, before calling either one bigger.
# 3. `def rule(history, horizon):` then
#    `drift = np.mean(np.diff(np.log(history)))` and
#    `return history[-1] * np.exp(drift * np.arange(1, horizon + 1))`.
#    It calls "up" every time the average return is positive, so its directional
#    accuracy equals the share of up moves printed in the conclusion.
# 4. It depends on the period; check the MASE and the DM test rather than
#    guessing. Less history means noisier training.
# 5. Usually larger: one step per fold gives the same number of pairs but each
#    error is noisier (five days of news), so the same mean difference is less
#    convincing.
#
# </details>
