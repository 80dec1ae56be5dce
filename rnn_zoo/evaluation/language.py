"""Language-model evaluation: bits/char over a whole text, and the baselines.

A model's score is the average negative log2-probability it gives each next
character of the validation text: **bits per character** (bits/char; divide by
``log2(e) = 1.4427`` for nats, the Keras loss). ``perplexity = 2 ** bits/char`` is
the number of equally likely characters the model is "choosing between".

Every character but the first is scored exactly once, given everything before
it. `bits_per_char` carries the recurrent state across chunks (it never restarts
the model at a chunk boundary); to use a batch it cuts the text into ``streams``
contiguous pieces and reads ``warmup`` characters before each piece (not scored)
to warm its state, so every character has at least ``min(warmup, position)``
characters of context. ``streams=1`` reads the text in one pass.

An RNN's number only means something next to references computed on the same
split: `uniform_bits_per_char` (``log2`` of the number of ids a target can take),
and `CharNGramModel` — unigram (``order=1``) and smoothed character n-grams
(interpolated Kneser-Ney by default, or add-k). `language_baselines` computes the
three at once.

Example:
    >>> ids = np.array([2, 3, 2, 3, 2, 3, 2, 3])
    >>> ngram = CharNGramModel(order=2).fit(ids, vocab_size=4)
    >>> round(float(ngram.probabilities([2]).sum()), 6)
    1.0
    >>> ngram.bits_per_char(ids) < CharNGramModel(order=1).fit(
    ...     ids, vocab_size=4).bits_per_char(ids)
    True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rnn_zoo._validation import check_float, check_int, check_one_of, error_message

__all__ = [
    "bits_per_char",
    "perplexity",
    "uniform_bits_per_char",
    "CharNGramModel",
    "language_baselines",
]

_LOG2_E = math.log2(math.e)
_SMOOTHINGS = ("kneser-ney", "add-k")


def _check_ids(ids: Any, name: str, vocab_size: int | None = None) -> np.ndarray:
    allowed = "a 1-D array of integer token ids with at least 2 ids"
    array = np.asarray(ids) if not isinstance(ids, str) else np.asarray([])
    if isinstance(ids, str) or array.dtype.kind not in "iu":
        raise TypeError(error_message(name, allowed, ids))
    if array.ndim != 1 or len(array) < 2:
        raise ValueError(error_message(name, allowed, array))
    if vocab_size is not None and (array.min() < 0 or array.max() >= vocab_size):
        raise ValueError(
            error_message(
                name, f"ids in [0, {vocab_size}) (vocab_size={vocab_size})", array
            )
        )
    return array.astype(np.int64)


def bits_per_char(
    model: Any,
    ids: Any,
    *,
    streams: int = 32,
    warmup: int = 256,
    chunk_length: int = 256,
) -> float:
    """Average bits per character of a char LM over a whole encoded text.

    Scores ``ids[1:]``, each given all the ids before it, with the state carried
    across chunks (see the module docstring for ``streams`` and ``warmup``).
    Runs on the one-step model of `rnn_zoo.inference.generation.CharStepper`
    (TensorFlow), or on `rnn_zoo.inference.portable.PortableStepper` when Keras
    runs on another backend (``lm train --backend jax``); both give the model's
    own numbers.

    Args:
        model: A model built by `build_char_lm` (its output is logits).
        ids: 1-D integer array, e.g. ``CharCorpus.validation_ids`` (unknown
            characters as id 1 are scored like any other).
        streams: Number of contiguous pieces read side by side (positive).
            Defaults to 32.
        warmup: Characters read before each piece after the first to warm its
            state, not scored (>= 0). Defaults to 256.
        chunk_length: Steps per compiled call (positive); any value gives the
            same result. Defaults to 256.

    Returns:
        The average negative log2-probability of ``ids[1:]``, a float.

    Raises:
        TypeError: If ``ids`` is not an integer array.
        ValueError: If ``ids`` has fewer than 2 ids or ids outside the model's
            vocabulary, or an argument is out of range, or ``model`` lacks the
            named layers of `build_char_lm`.

    Example:
        >>> import keras
        >>> from rnn_zoo.models import build_char_lm
        >>> model = build_char_lm(4, units=2)
        >>> model.get_layer("logits").set_weights([np.zeros((2, 4)), np.zeros(4)])
        >>> round(bits_per_char(model, np.array([1, 2, 3, 2, 1])), 6)  # log2(4)
        2.0
    """
    import keras

    portable = keras.backend.backend() != "tensorflow"
    if portable:  # e.g. `lm train --backend jax`
        from rnn_zoo.inference.portable import PortableStepper

        stepper = PortableStepper.for_model(model)
    else:
        from rnn_zoo.inference.generation import CharStepper

        stepper = CharStepper.for_model(model)
    ids = _check_ids(ids, "ids", stepper.vocab_size)
    streams = check_int(streams, "streams", minimum=1)
    warmup = check_int(warmup, "warmup", minimum=0)
    chunk_length = check_int(chunk_length, "chunk_length", minimum=1)
    inputs, targets, weights = _stream_layout(ids, streams, warmup)
    if portable:
        total = _portable_nll(stepper, inputs, targets, weights, chunk_length)
        return total / (len(ids) - 1) * _LOG2_E
    import tensorflow as tf

    states = stepper.initial_state(len(inputs))
    total = 0.0
    for start in range(0, inputs.shape[1], chunk_length):
        window = slice(start, start + chunk_length)
        logits, states = stepper.run(tf.constant(inputs[:, window]), states)
        nll = tf.nn.sparse_softmax_cross_entropy_with_logits(
            tf.constant(targets[:, window]), logits
        )
        total += float(tf.reduce_sum(nll * weights[:, window]))
    return total / (len(ids) - 1) * _LOG2_E


def _portable_nll(stepper, inputs, targets, weights, chunk_length: int) -> float:
    """`bits_per_char`'s summed NLL in nats on any Keras backend (NumPy softmax).

    The last chunk is padded to ``chunk_length`` (weight 0), so the stepper
    compiles for one shape.
    """
    rows, steps = inputs.shape
    padded = -steps % chunk_length
    inputs, targets, weights = (
        np.pad(array, ((0, 0), (0, padded))) for array in (inputs, targets, weights)
    )
    states = stepper.initial_state(rows)
    total = 0.0
    for start in range(0, steps, chunk_length):
        window = slice(start, start + chunk_length)
        logits, states = stepper.run(inputs[:, window], states)
        logits = logits.astype(np.float64)
        top = logits.max(axis=-1, keepdims=True)
        log_norm = top[..., 0] + np.log(np.exp(logits - top).sum(axis=-1))
        picked = np.take_along_axis(logits, targets[:, window, None], axis=-1)[..., 0]
        total += float(((log_norm - picked) * weights[:, window]).sum())
    return total


def _stream_layout(
    ids: np.ndarray, streams: int, warmup: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs, targets and score weights ``(rows, steps)`` for `bits_per_char`.

    Targets are ``ids[1:]`` (``n`` of them). Row 0 scores the first ``warmup +
    piece`` targets from a cold start; row ``r > 0`` reads ``warmup`` targets
    before its own ``piece`` (weight 0), so all rows have ``warmup + piece``
    steps. The last row is padded (weight 0).
    """
    n = len(ids) - 1
    piece = max(1, math.ceil((n - warmup) / streams))
    steps = warmup + piece
    rows = 1 + max(0, math.ceil((n - steps) / piece))
    inputs = np.zeros((rows, steps), np.int32)
    targets = np.zeros((rows, steps), np.int32)
    weights = np.zeros((rows, steps), np.float32)
    for r in range(rows):
        start = 0 if r == 0 else steps + (r - 1) * piece - warmup
        stop = min(start + steps, n)
        scored_from = 0 if r == 0 else warmup
        inputs[r, : stop - start] = ids[start:stop]
        targets[r, : stop - start] = ids[start + 1 : stop + 1]
        weights[r, scored_from : stop - start] = 1.0
    return inputs, targets, weights


