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

from rnn_zoo.reference import cells
from rnn_zoo.reference.cells import *  # noqa: F403  (every public name of cells)

__all__ = list(cells.__all__)
