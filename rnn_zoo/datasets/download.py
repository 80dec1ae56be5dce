"""Find, download, checksum and cache the data files that do not ship with Python.

Every downloadable file has an entry in ``DATASETS`` (mirrored in the repository's
``datasets/manifest.json``). ``fetch(name)`` looks for the file, in this order:

1. an explicit ``path`` argument (the file must exist);
2. ``$RNN_ZOO_DATA_DIR/<filename>``, when that environment variable is set;
3. the cache folder: ``data_dir`` if given, else ``default_cache_dir()`` (the
   ``datasets/`` folder of a source checkout, or ``~/.cache/rnn_zoo``);
4. a download from the canonical URL into the cache folder (timeout, retried once
   on transient errors only — network down, timeouts, HTTP 5xx/408/429, a
   truncated transfer — never on HTTP 404/403 or a local permission error; written
   atomically so an interrupted download never leaves a partial file).

Every file found or downloaded is checked against its sha256. Nothing is fetched at
import time.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rnn_zoo._validation import check_one_of, check_type, error_message

__all__ = [
    "DATASETS",
    "DatasetInfo",
    "DatasetUnavailableError",
    "ChecksumError",
    "DATA_DIR_ENV",
    "default_cache_dir",
    "sha256_of",
    "fetch",
]

#: Environment variable naming a folder of hand-supplied data files.
DATA_DIR_ENV = "RNN_ZOO_DATA_DIR"

_TIMEOUT_S = 30.0
_RETRY_DELAY_S = 2.0
_CHUNK_BYTES = 1 << 16
# rnn_zoo/datasets/download.py -> the folder that holds the `rnn_zoo` package.
_PACKAGE_PARENT = Path(__file__).resolve().parents[2]
# HTTP statuses worth one more try: timeout, rate limit and server errors (5xx).
_TRANSIENT_HTTP = frozenset({408, 425, 429})


@dataclass(frozen=True)
class DatasetInfo:
    """One downloadable file: where it comes from and what it must hash to.

    Args:
        name: Short key used by ``fetch`` (e.g. ``"tinyshakespeare"``).
        filename: File name on disk, in ``$RNN_ZOO_DATA_DIR`` and in the cache.
        url: Canonical download address.
        sha256: Expected sha256 of the file, as 64 lowercase hex digits.
        size: Expected size in bytes.
        licence: Licence of the content.
        source: Where the content comes from, in words.

    Example:
        >>> info = DATASETS["tinyshakespeare"]
        >>> info.filename, info.size
        ('tinyshakespeare.txt', 1115394)
    """

    name: str
    filename: str
    url: str
    sha256: str
    size: int
    licence: str
    source: str


DATASETS: dict[str, DatasetInfo] = {
    "tinyshakespeare": DatasetInfo(
        name="tinyshakespeare",
        filename="tinyshakespeare.txt",
        url=(
            "https://raw.githubusercontent.com/karpathy/char-rnn/master/"
            "data/tinyshakespeare/input.txt"
        ),
        sha256="86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
        size=1_115_394,
        licence=(
            "Public domain (works of William Shakespeare); distributed in "
            "the MIT-licensed char-rnn repository"
        ),
        source=(
            "Tiny Shakespeare, about 40,000 lines of Shakespeare's plays, as "
            "collected by Andrej Karpathy for char-rnn"
        ),
    ),
}


class DatasetUnavailableError(OSError):
    """The file is neither on disk nor downloadable; the message says how to supply it.

    Raised by ``fetch`` and the loaders built on it when no local copy exists and
    the download failed (twice for a transient error, once for HTTP 4xx or a
    local permission error; the message says which) or ``download=False``. A
    subclass of ``OSError``, so ``except OSError`` also catches it.

    Example:
        >>> issubclass(DatasetUnavailableError, OSError)
        True
    """


class ChecksumError(ValueError):
    """A file on disk or a download does not have the expected sha256.

    The message names the file and gives the expected and actual sha256. A
    subclass of ``ValueError``: the data given is wrong, not missing.

    Example:
        >>> issubclass(ChecksumError, ValueError)
        True
    """


def default_cache_dir() -> Path:
    """Return the folder where downloads are cached by default.

    When ``rnn_zoo`` is imported from a source checkout (a folder with
    ``pyproject.toml`` and ``datasets/manifest.json`` beside the package), that
    checkout's ``datasets/`` folder (git-ignored); otherwise ``~/.cache/rnn_zoo``.
    Pass ``data_dir=`` to the loaders to use another folder.

    Returns:
        The cache folder (it may not exist yet).

    Example:
        >>> default_cache_dir().name in ("datasets", "rnn_zoo")
        True
    """
    checkout = _PACKAGE_PARENT
    if (checkout / "pyproject.toml").is_file() and (
        checkout / "datasets" / "manifest.json"
    ).is_file():
        return checkout / "datasets"
    return Path.home() / ".cache" / "rnn_zoo"


def sha256_of(path: str | os.PathLike) -> str:
    """Return the sha256 of a file as 64 lowercase hex digits.

    Args:
        path: The file to hash (read in chunks, so any size works).

    Returns:
        The hex digest.

    Example:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     file = pathlib.Path(tmp) / "abc.txt"
        ...     _ = file.write_bytes(b"abc")
        ...     sha256_of(file)[:16]
        'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manual_instructions(info: DatasetInfo) -> str:
    return (
        f"To supply the file by hand, download {info.url} "
        f"({info.size:,} bytes, sha256 {info.sha256}) and either set the "
        f"environment variable {DATA_DIR_ENV} to a folder containing "
        f"'{info.filename}', or pass path='/path/to/{info.filename}'"
    )


