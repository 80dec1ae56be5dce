"""A seeded tagging task whose labels depend on what follows each token.

``make_tagging_task`` draws token sequences of varying length and tags every
token by comparing it with the token ``lookahead`` steps later: "higher",
"lower", "same", or "end" when no token follows that far. A model that reads
only the past (a unidirectional RNN) can at best guess the tag from the tokens
seen so far; a model that also reads the sequence backwards (a bidirectional
RNN) can get every tag right. Notebook 07 uses it to compare the two.

Token id 0 and tag id 0 are padding, as everywhere in ``rnn_zoo``: real tokens
are ``1 .. n_symbols`` and real tags ``1 .. 4`` (see `TAG_NAMES`), so a model
with ``Embedding(mask_zero=True)`` skips the padded steps, in its recurrent
layers and in its loss.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rnn_zoo._validation import check_int, error_message
from rnn_zoo.datasets.synthetic import _rng

__all__ = ["TAG_NAMES", "TaggingTask", "make_tagging_task", "forward_only_ceiling"]

# tag id -> name; 0 is the padding of the tag array
TAG_NAMES = ("pad", "higher", "lower", "same", "end")
_HIGHER, _LOWER, _SAME, _END = 1, 2, 3, 4


class TaggingTask(NamedTuple):
    """Padded token sequences, their per-step tags and their true lengths.

    Attributes:
        tokens: int32 ``(n, max_length)``, ids ``1 .. n_symbols``, 0 after the end.
        tags: int32 ``(n, max_length)``, tag ids (see `TAG_NAMES`), 0 after the end.
        lengths: int32 ``(n,)``, the number of real steps of each row.
    """

    tokens: np.ndarray
    tags: np.ndarray
    lengths: np.ndarray


def make_tagging_task(
    n: int,
    *,
    min_length: int = 8,
    max_length: int = 20,
    n_symbols: int = 8,
    lookahead: int = 1,
    seed: int | np.random.Generator | None = None,
) -> TaggingTask:
    """Generate token sequences tagged by the token that comes ``lookahead`` later.

    Each row has a length drawn uniformly from ``min_length .. max_length`` and
    tokens drawn uniformly from ``1 .. n_symbols``; rows are padded with 0 at the
    end to ``max_length``. The tag of token ``x[t]`` (for ``t < length``) is

    - 1 "higher" if ``x[t + lookahead] > x[t]``,
    - 2 "lower" if ``x[t + lookahead] < x[t]``,
    - 3 "same" if they are equal,
    - 4 "end" if ``t + lookahead >= length`` (nothing follows that far),

    and 0 at padded steps. So every tag depends on what follows the token. From
    the current token alone the best guess is right ``max(a - 1, n_symbols - a,
    1) / n_symbols`` of the time for token ``a`` (about 0.69 on average for 8
    symbols), and "end" cannot be told from the past at all: that is the
    ceiling of a model that reads only forwards.

    Args:
        n: Number of sequences, a positive integer.
        min_length: Shortest sequence, a positive integer. Default 8.
        max_length: Longest sequence (and the padded width), at least
            ``min_length``. Default 20.
        n_symbols: Number of distinct tokens, at least 2 (ids ``1 .. n_symbols``;
            an ``Embedding`` needs ``n_symbols + 1`` rows). Default 8.
        lookahead: How many steps ahead the compared token lies, a positive
            integer. Default 1 (the next token).
        seed: None, a non-negative int or a ``numpy.random.Generator``. Default
            None (fresh randomness).

    Returns:
        A `TaggingTask` ``(tokens, tags, lengths)``: two int32 arrays of shape
        ``(n, max_length)`` and one int32 array of shape ``(n,)``.

    Raises:
        TypeError: If an argument is not an integer (or ``seed`` not a generator).
        ValueError: If a count is out of range or ``max_length < min_length``.

    Example:
        >>> tokens, tags, lengths = make_tagging_task(
        ...     2, min_length=3, max_length=5, n_symbols=4, seed=0)
        >>> tokens.shape, tags.shape, lengths.tolist()
        ((2, 5), (2, 5), [5, 4])
        >>> tokens[1].tolist(), [TAG_NAMES[t] for t in tags[1]]
        ([1, 1, 4, 3, 0], ['same', 'higher', 'lower', 'end', 'pad'])
    """
    n = check_int(n, "n", minimum=1)
    min_length = check_int(min_length, "min_length", minimum=1)
    max_length = check_int(max_length, "max_length", minimum=1)
    if max_length < min_length:
        raise ValueError(
            error_message(
                "max_length",
                f"at least `min_length`={min_length}",
                max_length,
            )
        )
    n_symbols = check_int(n_symbols, "n_symbols", minimum=2)
    lookahead = check_int(lookahead, "lookahead", minimum=1)
    rng = _rng(seed)
    lengths = rng.integers(min_length, max_length + 1, size=n).astype(np.int32)
    steps = np.arange(max_length)
    real = steps[None, :] < lengths[:, None]
    tokens = rng.integers(1, n_symbols + 1, size=(n, max_length)).astype(np.int32)
    tokens[~real] = 0
    ahead = np.zeros_like(tokens)
    ahead[:, : max_length - lookahead] = tokens[:, lookahead:]
    tags = np.select(
        [ahead == 0, ahead > tokens, ahead < tokens],
        [_END, _HIGHER, _LOWER],
        default=_SAME,
    ).astype(np.int32)
    tags[~real] = 0
    return TaggingTask(tokens, tags, lengths)


def forward_only_ceiling(
    *,
    min_length: int = 8,
    max_length: int = 20,
    n_symbols: int = 8,
    lookahead: int = 1,
) -> float:
    """The best expected tag accuracy of any model that reads only the past.

    For the data of `make_tagging_task` with the same arguments. At step ``t``
    a forward-only model knows the tokens up to ``x[t]`` (so ``x[t] = a`` and
    ``t``) but nothing after. The tokens after are independent of the past, so
    its best guess is the most likely tag given ``a`` and ``t``: "end" with
    probability ``e_t = P(length <= t + lookahead | length > t)``, else
    "higher", "lower" or "same" with probabilities ``(n_symbols - a,
    a - 1, 1) / n_symbols`` times ``1 - e_t``. Averaged over tokens and pooled
    over all real steps (as a masked accuracy pools them), that is the ceiling.
    A model that also reads backwards can reach 1.0: the tags are a function
    of the sequence.

    Args:
        min_length: As in `make_tagging_task`. Default 8.
        max_length: As in `make_tagging_task`. Default 20.
        n_symbols: As in `make_tagging_task`. Default 8.
        lookahead: As in `make_tagging_task`. Default 1.

    Returns:
        The accuracy, a float in (0, 1].

    Raises:
        TypeError / ValueError: As `make_tagging_task` for the same arguments.

    Example:
        >>> round(forward_only_ceiling(min_length=100, max_length=100), 4)
        0.6906
        >>> forward_only_ceiling(min_length=1, max_length=1)  # every tag is "end"
        1.0
    """
    make_tagging_task(
        1,
        min_length=min_length,
        max_length=max_length,
        n_symbols=n_symbols,
        lookahead=lookahead,
        seed=0,
    )  # validates the arguments the same way
    lengths = np.arange(min_length, max_length + 1)
    a = np.arange(1, n_symbols + 1)
    best_other = np.maximum(np.maximum(n_symbols - a, a - 1), 1) / n_symbols
    correct = 0.0
    for t in range(max_length):
        alive = lengths > t  # the rows that still have a step t
        end = np.mean(lengths[alive] <= t + lookahead)
        accuracy = np.mean(np.maximum(end, (1 - end) * best_other))
        correct += accuracy * alive.mean()
    return float(correct / lengths.mean())