def perplexity(model: Any, ids: Any, **kwargs: Any) -> float:
    """Per-character perplexity ``2 ** bits_per_char(model, ids, **kwargs)``.

    Args:
        model: A model built by `build_char_lm`.
        ids: 1-D integer array of token ids.
        **kwargs: ``streams``, ``warmup``, ``chunk_length`` of `bits_per_char`.

    Returns:
        The perplexity, a float >= 1.

    Raises:
        TypeError, ValueError: As `bits_per_char`.

    Example:
        >>> from rnn_zoo.models import build_char_lm
        >>> model = build_char_lm(4, units=2)
        >>> model.get_layer("logits").set_weights([np.zeros((2, 4)), np.zeros(4)])
        >>> round(perplexity(model, np.array([1, 2, 3, 2])), 6)
        4.0
    """
    return float(2.0 ** bits_per_char(model, ids, **kwargs))


def uniform_bits_per_char(vocab_size: int) -> float:
    """Bits/char of guessing uniformly among the ids a target can take.

    A target is never padding (id 0), so the uniform model spreads over the
    ``vocab_size - 1`` other ids (the unknown id and the characters):
    ``log2(vocab_size - 1)``. An untrained model, spreading over all
    ``vocab_size`` ids, scores about ``log2(vocab_size)``.

    Args:
        vocab_size: The tokenizer's ``vocab_size`` (>= 3).

    Returns:
        ``log2(vocab_size - 1)``.

    Raises:
        ValueError: If ``vocab_size < 3``.

    Example:
        >>> uniform_bits_per_char(65)
        6.0
    """
    vocab_size = check_int(vocab_size, "vocab_size", minimum=3)
    return math.log2(vocab_size - 1)


