"""Forecast quality bars: a noisy sine, and GOOG log returns over seeds.

Prints two Markdown tables (for the README):

1. **Sine** (``sin(t)``, one radian per step, Gaussian noise 0.1, 1,000 steps):
   a direct 20-step LSTM forecaster trained once on the steps before the first
   origin, then walk-forward over the last ``20 * folds`` steps. MASE per step
   ahead of the LSTM and the naive forecast, mean and spread over seeds. The bar:
   LSTM MASE <= 0.3 at step 1 and below naive at every step up to 20.
2. **GOOG** (matplotlib's daily sample, 2004-2008): LSTM and GRU learn log
   returns, scored on the price; walk-forward over the last trading days at 1-
   and 5-day horizons, against naive (random walk), drift and mean. MASE and
   directional accuracy, mean ± standard deviation over seeds, and the
   Diebold-Mariano p-value against naive (median over seeds).

Usage:
    python benchmarks/forecasting.py            # 3 seeds, the README tables
    python benchmarks/forecasting.py --quick    # 1 seed, tiny models, a smoke test
"""

from __future__ import annotations

import argparse
import functools
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from rnn_zoo._quiet import silenced_stderr  # noqa: E402
from rnn_zoo.datasets import load_stock_prices, make_sine_waves  # noqa: E402
from rnn_zoo.evaluation import compare_forecasts, walk_forward_backtest  # noqa: E402

with silenced_stderr():
    from rnn_zoo.models import build_forecaster  # noqa: E402


def sine_table(seeds, *, units, epochs, folds, horizon=20, lookback=20):
    """MASE by step of a direct LSTM and of naive, per seed, on a noisy sine."""
    series = make_sine_waves(
        1,
        length=1000,
        noise=0.1,
        freq_range=(1 / (2 * np.pi), 1 / (2 * np.pi)),
        phase_range=(0.0, 0.0),
        seed=0,
    )[0, :, 0]
    per_seed = []
    for seed in seeds:
        result = walk_forward_backtest(
            {"lstm": functools.partial(build_forecaster, units=units)},
            series,
            lookback=lookback,
            horizon=horizon,
            folds=folds,
            refit=False,
            epochs=epochs,
            fit_kwargs={"batch_size": 32, "learning_rate": 3e-3},
            baselines=["naive"],
            seed=seed,
        )
        per_seed.append(result.by_step["mase"].unstack("model"))
    stacked = pd.concat(per_seed, keys=seeds, names=["seed"])
    return stacked.groupby("step").agg(["mean", "std"])


def goog_table(seeds, *, units, epochs, test_days, refits, lookback=20):
    """MASE, directional accuracy and DM p-values per horizon and forecaster."""
    prices = load_stock_prices("GOOG")[["Close"]]
    rows = []
    for horizon in (1, 5):
        folds = test_days // horizon
        for seed in seeds:
            result = walk_forward_backtest(
                {
                    cell: functools.partial(build_forecaster, cell=cell, units=units)
                    for cell in ("lstm", "gru")
                },
                prices,
                lookback=lookback,
                horizon=horizon,
                folds=folds,
                refit=-(-folds // refits),
                target_transform="log_returns",
                epochs=epochs,
                seed=seed,
            )
            for model, metrics in result.summary.iterrows():
                p_value = np.nan
                if model in ("lstm", "gru"):
                    p_value = compare_forecasts(
                        result.forecasts, model, "naive"
                    ).p_value
                rows.append(
                    {
                        "horizon": horizon,
                        "folds": folds,
                        "model": model,
                        "seed": seed,
                        "mase": metrics["mase"],
                        "dir_acc": metrics["directional_accuracy"],
                        "dm_p": p_value,
                    }
                )
    frame = pd.DataFrame(rows)
    return frame.groupby(["horizon", "folds", "model"], sort=False).agg(
        mase_mean=("mase", "mean"),
        mase_std=("mase", "std"),
        dir_acc_mean=("dir_acc", "mean"),
        dir_acc_std=("dir_acc", "std"),
        dm_p_median=("dm_p", "median"),
    )


def _markdown_sine(table: pd.DataFrame) -> str:
    lines = [
        "| step | LSTM MASE | naive MASE |",
        "|---:|---:|---:|",
    ]
    for step, row in table.iterrows():
        if step in (1, 2, 5, 10, 15, 20) or step == table.index.max():
            lines.append(
                f"| {step} | {row[('lstm', 'mean')]:.3f} ± {row[('lstm', 'std')]:.3f} "
                f"| {row[('naive', 'mean')]:.3f} |"
            )
    return "\n".join(dict.fromkeys(lines))


def _markdown_goog(table: pd.DataFrame) -> str:
    lines = [
        "| horizon (days) | origins | forecaster | MASE | directional accuracy "
        "| DM p vs naive |",
        "|---:|---:|---|---:|---:|---:|",
    ]
    for (horizon, folds, model), row in table.iterrows():
        p = "" if np.isnan(row["dm_p_median"]) else f"{row['dm_p_median']:.2f}"
        lines.append(
            f"| {horizon} | {folds} | {model} | {row['mase_mean']:.3f} ± "
            f"{row['mase_std']:.3f} | {row['dir_acc_mean']:.3f} ± "
            f"{row['dir_acc_std']:.3f} | {p} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 seed, tiny models")
    args = parser.parse_args()
    seeds = [0] if args.quick else [0, 1, 2]
    start = time.perf_counter()
    sine = sine_table(
        seeds,
        units=8 if args.quick else 32,
        epochs=2 if args.quick else 30,
        folds=5 if args.quick else 15,
    )
    sine_ok = (
        sine[("lstm", "mean")].iloc[0] <= 0.3
        and (sine[("lstm", "mean")] < sine[("naive", "mean")]).all()
    )
    print(f"### Sine, noise 0.1 ({len(seeds)} seed(s))\n")
    print(_markdown_sine(sine))
    print(
        f"\nBar (step-1 MASE <= 0.3, below naive at every step): "
        f"{'met' if sine_ok else 'NOT met'}\n"
    )
    goog = goog_table(
        seeds,
        units=4 if args.quick else 16,
        epochs=1 if args.quick else 8,
        test_days=20 if args.quick else 200,
        refits=1 if args.quick else 2,
    )
    print(f"### GOOG log returns, scored on the price ({len(seeds)} seed(s))\n")
    print(_markdown_goog(goog))
    print(f"\nWall time: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
