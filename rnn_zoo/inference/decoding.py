"""Greedy and beam-search decoding of a seq2seq model, with attention weights.

API::

    result = greedy_decode(model_or_inference, source_ids, *, start_id, end_id,
                           max_length)
    result = beam_search_decode(model_or_inference, source_ids, *, start_id,
                                end_id, max_length, beam_width=4,
                                length_penalty=0.0)
    scores = sequence_log_prob(model_or_inference, source_ids, outputs, *,
                               start_id, end_id)

``model_or_inference`` is a ``build_seq2seq`` model or the ``Seq2SeqInference``
that ``build_inference_models`` made from it (pass that when decoding many
batches, to build the inference models once). ``source_ids`` is an int array
``(batch, S)``, padded with 0 at the end. Both decoders return a ``Decoded``:

- ``tokens``: one int array per example, the output ids without the end id;
- ``scores``: ``(batch,)`` float64, the model's log-probability of each output,
  end id included when it was produced (``sequence_log_prob`` of the output);
- ``attention``: one float32 array per example of shape ``(len(tokens),
  n_source)``, row ``i`` the attention over the real (non-padding) source
  positions when the ``i``-th output token was predicted; None without
  attention;
- ``finished``: ``(batch,)`` bool, whether the end id was produced within
  ``max_length`` steps.

Padding (id 0) and the start id are never produced. Decoding stops when every
example has produced the end id, or after ``max_length`` steps (an output has at
most ``max_length`` tokens, its end id included when it finished). Beam search
ranks hypotheses by ``score / lp(length)`` with the GNMT length penalty
``lp(n) = ((5 + n) / 6) ** length_penalty`` (0 = plain
log-probability) and always keeps the greedy output as a candidate, so it never
returns a lower-ranked output than ``greedy_decode``; with ``beam_width=1`` it
returns exactly the greedy output.

Each decoder step (the one-step decoder model plus a log-softmax) runs as one
compiled TensorFlow graph function, traced once per model; the beam bookkeeping
(top-k, reordering the beams' states) is NumPy on small arrays.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np

from rnn_zoo._validation import check_float, check_int, error_message
from rnn_zoo.models.seq2seq import Seq2SeqInference, build_inference_models

__all__ = ["Decoded", "greedy_decode", "beam_search_decode", "sequence_log_prob"]

_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Decoded:
    """Outputs of ``greedy_decode`` / ``beam_search_decode`` (see module docstring).

    Attributes:
        tokens: One int64 array of output ids per example, without the end id.
        scores: ``(batch,)`` float64 log-probabilities of the outputs.
        attention: One ``(len(tokens[i]), n_source_i)`` float32 array per
            example, or None when the model has no attention.
        finished: ``(batch,)`` bool, True where the end id was produced.
    """

    tokens: list[np.ndarray]
    scores: np.ndarray
    attention: list[np.ndarray] | None
    finished: np.ndarray


def _inference(model: Any) -> Seq2SeqInference:
    if isinstance(model, Seq2SeqInference):
        return model
    if isinstance(model, keras.Model):
        return build_inference_models(model)
    raise TypeError(
        error_message(
            "model",
            "a `build_seq2seq` model or a `Seq2SeqInference` from "
            "`build_inference_models`",
            model,
        )
    )


def _compiled(inference: Seq2SeqInference) -> tuple[Callable, Callable]:
    """The encoder and one decoder step as graph functions (built once per model)."""
    cached = _COMPILED.get(inference.decoder_step)
    if cached is not None:
        return cached
    import tensorflow as tf  # graph functions only; no TF1 / compat APIs

    encoder, decoder_step = inference.encoder, inference.decoder_step
    n_states, has_attention = inference.num_states, inference.has_attention
    # Fixed signatures with unknown batch and source lengths: one trace per model.
    width = decoder_step.inputs[1].shape[-1]
    state_specs = [tf.TensorSpec([None, s.shape[-1]]) for s in decoder_step.inputs[3:]]

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.int32)])
    def encode(source):
        return encoder(source, training=False)

    @tf.function(
        input_signature=[
            tf.TensorSpec([None, 1], tf.int32),
            tf.TensorSpec([None, None, width]),
            tf.TensorSpec([None, None], tf.bool),
            state_specs,
        ]
    )
    def step(token, keys, mask, states):
        out = decoder_step([token, keys, mask, *states], training=False)
        log_probs = keras.ops.log_softmax(out[0][:, 0], axis=-1)
        weights = out[1][:, 0] if has_attention else keras.ops.zeros_like(mask)
        return log_probs, weights, out[len(out) - n_states :]

    _COMPILED[inference.decoder_step] = (encode, step)
    return encode, step


def _check_source(source_ids: Any, vocab_size: int) -> np.ndarray:
    allowed = "a 2-D array of int ids (batch, source_length), padded with 0"
    array = np.asarray(source_ids)
    if array.dtype.kind not in "iu":
        raise TypeError(error_message("source_ids", allowed, source_ids))
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(error_message("source_ids", allowed, source_ids))
    bad = np.argwhere((array < 0) | (array >= vocab_size))
    if bad.size:
        i, j = (int(v) for v in bad[0])
        raise ValueError(
            f"`source_ids` must hold ids in [0, {vocab_size}) (the model's source "
            f"vocabulary). Received: source_ids[{i}, {j}]={int(array[i, j])}"
        )
    empty = np.flatnonzero(~(array != 0).any(axis=1))
    if empty.size:
        i = int(empty[0])
        raise ValueError(
            f"`source_ids[{i}]` must hold at least one non-padding id. Received: "
            f"source_ids[{i}]={array[i].tolist()}"
        )
    return array.astype("int32")


def _check_ids(inference: Seq2SeqInference, start_id: Any, end_id: Any) -> None:
    top = inference.tgt_vocab_size - 1
    start = check_int(start_id, "start_id", minimum=1, maximum=top)
    end = check_int(end_id, "end_id", minimum=1, maximum=top)
    if start == end:
        raise ValueError(error_message("end_id", "different from `start_id`", end_id))


def _checked(
    model: Any, source_ids: Any, start_id: Any, end_id: Any
) -> tuple[Seq2SeqInference, np.ndarray]:
    """The inference models and the validated source ids (and start/end ids)."""
    inference = _inference(model)
    source = _check_source(source_ids, inference.src_vocab_size)
    _check_ids(inference, start_id, end_id)
    return inference, source


def _encode(inference, source_ids):
    encode, step = _compiled(inference)
    keys, *states = encode(source_ids)
    return step, keys, source_ids != 0, states


def _banned(log_probs: np.ndarray, start_id: int) -> np.ndarray:
    log_probs = np.array(log_probs, dtype=np.float64)
    log_probs[..., [0, start_id]] = -np.inf  # never padding or the start token
    return log_probs


def _length_penalty(lengths: np.ndarray, alpha: float) -> np.ndarray:
    return ((5.0 + lengths) / 6.0) ** alpha


def _collect(tokens, attention, lengths, finished, scores, mask, has_attention):
    """Per-example outputs: drop the end id's step and padded source columns."""
    out_tokens, out_attention = [], []
    for i, n in enumerate(lengths):
        n = int(n) - int(finished[i])
        out_tokens.append(tokens[i, :n].astype(np.int64))
        out_attention.append(attention[i, :n][:, mask[i]].astype(np.float32))
    return Decoded(
        tokens=out_tokens,
        scores=np.asarray(scores, dtype=np.float64),
        attention=out_attention if has_attention else None,
        finished=np.asarray(finished, dtype=bool),
    )


