"""Checks of assignment 02: the character language model.

The student writes:

- ``encode(text, vocab) -> ids`` (``vocab`` a list of characters, id = index);
- ``make_examples(ids, seq_len) -> (X, Y)``: non-overlapping chunks, ``X[i] =
  ids[i*L : (i+1)*L]`` and ``Y[i]`` the same chunk shifted by one character;
- ``build_model(vocab_size, embedding_dim, units) -> keras.Model``: Embedding ->
  GRU or LSTM (one output per step) -> Dense logits, in ``keras.layers``;
- ``temperature_probs(logits, temperature) -> probs``: softmax(logits / T) over
  the last axis;
- ``generate(step, state, first_id, length, temperature, rng) -> ids``: sample
  ``length`` ids, calling ``step(token_id, state) -> (logits, state)`` once per
  new id and carrying the state it returns.

Checks use behaviour only: shapes, the shift, parameter counts from the formula,
probabilities that sum to 1, a step function whose output reveals whether the
state was carried, and sample frequencies (never pinned samples).
"""

from __future__ import annotations

import numpy as np

from rnn_zoo.classroom.checks import CheckFailed, expect_close, expect_shape, register

ASSIGNMENT = "02_char_lm"
VOCAB = list("\nabcdehlorw !")


@register(
    "q1_encode",
    points=1,
    hint="ids = [vocab.index(ch) for ch in text]",
    assignment=ASSIGNMENT,
)
def q1_encode(encode) -> None:
    """Encoding against the vocabulary's indices, on two texts."""
    for text in ("hello world!", "\nabc"):
        got = np.asarray(encode(text, VOCAB))
        want = np.array([VOCAB.index(ch) for ch in text])
        if got.shape != want.shape or not np.array_equal(got, want):
            raise CheckFailed(
                f"encode({text!r}) is wrong",
                hint="each character's id is its index in `vocab`",
                observed=got,
                expected=want,
            )


SHIFT_HINT = (
    "X[i] = ids[i*L:(i+1)*L] and Y[i] = ids[i*L+1:(i+1)*L+1]: the targets are the "
    "inputs shifted by exactly one character"
)


@register("q2_make_examples", points=2, hint=SHIFT_HINT, assignment=ASSIGNMENT)
def q2_make_examples(make_examples) -> None:
    """Inputs and next-character targets, from ids whose values are positions."""
    ids = np.arange(23) * 3  # every id different, so a shift shows
    seq_len = 5
    n = (len(ids) - 1) // seq_len
    X, Y = make_examples(ids, seq_len)
    X = expect_shape(X, (n, seq_len), "X", SHIFT_HINT)
    Y = expect_shape(Y, (n, seq_len), "Y", SHIFT_HINT)
    want_x = np.stack([ids[i * seq_len : (i + 1) * seq_len] for i in range(n)])
    if not np.array_equal(X, want_x):
        raise CheckFailed(
            "X is not the consecutive chunks of ids",
            hint=SHIFT_HINT,
            location="X",
            observed=X,
            expected=want_x,
        )
    for shift in (0, 2, -1):
        if np.array_equal(Y[:, 1:-1], (X + 3 * shift)[:, 1:-1]):
            raise CheckFailed(
                f"Y is X shifted by {shift} characters",
                hint="targets shifted by the wrong amount: Y[i, t] must be the "
                "character right after X[i, t] (shift by one)",
                location="targets",
            )
    expect_close(Y, want_x + 3, "Y", SHIFT_HINT, location="targets")


def _count(vocab: int, embedding: int, units: int, cell: str) -> int:
    recurrent = {
        "GRU": 3 * units * (embedding + units + 2),
        "LSTM": 4 * units * (embedding + units + 1),
    }[cell]
    return vocab * embedding + recurrent + units * vocab + vocab


MODEL_HINT = (
    "keras.Sequential or Functional: Embedding(vocab_size, embedding_dim) -> "
    "GRU(units, return_sequences=True) -> Dense(vocab_size) (logits, no softmax)"
)


@register("q3_build_model", points=2, hint=MODEL_HINT, assignment=ASSIGNMENT)
def q3_build_model(build_model) -> None:
    """Output shape (batch, steps, vocab), logits, parameter count from the formula."""
    import keras

    vocab, embedding, units = 11, 4, 6
    model = build_model(vocab, embedding, units)
    if not isinstance(model, keras.Model):
        raise CheckFailed(
            f"build_model returned {type(model).__name__}, not a keras.Model",
            hint=MODEL_HINT,
        )
    out = model(np.zeros((2, 7), dtype="int32"))
    expect_shape(
        keras.ops.convert_to_numpy(out),
        (2, 7, vocab),
        "the model's output",
        "one output per step: return_sequences=True, and Dense(vocab_size) last",
    )
    kinds = [type(layer).__name__ for layer in model.layers]
    cells = [k for k in kinds if k in ("GRU", "LSTM")]
    if "Embedding" not in kinds or len(cells) != 1 or "Dense" not in kinds:
        raise CheckFailed(f"the layers are {kinds}", hint=MODEL_HINT, location="layers")
    last = model.layers[-1]
    if last.get_config().get("activation") != "linear":
        raise CheckFailed(
            "the last layer applies an activation",
            hint="output logits (Dense with no activation); the loss takes "
            "from_logits=True and sampling divides logits by the temperature",
            location="output layer",
        )
    want = _count(vocab, embedding, units, cells[0])
    if model.count_params() != want:
        raise CheckFailed(
            f"{model.count_params()} parameters, expected {want}",
            hint=MODEL_HINT,
            location="parameter count",
            observed=model.count_params(),
            expected=want,
        )


