"""Multi-step forecasts from windows: recursive (one-step model fed back) or direct.

Two ways to forecast ``horizon`` steps from a window of the past:

- **recursive** (`recursive_forecast`): a model trained to predict one step is
  applied ``horizon`` times; each prediction is appended to the window (the oldest
  row drops out) and becomes an input of the next step. One model serves every
  horizon, but its errors feed back into its own inputs and can compound.
- **direct** (`direct_forecast`): a model trained to output all ``horizon`` steps
  at once (e.g. `rnn_zoo.models.build_forecaster` with ``horizon=H``) is applied
  once. No feedback, but the horizon is fixed when it is trained.

Both return the ``(batch, horizon, targets)`` layout of ``make_windows``' ``y``,
so they compare step by step with the truth and with the baselines.
Importing this module does not import TensorFlow: a Keras model is simply called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from rnn_zoo._validation import check_finite, check_int, error_message

__all__ = ["recursive_forecast", "direct_forecast"]


def recursive_forecast(model: Any, windows: Any, horizon: int) -> np.ndarray:
    """Forecast ``horizon`` steps with a one-step model, feeding predictions back.

    For each window ``x`` of shape ``(lookback, features)``: predict the next row
    ``p1 = model(x)``, slide the window to ``[x[1:], p1]``, predict ``p2`` from it,
    and so on ``horizon`` times. After ``lookback`` steps the window holds only
    the model's own predictions. All windows are advanced together (one model
    call per step).

    The model must predict every column it reads (``targets == features``): a
    recursive forecast has no future values for extra input columns (e.g. volume);
    use a direct model for those.

    Args:
        model: A Keras model (its ``predict_on_batch`` is used) or any callable
            mapping an array ``(batch, lookback, features)`` to the next step,
            shape ``(batch, 1, features)`` (the layout of
            ``build_forecaster(lookback, features, horizon=1,
            n_targets=features)``) or ``(batch, features)``.
        windows: Array-like ``(batch, lookback, features)``, e.g. the ``X`` of
            ``make_windows``, in the units the model was trained on (scaled).
        horizon: int, number of future steps, >= 1.

    Returns:
        float array ``(batch, horizon, features)``: step ``h`` (0-based) is the
        forecast ``h + 1`` steps after each window's last row.

    Raises:
        TypeError: If ``horizon`` is not an int, ``windows`` is not numeric or
            ``model`` is not callable.
        ValueError: If ``horizon`` < 1, ``windows`` is not 3-D or holds NaN/inf,
            or the model's output is not one step of every feature (shape
            ``(batch, 1, features)`` or ``(batch, features)``).

    Example:
        A hand-checkable one-step rule: the next value is the sum of the last two
        (Fibonacci), on one window ``[1, 1]``:

        >>> fib = lambda x: x[:, -1:, :] + x[:, -2:-1, :]
        >>> recursive_forecast(fib, np.ones((1, 2, 1)), 5)[0, :, 0]
        array([ 2.,  3.,  5.,  8., 13.])
    """
    horizon = check_int(horizon, "horizon", minimum=1)
    x = _windows(windows)
    predict = _predictor(model)
    batch, _, features = x.shape
    steps = []
    for _ in range(horizon):
        out = np.asarray(predict(x))
        if out.shape == (batch, features):
            out = out[:, None, :]
        if out.shape != (batch, 1, features):
            raise ValueError(
                error_message(
                    "model",
                    f"a one-step model: windows {x.shape} -> output (batch, 1, "
                    f"features) = {(batch, 1, features)} or (batch, features)",
                    model,
                    f"Its output has shape {out.shape}. A model that outputs "
                    "several steps at once is a direct model (`direct_forecast`); "
                    "one that predicts fewer columns than it reads cannot be fed "
                    "back, since the future of the other columns is unknown",
                )
            )
        out = out.astype(x.dtype, copy=False)
        steps.append(out)
        x = np.concatenate([x[:, 1:, :], out], axis=1)
    return np.concatenate(steps, axis=1)


def direct_forecast(
    model: Any, windows: Any, *, horizon: int | None = None
) -> np.ndarray:
    """Forecast all steps at once with a multi-output (direct) model.

    One model call per batch of windows; checks that the output has the
    ``(batch, horizon, targets)`` layout of ``make_windows``' ``y`` (a 2-D output
    ``(batch, horizon)`` is read as one target), so a model trained for another
    horizon or a flattened head is caught here instead of giving a silently
    misaligned score.

    Args:
        model: A Keras model (its ``predict_on_batch`` is used), e.g. from
            ``build_forecaster(lookback, features, horizon=H)``, or any callable
            mapping ``(batch, lookback, features)`` to ``(batch, H, targets)``.
        windows: Array-like ``(batch, lookback, features)``, e.g. the ``X`` of
            ``make_windows``, in the units the model was trained on (scaled).
        horizon: Optional int, the number of steps the output must have. Defaults
            to None (whatever the model outputs).

    Returns:
        float array ``(batch, H, targets)``.

    Raises:
        TypeError: If ``horizon`` is not an int or None, ``windows`` is not
            numeric or ``model`` is not callable.
        ValueError: If ``windows`` is not 3-D or holds NaN/inf, or the output is
            not ``(batch, H, targets)`` (with ``H == horizon`` when given).

    Example:
        A direct rule that extends the last trend ``d = x[-1] - x[-2]`` three
        steps ahead: ``x[-1] + d, x[-1] + 2d, x[-1] + 3d``:

        >>> def trend(x):
        ...     d = x[:, -1:, :] - x[:, -2:-1, :]
        ...     return x[:, -1:, :] + d * np.arange(1, 4)[None, :, None]
        >>> direct_forecast(trend, [[[1.0], [3.0]]], horizon=3)[0, :, 0]
        array([5., 7., 9.])
    """
    horizon = check_int(horizon, "horizon", minimum=1, allow_none=True)
    x = _windows(windows)
    out = np.asarray(_predictor(model)(x))
    if out.ndim == 2 and out.shape[0] == len(x):
        out = out[:, :, None]
    if (
        out.ndim != 3
        or out.shape[0] != len(x)
        or (horizon is not None and out.shape[1] != horizon)
    ):
        steps = "H" if horizon is None else str(horizon)
        raise ValueError(
            error_message(
                "model",
                f"a direct model: windows {x.shape} -> output "
                f"(batch, {steps}, targets) with batch={len(x)}",
                model,
                f"Its output has shape {out.shape}. Build it for this horizon, "
                "e.g. `build_forecaster(lookback, features, horizon=...)`",
            )
        )
    return out.astype(np.result_type(out.dtype, np.float32), copy=False)


def _windows(windows: Any) -> np.ndarray:
    """``windows`` as a finite float array of shape (batch, lookback, features)."""
    try:
        x = np.asarray(windows)
    except (TypeError, ValueError):
        x = np.asarray(None)
    if x.dtype.kind not in "biuf":
        raise TypeError(
            error_message(
                "windows", "a numeric array (batch, lookback, features)", windows
            )
        )
    if x.ndim != 3 or 0 in x.shape:
        raise ValueError(
            error_message(
                "windows",
                "a non-empty 3-D array (batch, lookback, features)",
                x,
                "For a single window of shape (lookback, features) add a batch "
                "axis: `window[None]`; for a 1-D series use `make_windows` first",
            )
        )
    x = x.astype(np.result_type(x.dtype, np.float32), copy=False)
    return check_finite(x, "windows")


def _predictor(model: Any) -> Callable[[np.ndarray], Any]:
    """The function that maps a batch of windows to the model's output."""
    predict = getattr(model, "predict_on_batch", None)
    if callable(predict):
        return predict
    if not callable(model):
        raise TypeError(
            error_message("model", "a Keras model or a callable taking windows", model)
        )
    return model
