"""Under ``mixed_float16`` every builder computes in float16 and outputs float32.

Keras' mixed-precision guide keeps the last layer in float32 so the softmax or
the loss does not under/overflow; each builder's head is built that way.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from rnn_zoo.models import (
    build_char_lm,
    build_forecaster,
    build_seq2seq,
    build_sequence_classifier,
    build_sequence_regressor,
    build_sequence_tagger,
)

BUILDERS = {
    "char_lm": lambda: build_char_lm(12, embedding_dim=4, units=8),
    "forecaster": lambda: build_forecaster(6, 2, horizon=3, units=8),
    "seq2seq": lambda: build_seq2seq(10, 9, attention="bahdanau", units=8),
    "classifier": lambda: build_sequence_classifier(
        5, 3, num_classes=4, units=8, output_activation="softmax"
    ),
    "regressor": lambda: build_sequence_regressor(5, 3, units=8),
    "tagger": lambda: build_sequence_tagger(10, 5, units=8),
}


@pytest.fixture
def mixed_float16():
    keras.mixed_precision.set_global_policy("mixed_float16")
    yield
    keras.mixed_precision.set_global_policy("float32")


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_outputs_are_float32_and_the_recurrent_layers_float16(name, mixed_float16):
    model = BUILDERS[name]()
    assert keras.backend.standardize_dtype(model.output.dtype) == "float32"
    recurrent = [
        layer
        for layer in model._flatten_layers()
        if isinstance(layer, keras.layers.LSTM | keras.layers.GRU)
    ]
    assert recurrent and all(r.compute_dtype == "float16" for r in recurrent)


def test_a_mixed_precision_step_scales_the_loss_and_stays_finite(mixed_float16):
    model = BUILDERS["char_lm"]()
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    x = np.random.default_rng(0).integers(2, 12, size=(4, 7))
    loss = model.train_on_batch(x, x)
    assert np.isfinite(loss) and loss == pytest.approx(np.log(11), abs=0.3)
