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

Rerunning ``train`` with the same ``--out`` resumes: after an interruption
(Ctrl-C, a crash) from the last completed epoch's backup in ``DIR/run/backup``;
after a finished run from the saved translator, training it for ``--minutes``
more. The options that shape the data and the model must then be the same (they
are recorded in ``DIR/train_settings.json``).

``translate`` prints one ISO date per input on stdout, in input order (``-``
reads one input per line from stdin). An input it cannot read (empty, longer
than the model's maximum, or with characters never seen in training) gets a
one-line message on stderr and an empty stdout line, and the exit code is 2;
the other inputs are still translated.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rnn_zoo.cli import UsageError

__all__ = [
    "MAX_SOURCE_LENGTH",
    "TRAINING_DATA",
    "register",
    "date_pairs",
    "train_date_translator",
    "evaluate_translator",
    "subset_pairs",
]

#: How the training dates are drawn (``make_date_pairs`` arguments).
TRAINING_DATA: dict[str, Any] = {
    "years": (1000, 2999),
    "case": "random",
    "weekday_prefix": 0.25,
}
#: Longest input the translator accepts. The recipe's longest source has 38
#: characters ("Wednesday, the 13th of September, 2000"); two more leave room.
MAX_SOURCE_LENGTH = 40
SETTINGS_FILE = "train_settings.json"
RUN_DIR = "run"
# options that must match when a run is resumed or continued
_SHAPING = ("attention", "samples", "units", "embedding_dim", "cell", "seed")


def _positive(kind: type) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(
                f"must be a positive {'integer' if kind is int else 'number'}, "
                f"got {text!r}"
            )
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


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
        "it into DIR; rerun with the same DIR to resume or to train longer.",
    )
    train.add_argument("--out", required=True, metavar="DIR", help="bundle folder")
    train.add_argument(
        "--minutes", type=_positive(float), default=5.0, help="time budget (5)"
    )
    train.add_argument(
        "--attention",
        choices=("bahdanau", "luong", "none"),
        default="bahdanau",
        help="attention kind, or none for the plain encoder-decoder (bahdanau)",
    )
    train.add_argument(
        "--samples", type=_positive(int), default=20000, help="training dates (20000)"
    )
    train.add_argument(
        "--units", type=_positive(int), default=64, help="encoder width (64)"
    )
    train.add_argument(
        "--embedding-dim", type=_positive(int), default=32, help="embedding (32)"
    )
    train.add_argument("--cell", choices=("gru", "lstm"), default="gru")
    train.add_argument(
        "--epochs", type=_positive(int), default=200, help="most epochs (200)"
    )
    train.add_argument(
        "--batch-size", type=_positive(int), default=128, help="batch size (128)"
    )
    train.add_argument(
        "--eval-samples",
        type=_positive(int),
        default=1000,
        help="held-out dates scored at the end (1000)",
    )
    train.add_argument("--seed", type=int, default=0, help="data and weights (0)")
    train.set_defaults(run=run_train)

    translate = commands.add_parser(
        "translate",
        help="translate dates with a trained bundle",
        description="Print one ISO date per input on stdout.",
    )
    translate.add_argument(
        "--model", required=True, metavar="DIR", help="bundle written by train"
    )
    translate.add_argument(
        "--beam", type=_positive(int), default=1, help="beam width (1: greedy)"
    )
    translate.add_argument(
        "texts", nargs="+", metavar="TEXT", help="dates to translate; - reads stdin"
    )
    translate.set_defaults(run=run_translate)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _import_tensorflow() -> None:
    """Import TensorFlow and Keras with their import-time log lines silenced."""
    from rnn_zoo.notebook import silenced_stderr

    # stderr is for this command's messages: TensorFlow's C++ log lines (e.g.
    # oneDNN notes at level E while decoding) are switched off, even at level 2.
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    with silenced_stderr():
        import keras  # noqa: F401
        import tensorflow as tf

        from rnn_zoo.models import translator  # noqa: F401

        # the first device probe logs "failed call to cuInit" on a CPU machine
        tf.config.list_physical_devices()


# -- the recipe (also used by benchmarks/seq2seq.py) ---------------------------------


