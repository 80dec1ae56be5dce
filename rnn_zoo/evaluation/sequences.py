"""Sequence-to-sequence metrics: exact match, token accuracy, attention alignment.

- `exact_match`: the share of outputs equal to their target, as a whole.
- `token_accuracy`: the share of positions with the right token, where a missing
  or extra token counts as wrong.
- `attention_alignment_accuracy`: the share of output tokens whose
  highest-attention source position lies in the gold source span the token comes
  from (``rnn_zoo.datasets.make_date_pairs`` returns those spans as
  ``alignments``). It measures whether attention looks where a person would.

Outputs and targets are strings (compared character by character) or sequences
of tokens (lists of ids or words), one per example. Pure NumPy: importing this
module imports neither TensorFlow nor matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rnn_zoo._validation import check_finite, check_int, error_message

__all__ = ["exact_match", "token_accuracy", "attention_alignment_accuracy"]

_SEQUENCES = "a non-empty list of strings or of token sequences"


def _as_sequences(values: Any, name: str) -> list[Sequence[Any]]:
    """``values`` as a non-empty list of per-example strings or token sequences."""
    if isinstance(values, (str, bytes)):
        raise TypeError(
            error_message(
                name,
                _SEQUENCES,
                values,
                "Wrap a single string in a list: [text]",
            )
        )
    if isinstance(values, np.ndarray):
        values = list(values) if values.ndim >= 1 else values
    if not isinstance(values, Sequence):
        raise TypeError(error_message(name, _SEQUENCES, values))
    if len(values) == 0:
        raise ValueError(error_message(name, _SEQUENCES, values))
    out = []
    for i, value in enumerate(values):
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if not isinstance(value, (str, Sequence)) or isinstance(value, bytes):
            raise TypeError(
                error_message(f"{name}[{i}]", "a string or a sequence of tokens", value)
            )
        out.append(value)
    return out


def _paired(predictions: Any, targets: Any) -> tuple[list, list]:
    predictions = _as_sequences(predictions, "predictions")
    targets = _as_sequences(targets, "targets")
    if len(predictions) != len(targets):
        raise ValueError(
            f"`predictions` must have one entry per target. Received: "
            f"{len(predictions)} predictions and {len(targets)} targets"
        )
    return predictions, targets


def exact_match(predictions: Any, targets: Any) -> float:
    """Share of predictions that equal their target exactly.

    Comparison is exact: case, spaces and length all count (normalise first if
    they should not).

    Args:
        predictions: A list of strings (or of token sequences), one per example.
        targets: A list of the same length and kind.

    Returns:
        A float in [0, 1].

    Raises:
        TypeError: If either is not a list of strings or token sequences (a
            single string is rejected: wrap it in a list).
        ValueError: If either is empty or their lengths differ.

    Example:
        >>> exact_match(["2021-03-03", "2021-03-04"], ["2021-03-03", "2021-03-05"])
        0.5
        >>> exact_match([[5, 6], [7]], [[5, 6], [7, 8]])
        0.5
    """
    predictions, targets = _paired(predictions, targets)
    hits = sum(list(p) == list(t) for p, t in zip(predictions, targets, strict=True))
    return hits / len(targets)


def token_accuracy(predictions: Any, targets: Any) -> float:
    """Share of token positions that are right, position by position.

    For each pair the positions ``0 .. max(len(prediction), len(target)) - 1`` are
    compared; a position past the end of either sequence counts as wrong, so a
    truncated or overlong output is penalised for every missing or extra token.
    Positions are pooled over all pairs (longer pairs weigh more).

    Args:
        predictions: A list of strings (or of token sequences), one per example.
        targets: A list of the same length and kind.

    Returns:
        A float in [0, 1] (1.0 when every pair is empty).

    Raises:
        TypeError: If either is not a list of strings or token sequences.
        ValueError: If either is empty or their lengths differ.

    Example:
        >>> token_accuracy(["2021-03-03"], ["2021-03-05"])  # 9 of 10 characters
        0.9
        >>> token_accuracy(["abc", "x"], ["abd", "xy"])  # (2 + 1) / (3 + 2)
        0.6
    """
    predictions, targets = _paired(predictions, targets)
    right = total = 0
    for prediction, target in zip(predictions, targets, strict=True):
        right += sum(a == b for a, b in zip(prediction, target, strict=False))
        total += max(len(prediction), len(target))
    return right / total if total else 1.0


def _as_matrix(value: Any, index: int) -> np.ndarray:
    name = f"attention[{index}]"
    try:
        matrix = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            error_message(name, "a 2-D array of weights (outputs, sources)", value)
        ) from None
    if matrix.ndim != 2:
        raise ValueError(
            error_message(
                name,
                "a 2-D array of weights (output tokens, source positions)",
                matrix,
            )
        )
    return check_finite(matrix, name)


def _spans(value: Any, index: int) -> list[tuple[int, int]]:
    name = f"alignments[{index}]"
    allowed = "a list of (start, end) source spans, one per target token"
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(error_message(name, allowed, value))
    spans = []
    for span in value:
        ok = isinstance(span, Sequence) and len(span) == 2
        if ok:
            try:
                start, end = (check_int(v, name) for v in span)
            except TypeError:
                ok = False
        if not ok:
            raise TypeError(error_message(name, allowed, value, f"Bad span: {span!r}"))
        if not (start == end == -1 or 0 <= start < end):
            raise ValueError(
                error_message(
                    name,
                    "spans with 0 <= start < end, or (-1, -1) for a token that "
                    "comes from no source position",
                    value,
                    f"Bad span: {span!r}",
                )
            )
        spans.append((start, end))
    return spans


def attention_alignment_accuracy(
    attention: Any, alignments: Any, *, source_offset: int = 0
) -> float:
    """Share of aligned output tokens whose attention peak lies in the gold span.

    For output token ``j`` of example ``i`` with gold span ``(start, end)``, the
    token counts as right when ``argmax(attention[i][j]) - source_offset`` lies in
    ``[start, end)``. Tokens whose span is ``(-1, -1)`` (e.g. the dashes of an ISO
    date, which come from no source character) are left out. The denominator is
    the number of aligned target tokens: when an output has fewer attention rows
    than its target has tokens (decoding stopped early), the missing tokens count
    as wrong; rows beyond the target (e.g. the end-token step) are ignored. A
    peak on a padding column is outside every span, so it counts as wrong.

    Args:
        attention: One weight matrix per example, shaped ``(output tokens,
            source positions)`` (a list of 2-D arrays of varying sizes, as the
            decoders return them), or one 3-D array ``(examples, outputs,
            sources)``.
        alignments: One list per example of ``(start, end)`` source spans, one
            span per target token, e.g. ``make_date_pairs(...).alignments``.
        source_offset: int. The attention column of source character 0: 0 when
            the encoder reads the bare source, 1 when it reads a start token
            first. Defaults to 0.

    Returns:
        A float in [0, 1].

    Raises:
        TypeError: If a matrix is not numeric or a span is not a pair of ints.
        ValueError: If the numbers of examples differ, a matrix is not 2-D or
            holds NaN/inf, a span is malformed, ``source_offset`` is negative,
            or no target token has a span.

    Example:
        >>> import numpy as np
        >>> weights = np.array([[0.1, 0.8, 0.1],    # peak at 1: in span [0, 2)
        ...                     [0.7, 0.2, 0.1],    # a dash: not scored
        ...                     [0.6, 0.3, 0.1]])   # peak at 0: not in [2, 3)
        >>> attention_alignment_accuracy([weights], [[(0, 2), (-1, -1), (2, 3)]])
        0.5
        >>> shifted = np.pad(weights, ((0, 0), (1, 0)))  # a start-token column
        >>> attention_alignment_accuracy(
        ...     [shifted], [[(0, 2), (-1, -1), (2, 3)]], source_offset=1)
        0.5
    """
    source_offset = check_int(source_offset, "source_offset", minimum=0)
    if isinstance(attention, np.ndarray) and attention.ndim == 3:
        attention = list(attention)
    for name, value in (("attention", attention), ("alignments", alignments)):
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise TypeError(
                error_message(name, "a list with one entry per example", value)
            )
    if len(attention) != len(alignments):
        raise ValueError(
            f"`attention` must have one matrix per entry of `alignments`. Received: "
            f"{len(attention)} matrices and {len(alignments)} alignments"
        )
    right = total = 0
    for i, (value, spans) in enumerate(zip(attention, alignments, strict=True)):
        matrix, spans = _as_matrix(value, i), _spans(spans, i)
        peaks = matrix.argmax(axis=1) - source_offset if matrix.shape[1] else []
        for j, (start, end) in enumerate(spans):
            if start < 0:
                continue
            total += 1
            right += bool(j < len(peaks) and start <= peaks[j] < end)
    if total == 0:
        raise ValueError(
            error_message(
                "alignments",
                "at least one target token with a (start, end) span",
                alignments,
                "Every span is (-1, -1), so there is nothing to score",
            )
        )
    return right / total
