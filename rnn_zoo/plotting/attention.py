"""Attention heatmaps: which input characters each output character looked at.

`plot_attention` draws one weight matrix of a sequence-to-sequence model (rows =
output tokens, columns = input tokens), trims the padding, labels every tick
with the actual token and can outline the gold alignment, e.g. the spans that
``rnn_zoo.datasets.make_date_pairs`` returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from rnn_zoo._validation import check_finite, check_int, check_type, error_message

__all__ = ["plot_attention"]

#: How a space is shown on an axis, so a blank tick is never ambiguous.
SPACE_LABEL = "\u2423"


def _tokens(value: Any, name: str) -> list[str]:
    allowed = "a non-empty string or a non-empty list of string tokens"
    if isinstance(value, str):
        tokens = list(value)
    elif isinstance(value, Sequence) and all(isinstance(t, str) for t in value):
        tokens = list(value)
    else:
        raise TypeError(error_message(name, allowed, value))
    if not tokens:
        raise ValueError(error_message(name, allowed, value))
    return tokens


def _label(token: str) -> str:
    return SPACE_LABEL if token == " " else token


def plot_attention(
    weights: Any,
    source_tokens: str | Sequence[str],
    target_tokens: str | Sequence[str],
    *,
    source_offset: int = 0,
    alignment: Sequence[tuple[int, int]] | None = None,
    title: str | None = "Attention weights",
    ax: Axes | None = None,
    cmap: str = "viridis",
) -> Figure:
    """Draw an attention matrix as a heatmap labelled with the tokens.

    Rows are output (target) tokens, columns input (source) tokens. Only the
    ``len(target_tokens)`` first rows and the ``len(source_tokens)`` columns
    from ``source_offset`` on are drawn, so padding (and a start-token column or
    an end-token row) is trimmed away. A space is labelled ``"␣"``. The colour
    scale runs from 0 to 1 (each row of softmax weights sums to 1) with a
    colorbar.

    Args:
        weights: 2-D array ``(output steps, source positions)``, at least
            ``len(target_tokens)`` rows and ``source_offset + len(source_tokens)``
            columns, e.g. one matrix returned by the decoders.
        source_tokens: The input, as a string (one token per character) or a
            list of tokens.
        target_tokens: The output, likewise (e.g. the decoded prediction).
        source_offset: int. The column of the first source token: 1 when the
            encoder read a start token first. Defaults to 0.
        alignment: Optional gold ``(start, end)`` source span per target token
            (``(-1, -1)`` for none), as in ``make_date_pairs(...).alignments``;
            each is outlined with a red box, with a legend. Defaults to None.
        title: Axes title, or None for none. Defaults to ``"Attention weights"``.
        ax: A matplotlib ``Axes`` to draw into (e.g. one panel of a grid), or
            None for a new figure sized to the matrix. Defaults to None.
        cmap: Matplotlib colormap name. Defaults to ``"viridis"``.

    Returns:
        The matplotlib ``Figure`` (``ax.figure`` when ``ax`` is given); the
        heatmap is ``fig.axes[0].images[0]`` of a new figure, the colorbar
        ``fig.axes[1]``.

    Raises:
        TypeError: If ``weights`` is not numeric, the tokens are not strings, or
            ``ax`` is not an Axes.
        ValueError: If ``weights`` is not 2-D, holds NaN/inf, or is smaller
            than the tokens need; a token sequence is empty; ``source_offset``
            is negative; or ``alignment`` has the wrong length or a span outside
            the source.

    Example:
        >>> import numpy as np
        >>> weights = np.array([[0.9, 0.1, 0.0], [0.2, 0.8, 0.0]])  # 1 pad column
        >>> fig = plot_attention(weights, "ab", "xy")
        >>> ax = fig.axes[0]
        >>> [t.get_text() for t in ax.get_xticklabels()], ax.images[0].get_array().shape
        (['a', 'b'], (2, 2))
    """
    source = _tokens(source_tokens, "source_tokens")
    target = _tokens(target_tokens, "target_tokens")
    source_offset = check_int(source_offset, "source_offset", minimum=0)
    try:
        matrix = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            error_message("weights", "a 2-D array of numbers", weights)
        ) from None
    need = (len(target), source_offset + len(source))
    if matrix.ndim != 2 or matrix.shape[0] < need[0] or matrix.shape[1] < need[1]:
        raise ValueError(
            error_message(
                "weights",
                f"a 2-D array with at least {need[0]} rows (one per target token) "
                f"and {need[1]} columns (source_offset + one per source token)",
                matrix,
            )
        )
    matrix = check_finite(matrix, "weights")
    matrix = matrix[: need[0], source_offset : need[1]]
    spans = _check_alignment(alignment, len(target), len(source))
    if ax is None:
        width = min(12.0, 2.0 + 0.3 * len(source))
        fig, ax = plt.subplots(figsize=(width, 1.2 + 0.3 * len(target)))
    else:
        check_type(ax, "ax", Axes, "a matplotlib Axes or None")
        fig = ax.figure
    image = ax.imshow(matrix, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(source)), [_label(t) for t in source])
    ax.set_yticks(range(len(target)), [_label(t) for t in target])
    ax.tick_params(axis="x", labeltop=True, labelbottom=False, top=True)
    ax.xaxis.set_label_position("top")
    ax.set_xlabel("input character (source position)")
    ax.set_ylabel("output character (target position)")
    for row, (start, end) in enumerate(spans):
        if start >= 0:
            ax.add_patch(
                Rectangle(
                    (start - 0.5, row - 0.5),
                    end - start,
                    1,
                    fill=False,
                    edgecolor="red",
                    linewidth=1.2,
                    label="gold alignment" if not ax.patches else None,
                )
            )
    if ax.patches:
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.02), frameon=False)
    fig.colorbar(image, ax=ax, label="attention weight (0-1)")
    if title is not None:
        ax.set_title(title, pad=6)
    return fig


def _check_alignment(
    alignment: Any, n_target: int, n_source: int
) -> list[tuple[int, int]]:
    if alignment is None:
        return []
    allowed = (
        f"None or {n_target} (start, end) spans (one per target token) with "
        f"0 <= start < end <= {n_source}, or (-1, -1)"
    )
    if not isinstance(alignment, Sequence) or len(alignment) != n_target:
        raise ValueError(error_message("alignment", allowed, alignment))
    spans = []
    for span in alignment:
        try:
            start, end = (int(v) for v in span)
        except (TypeError, ValueError):
            raise ValueError(error_message("alignment", allowed, alignment)) from None
        if not (start == end == -1 or 0 <= start < end <= n_source):
            raise ValueError(
                error_message("alignment", allowed, alignment, f"Bad span: {span!r}")
            )
        spans.append((start, end))
    return spans
