"""Pad variable-length sequences to one length, and find the real (unpadded) steps.

`pad` wraps ``keras.utils.pad_sequences`` with two guarantees Keras does not give:

- padding and truncating happen at the **end** by default (``"post"``), because
  the fused cuDNN LSTM/GRU kernels need right-padded batches;
- nothing is lost silently: fractional values never get truncated to an integer
  dtype, and values that do not fit the dtype are an error, not a wrap-around.

`mask_of` gives the boolean mask ``keras.layers.Masking`` would compute.

Importing this module does not import TensorFlow; calling `pad` imports Keras.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from rnn_zoo._validation import check_int, check_one_of, check_type, error_message
from rnn_zoo.preprocessing._arrays import _first_inexact

__all__ = ["pad", "mask_of"]

_SIDES = ("pre", "post")
_NUMERIC_KINDS = "biuf"


# --------------------------------------------------------------------------- helpers


def _as_arrays(sequences: Any) -> list[np.ndarray]:
    """Each sequence as a numeric array with a time axis; raise on anything else."""
    if isinstance(sequences, str | bytes | Mapping) or not (
        hasattr(sequences, "__len__") and hasattr(sequences, "__iter__")
    ):
        raise TypeError(
            error_message(
                "sequences",
                "a list of sequences (lists or arrays of numbers)",
                sequences,
                "Pass a list, e.g. `list(generator)`",
            )
        )
    if len(sequences) == 0:
        raise ValueError(
            error_message("sequences", "a non-empty list of sequences", sequences)
        )
    arrays = []
    step_shape = None
    for i, sequence in enumerate(sequences):
        name = f"sequences[{i}]"
        allowed = "a list or array of numbers (one sequence)"
        if isinstance(sequence, str | bytes):
            raise TypeError(
                error_message(name, allowed, sequence, "Tokenize text first")
            )
        try:
            array = np.asarray(sequence)
        except (TypeError, ValueError):
            raise ValueError(
                error_message(name, "a rectangular list or array", sequence)
            ) from None
        if array.ndim == 0 or (array.size and array.dtype.kind not in _NUMERIC_KINDS):
            raise TypeError(error_message(name, allowed, sequence))
        if len(array):
            if step_shape is None:
                step_shape = array.shape[1:]
            elif array.shape[1:] != step_shape:
                raise ValueError(
                    error_message(
                        name,
                        f"a sequence of steps of shape {step_shape}, like the "
                        "sequences before it",
                        array,
                    )
                )
        arrays.append(array)
    return arrays


def _check_dtype(dtype: Any) -> np.dtype:
    """``dtype`` as a NumPy integer or float dtype."""
    allowed = "a NumPy integer or float dtype, e.g. 'int32' or 'float32'"
    try:
        numpy_dtype = np.dtype(dtype) if dtype is not None else None
    except TypeError:
        numpy_dtype = None
    if numpy_dtype is None:
        raise TypeError(error_message("dtype", allowed, dtype))
    if numpy_dtype.kind not in "iuf":
        raise ValueError(error_message("dtype", allowed, dtype))
    return numpy_dtype


def _unrepresentable(array: np.ndarray, dtype: np.dtype) -> tuple[Any, str] | None:
    """The first value of ``array`` that ``dtype`` cannot hold exactly, and why.

    Returns None when every value fits: integers in range for an integer dtype;
    for a float dtype, finite values that stay finite and integers it holds
    exactly (float32 rounds integers beyond 2**24, the package's float rule).
    """
    if array.size == 0:
        return None
    if dtype.kind == "f":
        rounded = _first_inexact(array, dtype)
        if rounded is not None:
            return rounded, "an integer too large to be stored exactly in"
    with np.errstate(over="ignore", invalid="ignore"):
        if dtype.kind == "f":
            bad = np.isfinite(array) & ~np.isfinite(array.astype(dtype))
            why = "too large for"
        elif array.dtype.kind == "f" and not np.all(array % 1 == 0):
            bad = ~(array % 1 == 0)  # also NaN and inf
            why = "not an integer, so it cannot be stored in"
        else:
            info = np.iinfo(dtype)
            bad = (array < info.min) | (array > info.max)
            why = f"outside [{info.min}, {info.max}], the range of"
    if not bad.any():
        return None
    return array[bad].flat[0].item(), why


def _remedy(dtype: np.dtype, why: str) -> str:
    if why.startswith("not an integer"):
        return 'Pass dtype="float32" to keep fractional values'
    wider = "float64" if dtype.kind == "f" else "int64"
    return f"Pass a wider dtype than {dtype.name!r}, e.g. dtype={wider!r}"


def _check_fits(arrays: list[np.ndarray], value: Any, dtype: np.dtype) -> None:
    """Raise if a sequence value or the padding ``value`` would change in ``dtype``."""
    check_type(value, "value", numbers.Real, "a number")
    problem = _unrepresentable(np.asarray([value]), dtype)
    if problem is not None:
        raise ValueError(
            f"`value` must be representable in dtype {dtype.name!r}. Received: "
            f"value={value!r}, which is {problem[1]} {dtype.name}. "
            + _remedy(dtype, problem[1])
        )
    for i, array in enumerate(arrays):
        problem = _unrepresentable(array, dtype)
        if problem is not None:
            raise ValueError(
                f"`dtype` must hold every value of `sequences` exactly. Received: "
                f"dtype={dtype.name!r}, but sequences[{i}] holds {problem[0]!r}, "
                f"which is {problem[1]} {dtype.name}. " + _remedy(dtype, problem[1])
            )


# --------------------------------------------------------------------------- public


def pad(
    sequences: Any,
    *,
    maxlen: int | None = None,
    padding: str = "post",
    truncating: str = "post",
    value: float = 0,
    dtype: Any = "int32",
) -> np.ndarray:
    """Pad (or truncate) sequences to one length, padding at the end by default.

    A wrapper around ``keras.utils.pad_sequences`` with the same semantics except
    the defaults (``padding="post"``, ``truncating="post"``: real tokens first,
    padding after, which the fused cuDNN LSTM/GRU kernels require) and its
    checks: every value must fit ``dtype`` exactly, so ``[0.5]`` with
    ``dtype="int32"`` is an error instead of a silent ``0``, and so is the
    integer ``16777217`` with ``dtype="float32"`` (float32 would round it).

    Args:
        sequences: non-empty list (or tuple/array) of sequences; each a list or
            array of numbers, 1-D ``(steps,)`` or with a fixed step shape
            ``(steps, *step_shape)``. Empty sequences are allowed (all padding).
        maxlen: int >= 1, the output length, or None (default) for the length of
            the longest sequence.
        padding: str, ``"post"`` (default) to pad after each sequence, ``"pre"``
            to pad before it.
        truncating: str, ``"post"`` (default) to drop steps from the end of a
            sequence longer than ``maxlen``, ``"pre"`` to drop them from the start.
        value: number, the padding value. Defaults to 0 (the padding id of the
            package's tokenizers).
        dtype: NumPy integer or float dtype of the result. Defaults to
            ``"int32"``; use ``"float32"`` for real-valued sequences.

    Returns:
        A NumPy array of shape ``(len(sequences), maxlen, *step_shape)`` and
        dtype ``dtype``.

    Raises:
        TypeError: If ``sequences`` is not a list of sequences of numbers (a
            string, a generator, a flat list of numbers), ``value`` is not a
            number, or ``dtype`` is not a dtype.
        ValueError: If ``sequences`` is empty or ragged within a sequence, its
            steps differ in shape, ``maxlen`` < 1 (or None when every sequence
            is empty), ``padding``/``truncating`` is not ``"pre"``/``"post"``,
            ``dtype`` is not an integer/float dtype, or a sequence value or
            ``value`` cannot be represented in ``dtype``.

    Example:
        >>> pad([[1], [2, 3], [4, 5, 6]])
        array([[1, 0, 0],
               [2, 3, 0],
               [4, 5, 6]], dtype=int32)
        >>> pad([[1], [2, 3], [4, 5, 6]], maxlen=2, padding="pre", truncating="pre")
        array([[0, 1],
               [2, 3],
               [5, 6]], dtype=int32)
        >>> pad([[0.5, 1.5], [2.0]], dtype="float32", value=-1)
        array([[ 0.5,  1.5],
               [ 2. , -1. ]], dtype=float32)
    """
    arrays = _as_arrays(sequences)
    maxlen = check_int(maxlen, "maxlen", minimum=1, allow_none=True)
    check_one_of(padding, "padding", _SIDES)
    check_one_of(truncating, "truncating", _SIDES)
    dtype = _check_dtype(dtype)
    _check_fits(arrays, value, dtype)
    if maxlen is None and not any(len(array) for array in arrays):
        raise ValueError(
            error_message(
                "maxlen",
                "an integer >= 1 when every sequence is empty",
                maxlen,
                "Pass `maxlen` to choose the output length",
            )
        )

    import keras  # imports TensorFlow; kept out of module import on purpose

    return keras.utils.pad_sequences(
        arrays,
        maxlen=maxlen,
        dtype=dtype,
        padding=padding,
        truncating=truncating,
        value=value,
    )


def mask_of(padded: Any, *, value: float = 0) -> np.ndarray:
    """Boolean mask that is True at real (not padded) time steps.

    Follows ``keras.layers.Masking``: for 3-D input a time step is padding only
    if **all** its features equal ``value``. A NaN ``value`` matches NaN.

    Args:
        padded: array-like of numbers, 2-D ``(batch, timesteps)`` (e.g. token
            ids from `pad`) or 3-D ``(batch, timesteps, features)``.
        value: number, the padding value. Defaults to 0.

    Returns:
        A bool NumPy array of shape ``(batch, timesteps)``.

    Raises:
        TypeError: If ``padded`` is not numeric or ``value`` is not a number.
        ValueError: If ``padded`` is not 2-D or 3-D, or is ragged (sequences of
            different lengths: `pad` them first).

    Example:
        >>> mask_of(pad([[7, 8, 9], [5]]))
        array([[ True,  True,  True],
               [ True, False, False]])
        >>> x = np.array([[[1.0, 0.0], [0.0, 0.0]]])  # (batch=1, time=2, features=2)
        >>> mask_of(x)
        array([[ True, False]])
    """
    try:
        array = np.asarray(padded)
    except ValueError:  # ragged: NumPy cannot make one array of it
        array = None
    if array is None:
        raise ValueError(
            error_message(
                "padded",
                "a rectangular array (every sequence the same length)",
                padded,
                "Pad the sequences first: `mask_of(pad(sequences))`",
            )
        )
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(error_message("padded", "an array of numbers", padded))
    if array.ndim not in (2, 3):
        raise ValueError(
            error_message(
                "padded",
                "a 2-D (batch, timesteps) or 3-D (batch, timesteps, features) array",
                array,
            )
        )
    check_type(value, "value", numbers.Real, "a number")
    is_padding = np.isnan(array) if np.isnan(value) else array == value
    if array.ndim == 3:
        is_padding = is_padding.all(axis=-1)
    return ~is_padding
