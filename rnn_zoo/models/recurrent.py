"""The shared recurrent block, and the sequence classifier and regressor builders.

``recurrent_stack`` stacks named LSTM / GRU / SimpleRNN layers (optionally
bidirectional) onto a Keras tensor of shape ``(batch, timesteps, features)``. The
``build_*`` functions wrap it into small, uncompiled Functional models whose layers
are all named, so inference code can use ``model.get_layer(name)``.

The defaults keep Keras' fused (cuDNN) LSTM/GRU kernel usable on a GPU: ``tanh`` /
``sigmoid`` activations, ``recurrent_dropout=0``, ``unroll=False``,
``use_bias=True`` and, for the GRU, ``reset_after=True``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import keras

from rnn_zoo._validation import (
    check_float,
    check_int,
    check_one_of,
    check_type,
    error_message,
)
from rnn_zoo.models._stack_arguments import shares_stack_arguments, stack_options

__all__ = ["recurrent_stack", "build_sequence_classifier", "build_sequence_regressor"]

CELLS = {
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
    "rnn": keras.layers.SimpleRNN,
}
MERGE_MODES = ("concat", "sum", "ave", "mul")
# Names from older frameworks and papers, mapped to the Keras identifier.
INITIALIZER_ALIASES = {
    "xavier": "glorot_uniform",
    "xavier_uniform": "glorot_uniform",
    "xavier_normal": "glorot_normal",
    "constant": {"class_name": "Constant", "config": {"value": 0.0}},
}
_INITIALIZER_CHOICES = (
    "a Keras initializer name such as 'glorot_uniform' (alias 'xavier'), "
    "'orthogonal', 'zeros' or 'constant', a config dict, or a "
    "`keras.initializers.Initializer` instance"
)


@dataclass(frozen=True)
class _StackConfig:
    """Validated hyperparameters of a recurrent stack (one entry of units a layer)."""

    cell: str
    units: tuple[int, ...]
    bidirectional: bool
    merge_mode: str
    dropout: float
    recurrent_dropout: float
    kernel_initializer: str | dict
    recurrent_initializer: str | dict
    bias_initializer: str | dict
    unit_forget_bias: bool
    stateful: bool


def _check_bool(value: Any, name: str) -> bool:
    return check_type(value, name, bool, "a bool (True or False)")


def _check_units(units: Any, num_layers: Any) -> tuple[int, ...]:
    """Return one positive width per layer from ``units`` and ``num_layers``."""
    num_layers = check_int(num_layers, "num_layers", minimum=1, allow_none=True)
    if isinstance(units, (list, tuple)):
        allowed = "a positive integer or a non-empty list of positive integers"
        if not units:
            raise ValueError(error_message("units", allowed, units))
        for width in units:
            try:
                check_int(width, "units", minimum=1)
            except (TypeError, ValueError) as exc:
                raise type(exc)(error_message("units", allowed, units)) from None
        if num_layers is not None and num_layers != len(units):
            raise ValueError(
                error_message(
                    "num_layers",
                    f"None or equal to len(units)={len(units)} when `units` is a list",
                    num_layers,
                )
            )
        return tuple(int(width) for width in units)
    width = check_int(units, "units", minimum=1)
    return (width,) * (num_layers if num_layers is not None else 1)


def _check_initializer(value: Any, name: str) -> str | dict:
    """Validate an initializer identifier; return a string or config dict.

    Instances are turned into their config so that every layer deserializes its
    own copy: an unseeded instance shared by two layers would give both layers the
    same values.
    """
    if isinstance(value, str):
        value = INITIALIZER_ALIASES.get(value, value)
    elif isinstance(value, keras.initializers.Initializer):
        value = keras.initializers.serialize(value)
    elif not isinstance(value, dict):
        raise TypeError(error_message(name, _INITIALIZER_CHOICES, value))
    try:
        keras.initializers.get(copy.deepcopy(value))
    except (ValueError, TypeError, KeyError) as exc:
        raise ValueError(error_message(name, _INITIALIZER_CHOICES, value)) from exc
    return value


def _stack_config(
    *,
    cell: Any,
    units: Any,
    num_layers: Any,
    bidirectional: Any,
    merge_mode: Any,
    dropout: Any,
    recurrent_dropout: Any,
    kernel_initializer: Any,
    recurrent_initializer: Any,
    bias_initializer: Any,
    unit_forget_bias: Any,
    stateful: Any = False,
) -> _StackConfig:
    """Validate the hyperparameters of ``recurrent_stack`` before building anything."""
    return _StackConfig(
        cell=check_one_of(cell, "cell", CELLS),
        units=_check_units(units, num_layers),
        bidirectional=_check_bool(bidirectional, "bidirectional"),
        merge_mode=check_one_of(merge_mode, "merge_mode", MERGE_MODES),
        dropout=check_float(
            dropout, "dropout", low=0.0, high=1.0, high_inclusive=False
        ),
        recurrent_dropout=check_float(
            recurrent_dropout,
            "recurrent_dropout",
            low=0.0,
            high=1.0,
            high_inclusive=False,
        ),
        kernel_initializer=_check_initializer(kernel_initializer, "kernel_initializer"),
        recurrent_initializer=_check_initializer(
            recurrent_initializer, "recurrent_initializer"
        ),
        bias_initializer=_check_initializer(bias_initializer, "bias_initializer"),
        unit_forget_bias=_check_bool(unit_forget_bias, "unit_forget_bias"),
        stateful=_check_bool(stateful, "stateful"),
    )


def _check_sequence_tensor(inputs: Any, stateful: bool) -> None:
    what = "a symbolic Keras tensor of shape (batch, timesteps, features)"
    remedy = "Create it with `keras.Input(shape=(timesteps, features))`"
    if not isinstance(inputs, keras.KerasTensor):
        raise TypeError(error_message("inputs", what, inputs, remedy))
    if len(inputs.shape) != 3:
        raise ValueError(error_message("inputs", what, inputs.shape, remedy))
    if stateful and inputs.shape[0] is None:
        raise ValueError(
            error_message(
                "inputs",
                "a tensor with a fixed batch size when `stateful=True`",
                inputs.shape,
                "Create it with `keras.Input(shape=..., batch_size=...)`",
            )
        )


def _recurrent_layer(
    config: _StackConfig,
    units: int,
    *,
    return_sequences: bool,
    return_state: bool,
    name: str,
) -> keras.layers.Layer:
    """One plain LSTM / GRU / SimpleRNN layer with the stock (fused-ready) defaults."""
    options = {
        "units": units,
        "return_sequences": return_sequences,
        "return_state": return_state,
        "recurrent_dropout": config.recurrent_dropout,
        "stateful": config.stateful,
        "name": name,
        # Each layer gets its own copy, so unseeded initializers differ per layer.
        "kernel_initializer": copy.deepcopy(config.kernel_initializer),
        "recurrent_initializer": copy.deepcopy(config.recurrent_initializer),
        "bias_initializer": copy.deepcopy(config.bias_initializer),
    }
    if config.cell == "lstm":
        options["unit_forget_bias"] = config.unit_forget_bias
    return CELLS[config.cell](**options)


def _apply_stack(
    inputs: keras.KerasTensor,
    config: _StackConfig,
    *,
    return_sequences: bool,
    return_state: bool,
    name: str,
) -> Any:
    """Apply the validated stack to ``inputs``; see ``recurrent_stack``."""
    _check_sequence_tensor(inputs, config.stateful)
    x = inputs
    states: list = []
    last = len(config.units) - 1
    for i, width in enumerate(config.units):
        layer = _recurrent_layer(
            config,
            width,
            return_sequences=return_sequences or i < last,
            return_state=return_state and i == last,
            name=f"{name}_{i}",
        )
        if config.bidirectional:
            # The wrapper rebuilds its inner layers as forward_/backward_<name>.
            layer = keras.layers.Bidirectional(
                layer, merge_mode=config.merge_mode, name=f"{name}_{i}"
            )
        x = layer(x)
        if return_state and i == last:
            x, *states = x
        if config.dropout > 0:
            x = keras.layers.Dropout(config.dropout, name=f"{name}_dropout_{i}")(x)
    return (x, states) if return_state else x


def recurrent_stack(
    inputs: keras.KerasTensor,
    *,
    cell: str = "lstm",
    units: int | list[int] = 64,
    num_layers: int | None = None,
    bidirectional: bool = False,
    merge_mode: str = "concat",
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    return_sequences: bool = False,
    return_state: bool = False,
    kernel_initializer: Any = "glorot_uniform",
    recurrent_initializer: Any = "orthogonal",
    bias_initializer: Any = "zeros",
    unit_forget_bias: bool = True,
    stateful: bool = False,
    name: str = "rnn",
) -> Any:
    """Stack named recurrent layers onto a tensor (the shared block of every model).

    The recurrent layers are named ``f"{name}_0"``, ``f"{name}_1"``, ... (for a
    bidirectional stack that is the ``Bidirectional`` wrapper; its inner layers are
    ``forward_<name>_i`` and ``backward_<name>_i``). When ``dropout > 0`` a
    ``Dropout`` layer named ``f"{name}_dropout_{i}"`` follows each recurrent layer.
    Inner layers always return sequences; only the last one follows
    ``return_sequences``. The recurrent layers are plain ``keras.layers.LSTM`` /
    ``GRU`` / ``SimpleRNN``, so they can be rebuilt from their config (for example
    with ``return_state=True`` for step-by-step generation).

    Args:
        inputs: Symbolic Keras tensor of shape ``(batch, timesteps, features)``,
            e.g. from ``keras.Input``. A mask on it (from ``Embedding(mask_zero=
            True)`` or ``Masking``) is respected.
        cell: ``"lstm"``, ``"gru"`` or ``"rnn"`` (``SimpleRNN``). Defaults to
            ``"lstm"``.
        units: Width of every layer (int), or one width per layer (list).
            Defaults to 64.
        num_layers: Number of stacked layers. Defaults to None: 1, or
            ``len(units)`` when ``units`` is a list (then it must match).
        bidirectional: Whether to wrap each layer in ``keras.layers.Bidirectional``
            (reads the sequence both ways; doubles the width with ``"concat"``).
            Defaults to False.
        merge_mode: How a bidirectional layer combines its two directions:
            ``"concat"``, ``"sum"``, ``"ave"`` or ``"mul"``. Defaults to
            ``"concat"``.
        dropout: Rate of the ``Dropout`` layers applied to the outputs of every
            recurrent layer, in ``[0, 1)``. Defaults to 0.0 (no dropout layers).
        recurrent_dropout: Dropout on the recurrent state inside each layer, in
            ``[0, 1)``. Any value above 0 disables the fused cuDNN kernel (much
            slower on a GPU). Defaults to 0.0.
        return_sequences: Whether the last layer returns the whole sequence
            ``(batch, timesteps, width)`` instead of the last step
            ``(batch, width)``. Defaults to False.
        return_state: Whether to also return the last layer's final states.
            Defaults to False.
        kernel_initializer: Initializer of the input kernels: a Keras identifier
            (``"glorot_uniform"``, ``"orthogonal"``, ``"zeros"``, ...), a config
            dict or a ``keras.initializers.Initializer`` instance (e.g.
            ``keras.initializers.Constant(0.1)``). Aliases: ``"xavier"`` and
            ``"xavier_uniform"`` mean ``"glorot_uniform"``, ``"xavier_normal"``
            means ``"glorot_normal"``, ``"constant"`` means ``Constant(0.0)``.
            Defaults to ``"glorot_uniform"``.
        recurrent_initializer: Initializer of the recurrent kernels, same choices.
            Keras' ``"orthogonal"`` makes the whole ``(units, gates * units)``
            kernel orthogonal (its rows orthonormal), not each gate block.
            Defaults to ``"orthogonal"``.
        bias_initializer: Initializer of the biases, same choices. Defaults to
            ``"zeros"``.
        unit_forget_bias: LSTM only (ignored for GRU and SimpleRNN): whether the
            forget-gate bias starts at 1 whatever ``bias_initializer`` says.
            Defaults to True.
        stateful: Whether each layer keeps its final state as the initial state
            of the next batch. Needs ``inputs`` with a fixed batch size. Defaults
            to False.
        name: Prefix of the layer names. Defaults to ``"rnn"``.

    Returns:
        The output tensor: ``(batch, width)``, or ``(batch, timesteps, width)``
        with ``return_sequences=True``, where ``width`` is the last layer's units
        (doubled for a bidirectional ``"concat"``). With ``return_state=True``, a
        tuple ``(output, states)`` where ``states`` is the last layer's list of
        final states (``[h, c]`` for an LSTM, ``[h]`` otherwise; forward states
        then backward states when bidirectional).

    Raises:
        ValueError: If a hyperparameter is out of range or unknown (``cell``,
            ``units``, ``num_layers``, ``dropout``, ``merge_mode``, an
            initializer name), or ``stateful=True`` without a fixed batch size.
        TypeError: If ``inputs`` is not a Keras tensor, or an argument has the
            wrong type.

    Example:
        >>> inputs = keras.Input(shape=(5, 3))
        >>> outputs = recurrent_stack(inputs, cell="gru", units=[8, 4])
        >>> outputs.shape
        (None, 4)
        >>> model = keras.Model(inputs, outputs)
        >>> [layer.name for layer in model.layers[1:]]
        ['rnn_0', 'rnn_1']
        >>> outputs = recurrent_stack(
        ...     inputs, units=4, bidirectional=True, return_sequences=True,
        ...     name="encoder",
        ... )
        >>> outputs.shape
        (None, 5, 8)
        >>> recurrent_stack(inputs, cell="tcn")
        Traceback (most recent call last):
        ...
        ValueError: `cell` must be one of 'lstm', 'gru', 'rnn'. Received: cell='tcn'
    """
    config = _stack_config(
        cell=cell,
        units=units,
        num_layers=num_layers,
        bidirectional=bidirectional,
        merge_mode=merge_mode,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        kernel_initializer=kernel_initializer,
        recurrent_initializer=recurrent_initializer,
        bias_initializer=bias_initializer,
        unit_forget_bias=unit_forget_bias,
        stateful=stateful,
    )
    return _apply_stack(
        inputs,
        config,
        return_sequences=_check_bool(return_sequences, "return_sequences"),
        return_state=_check_bool(return_state, "return_state"),
        name=check_type(name, "name", str, "a string"),
    )


def _sequence_input(
    timesteps: int | None, n_features: int | None, vocab_size: int | None
) -> keras.KerasTensor:
    """``Input`` named "tokens" (int ids, when ``vocab_size`` is set) or "features"."""
    if vocab_size is not None:
        return keras.Input(shape=(timesteps,), dtype="int32", name="tokens")
    return keras.Input(shape=(timesteps, n_features), name="features")


@shares_stack_arguments(units=64)
def build_sequence_classifier(
    timesteps: int | None = None,
    n_features: int | None = None,
    *,
    num_classes: int = 2,
    vocab_size: int | None = None,
    embedding_dim: int = 32,
    mask_zero: bool = True,
    output_activation: str | None = None,
    name: str = "sequence_classifier",
    **stack_kwargs: Any,
) -> keras.Model:
    """Build a recurrent classifier of whole sequences (one label per sequence).

    Two kinds of input: numbers ``(batch, timesteps, n_features)`` (input layer
    "features"), or integer token ids ``(batch, timesteps)`` (input layer "tokens",
    when ``vocab_size`` is given) fed through an ``Embedding`` named "embedding".
    Then ``recurrent_stack`` (layers "rnn_0", "rnn_1", ...) and a ``Dense`` named
    "logits".

    The output is **logits** (no activation), for losses with
    ``from_logits=True``: shape ``(batch, 1)`` when ``num_classes == 2``
    (``BinaryCrossentropy``), else ``(batch, num_classes)``
    (``SparseCategoricalCrossentropy``). Pass ``output_activation`` to append an
    ``Activation`` layer named "probabilities" instead.

    Args:
        timesteps: Sequence length, or None (default) for variable length.
        n_features: Features per step for numeric input; must be None when
            ``vocab_size`` is given. Defaults to None.
        num_classes: Number of classes, at least 2. Defaults to 2 (binary, one
            output unit).
        vocab_size: Size of the token vocabulary (ids ``0 .. vocab_size - 1``,
            0 = padding), or None (default) for numeric input.
        embedding_dim: Width of the token embedding. Defaults to 32.
        mask_zero: Whether token id 0 is padding that the recurrent layers skip:
            a padded sequence then gives the same output as the unpadded one.
            Defaults to True.
        output_activation: None (default, logits), ``"sigmoid"`` (binary, or
            independent labels) or ``"softmax"`` (needs ``num_classes > 2``).
        {stack_args}
        name: Name of the model. Defaults to ``"sequence_classifier"``.

    Returns:
        An uncompiled Functional ``keras.Model``.

    Raises:
        ValueError: If a shape or hyperparameter is out of range, both or neither
            of ``n_features`` and ``vocab_size`` are given, or ``"softmax"`` is
            asked for a binary (one-unit) output.
        TypeError: If an argument has the wrong type.

    Example:
        >>> model = build_sequence_classifier(vocab_size=20, num_classes=3, units=4)
        >>> model.output_shape
        (None, 3)
        >>> [layer.name for layer in model.layers]
        ['tokens', 'embedding', 'rnn_0', 'logits']
        >>> model = build_sequence_classifier(5, 2, units=4, bidirectional=True)
        >>> model.input_shape, model.output_shape
        ((None, 5, 2), (None, 1))
    """
    timesteps = check_int(timesteps, "timesteps", minimum=1, allow_none=True)
    vocab_size = check_int(vocab_size, "vocab_size", minimum=2, allow_none=True)
    if vocab_size is None and n_features is None:
        raise ValueError(
            error_message(
                "n_features",
                "a positive integer when `vocab_size` is None (numeric input)",
                n_features,
                "Pass `n_features` for numeric sequences, or `vocab_size` for "
                "integer token ids",
            )
        )
    if vocab_size is None:
        n_features = check_int(n_features, "n_features", minimum=1)
    elif n_features is not None:
        raise ValueError(
            error_message(
                "n_features",
                "None when `vocab_size` is given (token input has no feature axis)",
                n_features,
            )
        )
    num_classes = check_int(num_classes, "num_classes", minimum=2)
    embedding_dim = check_int(embedding_dim, "embedding_dim", minimum=1)
    mask_zero = _check_bool(mask_zero, "mask_zero")
    check_one_of(output_activation, "output_activation", (None, "sigmoid", "softmax"))
    if output_activation == "softmax" and num_classes == 2:
        raise ValueError(
            error_message(
                "output_activation",
                "None or 'sigmoid' when `num_classes=2` (one output unit)",
                output_activation,
                "Use 'sigmoid', or num_classes > 2 for a softmax",
            )
        )
    stack = _stack_config(**stack_options(build_sequence_classifier, stack_kwargs))
    check_type(name, "name", str, "a string")

    inputs = _sequence_input(timesteps, n_features, vocab_size)
    x = inputs
    if vocab_size is not None:
        x = keras.layers.Embedding(
            vocab_size, embedding_dim, mask_zero=mask_zero, name="embedding"
        )(x)
    x = _apply_stack(x, stack, return_sequences=False, return_state=False, name="rnn")
    outputs = keras.layers.Dense(
        1 if num_classes == 2 else num_classes, name="logits", dtype="float32"
    )(x)
    if output_activation is not None:
        outputs = keras.layers.Activation(
            output_activation, name="probabilities", dtype="float32"
        )(outputs)
    return keras.Model(inputs, outputs, name=name)


@shares_stack_arguments(units=64)
def build_sequence_regressor(
    timesteps: int | None,
    n_features: int,
    *,
    n_outputs: int = 1,
    name: str = "sequence_regressor",
    **stack_kwargs: Any,
) -> keras.Model:
    """Build a recurrent regressor: one vector of real numbers per sequence.

    Layers: input "features" ``(batch, timesteps, n_features)``, then
    ``recurrent_stack`` ("rnn_0", "rnn_1", ...), then a linear ``Dense`` named
    "prediction" giving ``(batch, n_outputs)``. Train with a loss such as
    ``"mse"``. For several future steps of a time series see
    ``build_forecaster``.

    Args:
        timesteps: Sequence length, or None for variable length.
        n_features: Features per step, a positive integer.
        n_outputs: Number of predicted values. Defaults to 1.
        {stack_args}
        name: Name of the model. Defaults to ``"sequence_regressor"``.

    Returns:
        An uncompiled Functional ``keras.Model``.

    Raises:
        ValueError: If a shape or hyperparameter is out of range or unknown.
        TypeError: If an argument has the wrong type.

    Example:
        >>> model = build_sequence_regressor(5, 3, n_outputs=2, units=4)
        >>> model.input_shape, model.output_shape
        ((None, 5, 3), (None, 2))
        >>> [layer.name for layer in model.layers]
        ['features', 'rnn_0', 'prediction']
    """
    timesteps = check_int(timesteps, "timesteps", minimum=1, allow_none=True)
    n_features = check_int(n_features, "n_features", minimum=1)
    n_outputs = check_int(n_outputs, "n_outputs", minimum=1)
    stack = _stack_config(**stack_options(build_sequence_regressor, stack_kwargs))
    check_type(name, "name", str, "a string")

    inputs = _sequence_input(timesteps, n_features, None)
    x = _apply_stack(
        inputs, stack, return_sequences=False, return_state=False, name="rnn"
    )
    outputs = keras.layers.Dense(n_outputs, name="prediction", dtype="float32")(x)
    return keras.Model(inputs, outputs, name=name)
