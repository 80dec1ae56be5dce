"""Scaling and stationarity transforms for time series, each with an exact inverse.

`SeriesScaler` standardizes or min-max scales each feature (the last axis) of 1-D,
2-D ``(rows, features)`` and 3-D ``(windows, timesteps, features)`` arrays and of
pandas objects, learning its statistics from training rows only, and un-scales a
model's predictions of the target column(s) alone.

Returns, log returns and differencing live in `rnn_zoo.preprocessing.returns`.

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
    check_one_of,
    check_type,
    error_message,
)
from rnn_zoo.preprocessing._arrays import _float_dtype, _rewrap, _to_float_array

__all__ = ["SeriesScaler"]

_KINDS = ("standard", "minmax")
_CONFIG_KEYS = ("kind", "feature_range", "state")


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
