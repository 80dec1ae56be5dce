"""Text -> train/validation ids -> ``tf.data`` chunks for a character language model.

The split is contiguous, the one nanoGPT and char-rnn report on: the first 90% of
the characters train, the last 10% validate (``int(0.9 * len(text))``, so the
numbers are comparable). The `CharTokenizer` is fitted on the training part only;
a validation character never seen in training maps to the unknown id (1) and is
*counted* (``CharCorpus.unknown_validation``), never dropped.

`char_dataset` cuts an id array into chunks of ``sequence_length + 1`` ids and
yields ``(chunk[:-1], chunk[1:])`` pairs: the target at every step is the next
character::

    ids:     F  i  r  s  t     C  i  t
    input   [F  i  r  s  t]             sequence_length=5
    target     [i  r  s  t  ' ']

`split_text` and `prepare_char_corpus` are pure Python/NumPy; `char_dataset`
imports TensorFlow when called.

Example:
    >>> corpus = prepare_char_corpus("abcabcabcabcabcabcabcabcabcabcz")
    >>> len(corpus.train_ids), len(corpus.validation_ids)
    (27, 4)
    >>> corpus.tokenizer.decode(corpus.validation_ids), corpus.unknown_validation
    ('abc\ufffd', 1)
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from rnn_zoo._validation import check_float, check_int, check_type, error_message
from rnn_zoo.preprocessing._prefetch import prefetched
from rnn_zoo.preprocessing.text import CharTokenizer

__all__ = ["CharCorpus", "split_text", "prepare_char_corpus", "char_dataset"]


class CharCorpus(NamedTuple):
    """A text split for language modelling (see `prepare_char_corpus`).

    Attributes:
        tokenizer: The `CharTokenizer`, fitted on the training part only.
        train_ids: 1-D int32 array, the encoded training part.
        validation_ids: 1-D int32 array, the encoded validation part (unknown
            characters as id 1).
        unknown_validation: Number of validation characters the training part
            never showed (encoded as the unknown id, kept in the evaluation).
    """

    tokenizer: CharTokenizer
    train_ids: np.ndarray
    validation_ids: np.ndarray
    unknown_validation: int


def split_text(text: str, *, validation_fraction: float = 0.1) -> tuple[str, str]:
    """Split a text contiguously: the head trains, the tail validates.

    The training part is ``text[:int((1 - validation_fraction) * len(text))]``
    and the validation part is the rest, so the default reproduces the 90/10
    Tiny Shakespeare split of char-rnn and nanoGPT.

    Args:
        text: The whole corpus as one string.
        validation_fraction: Share of characters at the end kept for validation,
            in (0, 1). Defaults to 0.1.

    Returns:
        ``(train_text, validation_text)``; ``train_text + validation_text ==
        text``.

    Raises:
        TypeError: If ``text`` is not a string.
        ValueError: If ``validation_fraction`` is outside (0, 1) or a part would
            be empty.

    Example:
        >>> split_text("0123456789")
        ('012345678', '9')
        >>> split_text("abcd", validation_fraction=0.5)
        ('ab', 'cd')
    """
    check_type(text, "text", str, "a string")
    validation_fraction = check_float(
        validation_fraction,
        "validation_fraction",
        low=0.0,
        high=1.0,
        low_inclusive=False,
        high_inclusive=False,
    )
    cut = int((1.0 - validation_fraction) * len(text))
    if cut == 0 or cut == len(text):
        raise ValueError(
            error_message(
                "text",
                "long enough for non-empty training and validation parts",
                text,
                f"It has {len(text)} characters; with validation_fraction="
                f"{validation_fraction} one part would be empty",
            )
        )
    return text[:cut], text[cut:]


def prepare_char_corpus(
    text: str,
    *,
    validation_fraction: float = 0.1,
    tokenizer: CharTokenizer | None = None,
) -> CharCorpus:
    """Split a text, fit a `CharTokenizer` on the training part, encode both parts.

    Args:
        text: The whole corpus as one string (e.g. ``load_shakespeare()`` or
            ``Path(p).read_text(encoding="utf-8")``).
        validation_fraction: As in `split_text`. Defaults to 0.1.
        tokenizer: An unfitted `CharTokenizer` to configure the vocabulary
            (``lower``, ``normalize``, ...), fitted here on the training part;
            or None (default) for ``CharTokenizer()``.

    Returns:
        A `CharCorpus`. Validation characters unseen in training are encoded as
        the unknown id and counted in ``unknown_validation``.

    Raises:
        TypeError: If ``text`` is not a string or ``tokenizer`` not a
            `CharTokenizer`.
        ValueError: As `split_text`.

    Example:
        >>> corpus = prepare_char_corpus("aaaaaaaab!")
        >>> corpus.tokenizer.vocabulary_, corpus.validation_ids.tolist()
        (['', '\ufffd', 'a', 'b'], [1])
        >>> corpus.unknown_validation
        1
    """
    train_text, validation_text = split_text(
        text, validation_fraction=validation_fraction
    )
    if tokenizer is None:
        tokenizer = CharTokenizer()
    check_type(tokenizer, "tokenizer", CharTokenizer, "a CharTokenizer or None")
    tokenizer.fit(train_text)
    train_ids = tokenizer.encode_array(train_text)
    validation_ids = tokenizer.encode_array(validation_text)
    unknown = int(np.count_nonzero(validation_ids == tokenizer.unk_id))
    return CharCorpus(tokenizer, train_ids, validation_ids, unknown)


def _check_ids(ids: Any) -> np.ndarray:
    allowed = "a 1-D array of integer token ids"
    array = np.asarray(ids) if not isinstance(ids, str) else np.asarray([])
    if isinstance(ids, str) or array.dtype.kind not in "iu":
        raise TypeError(
            error_message("ids", allowed, ids, "Encode the text first: encode_array")
        )
    if array.ndim != 1:
        raise ValueError(error_message("ids", allowed, array))
    return array.astype("int32", copy=False)


def char_dataset(
    ids: Any,
    *,
    sequence_length: int = 100,
    batch_size: int = 64,
    shuffle: bool = True,
    seed: int | None = None,
    stateful: bool = False,
):
    """Cut token ids into ``(input, target)`` chunks shifted by one, batched.

    The ids are cut into ``n = (len(ids) - 1) // sequence_length`` consecutive,
    non-overlapping chunks; chunk ``i`` is ``ids[i*L : i*L + L]`` as input and
    ``ids[i*L + 1 : i*L + L + 1]`` as target (``L = sequence_length``), so every
    id but the first is a target exactly once. Incomplete batches are dropped
    (every batch has the same shape).

    With ``stateful=True`` the chunks are laid out for a model with
    ``stateful=True``: row ``r`` of batch ``k + 1`` continues row ``r`` of batch
    ``k`` in the text, so the carried state always belongs to the preceding
    characters (the text is split into ``batch_size`` contiguous streams).
    Nothing is shuffled then.

    Args:
        ids: 1-D integer array (e.g. ``CharCorpus.train_ids``).
        sequence_length: Steps per chunk (positive). Defaults to 100.
        batch_size: Chunks per batch (positive). Defaults to 64.
        shuffle: Whether to shuffle the chunks, freshly each epoch. Defaults to
            True. Must be False with ``stateful=True``.
        seed: Shuffle seed (non-negative int) or None. Defaults to None.
        stateful: Use the stream layout described above. Defaults to False.

    Returns:
        A ``tf.data.Dataset`` of ``(inputs, targets)``, both int32
        ``(batch_size, sequence_length)``.

    Raises:
        TypeError: If ``ids`` is not an integer array or an argument has the
            wrong type.
        ValueError: If the ids do not fill one batch of chunks (the message says
            how many characters are needed), or ``shuffle`` and ``stateful`` are
            both True.

    Example:
        >>> ds = char_dataset(np.arange(11), sequence_length=3, batch_size=2,
        ...                   shuffle=False)
        >>> [(x.numpy().tolist(), y.numpy().tolist()) for x, y in ds]
        [([[0, 1, 2], [3, 4, 5]], [[1, 2, 3], [4, 5, 6]])]
        >>> ds = char_dataset(np.arange(13), sequence_length=3, batch_size=2,
        ...                   shuffle=False, stateful=True)
        >>> [x.numpy().tolist() for x, _ in ds]
        [[[0, 1, 2], [6, 7, 8]], [[3, 4, 5], [9, 10, 11]]]
    """
    ids = _check_ids(ids)
    sequence_length = check_int(sequence_length, "sequence_length", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    check_type(shuffle, "shuffle", bool, "True or False")
    check_type(stateful, "stateful", bool, "True or False")
    seed = check_int(seed, "seed", minimum=0, allow_none=True)
    if shuffle and stateful:
        raise ValueError(
            error_message(
                "shuffle",
                "False when `stateful=True` (batches must follow the text)",
                shuffle,
            )
        )
    n_chunks = (len(ids) - 1) // sequence_length
    if n_chunks < batch_size:
        needed = batch_size * sequence_length + 1
        raise ValueError(
            error_message(
                "ids",
                f"at least batch_size * sequence_length + 1 = {needed} tokens "
                "(one batch of training chunks)",
                ids,
                f"It has {len(ids)}; use a longer text or a smaller "
                "`sequence_length`/`batch_size`",
            )
        )
    import tensorflow as tf

    n_batches = n_chunks // batch_size
    used = n_batches * batch_size * sequence_length
    inputs = ids[:used].reshape(-1, sequence_length)
    targets = ids[1 : used + 1].reshape(-1, sequence_length)
    if stateful:
        # chunk order: stream r holds chunks r*n_batches ... (r+1)*n_batches - 1
        order = np.arange(len(inputs)).reshape(batch_size, n_batches).T.reshape(-1)
        inputs, targets = inputs[order], targets[order]
    ds = tf.data.Dataset.from_tensor_slices((inputs, targets))
    if shuffle:
        ds = ds.shuffle(len(inputs), seed=seed, reshuffle_each_iteration=True)
    return prefetched(ds.batch(batch_size, drop_remainder=True))
