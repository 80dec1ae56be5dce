"""Point-forecast metrics: MAE, RMSE, MAPE, sMAPE, MASE and directional accuracy.

Every metric takes ``y_true`` and ``y_pred`` of the same shape (any shape: a
vector of one-step forecasts, or ``(windows, horizon)`` of multi-step ones) and
averages over all their elements. Inputs are checked: different shapes, NaN or
inf, and divisions by zero (MAPE on a zero target, MASE on a constant training
series) raise a ``ValueError`` that says what went wrong, never a silent ``nan``.

Pure NumPy: importing this module imports neither TensorFlow nor matplotlib.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rnn_zoo._validation import check_finite, check_int, error_message

__all__ = [
    "mae",
    "rmse",
    "mape",
    "smape",
    "naive_scale",
    "mase",
    "directional_accuracy",
]


def _as_numbers(values: Any, name: str) -> np.ndarray:
    """``values`` as a finite, non-empty float64 array."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            error_message(name, "an array-like of numbers", values)
        ) from None
    if array.size == 0:
        raise ValueError(error_message(name, "non-empty", array))
    return check_finite(array, name)


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validated ``(y_true, y_pred)`` of one shape (a trailing axis of 1 is ignored)."""
    true = _as_numbers(y_true, "y_true")
    pred = _as_numbers(y_pred, "y_pred")
    if true.shape != pred.shape:
        if true.size == pred.size and np.squeeze(true).shape == np.squeeze(pred).shape:
            return true.reshape(-1), pred.reshape(-1)
        raise ValueError(
            f"`y_pred` must have the same shape as `y_true`. Received: y_true with "
            f"shape {true.shape} ({true.size} values) and y_pred with shape "
            f"{pred.shape} ({pred.size} values). Pair each forecast with its target"
        )
    return true, pred


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error, ``mean(|y_true - y_pred|)``, in the units of ``y``.

    Args:
        y_true: Array-like of observed values, any shape.
        y_pred: Array-like of forecasts, the same shape as ``y_true`` (a
            trailing axis of length 1 on either side is ignored).

    Returns:
        The MAE as a Python float.

    Raises:
        ValueError: If the shapes differ, an input is empty or holds NaN/inf.
        TypeError: If an input is not numeric.

    Example:
        >>> mae([1.0, 2.0, 4.0], [2.0, 2.0, 1.0])  # (1 + 0 + 3) / 3
        1.3333333333333333
    """
    true, pred = _pair(y_true, y_pred)
    return float(np.mean(np.abs(true - pred)))


def rmse(y_true: Any, y_pred: Any) -> float:
    """Root mean squared error, ``sqrt(mean((y_true - y_pred) ** 2))``.

    Args:
        y_true: Array-like of observed values, any shape.
        y_pred: Array-like of forecasts, the same shape as ``y_true``.

    Returns:
        The RMSE as a Python float, in the units of ``y``.

    Raises:
        ValueError: If the shapes differ, an input is empty or holds NaN/inf.
        TypeError: If an input is not numeric.

    Example:
        >>> rmse([1.0, 2.0, 4.0], [2.0, 2.0, 1.0])  # sqrt((1 + 0 + 9) / 3)
        1.8257418583505538
    """
    true, pred = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((true - pred) ** 2)))


def mape(y_true: Any, y_pred: Any) -> float:
    """Mean absolute percentage error, ``100 * mean(|y_true - y_pred| / |y_true|)``.

    In percent (scikit-learn's ``mean_absolute_percentage_error`` returns the
    fraction, 100 times smaller). Undefined when a target is 0, and misleading
    near 0: do not use it on returns; prefer `mase`.

    Args:
        y_true: Array-like of observed values, none of them 0.
        y_pred: Array-like of forecasts, the same shape as ``y_true``.

    Returns:
        The MAPE in percent, as a Python float.

    Raises:
        ValueError: If the shapes differ, an input is empty or holds NaN/inf, or a
            value of ``y_true`` is 0.
        TypeError: If an input is not numeric.

    Example:
        >>> mape([100.0, 200.0], [110.0, 190.0])  # (10% + 5%) / 2
        7.5
    """
    true, pred = _pair(y_true, y_pred)
    zero = true == 0
    if zero.any():
        first = tuple(int(i) for i in np.argwhere(zero)[0])
        raise ValueError(
            "`y_true` must not contain 0 for MAPE (it divides by |y_true|). "
            f"Received: y_true with 0 at index {first}. Use `mase` or `smape`"
        )
    return float(100.0 * np.mean(np.abs(true - pred) / np.abs(true)))


def smape(y_true: Any, y_pred: Any) -> float:
    """Symmetric MAPE, ``100 * mean(2 |y_true - y_pred| / (|y_true| + |y_pred|))``.

    In percent, between 0 and 200. A pair where both values are 0 counts as a
    perfect forecast (0), as in the M4 competition code.

    Args:
        y_true: Array-like of observed values, any shape.
        y_pred: Array-like of forecasts, the same shape as ``y_true``.

    Returns:
        The sMAPE in percent, as a Python float.

    Raises:
        ValueError: If the shapes differ, an input is empty or holds NaN/inf.
        TypeError: If an input is not numeric.

    Example:
        >>> smape([100.0, 0.0], [300.0, 0.0])  # (2 * 200 / 400 + 0) / 2 -> 50%
        50.0
    """
    true, pred = _pair(y_true, y_pred)
    denominator = np.abs(true) + np.abs(pred)
    ratio = np.divide(
        2.0 * np.abs(true - pred),
        denominator,
        out=np.zeros_like(denominator),
        where=denominator > 0,
    )
    return float(100.0 * np.mean(ratio))


