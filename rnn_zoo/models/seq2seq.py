"""Encoder-decoder (seq2seq) models with optional Bahdanau or Luong attention.

API::

    model = build_seq2seq(src_vocab_size, tgt_vocab_size, *, embedding_dim=32,
                          units=64, cell="gru", encoder_bidirectional=True,
                          attention="bahdanau", attention_score="general",
                          attention_units=None, wiring="luong", dropout=0.0,
                          name="seq2seq")
    # inputs  {"source": (batch, S) int ids, "target_in": (batch, T) int ids}
    # output  logits (batch, T, tgt_vocab_size), padded steps masked
    inference = build_inference_models(model)   # -> Seq2SeqInference
    outputs, *states = inference.encoder(source_ids)
    logits, weights, *states = inference.decoder_step(
        [token_ids (batch, 1), outputs, source_mask (batch, S) bool, *states])
    # (no `weights` output when the model has no attention)

The training model reads the whole target at once (teacher forcing): ``target_in``
is the start id followed by the target ids, and the model is trained to predict the
target ids followed by the end id (``Seq2SeqTranslator.teacher_forcing`` builds
both). Id 0 is padding in both vocabularies: the embeddings mask it, so the
encoder skips padded source steps, attention gives them weight 0, and a Keras loss
skips padded target steps.

Layers, all named (inference code finds them with ``model.get_layer(name)``):

- ``"source"`` and ``"target_in"``: the two ``Input`` layers.
- ``"source_embedding"``, ``"target_embedding"``: ``Embedding(mask_zero=True)``.
- ``"encoder_0"``: the encoder ``GRU``/``LSTM`` (a ``Bidirectional`` wrapper when
  ``encoder_bidirectional``), built by ``recurrent_stack(name="encoder")``; then
  ``"encoder_dropout_0"`` when ``dropout > 0``.
- ``"encoder_state_h"`` (and ``"encoder_state_c"`` for an LSTM): bidirectional
  only, ``Concatenate`` of the forward and backward final states, which become the
  decoder's initial state. The decoder is therefore twice as wide as ``units``
  when the encoder is bidirectional (``decoder_units = 2 * units``).
- ``"decoder"``: with ``wiring="luong"`` (or no attention) a ``GRU``/``LSTM``
  returning sequences and states; with ``wiring="bahdanau"`` an
  ``AttentiveDecoder`` (``keras.layers.RNN`` over an ``AttentiveCell`` that holds
  the ``"attention"`` layer), output ``[s_t; c_t]``.
- ``wiring="luong"`` with attention: ``"attention"`` (``BahdanauAttention`` or
  ``LuongAttention``; queries are the decoder outputs, keys and values the
  encoder outputs) and ``"attention_concat"``.
- With attention (either wiring): ``"attention_vector"`` (``Dense(tanh)`` of
  ``[s_t; c_t]``: Luong's attentional hidden state, a one-layer version of
  Bahdanau's deep output).
- ``"decoder_dropout"`` when ``dropout > 0``, and ``"logits"``: ``Dense``.

Two separate choices (``attention`` picks the *score*, ``wiring`` picks *where*
the context enters):

=====================  =======================================  ================
``wiring``             query of step ``t``; where ``c_t`` goes  recurrent kernel
=====================  =======================================  ================
``"luong"`` (default)  the current output ``s_t`` of the        fused (cuDNN on
                       decoder RNN; ``c_t`` is concatenated      a GPU) for the
                       *after* the RNN (Luong et al. 2015)       encoder and the
                                                                 decoder
``"bahdanau"``         the previous state ``s_{t-1}``;          fused encoder;
                       ``c_t`` joins the RNN's *input*          the decoder is a
                       ``[y_{t-1}; c_t]`` (Bahdanau et al.      step loop (never
                       2015)                                     fused)
=====================  =======================================  ================

The default stays ``wiring="luong"``: it is what this package built before the
``wiring`` argument existed (so ``attention="bahdanau"`` alone still means the
additive score with Luong's wiring, and models saved earlier load unchanged), and
it keeps the fused decoder. Loading never depends on these defaults: a ``.keras``
file stores its layers.
"""

from __future__ import annotations

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
from rnn_zoo.models.attention import (
    LUONG_SCORES,
    AttentiveDecoder,
    make_attention,
)
from rnn_zoo.models.recurrent import CELLS, recurrent_stack

