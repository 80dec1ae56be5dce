"""Log the size of the loss gradient during training, to see it explode.

`GradientNormLog` is a Keras callback: every ``every`` training batches it
computes the loss on a fixed probe batch under ``tf.GradientTape`` and records
the global L2 norm of the gradient over all trainable weights,

    ||g|| = sqrt(sum over weights w of sum(dL/dw ** 2)),

the number gradient clipping acts on. It is measured on the raw gradient, before
any clipping, so runs with and without clipping are comparable. Imports
TensorFlow.
"""

from __future__ import annotations

import math
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from rnn_zoo._validation import check_int, error_message

__all__ = ["GradientNormLog", "gradient_norm", "gradient_norms_by_weight"]


def _gradients(model: keras.Model, x: Any, y: Any) -> list:
    if not getattr(model, "compiled", False):
        raise ValueError(
            error_message(
                "model", "a compiled keras.Model", model, "Call `model.compile` first"
            )
        )
    with tf.GradientTape() as tape:
        prediction = model(x, training=False)
        loss = model.compute_loss(x=x, y=y, y_pred=prediction, training=False)
    return tape.gradient(loss, model.trainable_weights)


def _squared(gradient: Any) -> float:
    return 0.0 if gradient is None else float(keras.ops.sum(keras.ops.square(gradient)))


def gradient_norm(model: keras.Model, x: Any, y: Any) -> float:
    """The global L2 norm of the gradient of a compiled model's loss on a batch.

    Uses the model's compiled loss (``model.compute_loss``, regularisation
    losses included) with the model in inference mode (no dropout).

    Args:
        model: A compiled ``keras.Model``.
        x: Inputs, shaped as the model expects, e.g. ``(batch, timesteps,
            features)``.
        y: Targets for ``x``.

    Returns:
        The norm as a float (NaN or inf when the loss is not finite).

    Raises:
        ValueError: If ``model`` is not compiled.

    Example:
        >>> inputs = keras.Input((1,))
        >>> dense = keras.layers.Dense(1, kernel_initializer="zeros")
        >>> model = keras.Model(inputs, dense(inputs))
        >>> model.compile("sgd", "mse")
        >>> # loss = (w x + b - y)^2 at w = b = 0, x = 1, y = 3: grads (-6, -6)
        >>> round(gradient_norm(model, np.ones((1, 1)), np.full((1, 1), 3.0)), 4)
        8.4853
    """
    total = sum(_squared(g) for g in _gradients(model, x, y))
    return math.sqrt(total) if math.isfinite(total) else float(total)


def gradient_norms_by_weight(model: keras.Model, x: Any, y: Any) -> dict[str, float]:
    """The L2 norm of the loss gradient for each trainable weight, by its path.

    Shows which weights would move at all: e.g. in a network initialised to all
    zeros, every gradient but the output bias's is exactly 0.

    Args:
        model: A compiled ``keras.Model``.
        x: Inputs, e.g. ``(batch, timesteps, features)``.
        y: Targets for ``x``.

    Returns:
        ``{weight.path: norm}`` in the order of ``model.trainable_weights``,
        e.g. ``{"dense/kernel": 6.0, "dense/bias": 6.0}``.

    Raises:
        ValueError: If ``model`` is not compiled.

    Example:
        >>> inputs = keras.Input((1,))
        >>> dense = keras.layers.Dense(1, kernel_initializer="zeros", name="d")
        >>> model = keras.Model(inputs, dense(inputs))
        >>> model.compile("sgd", "mse")
        >>> gradient_norms_by_weight(model, np.ones((1, 1)), np.full((1, 1), 3.0))
        {'d/kernel': 6.0, 'd/bias': 6.0}
    """
    grads = _gradients(model, x, y)
    return {
        weight.path: math.sqrt(_squared(g))
        for weight, g in zip(model.trainable_weights, grads, strict=True)
    }


class GradientNormLog(keras.callbacks.Callback):
    """Record the gradient norm on a fixed batch every ``every`` training batches.

    The norm of each epoch's last measurement also goes into the epoch's logs as
    ``grad_norm`` (so ``History`` and `rnn_zoo.training.experiments.compare_runs` keep
    it), when this callback runs before them.

    Args:
        probe: ``(x, y)``: a small fixed batch of inputs and targets.
        every: int. Measure after every ``every``-th training batch (counting
            across epochs). Defaults to 1.

    Attributes:
        norms: list of float, one per measurement.
        steps: list of int, the training step (1-based, across epochs) of each.

    Raises:
        TypeError / ValueError: If ``probe`` is not an ``(x, y)`` pair or
            ``every`` is not a positive integer.

    Example:
        >>> inputs = keras.Input((1,))
        >>> model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        >>> model.compile("sgd", "mse")
        >>> log = GradientNormLog((np.ones((2, 1)), np.ones((2, 1))), every=2)
        >>> history = model.fit(np.ones((8, 1)), np.ones((8, 1)), batch_size=2,
        ...                     epochs=2, verbose=0, callbacks=[log])
        >>> log.steps, len(log.norms), len(history.history["grad_norm"])
        ([2, 4, 6, 8], 4, 2)
    """

    def __init__(self, probe: tuple[Any, Any], *, every: int = 1):
        super().__init__()
        if not isinstance(probe, (tuple, list)) or len(probe) != 2:
            raise TypeError(error_message("probe", "an (x, y) pair of arrays", probe))
        self.x, self.y = (np.asarray(part) for part in probe)
        self.every = check_int(every, "every", minimum=1)
        self.norms: list[float] = []
        self.steps: list[int] = []
        self._step = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.norms, self.steps, self._step = [], [], 0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._step += 1
        if self._step % self.every == 0:
            self.norms.append(gradient_norm(self.model, self.x, self.y))
            self.steps.append(self._step)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is not None and self.norms:
            logs["grad_norm"] = self.norms[-1]