def naive_scale(y_train: Any, *, m: int = 1) -> float:
    """The MASE denominator: in-sample MAE of the m-step naive forecast.

    ``mean(|y_train[t] - y_train[t - m]|)`` over ``t = m .. n - 1``: how far off
    "the value m steps ago" is on the training series (m = 1: the random walk;
    m = the season length: the seasonal naive forecast).

    Args:
        y_train: 1-D array-like (or ``(n, 1)``) of the training series, in time
            order, with more than ``m`` values.
        m: int, the lag (season length), >= 1. Defaults to 1.

    Returns:
        The scale as a Python float (> 0).

    Raises:
        ValueError: If ``m`` < 1, ``y_train`` is not 1-D, has ``m`` values or
            fewer, holds NaN/inf, or is m-periodic (e.g. constant), so the scale is
            0 and MASE would divide by zero.
        TypeError: If ``m`` is not an int or ``y_train`` is not numeric.

    Example:
        >>> naive_scale([1.0, 3.0, 2.0, 5.0])  # (2 + 1 + 3) / 3
        2.0
        >>> naive_scale([1.0, 3.0, 2.0, 5.0], m=2)  # (|2 - 1| + |5 - 3|) / 2
        1.5
    """
    m = check_int(m, "m", minimum=1)
    train = _as_numbers(y_train, "y_train")
    if train.ndim == 2 and train.shape[1] == 1:
        train = train[:, 0]
    if train.ndim != 1:
        raise ValueError(
            error_message("y_train", "a 1-D series (one value per time step)", train)
        )
    if len(train) <= m:
        raise ValueError(
            f"`y_train` must have more than m={m} values to measure the m-step "
            f"naive error. Received: y_train with {len(train)} values"
        )
    scale = float(np.mean(np.abs(train[m:] - train[:-m])))
    if scale == 0:
        raise ValueError(
            f"`y_train` must not be constant (or {m}-periodic): its in-sample "
            f"{m}-step naive error is 0, so MASE would divide by zero. Received: "
            f"y_train with {len(train)} values, all equal to their value {m} "
            "step(s) earlier. Use `mae` instead"
        )
    return scale


def mase(y_true: Any, y_pred: Any, y_train: Any, *, m: int = 1) -> float:
    """Mean absolute scaled error (Hyndman & Koehler, 2006).

    ``mae(y_true, y_pred) / naive_scale(y_train, m=m)``: the forecast's MAE
    divided by the in-sample MAE of the m-step naive forecast on the training
    series (as sktime, statsforecast and the M4 competition define it). Below 1
    the forecast beats what the naive method achieved in sample; it is
    scale-free, so it compares series in different units.

    Args:
        y_true: Array-like of observed values, any shape.
        y_pred: Array-like of forecasts, the same shape as ``y_true``.
        y_train: 1-D array-like of the training series the forecasts were made
            from (the past only), in time order.
        m: int, seasonal period of the naive scale, >= 1. Defaults to 1.

    Returns:
        The MASE as a Python float.

    Raises:
        ValueError: If the shapes of ``y_true`` and ``y_pred`` differ, an input
            holds NaN/inf, or ``y_train`` is too short or constant (zero scale).
        TypeError: If an input is not numeric or ``m`` is not an int.

    Example:
        >>> mase([6.0, 8.0], [5.0, 5.0], [1.0, 3.0, 2.0, 5.0])  # 2.0 / 2.0
        1.0
        >>> mase([6.0, 8.0], [5.0, 5.0], [2.0, 2.0, 2.0])
        Traceback (most recent call last):
        ...
        ValueError: `y_train` must not be constant (or 1-periodic): ...
    """
    scale = naive_scale(y_train, m=m)
    return mae(y_true, y_pred) / scale


def directional_accuracy(y_true: Any, y_pred: Any, *, reference: Any = None) -> float:
    """Share of forecasts that get the direction of the move right.

    With ``reference=None`` the values are changes (returns, differences) and the
    direction is their sign: a hit when ``sign(y_pred) == sign(y_true)``. With a
    ``reference`` (the last observed value when each forecast was made), the
    direction is that of the move from it: ``sign(y_pred - reference) ==
    sign(y_true - reference)``.

    A forecast of no change (sign 0) makes no call on the direction and counts
    as a miss unless the truth did not move either. So the naive forecast, which
    always predicts no change, scores the share of unchanged values (about 0 on
    prices), and a coin flip about 0.5.

    Args:
        y_true: Array-like of observed values (or changes), any shape.
        y_pred: Array-like of forecasts, the same shape as ``y_true``.
        reference: None, a number, or an array-like broadcastable to ``y_true``
            (e.g. shape ``(windows, 1)`` for ``(windows, horizon)`` targets).
            Defaults to None.

    Returns:
        The hit rate in ``[0, 1]``, as a Python float.

    Raises:
        ValueError: If the shapes differ, an input is empty or holds NaN/inf, or
            ``reference`` does not broadcast to ``y_true``.
        TypeError: If an input is not numeric.

    Example:
        >>> directional_accuracy([0.5, -1.0, 2.0, -0.1], [0.1, 0.3, 1.0, -2.0])
        0.75
        >>> directional_accuracy([11.0, 9.0], [10.5, 10.5], reference=10.0)
        0.5
    """
    true, pred = _pair(y_true, y_pred)
    if reference is not None:
        ref = _as_numbers(reference, "reference")
        try:
            ref = np.broadcast_to(ref, true.shape)
        except ValueError:
            raise ValueError(
                f"`reference` must broadcast to the shape of `y_true` {true.shape}. "
                f"Received: reference with shape {ref.shape}"
            ) from None
        true, pred = true - ref, pred - ref
    return float(np.mean(np.sign(true) == np.sign(pred)))
