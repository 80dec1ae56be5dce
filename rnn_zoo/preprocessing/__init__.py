"""Preprocessing: windows and splits, padding, tokenizers, scalers.

Everything here is NumPy/pandas; `windows_dataset` and `pad` (which wrap Keras'
`timeseries_dataset_from_array` and `pad_sequences`) import TensorFlow, and only
when called.

Example:
    >>> from rnn_zoo.preprocessing import make_windows
    >>> X, y = make_windows(list(range(6)), lookback=3)
    >>> X.shape, y.shape
    ((3, 3, 1), (3, 1, 1))
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "make_windows": "windows",
    "windows_dataset": "windows",
    "time_split": "windows",
    "pad": "sequences",
    "mask_of": "sequences",
    "CharTokenizer": "text",
    "WordTokenizer": "text",
    "SeriesScaler": "scaling",
    "to_returns": "returns",
    "from_returns": "returns",
    "to_log_returns": "returns",
    "from_log_returns": "returns",
    "difference": "returns",
    "undifference": "returns",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(
            f"module 'rnn_zoo.preprocessing' has no attribute {name!r}"
        )
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
