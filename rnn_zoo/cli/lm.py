"""``python -m rnn_zoo lm train|generate``: train a character language model, sample it.

Example::

    python -m rnn_zoo lm train --out shakespeare_lm            # 10 minutes
    python -m rnn_zoo lm train --corpus my.txt --epochs 5 --out my_lm --cell lstm
    python -m rnn_zoo lm generate shakespeare_lm --prompt "ROMEO:" --length 300

``lm train`` reads Tiny Shakespeare (or ``--corpus``, any UTF-8 text), splits it
90/10, prints the n-gram baseline's validation bits/char once, trains with a
progress bar, and after each epoch prints ``validation bits/char: X.XXX`` over the
whole validation text. The folder ``--out`` is a bundle (`rnn_zoo.tasks.lm_bundle`)
holding the best epoch so far; ``--out/run`` holds the run (`rnn_zoo.fit`'s run
folder, with TensorBoard logs in ``--out/run/logs``: the command prints the
``tensorboard --logdir`` line to open them). ``--minutes`` is a wall-clock
budget. Progress goes to stderr; the final summary line, with the score of the
bundle as loaded back from disk, to stdout.

``--backend jax`` trains with Keras on JAX (faster on a CPU, README: "Keras on
another backend"; JAX must be installed): the same model, loop and bundle, which
``lm generate`` loads on TensorFlow. ``KERAS_BACKEND`` does not choose: ``lm
train`` sets it from ``--backend`` (default ``tensorflow``) before Keras loads.

``--strategy multiworker`` trains on several machines: run the same command on
each, with ``TF_CONFIG`` naming the cluster and that machine's task
(`rnn_zoo.training.multiworker`). ``--batch-size`` is the global batch (split
across the workers); only the chief writes ``--out`` and prints the summary.

Rerunning ``lm train`` into the same ``--out`` (`rnn_zoo.tasks.run_folder`):
after an interruption (Ctrl-C, a crash, a kill) it resumes from the last
completed epoch; a finished run is refused unless ``--continue`` (train
``--epochs``/``--minutes`` more from its final weights, appending to
``run/history.csv``) or ``--overwrite`` (start over); a folder holding a date
translator or unrelated files is refused. Every file is written atomically and
the bundle carries a verified ``manifest.json``.

``lm generate`` writes the prompt plus the generated text to stdout and nothing
else (logs go to stderr), so it can be piped; ``--streams N`` samples N
independent continuations together and prints each under a
``----- stream i -----`` line.

Both commands set ``TF_CPP_MIN_LOG_LEVEL=3`` and import TensorFlow with stderr
silenced, so stderr holds only rnn_zoo's own lines (and Keras' progress bar).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import math
import os
import sys
from pathlib import Path
from typing import Any

from rnn_zoo._quiet import quiet_import_tensorflow
from rnn_zoo.cli import UsageError, log
from rnn_zoo.cli.options import (
    batch_split_problem,
    non_negative_int,
    positive_float,
    positive_int,
    unit_interval,
    with_flags,
)
from rnn_zoo.tasks.run_folder import STRATEGIES

__all__ = [
    "register",
    "run_train",
    "run_generate",
    "read_corpus",
    "select_backend",
    "DEFAULTS",
    "BACKENDS",
]

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
#: The Keras backends ``lm train --backend`` accepts.
BACKENDS = ("tensorflow", "jax")
_MAX_MINUTES = 525_600  # a year: more is a typo, and inf seconds break the clock


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
        "holding the best epoch. Rerunning the command resumes an interrupted "
        "run; a finished run is refused unless --continue (train --epochs or "
        "--minutes more, appending to DIR/run/history.csv) or --overwrite "
        "(start over); a folder with other files is refused.",
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
    lifecycle = train.add_mutually_exclusive_group()
    lifecycle.add_argument(
        "--continue",
        dest="continue_run",
        action="store_true",
        help="train a finished run in --out further (--epochs/--minutes more)",
    )
    lifecycle.add_argument(
        "--overwrite",
        action="store_true",
        help="delete the run and bundle in --out and start over",
    )
    train.add_argument(
        "--cell",
        choices=("lstm", "gru"),
        default=DEFAULTS["cell"],
        help=f"recurrent cell (default: {DEFAULTS['cell']})",
    )
    train.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="none",
        help="multiworker: train on the machines named in TF_CONFIG (run the same "
        "command on each; only the chief writes --out) (default: none)",
    )
    train.add_argument(
        "--backend",
        choices=BACKENDS,
        default="tensorflow",
        help="the Keras backend that trains: jax trains 1.15-1.3x faster on a CPU "
        "(README, benchmarks/threads.py) and writes the same .keras bundle; it "
        "needs JAX installed (pip install -e '.[jax]') and one machine "
        "(default: tensorflow)",
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
    generate.add_argument(
        "--streams",
        type=positive_int,
        default=1,
        help="independent continuations of the prompt, sampled together; each "
        "is printed under a '----- stream i -----' line when N > 1 (1)",
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
    if args.minutes is not None and not (0 < args.minutes <= _MAX_MINUTES):
        raise UsageError(
            f"--minutes must be a finite number > 0 and at most {_MAX_MINUTES:,} "
            f"(a year); got {args.minutes:g}"
        )
    return {name: getattr(args, name) for name in (*checks, "cell", "learning_rate")}


def select_backend(backend: str, strategy: str = "none") -> None:
    """Make ``backend`` the Keras backend of this process, before Keras loads.

    Keras picks its backend once per process, when it is first imported (from
    ``KERAS_BACKEND``), so this sets ``KERAS_BACKEND`` and refuses a process
    whose Keras already runs on another backend.

    Args:
        backend: One of `BACKENDS`.
        strategy: The ``--strategy`` option: ``"multiworker"`` needs TensorFlow.
            Defaults to ``"none"``.

    Raises:
        UsageError: If ``backend`` is unknown, not installed, combined with a
            multi-worker strategy, or not the backend of an already imported
            Keras.

    Example:
        >>> select_backend("tensorflow")
        >>> os.environ["KERAS_BACKEND"]
        'tensorflow'
        >>> select_backend("jax", strategy="multiworker")
        Traceback (most recent call last):
        ...
        rnn_zoo.cli.UsageError: --backend jax trains on one machine; ...
    """
    if backend not in BACKENDS:
        raise UsageError(
            f"--backend must be one of {', '.join(BACKENDS)}; got {backend!r}"
        )
    if backend == "jax":
        if strategy != "none":
            raise UsageError(
                "--backend jax trains on one machine; --strategy multiworker needs "
                "--backend tensorflow"
            )
        if importlib.util.find_spec("jax") is None:
            raise UsageError(
                "--backend jax needs JAX, which is not installed: pip install -e "
                "'.[jax]' (jax and jaxlib 0.10.2), or use --backend tensorflow"
            )
    keras = sys.modules.get("keras")
    if keras is not None and keras.backend.backend() != backend:
        raise UsageError(
            f"--backend {backend}: Keras already runs on {keras.backend.backend()} "
            "in this process (the backend is chosen once, at import); run the "
            "command in a new process"
        )
    os.environ["KERAS_BACKEND"] = backend


def run_train(args: argparse.Namespace) -> int:
    """``lm train``: see the module docstring. Returns the exit code."""
    from rnn_zoo.tasks.run_folder import (
        LM_FOLDER,
        check_writable,
        plan_run,
        training_out,
        write_settings,
    )

    settings = _check_settings(args)
    select_backend(args.backend, args.strategy)
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
    with training_out(args.out, args.strategy) as (out, strategy):
        plan = plan_run(
            out,
            LM_FOLDER,
            settings,
            continue_run=args.continue_run,
            overwrite=args.overwrite,
        )
        if plan.status == "resave":
            raise UsageError(
                f"--out {args.out!r} holds a finished run whose bundle is "
                "incomplete or does not match its manifest.json; pass --overwrite "
                "to start over"
            )
        write_settings(check_writable(out), settings)
        return _train(args, settings, corpus, corpus_name, plan, strategy)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _train(args, settings, corpus, corpus_name, plan, strategy=None) -> int:
    quiet_import_tensorflow()
    from rnn_zoo.evaluation.language import language_baselines
    from rnn_zoo.tasks.lm_training import train_lm
    from rnn_zoo.training.multiworker import is_chief, worker_name

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
    if plan.status != "new":
        what = {
            "resume": "resuming the interrupted",
            "continue": "continuing the finished",
        }
        log(
            f"{what[plan.status]} run in {str(plan.folder)!r} after "
            f"{plan.epochs_done} epochs"
        )
    minutes = args.minutes
    if minutes is None and args.epochs is None:
        minutes = DEFAULTS["minutes"]
    config = {
        **settings,
        "backend": args.backend,  # not a setting: a run may resume on the other
        "corpus": corpus_name,
        "vocab_size": vocab,
        "baselines_bits_per_char": baselines,
    }
    chief = is_chief(strategy)
    if strategy is not None:
        problem = batch_split_problem(args.batch_size, strategy.num_replicas_in_sync)
        if problem:
            raise UsageError(problem)
    if chief:
        log(f"TensorBoard: tensorboard --logdir {plan.run_dir / 'logs'}")
    else:
        log(
            f"{worker_name(strategy)} of {strategy.num_replicas_in_sync} replicas: "
            "the chief writes --out and prints the result"
        )
    score = train_lm(args, config, corpus, plan, minutes=minutes, strategy=strategy)
    if not chief:
        return 0
    ngram = f"{args.order}-gram"
    print(
        f"bundle {str(plan.folder)!r}: validation bits/char {score:.3f} "
        f"({ngram} baseline {baselines[ngram]:.3f}, unigram "
        f"{baselines['unigram']:.3f}, uniform {baselines['uniform']:.3f})"
    )
    return 0


# generate_text's arguments that are flags of `lm generate` (for its messages)
_GENERATE_FLAGS = {
    **{
        name: "--" + name.replace("_", "-")
        for name in ("prompt", "length", "temperature", "top_k", "top_p", "seed")
    },
    "num_streams": "--streams",
}


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
    from rnn_zoo.inference.generation import generate_text
    from rnn_zoo.tasks.lm_bundle import load_lm_bundle

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
            num_streams=args.streams if args.streams > 1 else None,
        )
    except (TypeError, ValueError) as exc:  # e.g. --top-k above the vocabulary
        raise UsageError(with_flags(exc, _GENERATE_FLAGS)) from None
    if isinstance(text, str):
        sys.stdout.write(text + "\n")
    else:  # --streams N: each continuation under its own header
        for i, stream in enumerate(text):
            sys.stdout.write(f"----- stream {i} -----\n{stream}\n")
    sys.stdout.flush()
    return 0
