"""SimpleRNN vs LSTM vs GRU on long-memory tasks as the sequence length grows.

The full-size version of notebook 02's comparison. CI runs notebook 02 with tiny
test parameters and ``make tutorials`` with its defaults; this script executes
the same notebook (so the models, the training loop and the verdicts are exactly
the notebook's, not a copy) with longer sequences, more epochs and several
seeds, reads back the runs it recorded and prints a Markdown table: per task,
length and cell the parameters, epochs run, training seconds, the score on new
sequences (adding: MSE, lower is better; copy: recall accuracy, higher is better)
as median and range over seeds, the baseline, and on how many seeds it was
solved (MSE below a tenth of the baseline; recall accuracy >= 0.9). The
notebook's own verdicts follow: a winner only where the ranges over seeds do not
overlap. Both tasks always run (the notebook runs both); ``--budget`` seconds is
only a safety cap per model.

Usage:
    python benchmarks/long_memory.py                  # full size, 2 seeds
    python benchmarks/long_memory.py --seeds 3 --lengths 10 50 100
    python benchmarks/long_memory.py --default        # the notebook's defaults
    python benchmarks/long_memory.py --quick          # test parameters, smoke test
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOTEBOOK = "02_gates_and_long_memory"


def table(runs: list[dict]) -> str:
    """One Markdown row per (task, length, cell), aggregated over seeds."""
    import numpy as np

    lines = [
        "| task | length | cell | params | epochs | train s | score (median [min, max])"
        " | baseline | solved |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    keys = dict.fromkeys((r["task"], r["length"], r["cell"]) for r in runs)
    for task, length, cell in keys:
        group = [
            r
            for r in runs
            if (r["task"], r["length"], r["cell"]) == (task, length, cell)
        ]
        scores = np.array([r["score"] for r in group])
        lines.append(
            f"| {task} | {length} | {cell} | {group[0]['params']:,} | "
            f"{np.median([r['epochs'] for r in group]):.0f} | "
            f"{np.median([r['seconds'] for r in group]):.0f} | "
            f"{np.median(scores):.4f} [{scores.min():.4f}, {scores.max():.4f}] | "
            f"{np.mean([r['baseline'] for r in group]):.4f} | "
            f"{sum(bool(r['solved']) for r in group)}/{len(group)} |"
        )
    return "\n".join(lines)


def verdict_lines(verdicts: list[dict]) -> str:
    """The notebook's verdicts, one Markdown row per task and length."""
    pairs = list(dict.fromkeys(v["pair"] for v in verdicts))
    lines = ["| task | length | " + " | ".join(pairs) + " |"]
    lines.append("|---|---|" + "---|" * len(pairs))
    keys = dict.fromkeys((v["task"], v["length"]) for v in verdicts)
    for task, length in keys:
        winners = {
            v["pair"]: v["winner"]
            for v in verdicts
            if (v["task"], v["length"]) == (task, length)
        }
        lines.append(
            f"| {task} | {length} | " + " | ".join(winners[p] for p in pairs) + " |"
        )
    return "\n".join(lines)


def parameters(args: argparse.Namespace) -> dict:
    """The notebook parameters for these options (empty: its defaults)."""
    from tools.run_tutorials import quick_parameters

    if args.quick:
        return quick_parameters(NOTEBOOK)
    if args.default:
        return {}
    return {
        "SEEDS": list(range(args.seeds)),
        "ADD_LENGTHS": args.lengths,
        "COPY_LENGTHS": args.copy_lengths,
        "UNITS": args.units,
        "N_TRAIN": args.n_train,
        "EPOCHS": args.epochs,
        "COPY_EPOCHS": args.copy_epochs,
        "TIME_BUDGET": args.budget,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="test parameters")
    size.add_argument("--default", action="store_true", help="notebook defaults")
    parser.add_argument("--lengths", type=int, nargs="+", default=[10, 50, 100, 200])
    parser.add_argument("--copy-lengths", type=int, nargs="+", default=[8, 16, 32, 64])
    parser.add_argument("--seeds", type=int, default=2, help="seeds 0 .. N-1")
    parser.add_argument("--units", type=int, default=32)
    parser.add_argument("--n-train", type=int, default=4096)
    parser.add_argument("--epochs", type=int, default=10, help="adding problem")
    parser.add_argument("--copy-epochs", type=int, default=10, help="copy task")
    parser.add_argument("--budget", type=float, default=600.0, help="cap per model")
    parser.add_argument("--out", type=Path, help="folder for the executed notebook")
    args = parser.parse_args(argv)
    # after the options, so that --help and a bad option answer at once
    from rnn_zoo._quiet import quiet_import_tensorflow
    from tools.run_tutorials import NOTEBOOKS, execute

    quiet_import_tensorflow()
    params = parameters(args)
    out = args.out or Path(tempfile.mkdtemp(prefix="long_memory_"))
    print(
        f"Notebook {NOTEBOOK} with {params or 'its defaults'} on "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
        f"executed into {out}",
        flush=True,
    )
    start = time.perf_counter()
    outcome, _ = execute(NOTEBOOKS / f"{NOTEBOOK}.ipynb", out, params, html=False)
    minutes = (time.perf_counter() - start) / 60
    if not outcome.ok:
        print(f"FAILED after {minutes:.1f} min: {outcome.error}")
        return 1
    results = outcome.results
    print()
    print(table(results["runs"]))
    print()
    print(verdict_lines(results["verdicts"]))
    print()
    print(f"Headline: {results['headline']}")
    print(f"\nWall time {minutes:.1f} min.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
