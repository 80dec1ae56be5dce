"""The lifecycle of a training folder (``--out``), the same for ``lm`` and ``dates``.

A ``train`` command's ``--out`` folder holds its bundle, ``train_settings.json``
and the run folder ``run/`` of `rnn_zoo.fit`. Rerunning the command:

- new or empty folder: trains from scratch;
- an interrupted run (Ctrl-C, a crash, a kill): resumes from the last
  committed epoch (same options required; ``--minutes`` is a fresh budget);
- a finished run: refused in one line, unless ``--continue`` (train
  ``--epochs``/``--minutes`` more from the final weights and optimizer state,
  appending to ``run/history.csv``) or ``--overwrite`` (delete that run and its
  bundle, start over);
- a folder holding another kind of bundle, or files no ``train`` command
  wrote: refused in one line (exit code 2); ``--overwrite`` never deletes them.

`check_writable` runs before any training so a read-only ``--out`` fails at once.

With ``--strategy multiworker`` (`training_out`) every worker of the cluster in
``TF_CONFIG`` runs the same command; only the chief uses ``--out``, the other
workers a temporary folder deleted at the end (their results are the chief's).

Example:
    >>> import tempfile
    >>> plan_run(tempfile.mkdtemp(), LM_FOLDER, {"units": 8}).status
    'new'
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rnn_zoo._atomic import is_temporary

__all__ = [
    "RunFolderError",
    "writable_folder",
    "FolderKind",
    "LM_FOLDER",
    "DATES_FOLDER",
    "RunPlan",
    "check_writable",
    "plan_run",
    "write_settings",
    "SETTINGS_FILE",
    "RUN_DIR",
    "STRATEGIES",
    "training_out",
]


class RunFolderError(ValueError):
    """A training folder (``--out``) cannot be used as asked; the message says why.

    The command line prints it as one line and exits with code 2.

    Example:
        >>> raise RunFolderError("--out 'x' is a file; pass a folder")
        Traceback (most recent call last):
        ...
        rnn_zoo.tasks.run_folder.RunFolderError: --out 'x' is a file; pass a folder
    """


SETTINGS_FILE = "train_settings.json"
RUN_DIR = "run"
#: The ``--strategy`` choices of the ``train`` commands.
STRATEGIES = ("none", "multiworker")
_MANIFEST = "manifest.json"


@dataclass(frozen=True)
class FolderKind:
    """What one ``train`` command keeps in its ``--out`` folder.

    Attributes:
        command: ``"lm train"`` or ``"dates train"``.
        what: The bundle in words (``"language-model bundle"``).
        bundle_files: The bundle's files (without ``manifest.json``).
        marker: The file only this kind of bundle has.
        bundle_format: The format name in its ``manifest.json``.
    """

    command: str
    what: str
    bundle_files: tuple[str, ...]
    marker: str
    bundle_format: str


LM_FOLDER = FolderKind(
    "lm train",
    "language-model bundle",
    ("model.keras", "tokenizer.json", "config.json"),
    "tokenizer.json",
    "rnn_zoo.LMBundle",
)
DATES_FOLDER = FolderKind(
    "dates train",
    "date-translator bundle",
    (
        "model.keras",
        "source_tokenizer.json",
        "target_tokenizer.json",
        "translator.json",
    ),
    "translator.json",
    "rnn_zoo.Seq2SeqTranslator",
)
_KINDS = (LM_FOLDER, DATES_FOLDER)


@dataclass
class RunPlan:
    """What a ``train`` command does with its ``--out`` folder.

    Attributes:
        status: ``"new"`` (train from scratch), ``"resume"`` (an interrupted
            run), ``"continue"`` (a finished run, ``--continue``) or
            ``"resave"`` (training finished but the bundle save was cut short).
        folder: The ``--out`` folder.
        run_dir: Its ``run/`` folder, for `rnn_zoo.fit`.
        epochs_done: Epochs already committed (0 for a new run).
        state: The `rnn_zoo.training.run_state.RunState`, or None for a new run.
    """

    status: str
    folder: Path
    run_dir: Path
    epochs_done: int = 0
    state: Any = None


def check_writable(out: str | os.PathLike) -> Path:
    """Create ``out`` if needed and check that files can be written in it.

    Args:
        out: The ``--out`` folder.

    Returns:
        The folder as a ``Path``.

    Raises:
        RunFolderError: If ``out`` is a file, or cannot be created or written to.

    Example:
        >>> check_writable("/proc/no-such-folder")
        Traceback (most recent call last):
        ...
        rnn_zoo.tasks.run_folder.RunFolderError: --out '/proc/no-such-folder' cannot ...
    """
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise RunFolderError(f"--out {str(out)!r} is a file; pass a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RunFolderError(
            f"--out {str(out)!r} cannot be created ({reason}); pass a folder you "
            "can write to"
        ) from None
    return writable_folder(folder, "--out")


def _listing(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(sorted(names)[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _check_contents(folder: Path, kind: FolderKind) -> list[str]:
    """Refuse another kind of bundle or unrelated files; return what is there."""
    names = [p.name for p in folder.iterdir() if not is_temporary(p.name)]
    for other in _KINDS:
        if other is not kind and other.marker in names:
            raise RunFolderError(
                f"--out {str(folder)!r} holds a {other.what} ({other.marker}), not "
                f"a `{kind.command}` run; pass another folder"
            )
    own = {*kind.bundle_files, _MANIFEST, SETTINGS_FILE, RUN_DIR}
    foreign = [name for name in names if name not in own]
    if foreign:
        raise RunFolderError(
            f"--out {str(folder)!r} holds files that `{kind.command}` did not "
            f"write ({_listing(foreign)}); pass a new or empty folder"
        )
    return names


def _check_settings(folder: Path, settings: dict[str, Any]) -> None:
    path = folder / SETTINGS_FILE
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise RunFolderError(
            f"{str(path)!r} is unreadable; pass --overwrite to start over"
        ) from None
    changed = [
        f"--{key.replace('_', '-')} {saved.get(key)} (now {value})"
        for key, value in settings.items()
        if saved.get(key) != value
    ]
    if changed:
        raise RunFolderError(
            f"--out {str(folder)!r} holds a run trained with other settings: "
            + ", ".join(changed)
            + "; pass the same options, --overwrite to start over, or a new --out"
        )


def _bundle_ok(folder: Path, kind: FolderKind) -> bool:
    from rnn_zoo.tasks.manifest import verify_manifest

    if not all((folder / name).is_file() for name in kind.bundle_files):
        return False
    try:
        return verify_manifest(folder, kind.bundle_format) is not None
    except ValueError:
        return False


def _delete_run(folder: Path, kind: FolderKind) -> None:
    for name in (*kind.bundle_files, _MANIFEST, SETTINGS_FILE):
        (folder / name).unlink(missing_ok=True)
    shutil.rmtree(folder / RUN_DIR, ignore_errors=True)


def plan_run(
    out: str | os.PathLike,
    kind: FolderKind,
    settings: dict[str, Any],
    *,
    continue_run: bool = False,
    overwrite: bool = False,
) -> RunPlan:
    """Decide what a ``train`` command does with ``out`` (see the module doc).

    With ``overwrite`` a run of this kind is deleted here. Nothing else is
    written; the caller writes ``train_settings.json`` (`write_settings`).

    Args:
        out: The ``--out`` folder (existing or not).
        kind: `LM_FOLDER` or `DATES_FOLDER`.
        settings: The options that must match to resume or continue.
        continue_run: ``--continue`` was given.
        overwrite: ``--overwrite`` was given.

    Returns:
        A `RunPlan`.

    Raises:
        RunFolderError: For a file, another kind of bundle, unrelated files, other
            settings, a finished run without ``--continue``/``--overwrite``, a
            run folder that cannot be resumed, or a torn bundle.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "notes.txt").write_text("mine")
        >>> plan_run(folder, LM_FOLDER, {})
        Traceback (most recent call last):
        ...
        rnn_zoo.tasks.run_folder.RunFolderError: --out ... holds files that ...
    """
    from rnn_zoo.training.run_state import read_run_state

    folder = Path(out)
    plan = RunPlan("new", folder, folder / RUN_DIR)
    if folder.exists() and not folder.is_dir():
        raise RunFolderError(f"--out {str(out)!r} is a file; pass a folder")
    if not folder.is_dir() or not _check_contents(folder, kind):
        return plan
    if overwrite:
        _delete_run(folder, kind)
        return plan
    if (folder / SETTINGS_FILE).is_file():
        _check_settings(folder, settings)
    try:
        state = read_run_state(plan.run_dir)
    except ValueError as exc:
        raise RunFolderError(
            " ".join(str(exc).split()) + ", or pass --overwrite"
        ) from None
    bundle = any((folder / name).exists() for name in kind.bundle_files)
    if state is None:
        if not bundle:
            return plan
        raise RunFolderError(
            f"--out {str(folder)!r} holds a {kind.what} but no run to resume or "
            "continue; pass --overwrite to train a new one there, or a new --out"
        )
    plan.state, plan.epochs_done = state, state.epoch
    if not state.finished:
        plan.status = "resume"
    elif not _bundle_ok(folder, kind):
        plan.status = "resave"
    elif continue_run:
        plan.status = "continue"
    else:
        raise RunFolderError(
            f"--out {str(folder)!r} holds a finished run ({state.epoch} epochs); "
            "pass --continue to train it further from its final weights, "
            "--overwrite to start over, or a new --out"
        )
    return plan


def write_settings(folder: Path, settings: dict[str, Any]) -> None:
    """Write ``train_settings.json`` atomically (the options of the run).

    Args:
        folder: The ``--out`` folder (must exist).
        settings: JSON-serialisable options.

    Example:
        >>> import tempfile, pathlib
        >>> write_settings(pathlib.Path(tempfile.mkdtemp()), {"units": 8})
    """
    from rnn_zoo._atomic import write_text

    write_text(folder / SETTINGS_FILE, json.dumps(settings, indent=1) + "\n")


def writable_folder(path: str | os.PathLike, flag: str) -> Path:
    """Check that files can be created in the folder ``path``; return it.

    Creates and deletes one empty temporary file there, so a read-only folder,
    a read-only file system or a missing permission is found now, not after a
    long run that writes its result at the end.

    Args:
        path: The folder.
        flag: The option that named it, for the message (``"--plot"``).

    Returns:
        The folder as a ``Path``.

    Raises:
        RunFolderError: If it does not exist, is not a folder, or is not writable.

    Example:
        >>> writable_folder("/no/such/folder", "--plot")
        Traceback (most recent call last):
        ...
        rnn_zoo.tasks.run_folder.RunFolderError: the folder of --plot '/no/such/...
    """
    folder = Path(path)
    if not folder.exists():
        raise RunFolderError(f"the folder of {flag} {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise RunFolderError(f"the folder of {flag} {str(folder)!r} is not a folder")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".rnn_zoo_probe_"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RunFolderError(
            f"cannot write into the folder of {flag} {str(folder)!r} ({reason}); "
            "pick a writable folder"
        ) from None
    return folder


@contextlib.contextmanager
def training_out(
    out: str | os.PathLike, strategy: str = "none"
) -> Iterator[tuple[Path, Any]]:
    """The ``--out`` folder this process writes, and its ``tf.distribute`` strategy.

    ``"none"``: ``(out, None)``. ``"multiworker"``: imports TensorFlow (quietly)
    and creates `rnn_zoo.training.multiworker.multiworker_strategy` at once,
    before TensorFlow's first operation; it reads ``TF_CONFIG`` and waits for
    every worker. The chief gets ``out``; every other worker a temporary folder,
    deleted on exit, so its bundle and run folder are never read and ``out``
    may be a folder all workers share.

    Args:
        out: The ``--out`` folder.
        strategy: One of `STRATEGIES`.

    Yields:
        ``(folder, strategy)``: a ``Path`` and a ``tf.distribute.Strategy`` or
        None.

    Raises:
        RunFolderError: If ``strategy`` is not one of `STRATEGIES`, or
            ``TF_CONFIG`` is not a valid cluster description.

    Example:
        >>> with training_out("my_lm") as (folder, strategy):
        ...     str(folder), strategy
        ('my_lm', None)
    """
    if strategy not in STRATEGIES:
        raise RunFolderError(
            f"--strategy must be one of {', '.join(STRATEGIES)}; got {strategy!r}"
        )
    if strategy == "none":
        yield Path(out), None
        return
    from rnn_zoo._quiet import quiet_import_tensorflow

    quiet_import_tensorflow()
    from rnn_zoo.training.multiworker import multiworker_strategy, worker_folder

    try:
        distributed = multiworker_strategy()
    except ValueError as exc:  # a bad TF_CONFIG
        raise RunFolderError(" ".join(str(exc).split())) from None
    with worker_folder(out, distributed) as folder:
        yield Path(folder), distributed
