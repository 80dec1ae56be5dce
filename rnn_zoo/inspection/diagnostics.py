"""Look inside recurrent layers: gradient norms across time and gate activations.

- `gradient_norms_by_lag`: how strongly the last output of a model depends on the
  input ``k`` steps back, ``||d y_T / d x_{T-k}||`` measured with
  ``tf.GradientTape``: the curve that shows vanishing or exploding gradients.
- `spectral_radius` / `set_spectral_radius`: measure and set the largest
  eigenvalue modulus of a SimpleRNN's recurrent kernel (below 1 the gradients of
  a linear RNN shrink with ``k``, above 1 they grow).
- `gate_activations`: the gates of a (trained) ``keras.layers.LSTM`` or ``GRU``
  over time, recomputed from the layer's weights with the NumPy reference cells
  of :mod:`rnn_zoo.reference`.
- `gate_contrast`: each unit's mean gate activation at chosen steps (e.g. where a
  marker arrives) against the other steps, the numbers to describe a plot in words.

Shapes are ``(batch, timesteps, features)``. This module imports TensorFlow (for
``GradientTape``); importing :mod:`rnn_zoo.models` does not.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf

from rnn_zoo import reference
from rnn_zoo._quiet import quiet_retracing_warnings
from rnn_zoo._validation import check_float, check_int, check_type, error_message

__all__ = [
    "gradient_norms_by_lag",
    "spectral_radius",
    "set_spectral_radius",
    "gate_activations",
    "gate_contrast",
]

_GATED = {"LSTM": "lstm", "GRU": "gru"}


def _sequence_input(x: Any) -> np.ndarray:
    """``x`` as a float32 ``(batch, timesteps, features)`` array, else raise."""
    try:
        array = np.asarray(x, dtype="float32")
    except (TypeError, ValueError):
        raise TypeError(error_message("x", "an array of numbers", x)) from None
    if array.ndim != 3 or array.shape[1] == 0:
        allowed = "a 3-D array (batch, timesteps, features) with at least 1 timestep"
        raise ValueError(error_message("x", allowed, array))
    return array


def gradient_norms_by_lag(model: Any, x: Any) -> np.ndarray:
    """Norm of the gradient of the last output w.r.t. the input ``k`` steps back.

    Runs ``y = model(x)`` under ``tf.GradientTape``; ``y_T`` is ``y[:, -1]`` when
    the model returns sequences ``(batch, timesteps, units)``, else ``y`` itself
    ``(batch, units)``. For every lag ``k = 0 .. timesteps - 1`` it returns the
    Frobenius norm of the Jacobian ``d y_T / d x_{T-1-k}`` (``units x
    features``), averaged over the batch. ``k = 0`` is the last input. The
    Jacobian is taken per example (``batch_jacobian``, one backward pass per
    output unit in a compiled ``tf.function``), so the examples of a batch must
    not interact (true of recurrent layers).

    For a linear SimpleRNN ``h_t = x_t W + h_{t-1} U`` the Jacobian is
    ``U^k W`` (transposed), so with ``U = rho * I`` the norm is exactly
    ``rho^k * ||W||``: it shrinks with ``k`` when ``rho < 1`` and grows when
    ``rho > 1``.

    Args:
        model: A Keras layer or model (any callable) mapping ``(batch, timesteps,
            features)`` floats to ``(batch, units)`` or ``(batch, timesteps,
            units)``; a list or tuple output (``return_state=True``) uses its
            first element.
        x: Inputs, ``(batch, timesteps, features)``.

    Returns:
        float64 array ``(timesteps,)``; entry ``k`` is the mean over the batch of
        ``||d y_T / d x_{T-1-k}||``.

    Raises:
        TypeError: If ``model`` is not callable or ``x`` is not numeric.
        ValueError: If ``x`` is not 3-D with at least one timestep, or the output
            is not 2-D or 3-D.

    Example:
        A linear RNN with one unit, ``W = 2``, ``U = 0.5``: the norms are
        ``2 * 0.5^k``.

        >>> layer = keras.layers.SimpleRNN(1, activation="linear")
        >>> x = np.ones((1, 4, 1))
        >>> _ = layer(x)
        >>> layer.set_weights([np.array([[2.0]]), np.array([[0.5]]), np.zeros(1)])
        >>> gradient_norms_by_lag(layer, x).round(4)
        array([2.  , 1.  , 0.5 , 0.25])
    """
    if not callable(model):
        raise TypeError(error_message("model", "a Keras layer or model", model))
    x = tf.convert_to_tensor(_sequence_input(x))

    @tf.function
    def jacobian(inputs):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            y = model(inputs)
            if isinstance(y, list | tuple):
                y = y[0]
            if len(y.shape) == 3:
                y = y[:, -1]
        if len(y.shape) != 2:
            raise ValueError(
                "`model` must return (batch, units) or (batch, timesteps, units). "
                f"Received: output of shape {tuple(y.shape)}"
            )
        # (batch, units, timesteps, features); a while loop over the units is
        # faster to build than the vectorized (pfor) Jacobian of a recurrent layer.
        return tape.batch_jacobian(y, inputs, experimental_use_pfor=False)

    with quiet_retracing_warnings():  # one trace per model is expected
        jac = np.asarray(jacobian(x), dtype="float64")
    norms = np.sqrt(np.sum(np.square(jac), axis=(1, 3)))  # (batch, timesteps)
    return norms[:, ::-1].mean(axis=0)


def spectral_radius(matrix: Any) -> float:
    """The largest absolute eigenvalue of a square matrix.

    Args:
        matrix: A square 2-D array, e.g. a SimpleRNN's recurrent kernel.

    Returns:
        ``max |eigenvalue|`` as a float.

    Raises:
        ValueError: If ``matrix`` is not a non-empty square 2-D array.
        TypeError: If it is not numeric.

    Example:
        >>> spectral_radius([[0.0, 2.0], [0.5, 0.0]])  # eigenvalues +1 and -1
        1.0
    """
    try:
        array = np.asarray(matrix, dtype="float64")
    except (TypeError, ValueError):
        raise TypeError(
            error_message("matrix", "an array of numbers", matrix)
        ) from None
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.size == 0:
        raise ValueError(error_message("matrix", "a square 2-D array", array))
    return float(np.max(np.abs(np.linalg.eigvals(array))))


def set_spectral_radius(layer: Any, radius: float) -> float:
    """Rescale a SimpleRNN's recurrent kernel so its spectral radius is ``radius``.

    Multiplies ``recurrent_kernel`` by ``radius / spectral_radius(recurrent_kernel)``
    (its eigenvectors stay, every eigenvalue is scaled). With Keras' default
    orthogonal initializer every eigenvalue has modulus 1 before the call, so after
    it the kernel is ``radius`` times an orthogonal matrix.

    Args:
        layer: A built ``keras.layers.SimpleRNN``.
        radius: float > 0, the new spectral radius.

    Returns:
        The spectral radius before rescaling.

    Raises:
        TypeError: If ``layer`` is not a ``keras.layers.SimpleRNN``.
        ValueError: If ``radius`` is not positive, the layer is not built, or its
            recurrent kernel is all zeros.

    Example:
        >>> layer = keras.layers.SimpleRNN(3)
        >>> _ = layer(np.zeros((1, 2, 1)))
        >>> round(set_spectral_radius(layer, 1.5), 4)  # orthogonal at start
        1.0
        >>> round(spectral_radius(layer.get_weights()[1]), 4)
        1.5
    """
    check_type(layer, "layer", keras.layers.SimpleRNN, "a keras.layers.SimpleRNN")
    radius = check_float(radius, "radius", low=0.0, low_inclusive=False)
    if not layer.built:
        raise ValueError(
            "`layer` must be built. Received: an unbuilt SimpleRNN. Call it on an "
            "input first, e.g. `layer(x)`"
        )
    weights = layer.get_weights()
    before = spectral_radius(weights[1])
    if before == 0.0:
        raise ValueError(
            "`layer` must have a non-zero recurrent kernel to rescale. Received: "
            "an all-zero recurrent_kernel"
        )
    weights[1] = weights[1] * (radius / before)
    layer.set_weights(weights)
    return before


def _check_gated(layer: Any) -> str:
    """``"lstm"`` or ``"gru"`` for a default-activation Keras LSTM/GRU, else raise."""
    cell = _GATED.get(type(layer).__name__)
    if cell is None or not isinstance(layer, keras.layers.RNN):
        raise TypeError(
            error_message("layer", "a keras.layers.LSTM or keras.layers.GRU", layer),
        )
    activations = (layer.cell.activation, layer.cell.recurrent_activation)
    expected = (keras.activations.tanh, keras.activations.sigmoid)
    if activations != expected or not layer.cell.use_bias:
        raise ValueError(
            "`layer` must use the default activation='tanh', "
            "recurrent_activation='sigmoid' and use_bias=True (what the reference "
            f"cells compute). Received: layer {layer.name!r}"
        )
    if not layer.built:
        raise ValueError(
            f"`layer` must be built. Received: unbuilt layer {layer.name!r}. Call it "
            "on an input first (or pass a layer of a built model)"
        )
    return cell


def gate_activations(layer: Any, x: Any) -> reference.ForwardResult:
    """Gate activations of a Keras LSTM or GRU over time, from its weights.

    Recomputes the layer in NumPy (float64) with
    :func:`rnn_zoo.reference.lstm_forward` / ``gru_forward`` on
    ``layer.get_weights()``, starting from zero states, so every gate value is
    exactly what the Keras layer computes internally (to float32 precision).

    Args:
        layer: A built ``keras.layers.LSTM`` or ``keras.layers.GRU`` with the
            default activations, e.g. ``model.get_layer("rnn_0")`` of a trained
            model.
        x: What the layer receives, ``(batch, timesteps, features)`` (for a model
            whose first layer is the recurrent one, the model input).

    Returns:
        A :class:`rnn_zoo.reference.ForwardResult`: ``h`` (and for an LSTM
        ``c``) ``(batch, timesteps, units)`` and ``gates``: ``{"input",
        "forget", "candidate", "output"}`` (LSTM) or ``{"update", "reset",
        "candidate"}`` (GRU, Keras' update gate: the fraction of the old state
        kept), each ``(batch, timesteps, units)``.

    Raises:
        TypeError: If ``layer`` is not a Keras LSTM/GRU or ``x`` is not numeric.
        ValueError: If the layer uses other activations or no bias, is not built,
            or ``x`` does not fit its weights.

    Example:
        >>> layer = keras.layers.LSTM(3)
        >>> _ = layer(np.zeros((1, 4, 2)))
        >>> result = gate_activations(layer, np.ones((2, 4, 2)))
        >>> sorted(result.gates), result.gates["forget"].shape
        (['candidate', 'forget', 'input', 'output'], (2, 4, 3))
    """
    cell = _check_gated(layer)
    x = _sequence_input(x)
    weights = [np.asarray(w, dtype="float64") for w in layer.get_weights()]
    if cell == "lstm":
        return reference.lstm_forward(x, weights)
    return reference.gru_forward(x, weights, reset_after=layer.cell.reset_after)


def gate_contrast(gates: Any, steps: Any, *, example: int = 0) -> dict:
    """Each unit's mean gate value at chosen steps against the remaining steps.

    Args:
        gates: ``{name: (batch, timesteps, units)}``, e.g.
            ``gate_activations(...).gates``.
        steps: The chosen time steps of example ``example``, a list of indices
            (e.g. where the marker is 1: ``np.flatnonzero(X[example, :, 1])``).
        example: Which sequence of the batch. Defaults to 0.

    Returns:
        ``{name: (at, elsewhere)}``: two float64 arrays ``(units,)``, the mean of
        each unit's activation over the chosen steps and over all other steps
        (NaN where a set is empty).

    Raises:
        TypeError: If ``gates`` is not a dict of arrays.
        ValueError: If the arrays are not 3-D, ``example`` is out of range or
            ``steps`` does not fit ``timesteps``.

    Example:
        >>> gate = np.array([[[0.1], [0.9], [0.3]]])  # (1, 3, 1)
        >>> at, elsewhere = gate_contrast({"input": gate}, [1])["input"]
        >>> at, elsewhere
        (array([0.9]), array([0.2]))
    """
    check_type(gates, "gates", dict, "a dict {gate name: (batch, timesteps, units)}")
    example = check_int(example, "example", minimum=0)
    out = {}
    for name, values in gates.items():
        values = np.asarray(values, dtype="float64")
        if values.ndim != 3:
            allowed = "arrays of shape (batch, timesteps, units)"
            raise ValueError(error_message("gates", allowed, values))
        check_int(example, "example", maximum=values.shape[0] - 1)
        mask = np.zeros(values.shape[1], dtype=bool)
        mask[_steps(steps, values.shape[1])] = True
        series = values[example]
        at = series[mask].mean(axis=0) if mask.any() else np.nan * series[0]
        rest = series[~mask].mean(axis=0) if (~mask).any() else np.nan * series[0]
        out[name] = (at, rest)
    return out


def _steps(steps: Any, timesteps: int) -> list[int]:
    return [
        check_int(s, "steps", minimum=0, maximum=timesteps - 1)
        for s in np.asarray(steps).reshape(-1).tolist()
    ]
