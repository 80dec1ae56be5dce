"""Full-size checks of notebook 08's claims (learning to execute addition), 3 seeds.

CI runs notebook 08 only with tiny test parameters. This part of
``benchmarks/craft.py`` executes the same notebook (so the model, the training
loop and the recipes are exactly the notebook's, not a copy) with full-size
parameters and four recipes with the same number of steps: questions as
written, reversed, and reversed with the naive and the combined curriculum
(``CURRICULA=["naive", "combined"]``; the first two use the *mix* strategy).
All are scored on one fixed test set with every operand length from 1 to
``max_digits + 1``. From what the notebook recorded it prints a Markdown table
of exact match by operand length (mean ± std [min, max] over seeds, and the
no-carry rule), then one table of claims, each with its numbers and whether it
holds ("clearly" = the ranges over seeds do not overlap,
``rnn_zoo.training.experiments.clearly_better``):

1. reversing the question beats writing it as is, at ``max_digits`` digits;
2. the naive curriculum vs none, and 3. the combined curriculum vs none (both
   reversed, both against the mix): which is clearly better, if either
   (reported, not presumed);
4. every recipe beats the no-carry rule on every seed at every trained length
   (it learned to carry);
5. accuracy falls with the number of digits (1 digit above ``max_digits``, for
   every recipe's mean);
6. no recipe generalises to one digit more: its best seed at ``max_digits + 1``
   is no better than the no-carry rule there.

Usage:
    python benchmarks/craft.py execute                 # 12 models, 1,800 steps: ~20 min
    python benchmarks/craft.py execute --steps-per-stage 1000 --seeds 5
    python benchmarks/craft.py execute --quick         # a smoke test, ~1 minute
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from craft_options import execute_notebook, parse_sizes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOTEBOOK = "08_learning_to_execute"

DEFAULTS = dict(
    seeds=3,
    max_digits=3,
    steps_per_stage=600,
    batch_size=128,
    units=128,
    embedding_dim=16,
    learning_rate=0.01,
    test_per_digit=500,
)
QUICK = dict(
    seeds=2,
    max_digits=2,
    steps_per_stage=5,
    batch_size=16,
    units=8,
    embedding_dim=4,
    learning_rate=0.01,
    test_per_digit=10,
)
RECIPES = {
    "as written": {"reverse": False, "curriculum": "mix"},
    "reversed": {"reverse": True, "curriculum": "mix"},
    "reversed + naive": {"reverse": True, "curriculum": "naive"},
    "reversed + combined": {"reverse": True, "curriculum": "combined"},
}


def spread(values) -> str:
    """``mean ± std [min, max]`` of per-seed exact matches, in percent."""
    return (
        f"{100 * values.mean():.1f} ± {100 * values.std(ddof=1):.1f} "
        f"[{100 * values.min():.1f}, {100 * values.max():.1f}]"
    )


def accuracy_table(frame, baseline, max_digits) -> str:
    lengths = list(range(1, max_digits + 2))
    head = " | ".join(
        f"{k} digit{'s' if k > 1 else ''}" + (" (untrained)" if k > max_digits else "")
        for k in lengths
    )
    lines = [f"| recipe | {head} |", "|---" * (len(lengths) + 1) + "|"]
    for name in RECIPES:
        mine = frame[frame["config"] == name]
        cells = [spread(mine.loc[mine["digits"] == k, "exact_match"]) for k in lengths]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append(
        "| no-carry rule | "
        + " | ".join(f"{100 * baseline[k]:.1f}" for k in lengths)
        + " |"
    )
    return "\n".join(lines)


def claims(frame, baseline, max_digits) -> list[tuple[str, str, bool | str]]:
    from rnn_zoo.training.experiments import clearly_better

    def at(k):
        return frame[frame["digits"] == k]

    def numbers(name, k):
        return spread(at(k).loc[at(k)["config"] == name, "exact_match"])

    out = []
    longest = at(max_digits)
    winner = clearly_better(
        longest, "exact_match", "reversed", "as written", lower_is_better=False
    )
    out.append(
        (
            f"reversed beats as written at {max_digits} digits",
            f"{numbers('reversed', max_digits)} vs {numbers('as written', max_digits)}",
            winner == "reversed",
        )
    )
    for curriculum in ("reversed + naive", "reversed + combined"):
        winner = clearly_better(
            longest, "exact_match", curriculum, "reversed", lower_is_better=False
        )
        out.append(
            (
                f"{curriculum} vs reversed (mix) at {max_digits} digits",
                f"{numbers(curriculum, max_digits)} vs "
                f"{numbers('reversed', max_digits)}",
                f"{winner} clearly better" if winner else "not shown (ranges overlap)",
            )
        )
    trained = frame[frame["trained"]]
    worst = trained.groupby(["config", "digits"])["exact_match"].min()
    margins = {key: v - baseline[key[1]] for key, v in worst.items()}
    weakest = min(margins, key=margins.get)
    out.append(
        (
            "every recipe beats the no-carry rule on every seed, every trained length",
            f"smallest margin {100 * margins[weakest]:+.1f} points "
            f"({weakest[0]}, {weakest[1]} digit{'s' if weakest[1] > 1 else ''})",
            margins[weakest] > 0,
        )
    )
    means = frame.groupby(["config", "digits"])["exact_match"].mean()
    falls = {
        name: means[name, 1] > means[name, max_digits]
        for name in dict.fromkeys(frame["config"])
    }
    out.append(
        (
            f"accuracy falls from 1 to {max_digits} digits (every recipe's mean)",
            ", ".join(
                f"{name} {100 * means[name, 1]:.1f} -> "
                f"{100 * means[name, max_digits]:.1f}"
                for name in falls
            ),
            all(falls.values()),
        )
    )
    best = at(max_digits + 1)["exact_match"].max()
    out.append(
        (
            f"no recipe generalises to {max_digits + 1} digits (best seed <= "
            "no-carry rule)",
            f"best seed {100 * best:.1f} vs no-carry "
            f"{100 * baseline[max_digits + 1]:.1f}",
            best <= baseline[max_digits + 1],
        )
    )
    return out


def notebook_parameters(args) -> dict:
    """The notebook's parameters for the sizes on the command line."""
    return {
        "SEEDS": list(range(args.seeds)),
        "MAX_DIGITS": args.max_digits,
        "STEPS_PER_STAGE": args.steps_per_stage,
        "BATCH_SIZE": args.batch_size,
        "UNITS": args.units,
        "EMBEDDING_DIM": args.embedding_dim,
        "LEARNING_RATE": args.learning_rate,
        "CURRICULA": [name.split(" + ")[1] for name in RECIPES if " + " in name],
        "TEST_PER_DIGIT": args.test_per_digit,
        "TIME_BUDGET": 24 * 3600,  # no cap: every model takes all its steps
    }


