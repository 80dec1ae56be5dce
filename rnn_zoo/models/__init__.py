"""Model builders and layers: every ``build_*`` returns an uncompiled Functional model.

Every ``build_*`` function returns an uncompiled Functional ``keras.Model`` whose
layers are all named. Importing this package does not import TensorFlow; the first
use of a builder does.

This package holds builders and layers only. For compatibility it also re-exports
names that now live beside it (the block at the end of ``_LAZY``):
generation and decoding in `rnn_zoo.inference`, the task bundles in
`rnn_zoo.tasks`, saving in `rnn_zoo.saving`, inspection in `rnn_zoo.inspection`
and the NumPy cells in `rnn_zoo.reference`.

Example:
    >>> from rnn_zoo.models import build_char_lm, generate_text
    >>> build_char_lm.__module__, generate_text.__module__
    ('rnn_zoo.models.language_model', 'rnn_zoo.inference.generation')
"""

from __future__ import annotations

from rnn_zoo._lazy import lazy_exports

_LAZY = {
    "recurrent_stack": "recurrent",
    "build_sequence_classifier": "recurrent",
    "build_sequence_regressor": "recurrent",
    "build_sequence_tagger": "tagger",
    "build_step_regressor": "tagger",
    "units_for_budget": "budget",
    "build_char_lm": "language_model",
    "build_forecaster": "forecaster",
    "BahdanauAttention": "attention",
    "LuongAttention": "attention",
    "build_seq2seq": "seq2seq",
    "build_inference_models": "seq2seq",
    # re-exports of names that live beside the builders
    "generate_text": "rnn_zoo.inference.generation",
    "CharGenerator": "rnn_zoo.inference.generation",
    "CharStepper": "rnn_zoo.inference.generation",
    "generate_by_rereading": "rnn_zoo.inference.generation",
    "greedy_decode": "rnn_zoo.inference.decoding",
    "beam_search_decode": "rnn_zoo.inference.decoding",
    "sequence_log_prob": "rnn_zoo.inference.decoding",
    "save_lm_bundle": "rnn_zoo.tasks.lm_bundle",
    "load_lm_bundle": "rnn_zoo.tasks.lm_bundle",
    "LMBundle": "rnn_zoo.tasks.lm_bundle",
    "Seq2SeqTranslator": "rnn_zoo.tasks.translator",
    "load_model": "rnn_zoo.saving",
    "save_model": "rnn_zoo.saving",
    "fused_kernel_report": "rnn_zoo.inspection.fused_kernels",
    "explain": "rnn_zoo.inspection.shapes",
    "gradient_norms_by_lag": "rnn_zoo.inspection.diagnostics",
    "spectral_radius": "rnn_zoo.inspection.diagnostics",
    "set_spectral_radius": "rnn_zoo.inspection.diagnostics",
    "gate_activations": "rnn_zoo.inspection.diagnostics",
    "gate_contrast": "rnn_zoo.inspection.diagnostics",
    "quiet_retracing_warnings": "rnn_zoo._quiet",
    "reference": "rnn_zoo.reference",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
