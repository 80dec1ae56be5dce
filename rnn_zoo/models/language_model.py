"""Character-level language model: predict the next token at every time step.

The model is causal (it only reads the past), so it is never bidirectional. Its
layers are named so that a generation loop can rebuild a one-step model from them:
``model.get_layer("embedding")``, ``model.get_layer("rnn_0")``, ...,
``model.get_layer("logits")``. The recurrent layers are plain ``keras.layers.LSTM``
/ ``GRU`` / ``SimpleRNN``; ``type(layer).from_config({**layer.get_config(),
"return_state": True})`` plus ``set_weights(layer.get_weights())`` gives the same
layer returning its state, to carry it one character at a time.
"""

from __future__ import annotations

from typing import Any

import keras

from rnn_zoo._validation import check_int, check_type, error_message
from rnn_zoo.models._stack_arguments import shares_stack_arguments, stack_options
from rnn_zoo.models.recurrent import _apply_stack, _check_bool, _stack_config

__all__ = ["build_char_lm"]


@shares_stack_arguments(units=256, omit=("bidirectional", "merge_mode"))
def build_char_lm(
    vocab_size: int,
    *,
    embedding_dim: int = 64,
    mask_zero: bool = False,
    stateful: bool = False,
    batch_size: int | None = None,
    sequence_length: int | None = None,
    name: str = "char_lm",
    **stack_kwargs: Any,
) -> keras.Model:
    """Build a character (or token) language model giving next-token logits.

    Layers, in order: input "tokens" ``(batch, sequence_length)`` of int ids,
    ``Embedding`` "embedding", recurrent layers "rnn_0", "rnn_1", ... (each
    returning sequences, followed by "rnn_dropout_i" when ``dropout > 0``), and
    ``Dense`` "logits". The output is logits ``(batch, sequence_length,
    vocab_size)``: train with ``SparseCategoricalCrossentropy(from_logits=True)``
    on targets shifted one step. A fresh model's loss is about
    ``log(vocab_size)`` (uniform guessing), a useful sanity check.

    Args:
        vocab_size: Number of token ids, at least 3: id 0 is padding, id 1 is
            unknown, and at least one real token.
        embedding_dim: Width of the token embedding. Defaults to 64.
        mask_zero: Whether id 0 is padding to skip (and to leave out of the
            loss). Defaults to False (text cut into equal chunks has no padding).
        stateful: Whether the recurrent layers carry their state from one batch
            to the next (consecutive chunks of one text). Needs ``batch_size``.
            Defaults to False.
        batch_size: Fixed batch size, or None (default) for any. Required when
            ``stateful=True``.
        sequence_length: Fixed number of steps, or None (default) for any.
        {stack_args}
        name: Name of the model. Defaults to ``"char_lm"``.

    Returns:
        An uncompiled Functional ``keras.Model``.

    Raises:
        ValueError: If ``vocab_size < 3``, ``stateful=True`` without
            ``batch_size``, or another argument is out of range or unknown.
        TypeError: If an argument has the wrong type.

    Example:
        >>> model = build_char_lm(30, embedding_dim=4, units=8, num_layers=2)
        >>> model.output_shape
        (None, None, 30)
        >>> [layer.name for layer in model.layers]
        ['tokens', 'embedding', 'rnn_0', 'rnn_1', 'logits']
        >>> model = build_char_lm(30, units=8, stateful=True, batch_size=2)
        >>> model.input_shape
        (2, None)
        >>> build_char_lm(2)
        Traceback (most recent call last):
        ...
        ValueError: `vocab_size` must be an integer >= 3. Received: vocab_size=2
    """
    vocab_size = check_int(vocab_size, "vocab_size", minimum=3)
    embedding_dim = check_int(embedding_dim, "embedding_dim", minimum=1)
    mask_zero = _check_bool(mask_zero, "mask_zero")
    batch_size = check_int(batch_size, "batch_size", minimum=1, allow_none=True)
    sequence_length = check_int(
        sequence_length, "sequence_length", minimum=1, allow_none=True
    )
    stack = _stack_config(
        **stack_options(build_char_lm, stack_kwargs), stateful=stateful
    )
    if stack.stateful and batch_size is None:
        raise ValueError(
            error_message(
                "batch_size",
                "a positive integer when `stateful=True` (one state per batch row)",
                batch_size,
            )
        )
    check_type(name, "name", str, "a string")

    inputs = keras.Input(
        shape=(sequence_length,), batch_size=batch_size, dtype="int32", name="tokens"
    )
    x = keras.layers.Embedding(
        vocab_size, embedding_dim, mask_zero=mask_zero, name="embedding"
    )(inputs)
    x = _apply_stack(x, stack, return_sequences=True, return_state=False, name="rnn")
    outputs = keras.layers.Dense(vocab_size, name="logits", dtype="float32")(x)
    return keras.Model(inputs, outputs, name=name)
