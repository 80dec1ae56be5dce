"""compare_runs, summarize_runs, clearly_better: rows, routing and hand-computed runs.

The model is one weight ``w`` (Dense(1), no bias) fitted to ``y = 3`` at ``x = 1``
with MSE and full-batch SGD, so every logged number follows by hand:
``loss(w) = (w - 3)^2``, ``grad = 2 (w - 3)``, ``w <- w - lr * grad``.
"""

from __future__ import annotations

import math

import keras
import numpy as np
import pandas as pd
import pytest

from rnn_zoo.training.experiments import (
    clearly_better,
    compare_runs,
    describe_difference,
    summarize_runs,
)
from rnn_zoo.training.gradient_log import (
    GradientNormLog,
    gradient_norm,
    gradient_norms_by_weight,
)

X = np.ones((4, 1), "float32")
Y = np.full((4, 1), 3.0, "float32")


def one_weight(initial=0.0):
    inputs = keras.Input((1,))
    layer = keras.layers.Dense(
        1,
        use_bias=False,
        kernel_initializer=keras.initializers.Constant(initial),
        name="w",
    )
    return keras.Model(inputs, layer(inputs))


def runs_of(configs, seeds=(0,), budget=2, **options):
    kwargs = dict(
        build=one_weight,
        train=(X, Y),
        validation=(X, Y),
        loss="mse",
        optimizer="sgd",
        learning_rate=0.1,
        clipnorm=None,
        batch_size=4,
        progress=False,
    )
    kwargs.update(options)
    return compare_runs(configs, list(seeds), budget, **kwargs)


def test_one_row_per_config_and_seed_in_order_with_hand_computed_losses():
    runs = runs_of({"a": {}, "b": {"initial": 3.0}}, seeds=(0, 1))
    assert runs[["config", "seed"]].values.tolist() == [
        ["a", 0],
        ["a", 1],
        ["b", 0],
        ["b", 1],
    ]
    a = runs[runs["config"] == "a"].iloc[0]
    # epoch 1: loss 9 at w=0, w -> 0.6, val (0.6-3)^2; epoch 2: w -> 1.08
    assert a["final_loss"] == pytest.approx(5.76)
    assert a["final_val_loss"] == pytest.approx(1.92**2)
    assert a["best_val_loss"] == pytest.approx(1.92**2)
    assert a["best_epoch"] == 2 and a["epochs"] == 2
    assert not a["diverged"] and not a["stopped_by_time"]
    assert a["params"] == 1 and a["seconds"] > 0
    assert a["seconds_per_epoch"] == pytest.approx(a["seconds"] / 2)
    # the non-fit setting went to build: starting at the answer, nothing to learn
    b = runs[runs["config"] == "b"]
    assert b["final_val_loss"].tolist() == [0.0, 0.0]


def test_config_fit_options_override_the_shared_ones():
    runs = runs_of(
        {
            "shared": {},
            "slower": {"learning_rate": 0.05},
            "clipped": {"clipnorm": 1.0},
        },
        budget=1,
    )
    val = dict(zip(runs["config"], runs["final_val_loss"], strict=True))
    assert val["shared"] == pytest.approx(2.4**2)  # w = 0.1 * 6
    assert val["slower"] == pytest.approx(2.7**2)  # w = 0.05 * 6
    assert val["clipped"] == pytest.approx(2.9**2)  # gradient 6 clipped to 1


def test_an_optimizer_instance_is_copied_for_every_run():
    momentum = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    runs = runs_of({"momentum": {"optimizer": momentum}}, seeds=(0, 1, 2), budget=3)
    # shared velocity would make later seeds differ from the first
    assert runs["final_val_loss"].nunique() == 1
    # by hand: v1 = -0.6, w1 = 0.6; v2 = 0.9 v1 - 0.1 * 2 (0.6 - 3) = -0.06 ...
    w, v = 0.0, 0.0
    for _ in range(3):
        v = 0.9 * v - 0.1 * 2 * (w - 3)
        w = w + v
    assert runs["final_val_loss"].iloc[0] == pytest.approx((w - 3) ** 2, rel=1e-5)
    assert int(momentum.iterations) == 0  # the given instance was never used


def test_early_stopping_is_off_by_default_and_restores_the_best_when_asked():
    # lr 1.1 overshoots: val loss 12.96 (w = 6.6), then 18.66 (w = -1.32), ...
    runs = runs_of(
        {"none": {}, "patience 1": {"early_stopping": 1}},
        budget=4,
        learning_rate=1.1,
        test=(X, Y),
    )
    none, stopped = runs.iloc[0], runs.iloc[1]
    assert none["epochs"] == 4 and stopped["epochs"] == 2
    assert stopped["best_val_loss"] == pytest.approx(3.6**2)
    assert stopped["best_epoch"] == 1
    assert stopped["test_loss"] == pytest.approx(3.6**2, rel=1e-5)  # best restored
    assert none["test_loss"] == pytest.approx(none["final_val_loss"], rel=1e-5)
    assert none["test_loss"] > stopped["test_loss"]


