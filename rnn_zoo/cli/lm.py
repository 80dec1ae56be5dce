"""``python -m rnn_zoo lm train|generate``: train a character language model, sample it.

Example::

    python -m rnn_zoo lm train --out shakespeare_lm            # 10 minutes
    python -m rnn_zoo lm train --corpus my.txt --epochs 5 --out my_lm --cell lstm
    python -m rnn_zoo lm generate shakespeare_lm --prompt "ROMEO:" --length 300

``lm train`` reads Tiny Shakespeare (or ``--corpus``, any UTF-8 text), splits it
90/10, prints the n-gram baseline's validation bits/char once, trains with a
progress bar, and after each epoch prints ``validation bits/char: X.XXX`` over the
whole validation text. The folder ``--out`` is a bundle (`rnn_zoo.models.lm_bundle`)
holding the best epoch so far; ``--out/run`` holds the resumable backup, so after
Ctrl-C or a crash the same command resumes. ``--minutes`` is a wall-clock budget.
Progress goes to stderr; the final summary line to stdout.

``lm generate`` writes the prompt plus the generated text to stdout and nothing
else (logs go to stderr), so it can be piped.

Both commands set ``TF_CPP_MIN_LOG_LEVEL=3`` and import TensorFlow with stderr
silenced, so stderr holds only rnn_zoo's own lines (and Keras' progress bar).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from rnn_zoo.cli import UsageError, log
from rnn_zoo.cli.options import (
    non_negative_int,
    positive_float,
    positive_int,
    unit_interval,
    with_flags,
)
from rnn_zoo.notebook import quiet_import_tensorflow

__all__ = ["register", "run_train", "run_generate", "read_corpus", "DEFAULTS"]

#: The default model and training settings (see README: "Character LM").
DEFAULTS = {
    "cell": "gru",
    "units": 512,
    "layers": 1,
    "embedding_dim": 64,
    "seq_len": 100,
    "batch_size": 64,
    "learning_rate": 3e-3,
    "minutes": 10.0,
    "order": 6,
    "seed": 0,
}
_RUN_SUBDIR = "run"
_SETTINGS_FILE = "train_settings.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``lm`` command group (``train``, ``generate``).

    Args:
        subparsers: The top-level parser's sub-parsers.

    Example:
        >>> parser = argparse.ArgumentParser(prog="rnn_zoo")
        >>> register(parser.add_subparsers(dest="group"))
        >>> args = parser.parse_args(["lm", "train", "--out", "x"])
        >>> args.cell, args.units, args.minutes, args.epochs
        ('gru', 512, None, None)
    """
    group = subparsers.add_parser(
        "lm",
        help="character language model: train, generate",
        description="Train a character language model and generate text with it.",
    )
    commands = group.add_subparsers(dest="command", metavar="COMMAND", required=True)
    train = commands.add_parser(
        "train",
        help="train a character LM on Shakespeare or your own text",
        description="Train a character LM; the folder --out becomes a bundle "
        "holding the best epoch; rerun the same command to resume.",
    )
    train.add_argument(
        "--corpus", metavar="PATH", help="UTF-8 text file (default: Tiny Shakespeare)"
    )
    budget = train.add_mutually_exclusive_group()
    budget.add_argument(
        "--minutes",
        type=float,
        help=f"wall-clock training budget (default {DEFAULTS['minutes']:g})",
    )
    budget.add_argument("--epochs", type=int, help="train this many epochs instead")
    train.add_argument("--out", required=True, metavar="DIR", help="bundle folder")
    train.add_argument(
        "--cell",
        choices=("lstm", "gru"),
        default=DEFAULTS["cell"],
        help=f"recurrent cell (default: {DEFAULTS['cell']})",
    )
    for name, kind, help_text in (
        ("units", int, "recurrent units per layer"),
        ("layers", int, "recurrent layers"),
        ("embedding-dim", int, "embedding width"),
        ("seq-len", int, "characters per training chunk"),
        ("batch-size", int, "chunks per batch"),
        ("learning-rate", float, "Adam learning rate (clipnorm 1)"),
        ("order", int, "n-gram baseline order"),
        ("seed", int, "seed for weights and shuffling"),
    ):
        default = DEFAULTS[name.replace("-", "_")]
        train.add_argument(
            f"--{name}", type=kind, default=default, help=f"{help_text} ({default:g})"
        )
    train.set_defaults(run=run_train)

    generate = commands.add_parser(
        "generate",
        help="generate text from a trained bundle",
        description="Write the prompt plus generated text to stdout.",
    )
    generate.add_argument("bundle", metavar="DIR", help="folder from `lm train`")
    generate.add_argument(
        "--prompt",
        default="\n",
        help="text to continue; it warms the model's state (default: a newline)",
    )
    generate.add_argument(
        "--length", type=non_negative_int, default=500, help="characters (500)"
    )
    generate.add_argument(
        "--temperature",
        type=positive_float,
        default=0.8,
        help="divides the logits before sampling: below 1 safer and more "
        "repetitive, above 1 more varied and more misspelt (0.8)",
    )
    generate.add_argument(
        "--top-k",
        type=positive_int,
        help="sample among the K likeliest characters (default: all)",
    )
    generate.add_argument(
        "--top-p",
        type=unit_interval,
        help="nucleus sampling: the likeliest characters whose probabilities "
        "reach P, in (0, 1] (default: all)",
    )
    generate.add_argument(
        "--seed",
        type=non_negative_int,
        help="seed of the sampler, >= 0: the same seed gives the same text "
        "(default: a fresh random seed each run)",
    )
    generate.set_defaults(run=run_generate)


