"""The test suite itself: no stray writes into the source tree, reproducible CI."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import configuration, settings

ROOT = Path(__file__).resolve().parents[1]


def test_hypothesis_writes_outside_the_source_tree():
    home = configuration.storage_directory(intent_to_write=False).path
    assert ROOT not in home.resolve().parents, home


def test_hypothesis_is_derandomized_in_ci():
    if os.environ.get("CI"):
        assert settings().derandomize
        assert settings().database is None


def test_workers_do_not_oversubscribe_the_cores():
    if os.environ.get("PYTEST_XDIST_WORKER"):
        assert os.environ["TF_NUM_INTRAOP_THREADS"] == "1"
        assert os.environ["OMP_NUM_THREADS"] == "1"
