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

from rnn_zoo.training.tuning import compare_searches, search_hyperparameters

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


def build_continuous(hp):
    """As `build`, with the learning rate drawn from an interval, not a grid.

    Two unseeded searches then almost surely try different rates, so equal runs
    show that the seed reached the tuner's sampler.
    """
    inputs = keras.Input((1,))
    dense = keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")
    model = keras.Model(inputs, dense(inputs))
    model.compile(keras.optimizers.SGD(hp.Float("lr", 0.01, 0.6)), "mse")
    return model


@pytest.mark.parametrize("method", ["random", "bayesian"])
def test_the_same_seed_gives_the_same_search(method):
    def run(seed):
        return search_hyperparameters(
            build_continuous,
            (X, Y),
            (X, Y),
            method=method,
            trials=3,
            epochs=1,
            batch_size=4,
            seed=seed,
            **({"initial_points": 1} if method == "bayesian" else {}),
        )

    first, again, other = run(3), run(3), run(4)
    assert len(first) == 3  # three distinct trials were run
    assert first["lr"].tolist() == again["lr"].tolist()  # the same rates, in order
    np.testing.assert_allclose(first["score"], again["score"], rtol=1e-6)
    expected = [(3 - 6 * lr) ** 2 for lr in first["lr"]]  # and the real scores
    np.testing.assert_allclose(first["score"], expected, rtol=1e-4, atol=1e-6)
    assert first["lr"].tolist() != other["lr"].tolist()  # the seed is what fixed them


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
        ({"method": "sobol"}, ValueError, "`method` must be one of .grid."),
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


def test_grid_search_tries_exactly_the_grid_in_order():
    table = search_hyperparameters(
        build, (X, Y), (X, Y), method="grid", trials=10, epochs=1, batch_size=4
    )
    # every grid point once, then it stops although 10 trials were allowed
    assert table["lr"].tolist() == GRID
    expected = [(3 - 6 * lr) ** 2 for lr in GRID]
    np.testing.assert_allclose(table["score"], expected, rtol=1e-5, atol=1e-6)
    assert table["best_so_far"].iloc[-1] == pytest.approx(0.0, abs=1e-6)  # lr 0.5
    first_two = search_hyperparameters(
        build, (X, Y), (X, Y), method="grid", trials=2, epochs=1, batch_size=4
    )
    assert first_two["lr"].tolist() == GRID[:2]


def build_two(hp):
    """A 2 x 2 grid: learning rate and the starting weight."""
    inputs = keras.Input((1,))
    start = keras.initializers.Constant(hp.Choice("w0", [0.0, 1.0]))
    dense = keras.layers.Dense(1, use_bias=False, kernel_initializer=start)
    model = keras.Model(inputs, dense(inputs))
    model.compile(keras.optimizers.SGD(hp.Choice("lr", [0.1, 0.5])), "mse")
    return model


def test_grid_search_covers_the_product_of_two_choices():
    runs = compare_searches(
        build_two,
        (X, Y),
        (X, Y),
        methods=["grid"],
        seeds=[0],
        trials=4,
        epochs=1,
        batch_size=4,
        progress=False,
    )
    tried = {(t["w0"], t["lr"]) for t in runs.loc[0, "trials"]}
    assert tried == {(0.0, 0.1), (0.0, 0.5), (1.0, 0.1), (1.0, 0.5)}
    # one SGD step from w0: w = w0 + 2 lr (3 - w0); lr 0.5 lands on 3 exactly
    assert runs.loc[0, "best"]["lr"] == 0.5
    assert runs.loc[0, "best_val_loss"] == pytest.approx(0.0, abs=1e-6)
