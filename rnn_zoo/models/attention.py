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

__all__ = ["BahdanauAttention", "LuongAttention", "LUONG_SCORES"]

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
