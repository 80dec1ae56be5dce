"""Execute the notebooks, render HTML copies, print and write a summary table.

``make tutorials`` runs this with the venv's Python::

    python tools/run_tutorials.py [--only 03] [--quick] [--timeout 900]
                                  [--out build/tutorials] [--notebooks notebooks]

For each ``notebooks/NN_topic.ipynb`` (in order) it executes the notebook with
papermill (its default parameters, or with ``--quick`` the small test parameters
from ``notebooks/quick_parameters.json``), writes the executed ``.ipynb`` and an
HTML copy to ``--out``, and prints one progress line. A failing notebook does not
stop the others; ``--timeout`` stops a notebook that runs longer than that many
seconds (it counts as failed). At the end it prints a table (notebook, wall time,
status, key result: the headline the notebook passed to
``rnn_zoo.notebook.record_results``), writes it to ``OUT/summary.md``, and exits
with 1 naming the failures, if any.

Kernels talk to the runner over local IPC sockets rather than TCP (except on
Windows, which has none), so ipykernel has no reason to warn that the connection
is unencrypted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
QUICK_PARAMETERS = NOTEBOOKS / "quick_parameters.json"
# Local sockets instead of TCP, so ipykernel does not warn that the connection is
# unencrypted; ZeroMQ has no IPC transport on Windows.
KERNEL_TRANSPORT = "tcp" if os.name == "nt" else "ipc"


@dataclass
class Outcome:
    """What happened to one notebook."""

    name: str
    seconds: float
    ok: bool
    headline: str
    error: str = ""
    results: dict | None = None


def notebook_paths(only: str | None = None, folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks in ``folder``, in order; ``only`` keeps names starting so."""
    paths = sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))
    if only:
        paths = [p for p in paths if p.stem.startswith(only)]
    return paths


def quick_parameters(name: str, path: Path = QUICK_PARAMETERS) -> dict:
    """The small test parameters of notebook ``name`` (its stem), or ``{}``."""
    path = Path(path)
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text()).get(name, {}))


def execute(
    path: Path,
    out_dir: Path,
    parameters: dict,
    *,
    html: bool = True,
    timeout: float | None = None,
    kernel=None,
):
    """Execute one notebook into ``out_dir``; return (Outcome, executed notebook).

    ``timeout`` (seconds, or None for none) bounds the whole notebook: each cell
    may use what is left of it; a cell still running then is interrupted and the
    notebook fails with "timed out". ``kernel``, a started
    ``jupyter_client.AsyncKernelManager``, runs the notebook in that kernel (left
    running) instead of a new one (the tests share one per worker; `make
    tutorials` never does).
    """
    import nbformat
    import papermill
    from traitlets.config import Config

    from rnn_zoo.notebook import read_results

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / path.name
    start = time.perf_counter()
    limits = {}
    if timeout is not None:
        deadline = time.monotonic() + timeout
        limits = {
            # rounded up, so a cell is interrupted at the deadline, never before
            "timeout_func": lambda cell: max(1, math.ceil(deadline - time.monotonic())),
            "interrupt_on_timeout": True,
        }
    error = ""
    sockets = tempfile.TemporaryDirectory(prefix="rnn-zoo-kernel-")
    transport = kernel_transport(sockets.name)
    try:
        papermill.execute_notebook(
            str(path),
            str(output),
            parameters=parameters,
            cwd=str(path.parent),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            config=Config(KernelManager=transport),
            **limits,
            **({"km": kernel} if kernel is not None else {}),
        )
    except Exception as exc:  # noqa: BLE001 - reported, and the next one runs
        error = _first_line(exc)
    finally:
        sockets.cleanup()
    seconds = time.perf_counter() - start
    if error and timeout is not None and time.monotonic() >= deadline - 0.5:
        error = f"timed out after {seconds:.0f} s (--timeout {timeout:g})"
    nb = nbformat.read(output, as_version=4) if output.exists() else None
    results = read_results(nb) if nb is not None else {}
    if html and nb is not None:
        _write_html(nb, output.with_suffix(".html"))
    outcome = Outcome(
        name=path.stem,
        seconds=seconds,
        ok=not error,
        headline=str(results.get("headline", "")),
        error=error,
        results=results,
    )
    return outcome, nb


def kernel_transport(folder: str) -> dict:
    """A kernel's ZeroMQ transport settings, its socket files (ipc) in ``folder``.

    A private folder (not the notebook's), so two kernels at the same time never
    pick the same socket names.
    """
    settings = {"transport": KERNEL_TRANSPORT}
    if KERNEL_TRANSPORT == "ipc":
        settings["ip"] = os.path.join(folder, "kernel")
    return settings


def _first_line(exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    text = f"{ename}: {evalue}".strip()
    return text.splitlines()[0][:200] if text else ename


def _write_html(nb, path: Path) -> None:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nb)
    path.write_text(body, encoding="utf-8")


def summary_table(outcomes: list[Outcome]) -> str:
    """The Markdown summary table of a run."""
    lines = [
        "| notebook | wall time | status | key result |",
        "|---|---|---|---|",
    ]
    for o in outcomes:
        minutes, seconds = divmod(round(o.seconds), 60)
        status = "ok" if o.ok else f"FAILED ({o.error})"
        lines.append(
            f"| {o.name} | {minutes}:{seconds:02d} | {status} | {o.headline} |"
        )
    total = round(sum(o.seconds for o in outcomes))
    lines.append(f"| **total** | {total // 60}:{total % 60:02d} | | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run the notebooks whose name starts so (03)")
    parser.add_argument(
        "--quick", action="store_true", help="use the small test parameters"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="stop a notebook after this many seconds (counts as failed)",
    )
    parser.add_argument("--out", default=str(ROOT / "build" / "tutorials"))
    parser.add_argument(
        "--notebooks", default=str(NOTEBOOKS), help="folder of NN_topic.ipynb files"
    )
    args = parser.parse_args(argv)
    if args.timeout is not None and args.timeout <= 0:
        parser.error(f"--timeout must be positive. Received: {args.timeout:g}")

    folder = Path(args.notebooks)
    paths = notebook_paths(args.only, folder)
    if not paths:
        where = f" matching {args.only!r}" if args.only else ""
        print(f"No notebooks{where} in {folder}.", file=sys.stderr)
        return 1 if args.only else 0
    out_dir = Path(args.out)
    quick_file = folder / QUICK_PARAMETERS.name
    outcomes = []
    for i, path in enumerate(paths, 1):
        params = quick_parameters(path.stem, quick_file) if args.quick else {}
        print(f"[{i}/{len(paths)}] {path.stem} ...", end=" ", flush=True)
        outcome, _ = execute(path, out_dir, params, timeout=args.timeout)
        outcomes.append(outcome)
        status = "ok" if outcome.ok else f"FAILED: {outcome.error}"
        print(f"{outcome.seconds:.0f} s, {status}", flush=True)

    table = summary_table(outcomes)
    mode = "quick test parameters" if args.quick else "default parameters"
    (out_dir / "summary.md").write_text(
        f"# Tutorials run ({mode})\n\n{table}", encoding="utf-8"
    )
    print()
    print(table)
    print(f"Executed notebooks and HTML copies are in {out_dir}/")
    failed = [o.name for o in outcomes if not o.ok]
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
