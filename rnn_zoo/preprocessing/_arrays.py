"""Array plumbing shared by the preprocessing modules.

Private. Holds the package's rules that more than one transform must apply the
same way:

- **the float dtype rule** (`_float_dtype`): float input keeps its float dtype
  (the widest one when columns differ); integer and bool input becomes float32
  when float32 holds every value exactly (``|v| <= 2**24``), else float64; an
  integer beyond ``2**53``, which float64 would round, is an error naming it.
  `_first_inexact` is the same check for an explicitly requested float dtype.
- **the column rule** (`_column_positions`): an entry that is a column label of
  the data means that column; otherwise an integer is a position (negative counts
  from the end).
- converting inputs to float arrays with clear errors, and rewrapping results as
  the pandas type they came in.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rnn_zoo._validation import check_type, error_message


def _first_inexact(values: np.ndarray, dtype: Any) -> int | None:
    """The first integer of an integer/bool array that float ``dtype`` would round.

    Returns None when every value is exact in ``dtype`` (or ``values`` is not an
    integer array: floats are not checked).
    """
    if values.dtype.kind not in "biu" or values.size == 0:
        return None
    limit = 2 ** (np.finfo(dtype).nmant + 1)  # float32: 2**24, float64: 2**53
    bad = (values > limit) | (values < -limit)
    return int(values[bad].flat[0]) if bad.any() else None


def _float_dtype(parts: Sequence[np.ndarray], name: str) -> np.dtype:
    """The float dtype that holds ``parts`` (arrays or columns) without rounding.

    Floats keep their dtype (the widest wins); integers and bools become float32
    when float32 holds every value exactly, else float64.

    Raises:
        ValueError: If an integer is beyond what float64 holds exactly.
    """
    dtypes = []
    for part in parts:
        if part.dtype.kind == "f":
            dtypes.append(part.dtype)
        elif _first_inexact(part, np.float32) is None:
            dtypes.append(np.dtype(np.float32))
        else:
            value = _first_inexact(part, np.float64)
            if value is not None:
                raise ValueError(
                    f"`{name}` must hold integers that float64 stores exactly "
                    f"(|value| <= 2**53). Received: {name} holding {value}, which "
                    "float64 would round. Subtract an offset first (e.g. the first "
                    "timestamp) or convert the values to float yourself"
                )
            dtypes.append(np.dtype(np.float64))
    return np.result_type(*dtypes) if dtypes else np.dtype(np.float32)


def _numeric_parts(data: Any) -> list[np.ndarray]:
    """The columns of a DataFrame (as NumPy arrays), else ``[np.asarray(data)]``."""
    if isinstance(data, pd.DataFrame):
        return [_column_values(data[column]) for column in data.columns]
    if isinstance(data, pd.Series):
        return [_column_values(data)]
    return [np.asarray(data)]


def _column_values(column: pd.Series) -> np.ndarray:
    """A pandas column as NumPy; nullable columns with NA become float with NaN."""
    if isinstance(column.dtype, np.dtype):
        return column.to_numpy()
    numpy_dtype = getattr(column.dtype, "numpy_dtype", None)
    if numpy_dtype is not None and not column.isna().any():
        return column.to_numpy(dtype=numpy_dtype)
    return column.to_numpy(dtype=np.float64, na_value=np.nan)


def _to_float_array(data: Any, name: str, ndims: tuple[int, ...]) -> np.ndarray:
    """``data`` as a float64 array with one of ``ndims`` dimensions, else raise.

    Integers that float64 would round are an error (see `_float_dtype`).
    """
    try:
        parts = _numeric_parts(data)
        if isinstance(data, (pd.Series, pd.DataFrame)):
            values = data.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            values = np.asarray(parts[0], dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            error_message(name, "numeric (an array, list, Series or DataFrame)", data)
        ) from None
    _float_dtype(parts, name)  # raises on integers float64 cannot hold
    if values.ndim not in ndims:
        allowed = " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(error_message(name, f"a {allowed} array", values))
    return values


def _result_dtype(data: Any, name: str) -> np.dtype:
    """The dtype a transform of ``data`` returns: the package's float rule."""
    return _float_dtype(_numeric_parts(data), name)


def _column_positions(
    columns: Any,
    labels: Sequence[Any] | None,
    n_features: int,
    name: str,
    *,
    none_means_all: bool = False,
) -> list[int]:
    """Positions of ``columns`` under the package's one column rule.

    An entry that is one of ``labels`` (a DataFrame's columns) means that column;
    otherwise an integer is a position, negative counting from the end. A single
    label/position may be given without a list.

    Raises:
        TypeError: If ``columns`` is not a label, position or list of them.
        ValueError: If it is empty, names a column twice or one that does not exist.
    """
    also = ", or None for all columns" if none_means_all else ""
    if isinstance(columns, str | numbers.Integral):
        items = [columns]
    else:
        check_type(
            columns,
            name,
            (list, tuple, np.ndarray, pd.Index),
            ("None, " if none_means_all else "")
            + "a column label or position, or a list of them",
        )
        items = list(columns)
    if not items:
        raise ValueError(
            error_message(
                name, "a non-empty list of column labels/positions" + also, columns
            )
        )
    positions = [_column_position(item, labels, n_features, name) for item in items]
    if len(set(positions)) != len(positions):
        raise ValueError(
            error_message(name, "distinct columns (no column twice)", columns)
        )
    return positions


def _column_position(
    item: Any, labels: Sequence[Any] | None, n_features: int, name: str
) -> int:
    if not isinstance(item, bool):
        if labels is not None and isinstance(item, str | numbers.Number):
            if item in labels:
                return list(labels).index(item)
        if isinstance(item, numbers.Integral) and -n_features <= item < n_features:
            return int(item) % n_features
    existing = f"positions 0 to {n_features - 1} (negative counts from the end)"
    if labels is not None:
        existing = f"column labels {list(labels)} or {existing}"
    raise ValueError(
        f"`{name}` must name existing columns: {existing}. "
        f"Received: {name} entry {item!r}"
    )


def _rewrap(like: Any, values: np.ndarray, index: Any = None) -> Any:
    """Return ``values`` as the pandas type of ``like`` (ndarray otherwise)."""
    if isinstance(like, pd.Series):
        return pd.Series(
            values, index=like.index if index is None else index, name=like.name
        )
    if isinstance(like, pd.DataFrame):
        return pd.DataFrame(
            values, index=like.index if index is None else index, columns=like.columns
        )
    return values
