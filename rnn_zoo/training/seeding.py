"""`set_seed`: the one call that seeds Python, NumPy and TensorFlow/Keras.

Every seeded path in the package (notebooks, `fit` recipes, `compare_runs`, the
backtest, the tuners, the CLIs) goes through `set_seed`.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from rnn_zoo._validation import check_int, check_type

__all__ = ["set_seed"]


def set_seed(seed: int, *, deterministic: bool = False) -> None:
    """Seed Python's ``random``, NumPy and TensorFlow/Keras in one call.

    Calls ``keras.utils.set_random_seed``. Call it before building a model: the
    same seed then gives the same initial weights and, with the same data order,
    the same training run.

    Args:
        seed: int. A non-negative integer seed.
        deterministic: bool. Also call
            ``tf.config.experimental.enable_op_determinism()`` so TensorFlow ops
            (and ``tf.data``) give bit-identical results run after run, at some
            cost in speed. This cannot be switched off again within the process.
            Defaults to False (the current setting is left as it is).

    Returns:
        None.

    Raises:
        TypeError: If ``seed`` is not an integer (bools are rejected) or
            ``deterministic`` is not a bool.
        ValueError: If ``seed`` is negative.

    Example:
        >>> import numpy as np
        >>> set_seed(42)
        >>> first = np.random.rand(3)
        >>> set_seed(42)
        >>> bool((np.random.rand(3) == first).all())
        True
        >>> set_seed(-1)
        Traceback (most recent call last):
        ...
        ValueError: `seed` must be a non-negative integer. Received: seed=-1
    """
    seed = check_int(seed, "seed", minimum=0)
    check_type(deterministic, "deterministic", bool, "a bool")
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()
