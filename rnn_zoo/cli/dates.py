"""``python -m rnn_zoo dates``: train and use the date translator (human -> ISO).

Example::

    python -m rnn_zoo dates train --out dates_model --minutes 5
    python -m rnn_zoo dates translate --model dates_model "saturday 21 july 1849" \\
        "MARCH 3, 2009"
    1849-07-21
    2009-03-03

``train`` generates dates with ``make_date_pairs`` (32 formats, years 1000-2999,
any letter case, a weekday name in front of a quarter of them), trains an
attention encoder-decoder (``Seq2SeqTranslator``) for ``--minutes`` of wall-clock
time with one progress bar on stderr, saves the translator bundle into DIR and
prints its exact match on held-out dates (a different seed) on stdout. Letter
case is normalised, not learnt: the translator lower-cases every input (its
source tokenizer has ``lower=True``), so "MARCH", "March" and "march" read alike.

Rerunning ``train`` with the same ``--out`` (`rnn_zoo.tasks.run_folder`, the
same lifecycle as ``lm train``): after an interruption (Ctrl-C, a crash, a
kill) it resumes from the last completed epoch in ``DIR/run``; a finished run
is refused unless ``--continue`` (train ``--minutes`` / at most ``--epochs``
more from its final weights, appending to ``DIR/run/history.csv``) or
``--overwrite`` (start over); a folder holding a language model or unrelated
files is refused. The options that shape the data and the model must be the
same to resume or continue (they are recorded in ``DIR/train_settings.json``).
Every file is written atomically, the bundle carries a verified
``manifest.json``, and the exact match printed is that of the bundle as loaded
back from disk. TensorBoard logs go to ``DIR/run/logs`` (``train`` prints the
``tensorboard --logdir`` line).

``train --strategy multiworker`` trains on several machines: run the same
command on each, with ``TF_CONFIG`` naming the cluster and that machine's task
(`rnn_zoo.training.multiworker`). ``--batch-size`` is the global batch; only
the chief writes DIR and prints the exact match.

``translate`` prints one ISO date per input on stdout, in input order (``-``
reads one input per line from stdin). An input it cannot read (empty, longer
than the model's maximum, or with characters never seen in training) gets a
one-line message on stderr and an empty stdout line, and the exit code is 2;
the other inputs are still translated.

Every answer is checked before it is printed (`rnn_zoo.tasks.date_confidence`):
the input must read as a date (numbers plus month/weekday names), its year must
lie in the years the model was trained on (1000-2999 unless ``train_settings``
says otherwise), its numbers must make a real date, the output must be a valid
ISO date holding the input's day, month and year, and the model's own
probability of its answer (`Seq2SeqTranslator.confidence`) must be at least
0.95. An answer failing a check is *unsure*: one line on stderr says why, its
stdout line is empty (``--keep-unsure`` prints the guess anyway), and the exit
code is 1 (2 if an input was also unreadable).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from rnn_zoo._quiet import quiet_import_tensorflow
from rnn_zoo.cli import UsageError, log
from rnn_zoo.cli.options import (
    batch_split_problem,
    non_negative_int,
    positive_float,
    positive_int,
)
from rnn_zoo.tasks.date_training import (
    TRAINING_DATA,
    date_pairs,
    evaluate_translator,
    run_settings,
    subset_pairs,
    train_date_translator,
)
from rnn_zoo.tasks.run_folder import STRATEGIES

__all__ = ["register", "run_train", "run_translate"]

_MAX_MINUTES = 525_600  # a year: more is a typo, and inf seconds break the clock


_YEARS = "{}-{}".format(*TRAINING_DATA["years"])


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``dates`` command group (``train``, ``translate``).

    Args:
        subparsers: The top-level parser's sub-parsers.

    Example:
        >>> parser = argparse.ArgumentParser(prog="rnn_zoo")
        >>> register(parser.add_subparsers(dest="group"))
        >>> args = parser.parse_args(["dates", "train", "--out", "m"])
        >>> args.minutes, args.attention, args.samples, args.units
        (5.0, 'bahdanau', 20000, 64)
        >>> args = parser.parse_args(["dates", "translate", "--model", "m", "3/4/21"])
        >>> args.texts, args.beam
        (['3/4/21'], 1)
    """
    group = subparsers.add_parser(
        "dates",
        help="translate human-written dates to ISO (attention seq2seq)",
        description=__doc__.split("\n\n")[0].split(": ", 1)[1],
    )
    commands = group.add_subparsers(dest="command", metavar="COMMAND", required=True)
    train = commands.add_parser(
        "train",
        help="train the date translator and save it into DIR",
        description="Train the date translator for a wall-clock budget and save "
        "it into DIR. Rerunning the command resumes an interrupted run; a "
        "finished run is refused unless --continue (train --minutes more, "
        "appending to DIR/run/history.csv) or --overwrite (start over); a "
        "folder with other files is refused. "
        f"Training dates: 32 formats, years {_YEARS}; the model is unsure of "
        "(and `translate` flags) years outside that range.",
    )
    train.add_argument("--out", required=True, metavar="DIR", help="bundle folder")
    train.add_argument(
        "--minutes", type=positive_float, default=5.0, help="time budget (5)"
    )
    train.add_argument(
        "--attention",
        choices=("bahdanau", "luong", "none"),
        default="bahdanau",
        help="attention kind, or none for the plain encoder-decoder (bahdanau)",
    )
    train.add_argument(
        "--samples", type=positive_int, default=20000, help="training dates (20000)"
    )
    train.add_argument(
        "--units", type=positive_int, default=64, help="encoder width (64)"
    )
    train.add_argument(
        "--embedding-dim", type=positive_int, default=32, help="embedding (32)"
    )
    train.add_argument(
        "--cell", choices=("gru", "lstm"), default="gru", help="(default: gru)"
    )
    train.add_argument(
        "--epochs", type=positive_int, default=200, help="most epochs (200)"
    )
    train.add_argument(
        "--batch-size", type=positive_int, default=128, help="batch size (128)"
    )
    train.add_argument(
        "--eval-samples",
        type=positive_int,
        default=1000,
        help="held-out dates scored at the end (1000)",
    )
    train.add_argument(
        "--seed",
        type=non_negative_int,
        default=0,
        help="seed of the data, the weights and the shuffling (0)",
    )
    train.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="none",
        help="multiworker: train on the machines named in TF_CONFIG (run the same "
        "command on each; only the chief writes DIR) (default: none)",
    )
    lifecycle = train.add_mutually_exclusive_group()
    lifecycle.add_argument(
        "--continue",
        dest="continue_run",
        action="store_true",
        help="train a finished run in DIR further (--minutes more)",
    )
    lifecycle.add_argument(
        "--overwrite",
        action="store_true",
        help="delete the run and bundle in DIR and start over",
    )
    train.set_defaults(run=run_train)

    translate = commands.add_parser(
        "translate",
        help="translate dates with a trained bundle",
        description="Print one ISO date per input on stdout. Inputs are dates "
        f"in years {_YEARS} (the training range; `train_settings.json` in the "
        "bundle may say otherwise) written with numbers and English month or "
        "weekday names; numeric dates with / are month-first (US), with . "
        "day-first.",
        epilog="Each answer is checked: the input must read as a real date in the "
        "trained years, the output must hold its day, month and year, and the "
        "model's probability of its answer must be >= 0.95. An unsure answer "
        "gets one line on stderr saying why and an empty stdout line (see "
        "--keep-unsure). Exit code: 0 all answers sure, 1 some unsure, 2 some "
        "input unreadable (empty, too long, unseen characters) or a bad --model.",
    )
    translate.add_argument(
        "--model", required=True, metavar="DIR", help="bundle written by train"
    )
    translate.add_argument(
        "--beam", type=positive_int, default=1, help="beam width (1: greedy)"
    )
    translate.add_argument(
        "--keep-unsure",
        action="store_true",
        help="print unsure answers on stdout too (still reported on stderr, exit 1)",
    )
    translate.add_argument(
        "texts", nargs="+", metavar="TEXT", help="dates to translate; - reads stdin"
    )
    translate.set_defaults(run=run_translate)


