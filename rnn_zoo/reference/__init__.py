"""NumPy reference: SimpleRNN, LSTM and GRU forward and backward, in Keras' layout.

- ``cells``: one step (`rnn_step`, `lstm_step`, `gru_step`), the worked LSTM
  example, and the full-sequence passes re-exported from ``_core``
  (`rnn_forward`, `lstm_forward`, `gru_forward`).
- ``bptt``: backpropagation through time (`rnn_backward`, `lstm_backward`,
  `gru_backward`), checked against ``tf.GradientTape``.

NumPy only: importing it never imports TensorFlow. Every name is re-exported
here, so ``from rnn_zoo import reference; reference.lstm_step(...)`` works.

Example:
    >>> import numpy as np
    >>> from rnn_zoo import reference
    >>> h = reference.rnn_step(np.ones((1, 2)), np.zeros((1, 3)),
    ...                        np.zeros((2, 3)), np.zeros((3, 3)), np.zeros(3))
    >>> h.shape
    (1, 3)
"""

from __future__ import annotations

from rnn_zoo.reference.cells import (
    ACTIVATIONS,
    WORKED_LSTM_GATES,
    ForwardResult,
    Gradients,
    WorkedLSTMExample,
    gru_backward,
    gru_forward,
    gru_step,
    lstm_backward,
    lstm_forward,
    lstm_step,
    rnn_backward,
    rnn_forward,
    rnn_step,
    worked_lstm_example,
)

__all__ = [
    "ACTIVATIONS",
    "WORKED_LSTM_GATES",
    "ForwardResult",
    "Gradients",
    "WorkedLSTMExample",
    "gru_backward",
    "gru_forward",
    "gru_step",
    "lstm_backward",
    "lstm_forward",
    "lstm_step",
    "rnn_backward",
    "rnn_forward",
    "rnn_step",
    "worked_lstm_example",
]
