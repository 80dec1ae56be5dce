"""Sliding windows over a time series, and leak-free chronological splits.

A window pairs ``lookback`` consecutive rows (the model's input) with the
``horizon`` rows that follow them (the target)::

    rows:    0  1  2  3  4  5  6  7
    window 0 [X  X  X] y                   lookback=3, horizon=1, stride=1
    window 1    [X  X  X] y
    ...

The target always starts strictly after the last input row, so a window never
shows the model the values it must predict.

Use `time_split` **first**, then window each part on its own: every window then
lies inside one part, and no training window contains a validation or test row.

`make_windows` and `time_split` are pure NumPy/pandas; `windows_dataset` imports
TensorFlow (through Keras) only when it is called.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from rnn_zoo._validation import (
    check_finite,
    check_int,
    check_type,
    error_message,
)
from rnn_zoo.preprocessing._arrays import (
    _column_positions,
    _float_dtype,
    _numeric_parts,
)
from rnn_zoo.preprocessing._prefetch import prefetched

__all__ = ["make_windows", "windows_dataset", "time_split"]

_SPLIT_TOLERANCE = 1e-9


# --------------------------------------------------------------------------- helpers


def _numpy_dtype(dtype: Any, where: str) -> np.dtype:
    """The NumPy dtype behind a numeric (NumPy or pandas) dtype; raise otherwise.

    ``where`` says where the dtype comes from, for the message.
    """
    if pd.api.types.is_numeric_dtype(dtype):
        numpy_dtype = np.dtype(getattr(dtype, "numpy_dtype", dtype))
        if numpy_dtype.kind in "biuf":
            return numpy_dtype
    raise TypeError(
        "`series` must be numeric (numbers or bools). Received: series with "
        f"{where} of dtype {dtype}. Convert or drop non-numeric columns first"
    )


def _as_table(series: Any) -> tuple[np.ndarray, list[Any] | None]:
    """``series`` as a finite 2-D float array ``(rows, features)`` and its labels.

    The labels are the DataFrame's columns (a Series' name, or 0), else None.
    """
    if isinstance(series, pd.Series):
        series = series.to_frame()
    if isinstance(series, pd.DataFrame):
        for column, dtype in series.dtypes.items():
            _numpy_dtype(dtype, f"column {column!r}")
        dtype = _float_dtype(_numeric_parts(series), "series")
        values = series.to_numpy(dtype=dtype, na_value=np.nan)
        labels: list[Any] | None = list(series.columns)
    else:
        try:
            values = np.asarray(series)
        except (TypeError, ValueError):
            raise ValueError(
                error_message(
                    "series",
                    "a rectangular 1-D or 2-D array, list or pandas object",
                    series,
                )
            ) from None
        _numpy_dtype(values.dtype, "values")
        values = values.astype(_float_dtype([values], "series"), copy=False)
        labels = None
        if values.ndim == 1:
            values = values.reshape(-1, 1)
    if values.ndim != 2 or values.shape[1] == 0:
        raise ValueError(
            error_message(
                "series",
                "a 1-D array (one feature) or a 2-D array (rows, features) with at "
                "least one column",
                values,
                "Rows are time steps; to window several series, window each one",
            )
        )
    check_finite(values, "series")
    return values, labels


def _target_positions(
    target_columns: Any, labels: list[Any] | None, n_features: int
) -> list[int]:
    """Column positions of the targets; all columns when `target_columns` is None."""
    if target_columns is None:
        return list(range(n_features))
    return _column_positions(
        target_columns, labels, n_features, "target_columns", none_means_all=True
    )


class _Windowing(NamedTuple):
    """Validated arguments shared by `make_windows` and `windows_dataset`."""

    values: np.ndarray  # (rows, features), float
    targets: list[int]  # positions of the target columns
    lookback: int
    horizon: int
    stride: int
    n_windows: int


def _prepare(
    series: Any, lookback: Any, horizon: Any, stride: Any, target_columns: Any
) -> _Windowing:
    """Validate the arguments shared by `make_windows` and `windows_dataset`."""
    lookback = check_int(lookback, "lookback", minimum=1)
    horizon = check_int(horizon, "horizon", minimum=1)
    stride = check_int(stride, "stride", minimum=1)
    values, labels = _as_table(series)
    targets = _target_positions(target_columns, labels, values.shape[1])
    needed = lookback + horizon
    if len(values) < needed:
        raise ValueError(
            f"`series` must have at least lookback + horizon = {needed} rows "
            f"(lookback={lookback}, horizon={horizon}). Received: series with "
            f"{len(values)} rows. Use a longer series or a smaller `lookback`"
        )
    n_windows = (len(values) - needed) // stride + 1
    return _Windowing(values, targets, lookback, horizon, stride, n_windows)


def _target_windows(
    values: np.ndarray, targets: list[int], lookback: int, horizon: int
) -> np.ndarray:
    """``out[i] = values[i + lookback : i + lookback + horizon, targets]`` for every
    start ``i`` (stride 1), shape ``(len - lookback - horizon + 1, horizon, T)``."""
    future = values[lookback:, targets]
    view = np.lib.stride_tricks.sliding_window_view(future, horizon, axis=0)
    return view.transpose(0, 2, 1)


# --------------------------------------------------------------------------- public


def make_windows(
    series: Any,
    lookback: int,
    *,
    horizon: int = 1,
    stride: int = 1,
    target_columns: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a time series into (input window, following target rows) pairs.

    Window ``i`` takes rows ``[i*stride, i*stride + lookback)`` as input and the
    next ``horizon`` rows, ``[i*stride + lookback, i*stride + lookback + horizon)``,
    as target, so the target is strictly after the inputs. There are
    ``n = (len(series) - lookback - horizon) // stride + 1`` windows; trailing rows
    that cannot complete a window are dropped.

    Window each part of a `time_split` separately, so that no window straddles
    a train/validation/test boundary.

    Args:
        series: 1-D (one feature) or 2-D ``(rows, features)`` NumPy array, list,
            pandas Series or DataFrame of numbers; rows are time steps.
        lookback: int, number of input rows per window (>= 1).
        horizon: int, number of future rows to predict (>= 1). Defaults to 1.
        stride: int, rows between the starts of consecutive windows (>= 1).
            Defaults to 1 (every possible window).
        target_columns: which columns form ``y``. None (default) means all
            columns; otherwise one column or a list of columns, each a position
            (int, negative counts from the end) or, for pandas input, a column
            label (a Series' label is its name). The package's one column
            rule: an entry that is a column label means that column; an int
            that is not a label is a position.

    Returns:
        A tuple ``(X, y)``: ``X`` of shape ``(n, lookback, features)`` and ``y``
        of shape ``(n, horizon, len(targets))`` (batch, timesteps, features).
        Float input keeps its dtype (float32 stays float32); integer and bool
        input becomes float32 when float32 holds every value exactly
        (``|v| <= 2**24``), else float64, so large counts and timestamps are
        never rounded. The arrays are copies, not views of ``series``.

    Raises:
        TypeError: If ``lookback``, ``horizon`` or ``stride`` is not an int, if
            ``series`` is not numeric, or ``target_columns`` has a wrong type.
        ValueError: If ``lookback``, ``horizon`` or ``stride`` is < 1; if
            ``series`` is not 1-D/2-D, holds NaN/inf, or has fewer than
            ``lookback + horizon`` rows, or holds integers beyond ``2**53``
            (float64 would round them); if ``target_columns`` is empty, repeats
            a column or names a column that does not exist.

    Example:
        >>> X, y = make_windows(np.arange(6), 3)
        >>> X.shape, y.shape, X.dtype
        ((3, 3, 1), (3, 1, 1), dtype('float32'))
        >>> X[:, :, 0]
        array([[0., 1., 2.],
               [1., 2., 3.],
               [2., 3., 4.]], dtype=float32)
        >>> y[:, :, 0]
        array([[3.],
               [4.],
               [5.]], dtype=float32)
        >>> df = pd.DataFrame({"t": np.arange(8.0), "price": np.arange(8.0) * 10})
        >>> X, y = make_windows(df, 2, horizon=3, stride=2, target_columns="price")
        >>> X.shape, y.shape
        ((2, 2, 2), (2, 3, 1))
        >>> y[1, :, 0]
        array([40., 50., 60.])
    """
    w = _prepare(series, lookback, horizon, stride, target_columns)
    starts = np.arange(w.n_windows) * w.stride
    X = w.values[starts[:, None] + np.arange(w.lookback)]
    y = _target_windows(w.values, w.targets, w.lookback, w.horizon)[starts]
    return X, np.ascontiguousarray(y)