def _verified(path: Path, info: DatasetInfo, where: str) -> Path:
    actual = sha256_of(path)
    if actual != info.sha256:
        raise ChecksumError(
            f"The {where} file '{path}' is not the expected '{info.filename}': its "
            f"sha256 is {actual}, expected {info.sha256} ({info.size:,} bytes). "
            "Replace or delete it (a deleted cached file is downloaded again). "
            + _manual_instructions(info)
        )
    return path


def _env_data_dir() -> Path | None:
    value = os.environ.get(DATA_DIR_ENV)
    if value is None or value == "":
        return None
    folder = Path(value).expanduser()
    if not folder.is_dir():
        raise ValueError(
            error_message(
                DATA_DIR_ENV,
                "an existing directory",
                Path(value),
                f"Create it, point it at the folder holding the data files, or "
                f"unset it (`unset {DATA_DIR_ENV}`)",
            )
        )
    return folder


def _check_optional_path(value: object, name: str) -> Path | None:
    if value is None:
        return None
    check_type(value, name, (str, os.PathLike), "a path (str or os.PathLike) or None")
    return Path(value).expanduser()


def _is_transient(error: BaseException) -> bool:
    """Whether another try may succeed: network down, timeouts, resets, HTTP 5xx,
    408/429, a truncated transfer. HTTP 4xx and local file errors are permanent."""
    if isinstance(error, urllib.error.HTTPError):
        return error.code >= 500 or error.code in _TRANSIENT_HTTP
    if isinstance(error, urllib.error.URLError):
        return True  # DNS failure, refused or reset connection, timeout
    if isinstance(error, (PermissionError, FileNotFoundError, IsADirectoryError)):
        return False  # the cache folder, not the network
    return isinstance(error, (OSError, http.client.HTTPException))


def _what_failed(error: BaseException, info: DatasetInfo, folder: Path) -> str:
    """One sentence on what actually went wrong, for the final message."""
    if isinstance(error, urllib.error.HTTPError):
        return (
            f"The server answered HTTP {error.code} ({error.reason}) for {info.url}; "
            "the file may have moved, or access is refused"
        )
    if isinstance(error, (PermissionError, FileNotFoundError, IsADirectoryError)):
        return (
            f"Could not write into the cache folder '{folder}' ({error}); pass a "
            "writable `data_dir`"
        )
    return (
        f"Could not download '{info.filename}' from {info.url} (tried twice; last "
        f"error: {error}). If this machine is offline, supply the file by hand"
    )