def greedy_decode(
    model: Any,
    source_ids: Any,
    *,
    start_id: int,
    end_id: int,
    max_length: int,
) -> Decoded:
    """Decode a batch by taking the most likely token at every step.

    Args:
        model: A ``build_seq2seq`` model, or its ``Seq2SeqInference``.
        source_ids: Int array ``(batch, S)`` of source ids, 0-padded at the end.
        start_id: The target start id fed at the first step.
        end_id: The target end id that finishes an output.
        max_length: Most decoding steps: an output has at most ``max_length``
            tokens, counting its end id when it finished.

    Returns:
        A ``Decoded`` (tokens, scores, attention, finished); see the module
        docstring.

    Raises:
        TypeError: If ``model`` is not a seq2seq model or ``source_ids`` is not
            an int array.
        ValueError: If ``source_ids`` is not 2-D, holds an id outside the source
            vocabulary or an all-padding row, or an id/length is out of range.

    Example:
        >>> from rnn_zoo.models.seq2seq import build_seq2seq
        >>> model = build_seq2seq(10, 8, embedding_dim=4, units=4)
        >>> result = greedy_decode(
        ...     model, np.array([[4, 5, 6], [7, 0, 0]]), start_id=2, end_id=3,
        ...     max_length=5)
        >>> [len(t) <= 5 for t in result.tokens], result.attention[1].shape[1]
        ([True, True], 1)
    """
    inference, source = _checked(model, source_ids, start_id, end_id)
    max_length = check_int(max_length, "max_length", minimum=1)
    step, keys, mask, states = _encode(inference, source)
    batch, n_source = source.shape
    tokens = np.zeros((batch, max_length), dtype=np.int64)
    attention = np.zeros((batch, max_length, n_source), dtype=np.float32)
    scores = np.zeros(batch)
    lengths = np.zeros(batch, dtype=np.int64)
    finished = np.zeros(batch, dtype=bool)
    token = np.full((batch, 1), start_id, dtype="int32")
    rows = np.arange(batch)
    for t in range(max_length):
        log_probs, weights, states = step(token, keys, mask, states)
        log_probs = _banned(log_probs, start_id)
        best = log_probs.argmax(axis=-1)
        alive = ~finished
        scores[alive] += log_probs[rows, best][alive]
        tokens[alive, t] = best[alive]
        attention[alive, t] = np.asarray(weights)[alive]
        lengths[alive] += 1
        finished |= alive & (best == end_id)
        if finished.all():
            break
        token = best.astype("int32")[:, None]
    return _collect(
        tokens, attention, lengths, finished, scores, mask, inference.has_attention
    )


