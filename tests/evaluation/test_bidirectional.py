"""tagging_configs, train_step_forecaster, leak_scores (uni vs bidirectional)."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.evaluation.bidirectional import (
    leak_scores,
    tagging_configs,
    train_step_forecaster,
)


def look_ahead(x):
    """Reads the future: 'predicts' x[t + 1] by looking at it."""
    return np.concatenate([x[:, 1:], x[:, -1:]], axis=1)


def running_mean(x):
    """Causal: the mean of x[:t + 1]."""
    return np.cumsum(x, axis=1) / np.arange(1, x.shape[1] + 1)[None, :, None]


def test_tagging_configs_same_budget_and_merge_modes():
    build, configs = tagging_configs(
        9, 5, units=16, merge_modes=["concat", "mul", "ave", "mul"], embedding_dim=4
    )
    assert list(configs) == ["unidirectional", "bidirectional", "bi-mul", "bi-ave"]
    counts = {name: build(**s).count_params() for name, s in configs.items()}
    assert abs(counts["bidirectional"] / counts["unidirectional"] - 1) < 0.1
    width = configs["bidirectional"]["units"]
    assert width < 16 and configs["bi-mul"]["units"] == width
    # mul/ave: the logits layer reads `width` values instead of 2 * width
    assert counts["bidirectional"] - counts["bi-ave"] == width * 5
    assert configs["bi-ave"] == {
        "units": width,
        "bidirectional": True,
        "merge_mode": "ave",
    }


def test_tagging_configs_errors():
    with pytest.raises(ValueError, match="`merge_modes` must be one of"):
        tagging_configs(9, 5, units=4, merge_modes=["max"])
    with pytest.raises(TypeError, match="`merge_modes` must be a list"):
        tagging_configs(9, 5, units=4, merge_modes="sum")
    with pytest.raises(ValueError, match="`units` must be a positive integer"):
        tagging_configs(9, 5, units=0)


def test_leak_scores_by_hand():
    x = np.arange(6.0).reshape(1, 6, 1)
    scores = leak_scores(look_ahead, x[:, :5], x[:, 1:])
    assert scores == {"leaky": pytest.approx(0.2), "honest": pytest.approx(1.0)}
    causal = leak_scores(running_mean, x[:, :5], x[:, 1:])
    assert causal["leaky"] == causal["honest"]
    with pytest.raises(ValueError, match="`targets` must be an array of the model"):
        leak_scores(look_ahead, x[:, :5], x[:, 1:4])


def test_trained_bidirectional_forecaster_leaks_and_unidirectional_does_not():
    t = np.arange(13)
    rng = np.random.default_rng(0)
    phases = rng.uniform(0, 2 * np.pi, size=(64, 1))
    waves = (np.sin(0.5 * t + phases) + 0.3 * rng.standard_normal((64, 13)))[..., None]
    x, y = waves[:, :-1].astype("float32"), waves[:, 1:].astype("float32")
    options = dict(units=8, epochs=6, learning_rate=0.02, seed=3)
    uni = train_step_forecaster(x, y, bidirectional=False, **options)
    again = train_step_forecaster(x, y, bidirectional=False, **options)
    bi = train_step_forecaster(x, y, bidirectional=True, **options)
    for a, b in zip(uni.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # seeded
    uni_scores, bi_scores = leak_scores(uni, x, y), leak_scores(bi, x, y)
    assert uni_scores["honest"] == pytest.approx(uni_scores["leaky"], rel=1e-5)
    # reading x[t + 1] beats any forecast; cut off from it, the model does worse
    assert bi_scores["leaky"] < uni_scores["leaky"]
    assert bi_scores["honest"] > bi_scores["leaky"]
