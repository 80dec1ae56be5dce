"""Helpers shared by the ``craft_*`` parts of ``benchmarks/craft.py``.

`parse_sizes`: a part declares its sizes once, as a ``DEFAULTS`` dict (full
size) and a ``QUICK`` dict (a smoke test), and gets them as options.
`execute_notebook`: a part that checks a notebook's claims at full size runs
the notebook itself with larger parameters and reads back what it recorded.
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


def execute_notebook(name: str, params: Mapping[str, Any], out: Any = None) -> Any:
    """Execute ``notebooks/<name>.ipynb`` with ``params``; return its results.

    Prints one line before (parameters, machine, output folder) and, on failure,
    the notebook's error. TensorFlow is imported quietly first.

    Args:
        name: The notebook's name without suffix, e.g. ``"07_bidirectional"``.
        params: Parameter overrides (papermill); empty for the defaults.
        out: Folder for the executed notebook, or None for a new temporary one.

    Returns:
        ``(results, minutes)``: the dict the notebook recorded with
        ``record_results`` (None if it failed) and its wall time in minutes.
    """
    import os
    import platform
    import tempfile
    import time
    from pathlib import Path

    from rnn_zoo.notebook import quiet_import_tensorflow
    from tools.run_tutorials import NOTEBOOKS, execute

    quiet_import_tensorflow()
    out = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix=name))
    print(
        f"Notebook {name} with {dict(params) or 'its defaults'} on "
        f"{platform.node()} ({os.cpu_count()} CPUs), executed into {out}",
        flush=True,
    )
    start = time.perf_counter()
    outcome, _ = execute(NOTEBOOKS / f"{name}.ipynb", out, dict(params), html=False)
    minutes = (time.perf_counter() - start) / 60
    if not outcome.ok:
        print(f"FAILED after {minutes:.1f} min: {outcome.error}")
        return None, minutes
    return outcome.results, minutes
