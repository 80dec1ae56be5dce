"""Array plumbing shared by the series transforms (scaling and returns).

Private: converts inputs to float arrays with clear errors and rewraps results
as the pandas type they came in.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnn_zoo._validation import error_message


def _to_float_array(data: Any, name: str, ndims: tuple[int, ...]) -> np.ndarray:
    """``data`` as a float64 array with one of ``ndims`` dimensions, else raise."""
    try:
        if isinstance(data, (pd.Series, pd.DataFrame)):
            values = data.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            values = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            error_message(name, "numeric (an array, list, Series or DataFrame)", data)
        ) from None
    if values.ndim not in ndims:
        allowed = " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(error_message(name, f"a {allowed} array", values))
    return values


def _float_dtype(data: Any) -> np.dtype:
    """The dtype results take: the input's float dtype, else float64."""
    dtype = getattr(data, "dtype", None)
    if dtype is not None and np.issubdtype(dtype, np.floating):
        return np.dtype(dtype)
    return np.dtype(np.float64)


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
