"""Compare models at the same parameter budget: find the width that matches.

A bidirectional layer has two recurrent layers, so at the same ``units`` it has
about twice the parameters of a unidirectional one, and "bidirectional wins" may
only mean "bigger wins". `units_for_budget` finds the width at which a model
has (as nearly as possible) a given number of parameters, by building it.
"""

from __future__ import annotations

from collections.abc import Callable

import keras

from rnn_zoo._validation import check_int, error_message

__all__ = ["units_for_budget"]


def units_for_budget(
    build: Callable[[int], keras.Model], budget: int, *, max_units: int = 1024
) -> int:
    """The ``units`` whose model has the parameter count closest to ``budget``.

    The count must grow with ``units`` (it does for every ``rnn_zoo`` builder).
    A bisection builds about ``log2(max_units)`` models; on a tie the smaller
    width wins.

    Args:
        build: A function ``units -> keras.Model`` (built, e.g. a Functional
            model from a ``build_*`` function).
        budget: The target number of parameters, a positive integer.
        max_units: The largest width tried. Defaults to 1024.

    Returns:
        The width, an int in ``1 .. max_units``.

    Raises:
        TypeError: If ``build`` is not callable or does not return a
            ``keras.Model``, or ``budget`` / ``max_units`` is not an integer.
        ValueError: If ``budget`` or ``max_units`` is not positive.

    Example:
        >>> def dense(units):
        ...     inputs = keras.Input((3,))
        ...     return keras.Model(inputs, keras.layers.Dense(units)(inputs))
        >>> units_for_budget(dense, 16)  # Dense(4) on 3 inputs: 3 * 4 + 4 = 16
        4
        >>> units_for_budget(dense, 18)  # 16 (4 units) beats 20 (5 units)
        4
    """
    if not callable(build):
        raise TypeError(
            error_message("build", "a function units -> keras.Model", build)
        )
    budget = check_int(budget, "budget", minimum=1)
    max_units = check_int(max_units, "max_units", minimum=1)
    counts: dict[int, int] = {}

    def params(units: int) -> int:
        if units not in counts:
            model = build(units)
            if not isinstance(model, keras.Model):
                raise TypeError(
                    error_message("build", "a function returning a keras.Model", model)
                )
            counts[units] = model.count_params()
        return counts[units]

    low, high = 1, max_units  # invariant: the answer lies in [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        if params(middle) <= budget:
            low = middle
        else:
            high = middle - 1
    if low < max_units and abs(params(low + 1) - budget) < abs(params(low) - budget):
        return low + 1
    return low
