"""Per-time-step models: one output at every step of the input sequence.

- `build_sequence_tagger`: token ids in, tag logits out at every step (tagging,
  e.g. parts of speech, or `rnn_zoo.datasets.make_tagging_task`).
- `build_step_regressor`: numbers in, numbers out at every step (e.g. the next
  value of a series at every step).

Both keep the recurrent layers' sequences (``return_sequences=True``) and put a
``Dense`` on every step. With ``bidirectional=True`` the output at step ``t``
depends on the steps after ``t`` too: right for tagging a finished sentence,
a leak for forecasting (notebook 07 shows both).
"""

from __future__ import annotations

from typing import Any

import keras

from rnn_zoo._validation import check_int, check_type
from rnn_zoo.models._stack_arguments import shares_stack_arguments, stack_options
from rnn_zoo.models.recurrent import _apply_stack, _check_bool, _stack_config

__all__ = ["build_sequence_tagger", "build_step_regressor"]


def _per_step_model(
    builder: Any,
    stack_kwargs: dict[str, Any],
    inputs: keras.KerasTensor,
    x: keras.KerasTensor,
    *,
    width: int,
    head: str,
    name: str,
) -> keras.Model:
    """``inputs -> x -> recurrent stack (all steps) -> Dense(width)`` as a Model."""
    stack = _stack_config(**stack_options(builder, stack_kwargs))
    check_type(name, "name", str, "a string")
    x = _apply_stack(x, stack, return_sequences=True, return_state=False, name="rnn")
    outputs = keras.layers.Dense(width, name=head, dtype="float32")(x)
    return keras.Model(inputs, outputs, name=name)


@shares_stack_arguments(units=32)
def build_sequence_tagger(
    vocab_size: int,
    num_tags: int,
    *,
    embedding_dim: int = 16,
    mask_zero: bool = True,
    sequence_length: int | None = None,
    name: str = "sequence_tagger",
    **stack_kwargs: Any,
) -> keras.Model:
    """Build a tagger: token ids in, one set of tag logits per time step out.

    Layers: input "tokens" ``(batch, sequence_length)`` of int ids,
    ``Embedding`` "embedding", recurrent layers "rnn_0", "rnn_1", ... (all
    returning sequences) and ``Dense`` "logits" giving ``(batch,
    sequence_length, num_tags)``. Train with
    ``SparseCategoricalCrossentropy(from_logits=True)`` on integer tags of shape
    ``(batch, sequence_length)``.

    With ``mask_zero=True`` (the default) token id 0 is padding: the recurrent
    layers skip it (a padded row gives the same outputs at its real steps as the
    row alone) and Keras leaves padded steps out of the loss and the metrics.

    Args:
        vocab_size: Number of token ids including the padding id 0, at least 2.
        num_tags: Number of tag ids (logits per step), at least 2; with padding
            tags (0) count that id too.
        embedding_dim: Width of the token embedding. Defaults to 16.
        mask_zero: Whether token id 0 is padding to skip. Defaults to True.
        sequence_length: Fixed number of steps, or None (default) for any.
        {stack_args}
        name: Name of the model. Defaults to ``"sequence_tagger"``.

    Returns:
        An uncompiled Functional ``keras.Model``.

    Raises:
        ValueError: If a count is out of range, or a hyperparameter is out of
            range or unknown.
        TypeError: If an argument has the wrong type.

    Example:
        >>> model = build_sequence_tagger(9, 5, units=4, bidirectional=True)
        >>> model.input_shape, model.output_shape
        ((None, None), (None, None, 5))
        >>> [layer.name for layer in model.layers]
        ['tokens', 'embedding', 'rnn_0', 'logits']
        >>> build_sequence_tagger(9, 1)
        Traceback (most recent call last):
        ...
        ValueError: `num_tags` must be an integer >= 2. Received: num_tags=1
    """
    vocab_size = check_int(vocab_size, "vocab_size", minimum=2)
    num_tags = check_int(num_tags, "num_tags", minimum=2)
    embedding_dim = check_int(embedding_dim, "embedding_dim", minimum=1)
    mask_zero = _check_bool(mask_zero, "mask_zero")
    sequence_length = check_int(
        sequence_length, "sequence_length", minimum=1, allow_none=True
    )
    inputs = keras.Input(shape=(sequence_length,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(
        vocab_size, embedding_dim, mask_zero=mask_zero, name="embedding"
    )(inputs)
    return _per_step_model(
        build_sequence_tagger,
        stack_kwargs,
        inputs,
        x,
        width=num_tags,
        head="logits",
        name=name,
    )


@shares_stack_arguments(units=32)
def build_step_regressor(
    n_features: int,
    *,
    n_outputs: int = 1,
    timesteps: int | None = None,
    name: str = "step_regressor",
    **stack_kwargs: Any,
) -> keras.Model:
    """Build a per-step regressor: numbers in, ``n_outputs`` numbers per step out.

    Layers: input "features" ``(batch, timesteps, n_features)``, recurrent
    layers "rnn_0", "rnn_1", ... (all returning sequences) and a linear
    ``Dense`` "prediction" giving ``(batch, timesteps, n_outputs)``. Train with
    ``"mse"``, e.g. on ``(x[:, :-1], x[:, 1:])`` to predict the next value at
    every step. Keep it unidirectional for that: a bidirectional one reads
    ``x[t + 1]`` on its way back and scores perfectly without forecasting.

    Args:
        n_features: Features per input step, a positive integer.
        n_outputs: Values predicted per step. Defaults to 1.
        timesteps: Fixed number of steps, or None (default) for any.
        {stack_args}
        name: Name of the model. Defaults to ``"step_regressor"``.

    Returns:
        An uncompiled Functional ``keras.Model``.

    Raises:
        ValueError: If a count is out of range, or a hyperparameter is out of
            range or unknown.
        TypeError: If an argument has the wrong type.

    Example:
        >>> model = build_step_regressor(2, n_outputs=3, units=4)
        >>> model.input_shape, model.output_shape
        ((None, None, 2), (None, None, 3))
        >>> [layer.name for layer in model.layers]
        ['features', 'rnn_0', 'prediction']
    """
    n_features = check_int(n_features, "n_features", minimum=1)
    n_outputs = check_int(n_outputs, "n_outputs", minimum=1)
    timesteps = check_int(timesteps, "timesteps", minimum=1, allow_none=True)
    inputs = keras.Input(shape=(timesteps, n_features), name="features")
    return _per_step_model(
        build_step_regressor,
        stack_kwargs,
        inputs,
        inputs,
        width=n_outputs,
        head="prediction",
        name=name,
    )