__all__ = [
    "ATTENTION_KINDS",
    "WIRINGS",
    "Seq2SeqInference",
    "build_seq2seq",
    "build_inference_models",
]

ATTENTION_KINDS = ("bahdanau", "luong", None)
SEQ2SEQ_CELLS = ("gru", "lstm")
WIRINGS = ("luong", "bahdanau")


def _check_attention(attention: Any) -> str | None:
    if isinstance(attention, str) and attention.lower() == "none":
        return None
    return check_one_of(attention, "attention", ATTENTION_KINDS)


def build_seq2seq(
    src_vocab_size: int,
    tgt_vocab_size: int,
    *,
    embedding_dim: int = 32,
    units: int = 64,
    cell: str = "gru",
    encoder_bidirectional: bool = True,
    attention: str | None = "bahdanau",
    attention_score: str = "general",
    attention_units: int | None = None,
    wiring: str = "luong",
    dropout: float = 0.0,
    name: str = "seq2seq",
) -> keras.Model:
    """Build the teacher-forcing training model of an encoder-decoder.

    See the module docstring for the layer names and the wiring. Train it with
    ``SparseCategoricalCrossentropy(from_logits=True)`` on the shifted targets;
    decode with ``build_inference_models`` and ``rnn_zoo.inference.decoding``.

    Args:
        src_vocab_size: Number of source token ids (padding and unknown
            included), at least 3.
        tgt_vocab_size: Number of target token ids, at least 5 (padding,
            unknown, start, end and one real token).
        embedding_dim: Width of both embeddings. Defaults to 32.
        units: Width of the encoder RNN (per direction). Defaults to 64.
        cell: ``"gru"`` (default) or ``"lstm"``, for encoder and decoder.
        encoder_bidirectional: Whether the encoder reads both ways. Defaults to
            True.
        attention: The score: ``"bahdanau"`` (additive, default),
            ``"luong"`` (multiplicative) or None (the plain encoder-decoder:
            the decoder sees the source only through its initial state). The
            string ``"none"`` means None.
        attention_score: The Luong score, ``"dot"``, ``"general"`` (default) or
            ``"concat"``; ignored otherwise.
        attention_units: Hidden width of the additive score (Bahdanau, Luong
            ``"concat"``); None (default) uses the decoder width.
        wiring: Where attention enters the decoder (see the module
            docstring): ``"luong"`` (default; query = current decoder output,
            context after the RNN, fused decoder) or ``"bahdanau"`` (query =
            previous decoder state, context in the RNN's input, step loop).
            Ignored when ``attention`` is None.
        dropout: Dropout rate after the encoder and before the logits, in
            ``[0, 1)``. Defaults to 0.0.
        name: Model name. Defaults to ``"seq2seq"``.

    Returns:
        An uncompiled ``keras.Model`` with inputs ``[source, target_in]`` (int
        ids, any lengths) and output logits ``(batch, T, tgt_vocab_size)``.

    Raises:
        ValueError: If a size is out of range or ``cell``, ``attention``,
            ``attention_score`` or ``wiring`` is unknown.
        TypeError: If an argument has the wrong type.

    Example:
        >>> model = build_seq2seq(20, 15, embedding_dim=8, units=16)
        >>> [tuple(t.shape) for t in model.inputs], tuple(model.output.shape)
        ([(None, None), (None, None)], (None, None, 15))
        >>> model.get_layer("decoder").units  # 2 * units: bidirectional encoder
        32
        >>> bahdanau = build_seq2seq(20, 15, embedding_dim=8, units=16,
        ...                          wiring="bahdanau")
        >>> type(bahdanau.get_layer("decoder")).__name__
        'AttentiveDecoder'
        >>> build_seq2seq(20, 15, attention="multihead")
        Traceback (most recent call last):
        ...
        ValueError: `attention` must be one of 'bahdanau', 'luong', None. ...
    """
    src_vocab_size = check_int(src_vocab_size, "src_vocab_size", minimum=3)
    tgt_vocab_size = check_int(tgt_vocab_size, "tgt_vocab_size", minimum=5)
    embedding_dim = check_int(embedding_dim, "embedding_dim", minimum=1)
    units = check_int(units, "units", minimum=1)
    cell = check_one_of(cell, "cell", SEQ2SEQ_CELLS)
    check_type(
        encoder_bidirectional, "encoder_bidirectional", bool, "a bool (True or False)"
    )
    attention = _check_attention(attention)
    attention_score = check_one_of(attention_score, "attention_score", LUONG_SCORES)
    attention_units = check_int(
        attention_units, "attention_units", minimum=1, allow_none=True
    )
    wiring = check_one_of(wiring, "wiring", WIRINGS)
    dropout = check_float(dropout, "dropout", low=0.0, high=1.0, high_inclusive=False)
    check_type(name, "name", str, "a string")

    source = keras.Input((None,), dtype="int32", name="source")
    target_in = keras.Input((None,), dtype="int32", name="target_in")
    x = keras.layers.Embedding(
        src_vocab_size, embedding_dim, mask_zero=True, name="source_embedding"
    )(source)
    encoder_outputs, states = recurrent_stack(
        x,
        cell=cell,
        units=units,
        bidirectional=encoder_bidirectional,
        dropout=dropout,
        return_sequences=True,
        return_state=True,
        name="encoder",
    )
    if encoder_bidirectional:
        half = len(states) // 2  # forward states, then backward states
        names = ["encoder_state_h", "encoder_state_c"][:half]
        states = [
            keras.layers.Concatenate(name=n)([fw, bw])
            for n, fw, bw in zip(names, states[:half], states[half:], strict=True)
        ]
    decoder_units = units * (2 if encoder_bidirectional else 1)

    y = keras.layers.Embedding(
        tgt_vocab_size, embedding_dim, mask_zero=True, name="target_embedding"
    )(target_in)
    if attention is not None and wiring == "bahdanau":
        # Bahdanau: attend with s_{t-1}, feed [y_{t-1}; c_t] to the cell.
        decoder = AttentiveDecoder(
            decoder_units,
            encoder_outputs.shape[-1],
            cell,
            attention,
            attention_score,
            attention_units,
            name="decoder",
        )
        y = decoder(y, encoder_outputs, states)  # [s_t; c_t]
    else:
        decoder = CELLS[cell](
            decoder_units, return_sequences=True, return_state=True, name="decoder"
        )
        y = decoder(y, initial_state=states)[0]
        if attention is not None:  # Luong: attend with s_t, after the RNN
            score_units = attention_units
            if attention == "bahdanau":
                score_units = attention_units or decoder_units
            layer = make_attention(attention, attention_score, score_units)
            context, _ = layer(y, encoder_outputs)
            y = keras.layers.Concatenate(name="attention_concat")([y, context])
    if attention is not None:
        y = keras.layers.Dense(
            decoder_units, activation="tanh", name="attention_vector"
        )(y)
    if dropout > 0:
        y = keras.layers.Dropout(dropout, name="decoder_dropout")(y)
    logits = keras.layers.Dense(tgt_vocab_size, name="logits", dtype="float32")(y)
    return keras.Model([source, target_in], logits, name=name)


