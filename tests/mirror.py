"""Where the tests find Tiny Shakespeare: the local mirror, never the network.

``RNN_ZOO_DATA_DIR`` if set, else ``../shared/datasets`` beside the checkout.
A test that needs the corpus is marked `needs_mirror` (skipped without it) and,
for a subprocess such as a notebook kernel, passes the folder on with
`mirror_environment`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _mirror_file() -> Path | None:
    folder = os.environ.get("RNN_ZOO_DATA_DIR") or ROOT.parent / "shared" / "datasets"
    file = Path(folder) / "tinyshakespeare.txt"
    return file if file.is_file() else None


MIRROR = _mirror_file()
needs_mirror = pytest.mark.skipif(
    MIRROR is None,
    reason="local mirror tinyshakespeare.txt not found (set RNN_ZOO_DATA_DIR or "
    "provide ../shared/datasets); these tests never download",
)


def mirror_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point ``RNN_ZOO_DATA_DIR`` at the mirror (for this test and its children)."""
    assert MIRROR is not None, "mark the test with needs_mirror"
    monkeypatch.setenv("RNN_ZOO_DATA_DIR", str(MIRROR.parent))
