"""Date translation after a fixed time budget: attention vs none, greedy vs beam.

Trains the default date translator of ``python -m rnn_zoo dates train`` (same
data recipe, model and optimiser: ``rnn_zoo.tasks.date_training.train_date_translator``)
once per attention kind (Bahdanau, Luong, none) for ``--minutes`` of wall-clock
time each, with a block of years (``--holdout-years``, default 1850-1899) kept out
of training. Then scores every model on held-out dates and prints a Markdown
table:

- test set: ``--test-size`` dates (2,000), drawn with other seeds than the
  training and validation data, formats and years drawn independently; three
  quarters from the training years (1000-2999 minus the block) and one quarter
  from the block of years never seen in training. Test sources that also occur
  in the training data (compared lower-cased) are removed first, and counted;
- exact match with greedy decoding and with beam search (``--beam``, 5), the
  exact match on the unseen-year block and on long sources (at least 25
  characters), and the attention alignment accuracy (share of output characters
  whose attention peak lies in the gold source span);
- what ``dates translate`` would say of the greedy answers on the test dates
  from the training years (the unseen block is always unsure, by design): the
  share of correct answers marked unsure (the checks of
  ``rnn_zoo.tasks.date_confidence`` plus the model's probability below
  ``MIN_PROBABILITY``), and how many of the wrong answers were marked unsure.

Usage:
    python benchmarks/seq2seq.py                      # 3 x 5 minutes + scoring
    python benchmarks/seq2seq.py --minutes 1 --test-size 500   # a quick look

Timings depend on the machine and on whatever else runs on it: the script prints
the load average before and after, so a contended run can be recognised.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

from rnn_zoo._quiet import silenced_stderr  # noqa: E402
from rnn_zoo.datasets import DatePairs  # noqa: E402
from rnn_zoo.evaluation import exact_match  # noqa: E402
from rnn_zoo.tasks.date_confidence import date_problem, unsure_reasons  # noqa: E402
from rnn_zoo.tasks.date_training import (  # noqa: E402
    date_pairs,
    evaluate_translator,
    subset_pairs,
    train_date_translator,
)

with silenced_stderr():  # TensorFlow's import-time log lines
    import keras  # noqa: E402, F401

LONG_SOURCE = 25  # characters


def _concat(a: DatePairs, b: DatePairs) -> DatePairs:
    return DatePairs(
        a.sources + b.sources,
        a.targets + b.targets,
        a.alignments + b.alignments,
        a.formats + b.formats,
        a.dates + b.dates,
    )


def held_out_dates(args: argparse.Namespace) -> tuple[DatePairs, int]:
    """The test set (see the module docstring) and how many duplicates were removed."""
    n_unseen = args.test_size // 4
    block = tuple(args.holdout_years)
    test = _concat(
        date_pairs(args.test_size - n_unseen, args.seed + 100, exclude_years=block),
        date_pairs(n_unseen, args.seed + 101, years=block),
    )
    seen = {
        s.lower()
        for s in date_pairs(args.samples, args.seed, exclude_years=block).sources
    }
    keep = [i for i, s in enumerate(test.sources) if s.lower() not in seen]
    return subset_pairs(test, keep), len(test) - len(keep)


def _em_where(scores: dict, keep) -> float | None:
    pairs, predictions = scores["pairs"], scores["predictions"]
    index = [i for i in range(len(pairs)) if keep(pairs, i)]
    if not index:
        return None
    return exact_match(
        [predictions[i] for i in index], [pairs.targets[i] for i in index]
    )


def unsure_rates(translator, scores: dict, block: tuple[int, int]) -> tuple:
    """Correct answers marked unsure (share) and wrong ones caught (k of n).

    Only test dates from the training years count: the block left out of
    training is unsure by design (its years were never seen).
    """
    pairs, predictions = scores["pairs"], scores["predictions"]
    keep = [
        i for i in range(len(pairs)) if not block[0] <= pairs.dates[i].year <= block[1]
    ]
    sources = [pairs.sources[i] for i in keep]
    answers = [predictions[i] for i in keep]
    reasons = unsure_reasons(
        sources, answers, translator.confidence(sources, answers), exclude_years=block
    )
    correct = [answers[j] == pairs.targets[i] for j, i in enumerate(keep)]
    unsure = [r is not None for r in reasons]
    n_correct = sum(correct)
    flagged = sum(u for u, c in zip(unsure, correct, strict=True) if c)
    caught = sum(u for u, c in zip(unsure, correct, strict=True) if not c)
    by_checks = sum(
        date_problem(s, a, exclude_years=block) is not None
        for s, a, c in zip(sources, answers, correct, strict=True)
        if not c
    )
    share = flagged / n_correct if n_correct else None
    return share, caught, len(correct) - n_correct, by_checks


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2%}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="per model (5)")
    parser.add_argument("--attention", nargs="+", default=["bahdanau", "luong", "none"])
    parser.add_argument("--samples", type=int, default=20000, help="training dates")
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--test-size", type=int, default=2000)
    parser.add_argument(
        "--holdout-years",
        type=int,
        nargs=2,
        default=[1850, 1899],
        metavar=("FIRST", "LAST"),
    )
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="where the models go (default: a temp folder)")
    args = parser.parse_args()

    test, removed = held_out_dates(args)
    block = tuple(args.holdout_years)
    out = args.out or tempfile.mkdtemp(prefix="seq2seq_bench_")
    load_before = os.getloadavg()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {load_before[0]:.1f} before; {args.minutes:g} min per "
        f"model, {args.samples:,} training dates, {len(test):,} test dates "
        f"({removed} duplicates of training sources removed), years "
        f"{block[0]}-{block[1]} never seen in training",
        file=sys.stderr,
    )
    rows = []
    for attention in args.attention:
        start = time.perf_counter()
        translator, history = train_date_translator(
            os.path.join(out, attention),
            minutes=args.minutes,
            attention=attention,
            samples=args.samples,
            units=args.units,
            seed=args.seed,
            exclude_years=block,
        )
        train_minutes = (time.perf_counter() - start) / 60
        greedy = evaluate_translator(translator, test)
        beam = evaluate_translator(translator, test, beam_width=args.beam)
        unseen = _em_where(greedy, lambda p, i: block[0] <= p.dates[i].year <= block[1])
        long = _em_where(greedy, lambda p, i: len(p.sources[i]) >= LONG_SOURCE)
        flagged, caught, wrong, by_checks = unsure_rates(translator, greedy, block)
        rows.append(
            (
                attention,
                len(history.epoch),
                train_minutes,
                greedy["exact_match"],
                beam["exact_match"],
                unseen,
                long,
                greedy["alignment_accuracy"],
                greedy["dropped"],
                flagged,
                f"{caught} of {wrong} ({by_checks} by the date checks)",
            )
        )
        print(
            f"{attention}: greedy {_pct(greedy['exact_match'])}, beam "
            f"{_pct(beam['exact_match'])}",
            file=sys.stderr,
        )

    print(
        f"| attention | epochs | train (min) | exact match greedy | exact match beam "
        f"{args.beam} | unseen years {block[0]}-{block[1]} | sources >= "
        f"{LONG_SOURCE} chars | alignment accuracy | unreadable | correct answers "
        "marked unsure | wrong answers marked unsure |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (
        name, epochs, minutes, em, em_beam, em_unseen, em_long, align, dropped,
        flagged, caught,
    ) in rows:  # fmt: skip
        print(
            f"| {name} | {epochs} | {minutes:.1f} | {_pct(em)} | {_pct(em_beam)} | "
            f"{_pct(em_unseen)} | {_pct(em_long)} | {_pct(align)} | {dropped} | "
            f"{_pct(flagged)} | {caught} |"
        )
    never_lower = all(row[4] >= row[3] for row in rows)
    print(f"\nbeam {args.beam} never below greedy: {'yes' if never_lower else 'NO'}")
    load_after = os.getloadavg()
    print(
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after "
        f"({os.cpu_count()} CPUs); models in {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
