"""search_hyperparameters / compare_searches on a one-weight model with known answers.

The model is ``y = w x`` (Dense(1), no bias, w = 0 at the start) fitted to
``y = 3`` at ``x = 1`` with one full-batch SGD step, so a trial's val_loss is
``(3 - 6 lr)^2`` and the best learning rate in the grid is known: lr = 0.5 hits
w = 3 exactly.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from rnn_zoo.tuning import compare_searches, search_hyperparameters

X = np.ones((4, 1), "float32")
Y = np.full((4, 1), 3.0, "float32")
GRID = [0.05, 0.1, 0.25, 0.5]


def build(hp):
    inputs = keras.Input((1,))
    dense = keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")
    model = keras.Model(inputs, dense(inputs))
    model.compile(keras.optimizers.SGD(hp.Choice("lr", GRID)), "mse")
    return model


def test_trials_in_order_with_hand_computed_scores_and_best_so_far():
    table = search_hyperparameters(
        build, (X, Y), (X, Y), method="random", trials=4, epochs=1, batch_size=4
    )
    assert table["trial"].tolist() == list(range(1, len(table) + 1))
    expected = [(3 - 6 * lr) ** 2 for lr in table["lr"]]
    np.testing.assert_allclose(table["score"], expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        table["best_so_far"], np.minimum.accumulate(expected), rtol=1e-5, atol=1e-6
    )
    assert set(table["lr"]) <= set(GRID)


def test_the_same_seed_gives_the_same_search_and_bayesian_runs():
    first = search_hyperparameters(build, (X, Y), (X, Y), trials=2, seed=3, epochs=1)
    again = search_hyperparameters(build, (X, Y), (X, Y), trials=2, seed=3, epochs=1)
    assert first["lr"].tolist() == again["lr"].tolist()
    bayes = search_hyperparameters(
        build,
        (X, Y),
        (X, Y),
        method="bayesian",
        trials=3,
        epochs=1,
        batch_size=4,
        initial_points=1,
    )
    assert 1 <= len(bayes) <= 3 and set(bayes["lr"]) <= set(GRID)


def test_compare_searches_rows_fit_summarize_and_plot_runs(capsys):
    runs = compare_searches(
        build,
        (X, Y),
        (X, Y),
        methods=["random"],
        seeds=[0, 1],
        trials=4,
        epochs=1,
        batch_size=4,
    )
    assert runs[["config", "seed"]].values.tolist() == [["random", 0], ["random", 1]]
    for _, row in runs.iterrows():
        scores = [t["score"] for t in row["trials"]]
        assert row["best_val_loss"] == pytest.approx(min(scores))
        assert row["history"]["best_so_far"][-1] == pytest.approx(min(scores))
        best = row["trials"][row["best_trial"] - 1]
        assert row["best"] == {"lr": best["lr"]}
    assert len(capsys.readouterr().out.strip().splitlines()) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"method": "grid"}, ValueError, "`method` must be one of 'random'"),
        ({"trials": 0}, ValueError, "`trials` must be a positive integer"),
        ({"build": None}, TypeError, "`build` must be a callable"),
        ({"train": X}, TypeError, "`train` must be an"),
        ({"initial_points": 2}, ValueError, "`initial_points` must be None unless"),
        (
            {"method": "bayesian", "initial_points": 0},
            ValueError,
            "`initial_points` must be a positive integer or None",
        ),
    ],
)
def test_bad_arguments_name_themselves(kwargs, error, match):
    args = {"build": build, "train": (X, Y), "validation": (X, Y), **kwargs}
    with pytest.raises(error, match=match):
        search_hyperparameters(args.pop("build"), args.pop("train"), **args)


def test_compare_searches_refuses_empty_lists():
    with pytest.raises(ValueError, match="`seeds` must be a non-empty list"):
        compare_searches(build, (X, Y), (X, Y), seeds=[])
