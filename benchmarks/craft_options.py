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

    from rnn_zoo._quiet import quiet_import_tensorflow
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


def notebook_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """The options every notebook-executing part shares.

    ``--quick`` (the notebook's test parameters) or ``--default`` (its own
    defaults), else full size; ``--seeds`` for the full size; ``--out`` for the
    executed notebook. A part adds its own knobs to the parser it gets.

    Example:
        >>> notebook_parser("craft.py x", "d").parse_args(["--quick"]).seeds
        [0, 1, 2]
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="test parameters")
    size.add_argument("--default", action="store_true", help="notebook defaults")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", help="folder for the executed notebook")
    return parser


def notebook_parameters(
    args: argparse.Namespace,
    notebook: str,
    full: Mapping[str, Any],
    knobs: Mapping[str, Any] = {},  # noqa: B006 - read only
) -> dict[str, Any]:
    """The parameters a `notebook_parser` command line asks for.

    Args:
        args: The parsed options.
        notebook: The notebook's name (its key in ``quick_parameters.json``).
        full: The full-size parameters; ``--seeds`` becomes their ``SEEDS``.
        knobs: Parameter name -> value given on the command line (None: unset).

    Returns:
        The papermill overrides: quick, the notebook's defaults, or full size,
        then every knob that was set.

    Example:
        >>> import argparse
        >>> args = argparse.Namespace(quick=False, default=False, seeds=[0])
        >>> notebook_parameters(args, "x", {"N": 9}, {"EPOCHS": 2, "LENGTH": None})
        {'N': 9, 'SEEDS': [0], 'EPOCHS': 2}
    """
    from tools.run_tutorials import quick_parameters

    if args.quick:
        params = quick_parameters(notebook)
    elif args.default:
        params = {}
    else:
        params = {**full, "SEEDS": args.seeds}
    params.update({k: v for k, v in knobs.items() if v is not None})
    return params
