"""rnn_zoo: a Keras 3 model zoo for recurrent networks, and the notebooks it backs.

``import rnn_zoo`` is cheap: it does not import TensorFlow. The most used names are
re-exported lazily and load their module (and TensorFlow, where needed) on first use.

Example:
    >>> import rnn_zoo
    >>> rnn_zoo.__version__
    '0.1.0'
"""

from __future__ import annotations

from rnn_zoo._lazy import lazy_exports
from rnn_zoo._moved import install as _install_moved_paths

__version__ = "0.1.0"

# modules that moved in the re-layout keep importing from their old paths
_install_moved_paths()

# public name -> module that defines it
_LAZY = {
    # preprocessing
    "make_windows": "rnn_zoo.preprocessing",
    "windows_dataset": "rnn_zoo.preprocessing",
    "time_split": "rnn_zoo.preprocessing",
    "pad": "rnn_zoo.preprocessing",
    "mask_of": "rnn_zoo.preprocessing",
    "CharTokenizer": "rnn_zoo.preprocessing",
    "WordTokenizer": "rnn_zoo.preprocessing",
    "SeriesScaler": "rnn_zoo.preprocessing",
    # datasets
    "load_shakespeare": "rnn_zoo.datasets",
    "load_stock_prices": "rnn_zoo.datasets",
    # models
    "recurrent_stack": "rnn_zoo.models",
    "build_sequence_classifier": "rnn_zoo.models",
    "build_sequence_regressor": "rnn_zoo.models",
    "build_char_lm": "rnn_zoo.models",
    "generate_text": "rnn_zoo.models",
    "build_forecaster": "rnn_zoo.models",
    "build_seq2seq": "rnn_zoo.models",
    "Seq2SeqTranslator": "rnn_zoo.models",
    "load_model": "rnn_zoo.models",
    "fused_kernel_report": "rnn_zoo.models",
    "explain": "rnn_zoo.models",
    # training
    "set_seed": "rnn_zoo.training",
    "fit": "rnn_zoo.training",
    # experiments
    "compare_runs": "rnn_zoo.training.experiments",
    "summarize_runs": "rnn_zoo.training.experiments",
    # evaluation
    "mase": "rnn_zoo.evaluation",
    "naive_forecast": "rnn_zoo.evaluation",
    "walk_forward_backtest": "rnn_zoo.evaluation",
    # plotting
    "plot_history": "rnn_zoo.plotting",
    "plot_forecast": "rnn_zoo.plotting",
    "plot_runs": "rnn_zoo.plotting",
}

__all__ = ["__version__", *_LAZY]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