TEMPERATURE_HINT = "probs = softmax(logits / temperature) over the last axis"


def _softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@register("q4_temperature", points=2, hint=TEMPERATURE_HINT, assignment=ASSIGNMENT)
def q4_temperature(temperature_probs) -> None:
    """Rows sum to 1; the temperature divides the logits before the softmax."""
    logits = np.array(
        [[2.0, 1.0, 0.1, -1.0], [0.5, 0.5, 3.0, 0.0], [1.0, 2.0, 3.0, 4.0]]
    )
    for temperature in (1.0, 0.5, 2.0):
        got = expect_shape(
            temperature_probs(logits, temperature),
            logits.shape,
            "probs",
            TEMPERATURE_HINT,
        )
        if not np.allclose(got.sum(axis=-1), 1.0, atol=1e-6):
            hint = TEMPERATURE_HINT
            if np.allclose(got.sum(axis=0), 1.0, atol=1e-6):
                hint = "softmax over the wrong axis: normalise over the vocabulary "
                hint += "(axis=-1), one distribution per row"
            raise CheckFailed(
                f"at temperature {temperature} the rows do not sum to 1",
                hint=hint,
                location="normalisation",
                observed=got.sum(axis=-1),
            )
        want = _softmax(logits / temperature)
        if temperature != 1.0 and np.allclose(got, _softmax(logits), atol=1e-6):
            raise CheckFailed(
                f"temperature {temperature} gives the same probabilities as 1",
                hint="temperature applied after the softmax has no effect once the "
                "rows are renormalised: divide the LOGITS by the temperature",
                location="temperature",
            )
        expect_close(
            got,
            want,
            f"probs at temperature {temperature}",
            TEMPERATURE_HINT,
            location="temperature",
            atol=1e-6,
        )


GENERATE_HINT = (
    "for each new id: logits, state = step(token, state); sample from "
    "softmax(logits / temperature); the sample is the next token"
)


def _counting_step(token, state):
    """Logits that put (almost) all mass on token ``state % 4``; state counts calls."""
    count = int(np.asarray(state).reshape(-1)[0])
    logits = np.full(4, -30.0)
    logits[count % 4] = 30.0
    return logits, np.array([count + 1])


def _fixed_step(token, state):
    return np.log(np.array([0.7, 0.2, 0.1])), state


@register("q5_generate", points=3, hint=GENERATE_HINT, assignment=ASSIGNMENT)
def q5_generate(generate) -> None:
    """State carried from step to step; frequencies follow the tempered softmax."""
    rng = np.random.default_rng(0)
    ids = np.asarray(generate(_counting_step, np.array([0]), 0, 8, 1.0, rng))
    expect_shape(ids, (8,), "the generated ids", "return `length` new ids")
    if np.array_equal(ids, np.zeros(8)):
        raise CheckFailed(
            "every step saw the initial state",
            hint="state not carried while sampling: feed the state that step() "
            "returned into the next call",
            location="state",
            observed=ids,
            expected=np.arange(8) % 4,
        )
    if not np.array_equal(ids, np.arange(8) % 4):
        raise CheckFailed(
            "the ids do not follow a model whose state counts its calls",
            hint="call step exactly once per new id, carrying its state",
            location="state",
            observed=ids,
            expected=np.arange(8) % 4,
        )
    probs = np.array([0.7, 0.2, 0.1])
    for temperature in (1.0, 0.5):
        ids = np.asarray(
            generate(
                _fixed_step,
                np.array([0]),
                0,
                3000,
                temperature,
                np.random.default_rng(1),
            )
        )
        freq = np.bincount(ids.astype(int), minlength=3)[:3] / len(ids)
        want = probs ** (1 / temperature) / (probs ** (1 / temperature)).sum()
        if np.max(np.abs(freq - want)) > 0.04:
            raise CheckFailed(
                f"at temperature {temperature} the token frequencies are off",
                hint="sample from p = softmax(logits / temperature): "
                "rng.choice(len(p), p=p)",
                location="sampling",
                observed=np.round(freq, 3),
                expected=np.round(want, 3),
            )