def date_pairs(n: int, seed: int, **overrides: Any):
    """Draw ``n`` dates the way the default translator is trained on them.

    Args:
        n: Number of pairs.
        seed: Seed for ``make_date_pairs``.
        **overrides: Replace entries of ``TRAINING_DATA`` or add others
            (``exclude_years=(1850, 1899)``, ``years=(1850, 1899)``, ...).

    Returns:
        A ``DatePairs``.

    Example:
        >>> pairs = date_pairs(200, seed=0)
        >>> min(d.year for d in pairs.dates) < 1200 < 2800 < max(
        ...     d.year for d in pairs.dates)
        True
    """
    from rnn_zoo.datasets import make_date_pairs

    return make_date_pairs(n, seed=seed, **{**TRAINING_DATA, **overrides})


def _progress_bar(seconds: float, width: int = 30) -> Any:
    """A Keras callback drawing one bar over the time budget on stderr.

    On a terminal the bar redraws in place (``\r``) twice a second; otherwise
    (a log file, a test) it prints one line per epoch.
    """
    import keras

    tty = sys.stderr.isatty()

    class ProgressBar(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start, self.last, self.epoch = time.perf_counter(), 0.0, 0

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            now = time.perf_counter()
            if tty and now - self.last > 0.5:
                self.last = now
                self.draw(logs, end="\r")

        def on_epoch_end(self, epoch, logs=None):
            self.draw(logs, end="\r" if tty else "\n")

        def on_train_end(self, logs=None):
            if tty:
                print(file=sys.stderr, flush=True)

        def draw(self, logs, end):
            elapsed = time.perf_counter() - self.start
            filled = int(round(min(1.0, elapsed / seconds) * width))
            numbers = "  ".join(
                f"{key} {value:.4f}"
                for key, value in (logs or {}).items()
                if key in ("loss", "val_loss", "val_accuracy")
            )
            print(
                f"[{'#' * filled}{'.' * (width - filled)}] "
                f"{elapsed / 60:4.1f}/{seconds / 60:.1f} min  epoch {self.epoch + 1}"
                f"  {numbers}",
                end=end,
                file=sys.stderr,
                flush=True,
            )

    return ProgressBar()


def _bucketed_batches(x: list, y: Any, batch_size: int, seed: int | None) -> Any:
    """A ``keras.utils.PyDataset`` of batches of similar source lengths.

    Sources come padded to ``MAX_SOURCE_LENGTH`` (40) but average about 18
    characters; cutting each batch to its longest source roughly halves the
    encoder's work. Each epoch (``seed`` given) shuffles the pairs, sorts them by
    length within windows of 20 batches, cuts batches and shuffles their order;
    without ``seed`` the order is fixed (validation).
    """
    import keras
    import numpy as np

    source, target_in = x
    lengths = (source != 0).sum(axis=1)
    rng = np.random.default_rng(seed)

    class Batches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.order = self._order()

        def _order(self):
            index = np.arange(len(y)) if seed is None else rng.permutation(len(y))
            window = batch_size * 20
            for start in range(0, len(index), window):
                chunk = index[start : start + window]
                index[start : start + window] = chunk[np.argsort(lengths[chunk])]
            batches = [
                index[i : i + batch_size] for i in range(0, len(index), batch_size)
            ]
            if seed is not None:
                batches = [batches[i] for i in rng.permutation(len(batches))]
            return batches

        def __len__(self):
            return len(self.order)

        def __getitem__(self, i):
            rows = self.order[i]
            width = int(lengths[rows].max())
            return (source[rows, :width], target_in[rows]), y[rows]

        def on_epoch_end(self):
            if seed is not None:
                self.order = self._order()

    return Batches()


def train_date_translator(
    out: str | os.PathLike,
    *,
    minutes: float = 5.0,
    attention: str | None = "bahdanau",
    samples: int = 20000,
    units: int = 64,
    embedding_dim: int = 32,
    cell: str = "gru",
    epochs: int = 200,
    batch_size: int = 128,
    seed: int = 0,
    exclude_years: tuple[int, int] | None = None,
    log: Callable[[str], None] = _log,
):
    """Train (or resume, or continue) a date translator and save it into ``out``.

    Training pairs are ``date_pairs(samples, seed, exclude_years=...)``;
    validation pairs (for early stopping, patience 5) use ``seed + 1``. The
    translator lower-cases its input and accepts up to ``MAX_SOURCE_LENGTH``
    characters. The model trains with ``rnn_zoo.fit`` (Adam 3e-3, clipnorm 1,
    ``run_dir=out/run``) on batches of similar source lengths, each cut to its
    longest source, until ``epochs`` or the ``minutes`` budget (``TimeBudget``)
    runs out; then the bundle is saved into ``out``. See the module docstring
    for resuming.

    Args:
        out: Bundle folder (created if missing).
        minutes: Wall-clock budget of this call, in minutes.
        attention: ``"bahdanau"``, ``"luong"`` or None / ``"none"``.
        samples: Number of training pairs.
        units, embedding_dim, cell: ``build_seq2seq`` arguments.
        epochs: Most epochs.
        batch_size: Batch size.
        seed: Seed of the data, the weights and the shuffling.
        exclude_years: A ``(first, last)`` block of years kept out of training.
        log: Where progress lines go. Defaults to stderr.

    Returns:
        ``(translator, history)``: the trained ``Seq2SeqTranslator`` and the
        Keras ``History`` of this call.

    Raises:
        UsageError: If ``out`` is a file, or holds a run with other settings.

    Example:
        >>> train_date_translator("m", minutes=0.1, samples=64)  # doctest: +SKIP
    """
    import keras

    from rnn_zoo.callbacks import TimeBudget
    from rnn_zoo.models.translator import CONFIG_FILE, Seq2SeqTranslator
    from rnn_zoo.training import fit, set_seed

    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {str(folder)!r} is a file; pass a folder")
    attention = None if attention in (None, "none") else attention
    settings = {
        "attention": attention or "none",
        "samples": samples,
        "units": units,
        "embedding_dim": embedding_dim,
        "cell": cell,
        "seed": seed,
        "exclude_years": list(exclude_years) if exclude_years else None,
        "data": {
            k: list(v) if isinstance(v, tuple) else v for k, v in TRAINING_DATA.items()
        },
    }
    _check_settings(folder, settings)
    run_dir = folder / RUN_DIR
    backup = run_dir / "backup"
    resuming = backup.is_dir() and any(backup.iterdir())
    continuing = not resuming and (folder / CONFIG_FILE).is_file()

    set_seed(seed)
    train = date_pairs(samples, seed, exclude_years=exclude_years)
    valid = date_pairs(
        max(100, min(1000, samples // 10)), seed + 1, exclude_years=exclude_years
    )
    if continuing:
        try:
            translator = Seq2SeqTranslator.load(folder)
        except ValueError as err:
            raise UsageError(
                f"--out {str(folder)!r} holds a broken translator bundle ("
                f"{str(err).splitlines()[0]}); delete it or pass a new --out"
            ) from None
        log(f"continuing the translator saved in {str(folder)!r}")
    else:
        translator = Seq2SeqTranslator.create(
            train.sources,
            train.targets,
            attention=attention,
            units=units,
            embedding_dim=embedding_dim,
            cell=cell,
            max_source_length=MAX_SOURCE_LENGTH,
        )
        if resuming:
            log(f"resuming the interrupted run in {str(run_dir)!r}")
    x, y = translator.teacher_forcing(train.sources, train.targets)
    x_val, y_val = translator.teacher_forcing(valid.sources, valid.targets)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SETTINGS_FILE).write_text(json.dumps(settings, indent=1) + "\n")
    log(
        f"training a {attention or 'no'}-attention {cell.upper()} translator "
        f"({translator.model.count_params():,} weights) on {samples:,} dates "
        f"for at most {minutes:g} min"
    )
    compiled = continuing and translator.model.compiled
    history = fit(
        translator.model,
        _bucketed_batches(x, y, batch_size, seed),
        validation=_bucketed_batches(x_val, y_val, 256, None),
        epochs=epochs,
        learning_rate=3e-3,
        loss=None
        if compiled
        else keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=None if compiled else ["accuracy"],
        run_dir=run_dir,
        callbacks=[TimeBudget(minutes * 60), _progress_bar(minutes * 60)],
        verbose=0,
    )
    translator.save(folder)
    log(f"saved the translator into {str(folder)!r}")
    return translator, history


def _check_settings(folder: Path, settings: dict) -> None:
    path = folder / SETTINGS_FILE
    if not path.is_file():
        return
    try:
        saved = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UsageError(
            f"{str(path)!r} is not valid JSON; delete it to start over"
        ) from None
    changed = [
        f"--{key.replace('_', '-')} {saved.get(key)} (now {settings[key]})"
        for key in (*_SHAPING, "exclude_years", "data")
        if saved.get(key) != settings[key]
    ]
    if changed:
        raise UsageError(
            f"{str(folder)!r} holds a run trained with other settings: "
            + ", ".join(changed)
            + "; pass the same options, or a new --out to start over"
        )


def evaluate_translator(translator, pairs, *, beam_width: int = 1) -> dict[str, Any]:
    """Score a translator on date pairs: exact match, token and alignment accuracy.

    Pairs the translator cannot read (a source longer than its maximum, or with
    a character never seen in training: rare in held-out data) are left out and
    counted.

    Args:
        translator: A ``Seq2SeqTranslator``.
        pairs: A ``DatePairs`` (sources, targets, alignments).
        beam_width: 1 for greedy decoding, more for beam search.

    Returns:
        A dict with ``exact_match``, ``token_accuracy``, ``alignment_accuracy``
        (None without attention), ``predictions`` and ``pairs`` (the pairs
        scored), ``dropped`` (how many were left out) and ``seconds`` (decoding
        time).

    Example:
        >>> evaluate_translator(translator, pairs)  # doctest: +SKIP
    """
    from rnn_zoo.evaluation import (
        attention_alignment_accuracy,
        exact_match,
        token_accuracy,
    )

    readable = [i for i, p in enumerate(translator.problems(pairs.sources)) if not p]
    dropped = len(pairs) - len(readable)
    pairs = subset_pairs(pairs, readable)
    start = time.perf_counter()
    results = translator.decode(pairs.sources, beam_width=beam_width)
    seconds = time.perf_counter() - start
    predictions = [r.text for r in results]
    alignment = None
    if results and results[0].attention is not None:
        alignment = attention_alignment_accuracy(
            [r.attention for r in results], pairs.alignments
        )
    return {
        "exact_match": exact_match(predictions, pairs.targets),
        "token_accuracy": token_accuracy(predictions, pairs.targets),
        "alignment_accuracy": alignment,
        "predictions": predictions,
        "pairs": pairs,
        "dropped": dropped,
        "seconds": seconds,
    }


# -- commands ---------------------------------------------------------------------


def run_train(args: argparse.Namespace) -> int:
    """Run ``dates train``: train, save, print held-out exact match on stdout.

    Args:
        args: The parsed arguments.

    Returns:
        0 on success.

    Raises:
        UsageError: For an ``--out`` that is a file or holds other settings.

    Example:
        >>> run_train(args)  # doctest: +SKIP
    """
    _import_tensorflow()
    translator, _ = train_date_translator(
        args.out,
        minutes=args.minutes,
        attention=args.attention,
        samples=args.samples,
        units=args.units,
        embedding_dim=args.embedding_dim,
        cell=args.cell,
        epochs=args.epochs,
        batch_size=args.batch_size,
        seed=args.seed,
    )
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


def subset_pairs(pairs, keep: Sequence[int]):
    """The pairs at the indices ``keep``, as a new ``DatePairs``.

    Example:
        >>> from rnn_zoo.datasets import make_date_pairs
        >>> pairs = make_date_pairs(3, seed=0)
        >>> subset_pairs(pairs, [2]).sources == pairs.sources[2:]
        True
    """
    from rnn_zoo.datasets import DatePairs

    return DatePairs(
        *[
            [values[i] for i in keep]
            for values in (
                pairs.sources,
                pairs.targets,
                pairs.alignments,
                pairs.formats,
                pairs.dates,
            )
        ]
    )


def _inputs(texts: list[str]) -> list[str]:
    if "-" not in texts:
        return texts
    lines = sys.stdin.read().splitlines()
    out = []
    for text in texts:
        out.extend(lines if text == "-" else [text])
    return out


def run_translate(args: argparse.Namespace) -> int:
    """Run ``dates translate``: one ISO date per input on stdout.

    Args:
        args: The parsed arguments.

    Returns:
        0 when every input was translated, 2 when some could not be read.

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
    from rnn_zoo.models.translator import Seq2SeqTranslator

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
    outputs = (
        dict(
            zip(
                good,
                translator.translate([texts[i] for i in good], beam_width=args.beam),
                strict=True,
            )
        )
        if good
        else {}
    )
    prog = "rnn_zoo dates translate"
    for i, problem in enumerate(problems):
        if problem is not None:
            _log(f"{prog}: error: input {i + 1}: {_renamed(problem, i)}")
            print()
            continue
        print(outputs[i])
        if not _is_iso_date(outputs[i]):
            _log(
                f"{prog}: warning: input {i + 1} ({texts[i]!r}): the output "
                f"{outputs[i]!r} is not a valid date"
            )
    sys.stdout.flush()
    return 2 if len(good) < len(texts) else 0


def _renamed(problem: str, i: int) -> str:
    """Name an input by its position on the command line, not by ``texts[i]``."""
    return problem.replace(f"`texts[{i}]`", "it").replace(f"texts[{i}]=", "")


def _is_iso_date(text: str) -> bool:
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
