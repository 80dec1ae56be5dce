"""The date translator's training recipe, shared by ``dates train`` and the benchmark.

- ``TRAINING_DATA``: how the training dates are drawn (``make_date_pairs``
  arguments: years 1000-2999, any letter case, a weekday in front of a quarter).
- `date_pairs`, `subset_pairs`: draw dates by that recipe; keep some of them.
- `train_date_translator`: train (or resume, or continue) a ``Seq2SeqTranslator``
  for a wall-clock budget with one progress bar, and save its bundle. The
  ``--out`` folder follows `rnn_zoo.tasks.run_folder`'s lifecycle.
- `evaluate_translator`: exact match, token accuracy and attention alignment
  accuracy on date pairs.

TensorFlow is imported inside the functions that need it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from rnn_zoo.tasks.progress import log as stderr_log

__all__ = [
    "MAX_SOURCE_LENGTH",
    "TRAINING_DATA",
    "date_pairs",
    "subset_pairs",
    "train_date_translator",
    "run_settings",
    "evaluate_translator",
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


def run_settings(
    *,
    attention: str | None,
    samples: int,
    units: int,
    embedding_dim: int,
    cell: str,
    seed: int,
    exclude_years: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """The options that must match to resume or continue a run (``train_settings``).

    Args:
        attention, samples, units, embedding_dim, cell, seed, exclude_years:
            As for `train_date_translator`.

    Returns:
        A JSON-serialisable dict (with the data recipe ``TRAINING_DATA``).

    Example:
        >>> run_settings(attention=None, samples=8, units=4, embedding_dim=4,
        ...              cell="gru", seed=0)["attention"]
        'none'
    """
    return {
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
    continue_run: bool = False,
    overwrite: bool = False,
    log: Callable[[str], None] = stderr_log,
    strategy: Any = None,
):
    """Train (or resume, or continue) a date translator and save it into ``out``.

    Training pairs are ``date_pairs(samples, seed, exclude_years=...)``;
    validation pairs (for early stopping, patience 5) use ``seed + 1``. The
    translator lower-cases its input and accepts up to ``MAX_SOURCE_LENGTH``
    characters. The model trains with ``rnn_zoo.fit`` (Adam 3e-3, clipnorm 1,
    ``run_dir=out/run``) on batches of similar source lengths, each cut to its
    longest source, until ``epochs`` or the ``minutes`` budget (``TimeBudget``)
    runs out; then the bundle is saved into ``out`` (atomically, with a
    verified ``manifest.json``). What happens when ``out`` already holds a run
    (resume, refuse, ``continue_run``, ``overwrite``; a finished run whose
    save was cut short is saved again without training) is described in
    `rnn_zoo.tasks.run_folder`.

    Args:
        out: Bundle folder (created if missing).
        minutes: Wall-clock budget of this call, in minutes.
        attention: ``"bahdanau"``, ``"luong"`` or None / ``"none"``.
        samples: Number of training pairs.
        units, embedding_dim, cell: ``build_seq2seq`` arguments.
        epochs: Most epochs (with ``continue_run``: most epochs more).
        batch_size: Batch size.
        seed: Seed of the data, the weights and the shuffling.
        exclude_years: A ``(first, last)`` block of years kept out of training.
        continue_run: Train a finished run in ``out`` further (``--continue``).
        overwrite: Delete a run in ``out`` and start over (``--overwrite``).
        log: Where progress lines go. Defaults to stderr.
        strategy: A ``tf.distribute.Strategy`` (the model is built in its
            scope; ``batch_size`` is the global batch) or None. Under several
            workers, pass each worker's own ``out`` (`training_out`: the
            chief's is the real one). Defaults to None.

    Returns:
        ``(translator, history)``: the trained ``Seq2SeqTranslator`` and the
        Keras ``History`` of this call.

    Raises:
        RunFolderError: If ``out`` is a file, not writable, holds a run with other
            settings, a finished run (without ``continue_run``/``overwrite``),
            another kind of bundle or unrelated files.

    Example:
        >>> train_date_translator("m", minutes=0.1, samples=64)  # doctest: +SKIP
    """
    import keras

    from rnn_zoo.preprocessing import LengthBuckets
    from rnn_zoo.tasks.run_folder import (
        DATES_FOLDER,
        check_writable,
        plan_run,
        write_settings,
    )
    from rnn_zoo.tasks.translator import Seq2SeqTranslator
    from rnn_zoo.training import fit, set_seed
    from rnn_zoo.training.callbacks import BudgetProgbar, TimeBudget

    attention = None if attention in (None, "none") else attention
    settings = run_settings(
        attention=attention,
        samples=samples,
        units=units,
        embedding_dim=embedding_dim,
        cell=cell,
        seed=seed,
        exclude_years=exclude_years,
    )
    plan = plan_run(
        out, DATES_FOLDER, settings, continue_run=continue_run, overwrite=overwrite
    )
    folder = check_writable(out)
    write_settings(folder, settings)
    set_seed(seed)
    train = date_pairs(samples, seed, exclude_years=exclude_years)
    valid = date_pairs(
        max(100, min(1000, samples // 10)), seed + 1, exclude_years=exclude_years
    )
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        translator = Seq2SeqTranslator.create(
            train.sources,
            train.targets,
            attention=attention,
            units=units,
            embedding_dim=embedding_dim,
            cell=cell,
            max_source_length=MAX_SOURCE_LENGTH,
        )
    done = plan.epochs_done
    total = {"continue": done + epochs, "resave": done}.get(plan.status, epochs)
    status = {
        "resume": f"resuming the interrupted run in {str(folder)!r}",
        "continue": f"continuing the finished run in {str(folder)!r}",
        "resave": f"the run in {str(folder)!r} finished but its bundle was not "
        "saved whole; saving it again without training",
    }
    if plan.status in status:
        log(f"{status[plan.status]} (after {done} epochs)")
    log(
        f"training a {attention or 'no'}-attention {cell.upper()} translator "
        f"({translator.model.count_params():,} weights) on {samples:,} dates "
        f"for at most {minutes:g} min"
    )
    x, y = translator.teacher_forcing(train.sources, train.targets)
    x_val, y_val = translator.teacher_forcing(valid.sources, valid.targets)
    budget = [TimeBudget(minutes * 60), BudgetProgbar(minutes * 60)]
    with contextlib.redirect_stdout(sys.stderr):  # Keras' progress bar
        history = fit(
            translator.model,
            # 2 threads cut the next batches meanwhile: 65 -> 52 ms a step
            # (benchmarks/input_pipeline.py); padded arrays would take 93
            LengthBuckets(x, y, batch_size, seed, workers=2),
            validation=LengthBuckets(x_val, y_val, 256, None),
            epochs=max(total, 1),
            learning_rate=3e-3,
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
            run_dir=plan.run_dir,
            strategy=strategy,
            callbacks=budget,
            verbose=1 if sys.stderr.isatty() else 2,  # a log gets one line per epoch
            continue_finished=plan.status in ("continue", "resave"),
        )
    rows = history.history.get("val_loss") or [None]
    translator.save(folder, epoch=done + len(history.epoch), val_loss=rows[-1])
    log(f"saved the translator into {str(folder)!r}")
    return translator, history


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


def subset_pairs(pairs, keep: Sequence[int]):
    """The pairs at the indices ``keep``, as a new ``DatePairs``.

    Args:
        pairs: A ``DatePairs``.
        keep: Indices into ``pairs``, in the order wanted.

    Returns:
        A new ``DatePairs`` holding those pairs.

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
