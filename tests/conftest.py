"""Shared fixtures: every test starts from a seeded, cleared Keras session."""

from __future__ import annotations

import os
import random
import sys

import numpy as np
import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(autouse=True)
def _seed_and_clear():
    """Seed Python/NumPy (and Keras if already imported); clear the Keras session."""
    random.seed(0)
    np.random.seed(0)
    if "keras" in sys.modules:
        import keras

        # free_memory=False skips gc.collect(), which costs ~0.5 s per test.
        keras.backend.clear_session(free_memory=False)
        keras.utils.set_random_seed(0)
    yield


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded NumPy generator."""
    return np.random.default_rng(0)
