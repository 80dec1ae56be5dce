"""SimpleRNN vs LSTM vs GRU on long-memory tasks as the sequence length grows.

The full-size version of notebook 02's comparison (the notebook runs a small one
within its time cap). For each task, length, cell and seed it trains one model
with `rnn_zoo.evaluation.long_memory.compare_cells` (Adam 1e-2, clipnorm 1,
``--epochs`` epochs of 4096 sequences, batch 32 for the adding problem and 128 for
the copy task, as in notebook 02; ``--budget`` seconds is only a safety cap per
model) and prints a Markdown table:
parameters, epochs run, training seconds, the score on new sequences (adding: MSE,
lower is better; copy: recall accuracy, higher is better) as median and range
over seeds, the baseline, and how many seeds solved it (MSE below a tenth of the
baseline; recall accuracy >= 0.9).

Usage:
    python benchmarks/long_memory.py                          # adding, 10..200
    python benchmarks/long_memory.py --task copy --lengths 8 16 32 64
    python benchmarks/long_memory.py --quick                  # seconds, smoke test
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from rnn_zoo.evaluation.long_memory import compare_cells  # noqa: E402

NAMES = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def solved(run) -> bool:
    """MSE below a tenth of the baseline (adding); accuracy >= 0.9 (copy)."""
    if run.metric == "mse":
        return run.score < 0.1 * run.baseline
    return run.score >= 0.9


def table(runs) -> str:
    """One Markdown row per (task, length, cell), aggregated over seeds."""
    lines = [
        "| task | length | cell | params | epochs | train s | score (median [min, max])"
        " | baseline | solved |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    keys = dict.fromkeys((r.task, r.length, r.cell) for r in runs)
    for task, length, cell in keys:
        group = [r for r in runs if (r.task, r.length, r.cell) == (task, length, cell)]
        scores = np.array([r.score for r in group])
        lines.append(
            f"| {task} | {length} | {NAMES[cell]} | {group[0].params:,} | "
            f"{np.median([r.epochs for r in group]):.0f} | "
            f"{np.median([r.seconds for r in group]):.0f} | "
            f"{np.median(scores):.4f} [{scores.min():.4f}, {scores.max():.4f}] | "
            f"{np.mean([r.baseline for r in group]):.4f} | "
            f"{sum(map(solved, group))}/{len(group)} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=["adding", "copy", "both"], default="adding")
    parser.add_argument("--lengths", type=int, nargs="+", default=[10, 50, 100, 200])
    parser.add_argument("--copy-lengths", type=int, nargs="+", default=[8, 16, 32, 64])
    parser.add_argument("--seeds", type=int, default=2, help="seeds per setting")
    parser.add_argument("--units", type=int, default=32)
    parser.add_argument("--n-train", type=int, default=4096)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--budget", type=float, default=600.0, help="cap per model")
    parser.add_argument("--quick", action="store_true", help="tiny, for a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.lengths, args.copy_lengths, args.seeds = [6], [7], 1
        args.units, args.n_train, args.epochs, args.budget = 4, 128, 1, 5.0

    settings = dict(
        units=args.units,
        n_train=args.n_train,
        epochs=args.epochs,
        time_budget=args.budget,
        learning_rate=1e-2,
    )
    tasks = ["adding", "copy"] if args.task == "both" else [args.task]
    start = time.perf_counter()
    runs = []
    for task in tasks:
        lengths = args.lengths if task == "adding" else args.copy_lengths
        extra = (
            {"copy_symbols": 2, "n_symbols": 4, "batch_size": 128}
            if task == "copy"
            else {"batch_size": 32}
        )
        for seed in range(args.seeds):
            runs += compare_cells(task, lengths, seed=seed, **settings, **extra)
    print()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
        f"{args.units} units, {args.n_train} training sequences, Adam 1e-2, "
        f"{args.epochs} epochs (at most {args.budget:g} s) per model, "
        f"{args.seeds} seed(s); total {time.perf_counter() - start:.0f} s"
    )
    print()
    print(table(runs))


if __name__ == "__main__":
    main()
