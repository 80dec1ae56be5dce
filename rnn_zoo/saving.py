"""Save and load ``.keras`` model archives, safely.

A ``.keras`` file is a zip archive holding ``config.json`` (the architecture),
``metadata.json`` and ``model.weights.h5``. Keras can also rebuild *code* from such
a file (a ``Lambda`` layer stores Python bytecode), so loading a file from someone
else is only safe in Keras' safe mode. :func:`load_model` therefore:

- accepts ``.keras`` archives only (no HDF5, pickle or SavedModel directories);
  the suffix may be in any case (``m.KERAS``), for saving as for loading;
- refuses to run while ``keras.config.enable_unsafe_deserialization()`` is in
  effect, because that global switch overrides ``safe_mode=True``;
- refuses archives that contain a ``Lambda`` layer or a Python lambda, with a
  message that says why (rnn_zoo models never use them);
- checks that the archive is a readable zip with a ``config.json`` before Keras
  sees it, and turns Keras' own low-level errors into one clear message;
- needs no ``custom_objects``: rnn_zoo's custom layers are registered under the
  package name ``"rnn_zoo"``, and the modules that define the ones an archive
  uses are imported before loading.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keras

from rnn_zoo._atomic import atomic_path
from rnn_zoo._keras_internals import unsafe_deserialization_enabled
from rnn_zoo._validation import check_type, error_message

__all__ = ["load_model", "save_model"]

_SUFFIX = ".keras"
_CONFIG_FILENAME = "config.json"
_MAX_CONFIG_BYTES = 64 * 1024 * 1024
_PACKAGE = "rnn_zoo"
_MODULE_NAME = re.compile(r"rnn_zoo(\.[A-Za-z_][A-Za-z0-9_]*)+")

_CONVERSION_HINTS = {
    ".h5": (
        "Legacy HDF5 files are not accepted. Convert it once, in a trusted "
        "environment: `keras.saving.load_model('model.h5').save('model.keras')`"
    ),
    ".hdf5": (
        "Legacy HDF5 files are not accepted. Convert it once, in a trusted "
        "environment: `keras.saving.load_model('model.hdf5').save('model.keras')`"
    ),
    ".pkl": (
        "Pickled models can run arbitrary code when loaded and are never accepted. "
        "Rebuild the model and save it with `model.save('model.keras')`"
    ),
    ".pb": (
        "TensorFlow SavedModels are not accepted (Keras 3 cannot load them as "
        "models). Rebuild the model in Keras and save it with "
        "`model.save('model.keras')`"
    ),
}
_CONVERSION_HINTS[".pickle"] = _CONVERSION_HINTS[".pkl"]
_DEFAULT_HINT = "Save the model with `model.save('model.keras')` and load that file"


def _path_arg(path: Any) -> Path:
    check_type(path, "path", (str, os.PathLike), "a str or os.PathLike path")
    return Path(path)


def _path_message(allowed: str, path: str | Path, remedy: str) -> str:
    """The house message for ``path``, never shortening the path itself."""
    return f"`path` must be {allowed}. Received: path={str(path)!r}. {remedy}"


def _check_suffix(path: Path) -> None:
    """Reject anything that is not named ``*.keras`` (directories included)."""
    if path.is_dir():
        raise ValueError(
            _path_message(
                "a `.keras` archive file, not a directory (only `.keras` archives "
                "are accepted; SavedModel and unzipped model directories are not)",
                str(path),
                _CONVERSION_HINTS[".pb"],
            )
        )
    suffix = path.suffix.lower()
    if suffix != _SUFFIX:
        shown = repr(path.suffix) if path.suffix else "no suffix"
        raise ValueError(
            _path_message(
                f"a `.keras` archive (only `.keras` archives are accepted; "
                f"the suffix given is {shown})",
                str(path),
                _CONVERSION_HINTS.get(suffix, _DEFAULT_HINT),
            )
        )


def _check_unsafe_deserialization_off() -> None:
    """Raise if ``keras.config.enable_unsafe_deserialization()`` is in effect."""
    if unsafe_deserialization_enabled():  # Keras has no public getter
        raise RuntimeError(
            "Refusing to load a model: Keras' unsafe deserialization is enabled "
            "(`keras.config.enable_unsafe_deserialization()` was called), which "
            "overrides `safe_mode=True`. With it on, a `.keras` file can run "
            "arbitrary Python code through a Lambda layer. Restart the Python "
            "process (or call `keras.backend.clear_session()`, which resets the "
            "flag) and load again without enabling it"
        )


@contextlib.contextmanager
def _as_keras_name(path: Path) -> Iterator[Path]:
    """``path``, or a temporary copy of it whose name ends in lower-case ``.keras``.

    Keras recognizes archives by that exact ending; `load_model` accepts the
    suffix in any case (``m.KERAS``), as `save_model` does.
    """
    if path.name.endswith(_SUFFIX):
        yield path
        return
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"model{_SUFFIX}"
        shutil.copyfile(path, copy)
        yield copy


def _corrupted(path: Path, detail: str) -> ValueError:
    return ValueError(
        _path_message(
            "a valid `.keras` archive",
            str(path),
            f"The archive is corrupted or truncated: {detail}. Save the model "
            "again (or copy the file again) and retry",
        )
    )


def _read_config(path: Path) -> Any:
    """Return the parsed ``config.json`` of a ``.keras`` archive, or raise."""
    if not zipfile.is_zipfile(path):
        raise _corrupted(path, "it is not a readable zip file")
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo(_CONFIG_FILENAME)
            except KeyError:
                raise _corrupted(path, f"it has no {_CONFIG_FILENAME}") from None
            if info.file_size > _MAX_CONFIG_BYTES:
                raise _corrupted(
                    path, f"its {_CONFIG_FILENAME} is {info.file_size} bytes"
                )
            return json.loads(archive.read(info).decode("utf-8"))
    except (zipfile.BadZipFile, OSError, EOFError, UnicodeDecodeError) as exc:
        raise _corrupted(path, f"{type(exc).__name__}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise _corrupted(path, f"its {_CONFIG_FILENAME} is not valid JSON") from exc


def _walk_dicts(node: Any) -> Iterator[dict]:
    """Yield every dict nested anywhere in a JSON-like structure."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def _find_lambda(config: Any) -> str | None:
    """Describe the first Lambda layer or Python lambda in a config, if any."""
    for entry in _walk_dicts(config):
        class_name = entry.get("class_name")
        if class_name == "Lambda":
            name = (entry.get("config") or {}).get("name", "?")
            return f"a Lambda layer ({name!r})"
        if class_name == "__lambda__":
            return "a Python lambda"
    return None


