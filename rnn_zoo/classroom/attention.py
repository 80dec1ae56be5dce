"""Checks of assignment 03: Bahdanau attention, one decoder step at a time.

The student writes, batch-first (``S`` source positions):

- ``additive_scores(query, keys, W_q, W_k, v) -> (batch, S)``:
  ``score[b, s] = v . tanh(query[b] @ W_q + keys[b, s] @ W_k)``;
- ``masked_softmax(scores, mask) -> (batch, S)``: a softmax over source positions
  in which positions with ``mask == 0`` get weight 0;
- ``context_vector(weights, values) -> (batch, d)``: ``sum_s weights[b, s] *
  values[b, s]``;
- ``decoder_step(y_prev, s_prev, keys, mask, params) -> (s_next, weights,
  context)``: Bahdanau's wiring. The query is the PREVIOUS decoder state
  ``s_prev``; the context goes into the RNN's input: ``s_next = tanh([y_prev,
  context] @ W + s_prev @ U + b)``. ``params`` holds ``W_q, W_k, v, W, U, b``.

Checks test invariants (weights >= 0, summing to 1 over unmasked positions, zero
on masked ones, context = sum of weights times values) and values against a
NumPy reference computed from the check's own random inputs.
"""

from __future__ import annotations

import numpy as np

from rnn_zoo.classroom.checks import CheckFailed, expect_close, expect_shape, register

ASSIGNMENT = "03_attention"
BATCH, SOURCE, KEY_DIM, QUERY_DIM, UNITS, EMBED = 2, 5, 3, 4, 6, 2


def _data(seed: int):
    rng = np.random.default_rng(seed)
    return {
        "query": rng.normal(size=(BATCH, QUERY_DIM)),
        "keys": rng.normal(size=(BATCH, SOURCE, KEY_DIM)),
        "W_q": rng.normal(size=(QUERY_DIM, UNITS)) * 0.5,
        "W_k": rng.normal(size=(KEY_DIM, UNITS)) * 0.5,
        "v": rng.normal(size=UNITS),
        "mask": np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=bool),
    }


def _scores(query, keys, W_q, W_k, v):
    return np.tanh((query @ W_q)[:, None, :] + keys @ W_k) @ v


def _masked_softmax(scores, mask):
    scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


SCORE_HINT = "score[b, s] = v . tanh(query[b] @ W_q + keys[b, s] @ W_k)"


@register("q1_additive_scores", points=2, hint=SCORE_HINT, assignment=ASSIGNMENT)
def q1_additive_scores(additive_scores) -> None:
    """Shape (batch, S) and values against the additive score."""
    d = _data(1)
    got = additive_scores(d["query"], d["keys"], d["W_q"], d["W_k"], d["v"])
    got = expect_shape(got, (BATCH, SOURCE), "scores", SCORE_HINT)
    want = _scores(d["query"], d["keys"], d["W_q"], d["W_k"], d["v"])
    zero_query = additive_scores(
        np.zeros_like(d["query"]), d["keys"], d["W_q"], d["W_k"], d["v"]
    )
    if not np.allclose(zero_query, np.tanh(d["keys"] @ d["W_k"]) @ d["v"], atol=1e-8):
        raise CheckFailed(
            "with query = 0 the scores are not v . tanh(keys @ W_k)",
            hint="the keys' term is wrong: project each source position with W_k",
            location="keys term",
        )
    expect_close(
        got,
        want,
        "scores",
        "the query's term: add query @ W_q to every "
        "source position (broadcast over S) before the tanh",
        location="query term",
    )


SOFTMAX_HINT = (
    "set the scores of masked positions to -inf (or a very negative number), then "
    "softmax over the source axis (axis=-1)"
)


@register("q2_masked_softmax", points=2, hint=SOFTMAX_HINT, assignment=ASSIGNMENT)
def q2_masked_softmax(masked_softmax) -> None:
    """Weights >= 0, zero where masked, summing to 1 over the unmasked positions."""
    d = _data(2)
    scores = np.random.default_rng(3).normal(size=(BATCH, SOURCE)) * 3
    got = expect_shape(
        masked_softmax(scores, d["mask"]), (BATCH, SOURCE), "weights", SOFTMAX_HINT
    )
    if np.any(got < -1e-12):
        raise CheckFailed(
            "some weights are negative",
            hint=SOFTMAX_HINT,
            location="weights",
            observed=got,
        )
    if not np.allclose(got.sum(axis=-1), 1.0, atol=1e-8):
        hint = SOFTMAX_HINT
        if np.allclose(got.sum(axis=0), 1.0, atol=1e-8):
            hint = (
                "softmax over the wrong axis: normalise over source positions "
                "(axis=-1), not over the batch"
            )
        raise CheckFailed(
            "the weights of a row do not sum to 1",
            hint=hint,
            location="normalisation",
            observed=got.sum(axis=-1),
        )
    if np.any(got[~d["mask"]] > 1e-9):
        raise CheckFailed(
            "padded source positions get weight",
            hint="attention weights not masked: masked positions must get exactly 0 "
            "(mask the scores BEFORE the softmax)",
            location="mask",
            observed=got[~d["mask"]],
            expected=np.zeros(int((~d["mask"]).sum())),
        )
    expect_close(
        got, _masked_softmax(scores, d["mask"]), "weights", SOFTMAX_HINT, atol=1e-8
    )
    # no overflow on large scores
    big = masked_softmax(scores * 1000, d["mask"])
    if not np.all(np.isfinite(big)):
        raise CheckFailed(
            "large scores give NaN",
            hint="subtract the row maximum before np.exp",
            location="numerical stability",
        )