def read_corpus(path: str | None) -> tuple[str, str]:
    """Read the training text: ``path`` (UTF-8) or Tiny Shakespeare.

    Args:
        path: A text file, or None for ``load_shakespeare()``.

    Returns:
        ``(text, name)``.

    Raises:
        UsageError: If the file is missing, a folder, empty, binary (NUL bytes)
            or not UTF-8, or Shakespeare cannot be found.

    Example:
        >>> read_corpus("/no/such/file.txt")
        Traceback (most recent call last):
        ...
        rnn_zoo.cli.UsageError: corpus file '/no/such/file.txt' does not exist
    """
    if path is None:
        from rnn_zoo.datasets import load_shakespeare

        try:
            return load_shakespeare(), "tinyshakespeare"
        except (OSError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise UsageError(f"cannot read Tiny Shakespeare: {first}") from None
    file = Path(path)
    if not file.exists():
        raise UsageError(f"corpus file {path!r} does not exist")
    if not file.is_file():
        raise UsageError(f"corpus {path!r} is not a file")
    data = file.read_bytes()
    if not data:
        raise UsageError(f"corpus file {path!r} is empty")
    if b"\x00" in data:
        raise UsageError(
            f"corpus file {path!r} looks binary (it has NUL bytes at offset "
            f"{data.index(0)}); pass a UTF-8 text file"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"corpus file {path!r} is not UTF-8 text (invalid byte at offset "
            f"{exc.start}); convert it, e.g. `iconv -f latin1 -t utf-8`"
        ) from None
    return text, file.name


def _check_settings(args: argparse.Namespace) -> dict[str, Any]:
    """Validate the numeric options; return the settings that define a run."""
    checks = {
        "units": (args.units, 1),
        "layers": (args.layers, 1),
        "embedding_dim": (args.embedding_dim, 1),
        "seq_len": (args.seq_len, 1),
        "batch_size": (args.batch_size, 1),
        "order": (args.order, 1),
        "seed": (args.seed, 0),
    }
    for name, (value, low) in checks.items():
        if value < low:
            option = "--" + name.replace("_", "-")
            raise UsageError(f"{option} must be >= {low}; got {value}")
    if args.order > 9:
        raise UsageError(f"--order must be <= 9; got {args.order}")
    if not (math.isfinite(args.learning_rate) and args.learning_rate > 0):
        raise UsageError(f"--learning-rate must be > 0; got {args.learning_rate}")
    if args.epochs is not None and args.epochs < 1:
        raise UsageError(f"--epochs must be >= 1; got {args.epochs}")
    if args.minutes is not None and not (
        math.isfinite(args.minutes) and args.minutes > 0
    ):
        raise UsageError(f"--minutes must be > 0; got {args.minutes}")
    return {name: getattr(args, name) for name in (*checks, "cell", "learning_rate")}


def _prepare_out(out: str, settings: dict[str, Any]) -> tuple[Path, bool]:
    """Create ``out``; return (folder, resuming). Refuse a mismatched resume."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {out!r} is a file; pass a folder")
    backup = folder / _RUN_SUBDIR / "backup"
    resuming = backup.is_dir() and any(backup.iterdir())
    settings_file = folder / _SETTINGS_FILE
    if resuming and settings_file.is_file():
        before = json.loads(settings_file.read_text(encoding="utf-8"))
        changed = sorted(k for k in settings if before.get(k) != settings[k])
        if changed:
            raise UsageError(
                f"{out!r} holds an unfinished run with other settings "
                f"({', '.join(changed)}); rerun with the same options to resume, "
                f"or delete {str(folder / _RUN_SUBDIR)!r} to start over"
            )
    folder.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return folder, resuming


def run_train(args: argparse.Namespace) -> int:
    """``lm train``: see the module docstring. Returns the exit code."""
    settings = _check_settings(args)
    text, corpus_name = read_corpus(args.corpus)
    settings["corpus_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    from rnn_zoo.preprocessing.char_data import prepare_char_corpus

    try:
        corpus = prepare_char_corpus(text)
    except ValueError:
        raise UsageError(
            f"corpus {corpus_name!r} is too short ({len(text)} characters) to split "
            "into training and validation parts"
        ) from None
    needed = args.batch_size * args.seq_len + 1
    if len(corpus.train_ids) < needed:
        raise UsageError(
            f"corpus {corpus_name!r} is too short: its training part (90%) has "
            f"{len(corpus.train_ids)} characters, one training batch needs "
            f"--batch-size x --seq-len + 1 = {needed}; use a longer text or lower "
            "--seq-len/--batch-size"
        )
    folder, resuming = _prepare_out(args.out, settings)
    return _train(args, settings, corpus, corpus_name, folder, resuming)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _train(args, settings, corpus, corpus_name, folder: Path, resuming: bool) -> int:
    import contextlib

    quiet_import_tensorflow()
    import keras

    from rnn_zoo.callbacks import BudgetProgbar, TimeBudget
    from rnn_zoo.evaluation.language import bits_per_char, language_baselines
    from rnn_zoo.models.language_model import build_char_lm
    from rnn_zoo.models.lm_bundle import CONFIG_FILE, save_lm_bundle
    from rnn_zoo.preprocessing.char_data import char_dataset
    from rnn_zoo.training import fit, set_seed

    vocab = corpus.tokenizer.vocab_size
    log(
        f"corpus {corpus_name}: {len(corpus.train_ids):,} training / "
        f"{len(corpus.validation_ids):,} validation characters, vocabulary {vocab}, "
        f"{corpus.unknown_validation} validation characters unseen in training"
    )
    baselines = language_baselines(
        corpus.train_ids, corpus.validation_ids, vocab_size=vocab, order=args.order
    )
    log(
        "baselines, validation bits/char: "
        + ", ".join(f"{name} {value:.3f}" for name, value in baselines.items())
    )
    set_seed(args.seed)
    model = build_char_lm(
        vocab,
        embedding_dim=args.embedding_dim,
        units=args.units,
        num_layers=args.layers,
        cell=args.cell,
    )
    train = char_dataset(
        corpus.train_ids,
        sequence_length=args.seq_len,
        batch_size=args.batch_size,
        seed=args.seed,
    )
    best = math.inf
    if resuming and (folder / CONFIG_FILE).is_file():
        saved = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
        best = float(saved.get("config", {}).get("validation_bits_per_char", best))
        log(f"resuming the unfinished run in {str(folder)!r}")
    minutes = args.minutes
    if minutes is None and args.epochs is None:
        minutes = DEFAULTS["minutes"]
    ngram = f"{args.order}-gram"
    config = {
        **settings,
        "corpus": corpus_name,
        "vocab_size": vocab,
        "parameters": int(model.count_params()),
        "baselines_bits_per_char": baselines,
    }

    class EpochReport(keras.callbacks.Callback):
        """Whole-text validation bits/char each epoch; keep the best bundle."""

        def __init__(self, best: float):
            super().__init__()
            self.best = best
            self.start = time.perf_counter()
            self.pending = ""

        def flush(self) -> None:
            # printed once the progress bar has finished its line
            if self.pending:
                log(self.pending)
                self.pending = ""

        def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
            self.flush()

        def on_train_end(self, logs: dict | None = None) -> None:
            self.flush()

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            score = bits_per_char(self.model, corpus.validation_ids)
            mark = ""
            if score < self.best:
                self.best, mark = score, " (best, saved)"
                save_lm_bundle(
                    folder,
                    self.model,
                    corpus.tokenizer,
                    {**config, "epoch": epoch + 1, "validation_bits_per_char": score},
                )
            minutes_used = (time.perf_counter() - self.start) / 60
            self.pending = (
                f"epoch {epoch + 1}: validation bits/char: {score:.3f}{mark} "
                f"[{ngram} {baselines[ngram]:.3f}; {minutes_used:.1f} min]"
            )

    report = EpochReport(best)
    callbacks: list[Any] = [report]
    if minutes is not None:  # "Epoch 3 (4.2 of 10.0 min)", not "Epoch 3/10000"
        callbacks[:0] = [TimeBudget(seconds=minutes * 60), BudgetProgbar(minutes * 60)]
    with contextlib.redirect_stdout(sys.stderr):  # Keras' progress bar
        fit(
            model,
            train,
            epochs=args.epochs or 10_000,
            learning_rate=args.learning_rate,
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            clipnorm=1.0,
            early_stopping=None,
            run_dir=folder / _RUN_SUBDIR,
            callbacks=callbacks,
            verbose=1,
        )
    print(
        f"bundle {str(folder)!r}: validation bits/char {report.best:.3f} "
        f"({ngram} baseline {baselines[ngram]:.3f}, unigram "
        f"{baselines['unigram']:.3f}, uniform {baselines['uniform']:.3f})"
    )
    return 0


# generate_text's arguments that are flags of `lm generate` (for its messages)
_GENERATE_FLAGS = ("prompt", "length", "temperature", "top_k", "top_p", "seed")


def _check_generation_options(args: argparse.Namespace) -> None:
    """What the parser's types cannot check, before the slow TensorFlow import."""
    if not args.prompt:
        raise UsageError("--prompt must be a non-empty string (it warms the state)")


def run_generate(args: argparse.Namespace) -> int:
    """``lm generate``: see the module docstring. Returns the exit code."""
    _check_generation_options(args)
    folder = Path(args.bundle)
    if not folder.is_dir():
        problem = "does not exist" if not folder.exists() else "is not a folder"
        raise UsageError(f"bundle {args.bundle!r} {problem}")
    quiet_import_tensorflow()
    from rnn_zoo.models.generation import generate_text
    from rnn_zoo.models.lm_bundle import load_lm_bundle

    try:
        bundle = load_lm_bundle(folder)
    except ValueError as exc:
        raise UsageError(
            f"{args.bundle!r} is not a language-model bundle: {_one_line(exc)}"
        ) from None
    try:
        text = generate_text(
            bundle.model,
            bundle.tokenizer,
            args.prompt,
            args.length,
            temperature=args.temperature,
            top_k=args.top_k,
            top_p=args.top_p,
            seed=args.seed,
        )
    except (TypeError, ValueError) as exc:  # e.g. --top-k above the vocabulary
        raise UsageError(with_flags(exc, _GENERATE_FLAGS)) from None
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
    return 0