def windows_dataset(
    series: Any,
    lookback: int,
    *,
    horizon: int = 1,
    stride: int = 1,
    target_columns: Any = None,
    batch_size: int | None = 32,
    shuffle: bool = False,
    seed: int | None = None,
):
    """The windows of `make_windows` as a batched ``tf.data.Dataset``.

    Built on ``keras.utils.timeseries_dataset_from_array``: its ``targets[i]`` is
    the target of the window starting at row ``i``, so ``targets`` here holds the
    ``horizon`` rows after every possible window start, and ``sequence_stride``
    keeps every ``stride``-th window. Without shuffling, the dataset yields
    exactly ``make_windows(...)`` in order, in batches.

    With ``shuffle=True`` the windows come in a random order: Keras permutes the
    window starts once, then reshuffles within a buffer of windows on every pass
    (epoch). Pass ``seed`` to get the same sequence of orders every time you build
    the dataset; without it the order differs from run to run.

    Args:
        series: 1-D or 2-D array, list, pandas Series or DataFrame; see
            `make_windows`.
        lookback: int, number of input rows per window (>= 1).
        horizon: int, number of future rows to predict (>= 1). Defaults to 1.
        stride: int, rows between consecutive window starts (>= 1). Defaults to 1.
        target_columns: columns forming ``y``; see `make_windows`. Defaults to
            None (all columns).
        batch_size: int, windows per batch (the last batch may be smaller), or
            None to yield single windows. Defaults to 32.
        shuffle: bool, whether to shuffle the windows. Defaults to False.
        seed: int or None, seed for the shuffle. Defaults to None.

    Returns:
        A ``tf.data.Dataset`` of ``(X, y)`` pairs with ``X`` of shape
        ``(batch, lookback, features)`` and ``y`` of shape
        ``(batch, horizon, targets)``, dtypes as in `make_windows`, prefetching
        the next batches while the current one trains. For data that fits in
        memory, the arrays of `make_windows` given to ``fit`` train faster still
        (``benchmarks/input_pipeline.py``).

    Raises:
        TypeError: As `make_windows`, and if ``batch_size``/``seed`` is not an
            int (or None) or ``shuffle`` is not a bool.
        ValueError: As `make_windows`, and if ``batch_size`` is < 1.

    Example:
        >>> ds = windows_dataset(np.arange(10), 4, horizon=2, batch_size=3)
        >>> [tuple(x.shape) for x, _ in ds]
        [(3, 4, 1), (2, 4, 1)]
        >>> x, y = next(iter(ds))
        >>> y.numpy()[:, :, 0]
        array([[4., 5.],
               [5., 6.],
               [6., 7.]], dtype=float32)
    """
    w = _prepare(series, lookback, horizon, stride, target_columns)
    batch_size = check_int(batch_size, "batch_size", minimum=1, allow_none=True)
    check_type(shuffle, "shuffle", bool, "a bool")
    seed = check_int(seed, "seed", minimum=0, allow_none=True)

    import keras  # imports TensorFlow; kept out of module import on purpose

    # Keep only the first (n - 1) * stride + 1 starts, so exactly n windows start
    # at multiples of `stride`. Keras rejects a stride >= len(series); with one
    # window the stride does not matter, so use 1.
    future = _target_windows(w.values, w.targets, w.lookback, w.horizon)
    future = np.ascontiguousarray(future[: (w.n_windows - 1) * w.stride + 1])
    dataset = keras.utils.timeseries_dataset_from_array(
        w.values,
        future,
        sequence_length=w.lookback,
        sequence_stride=w.stride if w.n_windows > 1 else 1,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
    )
    # the next batches are cut while the model trains on this one (a fixed 2
    # batches, no autotuning: see _prefetch.py); benchmarks/input_pipeline.py:
    # 1.58x the step time of NumPy windows, 1.68x without prefetch in an earlier
    # run. No cache(), which would replay the first epoch's shuffle every epoch.
    return prefetched(dataset)


