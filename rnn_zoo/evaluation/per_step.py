"""Per-step models: masked tag accuracy, padding invariance, prefix-only outputs.

- `tag_accuracy`: the share of real (non-padding) steps tagged right.
- `padding_gap`: how far a model's outputs on a padded batch are from its
  outputs on each row alone; about 1e-7 when masking works.
- `prefix_predictions`: each step's output computed from the steps up to it
  only, as it would be when the future has not happened yet (forecasting). For a
  unidirectional model that equals its ordinary output; for a bidirectional one
  it does not, and the difference is what it had read from the future.

Importing this module imports neither TensorFlow nor Keras; the model functions
call the model on NumPy arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rnn_zoo._validation import check_int, error_message

__all__ = ["tag_accuracy", "padding_gap", "prefix_predictions"]


def _as_numpy(value: Any) -> np.ndarray:
    """A model output (tensor or array) as a NumPy array."""
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def tag_accuracy(tags: Any, predicted: Any, *, padding: int = 0) -> float:
    """Share of real steps whose predicted tag is right; padded steps are skipped.

    Args:
        tags: Integer tags ``(batch, timesteps)``; ``padding`` marks padded steps.
        predicted: Predicted tag ids of the same shape, or per-step scores
            (logits or probabilities) ``(batch, timesteps, num_tags)``, whose
            arg-max is the predicted tag.
        padding: The tag id of padded steps. Defaults to 0.

    Returns:
        A float in [0, 1].

    Raises:
        ValueError: If the shapes do not match, or every step is padding.

    Example:
        >>> tags = np.array([[1, 2, 0], [3, 0, 0]])
        >>> tag_accuracy(tags, np.array([[1, 1, 2], [3, 2, 1]]))  # 2 of 3 real
        0.6666666666666666
        >>> scores = np.eye(4)[[[1, 2, 0], [1, 0, 0]]]  # one-hot "logits"
        >>> tag_accuracy(tags, scores)
        0.6666666666666666
    """
    tags = np.asarray(tags)
    predicted = np.asarray(predicted)
    if predicted.ndim == tags.ndim + 1:
        predicted = predicted.argmax(axis=-1)
    if predicted.shape != tags.shape:
        raise ValueError(
            error_message(
                "predicted",
                f"tag ids of shape {tags.shape} or scores of shape "
                f"{(*tags.shape, 'num_tags')}",
                predicted,
            )
        )
    real = tags != padding
    if not real.any():
        raise ValueError(
            error_message("tags", "an array with at least one real step", tags)
        )
    return float(np.mean(predicted[real] == tags[real]))


def _check_lengths(lengths: Any, inputs: np.ndarray) -> np.ndarray:
    lengths = np.asarray(lengths)
    allowed = (
        f"one integer per row of `inputs` ({len(inputs)}), each in "
        f"1 .. {inputs.shape[1]}"
    )
    ok = lengths.shape == (len(inputs),) and np.issubdtype(lengths.dtype, np.integer)
    if not ok or lengths.min() < 1 or lengths.max() > inputs.shape[1]:
        raise ValueError(error_message("lengths", allowed, lengths))
    return lengths


def padding_gap(model: Any, inputs: Any, lengths: Any) -> float:
    """Largest difference between a padded batch's outputs and each row's alone.

    Calls ``model(inputs)`` once, then the model on every row cut to its real
    length (``inputs[i, :lengths[i]]``; rows of the same length in one call),
    and compares the real steps. With working masking (e.g.
    ``Embedding(mask_zero=True)``) the gap is float round-off, about 1e-7;
    without it the padding changes the outputs (most of all in a bidirectional
    model, whose backward direction starts in the padding).

    Args:
        model: A per-step model: ``(batch, timesteps, ...)`` in,
            ``(batch, timesteps, outputs)`` out.
        inputs: The padded batch (padding after the real steps).
        lengths: The real length of each row.

    Returns:
        The maximum absolute difference, a float.

    Raises:
        ValueError: If ``lengths`` is not one integer in ``1 .. timesteps`` per
            row.

    Example:
        >>> def running_sum(x):  # a causal "model": padding after cannot matter
        ...     return np.cumsum(x, axis=1)[..., None]
        >>> padding_gap(running_sum, np.array([[1, 2, 0], [3, 4, 5]]), [2, 3])
        0.0
    """
    inputs = np.asarray(inputs)
    lengths = _check_lengths(lengths, inputs)
    batch = _as_numpy(model(inputs))
    gap = 0.0
    for length in np.unique(lengths).tolist():
        rows = np.flatnonzero(lengths == length)
        alone = _as_numpy(model(inputs[rows, :length]))
        gap = max(gap, float(np.max(np.abs(batch[rows, :length] - alone))))
    return gap


def prefix_predictions(model: Any, inputs: Any, *, start: int = 1) -> np.ndarray:
    """Each step's output computed from the steps up to it only.

    Row ``t`` of the result is ``model(inputs[:, :t + 1])[:, t]``: what the model
    says at step ``t`` when steps ``t + 1, ...`` do not exist yet, as in real
    forecasting. One model call per step.

    Args:
        model: A per-step model: ``(batch, timesteps, ...)`` in,
            ``(batch, timesteps, outputs)`` out.
        inputs: The sequences, ``(batch, timesteps, ...)``.
        start: The first step computed (earlier steps are left out), in
            ``0 .. timesteps - 1``. Defaults to 1.

    Returns:
        An array ``(batch, timesteps - start, outputs)``: the outputs at steps
        ``start .. timesteps - 1``.

    Raises:
        ValueError: If ``start`` is out of range.

    Example:
        >>> def backward_sum(x):  # reads the future: step t sums x[t:]
        ...     return np.cumsum(x[:, ::-1], axis=1)[:, ::-1, None]
        >>> x = np.array([[1.0, 2.0, 3.0]])
        >>> backward_sum(x)[0, :, 0].tolist()
        [6.0, 5.0, 3.0]
        >>> prefix_predictions(backward_sum, x, start=0)[0, :, 0].tolist()
        [1.0, 2.0, 3.0]
    """
    inputs = np.asarray(inputs)
    start = check_int(start, "start", minimum=0, maximum=inputs.shape[1] - 1)
    steps = [
        _as_numpy(model(inputs[:, : t + 1]))[:, t]
        for t in range(start, inputs.shape[1])
    ]
    return np.stack(steps, axis=1)
