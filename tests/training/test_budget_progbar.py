"""`BudgetProgbar`: Keras' progress bar with the budget's minutes, not "Epoch k/N"."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from rnn_zoo.training import BudgetProgbar, TimeBudget, fit


def tiny_model() -> keras.Model:
    inputs = keras.Input((3,))
    return keras.Model(inputs, keras.layers.Dense(1)(inputs))


@pytest.mark.parametrize("verbose", [1, 2])
def test_each_epoch_opens_with_the_minutes_of_the_budget(capsys, verbose):
    model = tiny_model()
    model.compile("sgd", "mse")
    model.fit(
        np.ones((8, 3)),
        np.ones((8, 1)),
        batch_size=4,
        epochs=3,
        verbose=verbose,
        callbacks=[TimeBudget(600), BudgetProgbar(600)],
    )
    out = capsys.readouterr().out
    assert "Epoch 1/3" not in out and "/3\n" not in out
    for epoch in (1, 2, 3):
        assert f"Epoch {epoch} (0.0 of 10.0 min)" in out
    assert out.count("2/2") >= 3  # the stock bar still reports the batches


def test_silent_at_verbose_0_and_only_one_bar(capsys):
    def output(verbose: int) -> str:
        data = (np.ones((8, 3)), np.ones((8, 1)))
        callbacks = [BudgetProgbar(60)]
        fit(
            tiny_model(),
            data,
            loss="mse",
            epochs=2,
            verbose=verbose,
            callbacks=callbacks,
        )
        return capsys.readouterr().out

    assert "Epoch" not in output(0)
    out = output(2)
    assert out.count("Epoch 1 ") == 1  # Keras added no second progress bar
    assert "Epoch 1/2" not in out


@pytest.mark.parametrize("seconds", [0, -1, float("nan"), float("inf"), "10"])
def test_rejects_a_budget_that_is_not_a_positive_number(seconds):
    with pytest.raises((ValueError, TypeError), match="seconds"):
        BudgetProgbar(seconds)