def time_split(data: Any, fractions: Sequence[float] = (0.7, 0.15, 0.15)) -> tuple:
    """Split data along time into contiguous, ordered parts (e.g. train/val/test).

    Part ``k`` holds rows ``[round(c[k-1] * len), round(c[k] * len))`` where ``c``
    is the running sum of ``fractions``; the parts are in time order and, put
    back together, give ``data`` exactly. Nothing is shuffled: a random split
    would let the model train on the future.

    Split first, then window each part on its own (``make_windows(train, ...)``,
    ``make_windows(val, ...)``): every window then lies inside one part, so no
    window straddles a boundary. (Each part loses the first ``lookback`` rows as
    targets; that is the price of a clean boundary.) Fit scalers on the training
    part only.

    Args:
        data: NumPy array (rows on axis 0), list, tuple, pandas Series or
            DataFrame. It is sliced by position; its values are not checked.
        fractions: sequence of one or more numbers > 0 that sum to 1 (within
            1e-9), the share of rows in each part. Defaults to
            ``(0.7, 0.15, 0.15)``.

    Returns:
        A tuple with one part per fraction, each of the same type as ``data``:
        pandas objects keep their index and columns (``iloc`` slices); NumPy
        arrays are views (slices), so copy a part before modifying it in place.

    Raises:
        TypeError: If ``data`` is not an array, list, tuple, Series or DataFrame,
            or ``fractions`` is not a sequence of numbers.
        ValueError: If ``data`` is 0-D, a fraction is <= 0, the fractions do not
            sum to 1, or a part would get no rows.

    Example:
        >>> train, val, test = time_split(np.arange(20))
        >>> train
        array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13])
        >>> val, test
        (array([14, 15, 16]), array([17, 18, 19]))
        >>> s = pd.Series(np.arange(4.0), index=list("abcd"))
        >>> [part.index.tolist() for part in time_split(s, (0.5, 0.5))]
        [['a', 'b'], ['c', 'd']]
    """
    check_type(
        data,
        "data",
        (np.ndarray, list, tuple, pd.Series, pd.DataFrame),
        "a NumPy array, list, tuple, pandas Series or DataFrame",
    )
    if isinstance(data, np.ndarray) and data.ndim == 0:
        raise ValueError(error_message("data", "an array with a time axis", data))
    shares = _check_fractions(fractions)
    n_rows = len(data)
    bounds = [0, *(round(c * n_rows) for c in np.cumsum(shares)[:-1]), n_rows]
    sizes = np.diff(bounds)
    if (sizes < 1).any():
        raise ValueError(
            f"`fractions` must give every part at least 1 row. Received: "
            f"fractions={tuple(fractions)} for data with {n_rows} rows, which gives "
            f"parts of {sizes.tolist()} rows. Use more data or larger fractions"
        )
    rows = [slice(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    if isinstance(data, pd.Series | pd.DataFrame):
        return tuple(data.iloc[part] for part in rows)
    return tuple(data[part] for part in rows)


def _check_fractions(fractions: Any) -> list[float]:
    """``fractions`` as floats, if they are positive numbers summing to 1."""
    allowed = "a sequence of numbers > 0 that sum to 1, e.g. (0.7, 0.15, 0.15)"
    if not isinstance(fractions, list | tuple | np.ndarray) or not all(
        isinstance(f, numbers.Real) and not isinstance(f, bool) for f in fractions
    ):
        raise TypeError(error_message("fractions", allowed, fractions))
    shares = [float(f) for f in fractions]
    if (
        not shares
        or not all(np.isfinite(f) and f > 0 for f in shares)
        or abs(sum(shares) - 1.0) > _SPLIT_TOLERANCE
    ):
        raise ValueError(error_message("fractions", allowed, fractions))
    return shares
