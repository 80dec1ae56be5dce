"""Notebook 07's claims at full size (bidirectional RNNs), several seeds each.

CI runs notebook 07 only with tiny test parameters. This part of
``benchmarks/craft.py`` executes the same notebook (so the models, the
experiment loop and the sentences are exactly the notebook's, not a copy) with
larger parameters, reads back what it recorded, and prints Markdown tables
(tag accuracy mean ± std [min, max] per configuration; the padding table; the
forecast MSEs) and one table of claims, each with its numbers and whether it
holds:

1. bidirectional beats unidirectional on tagging on every seed (their ranges
   over seeds do not overlap), at the same parameter count;
2. no unidirectional run passes the exact forward-only ceiling by more than
   three standard errors of the test accuracy, and every bidirectional run does;
3. with ``mask_zero=True`` pre- and post-padded rows give their outputs alone
   to 1e-5, and the same weights without the mask do not (gap above 1e-3);
4. the bidirectional forecaster reads ahead (its prediction at step t moves
   when the steps after t are erased; the unidirectional one's does not), its
   leaky MSE is below the noise floor and its honest MSE above it; the
   unidirectional one scores the same both ways and beats persistence.

The forecasters are trained with the notebook's one ``SEED``; merge modes are
reported, with which pairs differ on every seed, not claimed.

Usage:
    python benchmarks/craft.py bidirectional             # 3 seeds, full size
    python benchmarks/craft.py bidirectional --seeds 0 1 2 3 4 --epochs 10
    python benchmarks/craft.py bidirectional --default   # the notebook's defaults
    python benchmarks/craft.py bidirectional --quick     # test parameters, smoke test
"""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOTEBOOK = "07_bidirectional"
# full size: twice the training data and epochs, a larger test set
FULL = {"N_TRAIN": 2000, "N_TEST": 1000, "EPOCHS": 8, "FORECAST_EPOCHS": 15}


def accuracy_lines(results: dict) -> list[str]:
    """Markdown: tag accuracy per configuration, and merge-mode pairs that differ."""
    import pandas as pd

    from rnn_zoo.training.experiments import clearly_better

    lines = [
        "| configuration | params | accuracy mean ± std | [min, max] |",
        "|---|---|---|---|",
    ]
    rows = results["directions"] + [
        r for r in results["merge"] if r["config"] != "bi-concat"
    ]
    for row in rows:
        std = row["std"] if isinstance(row["std"], float) else math.nan
        lines.append(
            f"| {row['config']} | {row['params']:,} | {row['mean']:.4f} ± {std:.4f} "
            f"| [{row['min']:.4f}, {row['max']:.4f}] |"
        )
    merge_runs = pd.DataFrame(results["merge_runs"])
    modes = list(dict.fromkeys(merge_runs["config"]))
    clear = [
        f"{winner} > {a if winner == b else b}"
        for a, b in itertools.combinations(modes, 2)
        if (
            winner := clearly_better(
                merge_runs, "final_val_accuracy", a, b, lower_is_better=False
            )
        )
    ]
    lines += [
        "",
        "Merge modes that differ on every seed: "
        + (", ".join(clear) if clear else "none (every pair's ranges overlap)")
        + ". (`bidirectional` is `bi-concat`.)",
    ]
    return lines


def padding_lines(results: dict) -> list[str]:
    gap = "largest |padded - alone| logit"
    lines = ["| model | padding | largest logit gap | accuracy |", "|---|---|---|---|"]
    for row in results["padding"]:
        lines.append(
            f"| {row['model']} | {row['padding']} | {row[gap]:.2e} | "
            f"{row['test accuracy']:.4f} |"
        )
    return lines


