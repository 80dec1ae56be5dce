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
# - how a scaler fitted on all rows plus a shuffled split (**leakage**) inflates
#   the score, with the numbers side by side
# - why **log returns** are the target, and the **random walk** (naive) the
#   baseline to beat
# - a **walk-forward backtest** of LSTM and GRU forecasters, 1 and 5 days
#   ahead, with and without volume and high-low features, against naive, drift
#   and mean baselines, scored with **MASE** and **directional accuracy**
# - a **Diebold-Mariano test** that says whether a difference in errors is real
#
# **Time:** about 25 minutes to read; the cells run in about 5 minutes on a
# 2-core laptop CPU with the default parameters.

# %% [markdown]
# ## Setup

# %%
import functools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

import rnn_zoo
from rnn_zoo.evaluation import compare_forecasts, mase, rmse
from rnn_zoo.notebook import record_results, setup_notebook
from rnn_zoo.plotting import plot_backtest, plot_forecast

# %% tags=["parameters"]
# Every knob lives here; the tests run this notebook with smaller values.
SEED = 0
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
# ## Part 1 · The tutorial pipeline: predict the price level
#
# Here is what most tutorials do: scale the closing price with a `MinMaxScaler`
# fitted on **all** rows, cut windows of `LOOKBACK` days, split the windows
# **at random** into train and test, train an LSTM and admire the test score.
# Then the same model done right: split **along time** first, fit the scaler on
# the training days only, and test on the last days, which the model has never
# seen.

# %%
close = prices[["Close"]].to_numpy()
n_test = int(round(TEST_FRACTION * len(close)))


def train_level_model(X_train, y_train, name):
    """An LSTM trained to predict the next (scaled) price from LOOKBACK prices."""
    rnn_zoo.set_seed(SEED)
    model = rnn_zoo.build_forecaster(LOOKBACK, 1, units=UNITS)
    history = rnn_zoo.fit(
        model,
        (X_train, y_train),
        epochs=EPOCHS_LEVEL,
        batch_size=BATCH_SIZE,
        learning_rate=LEARNING_RATE,
        loss="mse",
        early_stopping=None,
        verbose=0,
    )
    losses = history.history["loss"]
    print(f"{name}: {len(losses)} epochs, MSE {losses[0]:.4f} -> {losses[-1]:.5f}")
    return model


# --- the leaky pipeline (DON'T copy this) ---
leaky_scaler = MinMaxScaler().fit(close)  # mistake 1: statistics of every row
X_all, y_all = rnn_zoo.make_windows(leaky_scaler.transform(close), LOOKBACK)
window_ids = np.arange(len(X_all))
train_ids, test_ids = train_test_split(  # mistake 2: a shuffled split
    window_ids, test_size=n_test, shuffle=True, random_state=SEED
)
leaky_model = train_level_model(X_all[train_ids], y_all[train_ids], "leaky")
leaky_pred = leaky_scaler.inverse_transform(
    leaky_model.predict(X_all[test_ids], verbose=0)[:, 0]
)[:, 0]
leaky_rows = test_ids + LOOKBACK  # row of `close` each test window predicts

# --- the honest pipeline ---
train_part, test_part = rnn_zoo.time_split(close, (1 - TEST_FRACTION, TEST_FRACTION))
scaler = MinMaxScaler().fit(train_part)  # statistics of the training days only
X_train, y_train = rnn_zoo.make_windows(scaler.transform(train_part), LOOKBACK)
# test windows may look back into the last training days (the past), never ahead
context = close[len(train_part) - LOOKBACK :]
X_test, _ = rnn_zoo.make_windows(scaler.transform(context), LOOKBACK)
honest_model = train_level_model(X_train, y_train, "honest")
honest_pred = scaler.inverse_transform(honest_model.predict(X_test, verbose=0)[:, 0])[
    :, 0
]
honest_rows = np.arange(len(train_part), len(close))

# %% [markdown]
# How much did each pipeline let the model see? A test day is *seen* if its price
# was an input or a target of some training window. And how good is each test
# score, next to the naive forecast "tomorrow = today" on the same test days?


# %%
def seen_share(train_windows, rows):
    """Share of the test rows whose price some training window contains."""
    seen = np.zeros(len(close), bool)
    seen[(train_windows[:, None] + np.arange(LOOKBACK + 1)).ravel()] = True
    return float(seen[rows].mean())


