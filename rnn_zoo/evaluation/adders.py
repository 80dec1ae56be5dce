"""Learning to execute: train encoder-decoders to add, compare recipes over seeds.

`train_adder` trains one plain encoder-decoder (``build_seq2seq`` with a
one-way encoder and no attention, as in keras-io's addition RNN) on the stages
of ``make_addition_curriculum``, then scores it with greedy decoding on a fixed
test set holding every operand length from 1 to ``max_digits + 1`` (one digit
more than it ever saw). `compare_adders` runs named recipes (input reversal on or
off, a curriculum or none) over several seeds, with the same number of training
steps for every run, and returns a tidy ``pandas.DataFrame`` (one row per run
and operand length). Its rows for one length are in the shape that
``rnn_zoo.experiments.summarize_runs`` (mean and spread over seeds) and
``clearly_better`` (do the seed ranges overlap?) read. Imports TensorFlow.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
import pandas as pd

from rnn_zoo._validation import check_float, check_int, check_type, error_message
from rnn_zoo.callbacks import TimeBudget
from rnn_zoo.datasets.addition import (
    AdditionProblems,
    make_addition_curriculum,
    make_addition_problems,
)
from rnn_zoo.evaluation.arithmetic import accuracy_by_digits
from rnn_zoo.models.diagnostics import quiet_retracing_warnings
from rnn_zoo.models.translator import Seq2SeqTranslator
from rnn_zoo.training import fit, set_seed

__all__ = [
    "AdderRun",
    "addition_test_set",
    "train_adder",
    "compare_adders",
]


@dataclass
class AdderRun:
    """One trained adder and its scores.

    Attributes:
        max_digits: Longest operand length in training.
        reverse: Whether questions were reversed.
        curriculum: ``"none"``, ``"naive"`` or ``"combined"``.
        seed: Seed of the weights and the training data.
        params: ``model.count_params()``.
        steps: Optimizer steps taken (fewer than planned only if the time
            budget ran out).
        seconds: Wall-clock training time.
        stage_losses: Training loss at the end of each stage that ran.
        exact_match: ``{operand length: exact match}``, lengths 1 to
            ``max_digits + 1``.
        token_accuracy: The same with per-character credit.
        translator: The trained ``Seq2SeqTranslator`` (None unless kept).
    """

    max_digits: int
    reverse: bool
    curriculum: str
    seed: int
    params: int
    steps: int
    seconds: float
    stage_losses: list[float]
    exact_match: dict[int, float]
    token_accuracy: dict[int, float]
    translator: Any = field(default=None, repr=False)

    def as_rows(self) -> list[dict[str, Any]]:
        """One dict per operand length (tidy rows for a ``DataFrame``)."""
        return [
            {
                "seed": self.seed,
                "digits": k,
                "trained": k <= self.max_digits,
                "exact_match": self.exact_match[k],
                "token_accuracy": self.token_accuracy[k],
                "steps": self.steps,
                "seconds": self.seconds,
                "params": self.params,
                "final_loss": self.stage_losses[-1] if self.stage_losses else np.nan,
            }
            for k in sorted(self.exact_match)
        ]


def addition_test_set(
    max_digits: int, per_digit: int, *, seed: int = 1234
) -> AdditionProblems:
    """``per_digit`` problems of each operand length ``1 .. max_digits + 1``.

    Args:
        max_digits: Longest operand length in training, 1 to 8.
        per_digit: Problems per length, a positive integer.
        seed: Seed of the test problems. Default 1234 (keep it fixed so every
            recipe and seed is scored on the same problems).

    Returns:
        `AdditionProblems` (not reversed), lengths in increasing order.

    Raises:
        TypeError / ValueError: If an argument is out of range.

    Example:
        >>> test = addition_test_set(2, 3)
        >>> test.digits.tolist()
        [1, 1, 1, 2, 2, 2, 3, 3, 3]
    """
    max_digits = check_int(max_digits, "max_digits", minimum=1, maximum=8)
    per_digit = check_int(per_digit, "per_digit", minimum=1)
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    parts = [
        make_addition_problems(per_digit, k, seed=rng) for k in range(1, max_digits + 2)
    ]
    return AdditionProblems(
        [q for p in parts for q in p.questions],
        [a for p in parts for a in p.answers],
        np.concatenate([p.digits for p in parts]),
    )


def train_adder(
    *,
    max_digits: int = 3,
    reverse: bool = True,
    curriculum: str = "none",
    steps_per_stage: int = 200,
    batch_size: int = 64,
    units: int = 128,
    embedding_dim: int = 16,
    cell: str = "lstm",
    attention: str | None = None,
    encoder_bidirectional: bool = False,
    learning_rate: float = 5e-3,
    test: AdditionProblems | None = None,
    time_budget: float | None = None,
    seed: int = 0,
    keep_translator: bool = False,
    verbose: int = 0,
) -> AdderRun:
    """Train one encoder-decoder to add and score it by operand length.

    By default the model is ``build_seq2seq(attention=None,
    encoder_bidirectional=False)``: the encoder reads the question left to
    right and hands its final state to the decoder, which writes the answer one
    digit at a time (teacher forcing in training, greedy decoding in the
    test). Training runs the ``max_digits``
    stages of ``make_addition_curriculum(steps_per_stage * batch_size, ...)``
    in order, one pass over fresh problems each (Adam, gradient clipping at
    norm 1), so every recipe takes ``max_digits * steps_per_stage`` steps.

    Args:
        max_digits: Longest operand length in training (stages), 1 to 8.
            Default 3.
        reverse: Reverse the questions (input-reversal trick). Default True.
        curriculum: ``"none"`` (default), ``"naive"`` or ``"combined"``; see
            ``make_addition_curriculum``.
        steps_per_stage: Training steps per stage. Default 200.
        batch_size: Default 64.
        units: Encoder and decoder units. Default 128.
        embedding_dim: Default 16.
        cell: ``"lstm"`` (default) or ``"gru"``.
        attention: None (default: the plain encoder-decoder), ``"bahdanau"``
            or ``"luong"`` (see ``build_seq2seq``).
        encoder_bidirectional: Whether the encoder also reads right to left
            (then the decoder has ``2 * units``). Default False.
        learning_rate: Adam's learning rate. Default 5e-3.
        test: Unreversed test problems; None (default) uses
            ``addition_test_set(max_digits, 200)``. Lengths above
            ``max_digits + 1`` are refused (the model cannot read them).
        time_budget: Seconds after which training stops (a guard: the run then
            reports fewer ``steps``), or None (default) for no limit.
        seed: Seed of the weights and the training problems. Default 0.
        keep_translator: Keep the trained translator in the result. Default
            False.
        verbose: 1 prints one line per stage; 0 (default) is silent.

    Returns:
        An `AdderRun`.

    Raises:
        TypeError / ValueError: If an argument is of the wrong type or out of
            range (named in the message).

    Example:
        >>> run = train_adder(max_digits=1, steps_per_stage=2, batch_size=8,
        ...                   units=4, embedding_dim=2,
        ...                   test=addition_test_set(1, 2))
        >>> run.steps, sorted(run.exact_match), run.params
        (2, [1, 2], 348)
    """
    max_digits = check_int(max_digits, "max_digits", minimum=1, maximum=8)
    steps_per_stage = check_int(steps_per_stage, "steps_per_stage", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    check_type(keep_translator, "keep_translator", bool, "a bool")
    time_budget = check_float(
        time_budget, "time_budget", low=0.0, low_inclusive=False, allow_none=True
    )
    if test is None:
        test = addition_test_set(max_digits, 200)
    check_type(test, "test", AdditionProblems, "an AdditionProblems")
    if int(np.max(test.digits)) > max_digits + 1:
        raise ValueError(
            error_message(
                "test",
                f"problems of at most max_digits + 1 = {max_digits + 1} digits",
                f"lengths up to {int(np.max(test.digits))}",
            )
        )
    stages = make_addition_curriculum(
        steps_per_stage * batch_size,
        max_digits,
        strategy=curriculum,
        reverse=reverse,
        seed=seed,
    )
    set_seed(seed)
    translator = Seq2SeqTranslator.create(
        ["0123456789+"],  # every character, so the vocabulary is the same always
        ["0123456789"],
        max_source_length=2 * (max_digits + 1) + 1,
        max_target_length=max_digits + 3,
        attention=attention,
        encoder_bidirectional=encoder_bidirectional,
        cell=cell,
        units=units,
        embedding_dim=embedding_dim,
    )
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    stage_losses: list[float] = []
    start = time.perf_counter()
    with quiet_retracing_warnings():  # a new model per run retraces, as expected
        for s, stage in enumerate(stages, start=1):
            left = (
                None
                if time_budget is None
                else time_budget - (time.perf_counter() - start)
            )
            if left is not None and left <= 0 and s > 1:
                break  # the first stage always starts, so the model is compiled
            x, y = translator.teacher_forcing(stage.questions, stage.answers)
            history = fit(
                translator.model,
                (x, y),
                epochs=1,
                batch_size=batch_size,
                learning_rate=learning_rate,
                loss=loss,
                early_stopping=None,
                callbacks=[] if left is None else [TimeBudget(max(left, 1e-9))],
                verbose=0,
                recompile=None if s == 1 else False,
            )
            stage_losses.append(float(history.history["loss"][-1]))
            if verbose:
                lengths = sorted(set(stage.digits.tolist()))
                print(
                    f"  stage {s}/{max_digits} (digits {lengths[0]}-{lengths[-1]}): "
                    f"loss {stage_losses[-1]:.4f}, "
                    f"{time.perf_counter() - start:5.1f} s",
                    flush=True,
                )
        seconds = time.perf_counter() - start
        questions = [q[::-1] for q in test.questions] if reverse else test.questions
        predictions = translator.translate(questions)
    return AdderRun(
        max_digits=max_digits,
        reverse=reverse,
        curriculum=curriculum,
        seed=seed,
        params=int(translator.model.count_params()),
        steps=int(keras.ops.convert_to_numpy(translator.model.optimizer.iterations)),
        seconds=seconds,
        stage_losses=stage_losses,
        exact_match=accuracy_by_digits(predictions, test.answers, test.digits),
        token_accuracy=accuracy_by_digits(
            predictions, test.answers, test.digits, metric="token_accuracy"
        ),
        translator=translator if keep_translator else None,
    )


def compare_adders(
    configs: Mapping[str, Mapping[str, Any]],
    seeds: Sequence[int],
    *,
    keep_translators: bool = False,
    verbose: int = 1,
    **common: Any,
) -> tuple[pd.DataFrame, dict[tuple[str, int], AdderRun]]:
    """Train every recipe with every seed; one tidy row per run and length.

    Every run gets the same ``common`` arguments (steps, sizes, test set), so
    recipes differ only in what their config says (e.g. ``reverse``,
    ``curriculum``). Pass ``test=addition_test_set(...)`` in ``common`` so all
    runs are scored on the same problems.

    Args:
        configs: ``{name: train_adder keyword arguments}``, e.g.
            ``{"reversed": {"reverse": True}, "as written": {"reverse": False}}``.
        seeds: Seeds to run each recipe with (non-empty).
        keep_translators: Keep each trained translator in its run. Default False.
        verbose: 1 (default) prints one line per run; 2 also one per stage; 0
            is silent.
        **common: Keyword arguments of `train_adder` shared by all runs.

    Returns:
        ``(frame, runs)``: ``frame`` has the columns ``config``, ``seed``,
        ``digits``, ``trained``, ``exact_match``, ``token_accuracy``, ``steps``,
        ``seconds``, ``params``, ``final_loss``; ``runs`` maps ``(config,
        seed)`` to its `AdderRun`.

    Raises:
        TypeError / ValueError: If ``configs`` or ``seeds`` is empty or of the
            wrong type, a config sets ``seed`` or ``verbose``, or as
            `train_adder`.

    Example:
        >>> frame, runs = compare_adders(
        ...     {"reversed": {"reverse": True}}, [0], verbose=0, max_digits=1,
        ...     steps_per_stage=1, batch_size=4, units=2, embedding_dim=2,
        ...     test=addition_test_set(1, 2))
        >>> frame[["config", "seed", "digits", "steps"]].to_dict("records")
        [{'config': 'reversed', 'seed': 0, 'digits': 1, 'steps': 1}, {'config': 'reversed', 'seed': 0, 'digits': 2, 'steps': 1}]
    """  # noqa: E501
    check_type(configs, "configs", Mapping, "a dict {name: train_adder kwargs}")
    check_type(seeds, "seeds", (list, tuple, range), "a list of seeds")
    for name, values in (("configs", configs), ("seeds", seeds)):
        if not values:
            raise ValueError(error_message(name, "non-empty", values))
    for name, config in configs.items():
        check_type(
            config, f"configs[{name!r}]", Mapping, "a dict of train_adder kwargs"
        )
        clash = sorted({"seed", "verbose", "keep_translator"} & set(config))
        if clash:
            raise ValueError(
                error_message(
                    f"configs[{name!r}]",
                    "train_adder arguments other than seed, verbose and "
                    "keep_translator (compare_adders sets those)",
                    dict(config),
                )
            )
    rows, runs = [], {}
    for name, config in configs.items():
        for seed in seeds:
            run = train_adder(
                **{**common, **config},
                seed=seed,
                keep_translator=keep_translators,
                verbose=1 if verbose >= 2 else 0,
            )
            runs[name, seed] = run
            rows += [{"config": name, **row} for row in run.as_rows()]
            if verbose:
                trained = [v for k, v in run.exact_match.items() if k <= run.max_digits]
                print(
                    f"{name:>22s}  seed {seed}: {run.steps:,} steps in "
                    f"{run.seconds:5.1f} s, loss {run.stage_losses[-1]:.4f}, "
                    f"exact match {np.mean(trained):6.1%} on 1-{run.max_digits} "
                    f"digits, {run.exact_match[run.max_digits + 1]:6.1%} on "
                    f"{run.max_digits + 1}",
                    flush=True,
                )
    return pd.DataFrame(rows), runs