def claims(results: dict) -> tuple[list[str], bool]:
    """The claims table and whether every claim holds."""
    runs = results["direction_runs"]
    ceiling, n_tags = results["ceiling"], results["n_test_tags"]
    noise = 3 * math.sqrt(ceiling * (1 - ceiling) / n_tags)
    uni = [r["final_val_accuracy"] for r in runs if r["config"] == "unidirectional"]
    bi = [r["final_val_accuracy"] for r in runs if r["config"] == "bidirectional"]
    params = results["params"]
    gap = "largest |padded - alone| logit"
    padding = {(r["model"], r["padding"]): r[gap] for r in results["padding"]}
    forecast, floor = results["forecast"], results["noise_floor"]
    leaky, honest = forecast["bidirectional, leaky"], forecast["bidirectional, honest"]
    change = results["future_change"]
    checks = [
        (
            "bidirectional beats unidirectional on tagging on every seed",
            f"[{min(bi):.4f}, {max(bi):.4f}] vs [{min(uni):.4f}, {max(uni):.4f}]; "
            f"params {params['bidirectional']:,} vs {params['unidirectional']:,}",
            results["direction_winner"] == "bidirectional",
        ),
        (
            "forward-only ceiling bounds unidirectional runs, bidirectional pass it",
            f"ceiling {ceiling:.4f} (+{noise:.4f} for 3 s.e.); uni max "
            f"{max(uni):.4f}, bi min {min(bi):.4f}",
            max(uni) <= ceiling + noise < min(bi),
        ),
        (
            "masking: padding (pre or post) invisible with the mask, not without",
            ", ".join(f"{m} {p}: {v:.1e}" for (m, p), v in padding.items()),
            all(
                (v < 1e-5) if m == "mask_zero=True" else (v > 1e-3)
                for (m, _), v in padding.items()
            ),
        ),
        (
            "bidirectional forecaster reads ahead; the unidirectional one does not",
            f"prediction moved by {change['bidirectional']:.3f} vs "
            f"{change['unidirectional']:.1e}",
            change["bidirectional"] > 1e-3 and change["unidirectional"] == 0.0,
        ),
        (
            "bidirectional forecast: leaky below the noise floor, honest above it",
            f"{leaky:.4f} < {floor:.4f} < {honest:.4f}",
            leaky < floor < honest,
        ),
        (
            "unidirectional forecast: honest = leaky, and beats persistence",
            f"{forecast['unidirectional, honest']:.4f} (persistence "
            f"{forecast['persistence']:.4f})",
            math.isclose(
                forecast["unidirectional, honest"],
                forecast["unidirectional, leaky"],
                rel_tol=1e-5,
            )
            and forecast["unidirectional, honest"] < forecast["persistence"],
        ),
    ]
    lines = ["| claim | numbers | holds |", "|---|---|---|"]
    for claim, numbers, holds in checks:
        lines.append(f"| {claim} | {numbers} | {'yes' if holds else '**no**'} |")
    return lines, all(holds for _, _, holds in checks)


def report(results: dict) -> tuple[str, bool]:
    """The Markdown report of one executed notebook's results."""
    claim_lines, all_hold = claims(results)
    forecast = results["forecast"]
    parts = [
        f"Headline: {results.get('headline', '')}",
        "",
        *accuracy_lines(results),
        "",
        *padding_lines(results),
        "",
        "| forecast | test MSE |",
        "|---|---|",
        *(f"| {name} | {mse:.4f} |" for name, mse in forecast.items()),
        f"| noise floor | {results['noise_floor']:.4f} |",
        "",
        *claim_lines,
    ]
    return "\n".join(parts), all_hold


def main(argv: list[str] | None = None) -> int:
    from craft_options import execute_notebook, notebook_parameters, notebook_parser

    parser = notebook_parser("craft.py bidirectional", __doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, help="EPOCHS of every tagger")
    args = parser.parse_args(argv)
    params = notebook_parameters(args, NOTEBOOK, FULL, {"EPOCHS": args.epochs})
    results, minutes = execute_notebook(NOTEBOOK, params, args.out)
    if results is None:
        return 1
    text, all_hold = report(results)
    print(f"\n{text}\n\nWall time {minutes:.1f} min.")
    return 0 if all_hold or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
