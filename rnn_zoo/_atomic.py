"""Atomic file writes: a file is either the old one or the new one, never torn.

`atomic_path` yields a temporary name in the destination's folder; the caller
writes the whole file there (any writer: ``model.save``, ``json.dump``, h5py),
then the file is flushed to disk and renamed over the destination with
``os.replace`` (atomic on POSIX and Windows within one file system). A crash or a
kill at any moment leaves the destination as it was, plus at most a temporary
file whose name starts with ``.`` and contains ``.tmp-`` (`is_temporary`), which
the next save of that file removes.

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_text(folder / "a.json", '{"x": 1}\\n')
    >>> (folder / "a.json").read_text()
    '{"x": 1}\\n'
    >>> sha256_file(folder / "a.json")[:12]
    '936353965b4b'
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from rnn_zoo import _faults

__all__ = ["atomic_path", "write_text", "sha256_file", "is_temporary"]

_MARK = ".tmp-"


def is_temporary(name: str) -> bool:
    """Whether ``name`` is a temporary file left by an interrupted `atomic_path`.

    Args:
        name: A file name (no folder).

    Returns:
        True for names like ``.model.keras.tmp-1a2b3c.keras``.

    Example:
        >>> is_temporary(".model.keras.tmp-1a2b3c.keras"), is_temporary("model.keras")
        (True, False)
    """
    return name.startswith(".") and _MARK in name


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale(path: Path) -> None:
    prefix = f".{path.name}{_MARK}"
    for stale in path.parent.glob(f"{prefix}*"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it onto ``path``.

    The temporary name keeps ``path``'s suffix (Keras recognises ``.keras`` and
    ``.weights.h5`` by their ending). After the ``with`` block the file is
    fsynced, the fault point ``"write:<name>"`` is reached, and it replaces
    ``path``. If the block raises, the temporary file is removed and ``path``
    is left as it was.

    Args:
        path: The destination file. Its folder must exist.

    Yields:
        The temporary ``Path`` to write.

    Raises:
        OSError: If the folder is not writable (raised by the writer).

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
        >>> with atomic_path(target) as temp:
        ...     _ = temp.write_text("whole")
        >>> target.read_text()
        'whole'
    """
    path = Path(path)
    _remove_stale(path)
    suffix = "".join(path.suffixes[-2:]) if path.name.endswith(".weights.h5") else ""
    suffix = suffix or path.suffix
    temp = path.with_name(f".{path.name}{_MARK}{uuid.uuid4().hex[:8]}{suffix}")
    try:
        yield temp
        with open(temp, "rb+") as f:
            os.fsync(f.fileno())
        _faults.reached(f"write:{path.name}", temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically.

    Args:
        path: The destination file.
        text: Its whole new content.

    Raises:
        OSError: If the folder is not writable.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "n.txt"
        >>> write_text(target, "1\\n"); target.read_text()
        '1\\n'
    """
    with atomic_path(path) as temp:
        temp.write_text(text, encoding="utf-8")


def sha256_file(path: str | os.PathLike) -> str:
    """The hex SHA-256 of a file's bytes.

    Args:
        path: The file.

    Returns:
        64 hexadecimal characters.

    Raises:
        OSError: If the file cannot be read.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "e"
        >>> _ = target.write_bytes(b"")
        >>> sha256_file(target)[:16]
        'e3b0c44298fc1c14'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