def beam_search_decode(
    model: Any,
    source_ids: Any,
    *,
    start_id: int,
    end_id: int,
    max_length: int,
    beam_width: int = 4,
    length_penalty: float = 0.0,
) -> Decoded:
    """Decode a batch with beam search, keeping ``beam_width`` hypotheses each.

    A hypothesis that produced the end id keeps its score and its place in the
    beam; search stops when every beam of every example has finished (with
    ``length_penalty=0``, as soon as each example's best hypothesis has finished,
    since scores only fall), or after ``max_length`` tokens. The greedy output
    is a candidate too, so the result is never ranked below it.

    Args:
        model: A ``build_seq2seq`` model, or its ``Seq2SeqInference``.
        source_ids: Int array ``(batch, S)`` of source ids, 0-padded at the end.
        start_id: The target start id fed at the first step.
        end_id: The target end id that finishes an output.
        max_length: Most decoding steps: an output has at most ``max_length``
            tokens, counting its end id when it finished.
        beam_width: Hypotheses kept per example, a positive integer. 1 is
            greedy decoding. Defaults to 4.
        length_penalty: The GNMT exponent ``alpha >= 0`` of ``lp(n) = ((5 + n) /
            6) ** alpha``; hypotheses are ranked by ``score / lp(length)``.
            Larger values favour longer outputs. Defaults to 0.0 (rank by
            log-probability).

    Returns:
        A ``Decoded`` for the best-ranked hypothesis of each example; its
        ``scores`` are plain log-probabilities (no length penalty).

    Raises:
        TypeError / ValueError: As ``greedy_decode``; also if ``beam_width`` is
            not a positive integer or ``length_penalty`` is negative.

    Example:
        >>> from rnn_zoo.models.seq2seq import build_seq2seq
        >>> model = build_seq2seq(10, 8, embedding_dim=4, units=4)
        >>> source = np.array([[4, 5, 6], [7, 0, 0]])
        >>> beam = beam_search_decode(model, source, start_id=2, end_id=3,
        ...                           max_length=5, beam_width=3)
        >>> greedy = greedy_decode(model, source, start_id=2, end_id=3,
        ...                        max_length=5)
        >>> bool(np.all(beam.scores >= greedy.scores - 1e-9))
        True
        >>> beam_search_decode(model, source, start_id=2, end_id=3,
        ...                    max_length=5, beam_width=0)
        Traceback (most recent call last):
        ...
        ValueError: `beam_width` must be a positive integer. Received: beam_width=0
    """
    inference, source = _checked(model, source_ids, start_id, end_id)
    max_length = check_int(max_length, "max_length", minimum=1)
    width = check_int(beam_width, "beam_width", minimum=1)
    alpha = check_float(length_penalty, "length_penalty", low=0.0)
    greedy = greedy_decode(
        inference, source, start_id=start_id, end_id=end_id, max_length=max_length
    )
    if width == 1:
        return greedy

    step, keys, mask, states = _encode(inference, source)
    batch, n_source = source.shape

    def tile(x: Any) -> np.ndarray:
        return np.repeat(np.asarray(x), width, axis=0)

    keys, beam_mask, states = tile(keys), tile(mask), [tile(s) for s in states]
    scores = np.full((batch, width), -np.inf)
    scores[:, 0] = 0.0  # all beams start equal: expand only the first
    tokens = np.zeros((batch, width, max_length), dtype=np.int64)
    attention = np.zeros((batch, width, max_length, n_source), dtype=np.float32)
    lengths = np.zeros((batch, width), dtype=np.int64)
    finished = np.zeros((batch, width), dtype=bool)
    token = np.full((batch * width, 1), start_id, dtype="int32")
    rows = np.arange(batch)[:, None]
    for t in range(max_length):
        log_probs, weights, states = step(token, keys, beam_mask, states)
        log_probs = _banned(log_probs, start_id).reshape(batch, width, -1)
        vocab = log_probs.shape[-1]
        # A finished hypothesis continues only by "staying finished", at no cost.
        log_probs[finished] = -np.inf
        log_probs[finished, end_id] = 0.0
        candidates = (scores[..., None] + log_probs).reshape(batch, -1)
        new_lengths = np.repeat(lengths + ~finished, vocab, axis=1)
        rank = candidates / _length_penalty(new_lengths, alpha)
        top = np.argsort(-rank, axis=1, kind="stable")[:, :width]
        beam, word = top // vocab, top % vocab
        was_finished = finished[rows, beam]
        scores = np.take_along_axis(candidates, top, axis=1)
        tokens = tokens[rows, beam]
        tokens[:, :, t] = np.where(was_finished, 0, word)
        attention = attention[rows, beam]
        new_weights = np.asarray(weights).reshape(batch, width, -1)[rows, beam]
        attention[:, :, t] = np.where(was_finished[..., None], 0.0, new_weights)
        lengths = lengths[rows, beam] + ~was_finished
        finished = was_finished | (word == end_id)
        order = (rows * width + beam).reshape(-1)
        states = [np.asarray(s)[order] for s in states]
        token = word.reshape(-1, 1).astype("int32")
        if finished.all() or (alpha == 0.0 and finished[:, 0].all()):
            break

    final_rank = scores / _length_penalty(lengths, alpha)
    best = final_rank.argmax(axis=1)
    pick = (np.arange(batch), best)
    result = _collect(
        tokens[pick],
        attention[pick],
        lengths[pick],
        finished[pick],
        scores[pick],
        mask,
        inference.has_attention,
    )
    greedy_lengths = np.array([len(t) for t in greedy.tokens]) + greedy.finished
    greedy_rank = greedy.scores / _length_penalty(greedy_lengths, alpha)
    use_greedy = greedy_rank > final_rank[pick]
    if not use_greedy.any():
        return result

    def choose(a: list, b: list) -> list:
        return [y if g else x for x, y, g in zip(a, b, use_greedy, strict=True)]

    return Decoded(
        tokens=choose(result.tokens, greedy.tokens),
        scores=np.where(use_greedy, greedy.scores, result.scores),
        attention=(
            choose(result.attention, greedy.attention)
            if inference.has_attention
            else None
        ),
        finished=np.where(use_greedy, greedy.finished, result.finished),
    )


