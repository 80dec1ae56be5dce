"""plot_gradient_norms and plot_gates: labels, legends and the plotted data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_zoo.plotting import (  # noqa: E402
    plot_gates,
    plot_gradient_norms,
    plot_score_by_length,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_gradient_norms_plot_has_log_axis_labels_legend_and_data():
    norms = {"ρ = 0.5": 0.5 ** np.arange(4), "ρ = 1.5": 1.5 ** np.arange(4)}
    fig = plot_gradient_norms(norms, title="Spectral radius")
    (ax,) = fig.axes
    assert ax.get_title() == "Spectral radius"
    assert ax.get_yscale() == "log"
    assert "time steps" in ax.get_xlabel()
    assert "log scale" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(norms)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [1.0, 1.5, 2.25, 3.375])
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [0, 1, 2, 3])


def test_gradient_norms_plot_skips_underflowed_zeros_and_draws_on_given_axes():
    fig, ax = plt.subplots()
    out = plot_gradient_norms({"rnn": [1.0, 0.1, 0.0, 0.0]}, ax=ax)
    assert out is fig
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1])


def test_gradient_norms_plot_bad_input():
    with pytest.raises(TypeError, match="`norms` must be a dict"):
        plot_gradient_norms([1.0, 0.5])
    with pytest.raises(ValueError, match="`norms` must be a non-empty dict"):
        plot_gradient_norms({})
    with pytest.raises(ValueError, match=r"Received: norms\['a'\] of shape \(2, 2\)"):
        plot_gradient_norms({"a": np.ones((2, 2))})
    with pytest.raises(ValueError, match="non-negative"):
        plot_gradient_norms({"a": [1.0, -1.0]})


def test_gates_plot_one_panel_per_gate_with_units_and_marked_steps():
    rng = np.random.default_rng(0)
    gates = {name: rng.uniform(size=(2, 6, 3)) for name in ("input", "forget")}
    gates["candidate"] = rng.uniform(-1, 1, size=(2, 6, 3))
    fig = plot_gates(gates, example=1, units=[0, 2], marked_steps=[1, 4], title="T")
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == [
        "input gate",
        "forget gate",
        "candidate",
    ]
    assert fig._suptitle.get_text() == "T"
    assert axes[-1].get_xlabel() == "time step"
    assert axes[0].get_ylabel() == "activation (0–1)"
    assert axes[2].get_ylabel() == "value (−1–1)"
    np.testing.assert_allclose(axes[1].lines[1].get_ydata(), gates["forget"][1, :, 2])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["unit 0", "unit 2", "marked step"]
    assert len(axes[0].patches) == 2  # the two shaded steps


def test_gates_plot_accepts_one_sequence_and_defaults_to_four_units():
    fig = plot_gates({"update": np.full((5, 6), 0.5)})
    assert len(fig.axes[0].lines) == 4
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "marked step" not in legend


def test_gates_plot_bad_input():
    ok = np.zeros((1, 4, 2))
    with pytest.raises(TypeError, match="`gates` must be a dict"):
        plot_gates(ok)
    with pytest.raises(ValueError, match="`gates` must hold arrays of one shape"):
        plot_gates({"a": ok, "b": np.zeros((1, 5, 2))})
    with pytest.raises(ValueError, match="`units` must be an integer in \\[0, 1\\]"):
        plot_gates({"a": ok}, units=[2])
    with pytest.raises(ValueError, match="`marked_steps` must be an integer in"):
        plot_gates({"a": ok}, marked_steps=[4])
    with pytest.raises(ValueError, match="`example` must be an integer in"):
        plot_gates({"a": ok}, example=1)


def _rows(metric, scores, baseline):
    return [
        dict(cell=cell, length=n, score=s, baseline=baseline, metric=metric)
        for cell, by_length in scores.items()
        for n, s in by_length.items()
    ]


def test_score_by_length_lines_per_cell_with_baseline():
    rows = _rows(
        "mse", {"rnn": {50: 0.17, 10: 0.01}, "lstm": {10: 0.001, 50: 0.002}}, 0.17
    )
    fig = plot_score_by_length(rows, title="Adding")
    (ax,) = fig.axes
    assert ax.get_title() == "Adding"
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "sequence length (time steps)"
    assert ax.get_ylabel() == "test MSE (log scale)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["SimpleRNN", "LSTM", "baseline"]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [10, 50])  # sorted
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.01, 0.17])
    np.testing.assert_allclose(ax.lines[2].get_ydata(), [0.17, 0.17])


def test_score_by_length_accuracy_axis_and_bad_rows():
    fig = plot_score_by_length(_rows("recall_accuracy", {"gru": {8: 1.0}}, 0.25))
    assert fig.axes[0].get_yscale() == "linear"
    assert "recall accuracy" in fig.axes[0].get_ylabel()
    with pytest.raises(ValueError, match="`rows` must be a non-empty list of dicts"):
        plot_score_by_length([])
    with pytest.raises(ValueError, match="`rows` must share one metric"):
        plot_score_by_length(
            _rows("mse", {"rnn": {5: 0.1}}, 0.2)
            + _rows("recall_accuracy", {"rnn": {5: 0.1}}, 0.2)
        )
