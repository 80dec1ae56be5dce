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
#     assignment: 04_forecasting_pipeline
# ---

# %% [markdown]
# # Assignment 04 · An honest forecasting pipeline
#
# Companion of notebooks `00_quickstart_sine` and `04_stock_prediction`. You will
# split a series in time order, fit a scaler on the training rows only, cut
# windows whose target lies after the window, and score forecasts against the
# naive baseline with MASE.
#
# **How it is graded.** Write your code where it says `raise NotImplementedError()`.
# The checks test behaviour: most of all, that **changing future rows changes
# nothing computed from the training part**. A pipeline that peeks at the future
# fails that test however good its numbers look. Do not edit the check cells.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from rnn_zoo.classroom import check

# %% [markdown]
# ## Q1 · Split in time order (1 point)
#
# `n_train = int(n * train_fraction)`, `n_val = int(n * val_fraction)`, the rest
# is the test part. Contiguous, never shuffled.

# %% nbgrader={"grade": false, "grade_id": "a1_time_split", "locked": false, "schema_version": 3, "solution": true, "task": false}
def time_split(series, train_fraction, val_fraction):
    """(train, val, test): consecutive parts of the series, in time order."""
    # BEGIN SOLUTION
    # HINT: slicing keeps the order; no random permutation anywhere.
    n = len(series)
    n_train, n_val = int(n * train_fraction), int(n * val_fraction)
    return series[:n_train], series[n_train : n_train + n_val], series[n_train + n_val :]
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_time_split", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("q1_time_split", time_split)

# %% [markdown]
# ## Q2 · Windows (2 points)
#
# `X[i] = x[i:i+lookback]` and `y[i] = x[i+lookback]`, the value right **after**
# the window: `len(x) - lookback` windows.

# %% nbgrader={"grade": false, "grade_id": "a2_make_windows", "locked": false, "schema_version": 3, "solution": true, "task": false}
def make_windows(x, lookback):
    """(X, y): windows (n, lookback) and the value after each (n,)."""
    # BEGIN SOLUTION
    # HINT: the last window starts at len(x) - lookback - 1.
    x = np.asarray(x, dtype="float64")
    n = len(x) - lookback
    X = np.stack([x[i : i + lookback] for i in range(n)])
    return X, x[lookback:]
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_make_windows", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("q2_make_windows", make_windows)

# %% [markdown]
# ## Q3 · The naive baseline and MASE (2 points)
#
# The naive forecast repeats the window's last value. MASE divides the mean
# absolute error by the mean absolute error of the one-step naive forecast **on
# the training series**, $\frac{1}{n-1}\sum_t |y_t - y_{t-1}|$: below 1 beats
# naive, above 1 loses to it.

# %% nbgrader={"grade": false, "grade_id": "a3_naive_and_mase", "locked": false, "schema_version": 3, "solution": true, "task": false}
def naive_forecast(X):
    """The last value of each window."""
    # BEGIN SOLUTION
    return np.asarray(X)[:, -1]
    # END SOLUTION


def mase(y_true, y_pred, y_train):
    """Mean absolute scaled error against the in-sample naive forecast."""
    # BEGIN SOLUTION
    # HINT: np.mean(np.abs(np.diff(y_train))) is the scale.
    scale = np.mean(np.abs(np.diff(np.asarray(y_train, dtype="float64"))))
    return float(np.mean(np.abs(np.asarray(y_true) - np.asarray(y_pred))) / scale)
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_naive_and_mase", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("q3_naive_and_mase", naive_forecast, mase)

# %% [markdown]
# ## Q4 · The whole pipeline, without leakage (4 points)
#
# Split 70/15/15, fit the scaler (mean and standard deviation) on the **training
# rows only**, scale every part with those two numbers, and window each part
# separately (a window never straddles two parts). Return a dict with `mean`,
# `std`, `X_train`, `y_train`, `X_val`, `y_val`, `X_test`, `y_test`.

# %% nbgrader={"grade": false, "grade_id": "a4_pipeline", "locked": false, "schema_version": 3, "solution": true, "task": false}
def pipeline(series, lookback):
    """The leak-free preparation of a 1-D series for a forecaster."""
    # BEGIN SOLUTION
    # HINT: split FIRST; then train.mean(), train.std(); then window each part.
    train, val, test = time_split(np.asarray(series, dtype="float64"), 0.7, 0.15)
    mean, std = train.mean(), train.std()
    out = {"mean": mean, "std": std}
    for name, part in (("train", train), ("val", val), ("test", test)):
        out[f"X_{name}"], out[f"y_{name}"] = make_windows((part - mean) / std, lookback)
    return out
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_pipeline", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
check("q4_pipeline", pipeline)
# BEGIN HIDDEN TESTS
check("q4_pipeline_hidden", pipeline)
# END HIDDEN TESTS

# %% [markdown]
# ## Use it
#
# Your pipeline on a noisy random walk, and the naive forecast's MASE on the
# test part (close to 1 by construction: a random walk is what the naive
# forecast is best at).

# %% nbgrader={"grade": false, "grade_id": "demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
walk = np.cumsum(np.random.default_rng(0).normal(size=500))
parts = pipeline(walk, 10)
score = mase(parts["y_test"], naive_forecast(parts["X_test"]), parts["y_train"])
print(f"naive MASE on the test part: {score:.3f}")

# %% [markdown]
# ## Takeaways
#
# - Split first, then fit anything (a scaler, a model) on the training part only.
# - A window's target lies after the window; a window never crosses a split.
# - MASE puts every forecast on the naive baseline's scale.