class CharNGramModel:
    """Smoothed character n-gram model over token ids (a baseline for char LMs).

    ``P(w | h)`` uses the last ``order - 1`` ids as context ``h`` (fewer at the
    start of a text). Its support is every id except padding (``vocab_size - 1``
    ids), so unseen characters, the unknown id included, get a probability > 0.

    - ``"kneser-ney"`` (default): interpolated Kneser-Ney. At the top order
      ``P(w|h) = max(c(hw) - D, 0) / c(h) + D * N(h) / c(h) * P_lower(w|h')``,
      where ``N(h)`` counts the distinct ids seen after ``h`` and ``h'`` drops
      the first id of ``h``; lower orders use continuation counts (in how many
      distinct contexts ``hw`` appears) instead of ``c``, and the bottom is
      uniform. An unseen context backs off entirely. ``D`` per order is Ney's
      estimate ``n1 / (n1 + 2 n2)`` (``n1``, ``n2``: n-grams counted once,
      twice), or ``discount`` if given.
    - ``"add-k"``: ``P(w|h) = (c(hw) + k) / (c(h) + k (vocab_size - 1))``.

    Args:
        order: n, the n-gram length (context ``order - 1``), in [1, 9].
            Defaults to 5.
        smoothing: ``"kneser-ney"`` or ``"add-k"``. Defaults to
            ``"kneser-ney"``.
        discount: Kneser-Ney discount in (0, 1), or None (default) for Ney's
            estimate per order.
        k: Add-k pseudo-count (> 0). Defaults to 1.0 (Laplace).

    Attributes:
        vocab_size_: The vocabulary size given to ``fit``.
        discounts_: Kneser-Ney discount per order (index 0 = unigrams).

    Example:
        >>> model = CharNGramModel(order=1, smoothing="add-k").fit(
        ...     np.array([2, 2, 2, 3]), vocab_size=4)
        >>> model.probabilities([]).tolist()  # ids 0..3: (count + 1) / (4 + 3)
        [0.0, 0.14285714285714285, 0.5714285714285714, 0.2857142857142857]
    """

    def __init__(
        self,
        order: int = 5,
        *,
        smoothing: str = "kneser-ney",
        discount: float | None = None,
        k: float = 1.0,
    ):
        self.order = order
        self.smoothing = smoothing
        self.discount = discount
        self.k = k
        self.vocab_size_: int | None = None

    def fit(self, ids: Any, *, vocab_size: int) -> CharNGramModel:
        """Count the n-grams of a training text.

        Args:
            ids: 1-D integer array of training ids (at least 2).
            vocab_size: Number of ids (the tokenizer's ``vocab_size``, >= 3).

        Returns:
            ``self``, fitted.

        Raises:
            TypeError: If ``ids`` is not an integer array.
            ValueError: If an argument is out of range.

        Example:
            >>> CharNGramModel(order=3).fit(np.array([2, 3, 2]), vocab_size=4).order
            3
        """
        check_int(self.order, "order", minimum=1, maximum=9)
        check_one_of(self.smoothing, "smoothing", _SMOOTHINGS)
        check_float(
            self.discount,
            "discount",
            low=0.0,
            high=1.0,
            low_inclusive=False,
            high_inclusive=False,
            allow_none=True,
        )
        check_float(self.k, "k", low=0.0, low_inclusive=False)
        vocab_size = check_int(vocab_size, "vocab_size", minimum=3)
        ids = _check_ids(ids, "ids", vocab_size)
        self.vocab_size_ = vocab_size
        raw = [_count(ids, n, vocab_size) for n in range(1, self.order + 1)]
        tables = []
        for n, (keys, counts) in enumerate(raw, start=1):
            if self.smoothing == "kneser-ney" and n < self.order:
                # continuation count of hw: distinct ids seen before it
                keys, counts = np.unique(raw[n][0] % vocab_size**n, return_counts=True)
            tables.append(_Table(keys, counts.astype(np.float64), vocab_size))
        self._tables = tables
        self.discounts_ = [
            self.discount if self.discount is not None else t.ney_discount()
            for t in tables
        ]
        return self

    def _check_fitted(self) -> None:
        if self.vocab_size_ is None:
            raise ValueError(
                "This CharNGramModel instance is not fitted yet. Call `fit` first."
            )

    def _prob(self, history: np.ndarray, lengths: np.ndarray, w: np.ndarray):
        """P(w | history) for rows of a ``(m, order - 1)`` history matrix.

        ``lengths`` gives how many of the trailing history ids are real.
        """
        support = self.vocab_size_ - 1
        p = np.full(len(w), 1.0 / support)
        if self.smoothing == "add-k":
            n = min(self.order, 1 + int(lengths.max(initial=0)))
            return self._add_k(history, lengths, w, n)
        for n, table in enumerate(self._tables, start=1):
            context = _context_keys(history, n - 1, self.vocab_size_)
            usable = lengths >= n - 1
            count = table.count(context * self.vocab_size_ + w)
            total, types = table.context_stats(context)
            seen = usable & (total > 0)
            d = self.discounts_[n - 1]
            safe = np.where(seen, total, 1.0)
            mixed = (np.maximum(count - d, 0.0) + d * types * p) / safe
            p = np.where(seen, mixed, p)
        return p

    def _add_k(self, history, lengths, w, n_max):
        p = np.zeros(len(w))
        for n in range(n_max, 0, -1):
            table = self._tables[n - 1]
            rows = (lengths >= n - 1) & (p == 0)
            context = _context_keys(history, n - 1, self.vocab_size_)
            count = table.count(context * self.vocab_size_ + w)
            total, _ = table.context_stats(context)
            value = (count + self.k) / (total + self.k * (self.vocab_size_ - 1))
            p = np.where(rows, value, p)
        return p

    def probabilities(self, context: Any) -> np.ndarray:
        """The next-id distribution after ``context``.

        Args:
            context: Sequence of preceding ids (any length; only the last
                ``order - 1`` are used; may be empty).

        Returns:
            Array ``(vocab_size,)`` summing to 1; padding (id 0) gets 0.

        Raises:
            ValueError: If not fitted or an id is out of range.

        Example:
            >>> model = CharNGramModel(order=2).fit(np.array([2, 3, 2, 3]),
            ...                                     vocab_size=5)
            >>> p = model.probabilities([2])
            >>> bool(p[3] > 0.5), round(float(p.sum()), 9), float(p[0])
            (True, 1.0, 0.0)
        """
        self._check_fitted()
        context = np.asarray(list(context), dtype=np.int64)
        if context.size and (context.min() < 0 or context.max() >= self.vocab_size_):
            raise ValueError(
                error_message("context", f"ids in [0, {self.vocab_size_})", context)
            )
        width = self.order - 1
        history = np.zeros((self.vocab_size_ - 1, width), np.int64)
        kept = context[len(context) - width :] if width else context[:0]
        if kept.size:
            history[:, width - kept.size :] = kept
        lengths = np.full(self.vocab_size_ - 1, kept.size)
        p = self._prob(history, lengths, np.arange(1, self.vocab_size_))
        return np.concatenate([[0.0], p])

    def bits_per_char(self, ids: Any) -> float:
        """Average negative log2-probability of ``ids[1:]``, each given its past.

        Args:
            ids: 1-D integer array (e.g. the validation ids), at least 2 ids.

        Returns:
            Bits per character, a float.

        Raises:
            TypeError: If ``ids`` is not an integer array.
            ValueError: If not fitted, or ids are out of range.

        Example:
            >>> model = CharNGramModel(order=1, smoothing="add-k").fit(
            ...     np.array([2, 1]), vocab_size=3)
            >>> model.bits_per_char(np.array([2, 2, 2]))  # P(2) = (1+1)/(2+2)
            1.0
        """
        self._check_fitted()
        ids = _check_ids(ids, "ids", self.vocab_size_)
        width = self.order - 1
        padded = np.concatenate([np.zeros(width, np.int64), ids])
        n = len(ids) - 1
        history = np.zeros((n, width), np.int64)
        for j in range(width):
            history[:, j] = padded[j + 1 : j + 1 + n]
        lengths = np.minimum(np.arange(1, n + 1), width)
        p = self._prob(history, lengths, ids[1:])
        return float(-np.log2(p).mean())


