"""Greedy and beam decoding: exhaustive-search optimum, beam >= greedy, scores."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from rnn_zoo.inference.decoding import (
    beam_search_decode,
    greedy_decode,
    sequence_log_prob,
)
from rnn_zoo.models.seq2seq import (
    Seq2SeqInference,
    build_inference_models,
    build_seq2seq,
)

START, END = 2, 3
SOURCE = np.array([[4, 5, 6, 7], [8, 4, 0, 0], [9, 0, 0, 0]], dtype="int32")


CONFIGS = [
    pytest.param(("bahdanau", "gru", "luong"), id="bahdanau-score-luong-wiring"),
    pytest.param(("luong", "lstm", "luong"), id="luong-lstm"),
    pytest.param(("bahdanau", "gru", "bahdanau"), id="bahdanau-wired"),
    pytest.param(("luong", "lstm", "bahdanau"), id="luong-score-bahdanau-wired"),
    pytest.param((None, "gru", "luong"), id="no-attention"),
]
MAX_LENGTH = 6


def _peaky(attention="bahdanau", cell="gru", wiring="luong", seed=0, end_bias=-1.0):
    """A random model with confident (non-uniform) next-token distributions.

    ``end_bias < 0`` makes the end id unlikely, so outputs run several tokens
    (a model that ends at once makes every search look right)."""
    keras.utils.set_random_seed(seed)
    model = build_seq2seq(
        10, 7, embedding_dim=4, units=4, cell=cell, attention=attention,
        wiring=wiring,
    )  # fmt: skip
    kernel = model.get_layer("logits").kernel
    kernel.assign(kernel * 4.0)
    bias = model.get_layer("logits").bias
    bias.assign(bias + np.eye(7, dtype="float32")[END] * end_bias)
    return model


def _teacher_forced(model, source, outputs):
    """Log-softmax of the training model fed [start, *output] (own outputs)."""
    n = max(len(o) for o in outputs) + 1
    target_in = np.zeros((len(outputs), n), dtype="int32")
    for i, out in enumerate(outputs):
        target_in[i, : len(out) + 1] = [START, *out]
    logits = keras.ops.convert_to_numpy(model([source, target_in], training=False))
    logits = logits.astype("float64")
    return logits - np.log(np.exp(logits).sum(-1, keepdims=True))


def _assert_several_tokens(result):
    """Precondition: decoding produced real multi-token outputs to compare."""
    lengths = [len(t) for t in result.tokens]
    assert min(lengths) >= 2 and max(lengths) >= 4, lengths


def _assert_scores_are_the_models(model, source, result):
    """Each score is the teacher-forced log-prob of its tokens (+ end if finished)."""
    outputs = [
        [*t.tolist(), END] if f else t.tolist()
        for t, f in zip(result.tokens, result.finished, strict=True)
    ]
    log_probs = _teacher_forced(model, source, outputs)
    expected = [
        sum(log_probs[i, t, token] for t, token in enumerate(out))
        for i, out in enumerate(outputs)
    ]
    np.testing.assert_allclose(result.scores, expected, atol=1e-4)


def _assert_attention_is_a_distribution(source, result):
    for i, (tokens, weights) in enumerate(
        zip(result.tokens, result.attention, strict=True)
    ):
        assert weights.shape == (len(tokens), int((source[i] != 0).sum()))
        assert np.all(weights >= 0)
        np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-5)


def _bigram(probs):
    """A hand-made model: p(next token | previous token) = probs[previous]."""
    vocab = len(probs)
    source = keras.Input((None,), dtype="int32")
    keys = keras.layers.Embedding(10, 1)(source)
    state = keras.layers.GlobalAveragePooling1D()(keys)
    encoder = keras.Model(source, [keys, state])
    token = keras.Input((1,), dtype="int32")
    key_input, mask = keras.Input((None, 1)), keras.Input((None,), dtype="bool")
    state_input = keras.Input((1,))
    table = keras.layers.Embedding(vocab, vocab)
    logits = table(token)
    step = keras.Model(
        [token, key_input, mask, state_input],
        [logits, keras.layers.Identity()(state_input)],
    )
    table.set_weights([np.log(np.asarray(probs, dtype="float32") + 1e-12)])
    return Seq2SeqInference(encoder, step, False, 1, 10, vocab)


def _trap():
    """Greedy takes 4 (p=0.5) and then has only p=0.25 choices; 5 (p=0.4) ends
    with p=0.95. Best output: [5] with log(0.4 * 0.95); greedy: [4] with
    log(0.5 * 0.25) (ties broken towards the lowest id, the end id 3)."""
    probs = np.full((7, 7), 1 / 7)
    probs[START] = [0, 0, 0, 0, 0.5, 0.4, 0.1]
    probs[4] = [0, 0, 0, 0.25, 0.25, 0.25, 0.25]
    probs[5] = [0, 0.01, 0, 0.95, 0.02, 0.01, 0.01]
    probs[6] = [0, 0, 0, 1.0, 0, 0, 0]
    return _bigram(probs)


def test_beam_escapes_the_greedy_trap_with_exact_scores():
    inference = _trap()
    source = np.array([[4, 5], [6, 0]])
    greedy = greedy_decode(inference, source, start_id=START, end_id=END, max_length=5)
    assert [t.tolist() for t in greedy.tokens] == [[4], [4]]
    np.testing.assert_allclose(greedy.scores, np.log(0.5 * 0.25), rtol=1e-5)
    for width in (2, 3, 7):
        beam = beam_search_decode(
            inference, source, start_id=START, end_id=END, max_length=5,
            beam_width=width,
        )  # fmt: skip
        assert [t.tolist() for t in beam.tokens] == [[5], [5]]
        np.testing.assert_allclose(beam.scores, np.log(0.4 * 0.95), rtol=1e-5)
        assert beam.finished.all() and beam.attention is None
    one = beam_search_decode(
        inference, source, start_id=START, end_id=END, max_length=5, beam_width=1
    )
    assert [t.tolist() for t in one.tokens] == [[4], [4]]


def test_length_penalty_prefers_longer_outputs():
    """[4, 4, ...] costs log(0.25) per token; with a strong length penalty the
    ranking score / ((5 + n) / 6) ** alpha favours long outputs."""
    inference = _trap()
    source = np.array([[4]])
    plain = beam_search_decode(
        inference, source, start_id=START, end_id=END, max_length=6, beam_width=3
    )
    long = beam_search_decode(
        inference, source, start_id=START, end_id=END, max_length=6, beam_width=3,
        length_penalty=5.0,
    )  # fmt: skip
    assert len(long.tokens[0]) > len(plain.tokens[0]) == 1
    assert long.scores[0] < plain.scores[0]  # raw log-prob is lower


@pytest.mark.parametrize("config", CONFIGS)
def test_greedy_is_the_argmax_of_teacher_forcing_on_its_own_output(config):
    model = _peaky(*config)
    result = greedy_decode(
        model, SOURCE, start_id=START, end_id=END, max_length=MAX_LENGTH
    )
    _assert_several_tokens(result)
    log_probs = _teacher_forced(model, SOURCE, [t.tolist() for t in result.tokens])
    log_probs[..., [0, START]] = -np.inf  # never produced
    for i, (tokens, finished) in enumerate(
        zip(result.tokens, result.finished, strict=True)
    ):
        assert not np.isin(tokens, [0, START, END]).any()
        n = len(tokens) + int(finished)
        expected = [*tokens.tolist(), END][:n]
        assert log_probs[i, :n].argmax(-1).tolist() == expected
    _assert_scores_are_the_models(model, SOURCE, result)
    if config[0] is None:
        assert result.attention is None
    else:
        _assert_attention_is_a_distribution(SOURCE, result)


@pytest.mark.parametrize("config", CONFIGS)
def test_beam_width_one_is_greedy(config):
    inference = build_inference_models(_peaky(*config))
    kwargs = dict(start_id=START, end_id=END, max_length=MAX_LENGTH)
    greedy = greedy_decode(inference, SOURCE, **kwargs)
    _assert_several_tokens(greedy)
    beam = beam_search_decode(inference, SOURCE, beam_width=1, **kwargs)
    for g, b in zip(greedy.tokens, beam.tokens, strict=True):
        np.testing.assert_array_equal(g, b)
    np.testing.assert_allclose(beam.scores, greedy.scores)
    np.testing.assert_array_equal(beam.finished, greedy.finished)
    if config[0] is None:
        assert greedy.attention is None and beam.attention is None
    else:
        for g, b in zip(greedy.attention, beam.attention, strict=True):
            np.testing.assert_allclose(g, b)


@pytest.mark.parametrize("config", CONFIGS[1:4])
@pytest.mark.parametrize("end_bias", [-3.0, -2.0])
def test_beam_scores_are_the_models_and_never_below_greedy(config, end_bias):
    model = _peaky(*config, end_bias=end_bias)
    inference = build_inference_models(model)
    kwargs = dict(start_id=START, end_id=END, max_length=MAX_LENGTH)
    greedy = greedy_decode(inference, SOURCE, **kwargs)
    for width in (3, 5):
        for alpha in (0.0, 0.6):
            beam = beam_search_decode(
                inference, SOURCE, beam_width=width, length_penalty=alpha, **kwargs
            )
            _assert_several_tokens(beam)
            if alpha == 0.0:
                assert np.all(beam.scores >= greedy.scores - 1e-9)
            # the score is the model's own log-probability of the returned
            # tokens: a beam that lost track of its states fails here
            _assert_scores_are_the_models(model, SOURCE, beam)
            _assert_attention_is_a_distribution(SOURCE, beam)
            finished = beam.finished
            if finished.any():
                rescored = sequence_log_prob(
                    inference, SOURCE[finished],
                    [t for t, f in zip(beam.tokens, finished, strict=True) if f],
                    start_id=START, end_id=END,
                )  # fmt: skip
                np.testing.assert_allclose(beam.scores[finished], rescored, atol=1e-5)


@pytest.mark.parametrize("wiring", ["luong", "bahdanau"])
def test_batch_rows_decode_independently_of_padding_and_neighbours(wiring):
    inference = build_inference_models(_peaky(wiring=wiring))
    batch = beam_search_decode(
        inference, SOURCE, start_id=START, end_id=END, max_length=6, beam_width=3
    )
    _assert_several_tokens(batch)
    for i, row in enumerate(SOURCE):
        n = int((row != 0).sum())
        alone = beam_search_decode(
            inference, row[None, :n], start_id=START, end_id=END, max_length=6,
            beam_width=3,
        )  # fmt: skip
        np.testing.assert_array_equal(alone.tokens[0], batch.tokens[i])
        assert alone.scores[0] == pytest.approx(batch.scores[i], abs=1e-5)
        np.testing.assert_allclose(alone.attention[0], batch.attention[i], atol=1e-6)


def test_accepts_the_training_model_and_stops_at_max_length():
    keras.utils.set_random_seed(0)
    model = build_seq2seq(10, 7, embedding_dim=4, units=4)
    result = greedy_decode(model, SOURCE, start_id=START, end_id=END, max_length=1)
    for tokens, finished in zip(result.tokens, result.finished, strict=True):
        assert len(tokens) == (0 if finished else 1)


def test_bad_arguments():
    inference = build_inference_models(_peaky())
    kwargs = dict(start_id=START, end_id=END, max_length=4)
    with pytest.raises(ValueError, match="`beam_width` must be a positive integer"):
        beam_search_decode(inference, SOURCE, beam_width=0, **kwargs)
    with pytest.raises(ValueError, match="`length_penalty` must be a number >= 0.0"):
        beam_search_decode(inference, SOURCE, length_penalty=-1.0, **kwargs)
    with pytest.raises(TypeError, match="`source_ids` must be a 2-D array of int"):
        greedy_decode(inference, SOURCE.astype(float), **kwargs)
    with pytest.raises(ValueError, match=r"`source_ids\[1\]` must hold at least one"):
        greedy_decode(inference, np.array([[4, 5], [0, 0]]), **kwargs)
    with pytest.raises(ValueError, match=r"Received: source_ids\[0, 1\]=10"):
        greedy_decode(inference, np.array([[4, 10]]), **kwargs)
    with pytest.raises(ValueError, match="`end_id` must be different from"):
        greedy_decode(inference, SOURCE, start_id=2, end_id=2, max_length=3)
    with pytest.raises(ValueError, match="`max_length` must be a positive integer"):
        greedy_decode(inference, SOURCE, start_id=2, end_id=3, max_length=0)
    with pytest.raises(TypeError, match="`model` must be a `build_seq2seq` model"):
        greedy_decode("model", SOURCE, **kwargs)
    with pytest.raises(ValueError, match="`outputs` must be one sequence per"):
        sequence_log_prob(inference, SOURCE, [[4]], start_id=2, end_id=3)
