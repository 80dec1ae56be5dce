"""The character LM's training run for ``lm train`` (imported after TensorFlow).

- `EpochReport`: after each epoch, the validation bits/char over the whole
  validation text; a better epoch is saved as the bundle (`save_lm_bundle`:
  atomic files, verified manifest) before `rnn_zoo.fit` commits the epoch.
- `train_lm`: build the model and data, train a new run or resume/continue one
  (`rnn_zoo.tasks.run_folder.RunPlan`), then load the bundle back from disk and
  return the score of that model, the one a later ``lm generate`` loads.
"""

from __future__ import annotations

import contextlib
import math
import sys
import time
from typing import Any

import keras

from rnn_zoo import _faults
from rnn_zoo.tasks.progress import log
from rnn_zoo.tasks.run_folder import RunFolderError, RunPlan

__all__ = ["EpochReport", "train_lm"]

#: The epoch bound of a run on a ``--minutes`` budget (the budget ends it).
_MANY_EPOCHS = 10_000


class EpochReport(keras.callbacks.Callback):
    """Whole-text validation bits/char each epoch; keep the best as the bundle.

    Args:
        save: ``save(model, epoch, score)`` writes the bundle.
        score: ``score(model) -> bits/char`` on the validation text.
        best: The score of the bundle already on disk (inf for none).
        suffix: ``score -> str`` appended to each epoch's line.

    Example:
        >>> EpochReport(save, score, math.inf, str)  # doctest: +SKIP
    """

    def __init__(self, save, score, best: float, suffix):
        super().__init__()
        self.save, self.score, self.best, self.suffix = save, score, best, suffix
        self.pending = ""

    def flush(self) -> None:
        """Print the last epoch's line once the progress bar has ended its line."""
        if self.pending:
            log(self.pending)
            self.pending = ""

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        self.flush()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        _faults.reached("lm:epoch_trained")  # trained, not yet reported
        score = self.score(self.model)
        mark = ""
        if score < self.best:
            self.best, mark = score, " (best, saved)"
            self.save(self.model, epoch + 1, score)
        self.pending = (
            f"epoch {epoch + 1}: validation bits/char: {score:.3f}{mark} "
            f"{self.suffix(score)}"
        )
        _faults.reached("lm:reported")  # reported, not yet committed by `fit`


def _bundle_score(folder, plan: RunPlan) -> float:
    """The score of the bundle on disk when resuming or continuing, else inf."""
    from rnn_zoo.tasks.lm_bundle import load_lm_bundle

    if plan.status == "new":
        return math.inf
    try:
        bundle = load_lm_bundle(folder)
    except ValueError as exc:
        log(
            f"the bundle in {str(folder)!r} is incomplete ({' '.join(str(exc).split())}"
            "); the next epoch rewrites it"
        )
        return math.inf
    return float(bundle.config.get("validation_bits_per_char", math.inf))


def train_lm(
    args,
    config: dict[str, Any],
    corpus,
    plan: RunPlan,
    *,
    minutes: float | None,
    strategy: Any = None,
) -> float:
    """Train (or resume, or continue) the LM of ``lm train``; return its score.

    Args:
        args: The parsed ``lm train`` options.
        config: What the bundle's ``config.json`` records (settings, corpus,
            vocabulary, baselines).
        corpus: The ``prepare_char_corpus`` result.
        plan: From `rnn_zoo.tasks.run_folder.plan_run`.
        minutes: The wall-clock budget of this call, or None (``--epochs``).
        strategy: A ``tf.distribute.Strategy`` (the model is built in its
            scope) or None. Defaults to None.

    Returns:
        The validation bits/char of the bundle as loaded back from disk.

    Raises:
        RunFolderError: If the bundle on disk cannot be loaded after training.

    Example:
        >>> train_lm(args, config, corpus, plan, minutes=1.0)  # doctest: +SKIP
    """
    from rnn_zoo.evaluation.language import bits_per_char
    from rnn_zoo.models.language_model import build_char_lm
    from rnn_zoo.preprocessing.char_data import char_dataset
    from rnn_zoo.tasks.lm_bundle import load_lm_bundle, save_lm_bundle
    from rnn_zoo.training import fit, set_seed
    from rnn_zoo.training.callbacks import BudgetProgbar, TimeBudget

    folder, ngram = plan.folder, f"{args.order}-gram"
    baseline = config["baselines_bits_per_char"][ngram]
    set_seed(args.seed)
    with strategy.scope() if strategy is not None else contextlib.nullcontext():
        model = build_char_lm(
            config["vocab_size"],
            embedding_dim=args.embedding_dim,
            units=args.units,
            num_layers=args.layers,
            cell=args.cell,
        )
    config["parameters"] = int(model.count_params())
    train = char_dataset(
        corpus.train_ids,
        sequence_length=args.seq_len,
        batch_size=args.batch_size,
        seed=args.seed,
    )
    start = time.perf_counter()

    def save(trained, epoch, score):
        extra = {"epoch": epoch, "validation_bits_per_char": score}
        save_lm_bundle(folder, trained, corpus.tokenizer, {**config, **extra})

    def score(trained):
        return bits_per_char(trained, corpus.validation_ids)

    def suffix(_):
        used = (time.perf_counter() - start) / 60
        return f"[{ngram} {baseline:.3f}; {used:.1f} min]"

    report = EpochReport(save, score, _bundle_score(folder, plan), suffix)
    epochs = args.epochs or _MANY_EPOCHS
    if plan.status == "continue":
        epochs += plan.epochs_done  # that many more
    callbacks: list[Any] = [report]
    if minutes is not None:  # "Epoch 3 (4.2 of 10.0 min)", not "Epoch 3/10000"
        callbacks[:0] = [TimeBudget(seconds=minutes * 60), BudgetProgbar(minutes * 60)]
    with contextlib.redirect_stdout(sys.stderr):  # Keras' progress bar
        fit(
            model,
            train,
            epochs=epochs,
            learning_rate=args.learning_rate,
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            clipnorm=1.0,
            early_stopping=None,
            run_dir=plan.run_dir,
            strategy=strategy,
            callbacks=callbacks,
            verbose=1 if sys.stderr.isatty() else 2,  # a log gets one line per epoch
            continue_finished=plan.status == "continue",
        )
    try:  # the score printed is that of the model a later command loads
        bundle = load_lm_bundle(folder)
    except ValueError as exc:
        raise RunFolderError(" ".join(str(exc).split())) from None
    return bits_per_char(bundle.model, corpus.validation_ids)