class _Table:
    """Sorted n-gram keys with counts, and per-context totals and type counts."""

    def __init__(self, keys: np.ndarray, counts: np.ndarray, vocab_size: int):
        self.keys, self.counts = keys, counts
        contexts = keys // vocab_size
        self.contexts, first = np.unique(contexts, return_index=True)
        self.totals = np.add.reduceat(counts, first)
        self.types = np.diff(np.append(first, len(keys))).astype(np.float64)

    @staticmethod
    def _lookup(sorted_keys, values, query):
        index = np.minimum(np.searchsorted(sorted_keys, query), len(sorted_keys) - 1)
        return np.where(sorted_keys[index] == query, values[index], 0.0)

    def count(self, keys: np.ndarray) -> np.ndarray:
        return self._lookup(self.keys, self.counts, keys)

    def context_stats(self, contexts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (
            self._lookup(self.contexts, self.totals, contexts),
            self._lookup(self.contexts, self.types, contexts),
        )

    def ney_discount(self) -> float:
        n1 = np.count_nonzero(self.counts == 1)
        n2 = np.count_nonzero(self.counts == 2)
        if n1 == 0 or n2 == 0:
            return 0.5
        return float(np.clip(n1 / (n1 + 2 * n2), 0.05, 0.95))


def _count(ids: np.ndarray, n: int, vocab_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique n-gram keys (base ``vocab_size`` numbers) of ``ids`` and counts."""
    keys = np.zeros(len(ids) - n + 1, np.int64)
    for j in range(n):
        keys = keys * vocab_size + ids[j : len(ids) - n + 1 + j]
    return np.unique(keys, return_counts=True)


def _context_keys(history: np.ndarray, width: int, vocab_size: int) -> np.ndarray:
    """Keys of the last ``width`` columns of each history row."""
    keys = np.zeros(len(history), np.int64)
    for j in range(history.shape[1] - width, history.shape[1]):
        keys = keys * vocab_size + history[:, j]
    return keys


def language_baselines(
    train_ids: Any, validation_ids: Any, *, vocab_size: int, order: int = 6
) -> dict[str, float]:
    """Bits/char of the uniform, unigram and n-gram references on a split.

    The unigram and n-gram models (Kneser-Ney) are fitted on ``train_ids`` and
    scored on ``validation_ids[1:]``, the characters `bits_per_char` scores.

    Args:
        train_ids: 1-D integer array of training ids.
        validation_ids: 1-D integer array of validation ids.
        vocab_size: The tokenizer's ``vocab_size``.
        order: The n-gram order. Defaults to 6, the best Kneser-Ney order on
            Tiny Shakespeare's validation tail (bits/char: 5-gram 2.278, 6-gram
            2.248, 7-gram 2.258).

    Returns:
        ``{"uniform": ..., "unigram": ..., "<order>-gram": ...}`` in bits/char.

    Raises:
        TypeError, ValueError: As `CharNGramModel.fit` and ``bits_per_char``.

    Example:
        >>> ids = np.array([2, 3, 4] * 20)
        >>> scores = language_baselines(ids, ids, vocab_size=5, order=2)
        >>> sorted(scores), scores["uniform"]
        (['2-gram', 'uniform', 'unigram'], 2.0)
        >>> scores["2-gram"] < scores["unigram"] < scores["uniform"]
        True
    """
    scores = {"uniform": uniform_bits_per_char(vocab_size)}
    for name, n in (("unigram", 1), (f"{order}-gram", order)):
        model = CharNGramModel(order=n).fit(train_ids, vocab_size=vocab_size)
        scores[name] = model.bits_per_char(validation_ids)
    return scores
