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
#     assignment: 02_char_lm
# ---

# %% [markdown]
# # Assignment 02 · A character language model, end to end
#
# Companion of notebook `03_char_language_model`. You will encode text, build
# inputs and next-character targets, write the model in `keras.layers`, turn
# logits into probabilities with a temperature, and generate text one character
# at a time while carrying the recurrent state (never re-reading the prefix).
#
# **How it is graded.** Write your code where it says `raise NotImplementedError()`.
# Each check cell runs your function on inputs it makes and tests what it does:
# shapes, the one-character shift, the parameter count from its formula,
# probabilities that sum to 1, and whether your generator carries the state. A
# failure says where the mistake is. Do not edit the check cells.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from rnn_zoo.classroom import check  # noqa: E402

TEXT = "to be, or not to be: that is the question.\n" * 20
VOCAB = sorted(set(TEXT))

# %% [markdown]
# ## Q1 · Encode (1 point)
#
# `vocab` is a list of characters; a character's id is its index in `vocab`.

# %% nbgrader={"grade": false, "grade_id": "a1_encode", "locked": false, "schema_version": 3, "solution": true, "task": false}
def encode(text, vocab):
    """The ids of the characters of `text`, as a 1-D integer array."""
    # BEGIN SOLUTION
    # HINT: a dict from character to index makes this one line.
    index = {ch: i for i, ch in enumerate(vocab)}
    return np.array([index[ch] for ch in text], dtype="int64")
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_encode", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
check("q1_encode", encode)

# %% [markdown]
# ## Q2 · Inputs and targets (2 points)
#
# Cut the ids into `n = (len(ids) - 1) // seq_len` non-overlapping chunks:
# `X[i] = ids[i*L:(i+1)*L]`, and the targets are the *next* characters,
# `Y[i] = ids[i*L+1:(i+1)*L+1]`. Both are `(n, seq_len)`.

# %% nbgrader={"grade": false, "grade_id": "a2_make_examples", "locked": false, "schema_version": 3, "solution": true, "task": false}
def make_examples(ids, seq_len):
    """(X, Y): inputs and the same chunks shifted by one character."""
    # BEGIN SOLUTION
    # HINT: reshape ids[:n*L] and ids[1:n*L+1] to (n, L).
    ids = np.asarray(ids)
    n = (len(ids) - 1) // seq_len
    X = ids[: n * seq_len].reshape(n, seq_len)
    Y = ids[1 : n * seq_len + 1].reshape(n, seq_len)
    return X, Y
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_make_examples", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("q2_make_examples", make_examples)

# %% [markdown]
# ## Q3 · The model, in `keras.layers` (2 points)
#
# `Embedding(vocab_size, embedding_dim)` → `GRU(units, return_sequences=True)`
# (an LSTM is accepted too) → `Dense(vocab_size)` giving **logits**, one
# distribution per time step: the output is `(batch, steps, vocab_size)`.

# %% nbgrader={"grade": false, "grade_id": "a3_build_model", "locked": false, "schema_version": 3, "solution": true, "task": false}
def build_model(vocab_size, embedding_dim, units):
    """An uncompiled keras.Model: int ids (batch, steps) -> logits."""
    # BEGIN SOLUTION
    # HINT: keras.Sequential([keras.Input((None,), dtype="int32"), ...]).
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, embedding_dim),
            keras.layers.GRU(units, return_sequences=True),
            keras.layers.Dense(vocab_size),
        ]
    )
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_build_model", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("q3_build_model", build_model)

# %% [markdown]
# ## Q4 · Temperature (2 points)
#
# `temperature_probs(logits, temperature)` = softmax(logits / temperature) over
# the last axis. Below 1 it sharpens the distribution, above 1 it flattens it.

# %% nbgrader={"grade": false, "grade_id": "a4_temperature", "locked": false, "schema_version": 3, "solution": true, "task": false}
def temperature_probs(logits, temperature):
    """Probabilities from logits at a temperature, rows summing to 1."""
    # BEGIN SOLUTION
    # HINT: subtract the row maximum before np.exp for numerical safety.
    z = np.asarray(logits, dtype="float64") / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q4_temperature", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
check("q4_temperature", temperature_probs)

# %% [markdown]
# ## Q5 · Generate, carrying the state (3 points)
#
# `step(token_id, state)` runs the model on ONE character and returns
# `(logits, new_state)`. Generate `length` new ids: call `step` once per id, feed
# it the state it returned last time, and sample the next id from
# `temperature_probs(logits, temperature)` with `rng.choice`. Re-running the model
# over the whole prefix for every character would cost O(n²); carrying the state
# costs O(n).

# %% nbgrader={"grade": false, "grade_id": "a5_generate", "locked": false, "schema_version": 3, "solution": true, "task": false}
def generate(step, state, first_id, length, temperature, rng):
    """`length` sampled ids, one step per id, the state carried."""
    # BEGIN SOLUTION
    # HINT: token = first_id; loop: logits, state = step(token, state); sample.
    token, out = first_id, []
    for _ in range(length):
        logits, state = step(token, state)
        p = temperature_probs(np.reshape(logits, -1), temperature)
        token = int(rng.choice(len(p), p=p))
        out.append(token)
    return np.array(out)
    # END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q5_generate", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
check("q5_generate", generate)

# %% [markdown]
# ## Try it on your model
#
# A few epochs on the tiny text above, then 80 characters generated with your
# `generate`. The step function runs the model's layers on one character and
# hands the GRU's state back, so nothing is recomputed.

# %% nbgrader={"grade": false, "grade_id": "demo", "locked": true, "schema_version": 3, "solution": false, "task": false}
from rnn_zoo.training import set_seed  # noqa: E402  (the package's one seeding call)

set_seed(0)
X, Y = make_examples(encode(TEXT, VOCAB), 40)
model = build_model(len(VOCAB), 16, 64)
model.compile(
    optimizer=keras.optimizers.Adam(1e-2),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
history = model.fit(X, Y, epochs=20, batch_size=8, verbose=0)
print(f"loss {history.history['loss'][0]:.2f} -> {history.history['loss'][-1]:.2f}")

embedding = next(x for x in model.layers if isinstance(x, keras.layers.Embedding))
cell = next(x for x in model.layers if isinstance(x, keras.layers.RNN)).cell
dense = [x for x in model.layers if isinstance(x, keras.layers.Dense)][-1]


def model_step(token, state):
    """One character through the trained layers; the recurrent state carried."""
    output, state = cell(embedding(np.array([token])), state)
    return keras.ops.convert_to_numpy(dense(output))[0], state


start = VOCAB.index("t")
ids = generate(
    model_step, cell.get_initial_state(batch_size=1), start, 80, 0.5,
    np.random.default_rng(0),
)
print(repr("t" + "".join(VOCAB[i] for i in ids)))

# %% [markdown]
# ## Takeaways
#
# - The targets are the inputs shifted by one character; a model trained on them
#   outputs one next-character distribution per step.
# - The temperature divides the logits *before* the softmax.
# - Generation carries the state: one step per new character, however long the
#   text grows.
