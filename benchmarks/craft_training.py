"""Notebook 06's claims at full size: initialisation, clipping, optimisers, dropout,
early stopping and hyperparameter search, 3 seeds each, as Markdown tables.

CI runs notebook 06 only with tiny test parameters. This part of
``benchmarks/craft.py`` executes the same notebook (so the configurations and the
sentences are exactly the notebook's, not a copy) with larger parameters, reads
back what it recorded, and prints one Markdown table per section (mean, standard
deviation and range over seeds, diverged runs) followed by the notebook's own
verdicts, which say "not shown" where the ranges over seeds overlap.

Usage:
    python benchmarks/craft.py training                 # full size
    python benchmarks/craft.py training --seeds 0 1 2 3 4 --epochs 20
    python benchmarks/craft.py training --default       # the notebook's defaults
    python benchmarks/craft.py training --quick         # test parameters, a smoke test
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOTEBOOK = "06_training_craft"
# full size: a longer adding problem, more updates, more trials
FULL = {
    "LENGTH": 20,
    "EPOCHS": 15,
    "DROP_EPOCHS": 40,
    "GRID_UNITS": [8, 16, 32],  # 3 x 4 grid: 12 trials per search
    "GRID_LEARNING_RATES": [0.001, 0.003, 0.01, 0.03],
    "TUNER_INITIAL": 4,
    "TUNER_EPOCHS": 5,
    "TIME_CAP": 600,
}
SECTIONS = {
    "init": ("Initialisation (both LSTM kernels)", "test_loss", ["directions used"]),
    "clip": ("Clipping, SGD + momentum at a high lr", "test_loss", ["max_grad_norm"]),
    "lr_sweep": ("Learning-rate sweep, same epochs", "test_loss", ["final_val_loss"]),
    "optimizers": ("Optimisers, each at its best rate", "test_loss", []),
    "dropout": ("Dropout, noisy small task", "test_loss", ["seconds_per_epoch"]),
    "early_stopping": ("Early stopping (restored best)", "test_loss", ["epochs"]),
    "search": ("KerasTuner, same number of trials", "best_val_loss", ["best_trial"]),
}


def section_table(records: list[dict], metric: str, extras: list[str]) -> str:
    """Markdown: one row per configuration, mean ± std [min, max] over seeds."""
    import pandas as pd

    from rnn_zoo.training.experiments import summarize_runs

    runs = pd.DataFrame(records)
    summary = summarize_runs(runs, metric)
    head = f"| config | {metric}: mean ± std [min, max] | seeds | diverged |"
    head += "".join(f" {extra} (mean) |" for extra in extras)
    lines = [head, "|---" * (4 + len(extras)) + "|"]
    for name, row in summary.iterrows():
        line = (
            f"| {name} | {row['mean']:.4g} ± {row['std']:.2g} "
            f"[{row['min']:.4g}, {row['max']:.4g}] | {int(row['runs'])} | "
            f"{int(row['diverged'])} |"
        )
        for extra in extras:
            values = runs.loc[runs["config"] == name, extra].astype(float)
            line += f" {values.mean():.3g} |"
        lines.append(line)
    return "\n".join(lines)


def report(results: dict) -> str:
    """The Markdown tables and verdicts of one executed notebook's results."""
    parts = [f"Headline: {results.get('headline', '')}", ""]
    words = results.get("words", {})
    for key, (title, metric, extras) in SECTIONS.items():
        records = results["runs"].get(key)
        if not records:
            continue
        parts += [f"### {title}", "", section_table(records, metric, extras), ""]
        if key in words:
            text = words[key]
            parts += [text if text.startswith("-") else f"- {text}", ""]
    parts.append(f"Baseline test MSE (mean predictor): {results['baseline']:.4f}")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    from craft_options import execute_notebook, notebook_parameters, notebook_parser

    parser = notebook_parser("craft.py training", __doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, help="EPOCHS (sections 1-3)")
    parser.add_argument("--length", type=int, help="LENGTH of the adding problem")
    args = parser.parse_args(argv)
    knobs = {"EPOCHS": args.epochs, "LENGTH": args.length}
    params = notebook_parameters(args, NOTEBOOK, FULL, knobs)
    results, minutes = execute_notebook(NOTEBOOK, params, args.out)
    if results is None:
        return 1
    print(f"\n{report(results)}\n\nWall time {minutes:.1f} min.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