def _import_tensorflow() -> None:
    """Import TensorFlow (log lines silenced: stderr is for this command) and the
    translator module."""
    quiet_import_tensorflow()
    from rnn_zoo.tasks import translator  # noqa: F401


# -- commands ---------------------------------------------------------------------


def run_train(args: argparse.Namespace) -> int:
    """Run ``dates train``: train, save, print held-out exact match on stdout.

    Args:
        args: The parsed arguments.

    Returns:
        0 on success.

    Raises:
        UsageError: For an ``--out`` that is a file, not writable, or holds
            other settings, a finished run, another bundle or other files
            (`rnn_zoo.tasks.run_folder`); all before TensorFlow is imported.

    Example:
        >>> run_train(args)  # doctest: +SKIP
    """
    from rnn_zoo.tasks.run_folder import (
        DATES_FOLDER,
        RUN_DIR,
        check_writable,
        plan_run,
        training_out,
    )

    if not 0 < args.minutes <= _MAX_MINUTES:
        raise UsageError(
            f"--minutes must be at most {_MAX_MINUTES:,} (a year); got {args.minutes:g}"
        )
    settings = run_settings(
        attention=args.attention,
        samples=args.samples,
        units=args.units,
        embedding_dim=args.embedding_dim,
        cell=args.cell,
        seed=args.seed,
    )
    with training_out(args.out, args.strategy) as (out, strategy):
        plan_run(
            out,
            DATES_FOLDER,
            settings,
            continue_run=args.continue_run,
            overwrite=args.overwrite,
        )
        check_writable(out)
        _import_tensorflow()
        from rnn_zoo.training.multiworker import is_chief, worker_name

        if strategy is not None:
            problem = batch_split_problem(
                args.batch_size, strategy.num_replicas_in_sync
            )
            if problem:
                raise UsageError(problem)
        if is_chief(strategy):
            log(f"TensorBoard: tensorboard --logdir {out / RUN_DIR / 'logs'}")
        else:
            log(
                f"{worker_name(strategy)} of {strategy.num_replicas_in_sync} "
                "replicas: the chief writes --out and prints the result"
            )
        train_date_translator(
            out,
            minutes=args.minutes,
            attention=args.attention,
            samples=args.samples,
            units=args.units,
            embedding_dim=args.embedding_dim,
            cell=args.cell,
            epochs=args.epochs,
            batch_size=args.batch_size,
            seed=args.seed,
            continue_run=args.continue_run,
            strategy=strategy,
        )
        if not is_chief(strategy):
            return 0
    from rnn_zoo.tasks.translator import Seq2SeqTranslator

    # the score printed is that of the bundle a later `translate` loads
    translator = Seq2SeqTranslator.load(args.out)
    train_sources = {s.lower() for s in date_pairs(args.samples, args.seed).sources}
    held_out = date_pairs(args.eval_samples, args.seed + 2)
    keep = [i for i, s in enumerate(held_out.sources) if s.lower() not in train_sources]
    held_out = subset_pairs(held_out, keep)
    scores = evaluate_translator(translator, held_out)
    line = (
        f"held-out exact match: {scores['exact_match']:.2%} on "
        f"{len(scores['pairs']):,} dates never seen in training (greedy decoding)"
    )
    if scores["alignment_accuracy"] is not None:
        line += f"; attention alignment accuracy {scores['alignment_accuracy']:.2%}"
    print(line, flush=True)
    return 0


