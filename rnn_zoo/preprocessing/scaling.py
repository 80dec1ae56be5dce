"""Scaling and stationarity transforms for time series, each with an exact inverse.

`SeriesScaler` standardizes or min-max scales each feature (the last axis) of 1-D,
2-D ``(rows, features)`` and 3-D ``(windows, timesteps, features)`` arrays and of
pandas objects, learning its statistics from training rows only, and un-scales a
model's predictions of the target column(s) alone.

`to_returns` / `from_returns`, `to_log_returns` / `from_log_returns` and
`difference` / `undifference` turn prices into (more) stationary series and back.

Pure NumPy/pandas: importing this module never imports TensorFlow.
"""

from __future__ import annotations

import json
import numbers
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rnn_zoo._validation import (
    check_finite,
    check_fitted,
    check_int,
    check_one_of,
    check_type,
    error_message,
)

__all__ = [
    "SeriesScaler",
    "to_returns",
    "from_returns",
    "to_log_returns",
    "from_log_returns",
    "difference",
    "undifference",
]

_KINDS = ("standard", "minmax")
_CONFIG_KEYS = ("kind", "feature_range", "state")


# --------------------------------------------------------------------------- helpers


def _to_float_array(data: Any, name: str, ndims: tuple[int, ...]) -> np.ndarray:
    """``data`` as a float64 array with one of ``ndims`` dimensions, else raise."""
    try:
        if isinstance(data, (pd.Series, pd.DataFrame)):
            values = data.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            values = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            error_message(name, "numeric (an array, list, Series or DataFrame)", data)
        ) from None
    if values.ndim not in ndims:
        allowed = " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(error_message(name, f"a {allowed} array", values))
    return values


def _float_dtype(data: Any) -> np.dtype:
    """The dtype results take: the input's float dtype, else float64."""
    dtype = getattr(data, "dtype", None)
    if dtype is not None and np.issubdtype(dtype, np.floating):
        return np.dtype(dtype)
    return np.dtype(np.float64)


def _rewrap(like: Any, values: np.ndarray, index: Any = None) -> Any:
    """Return ``values`` as the pandas type of ``like`` (ndarray otherwise)."""
    if isinstance(like, pd.Series):
        return pd.Series(
            values, index=like.index if index is None else index, name=like.name
        )
    if isinstance(like, pd.DataFrame):
        return pd.DataFrame(
            values, index=like.index if index is None else index, columns=like.columns
        )
    return values


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


# --------------------------------------------------------------------------- scaler


