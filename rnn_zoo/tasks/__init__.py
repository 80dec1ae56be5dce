"""Task bundles: a trained model with everything needed to use it, and its recipe.

- ``lm_bundle``: the character language model (`save_lm_bundle`,
  `load_lm_bundle`, `LMBundle`); ``lm_training``: `train_lm`, the recipe behind
  ``python -m rnn_zoo lm train``.
- ``translator``: `Seq2SeqTranslator`, the date translator; ``date_training``:
  `train_date_translator` and its data recipe (``dates train``);
  ``date_confidence``: why a translation is unsure (``dates translate``).
- ``manifest``: SHA-256 manifests that tell a torn bundle from a whole one.
- ``run_folder``: the ``--out`` folder's lifecycle (new, resume, finished,
  ``--continue``, ``--overwrite``), shared by both recipes.

Importing this package does not import TensorFlow.

Example:
    >>> from rnn_zoo.tasks import Seq2SeqTranslator
    >>> Seq2SeqTranslator.__module__
    'rnn_zoo.tasks.translator'
"""

from __future__ import annotations

from rnn_zoo._lazy import lazy_exports

_LAZY: dict[str, str | None] = {
    "LMBundle": "lm_bundle",
    "save_lm_bundle": "lm_bundle",
    "load_lm_bundle": "lm_bundle",
    "train_lm": "lm_training",
    "Seq2SeqTranslator": "translator",
    "Translation": "translator",
    "train_date_translator": "date_training",
    "unsure_reasons": "date_confidence",
    "TornBundleError": "manifest",
    "RunFolderError": "run_folder",
    "plan_run": "run_folder",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
