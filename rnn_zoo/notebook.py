"""Notebook support: a clean Setup cell and results the tests can read back.

- `setup_notebook` imports TensorFlow and Keras with file descriptor 2 silenced
  (TensorFlow writes absl and CUDA-stub lines there at import, even with
  ``TF_CPP_MIN_LOG_LEVEL=3``, and a rendered notebook shows them as red boxes),
  checks for Keras 3, seeds everything and sets readable plot defaults.
- `quiet_retracing_warnings`, `quiet_import_tensorflow`, `silenced_stderr` (from
  the private ``rnn_zoo._quiet``) keep a notebook's output free of TensorFlow noise.
- `record_results` shows a notebook's key numbers as a small table and attaches
  them as JSON, so ``make tutorials`` and the tests read the executed notebook's
  results instead of scraping text. `read_results` reads them back.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from rnn_zoo._quiet import (
    quiet_import_tensorflow,
    quiet_retracing_warnings,
    silenced_stderr,
)

__all__ = [
    "RESULTS_MIMETYPE",
    "silenced_stderr",
    "quiet_import_tensorflow",
    "quiet_retracing_warnings",
    "setup_notebook",
    "record_results",
    "read_results",
]

RESULTS_MIMETYPE = "application/vnd.rnn-zoo.results+json"


def setup_notebook(seed: int | None = 0, *, figsize: tuple[float, float] = (9, 4)):
    """Import TensorFlow/Keras quietly, check Keras 3, seed, set plot defaults.

    Args:
        seed: int or None. Passed to `rnn_zoo.set_seed` (Python, NumPy, Keras);
            None skips seeding. Defaults to 0.
        figsize: (width, height) in inches for new matplotlib figures, readable
            at notebook width. Defaults to (9, 4).

    Returns:
        A one-line string with the versions, e.g.
        ``"TensorFlow 2.21.0, Keras 3.15.1 (backend tensorflow), NumPy 2.4.6"``.

    Raises:
        RuntimeError: If Keras is not version 3.

    Example:
        >>> setup_notebook(0)  # doctest: +ELLIPSIS
        'TensorFlow 2..., Keras 3... (backend tensorflow), NumPy ...'
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    quiet_import_tensorflow()
    import keras
    import tensorflow as tf

    if not keras.__version__.startswith("3."):
        raise RuntimeError(
            f"These notebooks need Keras 3; found Keras {keras.__version__}. "
            "Install the pinned requirements: `make venv`."
        )
    import matplotlib as mpl
    import numpy as np

    mpl.rcParams.update(
        {
            "figure.figsize": figsize,
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    if seed is not None:
        from rnn_zoo.training import set_seed

        set_seed(seed)
    return (
        f"TensorFlow {tf.__version__}, Keras {keras.__version__} "
        f"(backend {keras.backend.backend()}), NumPy {np.__version__}"
    )


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def record_results(headline: str, **values: Any) -> None:
    """Show the notebook's key results and attach them for the tests and runner.

    Displays a Markdown table (headline, then one row per value) and, in the same
    output, the JSON ``{"headline": ..., **values}`` under `RESULTS_MIMETYPE`.
    ``make tutorials`` puts the headline in its summary table; the notebook tests
    assert on the values. Call it once, near the end of the notebook.

    Args:
        headline: str. One short line, e.g. ``"LSTM MASE 0.21 vs naive 1.00"``.
        **values: JSON-serialisable numbers, strings, lists or dicts (NumPy
            scalars are converted).

    Raises:
        TypeError: If ``headline`` is not a string or a value is not
            JSON-serialisable.

    Example:
        >>> record_results("MASE 0.21", mase=0.21)  # doctest: +SKIP
    """
    if not isinstance(headline, str):
        raise TypeError(f"`headline` must be a string. Received: headline={headline!r}")
    payload = {"headline": headline, **_jsonable(values)}
    json.dumps(payload)  # raises TypeError for anything not serialisable
    rows = "\n".join(f"| `{k}` | {_format(v)} |" for k, v in payload.items())
    markdown = f"**{headline}**\n\n| result | value |\n|---|---|\n{rows}\n"
    from IPython.display import display

    display({"text/markdown": markdown, RESULTS_MIMETYPE: payload}, raw=True)


def _format(value: Any, limit: int = 160) -> str:
    """A value as a table cell: floats to 4 digits, long values cut short.

    The whole value stays in the results JSON; the table is for reading.

    Example:
        >>> _format(0.123456), _format(list(range(100)))[-30:]
        ('0.1235', '… (100 items, all in the JSON)')
    """
    if isinstance(value, float):
        return f"{value:.4g}"
    text = str(value).replace("|", "\\|").replace("\n", " ")
    if len(text) <= limit:
        return text
    size = f"{len(value)} items, " if hasattr(value, "__len__") else ""
    return text[: limit - 40] + f"… ({size}all in the JSON)"


def read_results(notebook: Any) -> dict[str, Any]:
    """Read the values `record_results` attached to an executed notebook.

    Args:
        notebook: An executed notebook (``nbformat.NotebookNode`` or the parsed
            JSON dict).

    Returns:
        The last recorded results dict (``{"headline": ..., ...}``); an empty
        dict if the notebook recorded none.

    Example:
        >>> read_results({"cells": []})
        {}
    """
    found: dict[str, Any] = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULTS_MIMETYPE in data:
                payload = data[RESULTS_MIMETYPE]
                found = json.loads(payload) if isinstance(payload, str) else payload
    return dict(found)
