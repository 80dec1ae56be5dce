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

from rnn_zoo._lazy import lazy_exports

_LAZY = {
    "make_windows": "windows",
    "windows_dataset": "windows",
    "time_split": "windows",
    "pad": "sequences",
    "mask_of": "sequences",
    "CharTokenizer": "text",
    "WordTokenizer": "text",
    "CharCorpus": "char_data",
    "split_text": "char_data",
    "prepare_char_corpus": "char_data",
    "char_dataset": "char_data",
    "LengthBuckets": "length_buckets",
    "SeriesScaler": "scaling",
    "to_returns": "returns",
    "from_returns": "returns",
    "to_log_returns": "returns",
    "from_log_returns": "returns",
    "difference": "returns",
    "undifference": "returns",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
