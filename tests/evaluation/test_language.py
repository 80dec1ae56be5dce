"""Tests for bits/char over a whole text and the uniform/unigram/n-gram baselines."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnn_zoo.evaluation.language import (
    CharNGramModel,
    _stream_layout,
    bits_per_char,
    language_baselines,
    perplexity,
    uniform_bits_per_char,
)
from rnn_zoo.models import build_char_lm

TEXT_IDS = np.array([2, 3, 4, 2, 3, 5, 2, 3, 4, 4, 5, 2, 3, 2, 6, 3, 4] * 5)
VOCAB = 7


@pytest.mark.parametrize("order", [1, 2, 3, 5])
@pytest.mark.parametrize("smoothing", ["kneser-ney", "add-k"])
def test_ngram_probabilities_sum_to_one_for_any_context(order, smoothing, rng):
    model = CharNGramModel(order, smoothing=smoothing).fit(TEXT_IDS, vocab_size=VOCAB)
    contexts = [[], [2], [3, 4], [6, 6, 6, 6], [1, 1], [2, 3, 4, 2, 3, 5]]
    contexts += [rng.integers(1, VOCAB, size=rng.integers(0, 8)).tolist()]
    for context in contexts:
        p = model.probabilities(context)
        assert p.shape == (VOCAB,)
        assert p[0] == 0.0  # padding is never a target
        assert (p[1:] > 0).all()  # unseen ids (the unknown id 1) keep some mass
        assert math.isclose(p.sum(), 1.0, rel_tol=0, abs_tol=1e-12)


def test_add_k_unigram_by_hand():
    model = CharNGramModel(1, smoothing="add-k", k=0.5).fit(
        np.array([2, 2, 3]), vocab_size=4
    )
    # (count + 0.5) / (3 + 0.5 * 3) for ids 1, 2, 3
    np.testing.assert_allclose(
        model.probabilities([]), [0, 0.5 / 4.5, 2.5 / 4.5, 1.5 / 4.5]
    )


def test_kneser_ney_bigram_by_hand():
    ids = np.array([2, 3, 2, 3, 2, 4])
    model = CharNGramModel(2, discount=0.5).fit(ids, vocab_size=5)
    # unigram continuation counts N(.w): 2 <- {3}, 3 <- {2}, 4 <- {2}: total 3
    # P1(w) = max(N - .5, 0)/3 + .5 * 3/3 * 1/4 for w in 1..4
    p1 = np.array([0, 0.125, 0.5 / 3 + 0.125, 0.5 / 3 + 0.125, 0.5 / 3 + 0.125])
    np.testing.assert_allclose(model.probabilities([]), p1)
    # after "2": c(2,3)=2, c(2,4)=1, c(2)=3, two types
    expected = 0.5 * 2 / 3 * p1
    expected[3] += 1.5 / 3
    expected[4] += 0.5 / 3
    np.testing.assert_allclose(model.probabilities([2]), expected)
    # unseen context backs off entirely
    np.testing.assert_allclose(model.probabilities([1]), p1)


def test_ngram_bits_per_char_matches_probabilities():
    model = CharNGramModel(3).fit(TEXT_IDS, vocab_size=VOCAB)
    ids = np.array([2, 3, 4, 1, 5, 2])
    by_hand = -np.mean(
        [np.log2(model.probabilities(ids[:t])[ids[t]]) for t in range(1, len(ids))]
    )
    assert model.bits_per_char(ids) == pytest.approx(by_hand, abs=1e-12)


def test_higher_order_beats_lower_order_on_structured_text():
    scores = language_baselines(TEXT_IDS, TEXT_IDS[:40], vocab_size=VOCAB, order=3)
    assert scores["3-gram"] < scores["unigram"] < scores["uniform"]
    assert scores["uniform"] == math.log2(VOCAB - 1)


def test_model_predicting_unigram_scores_the_unigram_baseline():
    unigram = CharNGramModel(1).fit(TEXT_IDS, vocab_size=VOCAB)
    p = unigram.probabilities([])
    model = build_char_lm(VOCAB, embedding_dim=2, units=3, cell="gru")
    bias = np.log(np.where(p > 0, p, 1e-30)).astype("float32")
    model.get_layer("logits").set_weights([np.zeros((3, VOCAB), "float32"), bias])
    validation = np.array([2, 3, 4, 1, 6, 2, 5, 5, 3] * 7)
    expected = unigram.bits_per_char(validation)
    for streams, warmup in [(1, 0), (4, 5), (50, 2)]:
        got = bits_per_char(model, validation, streams=streams, warmup=warmup)
        assert got == pytest.approx(expected, abs=1e-5)
    assert perplexity(model, validation) == pytest.approx(2**expected, rel=1e-5)


def test_streams_and_chunks_do_not_change_a_stateful_score():
    """A real recurrent model: one stream with any chunking gives the same score;
    more streams with enough warm-up agree closely (the state forgets)."""
    model = build_char_lm(VOCAB, embedding_dim=3, units=4, cell="lstm")
    ids = TEXT_IDS
    exact = bits_per_char(model, ids, streams=1, chunk_length=1000)
    assert bits_per_char(model, ids, streams=1, chunk_length=7) == pytest.approx(
        exact, abs=1e-5
    )
    assert bits_per_char(model, ids, streams=4, warmup=20) == pytest.approx(
        exact, abs=1e-3
    )
    # an untrained model spreads its bets: about log2(vocab_size)
    assert abs(exact - math.log2(VOCAB)) < 0.5


def test_stream_layout_scores_every_target_once():
    ids = np.arange(1, 102)
    for streams, warmup in [(1, 0), (3, 4), (7, 0), (200, 10), (5, 500)]:
        inputs, targets, weights = _stream_layout(ids, streams, warmup)
        scored = np.sort(targets[weights > 0])
        np.testing.assert_array_equal(scored, ids[1:])
        np.testing.assert_array_equal(targets[weights > 0] - 1, inputs[weights > 0])


def test_errors():
    with pytest.raises(ValueError, match="`order` must be an integer in \\[1, 9\\]"):
        CharNGramModel(0).fit(TEXT_IDS, vocab_size=VOCAB)
    with pytest.raises(ValueError, match="`smoothing` must be one of"):
        CharNGramModel(2, smoothing="witten-bell").fit(TEXT_IDS, vocab_size=VOCAB)
    with pytest.raises(ValueError, match="not fitted"):
        CharNGramModel(2).probabilities([2])
    with pytest.raises(ValueError, match="`ids` must be ids in \\[0, 3\\)"):
        CharNGramModel(2).fit(TEXT_IDS, vocab_size=3)
    with pytest.raises(TypeError, match="`ids` must be a 1-D array"):
        CharNGramModel(2).fit("abc", vocab_size=3)
    with pytest.raises(ValueError, match="`vocab_size` must be an integer >= 3"):
        uniform_bits_per_char(2)
    model = build_char_lm(VOCAB, units=2)
    with pytest.raises(ValueError, match="`ids` must be ids in \\[0, 7\\)"):
        bits_per_char(model, np.array([1, 9]))
    with pytest.raises(ValueError, match="`streams` must be a positive integer"):
        bits_per_char(model, TEXT_IDS, streams=0)
