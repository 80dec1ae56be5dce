"""Command-line options shared by the ``craft_*`` parts of ``benchmarks/craft.py``.

Each part declares its sizes once, as a ``DEFAULTS`` dict (full size) and a
``QUICK`` dict (a smoke test); `parse_sizes` turns them into options.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any


def parse_sizes(
    argv: Sequence[str] | None,
    *,
    prog: str,
    doc: str,
    defaults: Mapping[str, Any],
    quick: Mapping[str, Any],
) -> argparse.Namespace:
    """Parse ``--name value`` for every key of ``defaults``, and ``--quick``.

    Args:
        argv: The arguments after the part's name (None: ``sys.argv[1:]``).
        prog: The program name shown by ``--help``, e.g. ``"craft.py execute"``.
        doc: The part's module docstring; its first line describes the part.
        defaults: Option name (``snake_case``; ``--kebab-case`` on the command
            line) -> default value; floats parse as float, the rest as int.
        quick: The values ``--quick`` sets, overriding the others.

    Returns:
        The parsed options, one attribute per key of ``defaults`` plus ``quick``.

    Example:
        >>> args = parse_sizes(["--seeds", "5"], prog="p", doc="Doc.",
        ...                    defaults={"seeds": 3, "lr": 0.1}, quick={"seeds": 1})
        >>> args.seeds, args.lr, args.quick
        (5, 0.1, False)
        >>> parse_sizes(["--quick"], prog="p", doc="Doc.", defaults={"seeds": 3},
        ...             quick={"seeds": 1}).seeds
        1
    """
    parser = argparse.ArgumentParser(prog=prog, description=doc.splitlines()[0])
    for name, default in defaults.items():
        kind = float if isinstance(default, float) else int
        parser.add_argument(f"--{name.replace('_', '-')}", type=kind, default=default)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        vars(args).update(quick)
    return args
