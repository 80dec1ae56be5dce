"""WallClockDecay: the learning rate follows the elapsed share of the budget."""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest

from rnn_zoo.training import callbacks
from rnn_zoo.training.callbacks import WallClockDecay


class FakeClock:
    """perf_counter that advances 10 s per call once started."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 10.0
        return self.now


def _model(learning_rate):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(keras.optimizers.SGD(learning_rate), "mse")
    return model


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.rates = []

    def on_train_batch_begin(self, batch, logs=None):
        self.rates.append(float(self.model.optimizer.learning_rate))


def _rates(monkeypatch, **decay_options):
    """The rates of 12 SGD batches (base 0.2) under a clock at +10 s per call."""
    monkeypatch.setattr(callbacks.time, "perf_counter", FakeClock())
    model = _model(0.2)
    recorder = Recorder()  # runs after the decay: sees the rate it set
    model.fit(
        np.ones((12, 2)),
        np.ones((12, 1)),
        batch_size=1,
        verbose=0,
        callbacks=[WallClockDecay(**decay_options), recorder],
    )
    return recorder.rates, model


@pytest.mark.parametrize("schedule", ["cosine", "linear"])
def test_rate_follows_the_elapsed_fraction(monkeypatch, schedule):
    rates, model = _rates(monkeypatch, seconds=80.0, schedule=schedule, final=0.1)
    # clock: on_train_begin at 10 s, then batch k begins at 10 + 10 (k + 1) s
    fractions = [min(1.0, 10 * (k + 1) / 80) for k in range(12)]
    if schedule == "cosine":
        shapes = [0.5 * (1 + math.cos(math.pi * f)) for f in fractions]
    else:
        shapes = [1 - f for f in fractions]
    expected = [0.2 * (0.1 + 0.9 * g) for g in shapes]
    np.testing.assert_allclose(rates, expected, rtol=1e-6)
    assert rates[-1] == pytest.approx(0.02)  # past the budget: base * final
    assert float(model.optimizer.learning_rate) == pytest.approx(0.2)  # restored


@pytest.mark.parametrize("schedule", ["cosine", "constant"])
def test_warmup_ramps_then_the_schedule_runs_over_the_rest(monkeypatch, schedule):
    rates, model = _rates(
        monkeypatch, seconds=100.0, schedule=schedule, final=0.1, warmup=0.2
    )
    # batch k begins at fraction f = (k + 1) / 10 of the budget
    expected = []
    for k in range(12):
        f = min(1.0, (k + 1) / 10)
        if f < 0.2:
            expected.append(0.2 * f / 0.2)  # linear ramp from 0 to the base rate
            continue
        rest = (f - 0.2) / 0.8
        shape = 0.5 * (1 + math.cos(math.pi * rest)) if schedule == "cosine" else 1.0
        expected.append(0.2 * (0.1 + 0.9 * shape))
    np.testing.assert_allclose(rates, expected, rtol=1e-6)
    assert rates[0] == pytest.approx(0.1)  # half-way up the ramp
    assert max(rates) == pytest.approx(0.2)  # the base rate at the ramp's end
    last = 0.02 if schedule == "cosine" else 0.2
    assert rates[-1] == pytest.approx(last)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.2)  # restored


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"seconds": 0}, "`seconds` must be a number > 0"),
        ({"seconds": 1, "schedule": "step"}, "`schedule` must be one of"),
        ({"seconds": 1, "final": 1.5}, "`final` must be a number in"),
        ({"seconds": 1, "warmup": 1.0}, "`warmup` must be a number in"),
        ({"seconds": 1, "warmup": -0.1}, "`warmup` must be a number in"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        WallClockDecay(**kwargs)
