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
from rnn_zoo.models.recurrent import _apply_stack, _check_bool, _stack_config

__all__ = ["build_char_lm"]


def build_char_lm(
    vocab_size: int,
    *,
    embedding_dim: int = 64,
    units: int | list[int] = 256,
    num_layers: int | None = None,
    cell: str = "lstm",
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    kernel_initializer: Any = "glorot_uniform",
    recurrent_initializer: Any = "orthogonal",
    bias_initializer: Any = "zeros",
    unit_forget_bias: bool = True,
    mask_zero: bool = False,
    stateful: bool = False,
    batch_size: int | None = None,
    sequence_length: int | None = None,
    name: str = "char_lm",
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
        units: Width of every recurrent layer, or a list (one per layer).
            Defaults to 256.
        num_layers: Number of recurrent layers. Defaults to None (1, or
            ``len(units)``).
        cell: ``"lstm"``, ``"gru"`` or ``"rnn"``. Defaults to ``"lstm"``.
        dropout: Dropout rate after each recurrent layer, in ``[0, 1)``. Defaults
            to 0.0.
        recurrent_dropout: Dropout on the recurrent state, in ``[0, 1)``; above 0
            it disables the fused cuDNN kernel. Defaults to 0.0.
        kernel_initializer: Initializer of the input kernels (see
            ``recurrent_stack``). Defaults to ``"glorot_uniform"``.
        recurrent_initializer: Initializer of the recurrent kernels. Defaults to
            ``"orthogonal"``.
        bias_initializer: Initializer of the recurrent biases. Defaults to
            ``"zeros"``.
        unit_forget_bias: LSTM only: forget-gate bias starts at 1. Defaults to
            True.
        mask_zero: Whether id 0 is padding to skip (and to leave out of the
            loss). Defaults to False (text cut into equal chunks has no padding).
        stateful: Whether the recurrent layers carry their state from one batch
            to the next (consecutive chunks of one text). Needs ``batch_size``.
            Defaults to False.
        batch_size: Fixed batch size, or None (default) for any. Required when
            ``stateful=True``.
        sequence_length: Fixed number of steps, or None (default) for any.
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
        cell=cell,
        units=units,
        num_layers=num_layers,
        bidirectional=False,
        merge_mode="concat",
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        kernel_initializer=kernel_initializer,
        recurrent_initializer=recurrent_initializer,
        bias_initializer=bias_initializer,
        unit_forget_bias=unit_forget_bias,
        stateful=stateful,
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
    outputs = keras.layers.Dense(vocab_size, name="logits")(x)
    return keras.Model(inputs, outputs, name=name)
