"""Bahdanau (additive) and Luong (multiplicative) attention as Keras layers.

API (both layers)::

    layer = BahdanauAttention(units)                       # v^T tanh(W_q q + W_k k)
    layer = LuongAttention(score="dot" | "general" | "concat", units=None)
    context, weights = layer(query, keys, keys_mask=None)

- ``query``: ``(batch, T_q, d_q)`` (one query per decoder step) or ``(batch, d_q)``
  (a single step; the outputs then lose the ``T_q`` axis as well).
- ``keys``: ``(batch, T_k, d_k)``, e.g. the encoder outputs. They are also the
  values: ``context = weights @ keys``.
- ``keys_mask``: optional boolean ``(batch, T_k)``, True for real positions.
  Padded (False) positions get a weight of exactly 0. It can be passed
  explicitly or, in a Functional model, comes from Keras masking: when ``keys``
  carries a mask (e.g. from ``Embedding(mask_zero=True)`` through an RNN), Keras
  fills ``keys_mask`` in by itself. A mask on ``query`` is passed on to both
  outputs, so a loss on later layers skips padded decoder steps.
- Returns ``context`` ``(batch, T_q, d_k)`` and ``weights`` ``(batch, T_q, T_k)``;
  each row of ``weights`` sums to 1 (a row whose keys are all masked is all 0).

Scores, for a query ``q`` and a key ``k``:

=================  ==========================================  ================
layer              score(q, k)                                 weights
=================  ==========================================  ================
Bahdanau           ``v^T tanh(W_q q + W_k k)``                 ``W_q (d_q, units)``,
                                                               ``W_k (d_k, units)``,
                                                               ``v (units,)``
Luong "dot"        ``q . k`` (needs ``d_q == d_k``)            none
Luong "general"    ``q^T W k``                                 ``W (d_q, d_k)``
Luong "concat"     ``v^T tanh(W [q; k])``, written as           as Bahdanau,
                   ``v^T tanh(W_q q + W_k k)``                  ``units`` default
                                                               ``d_k``
=================  ==========================================  ================

``keras.layers.AdditiveAttention`` scores ``sum(tanh(q + k))`` with no learned
projections, which is not Bahdanau's model; that is why these layers exist. Both are
registered under the package name ``"rnn_zoo"``, so models using them reload with
``rnn_zoo.models.load_model`` (safe mode, no ``custom_objects``).
"""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from rnn_zoo._validation import check_int, check_one_of, error_message

__all__ = [
    "AttentiveCell",
    "AttentiveDecoder",
    "BahdanauAttention",
    "LuongAttention",
    "LUONG_SCORES",
    "make_attention",
]

LUONG_SCORES = ("dot", "general", "concat")
_NEG_INF = -1e9