y = close[:, 0]
pipelines = {
    "leaky (scaler on all rows, shuffled split)": (leaky_rows, leaky_pred, train_ids),
    "honest (split in time, scaler on train)": (
        honest_rows,
        honest_pred,
        np.arange(len(X_train)),
    ),
}
level_table = pd.DataFrame(
    {
        name: {
            "test days": len(rows),
            "test days seen in training": seen_share(train_windows, rows),
            "LSTM RMSE (USD)": rmse(y[rows], pred),
            "naive RMSE (USD)": rmse(y[rows], y[rows - 1]),
            "LSTM MASE": mase(y[rows], pred, y[: len(train_part)]),
            "naive MASE": mase(y[rows], y[rows - 1], y[: len(train_part)]),
        }
        for name, (rows, pred, train_windows) in pipelines.items()
    }
).T
display(level_table.round(3))

leaky_rmse, honest_rmse = level_table["LSTM RMSE (USD)"]
leaky_mase, honest_mase = level_table["LSTM MASE"]
leaky_seen, honest_seen = level_table["test days seen in training"]
leaky_naive_mase, honest_naive_mase = level_table["naive MASE"]
display(
    Markdown(
        f"The leaky pipeline reports a test RMSE of **{leaky_rmse:.2f} USD**, the "
        f"honest one **{honest_rmse:.2f} USD** "
        f"({honest_rmse / leaky_rmse:.1f}× the leaky number). The shuffled split had "
        f"already shown the model **{leaky_seen:.0%}** of its test prices during "
        f"training (the honest split: {honest_seen:.0%}), and the scaler fitted on "
        "all rows knew the test period's price range in advance. Against the naive "
        f"forecast on the same days, the LSTM's MASE is {leaky_mase:.2f} (naive: "
        f"{leaky_naive_mase:.2f}) for the leaky pipeline and {honest_mase:.2f} "
        f"(naive: {honest_naive_mase:.2f}) for the honest one: "
        + (
            "even the leaky model does not beat 'tomorrow = today'."
            if leaky_mase >= leaky_naive_mase
            else "the leak buys the model an edge it will not have on new data."
        )
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
shown = slice(0, min(60, len(honest_rows)))
rows_shown = honest_rows[shown]
fig = plot_forecast(
    pd.Series(
        y[rows_shown[0] - 40 : rows_shown[0]],
        prices.index[rows_shown[0] - 40 : rows_shown[0]],
    ),
    pd.Series(y[rows_shown], prices.index[rows_shown]),
    {
        "LSTM (honest)": honest_pred[shown],
        "naive: yesterday's price": y[rows_shown - 1],
    },
    units="USD",
    ylabel="closing price",
    title=f"{SOURCE}: one-day-ahead forecasts of the price level",
)
plt.show()


def best_lag(pred, rows, max_lag=5):
    """The lag k for which corr(forecast of day t, price on day t - k) is largest."""
    change = np.diff(
        pred
    )  # compare day-to-day moves, not levels (levels all correlate)
    corrs = {
        k: np.corrcoef(change, np.diff(y[rows - k]))[0, 1] for k in range(max_lag + 1)
    }
    return max(corrs, key=corrs.get), corrs


lag, lag_corrs = best_lag(honest_pred, honest_rows)
display(
    Markdown(
        f"The day-to-day moves of the LSTM's forecast correlate best with the moves "
        f"of the price **{lag} day(s) earlier** (correlation {lag_corrs[lag]:.2f}), "
        f"against {lag_corrs[0]:.2f} with the moves of the day being forecast. "
        + (
            "The forecast is a delayed copy of the price: the 'good fit' on the plot "
            "is the shifted-copy illusion."
            if lag >= 1
            else "Here the forecast moves with the day it forecasts; check MASE "
            "before celebrating."
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
# days. At each origin it fits the scaler and the model on the past only,
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
# known at the close of each day.

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
models = {
    cell: functools.partial(rnn_zoo.build_forecaster, cell=cell, units=UNITS)
    for cell in CELLS
}

results = {}
for horizon in HORIZONS:
    folds = TEST_DAYS // horizon
    for inputs_name, frame in input_sets.items():
        print(f"horizon {horizon} day(s), inputs {inputs_name}: {folds} origins")
        results[horizon, inputs_name] = rnn_zoo.walk_forward_backtest(
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
            seed=SEED,
            progress=print,  # one line per training
        )

# %% [markdown]
# ### Results
#
# MASE divides each error by the average one-day change of the price in that
# fold's history: below 1 is better than the random walk did in sample.
# Directional accuracy is the share of forecasts that called the direction of the
# move from the last price correctly (the naive forecast calls no move, so it
# scores 0; a coin flip scores about 0.5).

# %%
rows = []
for (horizon, inputs_name), result in results.items():
    for model, metrics in result.summary.iterrows():
        if model in CELLS or inputs_name == INPUTS[0]:  # baselines once per horizon
            label = f"{model} ({inputs_name})" if model in CELLS else model
            rows.append(
                {
                    "horizon (days)": horizon,
                    "forecaster": label,
                    "MASE": metrics["mase"],
                    "MAE (USD)": metrics["mae"],
                    "directional accuracy": metrics["directional_accuracy"],
                    "forecasts": int(metrics["n"]),
                }
            )
table = pd.DataFrame(rows).sort_values(["horizon (days)", "MASE"])
display(table.set_index(["horizon (days)", "forecaster"]).round(3))
naive_1 = table.query("forecaster == 'naive'")["MASE"].iloc[0]
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
    results[min(HORIZONS), INPUTS[0]],
    metric="directional_accuracy",
    step_unit="trading days",
    ax=axes[0],
    title=f"Direction called, {min(HORIZONS)} day(s) ahead ({INPUTS[0]})",
)
plot_backtest(
    results[longest, INPUTS[0]],
    models=[*CELLS, "naive", "drift"],  # the mean forecast is far off this scale
    step_unit="trading days",
    ax=axes[1],
    title=f"MASE of {longest}-day forecasts by day ahead ({INPUTS[0]})",
)
plt.show()

# %% [markdown]
# ### Is any edge real? A Diebold-Mariano test
#
# MASE differences of a few percent over a few hundred forecasts can be luck.
# The Diebold-Mariano test compares two forecasters' absolute errors fold by fold
# (paired, on the same days): a negative statistic means the RNN's errors were
# smaller, and the p-value says how often a difference this large would appear
# if both were equally good.

# %%
tests = []
for (horizon, inputs_name), result in results.items():
    for cell in CELLS:
        dm = compare_forecasts(result.forecasts, cell, "naive")
        tests.append(
            {
                "horizon (days)": horizon,
                "forecaster": f"{cell} ({inputs_name})",
                "MASE": result.summary.loc[cell, "mase"],
                "naive MASE": result.summary.loc["naive", "mase"],
                "DM statistic": dm.statistic,
                "p-value": dm.p_value,
            }
        )
tests = pd.DataFrame(tests)
display(tests.set_index(["horizon (days)", "forecaster"]).round(3))

# %% [markdown]
# ## Conclusion, from the numbers above

# %%
better = tests[tests["MASE"] < tests["naive MASE"]]
significant = better[better["p-value"] < 0.05]
worse = tests[(tests["MASE"] > tests["naive MASE"]) & (tests["p-value"] < 0.05)]
best = tests.loc[(tests["MASE"] / tests["naive MASE"]).idxmin()]  # relative to naive
rnn_rows = table[table["forecaster"].str.contains("|".join(CELLS))]
up_share = float(
    np.mean(
        [
            (r.forecasts["y_true"] > r.forecasts["y_last"]).mean()
            for (h, name), r in results.items()
            if name == INPUTS[0]
        ]
    )
)
if len(significant):
    verdict = (
        f"**{len(significant)} of {len(tests)}** RNN configurations beat the random "
        "walk with a Diebold-Mariano p-value below 0.05 ("
        + ", ".join(
            f"{r['forecaster']} at {r['horizon (days)']} day(s), p = {r['p-value']:.3f}"
            for _, r in significant.iterrows()
        )
        + f"). With {len(tests)} configurations tried, expect about "
        f"{0.05 * len(tests):.1f} such result(s) by chance alone: treat them as a "
        "lead to test on other periods and other stocks, not as an edge."
    )
else:
    verdict = (
        f"**None of the {len(tests)} RNN configurations beats the random walk by a "
        f"margin the Diebold-Mariano test can tell from noise**: {len(better)} had a "
        "lower MASE than naive"
        + (
            f", and {len(worse)} were significantly *worse* (p < 0.05; forecasting "
            "non-zero returns only added error)."
            if len(worse)
            else "."
        )
    )
rnn_forecasts = pd.concat(
    [r.forecasts[r.forecasts["model"].isin(CELLS)] for r in results.values()]
)
rnn_up_calls = float((rnn_forecasts["y_pred"] > rnn_forecasts["y_last"]).mean())
detail = (
    f" The best configuration relative to naive, {best['forecaster']} at "
    f"{best['horizon (days)']} day(s), has MASE {best['MASE']:.3f} against "
    f"{best['naive MASE']:.3f} for the naive forecast (p = {best['p-value']:.3f}). "
    f"The RNNs called a rise in {rnn_up_calls:.0%} of their forecasts, while the "
    f"price rose on {up_share:.0%} of the forecast moves; their directional "
    f"accuracy ranges from {rnn_rows['directional accuracy'].min():.2f} to "
    f"{rnn_rows['directional accuracy'].max():.2f}, against about {up_share:.2f} "
    "for an 'always up' rule and 0.5 for a coin flip."
)
if len(significant):
    closing = ""
elif len(worse) == len(tests):
    closing = (
        f" On these {TEST_DAYS} days a small recurrent network forecast this stock "
        "*worse* than 'tomorrow = today', and not by luck: whatever it learned from "
        "the past (such as its average drift) did not carry over to the test period."
    )
else:
    closing = (
        f" On these {TEST_DAYS} days, the honest summary is that a small recurrent "
        "network does not forecast this stock better than 'tomorrow = today' in any "
        "way we can tell apart from luck."
    )
display(Markdown(verdict + detail + closing))

edge_shown = bool(len(significant))
record_results(
    f"best RNN MASE {best['MASE']:.3f} vs naive {best['naive MASE']:.3f} "
    f"(DM p = {best['p-value']:.2f}; {len(significant)} of {len(tests)} RNNs "
    f"significantly better, {len(worse)} worse); leaky RMSE {leaky_rmse:.1f} vs honest "
    f"{honest_rmse:.1f} USD",
    leaky_rmse=leaky_rmse,
    honest_rmse=honest_rmse,
    leaky_mase=leaky_mase,
    honest_mase=honest_mase,
    leaky_seen_share=leaky_seen,
    honest_seen_share=honest_seen,
    best_lag=int(lag),
    best_forecaster=f"{best['forecaster']} @ {best['horizon (days)']}d",
    best_mase=best["MASE"],
    n_significantly_worse=len(worse),
    best_naive_mase=best["naive MASE"],
    min_p_value=tests["p-value"].min(),
    n_configurations=len(tests),
    paired_tests=[
        {
            "forecaster": f"{r['forecaster']} @ {r['horizon (days)']}d",
            "mase": r["MASE"],
            "naive_mase": r["naive MASE"],
            "p_value": r["p-value"],
        }
        for _, r in tests.iterrows()
    ],
    edge_shown=edge_shown,
    up_share=up_share,
    rnn_up_calls=rnn_up_calls,
    n_forecasts={
        f"{h}d {name}": int(r.summary["n"].iloc[0]) for (h, name), r in results.items()
    },
    mase_table={
        f"{row['horizon (days)']}d {row['forecaster']}": row["MASE"]
        for _, row in table.iterrows()
    },
)

# %% [markdown]
# ## Takeaways
#
# - A price-level forecast that looks good on a plot proves nothing: compare it
#   with the naive forecast on the same days, and check which day its moves
#   follow (Part 1 printed the lag for this run).
# - Leakage (a scaler fitted on all rows, a shuffled split) does not only add a
#   little optimism: the test score above changed by the factor shown in Part 1.
#   Split along time first, fit every statistic on the training part.
# - For prices, the random walk is the baseline to beat, and MASE makes the
#   comparison scale-free; a paired test (Diebold-Mariano) decides whether a
#   difference in errors is more than luck.
# - The conclusion above is rendered from the numbers: if you change the stock,
#   the period or the model, it changes with them.
#
# **Train longer:** raise `EPOCHS` (e.g. 30), `UNITS` (64) and `REFITS` (to
# retrain more often), or `TEST_DAYS` (400) for a longer, more reliable test; each
# doubling roughly doubles the run time of Part 3 (about 3 minutes with the
# defaults). More training fits the past better; whether it forecasts the future
# better is exactly what the backtest and the test above will tell you.
# `benchmarks/forecasting.py` repeats the backtest over 3 seeds.

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
#    configuration out of many looks significant, remember the multiple-testing
#    note in the conclusion.
# 2. `make_windows` before the split still lets test prices appear inside training
#    windows; the shuffled split is the bigger leak here (compare the "test days
#    seen in training" share), the scaler's is smaller but real: it tells the
#    model the future price range.
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
