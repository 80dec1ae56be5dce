"""Scaling for time series: scikit-learn's scalers with the guarantees a series needs.

`SeriesScaler` wraps scikit-learn's ``StandardScaler``, ``MinMaxScaler`` and
``RobustScaler`` (which do all the arithmetic, near-constant features included)
and adds what a time series needs: statistics learned from training rows only,
1-D, 2-D ``(rows, features)`` and 3-D ``(windows, timesteps, features)`` input and
pandas objects, un-scaling a model's predictions of the target column(s) alone,
and a JSON save (the fitted scikit-learn attributes, never pickle).

Returns, log returns and differencing live in `rnn_zoo.preprocessing.returns`.

Pure NumPy/pandas/scikit-learn: importing this module never imports TensorFlow.
"""

from __future__ import annotations

import json
import numbers
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

from rnn_zoo._validation import (
    check_finite,
    check_fitted,
    check_one_of,
    check_type,
    error_message,
)
from rnn_zoo.preprocessing._arrays import (
    _column_positions,
    _result_dtype,
    _rewrap,
    _to_float_array,
)

__all__ = ["SeriesScaler"]

_KINDS = ("standard", "minmax", "robust")
_CONFIG_KEYS = ("kind", "feature_range", "state")
# The fitted attributes of each scikit-learn scaler that `transform` and
# `inverse_transform` use: what `get_config` stores and `from_config` restores.
_FITTED = {
    "standard": ("mean_", "var_", "scale_"),
    "minmax": ("min_", "scale_", "data_min_", "data_max_", "data_range_"),
    "robust": ("center_", "scale_"),
}


# --------------------------------------------------------------------------- scaler


