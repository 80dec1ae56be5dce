"""Text corpora for character-level language models.

``load_shakespeare`` returns Tiny Shakespeare (downloaded once, checksummed and
cached; see ``rnn_zoo.datasets.download``). ``load_python_docs`` returns an
OFFLINE FALLBACK corpus that every Python installation has: the help topics of the
Python language reference. It is plain technical English, not Shakespeare, and it
says so in its first line.
"""

from __future__ import annotations

import os
import sys
import warnings

from rnn_zoo._validation import check_one_of, check_type
from rnn_zoo.datasets.download import DatasetUnavailableError, fetch

__all__ = ["TEXT_CORPORA", "load_shakespeare", "load_python_docs", "load_text_corpus"]

#: Names accepted by ``load_text_corpus``.
TEXT_CORPORA = ("shakespeare", "python-docs")

_FALLBACK_HEADER = (
    "rnn_zoo OFFLINE FALLBACK corpus (NOT Shakespeare): the help topics of the "
    "Python {version} language reference, from pydoc_data.topics.\n\n"
)


def load_python_docs() -> str:
    """Return the offline fallback corpus: Python's own language-reference help text.

    The text is every entry of the standard library's ``pydoc_data.topics.topics``
    (what ``help("if")`` shows), joined by blank lines in sorted topic order, after
    a one-line header that names the corpus. It needs no file and no network, is
    deterministic for a given Python version (about 465,000 characters on Python
    3.11, mostly ASCII) and is clearly not Shakespeare: use it when Tiny
    Shakespeare cannot be had, and say so when reporting results.

    Returns:
        The corpus as one string.

    Example:
        >>> text = load_python_docs()
        >>> text.startswith("rnn_zoo OFFLINE FALLBACK corpus (NOT Shakespeare)")
        True
        >>> len(text) > 300_000
        True
    """
    from pydoc_data.topics import topics

    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    body = "\n\n".join(topics[key] for key in sorted(topics))
    return _FALLBACK_HEADER.format(version=version) + body


def load_shakespeare(
    path: str | os.PathLike | None = None,
    *,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    fallback: bool = False,
) -> str:
    """Return the Tiny Shakespeare corpus (1,115,394 ASCII characters).

    The file is looked for in ``path``, then ``$RNN_ZOO_DATA_DIR/tinyshakespeare.txt``,
    then the cache folder (``data_dir``, by default the checkout's ``datasets/`` or
    ``~/.cache/rnn_zoo``), and only then downloaded from
    https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt
    (timeout, one retry). Whatever is found is checked against the sha256
    ``86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed``; to train on
    a text of your own, read it yourself with ``pathlib.Path(p).read_text()``.

    The conventional split is contiguous: the first 90% of characters for training,
    the last 10% for validation.

    Args:
        path: Explicit location of ``tinyshakespeare.txt``; it must exist. Default
            None.
        data_dir: Cache folder to look in and download into. Default None (the
            default cache folder).
        download: Whether to download when no local copy is found. Default True.
        fallback: If True and Shakespeare is unavailable (no local copy and no
            download), warn and return ``load_python_docs()`` instead. A corrupt
            local copy still raises. Default False.

    Returns:
        The whole text, newlines included.

    Raises:
        ValueError: If ``path`` does not exist or ``$RNN_ZOO_DATA_DIR`` names a
            missing folder.
        TypeError: If an argument has the wrong type.
        ChecksumError: (a ``ValueError``) if a local copy or the download is
            corrupt; the message names the file and the expected/actual sha256.
        DatasetUnavailableError: (an ``OSError``) if the file cannot be found or
            downloaded and ``fallback=False``; the message says how to supply it
            by hand (``RNN_ZOO_DATA_DIR`` or ``path=``).

    Example:
        >>> text = load_shakespeare()  # doctest: +SKIP
        >>> len(text), text[:14]  # doctest: +SKIP
        (1115394, 'First Citizen:')
    """
    check_type(fallback, "fallback", bool, "a bool")
    try:
        file = fetch("tinyshakespeare", path=path, data_dir=data_dir, download=download)
    except DatasetUnavailableError as err:
        if not fallback:
            raise
        warnings.warn(
            "Tiny Shakespeare is unavailable, so load_shakespeare(fallback=True) "
            "returns the OFFLINE FALLBACK corpus instead: the Python language-"
            "reference help topics (load_python_docs()), which is NOT Shakespeare. "
            f"Reason: {err}",
            UserWarning,
            stacklevel=2,
        )
        return load_python_docs()
    return file.read_bytes().decode("utf-8")


def load_text_corpus(
    name: str = "shakespeare",
    *,
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
) -> str:
    """Return a text corpus by name, for notebooks whose corpus is a parameter.

    Args:
        name: One of ``TEXT_CORPORA``: ``"shakespeare"`` (``load_shakespeare``) or
            ``"python-docs"`` (``load_python_docs``, the offline fallback). Default
            ``"shakespeare"``.
        data_dir: Passed to ``load_shakespeare``. Default None.
        download: Passed to ``load_shakespeare``. Default True.

    Returns:
        The corpus as one string.

    Raises:
        ValueError: If ``name`` is not one of ``TEXT_CORPORA``; otherwise whatever
            the chosen loader raises.

    Example:
        >>> load_text_corpus("python-docs")[:24]
        'rnn_zoo OFFLINE FALLBACK'
        >>> load_text_corpus("poems")
        Traceback (most recent call last):
        ...
        ValueError: `name` must be one of 'shakespeare', 'python-docs'. Received: ...
    """
    check_one_of(name, "name", TEXT_CORPORA)
    if name == "python-docs":
        return load_python_docs()
    return load_shakespeare(data_dir=data_dir, download=download)
