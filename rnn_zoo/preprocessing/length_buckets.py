"""`LengthBuckets`: batches of similar sequence lengths, each cut to its longest.

Padding every source to the longest in the data set wastes the encoder's time on
padding; grouping sources of similar length and cutting each batch to its
longest keeps the work close to the real characters. Used for the date
translator (``python -m rnn_zoo dates train``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from rnn_zoo._validation import check_int

__all__ = ["LengthBuckets"]


class LengthBuckets(keras.utils.PyDataset):
    """Batches of similar source lengths, each cut to its longest source.

    Sources come padded to ``MAX_SOURCE_LENGTH`` (40) but average about 18
    characters; cutting each batch to its longest source roughly halves the
    encoder's work. Each epoch (``seed`` given) shuffles the pairs, sorts them by
    length within windows of 20 batches, cuts batches and shuffles their order;
    without ``seed`` the order is fixed (validation).

    Args:
        x: ``[source ids (n, max_length), decoder input ids (n, steps)]``, as
            ``Seq2SeqTranslator.teacher_forcing`` returns them (0 = padding).
        y: Target ids ``(n, steps)``.
        batch_size: Pairs per batch (>= 1).
        seed: Shuffle seed, or None for a fixed order.
        **pydataset_options: ``workers``, ``use_multiprocessing``,
            ``max_queue_size`` of ``keras.utils.PyDataset``.

    Raises:
        ValueError: If ``batch_size`` is not a positive integer.

    Example:
        >>> import numpy as np
        >>> src = np.array([[5, 0, 0], [5, 6, 7], [5, 6, 0], [5, 0, 0]])
        >>> batches = LengthBuckets([src, np.ones((4, 2))], np.ones((4, 2)), 2, None)
        >>> [batches[i][0][0].shape for i in range(len(batches))]
        [(2, 1), (2, 3)]
    """

    def __init__(
        self,
        x: Sequence[Any],
        y: Any,
        batch_size: int,
        seed: int | None,
        **pydataset_options: Any,
    ):
        super().__init__(**pydataset_options)
        self.source, self.target_in = x
        self.y = y
        self.batch_size = check_int(batch_size, "batch_size", minimum=1)
        self.seed = seed
        self.lengths = (self.source != 0).sum(axis=1)
        self.rng = np.random.default_rng(seed)
        self.order = self._order()

    def _order(self) -> list[np.ndarray]:
        n, size = len(self.y), self.batch_size
        index = np.arange(n) if self.seed is None else self.rng.permutation(n)
        window = size * 20
        for start in range(0, n, window):
            chunk = index[start : start + window]
            index[start : start + window] = chunk[np.argsort(self.lengths[chunk])]
        batches = [index[i : i + size] for i in range(0, n, size)]
        if self.seed is not None:
            batches = [batches[i] for i in self.rng.permutation(len(batches))]
        return batches

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, i: int) -> tuple[tuple[Any, Any], Any]:
        rows = self.order[i]
        width = int(self.lengths[rows].max())
        return (self.source[rows, :width], self.target_in[rows]), self.y[rows]

    def on_epoch_end(self) -> None:
        if self.seed is not None:
            self.order = self._order()
