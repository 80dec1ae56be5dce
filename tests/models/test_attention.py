"""Bahdanau and Luong attention against NumPy; masks, normalisation, serialization."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from rnn_zoo.models import load_model
from rnn_zoo.models.attention import BahdanauAttention, LuongAttention


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _numpy_scores(layer, query, keys):
    """The score formulas of the module docstring, written out in NumPy."""
    weights = {w.path.split("/")[-1]: np.asarray(w) for w in layer.weights}
    if isinstance(layer, BahdanauAttention) or layer.score == "concat":
        b, tq, tk = query.shape[0], query.shape[1], keys.shape[1]
        scores = np.zeros((b, tq, tk))
        for i in range(b):
            for t in range(tq):
                for s in range(tk):
                    hidden = np.tanh(
                        query[i, t] @ weights["query_kernel"]
                        + keys[i, s] @ weights["key_kernel"]
                    )
                    scores[i, t, s] = weights["score_vector"] @ hidden
        return scores
    if layer.score == "general":
        return np.einsum("btq,qk,bsk->bts", query, weights["kernel"], keys)
    return np.einsum("btd,bsd->bts", query, keys)


LAYERS = [
    pytest.param(lambda: BahdanauAttention(5), id="bahdanau"),
    pytest.param(lambda: LuongAttention("dot"), id="luong-dot"),
    pytest.param(lambda: LuongAttention("general"), id="luong-general"),
    pytest.param(lambda: LuongAttention("concat", units=3), id="luong-concat"),
]


@pytest.mark.parametrize("make", LAYERS)
def test_matches_numpy_with_and_without_mask(make, rng):
    query = rng.normal(size=(2, 3, 4)).astype("float32")
    keys = rng.normal(size=(2, 5, 4)).astype("float32")
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]], dtype=bool)
    layer = make()
    context, weights = layer(query, keys, keys_mask=mask)
    context, weights = np.asarray(context), np.asarray(weights)

    scores = _numpy_scores(layer, query.astype("float64"), keys.astype("float64"))
    expected = _softmax(np.where(mask[:, None, :], scores, -np.inf))
    np.testing.assert_allclose(weights, expected, atol=1e-5)
    np.testing.assert_allclose(context, expected @ keys, atol=1e-5)
    # masked keys get exactly zero weight; every row sums to 1
    assert np.all(weights[1, :, 2:] == 0.0)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-6)

    _, unmasked = layer(query, keys)
    np.testing.assert_allclose(np.asarray(unmasked), _softmax(scores), atol=1e-5)
    assert np.all(np.asarray(unmasked)[1, :, 2:] > 0)  # negative control


def test_single_step_query_drops_the_time_axis(rng):
    layer = BahdanauAttention(3)
    query = rng.normal(size=(2, 4)).astype("float32")
    keys = rng.normal(size=(2, 6, 4)).astype("float32")
    context, weights = layer(query, keys)
    assert tuple(context.shape) == (2, 4) and tuple(weights.shape) == (2, 6)
    full_context, full_weights = layer(query[:, None], keys)
    np.testing.assert_allclose(np.asarray(weights), np.asarray(full_weights)[:, 0])
    np.testing.assert_allclose(np.asarray(context), np.asarray(full_context)[:, 0])


def test_all_masked_row_is_zero_not_nan(rng):
    keys = rng.normal(size=(1, 3, 2)).astype("float32")
    context, weights = LuongAttention("dot")(
        keys[:, :1], keys, keys_mask=np.zeros((1, 3), bool)
    )
    assert np.all(np.asarray(weights) == 0) and np.all(np.asarray(context) == 0)


def _masked_model(layer):
    """Keys from an Embedding with mask_zero: Keras fills `keys_mask` itself."""
    src = keras.Input((None,), dtype="int32", name="source")
    tgt = keras.Input((None,), dtype="int32", name="target")
    keys = keras.layers.Embedding(7, 4, mask_zero=True, name="src_emb")(src)
    query = keras.layers.Embedding(7, 4, mask_zero=True, name="tgt_emb")(tgt)
    context, weights = layer(query, keys)
    return keras.Model([src, tgt], [context, weights])


@pytest.mark.parametrize("make", LAYERS)
def test_keras_masking_and_keras_round_trip(make, tmp_path):
    model = _masked_model(make())
    src = np.array([[3, 4, 5, 0, 0], [1, 2, 0, 0, 0]])
    tgt = np.array([[2, 3], [4, 0]])
    context, weights = (np.asarray(t) for t in model([src, tgt]))
    assert np.all(weights[0, :, 3:] == 0) and np.all(weights[1, :, 2:] == 0)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-6)

    path = tmp_path / "attention.keras"
    model.save(path)
    loaded = load_model(path)
    layer = model.layers[-1]
    assert type(loaded.get_layer(layer.name)) is type(layer)
    assert loaded.get_layer(layer.name).get_config() == layer.get_config()
    for got, want in zip(loaded([src, tgt]), (context, weights), strict=True):
        np.testing.assert_allclose(np.asarray(got), want, atol=1e-7)


def test_query_mask_reaches_the_loss():
    """Padded decoder steps carry their mask to the outputs, so the loss skips them."""
    src = keras.Input((None,), dtype="int32")
    tgt = keras.Input((None,), dtype="int32")
    keys = keras.layers.Embedding(7, 4, mask_zero=True)(src)
    query = keras.layers.Embedding(7, 4, mask_zero=True)(tgt)
    context, _ = LuongAttention("dot")(query, keys)
    model = keras.Model([src, tgt], keras.layers.Dense(3)(context))
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = [np.array([[3, 4, 0]]), np.array([[2, 5, 0, 0]])]
    losses = [
        model.evaluate(x, np.array([[1, 2, label, label]]), verbose=0)
        for label in (0, 1, 2)
    ]
    assert losses[0] == pytest.approx(losses[1]) == pytest.approx(losses[2])
    changed = model.evaluate(x, np.array([[0, 2, 0, 0]]), verbose=0)
    assert changed != pytest.approx(losses[0])  # negative control: a real step


def test_bad_arguments():
    with pytest.raises(ValueError, match="`units` must be a positive integer"):
        BahdanauAttention(0)
    with pytest.raises(TypeError, match="`units` must be a positive integer"):
        BahdanauAttention(2.5)
    with pytest.raises(ValueError, match="`score` must be one of 'dot'"):
        LuongAttention("cosine")
    with pytest.raises(ValueError, match="`units` must be None when score='dot'"):
        LuongAttention("dot", units=4)
    with pytest.raises(ValueError, match="'dot' needs equal widths"):
        LuongAttention("dot")(np.ones((1, 2, 3)), np.ones((1, 4, 5)))
