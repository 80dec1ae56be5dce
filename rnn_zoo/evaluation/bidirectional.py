"""Unidirectional vs bidirectional RNNs: fair tagging set-ups and the forecast leak.

Shared by notebook 07 and ``benchmarks/craft_bidirectional.py``:

- `tagging_configs`: the tagger builder and the `rnn_zoo.experiments.compare_runs`
  configurations for a unidirectional model, a bidirectional one with the same
  number of parameters, and the other merge modes at that width.
- `train_step_forecaster`: a seeded per-step next-value model, trained.
- `leak_scores`: its mean squared error when it reads each whole series (leaky
  for a bidirectional model) and when it reads only the past (honest).

Imports TensorFlow.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import keras
import numpy as np

from rnn_zoo._validation import check_int, check_one_of, check_type, error_message
from rnn_zoo.evaluation.per_step import prefix_predictions
from rnn_zoo.models.budget import units_for_budget
from rnn_zoo.models.recurrent import MERGE_MODES
from rnn_zoo.models.tagger import build_sequence_tagger, build_step_regressor
from rnn_zoo.training import fit, set_seed

__all__ = ["tagging_configs", "train_step_forecaster", "leak_scores"]


def tagging_configs(
    vocab_size: int,
    num_tags: int,
    *,
    units: int,
    merge_modes: Sequence[str] = ("concat",),
    cell: str = "gru",
    embedding_dim: int = 16,
) -> tuple[Callable[..., keras.Model], dict[str, dict[str, Any]]]:
    """A tagger builder and same-budget uni/bidirectional configurations.

    The bidirectional width is `rnn_zoo.models.units_for_budget` of the
    ``"concat"`` model against the unidirectional model of ``units`` units, so
    the two have (nearly) the same number of parameters. The other merge modes
    use the same width per direction (their logits layer reads ``units`` rather
    than ``2 * units`` values, so they have slightly fewer parameters).

    Args:
        vocab_size: Token ids including padding 0 (``n_symbols + 1``).
        num_tags: Tag ids including padding 0.
        units: Width of the unidirectional model, a positive integer.
        merge_modes: Merge modes to include besides ``"concat"``, which is
            always the configuration named ``"bidirectional"``; each other mode
            ``m`` is named ``f"bi-{m}"``. Defaults to ``("concat",)``.
        cell: ``"lstm"``, ``"gru"`` or ``"rnn"``. Defaults to ``"gru"``.
        embedding_dim: Width of the token embedding. Defaults to 16.

    Returns:
        ``(build, configs)``: ``build(**settings)`` is
        `rnn_zoo.models.build_sequence_tagger` with the fixed arguments bound;
        ``configs`` maps ``"unidirectional"``, ``"bidirectional"`` and
        ``"bi-<mode>"`` to their settings, ready for ``compare_runs``.

    Raises:
        ValueError: If a merge mode is unknown or a count is out of range.
        TypeError: If an argument has the wrong type.

    Example:
        >>> build, configs = tagging_configs(9, 5, units=8, merge_modes=["sum"])
        >>> configs
        {'unidirectional': {'units': 8}, 'bidirectional': {'units': 5, \
'bidirectional': True}, 'bi-sum': {'units': 5, 'bidirectional': True, \
'merge_mode': 'sum'}}
        >>> build(**configs["unidirectional"]).count_params()
        813
        >>> build(**configs["bidirectional"]).count_params()  # nearest: 4 gives 717
        889
    """
    units = check_int(units, "units", minimum=1)
    check_type(merge_modes, "merge_modes", (list, tuple), "a list of merge modes")
    for mode in merge_modes:
        check_one_of(mode, "merge_modes", MERGE_MODES)
    build = functools.partial(
        build_sequence_tagger,
        vocab_size,
        num_tags,
        embedding_dim=embedding_dim,
        cell=cell,
    )
    budget = build(units=units).count_params()
    bi_units = units_for_budget(
        lambda width: build(units=width, bidirectional=True), budget
    )
    configs: dict[str, dict[str, Any]] = {
        "unidirectional": {"units": units},
        "bidirectional": {"units": bi_units, "bidirectional": True},
    }
    for mode in dict.fromkeys(merge_modes):
        if mode != "concat":
            configs[f"bi-{mode}"] = {
                "units": bi_units,
                "bidirectional": True,
                "merge_mode": mode,
            }
    return build, configs


def train_step_forecaster(
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    bidirectional: bool,
    seed: int = 0,
    units: int = 16,
    cell: str = "gru",
    epochs: int = 8,
    learning_rate: float = 0.01,
    batch_size: int = 32,
    verbose: str | int = 0,
) -> keras.Model:
    """Seed, build and train a per-step next-value model (`build_step_regressor`).

    Args:
        inputs: Series ``(batch, timesteps, features)``, e.g. ``waves[:, :-1]``.
        targets: The values to predict at every step, ``(batch, timesteps, 1)``,
            e.g. ``waves[:, 1:]``.
        bidirectional: Whether the recurrent layer also reads backwards.
        seed: Passed to `rnn_zoo.set_seed` before building. Defaults to 0.
        units: Width of the recurrent layer. Defaults to 16.
        cell: ``"lstm"``, ``"gru"`` or ``"rnn"``. Defaults to ``"gru"``.
        epochs: Epochs of ``rnn_zoo.fit`` (MSE, Adam, no early stopping).
            Defaults to 8.
        learning_rate: Adam's learning rate. Defaults to 0.01.
        batch_size: Defaults to 32.
        verbose: As in ``keras.Model.fit``; 2 prints one line per epoch.
            Defaults to 0.

    Returns:
        The trained ``keras.Model``.

    Raises:
        ValueError / TypeError: From the builder or ``fit`` for bad arguments
            or data shapes.

    Example:
        >>> x = np.zeros((4, 5, 1), "float32")
        >>> model = train_step_forecaster(x, x, bidirectional=True, units=2,
        ...                               epochs=1)
        >>> model.output_shape
        (None, None, 1)
    """
    set_seed(seed)
    model = build_step_regressor(
        np.shape(inputs)[-1], units=units, cell=cell, bidirectional=bidirectional
    )
    fit(
        model,
        (inputs, targets),
        epochs=epochs,
        loss="mse",
        learning_rate=learning_rate,
        batch_size=batch_size,
        early_stopping=None,
        verbose=verbose,
    )
    return model


def leak_scores(model: Any, inputs: Any, targets: Any) -> dict[str, float]:
    """Next-value MSE of a per-step model reading whole series vs only the past.

    ``"leaky"`` scores ``model(inputs)``: the output at step ``t`` may depend on
    steps after ``t`` (it does for a bidirectional model). ``"honest"`` scores
    `prefix_predictions`: step ``t`` sees steps ``0 .. t`` only, as in real
    forecasting. For a unidirectional model the two are equal.

    Args:
        model: A per-step model, ``(batch, timesteps, features)`` in,
            ``(batch, timesteps, 1)`` out.
        inputs: Series ``(batch, timesteps, features)``.
        targets: The next values ``(batch, timesteps, 1)``.

    Returns:
        ``{"leaky": mse, "honest": mse}``.

    Raises:
        ValueError: If ``targets`` does not have the model's output shape.

    Example:
        >>> def look_ahead(x):  # "predicts" x[t + 1] by reading it
        ...     return np.concatenate([x[:, 1:], x[:, -1:]], axis=1)
        >>> x = np.arange(6.0).reshape(1, 6, 1)
        >>> scores = leak_scores(look_ahead, x[:, :5], x[:, 1:])
        >>> scores["leaky"], scores["honest"]
        (0.2, 1.0)
    """
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    whole = np.asarray(keras.ops.convert_to_numpy(model(inputs)))
    if whole.shape != targets.shape:
        raise ValueError(
            error_message(
                "targets",
                f"an array of the model's output shape {whole.shape}",
                targets,
            )
        )
    honest = prefix_predictions(model, inputs, start=0)
    return {
        "leaky": float(np.mean((whole - targets) ** 2)),
        "honest": float(np.mean((honest - targets) ** 2)),
    }
