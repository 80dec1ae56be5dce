"""Model builders, NumPy reference cells, saving/loading and model inspection.

Every ``build_*`` function returns an uncompiled Functional ``keras.Model`` whose
layers are all named. Importing this package does not import TensorFlow; the first
use of a builder does.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "recurrent_stack": "recurrent",
    "build_sequence_classifier": "recurrent",
    "build_sequence_regressor": "recurrent",
    "build_char_lm": "language_model",
    "build_forecaster": "forecaster",
    "load_model": "serialization",
    "fused_kernel_report": "fused_kernels",
    "explain": "shapes",
}

__all__ = [*_LAZY, "reference"]


def __getattr__(name: str) -> Any:
    if name == "reference":
        return importlib.import_module(f"{__name__}.reference")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rnn_zoo.models' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
