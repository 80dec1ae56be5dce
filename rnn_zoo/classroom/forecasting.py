"""Checks of assignment 04: an honest forecasting pipeline.

The student writes, for a 1-D series:

- ``time_split(series, train_fraction, val_fraction) -> (train, val, test)``:
  contiguous, in time order, ``int(n * fraction)`` rows for train and val;
- ``make_windows(x, lookback) -> (X, y)``: ``X[i] = x[i : i+lookback]`` and
  ``y[i] = x[i+lookback]``, the value right after the window;
- ``naive_forecast(X) -> y_hat``: the last value of each window;
- ``mase(y_true, y_pred, y_train) -> float``: mean absolute error divided by the
  in-sample mean absolute error of the one-step naive forecast on ``y_train``;
- ``pipeline(series, lookback) -> dict``: split 70/15/15, fit the scaler (mean,
  standard deviation) on the training rows, scale every part with it, and window
  each part: keys ``mean, std, X_train, y_train, X_val, y_val, X_test, y_test``.

Graded by behaviour: changing the future (validation and test) rows must not
change anything computed from the training part.
"""

from __future__ import annotations

import numpy as np

from rnn_zoo.classroom.checks import CheckFailed, expect_close, expect_shape, register

ASSIGNMENT = "04_forecasting_pipeline"


def _series(n: int = 60, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.normal(size=n)) + 10.0


SPLIT_HINT = (
    "train = series[:n_train], val = series[n_train:n_train + n_val], test = the "
    "rest, with n_train = int(n * train_fraction): contiguous, never shuffled"
)


@register("q1_time_split", points=1, hint=SPLIT_HINT, assignment=ASSIGNMENT)
def q1_time_split(time_split) -> None:
    """Contiguous, ordered parts of the right sizes that rebuild the series."""
    series = _series(60)
    parts = time_split(series, 0.7, 0.15)
    if not isinstance(parts, tuple | list) or len(parts) != 3:
        raise CheckFailed("return (train, val, test)", hint=SPLIT_HINT)
    sizes = [len(p) for p in parts]
    if sizes != [42, 9, 9]:
        raise CheckFailed(
            f"the parts have {sizes} rows, expected [42, 9, 9]",
            hint=SPLIT_HINT,
            location="sizes",
            observed=sizes,
            expected=[42, 9, 9],
        )
    joined = np.concatenate([np.asarray(p, dtype=float) for p in parts])
    if not np.array_equal(joined, series):
        hint = SPLIT_HINT
        if np.array_equal(np.sort(joined), np.sort(series)):
            hint = "the rows were shuffled: a time series is split in time order"
        raise CheckFailed(
            "the parts do not rebuild the series in order", hint=hint, location="order"
        )


WINDOW_HINT = "X[i] = x[i:i+lookback], y[i] = x[i+lookback] (the NEXT value)"


@register("q2_make_windows", points=2, hint=WINDOW_HINT, assignment=ASSIGNMENT)
def q2_make_windows(make_windows) -> None:
    """Every window and its target, on a series whose values are positions."""
    x = np.arange(12.0)
    lookback = 4
    X, y = make_windows(x, lookback)
    n = len(x) - lookback
    X = expect_shape(X, (n, lookback), "X", WINDOW_HINT)
    y = expect_shape(
        np.reshape(y, -1) if np.size(y) == n else y, (n,), "y", WINDOW_HINT
    )
    if np.array_equal(y, X[:, -1]):
        raise CheckFailed(
            "each target is the last value of its own window",
            hint="windows that include their own target: the target is the value "
            "AFTER the window, x[i + lookback]",
            location="targets",
        )
    expect_close(
        X,
        np.stack([x[i : i + lookback] for i in range(n)]),
        "X",
        WINDOW_HINT,
        location="windows",
    )
    expect_close(y, x[lookback:], "y", WINDOW_HINT, location="targets")