def _download(info: DatasetInfo, folder: Path) -> Path:
    """Download ``info.url`` into ``folder`` atomically; retry once if transient."""
    print(f"Downloading {info.filename} ({info.size:,} bytes) from {info.url}")
    for attempt in (1, 2):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return _download_once(info, folder / info.filename)
        except ChecksumError:
            raise
        except (OSError, http.client.HTTPException) as err:
            if attempt == 1 and _is_transient(err):
                print(f"Download failed ({err}); retrying once.")
                time.sleep(_RETRY_DELAY_S)
                continue
            raise DatasetUnavailableError(
                _what_failed(err, info, folder) + ". " + _manual_instructions(info)
            ) from err
    raise AssertionError("unreachable")  # pragma: no cover


def _download_once(info: DatasetInfo, target: Path) -> Path:
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{info.filename}.", suffix=".part", dir=target.parent
    )
    temp = Path(temp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out:
            with urllib.request.urlopen(info.url, timeout=_TIMEOUT_S) as response:
                for chunk in iter(lambda: response.read(_CHUNK_BYTES), b""):
                    digest.update(chunk)
                    out.write(chunk)
        if digest.hexdigest() != info.sha256:
            raise ChecksumError(
                f"The download of '{info.filename}' from {info.url} has sha256 "
                f"{digest.hexdigest()}, expected {info.sha256}; it was discarded. "
                "The server returned something else (a proxy page, a changed "
                "file?). " + _manual_instructions(info)
            )
        os.replace(temp, target)
        return target
    finally:
        temp.unlink(missing_ok=True)


def fetch(
    name: str,
    *,
    path: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
) -> Path:
    """Return the local, checksum-verified path of a registered data file.

    Looks in ``path``, then ``$RNN_ZOO_DATA_DIR``, then the cache folder, and only
    then downloads (see the module docstring). Downloads are written atomically into
    the cache folder after their sha256 matched.

    Args:
        name: A key of ``DATASETS``, e.g. ``"tinyshakespeare"``.
        path: Explicit location of the file; it must exist. Default None.
        data_dir: Cache folder to look in and download into. Default None, which
            means ``default_cache_dir()``.
        download: Whether to download when the file is not found. Default True.

    Returns:
        A ``pathlib.Path`` to the verified file.

    Raises:
        ValueError: If ``name`` is unknown, ``path`` does not exist, or
            ``$RNN_ZOO_DATA_DIR`` is set to a folder that does not exist.
        TypeError: If ``path``/``data_dir`` are not paths or ``download`` not a bool.
        ChecksumError: (a ``ValueError``) if a found or downloaded file has the
            wrong sha256; the message names the file and both hashes.
        DatasetUnavailableError: (an ``OSError``) if the file is not on disk and
            could not be downloaded (or ``download=False``); the message gives the
            URL, the sha256 and how to supply the file by hand.

    Example:
        >>> sorted(DATASETS)
        ['tinyshakespeare']
        >>> fetch("tinyshakespeare").name  # doctest: +SKIP
        'tinyshakespeare.txt'
        >>> fetch("shakespeare")
        Traceback (most recent call last):
        ...
        ValueError: `name` must be one of 'tinyshakespeare'. Received: ...
    """
    check_one_of(name, "name", DATASETS)
    info = DATASETS[name]
    explicit = _check_optional_path(path, "path")
    cache = _check_optional_path(data_dir, "data_dir")
    check_type(download, "download", bool, "a bool")

    if explicit is not None:
        if not explicit.is_file():
            raise ValueError(
                error_message(
                    "path",
                    f"an existing file (a copy of '{info.filename}')",
                    Path(path),
                    "Pass path=None to look in $" + DATA_DIR_ENV + " and the cache",
                )
            )
        return _verified(explicit, info, "given")
    env_dir = _env_data_dir()
    if env_dir is not None and (env_dir / info.filename).is_file():
        return _verified(env_dir / info.filename, info, f"${DATA_DIR_ENV}")
    cache = cache if cache is not None else default_cache_dir()
    if (cache / info.filename).is_file():
        return _verified(cache / info.filename, info, "cached")
    if not download:
        looked = [f"'{cache}'"]
        if env_dir is not None:
            looked.insert(0, f"{DATA_DIR_ENV}='{env_dir}'")
        raise DatasetUnavailableError(
            f"'{info.filename}' was not found (looked in {' and '.join(looked)}) "
            "and download=False. " + _manual_instructions(info)
        )
    return _download(info, cache)
