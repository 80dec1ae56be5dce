"""Adapters that give every forecaster the same ``fit`` / ``predict`` on windows.

`walk_forward_backtest` accepts three kinds of forecaster from its ``model_fn``:
a Keras model, a scikit-learn-style regressor, or a rule ``(history, horizon) ->
forecast``. This module turns the first two into a `WindowForecaster` (fit on
scaled windows ``(n, lookback, features)`` -> targets ``(n, steps)``, predict
``(n, steps)``), checks every output shape, and names ``model_fn`` in each error.

Keras (and so TensorFlow) is imported only when ``model_fn`` builds a Keras model.
"""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from rnn_zoo._validation import error_message

__all__ = ["WindowForecaster", "make_forecaster", "check_forecast"]


def _is_keras_model(obj: Any) -> bool:
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(obj, keras.Model)


def _is_regressor(obj: Any) -> bool:
    return callable(getattr(obj, "fit", None)) and callable(
        getattr(obj, "predict", None)
    )


def _required_params(fn: Callable) -> int:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature
        return 0
    return sum(
        p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        for p in params
    )


def check_forecast(values: Any, n: int, steps: int, who: str) -> np.ndarray:
    """``values`` as float64 ``(n, steps)``, or a ValueError naming ``who``."""
    array = np.asarray(values, dtype=np.float64)
    if array.size != n * steps:
        raise ValueError(
            f"`{who}` must forecast {steps} value(s) per window (horizon + gap). "
            f"Received: output of shape {array.shape} for {n} window(s). Build the "
            f"model for horizon={steps}, e.g. build_forecaster(lookback, "
            f"n_features, horizon={steps})"
        )
    array = array.reshape(n, steps)
    if not np.isfinite(array).all():
        raise ValueError(
            f"`{who}` must forecast finite values. Received: NaN or inf in its "
            "output. Check the training (learning rate, scaling)"
        )
    return array


class WindowForecaster:
    """A Keras model or scikit-learn regressor behind one window interface.

    Args:
        model: A ``keras.Model`` (compiled or not) or an object with
            ``fit(X2d, y)`` and ``predict(X2d)`` (windows are flattened to
            ``(n, lookback * features)`` for it).
        who: Name used in error messages, e.g. ``"model_fn"``.
        fit_kwargs: Keyword arguments for `rnn_zoo.training.fit` (Keras only).
    """

    def __init__(self, model: Any, who: str, fit_kwargs: dict[str, Any]):
        self.model = model
        self.who = who
        self.fit_kwargs = fit_kwargs
        self.is_keras = _is_keras_model(model)

    def fit(self, X: np.ndarray, y: np.ndarray) -> WindowForecaster:
        """Train on windows ``X (n, lookback, features)``, targets ``y (n, steps)``."""
        n, steps = y.shape
        if self.is_keras:
            from rnn_zoo.training import fit

            out_shape = tuple(self.model.output_shape[1:])
            if int(np.prod(out_shape)) != steps:
                check_forecast(np.zeros((1, *out_shape)), 1, steps, self.who)
            kwargs = dict(self.fit_kwargs)
            if not self.model.compiled:
                kwargs.setdefault("loss", "mse")
            fit(self.model, (X, y.reshape(n, *out_shape)), **kwargs)
        else:
            target = y[:, 0] if steps == 1 else y
            self.model.fit(X.reshape(n, -1), target)
        return self

    def predict(self, X: np.ndarray, steps: int) -> np.ndarray:
        """Forecasts ``(n, steps)`` for windows ``X (n, lookback, features)``."""
        n = len(X)
        if self.is_keras:
            import keras

            # A direct call skips building a predict function for each new model.
            out = keras.ops.convert_to_numpy(self.model(X, training=False))
        else:
            out = self.model.predict(X.reshape(n, -1))
        return check_forecast(out, n, steps, self.who)


def make_forecaster(
    model_fn: Any,
    *,
    lookback: int,
    n_features: int,
    steps: int,
    who: str,
    fit_kwargs: dict[str, Any],
) -> WindowForecaster | Callable[..., Any]:
    """Build one fresh forecaster from ``model_fn``.

    ``model_fn`` is a scikit-learn-style estimator (cloned), a callable with no
    required arguments, or a builder called as ``model_fn(lookback, n_features,
    horizon=steps)``. What it returns must be a Keras model, a regressor, or a
    rule ``(history, horizon) -> forecast`` (returned as is).
    """
    if _is_regressor(model_fn) and not callable(model_fn):
        try:
            from sklearn.base import clone

            product = clone(model_fn)
        except TypeError:  # not a scikit-learn estimator: copy it
            product = copy.deepcopy(model_fn)
    elif callable(model_fn):
        if _required_params(model_fn) == 0:
            product = model_fn()
        else:
            product = model_fn(lookback, n_features, horizon=steps)
    else:
        raise TypeError(
            error_message(
                who,
                "a callable returning a Keras model, a scikit-learn regressor or a "
                "rule (history, horizon) -> forecast, or a regressor instance",
                model_fn,
            )
        )
    if _is_keras_model(product) or _is_regressor(product):
        return WindowForecaster(product, who, fit_kwargs)
    if callable(product):
        return product
    raise TypeError(
        error_message(
            who,
            "a factory whose result is a Keras model, an object with fit/predict, "
            "or a rule (history, horizon) -> forecast",
            product,
            f"It returned a {type(product).__name__}",
        )
    )
