"""plot_runs: mean curves with min-max bands, dots per seed, labels and errors."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from rnn_zoo.plotting import plot_runs  # noqa: E402

RUNS = pd.DataFrame(
    {
        "config": ["adam", "adam", "sgd", "sgd"],
        "seed": [0, 1, 0, 1],
        "test_loss": [0.2, 0.4, 1.0, np.nan],
        "history": [
            {"val_loss": [1.0, 0.5, 0.25]},
            {"val_loss": [3.0, 1.5, 0.75]},
            {"val_loss": [2.0, 2.0, 2.0]},
            {"val_loss": [4.0, float("nan")]},  # diverged in epoch 2
        ],
        "grad_norms": [[1.0, 2.0], [3.0, 4.0], [5.0], [7.0]],
    }
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_curves_show_the_mean_over_seeds_and_the_min_max_band():
    fig = plot_runs(RUNS, "val_loss", ylabel="MSE", log_scale=True)
    (ax,) = fig.axes
    adam, sgd = ax.lines
    np.testing.assert_allclose(adam.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(adam.get_ydata(), [2.0, 1.0, 0.5])
    # sgd: the diverged seed counts until it stops being finite
    np.testing.assert_allclose(sgd.get_ydata(), [3.0, 2.0, 2.0])
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() == pytest.approx(0.25)
    assert band[:, 1].max() == pytest.approx(3.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "adam (mean of 2)",
        "sgd (mean of 2)",
    ]
    assert ax.get_yscale() == "log"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "MSE")
    assert ax.get_title() == "val_loss over seeds"


def test_a_column_of_lists_is_plotted_as_curves_too():
    ax = plot_runs(RUNS, "grad_norms", xlabel="training step").axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [2.0, 3.0])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [6.0])
    assert ax.get_xlabel() == "training step"


def test_numbers_per_run_are_dots_with_the_mean_and_diverged_runs_counted():
    fig, given = plt.subplots()
    out = plot_runs(RUNS, "test_loss", title="Test MSE", ax=given)
    assert out is fig
    dots = [c.get_offsets()[:, 1].tolist() for c in given.collections[::2]]
    assert dots == [pytest.approx([0.2, 0.4]), pytest.approx([1.0])]
    means = [c.get_segments()[0][0][1] for c in given.collections[1::2]]
    assert means == pytest.approx([0.3, 1.0])
    labels = [t.get_text() for t in given.get_xticklabels()]
    assert labels == ["adam", "sgd\n(1 diverged)"]
    legend = [t.get_text() for t in given.get_legend().get_texts()]
    assert legend == ["one seed", "mean over seeds"]
    assert given.get_title() == "Test MSE" and given.get_xlabel() == "configuration"


def test_bad_input_names_the_argument():
    with pytest.raises(TypeError, match="`runs` must be a DataFrame"):
        plot_runs(RUNS.to_dict(), "val_loss")
    with pytest.raises(ValueError, match="`runs` must be a non-empty DataFrame"):
        plot_runs(RUNS.drop(columns="config"), "val_loss")
    with pytest.raises(ValueError, match="Pass history=True to compare_runs"):
        plot_runs(RUNS, "accuracy")
    with pytest.raises(ValueError, match="Pass history=True"):
        plot_runs(RUNS.drop(columns="history"), "val_loss")


def test_long_names_wrap_and_epochs_are_whole_numbers():
    runs = RUNS.assign(config=["Glorot/Xavier uniform"] * 2 + ["sgd"] * 2)
    ax = plot_runs(runs, "test_loss").axes[0]
    assert ax.get_xticklabels()[0].get_text() == "Glorot/Xavier\nuniform"
    ax = plot_runs(RUNS, "val_loss").axes[0]
    ticks = [t for t in ax.get_xticks() if 1 <= t <= 3]
    assert ticks == [1.0, 2.0, 3.0]
