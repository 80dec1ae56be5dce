"""A training run folder that survives a crash or a kill at any moment.

`rnn_zoo.fit(run_dir=...)` keeps its state here (`RunCheckpoint` writes it,
`read_run_state` / `restore_run` read it)::

    run_dir/
      backup/                   while a run is in progress (deleted at its end)
        latest.weights.h5       weights + optimizer state of the last committed epoch
        training_metadata.json  the commit record: epoch, SHA-256 of the weights
                                and of best.keras, every history row so far
      final/                    the same two files after a normal end
      best.keras                the model of the best epoch (monitor, lower is better)
      history.csv               one row per committed epoch

**One commit per epoch.** At the end of an epoch, after every other callback
(so after a caller's report of that epoch), the new weights and, if the epoch is
the best so far, the new ``best.keras`` are written under staging names; then
``training_metadata.json`` is replaced atomically: that rename *is* the commit.
Only then are the staged files renamed onto ``latest.weights.h5`` and
``best.keras``, and ``history.csv`` is rewritten (atomically) from the record.
A kill before the commit leaves the previous epoch committed: the rerun does
the epoch again. A kill after it leaves staged files that the record names by
SHA-256: the rerun finishes the renames. So ``history.csv`` never misses or
repeats an epoch, and nothing half-written is ever loaded: a weights file that
does not match its recorded SHA-256 is reported in one line (what to delete),
not as an h5py traceback.

Example:
    >>> import tempfile
    >>> read_run_state(tempfile.mkdtemp()) is None   # nothing trained there yet
    True
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keras

from rnn_zoo import _faults
from rnn_zoo._atomic import sha256_file, write_text

__all__ = [
    "RUN_FILES",
    "RunCheckpoint",
    "RunState",
    "clear_run",
    "read_run_state",
    "restore_weights",
    "seed_early_stopping",
]

BACKUP, FINAL = "backup", "final"
BEST, HISTORY = "best.keras", "history.csv"
WEIGHTS, RECORD = "latest.weights.h5", "training_metadata.json"
#: Everything `fit` keeps in a run folder.
RUN_FILES = (BACKUP, FINAL, BEST, HISTORY)
_STAGED_WEIGHTS = ".latest.staged.weights.h5"
_STAGED_BEST = ".best.staged.keras"
_FORMAT = "rnn_zoo.RunState"


@dataclass
class RunState:
    """What a run folder holds: see `read_run_state`.

    Attributes:
        epoch: Epochs committed (the next epoch to run, counting from 0).
        finished: True after a normal end of training (``final/``).
        folder: The ``backup/`` or ``final/`` folder the state was read from.
        monitor: The monitored quantity (``loss`` or ``val_loss``).
        best: ``{"epoch", "value", "sha256"}`` of ``best.keras``, or None.
        history: The history rows (dicts of strings), one per committed epoch.
    """

    epoch: int
    finished: bool
    folder: Path
    monitor: str
    best: dict[str, Any] | None = None
    history: list[dict[str, str]] = field(default_factory=list)


def _bad_state(folder: Path, problem: str) -> ValueError:
    return ValueError(
        f"The run folder {str(folder.parent)!r} cannot be resumed: {problem}. "
        f"Delete {str(folder)!r} to start that run over"
    )


def _promote(staged: Path, target: Path, sha: str | None) -> bool:
    """Finish a committed rename; True when ``target`` holds the recorded file."""
    if sha is None:
        return target.is_file()
    if target.is_file() and sha256_file(target) == sha:
        staged.unlink(missing_ok=True)
        return True
    if staged.is_file() and sha256_file(staged) == sha:
        os.replace(staged, target)
        return True
    return False


def _history_text(rows: list[dict[str, str]]) -> str:
    fields = ["epoch"] + sorted({k for row in rows for k in row} - {"epoch"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _write_history(run_dir: Path, rows: list[dict[str, str]]) -> None:
    path = run_dir / HISTORY
    text = _history_text(rows)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        write_text(path, text)


def read_run_state(run_dir: str | os.PathLike) -> RunState | None:
    """Read a run folder's last committed state, finishing an interrupted commit.

    Renames that a kill interrupted after a commit are completed, ``history.csv``
    is rewritten from the commit record when it differs, and the weights file is
    checked against its recorded SHA-256.

    Args:
        run_dir: The ``run_dir`` given to `rnn_zoo.fit`.

    Returns:
        A `RunState`, or None when the folder holds no state (never trained,
        or the state was deleted).

    Raises:
        ValueError: One line naming the folder to delete, if the record is
            unreadable or the weights do not match it (a file cut short or
            replaced by hand).

    Example:
        >>> import tempfile
        >>> read_run_state(tempfile.mkdtemp()) is None
        True
    """
    run_dir = Path(run_dir)
    for name in (BACKUP, FINAL):
        folder = run_dir / name
        if (folder / RECORD).is_file() or (folder / WEIGHTS).is_file():
            return _read(run_dir, folder)
    return None


def _read(run_dir: Path, folder: Path) -> RunState:
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        epoch = int(record["epoch"])
    except FileNotFoundError:
        raise _bad_state(folder, f"{RECORD} is missing") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problem = f"{RECORD} is unreadable ({type(exc).__name__})"
        raise _bad_state(folder, problem) from None
    if record.get("format") != _FORMAT:  # a backup written by Keras' own callback
        if not (folder / WEIGHTS).is_file():
            raise _bad_state(folder, f"{WEIGHTS} is missing")
        return RunState(epoch, False, folder, "loss")
    weights = record["weights"]
    if not _promote(folder / _STAGED_WEIGHTS, folder / WEIGHTS, weights["sha256"]):
        raise _bad_state(
            folder,
            f"{WEIGHTS} is missing or does not match the SHA-256 in {RECORD} "
            "(cut short or replaced)",
        )
    best = record.get("best")
    if best is None:
        (run_dir / _STAGED_BEST).unlink(missing_ok=True)
    elif not _promote(run_dir / _STAGED_BEST, run_dir / BEST, best["sha256"]):
        warnings.warn(
            f"{str(run_dir / BEST)!r} does not match the best epoch recorded in "
            f"{str(folder / RECORD)!r}; the next epoch rewrites it",
            stacklevel=3,
        )
        best = None
    history = record.get("history") or []
    _write_history(run_dir, history)
    return RunState(
        epoch,
        bool(record.get("finished")),
        folder,
        record.get("monitor", "loss"),
        best,
        history,
    )


def clear_run(run_dir: str | os.PathLike) -> None:
    """Delete what `fit` keeps in ``run_dir`` (`RUN_FILES`), to start over.

    Other files in the folder are left alone.

    Args:
        run_dir: The run folder.

    Example:
        >>> import tempfile
        >>> clear_run(tempfile.mkdtemp())  # nothing there: nothing to do
    """
    run_dir = Path(run_dir)
    for name in (HISTORY, BEST, _STAGED_BEST):
        (run_dir / name).unlink(missing_ok=True)
    for name in (BACKUP, FINAL, ".final.old"):
        shutil.rmtree(run_dir / name, ignore_errors=True)


def restore_weights(model: keras.Model, state: RunState) -> None:
    """Load a state's weights and optimizer state into ``model``.

    Args:
        model: The compiled model of the same architecture.
        state: From `read_run_state`.

    Raises:
        ValueError: One line naming the folder to delete, if the weights do
            not fit the model or cannot be read.

    Example:
        >>> restore_weights(model, read_run_state("run"))  # doctest: +SKIP
    """
    if not model.built:
        raise ValueError(
            "`model` must be built before it can resume from a run folder; "
            "build it (call it on a batch) or pass a factory that builds it"
        )
    if model.optimizer is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    try:
        model.load_weights(state.folder / WEIGHTS)
    except (OSError, ValueError, KeyError) as exc:
        problem = (
            f"its {WEIGHTS} does not fit this model or cannot be read "
            f"({type(exc).__name__}: {' '.join(str(exc).split())[:150]})"
        )
        raise _bad_state(state.folder, problem) from None


def _as_float(text: Any) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return math.nan
    return value if math.isfinite(value) else math.nan


def seed_early_stopping(
    stopper: keras.callbacks.EarlyStopping, model: keras.Model, state: RunState
) -> None:
    """Give a resumed run's early stopping its memory of the best epoch.

    ``EarlyStopping`` starts every ``fit`` afresh; a resumed run should stop
    and restore exactly as the uninterrupted one would. Seeds ``best``,
    ``best_epoch``, ``wait`` and (with ``restore_best_weights``) the best
    weights: the model's own when the last committed epoch was the best, else
    those of ``best.keras`` (loaded in safe mode).

    Args:
        stopper: The callback, after its ``on_train_begin``.
        model: The model being trained (already restored).
        state: From `read_run_state`.

    Example:
        >>> seed_early_stopping(stopper, model, state)  # doctest: +SKIP
    """
    from rnn_zoo.models.serialization import load_model

    rows = [row for row in state.history if int(row["epoch"]) < state.epoch]
    values = [_as_float(row.get(stopper.monitor)) for row in rows]
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return
    best = min(finite)
    best_epoch = int(rows[values.index(best)]["epoch"])
    if stopper.restore_best_weights:
        if best_epoch == state.epoch - 1:
            stopper.best_weights = model.get_weights()
        else:
            try:
                weights = load_model(state.folder.parent / BEST, compile=False)
                weights = weights.get_weights()
                if len(weights) != len(model.weights):
                    raise ValueError("its weights do not match the model")
            except Exception as error:  # any failure means "no best weights"
                warnings.warn(
                    f"Could not read the best weights from "
                    f"{str(state.folder.parent / BEST)!r} ({error!r}); early "
                    "stopping will restore the best weights seen since the resume.",
                    stacklevel=2,
                )
                return
            stopper.best_weights = weights
    stopper.best = best
    stopper.best_epoch = best_epoch
    stopper.wait = state.epoch - 1 - best_epoch


class RunCheckpoint(keras.callbacks.Callback):
    """Commit each epoch to a run folder (see the module docstring).

    Replaces ``BackupAndRestore``, ``ModelCheckpoint(save_best_only=True)`` and
    ``CSVLogger`` with one writer whose files are always consistent. It must be
    the last callback, so an epoch is committed only after every other callback
    handled it. Restoring is done by `rnn_zoo.fit` before training starts.

    Args:
        run_dir: The run folder (created).
        monitor: The quantity for ``best.keras`` (lower is better).
        state: The state being resumed or continued, or None for a new run.
        early_stopping: The run's ``EarlyStopping``, seeded (`seed_early_stopping`)
            when an interrupted run resumes; None when there is none.

    Example:
        >>> RunCheckpoint("run", "loss")  # doctest: +SKIP
    """

    def __init__(
        self,
        run_dir: str | os.PathLike,
        monitor: str,
        state: RunState | None = None,
        early_stopping: keras.callbacks.EarlyStopping | None = None,
    ):
        super().__init__()
        self.run_dir = Path(run_dir)
        self.monitor = monitor
        self.backup = self.run_dir / BACKUP
        self.state = state
        self.early_stopping = early_stopping
        self.epoch = 0 if state is None else state.epoch
        self.history = [] if state is None else list(state.history)
        self.best = None if state is None else state.best

    def on_train_begin(self, logs: dict | None = None) -> None:
        # after EarlyStopping's own on_train_begin, which forgets everything
        resuming = self.state is not None and not self.state.finished
        if resuming and self.early_stopping is not None:
            seed_early_stopping(self.early_stopping, self.model, self.state)

    def _best_value(self) -> float:
        return math.inf if self.best is None else float(self.best["value"])

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        value = _as_float(logs.get(self.monitor))
        best = self.best
        if not math.isnan(value) and value < self._best_value():
            staged = self.run_dir / _STAGED_BEST
            self.model.save(staged, overwrite=True)
            _faults.reached(f"write:{BEST}", staged)
            best = {"epoch": epoch, "value": value, "sha256": sha256_file(staged)}
        row = {"epoch": str(epoch)}
        row.update({k: repr(float(v)) for k, v in sorted(logs.items())})
        history = [r for r in self.history if int(r["epoch"]) < epoch] + [row]
        self._commit(epoch + 1, best, history, finished=False)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._commit(self.epoch, self.best, self.history, finished=True)
        final, old = self.run_dir / FINAL, self.run_dir / ".final.old"
        if final.exists():
            os.replace(final, old)
        _faults.reached("run:final_moved_aside")
        os.replace(self.backup, final)
        _faults.reached("run:final_renamed")
        shutil.rmtree(old, ignore_errors=True)

    def _commit(
        self, epoch: int, best: dict | None, history: list, finished: bool
    ) -> None:
        self.backup.mkdir(parents=True, exist_ok=True)
        staged = self.backup / _STAGED_WEIGHTS
        self.model.save_weights(staged, overwrite=True)
        with open(staged, "rb+") as f:
            os.fsync(f.fileno())
        _faults.reached(f"write:{WEIGHTS}", staged)
        record = {
            "format": _FORMAT,
            "version": 1,
            "epoch": epoch,
            "batch": 0,
            "finished": finished,
            "monitor": self.monitor,
            "weights": {"sha256": sha256_file(staged)},
            "best": best,
            "history": history,
        }
        write_text(self.backup / RECORD, json.dumps(record, indent=1) + "\n")
        _faults.reached("run:committed")
        self.epoch, self.best, self.history = epoch, best, history
        _promote(staged, self.backup / WEIGHTS, record["weights"]["sha256"])
        _faults.reached("run:weights_promoted")
        if best is not None:
            _promote(self.run_dir / _STAGED_BEST, self.run_dir / BEST, best["sha256"])
            _faults.reached("run:best_promoted")
        _write_history(self.run_dir, history)
