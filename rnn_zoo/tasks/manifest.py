"""A bundle's ``manifest.json``: which files belong together, and what they score.

A bundle folder (`save_lm_bundle`, `Seq2SeqTranslator.save`) is written one file
at a time, each atomically (`rnn_zoo._atomic`), with ``manifest.json`` last::

    {"format": "rnn_zoo.BundleManifest", "version": 1,
     "bundle": "rnn_zoo.LMBundle",
     "files": {"model.keras": {"bytes": 81234, "sha256": "..."}, ...},
     "epoch": 12, "score": {"validation_bits_per_char": 2.41}}

`write_manifest` hashes the files as they are on disk, writes the manifest and
reads everything back (`verify_manifest`), so a save either completes verified
or raises. A save cut short leaves files that disagree with the old manifest;
`verify_manifest` then names the file and says what to do. A folder with no
manifest (written before manifests existed) is accepted as it is.

Example:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.json").write_text("{}")
    >>> _ = write_manifest(folder, "demo", ["a.json"], epoch=3)
    >>> verify_manifest(folder, "demo")["epoch"]
    3
    >>> _ = (folder / "a.json").write_text("{} ")
    >>> verify_manifest(folder, "demo")
    Traceback (most recent call last):
    ...
    rnn_zoo.tasks.manifest.TornBundleError: ... a.json has 3 bytes, ... says 2; ...
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rnn_zoo._atomic import sha256_file, write_text

__all__ = ["MANIFEST_FILE", "TornBundleError", "write_manifest", "verify_manifest"]

MANIFEST_FILE = "manifest.json"
_FORMAT = "rnn_zoo.BundleManifest"
_VERSION = 1


class TornBundleError(ValueError):
    """A bundle whose files do not match its ``manifest.json`` (a save cut short).

    Example:
        >>> raise TornBundleError("bundle 'x' is torn")
        Traceback (most recent call last):
        ...
        rnn_zoo.tasks.manifest.TornBundleError: bundle 'x' is torn
    """


def _describe(folder: Path, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    return {
        name: {
            "bytes": (folder / name).stat().st_size,
            "sha256": sha256_file(folder / name),
        }
        for name in names
    }


def write_manifest(
    folder: str | os.PathLike,
    bundle: str,
    files: Sequence[str],
    **info: Any,
) -> dict[str, Any]:
    """Hash ``files`` in ``folder``, write ``manifest.json`` atomically, verify.

    Args:
        folder: The bundle folder.
        bundle: The bundle's format name (e.g. ``"rnn_zoo.LMBundle"``).
        files: The bundle's file names, already written.
        **info: JSON-serialisable extras (``epoch``, ``score``, ...).

    Returns:
        The manifest dict.

    Raises:
        OSError: If a file is missing or the folder is not writable.
        TornBundleError: If the files changed between hashing and reading back.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "w").write_bytes(b"12")
        >>> write_manifest(folder, "demo", ["w"])["files"]["w"]["bytes"]
        2
    """
    folder = Path(folder)
    manifest = {
        "format": _FORMAT,
        "version": _VERSION,
        "bundle": bundle,
        "files": _describe(folder, files),
        **info,
    }
    write_text(folder / MANIFEST_FILE, json.dumps(manifest, indent=1) + "\n")
    verify_manifest(folder, bundle)
    return manifest


def verify_manifest(
    folder: str | os.PathLike, bundle: str, remedy: str | None = None
) -> dict[str, Any] | None:
    """Check that the files of ``folder`` are those its manifest lists.

    Args:
        folder: The bundle folder.
        bundle: The expected format name.
        remedy: What the message should tell the user to do; default: rerun
            the command that saved it, or delete the folder.

    Returns:
        The manifest dict, or None when the folder has no ``manifest.json``.

    Raises:
        TornBundleError: One line naming the mismatching file, if a listed file
            is missing or differs in size or SHA-256, or the manifest is
            unreadable or of another bundle kind.

    Example:
        >>> import tempfile
        >>> verify_manifest(tempfile.mkdtemp(), "demo") is None
        True
    """
    folder = Path(folder)
    path = folder / MANIFEST_FILE
    if not path.is_file():
        return None
    remedy = remedy or (
        "the save that wrote it was cut short; rerun the command that saved it, "
        "or delete the folder"
    )

    def torn(problem: str) -> TornBundleError:
        return TornBundleError(f"bundle {str(folder)!r} is torn: {problem}; {remedy}")

    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise torn(f"{MANIFEST_FILE} is unreadable ({type(exc).__name__})") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != _FORMAT
        or not isinstance(manifest.get("files"), dict)
    ):
        raise torn(f"{MANIFEST_FILE} is not an {_FORMAT} file")
    if manifest.get("bundle") != bundle:
        raise torn(f"{MANIFEST_FILE} describes a {manifest.get('bundle')!r} bundle")
    for name, expected in manifest["files"].items():
        file = folder / name
        if not file.is_file():
            raise torn(f"{name} is missing")
        size = file.stat().st_size
        if size != expected.get("bytes"):
            raise torn(
                f"{name} has {size} bytes, {MANIFEST_FILE} says {expected.get('bytes')}"
            )
        if sha256_file(file) != expected.get("sha256"):
            raise torn(f"{name} differs from the one {MANIFEST_FILE} lists (SHA-256)")
    return manifest
