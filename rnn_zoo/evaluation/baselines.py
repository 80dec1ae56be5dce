"""Naive forecasting baselines: the yardsticks every model must beat.

Each baseline takes the history (the past only, oldest first) and returns the
next ``horizon`` values as a 1-D float64 array, following Hyndman & Athanasopoulos,
*Forecasting: Principles and Practice*, section 5.2:

- `naive_forecast`: the last value, repeated (the random walk).
- `seasonal_naive_forecast`: the value one season earlier.
- `drift_forecast`: the line through the first and last values, extended.
- `mean_forecast`: the mean of the history.

`BASELINES` maps their names to the functions that take ``(history, horizon)``.
Pure NumPy: importing this module imports neither TensorFlow nor matplotlib.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rnn_zoo._validation import check_finite, check_int, error_message

__all__ = [
    "naive_forecast",
    "seasonal_naive_forecast",
    "drift_forecast",
    "mean_forecast",
    "BASELINES",
]


def _history(history: Any, min_length: int, why: str) -> np.ndarray:
    """``history`` as a finite 1-D float64 array of at least ``min_length`` values."""
    try:
        values = np.asarray(history, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            error_message("history", "a 1-D array-like of numbers", history)
        ) from None
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise ValueError(
            error_message(
                "history",
                "a 1-D series (one value per time step, oldest first)",
                values,
            )
        )
    if len(values) < min_length:
        raise ValueError(
            f"`history` must have at least {min_length} value(s) {why}. "
            f"Received: history with {len(values)} value(s)"
        )
    return check_finite(values, "history")


def naive_forecast(history: Any, horizon: int) -> np.ndarray:
    """Forecast every future step as the last observed value.

    ``y[T + h] = y[T]`` for ``h = 1 .. horizon``. On prices this is the random
    walk, the forecast that is hardest to beat.

    Args:
        history: 1-D array-like of past values (or ``(n, 1)``), oldest first,
            at least one value.
        horizon: int, number of future steps, >= 1.

    Returns:
        float64 array of shape ``(horizon,)``.

    Raises:
        ValueError: If ``horizon`` < 1 or ``history`` is empty, not 1-D or holds
            NaN/inf.
        TypeError: If ``horizon`` is not an int or ``history`` is not numeric.

    Example:
        >>> naive_forecast([3.0, 5.0, 4.0], 2)
        array([4., 4.])
    """
    horizon = check_int(horizon, "horizon", minimum=1)
    values = _history(history, 1, "(the last one is repeated)")
    return np.full(horizon, values[-1])


def seasonal_naive_forecast(history: Any, horizon: int, m: int) -> np.ndarray:
    """Forecast each future step as the value one season (``m`` steps) earlier.

    ``y[T + h] = y[T + h - m * (floor((h - 1) / m) + 1)]``: the last observed
    season, repeated as often as needed.

    Args:
        history: 1-D array-like of past values, oldest first, at least ``m``.
        horizon: int, number of future steps, >= 1.
        m: int, season length in steps, >= 1 (``m=1`` is `naive_forecast`).

    Returns:
        float64 array of shape ``(horizon,)``.

    Raises:
        ValueError: If ``horizon`` or ``m`` < 1, or ``history`` has fewer than
            ``m`` values, is not 1-D or holds NaN/inf.
        TypeError: If ``horizon`` or ``m`` is not an int.

    Example:
        >>> seasonal_naive_forecast([1.0, 2.0, 3.0, 10.0, 20.0, 30.0], 4, 3)
        array([10., 20., 30., 10.])
    """
    horizon = check_int(horizon, "horizon", minimum=1)
    m = check_int(m, "m", minimum=1)
    values = _history(history, m, f"(one full season of m={m} steps)")
    last_season = values[len(values) - m :]
    return last_season[np.arange(horizon) % m].copy()


def drift_forecast(history: Any, horizon: int) -> np.ndarray:
    """Extend the straight line through the first and last values.

    ``y[T + h] = y[T] + h * (y[T] - y[1]) / (T - 1)``: the naive forecast plus
    the average change per step seen in the history.

    Args:
        history: 1-D array-like of past values, oldest first, at least two.
        horizon: int, number of future steps, >= 1.

    Returns:
        float64 array of shape ``(horizon,)``.

    Raises:
        ValueError: If ``horizon`` < 1 or ``history`` has fewer than 2 values,
            is not 1-D or holds NaN/inf.
        TypeError: If ``horizon`` is not an int.

    Example:
        >>> drift_forecast([1.0, 2.0, 5.0], 2)  # slope (5 - 1) / 2 = 2 per step
        array([7., 9.])
    """
    horizon = check_int(horizon, "horizon", minimum=1)
    values = _history(history, 2, "(a slope needs two points)")
    slope = (values[-1] - values[0]) / (len(values) - 1)
    return values[-1] + slope * np.arange(1, horizon + 1)


def mean_forecast(history: Any, horizon: int) -> np.ndarray:
    """Forecast every future step as the mean of the history.

    On returns this is the "average daily return" forecast; on prices it is a
    poor baseline (prices wander far from their mean).

    Args:
        history: 1-D array-like of past values, oldest first, at least one.
        horizon: int, number of future steps, >= 1.

    Returns:
        float64 array of shape ``(horizon,)``.

    Raises:
        ValueError: If ``horizon`` < 1 or ``history`` is empty, not 1-D or holds
            NaN/inf.
        TypeError: If ``horizon`` is not an int.

    Example:
        >>> mean_forecast([1.0, 2.0, 6.0], 3)
        array([3., 3., 3.])
    """
    horizon = check_int(horizon, "horizon", minimum=1)
    values = _history(history, 1, "(their mean is the forecast)")
    return np.full(horizon, values.mean())


#: Baseline name -> function ``(history, horizon) -> forecast``.
BASELINES = {
    "naive": naive_forecast,
    "drift": drift_forecast,
    "mean": mean_forecast,
}