@dataclass(frozen=True)
class Seq2SeqInference:
    """The inference models of a seq2seq training model; they share its weights.

    Attributes:
        encoder: ``keras.Model``: ``source (batch, S)`` ids ->
            ``[encoder_outputs (batch, S, width), *states]`` (the decoder's
            initial states, ``(batch, decoder_units)`` each).
        decoder_step: ``keras.Model``: ``[token (batch, 1), encoder_outputs,
            source_mask (batch, S) bool, *states]`` -> ``[logits (batch, 1,
            vocab), weights (batch, 1, S), *new_states]``; no ``weights`` output
            when ``has_attention`` is False.
        has_attention: Whether the model has an ``"attention"`` layer.
        num_states: 1 for a GRU decoder, 2 (``h``, ``c``) for an LSTM.
        src_vocab_size: ``input_dim`` of ``"source_embedding"``.
        tgt_vocab_size: Units of ``"logits"``.
        wiring: ``"luong"`` or ``"bahdanau"`` (see the module docstring); None
            without attention.
        attention_layer: The ``"attention"`` layer (a top-level layer for
            Luong's wiring, inside the decoder cell for Bahdanau's), or None.
    """

    encoder: keras.Model
    decoder_step: keras.Model
    has_attention: bool
    num_states: int
    src_vocab_size: int
    tgt_vocab_size: int
    wiring: str | None = None
    attention_layer: keras.layers.Layer | None = None