def test_a_diverging_run_is_a_row_not_an_error():
    # lr 10, 4 steps an epoch: |w - 3| grows 19x per step, the loss overflows
    # float32 (3.4e38) within 16 steps, so in the 4th epoch at the latest
    runs = runs_of(
        {"huge lr": {"learning_rate": 10.0, "batch_size": 1}, "ok": {}}, budget=6
    )
    huge, ok = runs.iloc[0], runs.iloc[1]
    assert huge["diverged"] and 1 <= huge["epochs"] < 4
    assert math.isnan(huge["final_loss"]) and math.isnan(huge["final_val_loss"])
    assert huge["best_val_loss"] > 1e9  # the finite epochs before it blew up
    assert not ok["diverged"] and ok["epochs"] == 6
    summary = summarize_runs(runs, "final_val_loss")
    assert summary.loc["huge lr", "diverged"] == 1
    assert summary.loc["ok", "diverged"] == 0


def test_gradient_probe_logs_the_norm_before_clipping_and_the_history():
    runs = runs_of(
        {"clipped": {"clipnorm": 0.5}},
        budget=2,
        gradient_probe=(X[:1], Y[:1]),
        history=True,
        keep_models=True,
    )
    row = runs.iloc[0]
    # steps: w 0 -> 0.05 -> 0.1; gradients after them 2 (w - 3): -5.9, -5.8
    assert row["grad_norms"] == pytest.approx([5.9, 5.8], rel=1e-5)
    assert row["max_grad_norm"] == pytest.approx(5.9, rel=1e-5)
    assert row["history"]["grad_norm"] == pytest.approx([5.9, 5.8], rel=1e-5)
    assert row["history"]["loss"] == pytest.approx([9.0, 2.95**2], rel=1e-5)
    weight = float(row["model"].get_layer("w").get_weights()[0][0, 0])
    assert weight == pytest.approx(0.1, rel=1e-5)


def test_time_cap_stops_a_run_and_says_so():
    runs = runs_of({"a": {}}, budget=5, seconds=1e-9)
    assert runs.iloc[0]["epochs"] == 1 and runs.iloc[0]["stopped_by_time"]


def test_progress_prints_one_line_per_run(capsys):
    runs_of({"a": {}, "b": {}}, seeds=(0, 1), budget=1, progress=True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4 and "seed 1" in lines[1] and "best val_loss" in lines[0]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"configs": {}}, ValueError, "`configs` must be a non-empty mapping"),
        ({"configs": [("a", {})]}, TypeError, "`configs` must be"),
        ({"configs": {"a": 1}}, TypeError, "Entry 'a' is not str -> dict"),
        ({"seeds": []}, ValueError, "`seeds` must be a non-empty list"),
        ({"seeds": [1, 1]}, ValueError, "`seeds` must be a list of distinct"),
        ({"seeds": [-1]}, ValueError, "`seeds` must be a non-negative integer"),
        ({"budget": 0}, ValueError, "`budget` must be a positive integer"),
        ({"build": None}, TypeError, "`build` must be a callable"),
        ({"loss": None}, ValueError, "`loss` must be a loss name"),
        ({"seconds": 0}, ValueError, "`seconds` must be a number > 0.0"),
        ({"history": 1}, TypeError, "`history` must be a bool"),
        ({"configs": {"a": {"epochs": 3}}}, ValueError, "Entry 'a' sets them"),
        ({"verbose": 2}, ValueError, "Entry 'fit_options' sets them"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, error, match):
    args = dict(
        configs={"a": {}},
        seeds=[0],
        budget=1,
        build=one_weight,
        train=(X, Y),
        loss="mse",
        progress=False,
    )
    args.update(kwargs)
    with pytest.raises(error, match=match):
        compare_runs(args.pop("configs"), args.pop("seeds"), args.pop("budget"), **args)


RUNS = pd.DataFrame(
    {
        "config": ["a", "a", "a", "b", "b", "b"],
        "loss": [1.0, 1.2, 1.1, 0.5, 0.7, 0.6],
    }
)