def _lambda_error(path: Path, found: str) -> ValueError:
    return ValueError(
        _path_message(
            "a `.keras` archive without Lambda layers or Python lambdas",
            str(path),
            f"It contains {found}. Lambda layers store Python code that would run "
            "on load, so they are not loadable in safe mode, and rnn_zoo models "
            "never use them. Replace the Lambda with a custom layer registered "
            "with `keras.saving.register_keras_serializable`",
        )
    )


def _import_registered_modules(config: Any) -> None:
    """Import the rnn_zoo modules that define registered objects the config uses.

    Keras records ``module`` and ``registered_name`` (``"rnn_zoo>Name"``) for each
    registered custom object; the class is only found if its module was imported.
    Only modules inside the rnn_zoo package are imported.
    """
    for entry in _walk_dicts(config):
        registered = entry.get("registered_name")
        module = entry.get("module")
        if not (
            isinstance(registered, str)
            and registered.startswith(f"{_PACKAGE}>")
            and isinstance(module, str)
            and _MODULE_NAME.fullmatch(module)
        ):
            continue
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def _innermost(exc: Exception, limit: int = 300) -> str:
    """The most specific part of a (nested) Keras deserialization error."""
    text = str(exc).rsplit("Exception encountered: ", 1)[-1].strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def load_model(path: str | os.PathLike, *, compile: bool = True) -> keras.Model:
    """Load a ``.keras`` model archive in Keras' safe mode.

    Always calls ``keras.saving.load_model(path, safe_mode=True)`` without
    ``custom_objects``; see the module docstring for the checks made first.

    Args:
        path: str or ``os.PathLike``. Path to a ``.keras`` archive.
        compile: bool. Whether to restore the optimizer, loss and metrics the
            model was saved with. Default True.

    Returns:
        The ``keras.Model``, with the saved weights.

    Raises:
        TypeError: If ``path`` is not a str/path or ``compile`` is not a bool.
        ValueError: If ``path`` is a directory or does not end in ``.keras``; if
            the archive is corrupted or truncated; if it holds a Lambda layer or
            a Python lambda; or if Keras cannot rebuild the model.
        FileNotFoundError: If no file exists at ``path``.
        RuntimeError: If ``keras.config.enable_unsafe_deserialization()`` is in
            effect.

    Example:
        >>> import pathlib, tempfile
        >>> import keras
        >>> inputs = keras.Input((5, 3))
        >>> outputs = keras.layers.LSTM(4, name="lstm")(inputs)
        >>> model = keras.Model(inputs, outputs)
        >>> path = save_model(model, pathlib.Path(tempfile.mkdtemp()) / "m.keras")
        >>> loaded = load_model(path)
        >>> loaded.get_layer("lstm").units, loaded.output.shape
        (4, (None, 4))
        >>> load_model("model.h5")
        Traceback (most recent call last):
        ...
        ValueError: `path` must be a `.keras` archive (only `.keras` archives ...
    """
    path = _path_arg(path)
    check_type(compile, "compile", bool, "True or False")
    _check_unsafe_deserialization_off()
    _check_suffix(path)
    if not path.exists():
        raise FileNotFoundError(
            _path_message(
                "an existing `.keras` file",
                str(path),
                "No such file; check the path, or save the model first with "
                "`rnn_zoo.saving.save_model(model, path)`",
            )
        )
    config = _read_config(path)
    found = _find_lambda(config)
    if found is not None:
        raise _lambda_error(path, found)
    _import_registered_modules(config)
    try:
        with _as_keras_name(path) as keras_path:
            return keras.saving.load_model(keras_path, safe_mode=True, compile=compile)
    except (ValueError, TypeError) as exc:
        if "lambda" in str(exc).lower():
            raise _lambda_error(path, "a Python lambda") from exc
        raise ValueError(
            _path_message(
                "a `.keras` archive that Keras can rebuild",
                str(path),
                f"Keras failed with {type(exc).__name__}: {_innermost(exc)}. If the "
                "model uses "
                "custom layers, they must be registered with "
                "`keras.saving.register_keras_serializable` and their module "
                "importable",
            )
        ) from exc
    except (OSError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise _corrupted(path, f"{type(exc).__name__}: {exc}") from exc


def save_model(
    model: keras.Model, path: str | os.PathLike, *, overwrite: bool = True
) -> Path:
    """Save a model as a ``.keras`` archive that :func:`load_model` accepts.

    Creates missing parent directories. Refuses models with Lambda layers, since
    :func:`load_model` (safe mode) could not load them back. The archive is
    written under a temporary name in the same folder and renamed into place,
    so a crash or kill during the save leaves the previous file (or none),
    never a torn archive.

    Args:
        model: ``keras.Model``. The model to save.
        path: str or ``os.PathLike``. Destination; must end in ``.keras`` (in
            any case, as for :func:`load_model`).
        overwrite: bool. Whether to replace an existing file. Default True.

    Returns:
        The ``pathlib.Path`` written.

    Raises:
        TypeError: If ``model`` is not a ``keras.Model`` or ``path`` not a path.
        ValueError: If ``path`` does not end in ``.keras`` or ``model`` holds a
            Lambda layer.
        FileExistsError: If the file exists and ``overwrite`` is False.

    Example:
        >>> import pathlib, tempfile
        >>> import keras
        >>> inputs = keras.Input((5, 3))
        >>> model = keras.Model(inputs, keras.layers.GRU(2)(inputs))
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> save_model(model, folder / "new" / "gru.keras").relative_to(folder)
        PosixPath('new/gru.keras')
    """
    check_type(model, "model", keras.Model, "a keras.Model")
    path = _path_arg(path)
    check_type(overwrite, "overwrite", bool, "True or False")
    _check_suffix(path)
    found = _find_lambda(keras.saving.serialize_keras_object(model))
    if found is not None:
        raise ValueError(
            error_message(
                "model",
                "a model without Lambda layers or Python lambdas",
                model,
                f"It contains {found}, which `load_model` refuses in safe mode. "
                "Use a custom layer registered with "
                "`keras.saving.register_keras_serializable` instead",
            )
        )
    if path.exists() and not overwrite:
        raise FileExistsError(
            _path_message(
                "a path that does not exist yet when `overwrite=False`",
                str(path),
                "Pass `overwrite=True` to replace it",
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written under a temporary name beside the target (ending in lower-case
    # ".keras", which Keras needs, so "m.KERAS" works too) and renamed into
    # place: a crash leaves the old file or the new one, never a torn archive.
    with atomic_path(path) as temp:
        if temp.name.endswith(_SUFFIX):
            model.save(temp, overwrite=True)
        else:
            keras_temp = temp.with_name(temp.name + _SUFFIX)
            try:
                model.save(keras_temp, overwrite=True)
                os.replace(keras_temp, temp)
            finally:
                keras_temp.unlink(missing_ok=True)
    return path