CONTEXT_HINT = "context[b] = sum over s of weights[b, s] * values[b, s, :]"


@register("q3_context_vector", points=1, hint=CONTEXT_HINT, assignment=ASSIGNMENT)
def q3_context_vector(context_vector) -> None:
    """Context = sum of weights times values; a one-hot weight picks its value."""
    d = _data(4)
    weights = _masked_softmax(
        np.random.default_rng(5).normal(size=(BATCH, SOURCE)), d["mask"]
    )
    got = expect_shape(
        context_vector(weights, d["keys"]), (BATCH, KEY_DIM), "context", CONTEXT_HINT
    )
    one_hot = np.zeros((BATCH, SOURCE))
    one_hot[:, 2] = 1.0
    picked = np.asarray(context_vector(one_hot, d["keys"]))
    if not np.allclose(picked, d["keys"][:, 2], atol=1e-10):
        raise CheckFailed(
            "a one-hot weight on position 2 does not return values[:, 2]",
            hint=CONTEXT_HINT,
            location="weighted sum",
        )
    expect_close(
        got, np.einsum("bs,bsd->bd", weights, d["keys"]), "context", CONTEXT_HINT
    )


STEP_HINT = (
    "Bahdanau: weights from the PREVIOUS state (query = s_prev); context = sum of "
    "weights * keys; s_next = tanh(concat([y_prev, context]) @ W + s_prev @ U + b)"
)


def _params(seed: int):
    rng = np.random.default_rng(seed)
    return {
        "W_q": rng.normal(size=(UNITS, UNITS)) * 0.5,
        "W_k": rng.normal(size=(KEY_DIM, UNITS)) * 0.5,
        "v": rng.normal(size=UNITS),
        "W": rng.normal(size=(EMBED + KEY_DIM, UNITS)) * 0.5,
        "U": rng.normal(size=(UNITS, UNITS)) * 0.5,
        "b": rng.normal(size=UNITS),
    }


def _step(y_prev, s_prev, keys, mask, p, query=None):
    query = s_prev if query is None else query
    weights = _masked_softmax(_scores(query, keys, p["W_q"], p["W_k"], p["v"]), mask)
    context = np.einsum("bs,bsd->bd", weights, keys)
    inputs = np.concatenate([y_prev, context], axis=-1)
    return np.tanh(inputs @ p["W"] + s_prev @ p["U"] + p["b"]), weights, context


@register("q4_decoder_step", points=3, hint=STEP_HINT, assignment=ASSIGNMENT)
def q4_decoder_step(decoder_step) -> None:
    """One Bahdanau decoder step: the state, the weights and the context."""
    d, p = _data(6), _params(7)
    rng = np.random.default_rng(8)
    y_prev, s_prev = rng.normal(size=(BATCH, EMBED)), rng.normal(size=(BATCH, UNITS))
    out = decoder_step(y_prev, s_prev, d["keys"], d["mask"], p)
    if not isinstance(out, tuple | list) or len(out) != 3:
        raise CheckFailed("return (s_next, weights, context)", hint=STEP_HINT)
    s_next = expect_shape(out[0], (BATCH, UNITS), "s_next", STEP_HINT)
    weights = expect_shape(out[1], (BATCH, SOURCE), "weights", STEP_HINT)
    context = expect_shape(out[2], (BATCH, KEY_DIM), "context", STEP_HINT)
    want_s, want_w, want_c = _step(y_prev, s_prev, d["keys"], d["mask"], p)
    if not np.allclose(weights, want_w, atol=1e-8):
        # Luong's wiring: scores from the NEW state
        plain = np.tanh(
            np.concatenate([y_prev, np.zeros_like(want_c)], -1) @ p["W"]
            + s_prev @ p["U"]
            + p["b"]
        )
        luong = _step(y_prev, s_prev, d["keys"], d["mask"], p, query=plain)[1]
        hint = STEP_HINT
        if np.allclose(weights, luong, atol=1e-8):
            hint = (
                "the query must be the previous state s_prev (Bahdanau), "
                "not a state computed in this step"
            )
        raise CheckFailed(
            "the attention weights are wrong",
            hint=hint,
            location="weights",
            observed=weights,
            expected=want_w,
        )
    expect_close(context, want_c, "context", CONTEXT_HINT, location="context")
    without = np.tanh(
        np.concatenate([y_prev, np.zeros_like(want_c)], -1) @ p["W"]
        + s_prev @ p["U"]
        + p["b"]
    )
    if np.allclose(s_next, without, atol=1e-8):
        raise CheckFailed(
            "s_next does not depend on the context",
            hint="feed the context into the RNN: concatenate [y_prev, context] as "
            "its input",
            location="RNN input",
        )
    expect_close(s_next, want_s, "s_next", STEP_HINT, location="state update")


@register(
    "q2_masked_softmax_hidden",
    points=1,
    hint=SOFTMAX_HINT,
    assignment=ASSIGNMENT,
    hidden=True,
)
def q2_masked_softmax_hidden(masked_softmax) -> None:
    """Padding at the start, and a row with a single real position."""
    scores = np.random.default_rng(9).normal(size=(3, 6)) * 4
    mask = np.array(
        [[0, 0, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]], dtype=bool
    )
    got = expect_shape(masked_softmax(scores, mask), (3, 6), "weights", SOFTMAX_HINT)
    expect_close(got, _masked_softmax(scores, mask), "weights", SOFTMAX_HINT, atol=1e-8)
