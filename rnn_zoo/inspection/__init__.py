"""Inspection: look at a model's shapes, kernels, gradients and gates.

- ``shapes``: `explain` prints every layer's input and output shape, with why.
- ``fused_kernels``: `fused_kernel_report`, whether each LSTM/GRU can use the
  fused cuDNN kernel on a GPU, and which setting rules it out.
- ``diagnostics``: `gradient_norms_by_lag` (vanishing / exploding gradients),
  `spectral_radius` / `set_spectral_radius`, `gate_activations`,
  `gate_contrast`.

Importing this package does not import TensorFlow.

Example:
    >>> from rnn_zoo.inspection import explain
    >>> explain.__module__
    'rnn_zoo.inspection.shapes'
"""

from __future__ import annotations

from rnn_zoo._lazy import lazy_exports

_LAZY: dict[str, str | None] = {
    "explain": "shapes",
    "Explanation": "shapes",
    "FusedKernelRecord": "fused_kernels",
    "FusedKernelReport": "fused_kernels",
    "fused_kernel_report": "fused_kernels",
    "gradient_norms_by_lag": "diagnostics",
    "spectral_radius": "diagnostics",
    "set_spectral_radius": "diagnostics",
    "gate_activations": "diagnostics",
    "gate_contrast": "diagnostics",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