def _layer(model: keras.Model, name: str) -> keras.layers.Layer:
    try:
        return model.get_layer(name)
    except ValueError:
        raise ValueError(
            error_message(
                "model",
                f"a model from `build_seq2seq` (with a layer named {name!r})",
                model,
            )
        ) from None


def _has_layer(model: keras.Model, name: str) -> bool:
    return any(layer.name == name for layer in model.layers)


def build_inference_models(model: keras.Model) -> Seq2SeqInference:
    """Build the encoder and one-step decoder models of a ``build_seq2seq`` model.

    Layers are found by name (see the module docstring) and reused, so the new
    models share the training model's weights: training it later changes them too.
    Dropout layers are left out (inference). The decoder step carries the
    recurrent state explicitly, so decoding costs one step per output token.

    Args:
        model: A model from ``build_seq2seq`` (or loaded from its ``.keras``
            file).

    Returns:
        A ``Seq2SeqInference`` (encoder, decoder_step, has_attention, num_states,
        vocabulary sizes).

    Raises:
        TypeError: If ``model`` is not a ``keras.Model``.
        ValueError: If a layer ``build_seq2seq`` creates is missing.

    Example:
        >>> import numpy as np
        >>> model = build_seq2seq(20, 15, embedding_dim=8, units=4, cell="lstm")
        >>> inference = build_inference_models(model)
        >>> source = np.array([[5, 6, 7, 0]])
        >>> outputs, h, c = map(np.asarray, inference.encoder(source))
        >>> tuple(outputs.shape), tuple(h.shape), inference.num_states
        ((1, 4, 8), (1, 8), 2)
        >>> logits, weights, h, c = inference.decoder_step(
        ...     [np.array([[2]]), outputs, np.array([[1, 1, 1, 0]], bool), h, c])
        >>> tuple(logits.shape), np.asarray(weights)[0, 0, 3]
        ((1, 1, 15), np.float32(0.0))
    """
    check_type(model, "model", keras.Model, "a keras.Model")
    source = _layer(model, "source").output
    encoder_layer = _layer(model, "encoder_0")
    encoder_outputs, *states = encoder_layer.output
    if _has_layer(model, "encoder_state_h"):
        states = [model.get_layer("encoder_state_h").output]
        if _has_layer(model, "encoder_state_c"):
            states.append(model.get_layer("encoder_state_c").output)
    encoder = keras.Model(source, [encoder_outputs, *states], name="encoder")

    decoder = _layer(model, "decoder")
    width = encoder_outputs.shape[-1]
    token = keras.Input((1,), dtype="int32", name="token")
    keys = keras.Input((None, width), name="encoder_outputs")
    source_mask = keras.Input((None,), dtype="bool", name="source_mask")
    state_inputs = [
        keras.Input((decoder.units,), name=f"state_{i}") for i in range(len(states))
    ]
    y = _layer(model, "target_embedding")(token)
    outputs, attention, wiring = [], None, None
    if isinstance(decoder, AttentiveDecoder):  # one step of the cell itself
        attention, wiring = decoder.cell.attention, "bahdanau"
        mask = keras.ops.cast(source_mask, keys.dtype)
        y, weights, new_states = decoder.cell(
            y[:, 0], [*state_inputs, keys, mask], return_attention=True
        )
        y, weights = y[:, None], weights[:, None]
    else:
        y, *new_states = decoder(y, initial_state=state_inputs)
        if _has_layer(model, "attention"):
            attention, wiring = model.get_layer("attention"), "luong"
            context, weights = attention(y, keys, keys_mask=source_mask)
            y = _layer(model, "attention_concat")([y, context])
    if attention is not None:
        y = _layer(model, "attention_vector")(y)
        outputs.append(weights)
    logits = _layer(model, "logits")(y)
    decoder_step = keras.Model(
        [token, keys, source_mask, *state_inputs],
        [logits, *outputs, *new_states],
        name="decoder_step",
    )
    return Seq2SeqInference(
        encoder=encoder,
        decoder_step=decoder_step,
        has_attention=attention is not None,
        num_states=len(states),
        src_vocab_size=int(_layer(model, "source_embedding").input_dim),
        tgt_vocab_size=int(_layer(model, "logits").units),
        wiring=wiring,
        attention_layer=attention,
    )
