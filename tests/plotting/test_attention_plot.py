"""plot_attention: trimming, tick labels, colour scale, gold boxes, bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnn_zoo.datasets import make_date_pairs  # noqa: E402
from rnn_zoo.plotting import plot_attention  # noqa: E402
from rnn_zoo.plotting.attention import SPACE_LABEL  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labels(ticks):
    return [t.get_text() for t in ticks]


def test_rows_are_outputs_columns_inputs_with_padding_trimmed():
    source, target = "3 Mar", "03"
    # 4 output steps (2 chars + end + pad) x 8 source positions (5 chars + 3 pads)
    weights = np.zeros((4, 8))
    weights[0, 0] = weights[1, 0] = 1.0
    weights[2:, 5:] = 0.5  # end/pad rows and pad columns: must not be drawn
    fig = plot_attention(weights, source, target)
    ax = fig.axes[0]
    image = ax.images[0]
    assert image.get_array().shape == (2, 5)
    np.testing.assert_array_equal(image.get_array(), weights[:2, :5])
    assert _labels(ax.get_xticklabels()) == ["3", SPACE_LABEL, "M", "a", "r"]
    assert _labels(ax.get_yticklabels()) == ["0", "3"]
    assert image.get_clim() == (0.0, 1.0)
    assert ax.get_title() == "Attention weights"
    assert "input" in ax.get_xlabel() and "output" in ax.get_ylabel()
    assert len(fig.axes) == 2  # the heatmap and its colorbar
    assert "attention weight" in fig.axes[1].get_ylabel()


def test_source_offset_skips_a_start_token_column_and_lists_of_tokens():
    weights = np.array([[0.5, 0.3, 0.2], [0.0, 0.1, 0.9]])
    fig = plot_attention(
        weights, ["ab", "cd"], ["x", "y"], source_offset=1, title="custom"
    )
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.images[0].get_array(), weights[:, 1:])
    assert _labels(ax.get_xticklabels()) == ["ab", "cd"]
    assert ax.get_title() == "custom"


def test_gold_alignment_boxes_match_the_date_spans():
    pairs = make_date_pairs(1, formats=["{d} {b} {Y}"], seed=0)
    source, target = pairs.sources[0], pairs.targets[0]
    fig = plot_attention(
        pairs.alignment_matrix(0), source, target, alignment=pairs.alignments[0]
    )
    ax = fig.axes[0]
    boxes = ax.patches
    assert len(boxes) == 8  # every character except the two dashes
    year = pairs.alignments[0][0]
    assert boxes[0].get_x() == year[0] - 0.5 and boxes[0].get_width() == 4
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["gold alignment"]
    assert _labels(ax.get_yticklabels()) == list(target)


def test_draws_into_a_given_axes():
    fig, axes = plt.subplots(1, 2)
    out = plot_attention(np.eye(2), "ab", "ab", ax=axes[1], title=None)
    assert out is fig
    assert axes[1].images and not axes[0].images
    assert axes[1].get_title() == ""


@pytest.mark.parametrize(
    ("weights", "source", "target", "kwargs", "error", "match"),
    [
        (np.ones(3), "abc", "x", {}, ValueError, "`weights` must be a 2-D array"),
        (np.ones((1, 2)), "abc", "x", {}, ValueError, "at least 1 rows .* 3 columns"),
        (np.ones((1, 3)), "abc", "xy", {}, ValueError, "at least 2 rows"),
        (np.ones((1, 3)), "abc", "x", {"source_offset": 1}, ValueError, "4 columns"),
        ([["a"]], "a", "x", {}, TypeError, "`weights` must be a 2-D array"),
        (np.full((1, 1), np.nan), "a", "x", {}, ValueError, "only finite"),
        (np.ones((1, 1)), "", "x", {}, ValueError, "`source_tokens` must be"),
        (np.ones((1, 1)), "a", [1], {}, TypeError, "`target_tokens` must be"),
        (np.ones((1, 1)), "a", "x", {"alignment": [(0, 2)]}, ValueError, "Bad span"),
        (np.ones((1, 1)), "a", "x", {"alignment": []}, ValueError, "`alignment`"),
        (np.ones((1, 1)), "a", "x", {"ax": "ax"}, TypeError, "`ax` must be"),
        (np.ones((1, 1)), "a", "x", {"source_offset": -1}, ValueError, "offset"),
    ],
)
def test_bad_input(weights, source, target, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_attention(weights, source, target, **kwargs)