def sequence_log_prob(
    model: Any,
    source_ids: Any,
    outputs: Any,
    *,
    start_id: int,
    end_id: int,
) -> np.ndarray:
    """The model's log-probability of given outputs (end id included).

    Scores any output, e.g. the correct answer next to a wrong decoded one:
    ``log p(y_1..y_n, end | source)``. Equals ``Decoded.scores`` for the outputs a
    decoder returns (when they finished).

    Args:
        model: A ``build_seq2seq`` model, or its ``Seq2SeqInference``.
        source_ids: Int array ``(batch, S)`` of source ids, 0-padded at the end.
        outputs: One sequence of target ids per example (without start/end ids);
            lengths may differ.
        start_id: The target start id.
        end_id: The target end id, scored after each output.

    Returns:
        ``(batch,)`` float64 array of log-probabilities.

    Raises:
        ValueError: If ``outputs`` does not have one sequence per source row, or
            an id is outside the target vocabulary; see ``greedy_decode``.

    Example:
        >>> from rnn_zoo.models.seq2seq import build_seq2seq
        >>> model = build_seq2seq(10, 8, embedding_dim=4, units=4)
        >>> source = np.array([[4, 5, 6], [7, 0, 0]])
        >>> scores = sequence_log_prob(model, source, [[4, 5], [6]],
        ...                            start_id=2, end_id=3)
        >>> scores.shape, bool(np.all(scores < 0))
        ((2,), True)
    """
    inference, source = _checked(model, source_ids, start_id, end_id)
    seqs = [np.asarray(o, dtype=np.int64).reshape(-1) for o in outputs]
    if len(seqs) != len(source):
        raise ValueError(
            error_message(
                "outputs",
                f"one sequence per source row ({len(source)})",
                f"{len(seqs)} sequences",
            )
        )
    for i, seq in enumerate(seqs):
        if np.any((seq < 1) | (seq >= inference.tgt_vocab_size)):
            raise ValueError(
                error_message(
                    f"outputs[{i}]",
                    f"target ids in [1, {inference.tgt_vocab_size})",
                    seq.tolist(),
                )
            )
    n = max(len(s) for s in seqs) + 1
    targets = np.zeros((len(seqs), n), dtype=np.int64)
    for i, seq in enumerate(seqs):
        targets[i, : len(seq) + 1] = [*seq, end_id]
    inputs = np.concatenate(
        [np.full((len(seqs), 1), start_id), targets[:, :-1]], axis=1
    ).astype("int32")
    step, keys, mask, states = _encode(inference, source)
    total = np.zeros(len(seqs))
    rows = np.arange(len(seqs))
    for t in range(n):
        log_probs, _, states = step(inputs[:, t : t + 1], keys, mask, states)
        log_probs = np.asarray(log_probs, dtype=np.float64)
        real = targets[:, t] != 0
        total[real] += log_probs[rows, targets[:, t]][real]
    return total
