"""Keep TensorFlow quiet: its import-time log lines and its retracing warnings.

One home for the three helpers the notebooks, the CLI and the benchmarks use
(``rnn_zoo.notebook`` re-exports them for notebooks):

- `silenced_stderr`: file descriptor 2 and Python warnings to nowhere, meanwhile;
- `quiet_import_tensorflow`: import TensorFlow and Keras without start-up lines;
- `quiet_retracing_warnings`: hide "triggered tf.function retracing" warnings
  while many small models are built in a row.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterator

__all__ = ["silenced_stderr", "quiet_import_tensorflow", "quiet_retracing_warnings"]


@contextlib.contextmanager
def silenced_stderr() -> Iterator[None]:
    """Send file descriptor 2 (C/C++ stderr) and Python warnings to nowhere.

    Only for imports that print noise (TensorFlow); restores both on exit.

    Example:
        >>> with silenced_stderr():
        ...     os.write(2, b"not shown")
        9
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def quiet_import_tensorflow() -> None:
    """Import TensorFlow and Keras without their start-up log lines.

    Sets ``TF_CPP_MIN_LOG_LEVEL=3`` (C++ log lines off for the rest of the
    process), imports both with file descriptor 2 silenced, and probes the
    devices meanwhile (the first probe logs "failed call to cuInit" on a machine
    without a GPU). Used by `setup_notebook`, the CLI commands (whose stderr is
    for their own messages) and the benchmarks.

    Example:
        >>> quiet_import_tensorflow()
        >>> import sys; "tensorflow" in sys.modules
        True
    """
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    with silenced_stderr():
        import keras  # noqa: F401
        import tensorflow as tf

        tf.config.list_physical_devices()


@contextlib.contextmanager
def quiet_retracing_warnings() -> Iterator[None]:
    """Hide TensorFlow's "triggered tf.function retracing" warnings meanwhile.

    Building, training or differentiating several small models in a row traces a
    new ``tf.function`` for each; after five TensorFlow logs a warning that reads
    like a bug (and shows as a red box in a notebook). Inside this context the
    ``"tensorflow"`` logger only passes errors; its level is restored on exit.

    Example:
        >>> with quiet_retracing_warnings():
        ...     logging.getLogger("tensorflow").level == logging.ERROR
        True
    """
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