class SeriesScaler:
    """Scale each feature (last axis) of a time series, fitted on training rows only.

    ``transform(x) = (x - center_) / scale_ + offset_``:

    - ``kind="standard"``: ``center_`` is the mean and ``scale_`` the standard
      deviation (``ddof=0``, as scikit-learn's ``StandardScaler``); ``offset_`` is 0.
    - ``kind="minmax"``: ``center_`` is the minimum, ``scale_`` is
      ``(max - min) / (high - low)`` and ``offset_`` is ``low``, so the training
      range maps onto ``feature_range = (low, high)`` (as ``MinMaxScaler``).

    **Leakage.** Statistics must come from the training part only: split the series
    first (e.g. with ``time_split``), ``fit`` on the training part, then
    ``transform`` every part with those statistics. Fitting on the whole series
    lets the model peek at the validation/test range (their mean, min and max).

    A constant feature would divide by zero; instead its spread is taken as 1 (so it
    transforms to 0 for ``"standard"`` and to ``low`` for ``"minmax"``) and ``fit``
    emits a ``UserWarning`` naming the column(s).

    Inputs may be 1-D (one feature), 2-D ``(rows, features)``, 3-D ``(windows,
    timesteps, features)`` arrays or lists, or pandas Series/DataFrames; outputs
    have the same type, shape, index and columns. Float32 stays float32; other
    dtypes become float64.

    Args:
        kind: str, ``"standard"`` (default) or ``"minmax"``.
        feature_range: pair of numbers ``(low, high)`` with ``low < high``, the target
            range for ``kind="minmax"``. Defaults to ``(0, 1)``.

    Attributes (set by `fit`):
        n_features_: int, number of features seen by `fit`.
        center_: float64 array ``(n_features_,)``, mean or minimum per feature.
        scale_: float64 array ``(n_features_,)``, positive spread per feature.
        offset_: float, 0 or ``low``.
        feature_names_: list of column names when fitted on a DataFrame, else None.

    Example:
        >>> import numpy as np
        >>> series = np.arange(6.0).reshape(-1, 1)       # 6 rows, 1 feature
        >>> train, test = series[:4], series[4:]          # e.g. from time_split
        >>> scaler = SeriesScaler("standard").fit(train)  # train statistics only
        >>> scaler.center_, scaler.scale_ ** 2            # mean 1.5, variance 1.25
        (array([1.5]), array([1.25]))
        >>> scaler.transform(test).ravel()                # (4 - 1.5) / sqrt(1.25)
        array([2.23606798, 3.13049517])

        Un-scale predictions of one target column, shape (batch, horizon, 1):

        >>> import pandas as pd
        >>> prices = pd.DataFrame({"Open": [1.0, 2.0, 3.0], "Close": [10.0, 20, 30]})
        >>> scaler = SeriesScaler("minmax").fit(prices)
        >>> scaler.transform(prices)["Close"].tolist()
        [0.0, 0.5, 1.0]
        >>> y_pred = np.array([[[0.0], [0.5], [0.75]]])
        >>> scaler.inverse_transform(y_pred, columns=["Close"])
        array([[[10.],
                [20.],
                [25.]]])
    """

    def __init__(self, kind: str = "standard", *, feature_range: Any = (0, 1)):
        self.kind = kind
        self.feature_range = feature_range

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(kind={self.kind!r}, "
            f"feature_range={self.feature_range!r})"
        )

    # ----------------------------------------------------------------- validation

    def _validated_params(self) -> tuple[str, float, float]:
        kind = check_one_of(self.kind, "kind", _KINDS)
        fr = self.feature_range
        ok = (
            isinstance(fr, (tuple, list))
            and len(fr) == 2
            and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in fr)
            and all(np.isfinite(float(v)) for v in fr)
            and fr[0] < fr[1]
        )
        if not ok:
            raise ValueError(
                error_message(
                    "feature_range",
                    "a pair of finite numbers (low, high) with low < high",
                    fr,
                )
            )
        return kind, float(fr[0]), float(fr[1])

    def _column_indices(self, columns: Any) -> np.ndarray:
        """Positions of ``columns`` (ints are positions, other labels are names)."""
        n = self.n_features_
        if columns is None:
            return np.arange(n)
        if isinstance(columns, (str, numbers.Integral)):
            columns = [columns]
        check_type(
            columns,
            "columns",
            (list, tuple, np.ndarray, pd.Index),
            "a column name or position, or a list of them",
        )
        if len(columns) == 0:
            raise ValueError(error_message("columns", "a non-empty list", columns))
        known = f"positions 0..{n - 1}"
        if self.feature_names_ is not None:
            known = f"{self.feature_names_!r} or {known}"
        names = self.feature_names_ or []
        positions = []
        for column in columns:
            if isinstance(column, numbers.Integral) and not isinstance(column, bool):
                ok = 0 <= column < n
                position = int(column)
            else:
                ok = isinstance(column, str) and column in names
                position = names.index(column) if ok else -1
            if not ok:
                raise ValueError(
                    error_message(
                        "columns",
                        f"column names or positions the scaler knows: {known}",
                        columns,
                    )
                )
            positions.append(position)
        return np.asarray(positions)

    def _prepare(self, data: Any, columns: Any) -> tuple[np.ndarray, Any, Any]:
        """Validate ``data`` against the fitted state; return it, center and scale."""
        check_fitted(self, "scale_")
        positions = self._column_indices(columns)
        values = _to_float_array(data, "data", (1, 2, 3))
        n_expected = len(positions)
        n_received = 1 if values.ndim == 1 else values.shape[-1]
        if n_received != n_expected:
            why = (
                "one per entry of `columns`"
                if columns is not None
                else f"the scaler was fitted on {self.n_features_}"
            )
            raise ValueError(
                f"`data` must have {n_expected} feature(s) on its last axis ({why}). "
                f"Received: data with {n_received} feature(s), shape {values.shape}"
            )
        if isinstance(data, pd.DataFrame) and self.feature_names_ is not None:
            expected = [self.feature_names_[i] for i in positions]
            if data.columns.tolist() != expected:
                raise ValueError(
                    f"`data` must have the columns {expected!r}, in this order. "
                    f"Received: data with columns {data.columns.tolist()!r}. Reorder "
                    "the DataFrame or pass `columns=`"
                )
        check_finite(values, "data")
        # A 1-D input is one feature, so its statistics are scalars.
        pick = positions[0] if values.ndim == 1 else positions
        return values, self.center_[pick], self.scale_[pick]

    # ----------------------------------------------------------------- fit/transform

    def fit(self, data: Any) -> SeriesScaler:
        """Learn per-feature statistics from training rows.

        Pass the TRAINING part only (see the class docstring on leakage).

        Args:
            data: 1-D, 2-D ``(rows, features)`` or 3-D ``(windows, timesteps,
                features)`` numbers, list, Series or DataFrame; all leading axes
                are pooled as rows.

        Returns:
            self, fitted.

        Raises:
            ValueError: If ``kind`` or ``feature_range`` is invalid, ``data`` has no
                rows/features, the wrong number of dimensions, or NaN/inf.
            TypeError: If ``data`` is not numeric.

        Warns:
            UserWarning: If a feature is constant (its spread is set to 1).

        Example:
            >>> scaler = SeriesScaler("minmax", feature_range=(-1, 1))
            >>> scaler.fit([[0.0, 10.0], [2.0, 20.0], [4.0, 50.0]])
            SeriesScaler(kind='minmax', feature_range=(-1, 1))
            >>> scaler.center_, scaler.scale_      # min, (max - min) / (1 - -1)
            (array([ 0., 10.]), array([ 2., 20.]))
        """
        kind, low, high = self._validated_params()
        values = _to_float_array(data, "data", (1, 2, 3))
        if values.size == 0:
            raise ValueError(
                error_message(
                    "data", "non-empty (at least one row and one feature)", values
                )
            )
        check_finite(values, "data")
        rows = values.reshape(-1, 1 if values.ndim == 1 else values.shape[-1])

        minimum, maximum = rows.min(axis=0), rows.max(axis=0)
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            if kind == "standard":
                center, spread = rows.mean(axis=0), rows.std(axis=0)
            else:
                center, spread = minimum, maximum - minimum
        if not np.isfinite(spread).all():
            raise ValueError(
                error_message(
                    "data", "within float64 range (its spread overflows to inf)", values
                )
            )
        # Constant features: exact center, spread 1, so they transform to `offset`.
        constant = (minimum == maximum) | (spread == 0)
        center = np.where(constant, minimum, center)
        spread = np.where(constant, 1.0, spread)
        offset = low if kind == "minmax" else 0.0
        scale = spread / (high - low) if kind == "minmax" else spread

        names = data.columns.tolist() if isinstance(data, pd.DataFrame) else None
        if constant.any():
            labels = np.flatnonzero(constant).tolist()
            if names is not None:
                labels = [names[i] for i in labels]
            warnings.warn(
                f"Constant feature(s) {labels} in `data`: their spread is set to 1 to "
                f"avoid dividing by zero, so they transform to {offset}.",
                UserWarning,
                stacklevel=2,
            )
        self.n_features_ = int(rows.shape[1])
        self.center_ = center
        self.scale_ = scale
        self.offset_ = offset
        self.feature_names_ = names
        return self

    def transform(self, data: Any, *, columns: Any = None) -> Any:
        """Scale ``data`` with the fitted statistics.

        Args:
            data: Numbers shaped like the ``fit`` data (1-D, 2-D or 3-D), whose last
                axis has ``n_features_`` features, or ``len(columns)`` with ``columns``.
            columns: Optional column names (if fitted on a DataFrame) or integer
                positions; only those features' statistics are used. Default None.

        Returns:
            The scaled data, same type, shape, index and columns as ``data``.

        Raises:
            ValueError: If not fitted, the feature count or DataFrame columns do not
                match, a column is unknown, or ``data`` has NaN/inf.

        Example:
            >>> scaler = SeriesScaler("minmax").fit([[0.0, 10.0], [4.0, 30.0]])
            >>> scaler.transform([[1.0, 20.0]])
            array([[0.25, 0.5 ]])
            >>> scaler.transform([30.0], columns=[1])
            array([1.])
        """
        values, center, scale = self._prepare(data, columns)
        out = (values - center) / scale + self.offset_
        return _rewrap(data, out.astype(_float_dtype(data), copy=False))

    def fit_transform(self, data: Any) -> Any:
        """Fit on ``data`` and return it scaled (only for training data).

        Args:
            data: Training numbers (see `fit`).

        Returns:
            The scaled data, same type, shape, index and columns as ``data``.

        Raises:
            ValueError: As `fit`.

        Example:
            >>> SeriesScaler("minmax").fit_transform([0.0, 1.0, 2.0, 4.0])
            array([0.  , 0.25, 0.5 , 1.  ])
        """
        return self.fit(data).transform(data)

    def inverse_transform(self, data: Any, *, columns: Any = None) -> Any:
        """Undo `transform`: ``data * scale_ + center_`` (after removing ``offset_``).

        Use ``columns`` to un-scale a model's predictions of the target column(s)
        alone, e.g. ``y_pred`` of shape ``(batch, horizon, 1)`` for ``"Close"``.

        Args:
            data: Scaled numbers (1-D, 2-D or 3-D), last axis ``n_features_`` wide,
                or ``len(columns)`` wide with ``columns``.
            columns: Optional column names (if fitted on a DataFrame) or integer
                positions, in the order of ``data``'s last axis. Default None.

        Returns:
            The data in original units, same type, shape, index and columns.

        Raises:
            ValueError: As `transform`.

        Example:
            >>> scaler = SeriesScaler("standard").fit([[0.0, 10.0], [2.0, 30.0]])
            >>> scaler.inverse_transform([[1.0, -1.0]])
            array([[ 2., 10.]])
            >>> scaler.inverse_transform([[[1.0], [0.0]]], columns=[1]).shape
            (1, 2, 1)
        """
        values, center, scale = self._prepare(data, columns)
        out = (values - self.offset_) * scale + center
        return _rewrap(data, out.astype(_float_dtype(data), copy=False))

    # ----------------------------------------------------------------- serialization

    def get_config(self) -> dict[str, Any]:
        """Return the constructor arguments and, if fitted, the learned statistics.

        Returns:
            A JSON-serializable dict: ``kind``, ``feature_range`` and ``state``
            (None before `fit`, else ``n_features``, ``center``, ``scale`` and
            ``feature_names``). Floats survive JSON exactly.

        Raises:
            TypeError: If fitted on a DataFrame whose column names are not strings
                or integers (they could not be saved as JSON).

        Example:
            >>> SeriesScaler("minmax").fit([0.0, 2.0]).get_config()
            {'kind': 'minmax', 'feature_range': [0, 1], 'state': {'n_features': 1,
            'center': [0.0], 'scale': [2.0], 'feature_names': None}}
        """
        self._validated_params()
        state = None
        if getattr(self, "scale_", None) is not None:
            names = self.feature_names_
            if names is not None and not all(isinstance(n, (str, int)) for n in names):
                raise TypeError(
                    error_message(
                        "feature_names_",
                        "a list of strings or integers to be saved as JSON",
                        names,
                    )
                )
            state = {
                "n_features": self.n_features_,
                "center": self.center_.tolist(),
                "scale": self.scale_.tolist(),
                "feature_names": None if names is None else list(names),
            }
        return {
            "kind": self.kind,
            "feature_range": [
                v.item() if isinstance(v, np.generic) else v for v in self.feature_range
            ],
            "state": state,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SeriesScaler:
        """Rebuild a scaler (fitted if ``config["state"]`` is set) from `get_config`.

        Args:
            config: dict as returned by `get_config`.

        Returns:
            A new `SeriesScaler` equal to the one that produced ``config``.

        Raises:
            ValueError: If ``config`` has unknown or missing keys, an invalid
                ``kind``/``feature_range``, or an inconsistent ``state``.

        Example:
            >>> scaler = SeriesScaler("minmax").fit([1.0, 3.0])
            >>> clone = SeriesScaler.from_config(scaler.get_config())
            >>> clone.transform([2.0])
            array([0.5])
        """
        if not isinstance(config, dict) or set(config) != set(_CONFIG_KEYS):
            raise ValueError(
                error_message(
                    "config",
                    f"a dict with keys {list(_CONFIG_KEYS)} as "
                    "returned by `get_config`",
                    config,
                )
            )
        fr = config["feature_range"]
        scaler = cls(
            config["kind"], feature_range=tuple(fr) if isinstance(fr, list) else fr
        )
        kind, low, _ = scaler._validated_params()
        state = config["state"]
        if state is None:
            return scaler
        try:
            n = state["n_features"]
            center = np.asarray(state["center"], dtype=np.float64)
            scale = np.asarray(state["scale"], dtype=np.float64)
            names = state["feature_names"]
            ok = (
                isinstance(n, int)
                and n >= 1
                and center.shape == scale.shape == (n,)
                and np.isfinite(center).all()
                and np.isfinite(scale).all()
                and (scale > 0).all()
                and (names is None or (isinstance(names, list) and len(names) == n))
            )
        except (KeyError, TypeError, ValueError):
            ok = False
        if not ok:
            raise ValueError(
                error_message(
                    "config['state']",
                    "None or a dict with n_features, "
                    "center, scale (n_features finite values, scale > 0) "
                    "and feature_names",
                    state,
                )
            )
        scaler.n_features_ = n
        scaler.center_ = center
        scaler.scale_ = scale
        scaler.offset_ = low if kind == "minmax" else 0.0
        scaler.feature_names_ = names
        return scaler

    def to_json(self) -> str:
        """Serialize to a JSON string (never pickle), learned statistics included.

        Returns:
            ``json.dumps(self.get_config())``, indented.

        Example:
            >>> text = SeriesScaler().fit([1.0, 3.0]).to_json()
            >>> SeriesScaler.from_json(text).center_
            array([2.])
        """
        return json.dumps(self.get_config(), indent=2)

    @classmethod
    def from_json(cls, text: str) -> SeriesScaler:
        """Rebuild a scaler from `to_json` output.

        Args:
            text: str, a JSON document written by `to_json`.

        Returns:
            The rebuilt `SeriesScaler`.

        Raises:
            ValueError: If ``text`` is not JSON or not a scaler config.

        Example:
            >>> SeriesScaler.from_json(SeriesScaler("minmax").to_json())
            SeriesScaler(kind='minmax', feature_range=(0, 1))
        """
        check_type(text, "text", (str, bytes), "a JSON string")
        try:
            config = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(
                error_message("text", f"valid JSON ({err})", text)
            ) from None
        return cls.from_config(config)

    def save(self, path: str | Path) -> None:
        """Write `to_json` to ``path`` (UTF-8 JSON).

        Args:
            path: str or Path of the file to write.

        Example:
            >>> import tempfile, os
            >>> path = os.path.join(tempfile.mkdtemp(), "scaler.json")
            >>> SeriesScaler().fit([1.0, 3.0]).save(path)
            >>> SeriesScaler.load(path).scale_
            array([1.])
        """
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> SeriesScaler:
        """Read a scaler written by `save`.

        Args:
            path: str or Path of a JSON file written by `save`.

        Returns:
            The rebuilt `SeriesScaler`.

        Raises:
            FileNotFoundError: If ``path`` does not exist.
            ValueError: If the file is not a scaler config.
        """
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- returns


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
