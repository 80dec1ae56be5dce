"""Named points where the kill-and-rerun fault test stops a training process.

Every write of a bundle file, a checkpoint or a history row, and every step of
an epoch's commit, calls `reached` with a name such as ``"write:model.keras"``
or ``"run:committed"``. In normal use nothing happens (one dictionary lookup).
The fault test (``tests/training/test_fault_injection.py``) uses it two ways:

- ``RNN_ZOO_KILL_AT="NAME"`` or ``"NAME#K"`` in the environment makes the
  process end at once with ``os._exit(KILL_EXIT_CODE)`` the first (or K-th)
  time it reaches NAME, as ``kill -9`` would: no ``finally`` block, no Keras
  ``on_train_end``. At a ``write:`` point the half-written temporary file is
  cut to half its size first, as a kill during the write leaves it.
- `set_handler` installs a function called at every point instead (the test
  copies the output folder there: the disk as a kill at that point leaves it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["KILL_EXIT_CODE", "reached", "set_handler"]

#: The exit code of a process stopped by ``RNN_ZOO_KILL_AT``.
KILL_EXIT_CODE = 75
_ENV = "RNN_ZOO_KILL_AT"
_handler: Callable[[str, Path | None], None] | None = None
_hits: dict[str, int] = {}


def set_handler(handler: Callable[[str, Path | None], None] | None) -> None:
    """Call ``handler(name, temp_path)`` at every point (None removes it).

    Args:
        handler: A function of the point's name and, for ``write:`` points, the
            temporary file being written (else None); or None.

    Example:
        >>> seen = []
        >>> set_handler(lambda name, path: seen.append(name))
        >>> reached("run:committed")
        >>> set_handler(None)
        >>> seen
        ['run:committed']
    """
    global _handler
    _handler = handler


def reached(name: str, temp_path: Path | None = None) -> None:
    """Mark that the process reached the point ``name``.

    Args:
        name: The point's name (``"write:<file>"``, ``"run:<step>"``, ...).
        temp_path: For a ``write:`` point, the temporary file just written.

    Example:
        >>> reached("run:committed")  # nothing happens in normal use
    """
    if _handler is not None:
        _handler(name, temp_path)
        return
    target = os.environ.get(_ENV)
    if not target:
        return
    point, _, count = target.partition("#")
    if point != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] < (int(count) if count else 1):
        return
    if temp_path is not None and temp_path.is_file():
        with open(temp_path, "r+b") as f:
            f.truncate(temp_path.stat().st_size // 2)
    os._exit(KILL_EXIT_CODE)