def _inputs(texts: list[str]) -> list[str]:
    if "-" not in texts:
        return texts
    lines = sys.stdin.read().splitlines()
    out = []
    for text in texts:
        out.extend(lines if text == "-" else [text])
    return out


def run_translate(args: argparse.Namespace) -> int:
    """Run ``dates translate``: one ISO date per input on stdout, checked.

    Args:
        args: The parsed arguments.

    Returns:
        0 when every answer is sure, 1 when some are unsure (see
        `rnn_zoo.tasks.date_confidence`), 2 when some input could not be read.

    Raises:
        UsageError: If ``--model`` is not a translator bundle.

    Example:
        >>> run_translate(args)  # doctest: +SKIP
    """
    texts = _inputs(args.texts)
    if not Path(args.model).is_dir():
        what = "does not exist" if not Path(args.model).exists() else "is not a folder"
        raise UsageError(f"--model {args.model!r} {what}; train one with `dates train`")
    _import_tensorflow()
    from rnn_zoo.tasks.date_confidence import trained_years, unsure_reasons
    from rnn_zoo.tasks.translator import Seq2SeqTranslator

    try:
        translator = Seq2SeqTranslator.load(args.model)
    except (ValueError, OSError) as err:
        reason = str(err).splitlines()[0]
        # keep the problem, drop the `directory` must be ... Received: preamble
        reason = re.sub(r"^`directory` must be .*? Received: [^ ]*\. ", "", reason)
        raise UsageError(
            f"--model {args.model!r} is not a translator bundle: {reason}"
        ) from None
    problems = translator.problems(texts)
    good = [i for i, problem in enumerate(problems) if problem is None]
    sources = [texts[i] for i in good]
    answers = translator.translate(sources, beam_width=args.beam) if good else []
    years, excluded = trained_years(args.model)
    reasons = unsure_reasons(
        sources,
        answers,
        translator.confidence(sources, answers) if good else [],
        years=years,
        exclude_years=excluded,
    )
    outputs = dict(zip(good, zip(answers, reasons, strict=True), strict=True))
    prog = "rnn_zoo dates translate"
    unsure = 0
    for i, problem in enumerate(problems):
        if problem is not None:
            log(f"{prog}: error: input {i + 1}: {_renamed(problem, i)}")
            print()
            continue
        answer, reason = outputs[i]
        if reason is None:
            print(answer)
            continue
        unsure += 1
        print(answer if args.keep_unsure else "")
        shown = "" if args.keep_unsure else ", not printed"
        log(
            f"{prog}: unsure: input {i + 1} ({texts[i]!r}) -> {answer}{shown}: {reason}"
        )
    sys.stdout.flush()
    if len(good) < len(texts):
        return 2
    return 1 if unsure else 0


def _renamed(problem: str, i: int) -> str:
    """Name an input by its position on the command line, not by ``texts[i]``."""
    return problem.replace(f"`texts[{i}]`", "it").replace(f"texts[{i}]=", "")
