"""A language-model bundle: one folder with the model, its tokenizer and its config.

::

    bundle/
      model.keras      the trained model (loaded with safe_mode=True)
      tokenizer.json   the CharTokenizer (`CharTokenizer.save`)
      config.json      {"format": "rnn_zoo.LMBundle", "version": 1,
                        "config": {...how it was trained, its scores...}}
      manifest.json    sizes and SHA-256 of the three files, the epoch and the
                       validation bits/char (`rnn_zoo.tasks.manifest`)

`save_lm_bundle` writes each file atomically (a temporary name, then a rename)
and ``manifest.json`` last, then verifies the files against it; a save cut
short by a crash or a kill leaves files that disagree with the manifest, which
`load_lm_bundle` reports in one line instead of loading a mismatched bundle.
`load_lm_bundle` reads it back in any process
(through `rnn_zoo.models.load_model`, Keras' safe mode, no custom objects), so
``generate_text`` with the same seed gives the same text as before saving.

Example:
    >>> import tempfile
    >>> from rnn_zoo.models import build_char_lm, generate_text
    >>> from rnn_zoo.preprocessing import CharTokenizer
    >>> tok = CharTokenizer().fit("to be or not to be")
    >>> model = build_char_lm(tok.vocab_size, units=4)
    >>> folder = save_lm_bundle(tempfile.mkdtemp(), model, tok, {"units": 4})
    >>> bundle = load_lm_bundle(folder)
    >>> bundle.config["units"], bundle.tokenizer.vocab_size
    (4, 9)
    >>> (generate_text(bundle.model, bundle.tokenizer, "to", 10, seed=3)
    ...  == generate_text(model, tok, "to", 10, seed=3))
    True
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple

import keras

from rnn_zoo._atomic import atomic_path, write_text
from rnn_zoo._validation import check_type, error_message
from rnn_zoo.preprocessing.text import CharTokenizer
from rnn_zoo.saving import load_model, save_model
from rnn_zoo.tasks.manifest import verify_manifest, write_manifest

__all__ = [
    "LMBundle",
    "save_lm_bundle",
    "load_lm_bundle",
    "BUNDLE_FILES",
    "BUNDLE_FORMAT",
]

MODEL_FILE = "model.keras"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"
BUNDLE_FILES = (MODEL_FILE, TOKENIZER_FILE, CONFIG_FILE)
_FORMAT = BUNDLE_FORMAT = "rnn_zoo.LMBundle"
_VERSION = 1


class LMBundle(NamedTuple):
    """What `load_lm_bundle` returns.

    Attributes:
        model: The ``keras.Model`` (a `build_char_lm` model).
        tokenizer: Its fitted `CharTokenizer`.
        config: The dict given to `save_lm_bundle` (training settings, scores).
    """

    model: keras.Model
    tokenizer: CharTokenizer
    config: dict[str, Any]


def _folder_error(path: Any, problem: str) -> ValueError:
    return ValueError(
        error_message(
            "path",
            "a language-model bundle folder written by `save_lm_bundle` "
            f"(holding {', '.join(BUNDLE_FILES)})",
            str(path),
            problem,
        )
    )


def save_lm_bundle(
    path: str | os.PathLike,
    model: keras.Model,
    tokenizer: CharTokenizer,
    config: dict[str, Any] | None = None,
) -> Path:
    """Write a model, its tokenizer and a config dict into one folder.

    The folder is created if missing; the bundle files are replaced if present
    (other files in the folder are left alone). Each file is written under a
    temporary name and renamed into place, ``manifest.json`` (sizes, SHA-256,
    ``config["epoch"]`` and ``config["validation_bits_per_char"]``) last, and
    the files are then read back and checked against it.

    Args:
        path: The bundle folder.
        model: The language model (a `build_char_lm` model).
        tokenizer: The fitted `CharTokenizer` it was trained with.
        config: JSON-serialisable dict of how it was trained (sizes, learning
            rate, corpus, validation bits/char, ...), or None for ``{}``.

    Returns:
        The folder as a ``pathlib.Path``.

    Raises:
        TypeError: If an argument has the wrong type or ``config`` is not
            JSON-serialisable.
        ValueError: If ``path`` is a file, the tokenizer is not fitted, or its
            vocabulary size differs from the model's output width.
        OSError: If the folder is not writable.

    Example:
        >>> import tempfile
        >>> from rnn_zoo.models import build_char_lm
        >>> tok = CharTokenizer().fit("abc")
        >>> folder = save_lm_bundle(tempfile.mkdtemp(), build_char_lm(5, units=2), tok)
        >>> sorted(p.name for p in folder.iterdir())
        ['config.json', 'manifest.json', 'model.keras', 'tokenizer.json']
    """
    check_type(path, "path", (str, os.PathLike), "a folder path")
    check_type(model, "model", keras.Model, "a keras.Model")
    check_type(tokenizer, "tokenizer", CharTokenizer, "a fitted CharTokenizer")
    config = {} if config is None else config
    check_type(config, "config", dict, "a JSON-serialisable dict or None")
    try:
        text = json.dumps(
            {"format": _FORMAT, "version": _VERSION, "config": config}, indent=2
        )
    except (TypeError, ValueError) as exc:
        raise TypeError(
            error_message("config", "a JSON-serialisable dict", config, str(exc))
        ) from None
    _check_match(model, tokenizer, "tokenizer")
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ValueError(error_message("path", "a folder", str(path), "It is a file"))
    folder.mkdir(parents=True, exist_ok=True)
    save_model(model, folder / MODEL_FILE)
    with atomic_path(folder / TOKENIZER_FILE) as temp:
        tokenizer.save(temp)
    write_text(folder / CONFIG_FILE, text + "\n")
    score = config.get("validation_bits_per_char")
    write_manifest(
        folder,
        _FORMAT,
        BUNDLE_FILES,
        epoch=config.get("epoch"),
        score=None if score is None else {"validation_bits_per_char": score},
    )
    return folder


def _check_match(model: keras.Model, tokenizer: CharTokenizer, name: str) -> None:
    width = model.output_shape[-1]
    if tokenizer.vocab_size != width:
        raise ValueError(
            error_message(
                name,
                f"the model's tokenizer: {width} ids, the width of its output",
                tokenizer,
                f"It has {tokenizer.vocab_size} ids",
            )
        )


def load_lm_bundle(path: str | os.PathLike) -> LMBundle:
    """Read a folder written by `save_lm_bundle`.

    The model is loaded with `rnn_zoo.models.load_model` (safe mode, no custom
    objects, no optimizer state).

    Args:
        path: The bundle folder.

    Returns:
        An `LMBundle` ``(model, tokenizer, config)``.

    Raises:
        TypeError: If ``path`` is not a path.
        ValueError: If ``path`` is not a folder, lacks one of the three files,
            or one of them is invalid (the message names which and why).
        rnn_zoo.tasks.manifest.TornBundleError: (a ValueError) If the files do
            not match ``manifest.json``: a save was cut short. The one-line
            message names the file and says to rerun the save or delete the
            folder.

    Example:
        >>> load_lm_bundle("no/such/folder")
        Traceback (most recent call last):
        ...
        ValueError: `path` must be a language-model bundle folder ... does not exist
    """
    check_type(path, "path", (str, os.PathLike), "a folder path")
    folder = Path(path)
    if not folder.is_dir():
        problem = "It is a file" if folder.exists() else "It does not exist"
        raise _folder_error(path, problem)
    missing = [name for name in BUNDLE_FILES if not (folder / name).is_file()]
    if missing:
        raise _folder_error(path, f"It lacks {', '.join(missing)}")
    verify_manifest(
        folder,
        _FORMAT,
        "a save was cut short; rerun the `lm train` command that wrote it "
        "(it resumes), or delete the folder",
    )
    try:
        payload = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _folder_error(
            path, f"Its {CONFIG_FILE} is not valid JSON: {exc}"
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
        raise _folder_error(path, f"Its {CONFIG_FILE} is not an {_FORMAT} file")
    if payload.get("version") != _VERSION:
        raise _folder_error(
            path, f"Its version {payload.get('version')!r} is not {_VERSION}"
        )
    try:
        tokenizer = CharTokenizer.load(folder / TOKENIZER_FILE)
        model = load_model(folder / MODEL_FILE, compile=False)
    except (ValueError, OSError) as exc:
        raise _folder_error(path, str(exc)) from None
    try:
        _check_match(model, tokenizer, "tokenizer")
    except ValueError as exc:
        raise _folder_error(path, f"Its files do not belong together: {exc}") from None
    return LMBundle(model, tokenizer, dict(payload.get("config") or {}))
