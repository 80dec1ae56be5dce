"""Returns, log returns and differencing of price series, each with an exact inverse.

`to_returns` / `from_returns`, `to_log_returns` / `from_log_returns` and
`difference` / `undifference` turn prices into (more) stationary series and back;
with ``initial`` the last known value, the inverses map a model's predicted
returns or differences to predicted prices.

Pure NumPy/pandas: importing this module never imports TensorFlow.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnn_zoo._validation import check_finite, check_int, error_message
from rnn_zoo.preprocessing._arrays import _rewrap, _to_float_array

__all__ = [
    "to_returns",
    "from_returns",
    "to_log_returns",
    "from_log_returns",
    "difference",
    "undifference",
]


def _check_above(values: np.ndarray, name: str, bound: float, why: str) -> None:
    """Raise unless every value is > ``bound``; the message gives the first bad one."""
    bad = values <= bound
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"`{name}` must contain only values > {bound:g} ({why}). Received: "
            f"{name} with {float(values[first])!r} at index {first}"
        )


def _check_rows(values: np.ndarray, name: str, minimum: int) -> None:
    if values.shape[0] < minimum:
        raise ValueError(
            error_message(
                name, f"an array with at least {minimum} row(s) (time steps)", values
            )
        )


def _series_input(series: Any, name: str, min_rows: int) -> np.ndarray:
    """Validate a 1-D/2-D series (rows are time steps) and return it as float64."""
    values = _to_float_array(series, name, (1, 2))
    _check_rows(values, name, min_rows)
    check_finite(values, name)
    return values


def _initial_rows(initial: Any, series: np.ndarray, name: str) -> np.ndarray:
    """``initial`` as rows ``(rows, *series.shape[1:])`` that precede ``series``.

    ``rows`` is ``len(initial)`` when ``initial`` has the series' dimensions; one
    row may also be given without its time axis (a scalar for a 1-D series, one
    value per column for a 2-D one).
    """
    values = _to_float_array(initial, "initial", (0, 1, 2))
    row_shape = series.shape[1:]
    if values.shape == row_shape:
        values = values.reshape((1, *row_shape))
    if values.ndim != series.ndim or values.shape[1:] != row_shape or not len(values):
        raise ValueError(
            error_message(
                "initial",
                f"the rows before `{name}` starts, shape (rows, *{row_shape}) with "
                f"rows >= 1 (one value per column of `{name}`)",
                values,
            )
        )
    check_finite(values, "initial")
    return values


def _initial_price(initial: Any, series: np.ndarray, name: str) -> np.ndarray:
    """``initial`` as one row of positive prices, shape ``(1, *series.shape[1:])``."""
    start = _initial_rows(initial, series, name)
    if len(start) != 1:
        raise ValueError(error_message("initial", "a single row of prices", start))
    _check_above(start, "initial", 0, "it is a price")
    return start


def _rebuilt(like: Any, initial: Any, values: np.ndarray) -> Any:
    """Rewrap reconstructed rows; the time labels are those of ``initial`` and ``like``.

    When ``initial`` is the same pandas type as ``like`` (e.g. ``prices.iloc[:1]``),
    its index labels are prepended to ``like``'s; otherwise a fresh RangeIndex is used.
    """
    if not isinstance(like, (pd.Series, pd.DataFrame)):
        return values
    if type(initial) is type(like):
        index = initial.index.append(like.index)
    else:
        index = pd.RangeIndex(len(values))
    return _rewrap(like, values, index=index)


def to_returns(prices: Any) -> Any:
    """Simple returns ``r_t = p_t / p_{t-1} - 1`` of a price series.

    Args:
        prices: Positive prices, 1-D (time steps) or 2-D (time steps, columns)
            array/list, Series or DataFrame, at least 2 rows.

    Returns:
        float64 returns with one row fewer: an ndarray, or the same pandas type
        whose index drops the first label.

    Raises:
        ValueError: If ``prices`` has fewer than 2 rows, NaN/inf, or a value <= 0
            (the message gives its index).
        TypeError: If ``prices`` is not numeric.

    Example:
        >>> to_returns([100.0, 110.0, 99.0])
        array([ 0.1, -0.1])
    """
    values = _series_input(prices, "prices", 2)
    _check_above(values, "prices", 0, "returns divide by the previous price")
    returns = values[1:] / values[:-1] - 1.0
    return _rewrap(prices, returns, index=_tail_index(prices, 1))


def from_returns(returns: Any, initial: Any) -> Any:
    """Rebuild prices from simple returns: the exact inverse of `to_returns`.

    ``p_0 = initial`` and ``p_t = p_{t-1} * (1 + r_t)``. With ``initial`` the last
    known price, this maps predicted returns to predicted prices.

    Args:
        returns: Returns, 1-D or 2-D (time steps, columns), all > -1.
        initial: The price before the first return: a positive scalar (1-D) or one
            value per column (2-D); ``prices[:1]`` / ``prices.iloc[:1]`` also work,
            and for pandas input its index label is kept.

    Returns:
        Prices including ``initial``, one row more than ``returns`` (ndarray, or the
        pandas type of ``returns``).

    Raises:
        ValueError: If ``returns`` is empty, has NaN/inf or a value <= -1, or
            ``initial`` is not positive or does not match the columns.

    Example:
        >>> from_returns([0.1, -0.1], initial=100.0)
        array([100., 110.,  99.])

        One step ahead: a predicted return of 2% after the last price of 50:

        >>> from_returns([0.02], initial=50.0)[-1]
        np.float64(51.0)
    """
    values = _series_input(returns, "returns", 1)
    _check_above(values, "returns", -1, "a return of -1 would mean a price of 0")
    start = _initial_price(initial, values, "returns")
    prices = np.concatenate([start, start * np.cumprod(1.0 + values, axis=0)])
    return _rebuilt(returns, initial, prices)


def to_log_returns(prices: Any) -> Any:
    """Log returns ``log(p_t) - log(p_{t-1})`` of a price series.

    Args:
        prices: Positive prices, 1-D or 2-D (time steps, columns), Series or
            DataFrame, at least 2 rows.

    Returns:
        float64 log returns with one row fewer (pandas index drops its first label).

    Raises:
        ValueError: If ``prices`` has fewer than 2 rows, NaN/inf, or a value <= 0.
        TypeError: If ``prices`` is not numeric.

    Example:
        >>> import numpy as np
        >>> to_log_returns(np.exp([0.0, 1.0, 3.0]))
        array([1., 2.])
    """
    values = _series_input(prices, "prices", 2)
    _check_above(values, "prices", 0, "the logarithm needs positive prices")
    log_returns = np.diff(np.log(values), axis=0)
    return _rewrap(prices, log_returns, index=_tail_index(prices, 1))


def from_log_returns(log_returns: Any, initial: Any) -> Any:
    """Rebuild prices from log returns: the exact inverse of `to_log_returns`.

    ``p_t = initial * exp(sum of the log returns up to t)``.

    Args:
        log_returns: Log returns, 1-D or 2-D (time steps, columns).
        initial: The positive price before the first log return (see
            `from_returns`).

    Returns:
        Prices including ``initial``, one row more than ``log_returns``.

    Raises:
        ValueError: If ``log_returns`` is empty or has NaN/inf, or ``initial`` is
            not positive or does not match the columns.

    Example:
        >>> import numpy as np
        >>> from_log_returns(np.log([[2.0, 1.0], [2.0, 0.5]]), initial=[1.0, 8.0])
        array([[1., 8.],
               [2., 8.],
               [4., 4.]])
    """
    values = _series_input(log_returns, "log_returns", 1)
    start = _initial_price(initial, values, "log_returns")
    prices = np.concatenate([start, start * np.exp(np.cumsum(values, axis=0))])
    return _rebuilt(log_returns, initial, prices)


def difference(series: Any, *, order: int = 1) -> Any:
    """Differences ``x_t - x_{t-1}``, applied ``order`` times along time.

    Args:
        series: 1-D or 2-D (time steps, columns) numbers, Series or DataFrame,
            with more than ``order`` rows.
        order: int >= 1, how many times to difference. Default 1.

    Returns:
        float64 differences with ``order`` rows fewer (pandas index drops its first
        ``order`` labels).

    Raises:
        ValueError: If ``order`` < 1, ``series`` is too short or has NaN/inf.
        TypeError: If ``order`` is not an integer or ``series`` not numeric.

    Example:
        >>> difference([1.0, 4.0, 9.0, 16.0])
        array([3., 5., 7.])
        >>> difference([1.0, 4.0, 9.0, 16.0], order=2)
        array([2., 2.])
    """
    order = check_int(order, "order", minimum=1)
    values = _series_input(series, "series", order + 1)
    diffs = np.diff(values, n=order, axis=0)
    return _rewrap(series, diffs, index=_tail_index(series, order))


def undifference(diffs: Any, initial: Any) -> Any:
    """Undo `difference`: rebuild the series from its differences.

    The order is ``len(initial)``: ``initial`` holds the ``order`` values just
    before the first difference, so ``undifference(difference(x, order=k), x[:k])``
    is ``x``, and ``undifference(predicted_diffs, x[-k:])`` continues ``x``.
    Reconstruction is a running sum, exact up to float rounding (exact for
    integer-valued data).

    Args:
        diffs: ``order``-th differences, 1-D or 2-D (time steps, columns).
        initial: The ``order`` preceding values, shape ``(order,)`` for 1-D
            ``diffs`` or ``(order, columns)`` for 2-D; for order 1 also a scalar /
            one row ``(columns,)``. A Series/DataFrame slice keeps its index labels
            for pandas ``diffs``.

    Returns:
        The series: ``initial`` followed by ``len(diffs)`` rebuilt values.

    Raises:
        ValueError: If ``diffs`` is empty, either has NaN/inf, or ``initial`` does
            not have one value per column.

    Example:
        >>> undifference([3.0, 5.0, 7.0], initial=[1.0])
        array([ 1.,  4.,  9., 16.])
        >>> undifference([2.0, 2.0], initial=[1.0, 4.0])
        array([ 1.,  4.,  9., 16.])
    """
    values = _series_input(diffs, "diffs", 1)
    start = _initial_rows(initial, values, "diffs")
    level = values
    for k in range(len(start) - 1, -1, -1):
        first = np.diff(start, n=k, axis=0)[:1]
        level = np.concatenate([first, first + np.cumsum(level, axis=0)])
    return _rebuilt(diffs, initial, level)


def _tail_index(data: Any, drop: int) -> Any:
    """The index of ``data`` without its first ``drop`` labels (None for arrays)."""
    return data.index[drop:] if isinstance(data, (pd.Series, pd.DataFrame)) else None
