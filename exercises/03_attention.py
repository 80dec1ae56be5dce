# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: nbgrader,tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,rnn_zoo,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   rnn_zoo:
#     assignment: 03_attention
# ---

# %% [markdown]
# # Assignment 03 · Bahdanau attention, one decoder step at a time
#
# Companion of notebook `05_attention_seq2seq`. You will write the additive
# (Bahdanau) score, a softmax over source positions that ignores padding, the
# context vector, and one decoder step wired as Bahdanau et al. (2015) wire it:
# the query is the decoder's **previous** state, and the context goes **into**
# the RNN's input.
#
# **How it is graded.** Write your code where it says `raise NotImplementedError()`.
# The checks test invariants (weights are >= 0, sum to 1 over the real source
# positions, are 0 on padding; the context is the weighted sum of the values)
# and compare with a NumPy reference on inputs they make. Do not edit the check
# cells.
#
# **Shapes.** `query` `(batch, d_q)`, `keys` `(batch, S, d_k)` (the encoder's
# outputs, one per source position), `mask` `(batch, S)` (True for real
# characters, False for padding).

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import numpy as np

from rnn_zoo.classroom import check

# %% [markdown]
# ## Q1 · Additive score (2 points)
#
# $e_{b,s} = v^\top \tanh(q_b W_q + k_{b,s} W_k)$: project the query and every
# key into the same `units`-dimensional space, add, squash, and reduce with `v`.

# %% nbgrader={"grade": false, "grade_id": "a1_additive_scores", "locked": false, "schema_version": 3, "solution": true, "task": false}
def additive_scores(query, keys, W_q, W_k, v):
    """Scores (batch, S) of every source position for each query."""
    # BEGIN SOLUTION
    # HINT: (query @ W_q)[:, None, :] broadcasts over the S source positions.
    return np.tanh((query @ W_q)[:, None, :] + keys @ W_k) @ v
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_additive_scores", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("q1_additive_scores", additive_scores)

# %% [markdown]
# ## Q2 · Softmax over source positions, padding masked (3 points)
#
# Padded positions must get weight exactly 0, so set their scores to $-\infty$
# before the softmax, and normalise over the source axis.

# %% nbgrader={"grade": false, "grade_id": "a2_masked_softmax", "locked": false, "schema_version": 3, "solution": true, "task": false}
def masked_softmax(scores, mask):
    """Attention weights (batch, S): >= 0, 0 where mask is False, rows sum to 1."""
    # BEGIN SOLUTION
    # HINT: np.where(mask, scores, -np.inf); subtract the row max before np.exp.
    scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_masked_softmax", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("q2_masked_softmax", masked_softmax)
# BEGIN HIDDEN TESTS
check("q2_masked_softmax_hidden", masked_softmax)
# END HIDDEN TESTS

# %% [markdown]
# ## Q3 · Context vector (1 point)
#
# $c_b = \sum_s \alpha_{b,s}\, h_{b,s}$: the values weighted by the attention.

# %% nbgrader={"grade": false, "grade_id": "a3_context_vector", "locked": false, "schema_version": 3, "solution": true, "task": false}
def context_vector(weights, values):
    """(batch, d): the attention-weighted sum of values (batch, S, d)."""
    # BEGIN SOLUTION
    # HINT: np.einsum("bs,bsd->bd", ...) or (weights[..., None] * values).sum(1).
    return np.einsum("bs,bsd->bd", weights, values)
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_context_vector", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("q3_context_vector", context_vector)

# %% [markdown]
# ## Q4 · One Bahdanau decoder step (3 points)
#
# With `params = {"W_q", "W_k", "v", "W", "U", "b"}`:
#
# 1. weights from the **previous** state: `masked_softmax(additive_scores(s_prev,
#    keys, W_q, W_k, v), mask)`;
# 2. `context = context_vector(weights, keys)`;
# 3. the RNN step reads the previous output's embedding *and* the context:
#    `s_next = tanh(concat([y_prev, context]) @ W + s_prev @ U + b)`.
#
# Return `(s_next, weights, context)`.

# %% nbgrader={"grade": false, "grade_id": "a4_decoder_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def decoder_step(y_prev, s_prev, keys, mask, params):
    """One decoder step of Bahdanau attention: (s_next, weights, context)."""
    # BEGIN SOLUTION
    # HINT: Luong's wiring scores with the NEW state; Bahdanau's with s_prev.
    p = params
    scores = additive_scores(s_prev, keys, p["W_q"], p["W_k"], p["v"])
    weights = masked_softmax(scores, mask)
    context = context_vector(weights, keys)
    inputs = np.concatenate([y_prev, context], axis=-1)
    s_next = np.tanh(inputs @ p["W"] + s_prev @ p["U"] + p["b"])
    return s_next, weights, context
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_decoder_step", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("q4_decoder_step", decoder_step)

# %% [markdown]
# ## Takeaways
#
# - Attention is a softmax over *source positions*; padding is masked before it.
# - The context is a weighted average of the encoder's outputs, recomputed at
#   every decoder step.
# - Bahdanau scores with the previous state and feeds the context into the RNN;
#   Luong scores with the new state and combines the context after the RNN.
