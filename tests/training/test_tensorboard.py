"""`fit(run_dir=...)` writes TensorBoard logs that say what ``history.csv`` says.

The event files are read back with TensorBoard's own reader
(``EventAccumulator``), not with the writer's code.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.util.tensor_util import make_ndarray

from rnn_zoo.training import GradientNormLog, fit, set_seed


def _events(folder):
    """``{tag: {step: value}}`` (scalars) and the histogram tags of a log folder."""
    accumulator = EventAccumulator(str(folder), size_guidance={"tensors": 0})
    accumulator.Reload()
    scalars, histograms = {}, set()
    for tag in accumulator.Tags()["tensors"]:
        plugin = accumulator.SummaryMetadata(tag).plugin_data.plugin_name
        if plugin == "histograms":
            histograms.add(tag)
            continue
        scalars[tag] = {
            event.step: float(make_ndarray(event.tensor_proto))
            for event in accumulator.Tensors(tag)
        }
    return scalars, histograms


def _history(run_dir):
    with open(run_dir / "history.csv", newline="") as f:
        return list(csv.DictReader(f))


def _train(build, data, run_dir, **kwargs):
    set_seed(0)
    X, y = data
    options = {
        "validation": (X[:4], y[:4]),
        "epochs": 3,
        "batch_size": 4,
        "loss": "mse",
        "metrics": ["mae"],
        "early_stopping": None,
        "run_dir": run_dir,
        "verbose": 0,
        **kwargs,
    }
    return fit(build, data, **options)


def test_logged_scalars_equal_history_csv(build_regressor, regression_data, tmp_path):
    X, y = regression_data
    probe = GradientNormLog((X[:4], y[:4]))
    _train(build_regressor, regression_data, tmp_path, callbacks=[probe])
    rows = _history(tmp_path)
    assert [int(row["epoch"]) for row in rows] == [0, 1, 2]
    train, train_histograms = _events(tmp_path / "logs" / "train")
    validation, _ = _events(tmp_path / "logs" / "validation")
    assert set(train) == {
        "epoch_loss",
        "epoch_mae",
        "epoch_grad_norm",
        "epoch_learning_rate",
    }
    # Keras also logs each validation against the step count (2 batches/epoch)
    assert set(validation) == {
        "epoch_loss",
        "epoch_mae",
        "evaluation_loss_vs_iterations",
        "evaluation_mae_vs_iterations",
    }
    for name in ("loss", "mae"):
        by_step = validation[f"evaluation_{name}_vs_iterations"]
        assert by_step == pytest.approx(
            {2 * (epoch + 1): validation[f"epoch_{name}"][epoch] for epoch in range(3)}
        )
    for tag, column, logs in [
        ("epoch_loss", "loss", train),
        ("epoch_mae", "mae", train),
        ("epoch_grad_norm", "grad_norm", train),
        ("epoch_loss", "val_loss", validation),
        ("epoch_mae", "val_mae", validation),
    ]:
        assert sorted(logs[tag]) == [0, 1, 2], tag
        np.testing.assert_allclose(
            [logs[tag][step] for step in (0, 1, 2)],
            [float(row[column]) for row in rows],
            rtol=1e-6,  # written as float32
            err_msg=tag,
        )
    np.testing.assert_allclose(
        list(train["epoch_learning_rate"].values()), [1e-3] * 3, rtol=1e-6
    )
    # GradientNormLog's last measurement of each epoch is the logged one.
    assert train["epoch_grad_norm"][2] == pytest.approx(probe.norms[-1], rel=1e-6)
    assert train_histograms == set()  # histograms are off by default


def test_histograms_every_histogram_freq_epochs(
    build_regressor, regression_data, tmp_path
):
    model = _train(build_regressor, regression_data, tmp_path, histogram_freq=2).model
    _, histograms = _events(tmp_path / "logs" / "train")
    assert histograms == {f"{weight.path}/histogram" for weight in model.weights}
    accumulator = EventAccumulator(
        str(tmp_path / "logs" / "train"), size_guidance={"tensors": 0}
    )
    accumulator.Reload()
    steps = [e.step for e in accumulator.Tensors("lstm/lstm_cell/kernel/histogram")]
    assert steps == [0, 2]


def test_starting_over_replaces_the_logs_and_continuing_appends(
    build_regressor, regression_data, tmp_path
):
    _train(build_regressor, regression_data, tmp_path, epochs=2)
    first, _ = _events(tmp_path / "logs" / "train")
    _train(build_regressor, regression_data, tmp_path, epochs=2)  # starts over
    again, _ = _events(tmp_path / "logs" / "train")
    assert again["epoch_loss"] == pytest.approx(first["epoch_loss"])
    assert len(list((tmp_path / "logs" / "train").iterdir())) == 1
    _train(
        build_regressor,
        regression_data,
        tmp_path,
        epochs=3,
        continue_finished=True,
    )
    continued, _ = _events(tmp_path / "logs" / "train")
    rows = _history(tmp_path)
    assert sorted(continued["epoch_loss"]) == [0, 1, 2]
    np.testing.assert_allclose(
        [continued["epoch_loss"][step] for step in (0, 1, 2)],
        [float(row["loss"]) for row in rows],
        rtol=1e-6,
    )


def test_histogram_freq_must_be_a_non_negative_integer(
    build_regressor, regression_data
):
    with pytest.raises(ValueError, match="`histogram_freq` must be a non-negative"):
        fit(build_regressor, regression_data, loss="mse", histogram_freq=-1)