class SeriesScaler:
    """Scale each feature (last axis) of a time series, fitted on training rows only.

    A thin wrapper around scikit-learn (the fitted scaler is ``estimator_``):

    - ``kind="standard"``: ``StandardScaler``, ``(x - mean) / std`` (``ddof=0``).
    - ``kind="minmax"``: ``MinMaxScaler(feature_range)``, the training range maps
      onto ``feature_range = (low, high)``.
    - ``kind="robust"``: ``RobustScaler``, ``(x - median) / IQR``, for series
      with outliers.

    **Leakage.** Statistics must come from the training part only: split the series
    first (e.g. with ``time_split``), ``fit`` on the training part, then
    ``transform`` every part with those statistics. Fitting on the whole series
    lets the model peek at the validation/test range (their mean, min and max).

    A constant or near-constant feature (spread within rounding error of 0) is
    treated as scikit-learn treats it: its spread is taken as 1 (so it transforms
    to ``x - center``: 0 for ``"standard"``, ``low`` for ``"minmax"``) and ``fit``
    emits a ``UserWarning`` naming the column(s).

    Inputs may be 1-D (one feature), 2-D ``(rows, features)``, 3-D ``(windows,
    timesteps, features)`` arrays or lists, or pandas Series/DataFrames; outputs
    have the same type, shape, index and columns, in the package's float dtype:
    float input keeps its float dtype, integers become float32 when float32 holds
    them exactly, else float64.

    Columns (the ``columns`` argument) follow the package's one rule, as in
    `make_windows`: an entry that is a column label of the fitted DataFrame means
    that column; otherwise an integer is a position.

    Args:
        kind: str, ``"standard"`` (default), ``"minmax"`` or ``"robust"``.
        feature_range: pair of numbers ``(low, high)`` with ``low < high``, the target
            range for ``kind="minmax"``. Defaults to ``(0, 1)``.

    Attributes (set by `fit`):
        estimator_: the fitted scikit-learn scaler.
        n_features_: int, number of features seen by `fit`.
        center_: float64 array ``(n_features_,)``: mean, minimum or median.
        scale_: float64 array ``(n_features_,)``: the positive spread that
            ``x - center_`` is divided by (std, ``(max - min) / (high - low)``,
            or IQR).
        offset_: float, ``low`` for ``"minmax"``, else 0.
        feature_names_: list of column names when fitted on a DataFrame, else None.

    Example:
        >>> import numpy as np
        >>> series = np.arange(6.0).reshape(-1, 1)       # 6 rows, 1 feature
        >>> train, test = series[:4], series[4:]          # e.g. from time_split
        >>> scaler = SeriesScaler("standard").fit(train)  # train statistics only
        >>> scaler.center_, scaler.estimator_.var_        # mean 1.5, variance 1.25
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

    def _new_estimator(self) -> Any:
        kind, low, high = self._validated_params()
        if kind == "standard":
            return StandardScaler()
        if kind == "minmax":
            return MinMaxScaler(feature_range=(low, high))
        return RobustScaler()

    # ----------------------------------------------------------------- fitted state

    @property
    def center_(self) -> np.ndarray | None:
        est = getattr(self, "estimator_", None)
        if est is None:
            return None
        return {
            "standard": lambda: est.mean_,
            "minmax": lambda: est.data_min_,
            "robust": lambda: est.center_,
        }[self.kind]()

    @property
    def scale_(self) -> np.ndarray | None:
        est = getattr(self, "estimator_", None)
        if est is None:
            return None
        return 1.0 / est.scale_ if self.kind == "minmax" else est.scale_

    @property
    def offset_(self) -> float | None:
        est = getattr(self, "estimator_", None)
        if est is None:
            return None
        return float(est.feature_range[0]) if self.kind == "minmax" else 0.0

    def _constant_features(self, rows: np.ndarray) -> np.ndarray:
        """Mask of the features whose spread scikit-learn replaced by 1."""
        est = self.estimator_
        if self.kind == "standard":
            return (est.scale_ == 1.0) & (est.var_ != 1.0)
        if self.kind == "minmax":
            low, high = est.feature_range
            return (est.scale_ == high - low) & (est.data_range_ != 1.0)
        low, high = np.percentile(rows, est.quantile_range, axis=0)
        return high - low == 0

    def _estimator_for(self, positions: list[int]) -> Any:
        """The fitted scaler restricted to the features at ``positions``."""
        est = self.estimator_
        if positions == list(range(self.n_features_)):
            return est
        part = clone(est)
        for attribute in _FITTED[self.kind]:
            setattr(part, attribute, getattr(est, attribute)[positions])
        part.n_features_in_ = len(positions)
        return part

    def _prepare(self, data: Any, columns: Any) -> tuple[np.ndarray, Any]:
        """Validate ``data`` against the fitted state; return it and its scaler."""
        check_fitted(self, "estimator_")
        if columns is None:
            positions = list(range(self.n_features_))
        else:
            positions = _column_positions(
                columns, self.feature_names_, self.n_features_, "columns"
            )
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
        return values, self._estimator_for(positions)

    def _apply(self, data: Any, columns: Any, method: str) -> Any:
        values, estimator = self._prepare(data, columns)
        rows = values.reshape(-1, 1 if values.ndim == 1 else values.shape[-1])
        out = getattr(estimator, method)(rows).reshape(values.shape)
        return _rewrap(data, out.astype(_result_dtype(data, "data"), copy=False))

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
                rows/features, the wrong number of dimensions, NaN/inf, or
                integers beyond ``2**53``.
            TypeError: If ``data`` is not numeric.

        Warns:
            UserWarning: If a feature is constant or near-constant (its spread is
                taken as 1).

        Example:
            >>> scaler = SeriesScaler("minmax", feature_range=(-1, 1))
            >>> scaler.fit([[0.0, 10.0], [2.0, 20.0], [4.0, 50.0]])
            SeriesScaler(kind='minmax', feature_range=(-1, 1))
            >>> scaler.center_, scaler.scale_      # min, (max - min) / (1 - -1)
            (array([ 0., 10.]), array([ 2., 20.]))
        """
        estimator = self._new_estimator()
        kind = self.kind
        values = _to_float_array(data, "data", (1, 2, 3))
        if values.size == 0:
            raise ValueError(
                error_message(
                    "data", "non-empty (at least one row and one feature)", values
                )
            )
        check_finite(values, "data")
        rows = values.reshape(-1, 1 if values.ndim == 1 else values.shape[-1])
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            estimator.fit(rows)  # an overflowing spread is checked just below
            spread = 1.0 / estimator.scale_ if kind == "minmax" else estimator.scale_
        if not (np.isfinite(spread).all() and np.isfinite(estimator.scale_).all()):
            raise ValueError(
                error_message(
                    "data", "within float64 range (its spread overflows to inf)", values
                )
            )
        self.estimator_ = estimator
        self.n_features_ = int(rows.shape[1])
        names = data.columns.tolist() if isinstance(data, pd.DataFrame) else None
        self.feature_names_ = names
        constant = self._constant_features(rows)
        if constant.any():
            labels = np.flatnonzero(constant).tolist()
            if names is not None:
                labels = [names[i] for i in labels]
            warnings.warn(
                f"Constant feature(s) {labels} in `data` (spread 0 or within "
                "rounding error of 0): their spread is set to 1 to avoid dividing "
                f"by zero, so they transform to {self.offset_} at their center.",
                UserWarning,
                stacklevel=2,
            )
        return self

    def transform(self, data: Any, *, columns: Any = None) -> Any:
        """Scale ``data`` with the fitted statistics.

        Args:
            data: Numbers shaped like the ``fit`` data (1-D, 2-D or 3-D), whose last
                axis has ``n_features_`` features, or ``len(columns)`` with ``columns``.
            columns: Optional column labels or integer positions (the package's
                column rule: a label of the fitted DataFrame first, else a
                position); only those features' statistics are used. Default None.

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
        return self._apply(data, columns, "transform")

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
        """Undo `transform` (scikit-learn's ``inverse_transform``).

        Use ``columns`` to un-scale a model's predictions of the target column(s)
        alone, e.g. ``y_pred`` of shape ``(batch, horizon, 1)`` for ``"Close"``.

        Args:
            data: Scaled numbers (1-D, 2-D or 3-D), last axis ``n_features_`` wide,
                or ``len(columns)`` wide with ``columns``.
            columns: Optional column labels or integer positions, in the order of
                ``data``'s last axis (the rule of `transform`). Default None.

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
        return self._apply(data, columns, "inverse_transform")

    # ----------------------------------------------------------------- serialization

    def get_config(self) -> dict[str, Any]:
        """Return the constructor arguments and, if fitted, the learned statistics.

        Returns:
            A JSON-serializable dict: ``kind``, ``feature_range`` and ``state``
            (None before `fit`, else ``n_features``, ``feature_names`` and
            ``fitted``: the scikit-learn scaler's fitted attributes as lists).
            Floats survive JSON exactly.

        Raises:
            TypeError: If fitted on a DataFrame whose column names are not strings
                or integers (they could not be saved as JSON).

        Example:
            >>> config = SeriesScaler("minmax").fit([0.0, 2.0]).get_config()
            >>> config["state"]["n_features"], config["state"]["fitted"]["data_min_"]
            (1, [0.0])
        """
        self._validated_params()
        state = None
        if getattr(self, "estimator_", None) is not None:
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
                "feature_names": None if names is None else list(names),
                "fitted": {
                    attribute: getattr(self.estimator_, attribute).tolist()
                    for attribute in _FITTED[self.kind]
                },
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
        estimator = scaler._new_estimator()
        state = config["state"]
        if state is None:
            return scaler
        fitted = _fitted_from_state(state, scaler.kind)
        if fitted is None:
            raise ValueError(
                error_message(
                    "config['state']",
                    "None or a dict with n_features, feature_names and fitted (the "
                    f"attributes {list(_FITTED[scaler.kind])}, each n_features "
                    "finite values, scale_ > 0)",
                    state,
                )
            )
        for attribute, values in fitted.items():
            setattr(estimator, attribute, values)
        estimator.n_features_in_ = state["n_features"]
        scaler.estimator_ = estimator
        scaler.n_features_ = state["n_features"]
        scaler.feature_names_ = state["feature_names"]
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


def _fitted_from_state(state: Any, kind: str) -> dict[str, np.ndarray] | None:
    """The scikit-learn attributes saved in ``state``, or None if inconsistent."""
    try:
        n, names, saved = state["n_features"], state["feature_names"], state["fitted"]
        if not (
            isinstance(n, int)
            and n >= 1
            and set(state) == {"n_features", "feature_names", "fitted"}
            and isinstance(saved, dict)
            and set(saved) == set(_FITTED[kind])
            and (names is None or (isinstance(names, list) and len(names) == n))
        ):
            return None
        fitted = {key: np.asarray(saved[key], dtype=np.float64) for key in saved}
    except (KeyError, TypeError, ValueError):
        return None
    ok = all(v.shape == (n,) and np.isfinite(v).all() for v in fitted.values())
    return fitted if ok and (fitted["scale_"] > 0).all() else None
