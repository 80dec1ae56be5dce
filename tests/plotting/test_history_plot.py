"""plot_history: panels, line data, labels, log scale and bad input (headless)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_zoo.plotting import plot_history  # noqa: E402

HISTORY = {
    "loss": [1.0, 0.5, 0.25],
    "mae": [0.9, 0.6, 0.4],
    "val_loss": [1.2, 0.7, 0.5],
    "val_mae": [1.0, 0.8, 0.6],
    "learning_rate": [1e-3, 1e-3, 1e-3],
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


class FakeHistory:
    """Quacks like keras.callbacks.History, resumed at epoch index 4."""

    def __init__(self):
        self.history = {"loss": [0.4, 0.3], "val_loss": [0.5, 0.45]}
        self.epoch = [4, 5]


def test_one_panel_per_metric_with_training_and_validation_lines():
    fig = plot_history(HISTORY)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "mae"]  # no learning_rate
    assert fig.get_suptitle() == "Training history"
    for ax, name in zip(fig.axes, ["loss", "mae"], strict=True):
        train, val = ax.get_lines()
        assert ax.get_xlabel() == "epoch"
        assert ax.get_ylabel() == name
        np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3])
        np.testing.assert_allclose(train.get_ydata(), HISTORY[name])
        np.testing.assert_allclose(val.get_ydata(), HISTORY["val_" + name])
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == ["training", "validation"]
        assert ax.get_yscale() == "linear"


def test_metrics_selection_labels_and_log_scale():
    fig = plot_history(
        HISTORY,
        metrics="loss",
        log_scale=True,
        labels={"loss": "MSE (scaled units²)"},
        title="LSTM on sine",
    )
    (ax,) = fig.axes
    assert ax.get_ylabel() == "MSE (scaled units²)"
    assert ax.get_yscale() == "log"
    assert fig.get_suptitle() == "LSTM on sine"


def test_no_validation_curve_gives_single_line():
    fig = plot_history({"loss": [3.0, 2.0]}, title=None)
    (ax,) = fig.axes
    assert [line.get_label() for line in ax.get_lines()] == ["training"]
    assert fig.get_suptitle() == ""


def test_history_object_keeps_its_epoch_numbers():
    fig = plot_history(FakeHistory())
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_xdata(), [5, 6])


def test_keras_history_from_fit():
    keras = pytest.importorskip("keras")
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(inputs))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    history = model.fit(x, y, validation_data=(x, y), epochs=2, verbose=0)
    fig = plot_history(history)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "mae"]
    np.testing.assert_allclose(
        fig.axes[0].get_lines()[1].get_ydata(), history.history["val_loss"]
    )


@pytest.mark.parametrize(
    ("history", "kwargs", "error", "match"),
    [
        ([1, 2], {}, TypeError, "`history` must be a keras.callbacks.History"),
        ({}, {}, ValueError, "`history` must be non-empty"),
        ({"loss": [1, 2], "val_loss": [1]}, {}, ValueError, "one common, non-zero"),
        ({"loss": ["a"]}, {}, TypeError, "must be a sequence of numbers"),
        ({"val_loss": [1.0]}, {}, ValueError, "at least one training curve"),
        (HISTORY, {"metrics": "acc"}, ValueError, "`metrics` must be names present"),
        (HISTORY, {"metrics": 3}, TypeError, "`metrics` must be a string"),
        (HISTORY, {"metrics": []}, ValueError, "`metrics` must be a non-empty"),
        ({"loss": [1.0, 0.0]}, {"log_scale": True}, ValueError, "`log_scale`"),
        (HISTORY, {"log_scale": "yes"}, TypeError, "`log_scale` must be a bool"),
    ],
)
def test_bad_input(history, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_history(history, **kwargs)