def test_summary_has_mean_spread_and_counts_per_config_in_order():
    summary = summarize_runs(RUNS, "loss")
    assert summary.index.tolist() == ["a", "b"]
    assert summary.loc["a", "mean"] == pytest.approx(1.1)
    assert summary.loc["a", "std"] == pytest.approx(0.1)
    assert summary.loc["b", ["min", "max"]].tolist() == pytest.approx([0.5, 0.7])
    assert summary["runs"].tolist() == [3, 3]
    with pytest.raises(ValueError, match="`metric` must be a column of `runs`"):
        summarize_runs(RUNS, "val_loss")
    with pytest.raises(TypeError, match="`runs` must be a DataFrame"):
        summarize_runs(RUNS.to_dict(), "loss")


def test_clearly_better_needs_ranges_that_do_not_overlap():
    assert clearly_better(RUNS, "loss", "a", "b") == "b"
    assert clearly_better(RUNS, "loss", "b", "a") == "b"
    assert clearly_better(RUNS, "loss", "a", "b", lower_is_better=False) == "a"
    touching = RUNS.assign(loss=[1.0, 1.2, 1.1, 0.5, 1.0, 0.6])  # 1.0 in both
    assert clearly_better(touching, "loss", "a", "b") is None
    # a diverged seed (NaN) counts as the worst value
    diverged = RUNS.assign(loss=[1.0, 1.2, 1.1, 0.5, float("nan"), 0.6])
    assert clearly_better(diverged, "loss", "a", "b") is None
    assert clearly_better(diverged, "loss", "a", "b", lower_is_better=False) == "a"
    with pytest.raises(ValueError, match="`second` must be one of"):
        clearly_better(RUNS, "loss", "a", "c")


def test_gradient_norm_is_the_global_norm_over_all_weights():
    inputs = keras.Input((2,))
    model = keras.Model(
        inputs, keras.layers.Dense(1, kernel_initializer="zeros")(inputs)
    )
    model.compile("sgd", "mse")
    # loss = (0 - 2)^2 at x = (1, 2): dL/dw = -4 x = (-4, -8), dL/db = -4
    norm = gradient_norm(model, np.array([[1.0, 2.0]]), np.array([[2.0]]))
    assert norm == pytest.approx(math.sqrt(16 + 64 + 16))
    uncompiled = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    with pytest.raises(ValueError, match="`model` must be a compiled"):
        gradient_norm(uncompiled, np.ones((1, 2)), np.ones((1, 1)))
    with pytest.raises(TypeError, match="`probe` must be an"):
        GradientNormLog(np.ones((2, 1)))
    with pytest.raises(ValueError, match="`every` must be a positive integer"):
        GradientNormLog((X, Y), every=0)


def test_describe_difference_says_not_shown_when_ranges_overlap():
    clear = describe_difference(RUNS, "loss", "a", "b")
    assert clear == (
        "**b** (loss 0.6, range 0.5–0.7 over 3 seeds) beat **a** (1.1, range "
        "1–1.2) on every seed."
    )
    touching = RUNS.assign(loss=[1.0, 1.2, 1.1, 0.5, 1.0, 0.6])
    text = describe_difference(touching, "loss", "a", "b", digits=2)
    assert text.endswith("the ranges overlap, so the difference is not shown.")
    assert "**a** (loss 1.1, range 1–1.2 over 3 seeds)" in text
    diverged = RUNS.assign(loss=[1.0, 1.2, 1.1, 0.5, float("nan"), 0.6])
    assert "(0.55, range 0.5–0.6; 1 diverged)" in describe_difference(
        diverged, "loss", "a", "b"
    )
    one_seed = RUNS.iloc[[0, 3]]
    assert describe_difference(one_seed, "loss", "a", "b") == (
        "**a** (loss 1, range 1–1 over 1 seed) and **b** (0.5, range 0.5–0.5): "
        "with one seed there is no spread to judge by, so the difference is not "
        "shown."
    )
    with pytest.raises(ValueError, match="`digits` must be a positive integer"):
        describe_difference(RUNS, "loss", "a", "b", digits=0)


def test_gradient_norms_by_weight_shows_which_weights_can_move():
    inputs = keras.Input((2,))
    hidden = keras.layers.Dense(3, kernel_initializer="zeros", name="hidden")
    head = keras.layers.Dense(1, kernel_initializer="zeros", name="head")
    model = keras.Model(inputs, head(hidden(inputs)))
    model.compile("sgd", "mse")
    norms = gradient_norms_by_weight(model, np.ones((1, 2)), np.full((1, 1), 2.0))
    # all zeros: only the output bias gets a gradient, 2 (0 - 2) = -4
    assert norms == {
        "hidden/kernel": 0.0,
        "hidden/bias": 0.0,
        "head/kernel": 0.0,
        "head/bias": 4.0,
    }
