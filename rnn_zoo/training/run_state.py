"""A training run folder that survives a crash or a kill at any moment.

`rnn_zoo.fit(run_dir=...)` keeps its state here (the callback
`rnn_zoo.training.callbacks.RunCheckpoint` writes it through `commit_epoch` and
`finish_run`; `read_run_state` reads it). This module does not import
TensorFlow, so the command line can inspect a run folder at once::

    run_dir/
      backup/                   while a run is in progress (deleted at its end)
        latest.weights.h5       weights + optimizer state of the last committed epoch
        training_metadata.json  the commit record: epoch, SHA-256 of the weights
                                and of best.keras, every history row so far
      final/                    the same two files after a normal end
      best.keras                the model of the best epoch (monitor, lower is better)
      history.csv               one row per committed epoch
      logs/                     TensorBoard logs (train/ and validation/ event files)

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

from rnn_zoo import _faults
from rnn_zoo._atomic import sha256_file, write_text

__all__ = [
    "RUN_FILES",
    "RunState",
    "as_float",
    "bad_state",
    "clear_run",
    "commit_epoch",
    "finish_run",
    "read_run_state",
    "stage_best",
]

BACKUP, FINAL = "backup", "final"
BEST, HISTORY, LOGS = "best.keras", "history.csv", "logs"
WEIGHTS, RECORD = "latest.weights.h5", "training_metadata.json"
#: Everything `fit` keeps in a run folder.
RUN_FILES = (BACKUP, FINAL, BEST, HISTORY, LOGS)
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


def bad_state(folder: Path, problem: str) -> ValueError:
    """The one-line error for a state folder that cannot be resumed.

    Args:
        folder: The ``backup/`` or ``final/`` folder.
        problem: What is wrong with it.

    Returns:
        The ``ValueError`` to raise (it names the folder to delete).

    Example:
        >>> str(bad_state(Path("run/backup"), "it is empty"))[:45]
        "The run folder 'run' cannot be resumed: it is"
    """
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
            state = _read(run_dir, folder)
            if state.finished and name == BACKUP:  # killed before the last rename
                finish_run(run_dir)
                state.folder = run_dir / FINAL
            return state
    return None


def _read(run_dir: Path, folder: Path) -> RunState:
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        epoch = int(record["epoch"])
    except FileNotFoundError:
        raise bad_state(folder, f"{RECORD} is missing") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problem = f"{RECORD} is unreadable ({type(exc).__name__})"
        raise bad_state(folder, problem) from None
    if record.get("format") != _FORMAT:  # a backup written by Keras' own callback
        if not (folder / WEIGHTS).is_file():
            raise bad_state(folder, f"{WEIGHTS} is missing")
        return RunState(epoch, False, folder, "loss")
    weights = record["weights"]
    if not _promote(folder / _STAGED_WEIGHTS, folder / WEIGHTS, weights["sha256"]):
        raise bad_state(
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
    for name in (BACKUP, FINAL, LOGS, ".final.old"):
        shutil.rmtree(run_dir / name, ignore_errors=True)


def as_float(text: Any) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return math.nan
    return value if math.isfinite(value) else math.nan


def stage_best(
    run_dir: str | os.PathLike, epoch: int, value: float, save: Any
) -> dict[str, Any]:
    """Write a new best model under its staging name; `commit_epoch` promotes it.

    Args:
        run_dir: The run folder.
        epoch: The 0-based epoch of the model.
        value: Its monitored value.
        save: ``save(path)`` writes the ``.keras`` file (``model.save``).

    Returns:
        The ``best`` entry for `commit_epoch`.

    Example:
        >>> stage_best("run", 3, 0.25, model.save)  # doctest: +SKIP
    """
    staged = Path(run_dir) / _STAGED_BEST
    save(staged)
    _faults.reached(f"write:{BEST}", staged)
    return {"epoch": epoch, "value": value, "sha256": sha256_file(staged)}


def commit_epoch(
    run_dir: str | os.PathLike,
    *,
    epoch: int,
    monitor: str,
    history: list[dict[str, str]],
    best: dict[str, Any] | None,
    save_weights: Any,
    finished: bool = False,
) -> None:
    """Commit ``epoch`` completed epochs to ``run_dir`` (see the module docstring).

    Args:
        run_dir: The run folder.
        epoch: Epochs completed (the record's ``epoch``).
        monitor: The monitored quantity.
        history: Every history row so far.
        best: The best model's entry (from `stage_best` when new), or None.
        save_weights: ``save_weights(path)`` writes weights and optimizer
            state (``model.save_weights``).
        finished: True for the record of a run that ended normally.

    Raises:
        OSError: If the folder is not writable.

    Example:
        >>> commit_epoch("run", epoch=1, monitor="loss", history=[], best=None,
        ...              save_weights=model.save_weights)  # doctest: +SKIP
    """
    run_dir = Path(run_dir)
    backup = run_dir / BACKUP
    backup.mkdir(parents=True, exist_ok=True)
    staged = backup / _STAGED_WEIGHTS
    save_weights(staged)
    with open(staged, "rb+") as f:
        os.fsync(f.fileno())
    _faults.reached(f"write:{WEIGHTS}", staged)
    record = {
        "format": _FORMAT,
        "version": 1,
        "epoch": epoch,
        "batch": 0,
        "finished": finished,
        "monitor": monitor,
        "weights": {"sha256": sha256_file(staged)},
        "best": best,
        "history": history,
    }
    write_text(backup / RECORD, json.dumps(record, indent=1) + "\n")
    _faults.reached("run:committed")
    _promote(staged, backup / WEIGHTS, record["weights"]["sha256"])
    _faults.reached("run:weights_promoted")
    if best is not None:
        _promote(run_dir / _STAGED_BEST, run_dir / BEST, best["sha256"])
        _faults.reached("run:best_promoted")
    _write_history(run_dir, history)


def finish_run(run_dir: str | os.PathLike) -> None:
    """Move a finished run's ``backup/`` (committed with ``finished``) to ``final/``.

    Args:
        run_dir: The run folder.

    Example:
        >>> finish_run("run")  # doctest: +SKIP
    """
    run_dir = Path(run_dir)
    final, old = run_dir / FINAL, run_dir / ".final.old"
    if final.exists():
        os.replace(final, old)
    _faults.reached("run:final_moved_aside")
    os.replace(run_dir / BACKUP, final)
    _faults.reached("run:final_renamed")
    shutil.rmtree(old, ignore_errors=True)
