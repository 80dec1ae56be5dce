"""What a training recipe prints while it runs: one line at a time, on stderr.

Results go to stdout (so a command's output can be piped); progress and log lines
go to stderr through `log`, which the command line re-exports.
"""

from __future__ import annotations

import sys

__all__ = ["log"]


def log(message: str) -> None:
    """Write one progress or log line to stderr (stdout is for results).

    Args:
        message: The line to write.

    Returns:
        None.

    Example:
        >>> log("training for 5 minutes")  # doctest: +SKIP
    """
    print(message, file=sys.stderr, flush=True)