@register(
    "q3_naive_and_mase",
    points=2,
    hint="naive: X[:, -1]; MASE = mean|y - y_hat| / mean|diff(y_train)|",
    assignment=ASSIGNMENT,
)
def q3_naive_and_mase(naive_forecast, mase) -> None:
    """The naive forecast of windows, and MASE scaled on the training series."""
    X = np.array([[1.0, 2.0, 3.0], [4.0, 4.0, 7.0]])
    expect_close(
        naive_forecast(X),
        np.array([3.0, 7.0]),
        "naive_forecast(X)",
        "the naive forecast repeats the last value of the window",
    )
    y_train = np.array([1.0, 3.0, 2.0, 6.0])  # mean |diff| = (2 + 1 + 4) / 3
    y_true, y_pred = np.array([5.0, 7.0]), np.array([4.0, 8.0])  # mean |error| 1
    got = float(mase(y_true, y_pred, y_train))
    want = 1.0 / (7.0 / 3.0)
    if np.isclose(got, 1.0 / 2.0):  # scaled by mean |diff(y_true)| = 2
        raise CheckFailed(
            f"mase = {got:.4f}",
            hint="scale by the naive forecast's error on the TRAINING series "
            "(mean |diff(y_train)|), not on the test targets",
            location="scale",
            observed=got,
            expected=want,
        )
    if not np.isclose(got, want, atol=1e-9):
        raise CheckFailed(
            f"mase = {got:.4f}, expected {want:.4f}",
            hint="MASE = mean|y - y_hat| / mean|diff(y_train)|",
            observed=got,
            expected=want,
        )


PIPELINE_HINT = (
    "split first; mean and std from the TRAINING rows only; scale all parts with "
    "them; window each part separately"
)
TRAINING_KEYS = ("mean", "std", "X_train", "y_train")


@register("q4_pipeline", points=3, hint=PIPELINE_HINT, assignment=ASSIGNMENT)
def q4_pipeline(pipeline) -> None:
    """Nothing computed from the training part changes when the future changes."""
    series = _series(80, seed=1)
    lookback = 5
    out = pipeline(series, lookback)
    missing = [
        k
        for k in (*TRAINING_KEYS, "X_val", "y_val", "X_test", "y_test")
        if k not in out
    ]
    if missing:
        raise CheckFailed(f"the result lacks {missing}", hint=PIPELINE_HINT)
    future = series.copy()
    future[56:] = future[56:] * 3 + 100  # change only validation and test rows
    changed = pipeline(future, lookback)
    for key in TRAINING_KEYS:
        if not np.allclose(np.asarray(out[key]), np.asarray(changed[key])):
            raise CheckFailed(
                f"changing only future rows changed {key}",
                hint="scaler fitted on all rows (leakage): fit the mean and std on "
                "the training rows only"
                if key in ("mean", "std")
                else "the training windows must come from the training rows only",
                location=key,
            )
    train = series[:56]
    expect_close(
        out["mean"], np.array(train.mean()), "mean", PIPELINE_HINT, location="scaler"
    )
    expect_close(
        out["std"], np.array(train.std()), "std", PIPELINE_HINT, location="scaler"
    )
    scaled = (train - train.mean()) / train.std()
    X_train = expect_shape(
        out["X_train"], (len(train) - lookback, lookback), "X_train", PIPELINE_HINT
    )
    expect_close(
        X_train[:, 0],
        scaled[:-lookback],
        "X_train[:, 0]",
        PIPELINE_HINT,
        location="scaled windows",
    )
    val = (series[56:68] - train.mean()) / train.std()
    expect_close(
        np.reshape(out["y_val"], -1),
        val[lookback:],
        "y_val",
        "scale the validation rows with the TRAINING mean and std",
        location="validation targets",
    )


@register(
    "q4_pipeline_hidden",
    points=1,
    hint=PIPELINE_HINT,
    assignment=ASSIGNMENT,
    hidden=True,
)
def q4_pipeline_hidden(pipeline) -> None:
    """Another length and lookback; only the test rows change."""
    series = _series(101, seed=2)
    out = pipeline(series, 3)
    future = series.copy()
    future[85:] = -future[85:]
    changed = pipeline(future, 3)
    for key in (*TRAINING_KEYS, "X_val", "y_val"):
        if not np.allclose(np.asarray(out[key]), np.asarray(changed[key])):
            raise CheckFailed(
                f"changing only test rows changed {key}",
                hint=PIPELINE_HINT,
                location=key,
            )