class _Attention(keras.layers.Layer):
    """Shared masking, softmax and weighted sum; subclasses define ``_scores``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True

    def _scores(self, query: Any, keys: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def call(self, query: Any, keys: Any, keys_mask: Any = None) -> tuple[Any, Any]:
        single_step = len(query.shape) == 2
        if single_step:
            query = ops.expand_dims(query, 1)
        scores = self._scores(query, keys)  # (batch, T_q, T_k)
        if keys_mask is not None:
            valid = ops.expand_dims(ops.cast(keys_mask, "bool"), 1)
            scores = ops.where(valid, scores, ops.cast(_NEG_INF, scores.dtype))
            weights = ops.softmax(scores, axis=-1)
            # exp(-1e9 - max) underflows to 0 already; the product makes it exact
            # and zeroes the rows whose keys are all masked.
            weights = weights * ops.cast(valid, weights.dtype)
        else:
            weights = ops.softmax(scores, axis=-1)
        context = ops.matmul(weights, keys)
        if single_step:
            context, weights = context[:, 0], weights[:, 0]
        return context, weights

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        # `previous_mask` is the query's mask; both outputs follow the query steps.
        return [previous_mask, previous_mask]


def _additive_weights(layer: keras.layers.Layer, d_q: int, d_k: int, units: int):
    layer.query_kernel = layer.add_weight(
        shape=(d_q, units), initializer="glorot_uniform", name="query_kernel"
    )
    layer.key_kernel = layer.add_weight(
        shape=(d_k, units), initializer="glorot_uniform", name="key_kernel"
    )
    layer.score_vector = layer.add_weight(
        shape=(units,), initializer="glorot_uniform", name="score_vector"
    )


def _additive_scores(layer: keras.layers.Layer, query: Any, keys: Any) -> Any:
    q = ops.matmul(query, layer.query_kernel)[:, :, None, :]  # (b, T_q, 1, u)
    k = ops.matmul(keys, layer.key_kernel)[:, None, :, :]  # (b, 1, T_k, u)
    return ops.sum(ops.tanh(q + k) * layer.score_vector, axis=-1)


@keras.saving.register_keras_serializable(package="rnn_zoo")
class BahdanauAttention(_Attention):
    """Additive attention (Bahdanau et al., 2015): ``v^T tanh(W_q q + W_k k)``.

    See the module docstring for the call signature, shapes and masking.

    Args:
        units: Width of the hidden layer of the score (the columns of ``W_q`` and
            ``W_k``, the length of ``v``).
        **kwargs: Standard layer arguments (``name``, ``dtype``).

    Raises:
        ValueError / TypeError: If ``units`` is not a positive integer.

    Example:
        >>> import numpy as np
        >>> layer = BahdanauAttention(4)
        >>> query, keys = np.ones((2, 3, 5)), np.ones((2, 6, 7))
        >>> mask = np.array([[True] * 6, [True] * 2 + [False] * 4])
        >>> context, weights = layer(query, keys, keys_mask=mask)
        >>> tuple(context.shape), tuple(weights.shape)
        ((2, 3, 7), (2, 3, 6))
        >>> np.asarray(weights)[1, 0].round(3).tolist()  # equal keys, 2 unmasked
        [0.5, 0.5, 0.0, 0.0, 0.0, 0.0]
    """

    def __init__(self, units: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.units = check_int(units, "units", minimum=1)

    def build(self, query_shape: Any, keys_shape: Any) -> None:
        _additive_weights(self, query_shape[-1], keys_shape[-1], self.units)

    def _scores(self, query: Any, keys: Any) -> Any:
        return _additive_scores(self, query, keys)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="rnn_zoo")
class LuongAttention(_Attention):
    """Multiplicative attention (Luong et al., 2015) with three score functions.

    ``"dot"``: ``q . k``; ``"general"``: ``q^T W k``; ``"concat"``:
    ``v^T tanh(W [q; k])``. See the module docstring for shapes and masking.

    Args:
        score: ``"dot"``, ``"general"`` (default) or ``"concat"``.
        units: Hidden width of the ``"concat"`` score; None (default) uses the
            key width. Must be None for the other scores.
        **kwargs: Standard layer arguments (``name``, ``dtype``).

    Raises:
        ValueError: If ``score`` is unknown, ``units`` is given for a score that
            has no hidden layer, or (when built) ``"dot"`` gets query and key
            widths that differ.

    Example:
        >>> import numpy as np
        >>> query = np.array([[[1.0, 0.0]]])  # (batch 1, one step, width 2)
        >>> keys = np.array([[[1.0, 0.0], [0.0, 1.0]]])  # two keys
        >>> _, weights = LuongAttention("dot")(query, keys)
        >>> np.asarray(weights).round(4).tolist()  # softmax([1, 0])
        [[[0.7311, 0.2689]]]
        >>> LuongAttention("cosine")
        Traceback (most recent call last):
        ...
        ValueError: `score` must be one of 'dot', 'general', 'concat'. Received: score='cosine'
    """  # noqa: E501

    def __init__(
        self, score: str = "general", units: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.score = check_one_of(score, "score", LUONG_SCORES)
        self.units = check_int(units, "units", minimum=1, allow_none=True)
        if self.units is not None and self.score != "concat":
            raise ValueError(
                error_message(
                    "units",
                    f"None when score={self.score!r} (only 'concat' has a hidden "
                    "layer)",
                    units,
                )
            )

    def build(self, query_shape: Any, keys_shape: Any) -> None:
        d_q, d_k = query_shape[-1], keys_shape[-1]
        if self.score == "dot" and d_q != d_k:
            raise ValueError(
                error_message(
                    "score",
                    "'general' or 'concat' when the query and key widths differ "
                    f"(query width {d_q}, key width {d_k}); 'dot' needs equal widths",
                    self.score,
                )
            )
        if self.score == "general":
            self.kernel = self.add_weight(
                shape=(d_q, d_k), initializer="glorot_uniform", name="kernel"
            )
        elif self.score == "concat":
            _additive_weights(self, d_q, d_k, self.units or d_k)

    def _scores(self, query: Any, keys: Any) -> Any:
        if self.score == "concat":
            return _additive_scores(self, query, keys)
        if self.score == "general":
            query = ops.matmul(query, self.kernel)
        return ops.matmul(query, ops.transpose(keys, (0, 2, 1)))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "score": self.score, "units": self.units}


def _rnn_cell(cell: str, units: int) -> keras.layers.Layer:
    if cell == "gru":
        return keras.layers.GRUCell(units, name="cell")
    return keras.layers.LSTMCell(units, name="cell")


def make_attention(
    attention: str, score: str = "general", units: int | None = None
) -> _Attention:
    """The attention layer of a score kind, named ``"attention"`` (``build_seq2seq``).

    Args:
        attention: ``"bahdanau"`` (additive score) or ``"luong"`` (multiplicative).
        score: The Luong score, ``"dot"``, ``"general"`` (default) or
            ``"concat"``; ignored for ``"bahdanau"``.
        units: Hidden width of an additive score (Bahdanau, Luong ``"concat"``).
            Required for ``"bahdanau"``; None gives Luong ``"concat"`` the key
            width.

    Returns:
        A ``BahdanauAttention`` or ``LuongAttention`` named ``"attention"``.

    Raises:
        ValueError: If ``attention`` or ``score`` is unknown, or ``units`` is
            missing for ``"bahdanau"``.

    Example:
        >>> type(make_attention("luong", "dot")).__name__
        'LuongAttention'
        >>> make_attention("bahdanau", units=8).units
        8
    """
    attention = check_one_of(attention, "attention", ("bahdanau", "luong"))
    if attention == "bahdanau":
        if units is None:
            raise ValueError(
                error_message("units", "a positive integer for 'bahdanau'", units)
            )
        return BahdanauAttention(units, name="attention")
    score = check_one_of(score, "score", LUONG_SCORES)
    return LuongAttention(score, units if score == "concat" else None, name="attention")


@keras.saving.register_keras_serializable(package="rnn_zoo")
class AttentiveCell(keras.layers.Layer):
    """A GRU/LSTM cell that attends before it steps (Bahdanau et al. 2015 wiring).

    At decoder step ``i``, with previous state ``s_{i-1}`` (``h`` for an LSTM)::

        weights_i = softmax_j score(s_{i-1}, k_j)     # over unmasked j only
        context_i = sum_j weights_i[j] * k_j
        s_i       = cell([y_{i-1}; context_i], s_{i-1})
        output_i  = [s_i; context_i]

    so the query is the *previous* state and the context enters the RNN's input.
    Keras 3's ``keras.layers.RNN`` has no ``constants`` argument, so the encoder
    outputs ``keys (batch, S, key_dim)`` and the float source mask ``(batch, S)``
    (1 for real positions) ride along as the last two states and are returned
    unchanged. Use it through ``AttentiveDecoder``; call it directly (one step)
    with ``return_attention=True`` to also get the weights.

    Args:
        units: Width of the recurrent state.
        key_dim: Width of the keys (the encoder outputs).
        cell: ``"gru"`` (default) or ``"lstm"``.
        attention: ``"bahdanau"`` (additive score, default) or ``"luong"``.
        attention_score: Luong score (``"dot"``, ``"general"``, ``"concat"``).
        attention_units: Hidden width of an additive score; None uses ``units``
            (Bahdanau) or ``key_dim`` (Luong ``"concat"``).
        **kwargs: Standard layer arguments.

    Raises:
        ValueError / TypeError: For a bad size or an unknown name.

    Example:
        >>> import numpy as np
        >>> cell = AttentiveCell(4, key_dim=6)
        >>> keys, mask = np.ones((2, 3, 6), "float32"), np.array([[1, 1, 0]] * 2)
        >>> out, weights, states = cell(np.ones((2, 5)), [np.zeros((2, 4)), keys,
        ...                             mask.astype("float32")], return_attention=True)
        >>> tuple(out.shape), np.asarray(weights)[0].round(2).tolist()
        ((2, 10), [0.5, 0.5, 0.0])
    """

    def __init__(
        self,
        units: int,
        key_dim: int,
        cell: str = "gru",
        attention: str = "bahdanau",
        attention_score: str = "general",
        attention_units: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.units = check_int(units, "units", minimum=1)
        self.key_dim = check_int(key_dim, "key_dim", minimum=1)
        self.cell_kind = check_one_of(cell, "cell", ("gru", "lstm"))
        self.attention_kind = check_one_of(
            attention, "attention", ("bahdanau", "luong")
        )
        self.attention_score = check_one_of(
            attention_score, "attention_score", LUONG_SCORES
        )
        self.attention_units = check_int(
            attention_units, "attention_units", minimum=1, allow_none=True
        )
        self.cell = _rnn_cell(self.cell_kind, self.units)
        self.attention = make_attention(
            self.attention_kind,
            self.attention_score,
            self.attention_units or (self.units if attention == "bahdanau" else None),
        )
        self.num_states = 2 if self.cell_kind == "lstm" else 1
        # The last two "sizes" describe the keys and the mask, which are not
        # (batch, size) states; keras.layers.RNN only reads them for
        # `return_state`, which AttentiveDecoder does not use.
        self.state_size = [self.units] * self.num_states + [self.key_dim, 1]
        self.output_size = self.units + self.key_dim

    def build(self, input_shape: Any) -> None:
        self.cell.build((input_shape[0], input_shape[-1] + self.key_dim))
        self.attention.build((None, self.units), (None, None, self.key_dim))
        self.built = True

    def call(
        self, inputs: Any, states: Any, training: Any = None, return_attention=False
    ) -> Any:
        *recurrent, keys, mask = states
        context, weights = self.attention(
            recurrent[0], keys, keys_mask=ops.cast(mask, "bool")
        )
        x = ops.concatenate([inputs, context], axis=-1)
        h, new_states = self.cell(x, list(recurrent), training=training)
        new_states = list(new_states)
        output = ops.concatenate([h, context], axis=-1)
        if return_attention:
            return output, weights, new_states
        return output, [*new_states, keys, mask]

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            "key_dim": self.key_dim,
            "cell": self.cell_kind,
            "attention": self.attention_kind,
            "attention_score": self.attention_score,
            "attention_units": self.attention_units,
        }


@keras.saving.register_keras_serializable(package="rnn_zoo")
class AttentiveDecoder(keras.layers.Layer):
    """``keras.layers.RNN`` over an ``AttentiveCell``: a Bahdanau-wired decoder.

    ``decoder(inputs, keys, initial_state)`` runs the whole target sequence
    ``inputs (batch, T, d)`` and returns ``(batch, T, units + key_dim)``
    (``[s_i; context_i]`` per step). ``keys`` is ``(batch, S, key_dim)``;
    ``keys_mask`` (True = real position) comes from Keras masking when ``keys``
    carries a mask, or can be passed; ``initial_state`` is the list of ``[h]``
    (GRU) or ``[h, c]`` (LSTM). The loop is ``keras.layers.RNN``'s symbolic
    loop, never the fused cuDNN kernel: the attention runs inside every step.

    Args:
        units, key_dim, cell, attention, attention_score, attention_units: As
            ``AttentiveCell``.
        **kwargs: Standard layer arguments.

    Raises:
        ValueError / TypeError: As ``AttentiveCell``.

    Example:
        >>> import numpy as np
        >>> decoder = AttentiveDecoder(4, key_dim=6, cell="lstm")
        >>> out = decoder(np.ones((2, 7, 5)), np.ones((2, 3, 6)),
        ...               [np.zeros((2, 4)), np.zeros((2, 4))])
        >>> tuple(out.shape)
        (2, 7, 10)
    """

    def __init__(
        self,
        units: int,
        key_dim: int,
        cell: str = "gru",
        attention: str = "bahdanau",
        attention_score: str = "general",
        attention_units: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.cell = AttentiveCell(
            units,
            key_dim,
            cell,
            attention,
            attention_score,
            attention_units,
            name="attentive_cell",
        )
        self.rnn = keras.layers.RNN(self.cell, return_sequences=True, name="rnn")
        self.supports_masking = True

    @property
    def units(self) -> int:
        """Width of the recurrent state."""
        return self.cell.units

    def build(
        self, inputs_shape: Any, keys_shape: Any = None, initial_state_shape: Any = None
    ) -> None:
        self.cell.build((inputs_shape[0], inputs_shape[-1]))
        self.rnn.built = True
        self.built = True

    def call(
        self,
        inputs: Any,
        keys: Any,
        initial_state: Any,
        inputs_mask: Any = None,
        keys_mask: Any = None,
        training: Any = None,
    ) -> Any:
        if keys_mask is None:
            keys_mask = ops.ones(ops.shape(keys)[:2], dtype="bool")
        mask = ops.cast(keys_mask, keys.dtype)
        return self.rnn(
            inputs,
            initial_state=[*initial_state, keys, mask],
            mask=inputs_mask,
            training=training,
        )

    def get_config(self) -> dict[str, Any]:
        config = self.cell.get_config()
        keep = ("units", "key_dim", "cell", "attention", "attention_score")
        return {
            **super().get_config(),
            **{k: config[k] for k in keep},
            "attention_units": config["attention_units"],
        }
