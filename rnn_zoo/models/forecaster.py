"""Direct multi-step forecaster: a window of the past in, the next steps out."""

from __future__ import annotations

from typing import Any

import keras

from rnn_zoo._validation import check_int, check_type
from rnn_zoo.models._stack_arguments import shares_stack_arguments, stack_options
from rnn_zoo.models.recurrent import _apply_stack, _stack_config

__all__ = ["build_forecaster"]


@shares_stack_arguments(units=32)
def build_forecaster(
    lookback: int,
    n_features: int,
    *,
    horizon: int = 1,
    n_targets: int = 1,
    name: str = "forecaster",
    **stack_kwargs: Any,
) -> keras.Model:
    """Build a direct multi-step forecaster for windows from ``make_windows``.

    Reads a window ``(batch, lookback, n_features)`` and predicts all ``horizon``
    future steps at once (no feeding back of its own predictions). Layers: input
    "window", ``recurrent_stack`` ("rnn_0", "rnn_1", ...), a linear ``Dense``
    "head" of ``horizon * n_targets`` units, and a ``Reshape`` "forecast" giving
    ``(batch, horizon, n_targets)`` — the ``y`` layout of ``make_windows``.
    Train with ``"mse"`` or ``"mae"`` on scaled data.

    ``bidirectional=True`` is legal here: the whole window lies in the past, so
    reading it backwards as well leaks nothing from the future. (It would leak
    when the model predicts inside the sequence, e.g. the next value at every
    step.)

    Args:
        lookback: Steps in the input window, a positive integer.
        n_features: Features per step, a positive integer.
        horizon: Future steps predicted. Defaults to 1.
        n_targets: Target columns predicted per step. Defaults to 1.
        {stack_args}
        name: Name of the model. Defaults to ``"forecaster"``.

    Returns:
        An uncompiled Functional ``keras.Model``.

    Raises:
        ValueError: If ``lookback``, ``n_features``, ``horizon`` or
            ``n_targets`` is below 1, or a hyperparameter is out of range or
            unknown.
        TypeError: If an argument has the wrong type.

    Example:
        >>> model = build_forecaster(12, 3, horizon=4, n_targets=2, units=8)
        >>> model.input_shape, model.output_shape
        ((None, 12, 3), (None, 4, 2))
        >>> [layer.name for layer in model.layers]
        ['window', 'rnn_0', 'head', 'forecast']
        >>> build_forecaster(0, 3)
        Traceback (most recent call last):
        ...
        ValueError: `lookback` must be a positive integer. Received: lookback=0
    """
    lookback = check_int(lookback, "lookback", minimum=1)
    n_features = check_int(n_features, "n_features", minimum=1)
    horizon = check_int(horizon, "horizon", minimum=1)
    n_targets = check_int(n_targets, "n_targets", minimum=1)
    stack = _stack_config(**stack_options(build_forecaster, stack_kwargs))
    check_type(name, "name", str, "a string")

    inputs = keras.Input(shape=(lookback, n_features), name="window")
    x = _apply_stack(
        inputs, stack, return_sequences=False, return_state=False, name="rnn"
    )
    x = keras.layers.Dense(horizon * n_targets, name="head", dtype="float32")(x)
    outputs = keras.layers.Reshape(
        (horizon, n_targets), name="forecast", dtype="float32"
    )(x)
    return keras.Model(inputs, outputs, name=name)
