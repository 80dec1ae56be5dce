"""Option checks shared by the command groups: argparse types, flag names, folders.

- `OneLineParser`: an ``ArgumentParser`` whose errors are one line on stderr
  (``rnn_zoo GROUP COMMAND: error: argument --seed: ...; see --help``), exit 2.
- `positive_int`, `non_negative_int`, `int_at_least`, `positive_float`,
  `unit_interval`: argparse ``type=`` callables that refuse bad numbers while
  the command line is parsed, before any data is read or TensorFlow imported.
- `batch_split_problem`: why ``--batch-size`` cannot be shared equally by the
  replicas of ``--strategy multiworker`` (or None).
- `with_flags`: rewrite a library error that names Python arguments
  (`` `top_k` ``, ``top_k=0``) with the flags the user typed (``--top-k``).
- `writable_folder` (from `rnn_zoo.tasks.run_folder`): check that a file can be
  created in a folder, before a
  long run that would write there at its end.

Nothing here imports TensorFlow, NumPy or pandas.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NoReturn

__all__ = [
    "OneLineParser",
    "positive_int",
    "non_negative_int",
    "int_at_least",
    "positive_float",
    "unit_interval",
    "with_flags",
    "batch_split_problem",
]


class OneLineParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors are one line on stderr, exit 2.

    argparse prints the whole usage block before its error; a one-line error
    (like every other error of ``python -m rnn_zoo``) is easier to read in a
    log, and ``--help`` still shows the usage.

    Example:
        >>> parser = OneLineParser(prog="demo")
        >>> _ = parser.add_argument("--n", type=positive_int)
        >>> parser.parse_args(["--n", "0"])  # doctest: +SKIP
        demo: error: argument --n: must be a positive integer, got '0'; see demo --help
    """

    def error(self, message: str) -> NoReturn:
        """Print ``message`` as one line and exit with status 2."""
        message = " ".join(message.split())
        self.exit(2, f"{self.prog}: error: {message}; see {self.prog} --help\n")


def _number(
    text: str, kind: type, ok: Callable[[Any], bool], allowed: str
) -> int | float:
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or (kind is float and not math.isfinite(value)) or not ok(value):
        raise argparse.ArgumentTypeError(f"must be {allowed}, got {text!r}")
    return value


def _named(parse: Callable[[str], Any], name: str) -> Callable[[str], Any]:
    parse.__name__ = name  # argparse names the type in some messages
    return parse


def int_at_least(low: int) -> Callable[[str], int]:
    """An argparse type: an integer ``>= low``.

    Args:
        low: The smallest allowed value.

    Returns:
        A callable ``str -> int`` raising ``argparse.ArgumentTypeError``.

    Example:
        >>> int_at_least(2)("3")
        3
        >>> int_at_least(2)("1")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: must be an integer >= 2, got '1'
    """
    allowed = f"an integer >= {low}"
    return _named(lambda text: _number(text, int, lambda v: v >= low, allowed), "int")


def positive_int(text: str) -> int:
    """An argparse type: an integer ``>= 1``.

    Example:
        >>> positive_int("0")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: must be a positive integer, got '0'
    """
    return _number(text, int, lambda v: v >= 1, "a positive integer")


def non_negative_int(text: str) -> int:
    """An argparse type: an integer ``>= 0`` (e.g. a seed).

    Example:
        >>> non_negative_int("-1")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: must be a non-negative integer, got '-1'
    """
    return _number(text, int, lambda v: v >= 0, "a non-negative integer")


def positive_float(text: str) -> float:
    """An argparse type: a positive finite number (``inf`` and ``nan`` refused).

    Example:
        >>> positive_float("inf")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: must be a positive finite number, got 'inf'
    """
    return _number(text, float, lambda v: v > 0, "a positive finite number")


def unit_interval(text: str) -> float:
    """An argparse type: a number in ``(0, 1]`` (e.g. ``--top-p``).

    Example:
        >>> unit_interval("1.5")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: must be a number in (0, 1], got '1.5'
    """
    return _number(text, float, lambda v: 0 < v <= 1, "a number in (0, 1]")


def with_flags(
    message: str | BaseException, names: Iterable[str] | Mapping[str, str]
) -> str:
    """Rewrite a library message in terms of command-line flags, on one line.

    `` `top_k` `` becomes ``--top-k`` and ``top_k=0`` becomes ``--top-k 0``, for
    each Python argument name in ``names``; whitespace runs become one space;
    "or None" goes (a flag cannot be given None: it is left out instead).

    Args:
        message: The message, or the exception carrying it.
        names: Python argument names that are flags of the command (``top_k``
            -> ``--top-k``), or a mapping from argument name to flag where they
            differ (``{"folds": "--backtest-folds"}``).

    Returns:
        The rewritten one-line message.

    Example:
        >>> with_flags("`top_k` must be an integer in [1, 66] or None. "
        ...            "Received: top_k=70", ["top_k", "seed"])
        '--top-k must be an integer in [1, 66]. Received: --top-k 70'
        >>> with_flags("`folds` must be >= 2. Received: folds=1",
        ...            {"folds": "--backtest-folds"})
        '--backtest-folds must be >= 2. Received: --backtest-folds 1'
    """
    text = " ".join(str(message).split()).replace(" or None", "")
    if not isinstance(names, Mapping):
        names = {name: "--" + name.replace("_", "-") for name in names}
    for name, flag in names.items():
        text = text.replace(f"`{name}`", flag)
        text = re.sub(rf"(?<![\w-]){re.escape(name)}=", f"{flag} ", text)
    return text


def batch_split_problem(batch_size: int, replicas: int) -> str | None:
    """Why the global ``--batch-size`` cannot be split over ``replicas``, or None.

    Args:
        batch_size: The global batch size (``--batch-size``).
        replicas: The strategy's ``num_replicas_in_sync``.

    Returns:
        A one-line message naming the nearest sizes that work, or None.

    Example:
        >>> batch_split_problem(64, 2) is None
        True
        >>> batch_split_problem(5, 2)[-17:]
        'got 5, use 4 or 6'
    """
    if batch_size % replicas == 0:
        return None
    lower = batch_size // replicas * replicas
    sizes = " or ".join(str(n) for n in (lower, lower + replicas) if n > 0)
    return (
        f"--batch-size must be divisible by the number of replicas ({replicas}) so "
        f"every replica gets an equal share; got {batch_size}, use {sizes}"
    )
