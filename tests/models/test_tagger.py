"""build_sequence_tagger / build_step_regressor: shapes, masking, the leak, saving."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from rnn_zoo.models import build_sequence_tagger, build_step_regressor
from tests.models.builder_checks import assert_round_trip, predict, two_training_steps

TOKENS = np.array([[3, 1, 4, 1, 5], [2, 6, 0, 0, 0]], dtype="int32")
TAGS = np.array([[1, 2, 1, 2, 4], [1, 4, 0, 0, 0]], dtype="int32")
LOSS = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


@pytest.mark.parametrize(
    "cell, bidirectional", [("lstm", True), ("gru", False), ("rnn", True)]
)
def test_tagger_shapes_names_training_and_round_trip(cell, bidirectional, tmp_path):
    model = build_sequence_tagger(
        7, 5, embedding_dim=3, cell=cell, units=4, bidirectional=bidirectional
    )
    assert [layer.name for layer in model.layers] == [
        "tokens",
        "embedding",
        "rnn_0",
        "logits",
    ]
    assert not model.compiled
    assert predict(model, TOKENS).shape == (2, 5, 5)
    first, second = two_training_steps(model, TOKENS, TAGS, LOSS)
    assert np.isfinite(first) and second < first
    assert_round_trip(model, TOKENS, tmp_path)


def test_tagger_parameter_count_by_hand():
    # embedding 9 x 4; LSTM 4 * u * (4 + u + 1) per direction; Dense 2u -> 5
    u = 3
    lstm = 4 * u * (4 + u + 1)
    uni = build_sequence_tagger(9, 5, embedding_dim=4, units=u)
    bi = build_sequence_tagger(9, 5, embedding_dim=4, units=u, bidirectional=True)
    total = build_sequence_tagger(
        9, 5, embedding_dim=4, units=u, bidirectional=True, merge_mode="sum"
    )
    assert uni.count_params() == 9 * 4 + lstm + (u * 5 + 5)
    assert bi.count_params() == 9 * 4 + 2 * lstm + (2 * u * 5 + 5)
    assert total.count_params() == 9 * 4 + 2 * lstm + (u * 5 + 5)


def test_masked_padding_changes_neither_outputs_nor_loss():
    for bidirectional in (False, True):
        model = build_sequence_tagger(7, 5, units=4, bidirectional=bidirectional)
        padded = predict(model, TOKENS)[1, :2]
        alone = predict(model, TOKENS[1:, :2])[0]
        np.testing.assert_allclose(padded, alone, atol=1e-6)
    model.compile(loss=LOSS, metrics=["accuracy"])
    other = TAGS.copy()
    other[1, 2:] = 3  # labels under the padding must not count
    assert model.evaluate(TOKENS, TAGS, verbose=0) == pytest.approx(
        model.evaluate(TOKENS, other, verbose=0)
    )


def test_unmasked_bidirectional_tagger_sees_the_padding():
    """Negative control: with mask_zero=False the padding changes the outputs."""
    model = build_sequence_tagger(7, 5, units=4, bidirectional=True, mask_zero=False)
    padded = predict(model, TOKENS)[1, :2]
    alone = predict(model, TOKENS[1:, :2])[0]
    assert np.max(np.abs(padded - alone)) > 1e-4


def test_step_regressor_causal_unless_bidirectional(rng, tmp_path):
    x = rng.normal(size=(2, 6, 2)).astype("float32")
    changed = x.copy()
    changed[:, 4:] += 1.0  # change the future of steps 0..3
    uni = build_step_regressor(2, n_outputs=3, units=4)
    bi = build_step_regressor(2, n_outputs=3, units=4, bidirectional=True)
    assert [layer.name for layer in uni.layers] == ["features", "rnn_0", "prediction"]
    assert uni.output_shape == (None, None, 3)
    np.testing.assert_allclose(
        predict(uni, x)[:, :4], predict(uni, changed)[:, :4], atol=1e-6
    )
    assert np.max(np.abs(predict(bi, x)[:, :4] - predict(bi, changed)[:, :4])) > 1e-3
    first, second = two_training_steps(uni, x, x[..., :1].repeat(3, -1), "mse")
    assert np.isfinite(first) and second < first
    assert_round_trip(bi, x, tmp_path)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: build_sequence_tagger(1, 5), ValueError, "`vocab_size` must be"),
        (
            lambda: build_sequence_tagger(9, 1),
            ValueError,
            "`num_tags` must be an integer >= 2. Received: num_tags=1",
        ),
        (lambda: build_sequence_tagger(9, 5, mask_zero=1), TypeError, "`mask_zero`"),
        (
            lambda: build_sequence_tagger(9, 5, sequence_length=0),
            ValueError,
            "`sequence_length` must be a positive integer or None",
        ),
        (
            lambda: build_sequence_tagger(9, 5, merge_mode="max"),
            ValueError,
            "`merge_mode` must be one of",
        ),
        (lambda: build_sequence_tagger(9, 5, colour=1), TypeError, "colour"),
        (lambda: build_step_regressor(0), ValueError, "`n_features` must be"),
        (lambda: build_step_regressor(2, n_outputs=0), ValueError, "`n_outputs`"),
        (lambda: build_step_regressor(2, name=3), TypeError, "`name` must be"),
    ],
)
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