def runs_frame(results: dict, max_digits: int):
    """One row per recipe, seed and operand length, from the recorded numbers."""
    import pandas as pd

    rows = []
    for key, by_digits in results["exact_match_by_seed"].items():
        name, seed = key.rsplit(" / seed ", 1)
        for k, value in by_digits.items():
            rows.append(
                {
                    "config": name,
                    "seed": int(seed),
                    "digits": int(k),
                    "trained": int(k) <= max_digits,
                    "exact_match": value,
                }
            )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    args = parse_sizes(
        argv, prog="craft.py execute", doc=__doc__, defaults=DEFAULTS, quick=QUICK
    )
    results, minutes = execute_notebook(NOTEBOOK, notebook_parameters(args))
    if results is None:
        return 1
    frame = runs_frame(results, args.max_digits)
    baseline = {int(k): v for k, v in results["no_carry_baseline"].items()}
    print(
        f"\n### Learning to execute (notebook 08): {args.seeds} seeds, "
        f"{args.max_digits * args.steps_per_stage:,} steps of {args.batch_size} "
        f"per model (LSTM {args.units}, {results['params']:,} parameters, Adam "
        f"{args.learning_rate:g}), {args.test_per_digit} test sums per length; "
        f"{platform.machine()} CPU, {minutes:.1f} minutes\n"
    )
    print("Exact match (%) by digits per operand, mean ± std [min, max]:\n")
    print(accuracy_table(frame, baseline, args.max_digits))
    print("\n| claim | numbers | holds |\n|---|---|---|")
    for claim, numbers, holds in claims(frame, baseline, args.max_digits):
        shown = holds if isinstance(holds, str) else ("yes" if holds else "**no**")
        print(f"| {claim} | {numbers} | {shown} |")
    print("\nThe notebook's own verdicts:\n")
    for c in results["comparisons"]:
        print(f"- {c['label']}: {c['sentence']}")
    steps = results["steps"]
    planned = args.max_digits * args.steps_per_stage
    if any(v != [planned] for v in steps.values()):
        print(f"\n**Warning:** not every model took {planned:,} steps: {steps}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
