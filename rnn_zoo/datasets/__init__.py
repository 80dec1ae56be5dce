"""Data sets: downloaded corpora (checksummed, cached), bundled prices, generators.

- ``download``: the registry of downloadable files and ``fetch`` (path ->
  ``$RNN_ZOO_DATA_DIR`` -> cache -> download, sha256-checked).
- ``corpora``: ``load_shakespeare`` and the offline fallback ``load_python_docs``.
- ``stocks``: ``load_stock_prices`` (matplotlib's GOOG sample or a Yahoo CSV).
- ``synthetic``: sine waves, adding problem, copy task, addition pairs.
- ``tagging``: ``make_tagging_task``, tags that depend on the following token.
- ``addition``: addition problems by operand length, curricula over them and a
  fixed test set (every length up to one digit more than trained).
- ``dates``: human-written dates paired with ISO dates and their alignment.

Importing this package imports neither TensorFlow nor pandas and fetches nothing;
each name loads its module on first use. The repository's ``datasets/README.md``
and ``datasets/manifest.json`` describe every data set.

Example:
    >>> from rnn_zoo.datasets import make_adding_problem
    >>> X, y = make_adding_problem(2, length=5, seed=0)
    >>> X.shape, y.shape
    ((2, 5, 2), (2, 1))
"""

from __future__ import annotations

from rnn_zoo._lazy import lazy_exports

_LAZY = {
    "DATASETS": "download",
    "DatasetInfo": "download",
    "DatasetUnavailableError": "download",
    "ChecksumError": "download",
    "DATA_DIR_ENV": "download",
    "default_cache_dir": "download",
    "sha256_of": "download",
    "fetch": "download",
    "TEXT_CORPORA": "corpora",
    "load_shakespeare": "corpora",
    "load_python_docs": "corpora",
    "load_text_corpus": "corpora",
    "STOCK_COLUMNS": "stocks",
    "STOCK_SYMBOLS": "stocks",
    "load_stock_prices": "stocks",
    "make_sine_waves": "synthetic",
    "make_adding_problem": "synthetic",
    "make_copy_task": "synthetic",
    "make_addition_pairs": "synthetic",
    "CURRICULA": "addition",
    "AdditionProblems": "addition",
    "make_addition_problems": "addition",
    "make_addition_curriculum": "addition",
    "addition_test_set": "addition",
    "TAG_NAMES": "tagging",
    "TaggingTask": "tagging",
    "make_tagging_task": "tagging",
    "forward_only_ceiling": "tagging",
    "DATE_FORMATS": "dates",
    "DATE_FIELDS": "dates",
    "DatePairs": "dates",
    "make_date_pairs": "dates",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
