"""The command line: ``python -m rnn_zoo GROUP COMMAND [options]``.

One module per command group (``rnn_zoo.cli.lm``, ``rnn_zoo.cli.forecast``,
``rnn_zoo.cli.dates``), each with ``register(subparsers)`` that adds its parser and
sets ``run=callable(args) -> int`` as the parser default. Group modules import
TensorFlow inside their ``run`` functions, so ``--help`` is instant.

Conventions every command follows:

- results on stdout, logs and progress on stderr (so stdout can be piped);
- a usage problem (bad file, bad value) raises `UsageError` (or, for a
  training folder, `rnn_zoo.tasks.run_folder.RunFolderError`): ``main`` prints it
  as one line ``rnn_zoo GROUP COMMAND: error: ...`` on stderr and exits with 2,
  no traceback; argparse's own errors (a bad number, an unknown option) are one
  line with exit code 2 as well (`rnn_zoo.cli.options.OneLineParser`), and they
  come before any data is read or TensorFlow is imported;
- Ctrl-C exits with 130 after one line saying how to resume.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rnn_zoo.tasks.progress import log
from rnn_zoo.tasks.run_folder import RunFolderError

__all__ = ["COMMAND_GROUPS", "UsageError", "build_parser", "log", "main"]

# command group -> module ``rnn_zoo.cli.<name>`` defining ``register(subparsers)``
COMMAND_GROUPS: tuple[str, ...] = ("forecast", "lm", "dates", "exercises")


class UsageError(Exception):
    """A problem with the command's input, reported as one line with exit code 2.

    Example:
        >>> raise UsageError("corpus file 'x.txt' does not exist")
        Traceback (most recent call last):
        ...
        rnn_zoo.cli.UsageError: corpus file 'x.txt' does not exist
    """


def build_parser() -> argparse.ArgumentParser:
    """Build the ``python -m rnn_zoo`` parser with every command group.

    Returns:
        The top-level ``argparse.ArgumentParser``.

    Example:
        >>> parser = build_parser()
        >>> parser.prog
        'rnn_zoo'
    """
    from rnn_zoo.cli.options import OneLineParser

    parser = OneLineParser(
        prog="rnn_zoo",
        description="Train and use the rnn_zoo models from the command line.",
    )
    groups = parser.add_subparsers(dest="group", metavar="GROUP", required=True)
    for name in COMMAND_GROUPS:
        importlib.import_module(f"rnn_zoo.cli.{name}").register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code.

    Args:
        argv: The arguments without the program name; None means ``sys.argv[1:]``.

    Returns:
        0 on success, 2 for a usage error, 130 when interrupted, or the
        command's own code.

    Example:
        >>> main(["--help"])  # doctest: +SKIP
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    prog = " ".join(
        part for part in ("rnn_zoo", args.group, getattr(args, "command", None)) if part
    )
    try:
        return int(args.run(args) or 0)
    except (UsageError, RunFolderError) as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            f"\n{prog}: interrupted; run the same command again to resume.",
            file=sys.stderr,
        )
        return 130
