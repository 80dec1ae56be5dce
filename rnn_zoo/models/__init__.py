"""Model builders, NumPy reference cells, saving/loading and model inspection.

Every ``build_*`` function returns an uncompiled Functional ``keras.Model`` whose
layers are all named. Importing this package does not import TensorFlow; the first
use of a builder does.
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
    "generate_text": "generation",
    "CharGenerator": "generation",
    "CharStepper": "generation",
    "generate_by_rereading": "generation",
    "save_lm_bundle": "lm_bundle",
    "load_lm_bundle": "lm_bundle",
    "LMBundle": "lm_bundle",
    "build_forecaster": "forecaster",
    "BahdanauAttention": "attention",
    "LuongAttention": "attention",
    "build_seq2seq": "seq2seq",
    "build_inference_models": "seq2seq",
    "greedy_decode": "decoding",
    "beam_search_decode": "decoding",
    "sequence_log_prob": "decoding",
    "Seq2SeqTranslator": "translator",
    "load_model": "serialization",
    "save_model": "serialization",
    "fused_kernel_report": "fused_kernels",
    "explain": "shapes",
    "gradient_norms_by_lag": "diagnostics",
    "spectral_radius": "diagnostics",
    "set_spectral_radius": "diagnostics",
    "gate_activations": "diagnostics",
    "gate_contrast": "diagnostics",
    "quiet_retracing_warnings": "diagnostics",
    "reference": None,  # the submodule itself
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
