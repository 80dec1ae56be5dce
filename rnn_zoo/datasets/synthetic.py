"""Seeded synthetic sequence tasks: sine waves, adding, copying and addition.

Every generator takes the number of examples ``n`` first and keyword-only
arguments after it, including ``seed`` (None, a non-negative int or a
``numpy.random.Generator``; the same int always gives the same data). Numeric
sequences come back as ``(batch, timesteps, features)`` arrays; token sequences
for an ``Embedding`` as ``(batch, timesteps)`` integer arrays.
"""

from __future__ import annotations

import numbers

import numpy as np

from rnn_zoo._validation import check_float, check_int, check_type, error_message

__all__ = [
    "make_sine_waves",
    "make_adding_problem",
    "make_copy_task",
    "make_addition_pairs",
]


def _rng(seed: object) -> np.random.Generator:
    """Validate ``seed`` and return ``np.random.default_rng(seed)``."""
    if isinstance(seed, np.random.Generator):
        return seed
    check_int(seed, "seed", minimum=0, allow_none=True)
    return np.random.default_rng(seed)


def _check_range(
    value: object, name: str, *, low: float, high: float, low_inclusive: bool
) -> tuple[float, float]:
    """Check a ``(lo, hi)`` pair of numbers with ``low <(=) lo <= hi <= high``."""
    bracket = "[" if low_inclusive else "("
    allowed = f"a pair (lo, hi) with lo <= hi, both in {bracket}{low}, {high}]"
    check_type(value, name, (tuple, list), allowed)
    ok = len(value) == 2 and all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value
    )
    if ok:
        lo, hi = float(value[0]), float(value[1])
        above_low = lo >= low if low_inclusive else lo > low
        ok = above_low and lo <= hi <= high
    if not ok:
        raise ValueError(error_message(name, allowed, value))
    return lo, hi


def make_sine_waves(
    n: int,
    *,
    length: int = 100,
    n_features: int = 1,
    noise: float = 0.0,
    freq_range: tuple[float, float] = (0.01, 0.1),
    phase_range: tuple[float, float] = (0.0, 2 * np.pi),
    seed: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Generate sine waves with a random frequency and phase per series and feature.

    ``x[i, t, j] = sin(2 * pi * f[i, j] * t + p[i, j]) + noise * e[i, t, j]`` for
    ``t = 0 .. length - 1``, with ``f`` uniform in ``freq_range`` (cycles per time
    step), ``p`` uniform in ``phase_range`` (radians) and ``e`` standard normal.
    Equal bounds fix a value: ``freq_range=(0.05, 0.05), phase_range=(0, 0)`` gives
    the same plain sine (period 20 steps) in every series.

    Args:
        n: Number of series (batch size), a positive integer.
        length: Time steps per series. Default 100.
        n_features: Independent waves per series (features). Default 1.
        noise: Standard deviation of added Gaussian noise, >= 0. Default 0.0.
        freq_range: ``(lo, hi)`` frequency bounds in cycles per step,
            ``0 < lo <= hi <= 0.5`` (0.5 is the Nyquist limit). Default
            ``(0.01, 0.1)``: periods of 10 to 100 steps.
        phase_range: ``(lo, hi)`` phase bounds in radians, each in
            ``[0, 2 * pi]``. Default ``(0, 2 * pi)``.
        seed: None, a non-negative int or a ``numpy.random.Generator``. Default
            None (fresh randomness).

    Returns:
        float32 array of shape ``(n, length, n_features)``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a count is not positive, ``noise < 0`` or a range is invalid.

    Example:
        >>> x = make_sine_waves(3, length=8, n_features=2, seed=0)
        >>> x.shape, x.dtype
        ((3, 8, 2), dtype('float32'))
        >>> quarter = make_sine_waves(1, length=5, freq_range=(0.25, 0.25),
        ...                           phase_range=(0.0, 0.0))
        >>> np.round(quarter[0, :, 0], 6)
        array([ 0.,  1.,  0., -1., -0.], dtype=float32)

        The classic 100 points of ``sin(t)`` (one radian per step):

        >>> f = 1 / (2 * np.pi)
        >>> wave = make_sine_waves(1, length=100, freq_range=(f, f), phase_range=(0, 0))
        >>> bool(np.allclose(wave[0, :, 0], np.sin(np.arange(100)), atol=1e-6))
        True
    """
    n = check_int(n, "n", minimum=1)
    length = check_int(length, "length", minimum=1)
    n_features = check_int(n_features, "n_features", minimum=1)
    noise = check_float(noise, "noise", low=0.0)
    f_lo, f_hi = _check_range(
        freq_range, "freq_range", low=0.0, high=0.5, low_inclusive=False
    )
    p_lo, p_hi = _check_range(
        phase_range, "phase_range", low=0.0, high=2 * np.pi, low_inclusive=True
    )
    rng = _rng(seed)
    freq = rng.uniform(f_lo, f_hi, size=(n, 1, n_features))
    phase = rng.uniform(p_lo, p_hi, size=(n, 1, n_features))
    t = np.arange(length, dtype=np.float64).reshape(1, length, 1)
    waves = np.sin(2 * np.pi * freq * t + phase)
    if noise > 0:
        waves = waves + noise * rng.standard_normal(waves.shape)
    return waves.astype(np.float32)


def make_adding_problem(
    n: int, *, length: int = 50, seed: int | np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Generate the adding problem (Hochreiter & Schmidhuber, 1997).

    Each sequence has two features per step: a value drawn uniformly from
    ``[0, 1)`` and a marker that is 1 at exactly two steps and 0 elsewhere. One
    marker falls in the first half (steps ``0 .. length // 2 - 1``), the other in
    the second half, so the network must remember a value across about
    ``length / 2`` steps. The target is the sum of the two marked values. Always
    predicting 1.0 gives a mean squared error of about 1/6, the baseline to beat.

    Args:
        n: Number of sequences, a positive integer.
        length: Time steps per sequence, >= 2. Default 50.
        seed: None, a non-negative int or a ``numpy.random.Generator``. Default None.

    Returns:
        ``(X, y)``: X float32 of shape ``(n, length, 2)`` (``X[..., 0]`` the values,
        ``X[..., 1]`` the markers), y float32 of shape ``(n, 1)`` with
        ``y[i, 0] == X[i, :, 0] @ X[i, :, 1]``.

    Raises:
        TypeError / ValueError: If ``n`` is not a positive integer or ``length`` is
            not an integer >= 2.

    Example:
        >>> X, y = make_adding_problem(4, length=6, seed=0)
        >>> X.shape, y.shape, X.dtype
        ((4, 6, 2), (4, 1), dtype('float32'))
        >>> X[..., 1].sum(axis=1)
        array([2., 2., 2., 2.], dtype=float32)
        >>> bool(np.all(y[:, 0] == (X[..., 0] * X[..., 1]).sum(axis=1)))
        True
    """
    n = check_int(n, "n", minimum=1)
    length = check_int(length, "length", minimum=2)
    rng = _rng(seed)
    half = length // 2
    values = rng.uniform(0.0, 1.0, size=(n, length)).astype(np.float32)
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    markers = np.zeros((n, length), dtype=np.float32)
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=-1)
    y = (values[rows, first] + values[rows, second]).reshape(n, 1)
    return X, y.astype(np.float32)


def make_copy_task(
    n: int,
    *,
    length: int = 10,
    n_symbols: int = 8,
    delay: int = 10,
    seed: int | np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Generate the copy (memory) task of Arjovsky, Shah & Bengio (2016).

    Token ids: ``0`` is the blank, ``1 .. n_symbols`` are the symbols to remember
    and ``n_symbols + 1`` is the delimiter ("now recall"). Each sequence has
    ``timesteps = 2 * length + delay`` steps::

        X:  s1 .. s_length | 0 x (delay - 1) | delimiter | 0 x length
        y:  0 x (length + delay)                         | s1 .. s_length

    so the network must output the ``length`` symbols, in order, starting right
    after the delimiter, and blanks before. Predicting blanks then random symbols
    gives a cross-entropy of ``length * log(n_symbols) / timesteps`` nats per step,
    the baseline to beat. Use a vocabulary of ``n_symbols + 2`` tokens.

    Args:
        n: Number of sequences, a positive integer.
        length: Symbols to copy per sequence. Default 10.
        n_symbols: Size of the symbol alphabet. Default 8.
        delay: Steps from the last symbol to the first recall step (the
            delimiter is the last of them), >= 1. Default 10.
        seed: None, a non-negative int or a ``numpy.random.Generator``. Default None.

    Returns:
        ``(X, y)``, both int32 of shape ``(n, 2 * length + delay)``.

    Raises:
        TypeError / ValueError: If a count is not a positive integer.

    Example:
        >>> X, y = make_copy_task(1, length=3, n_symbols=4, delay=2, seed=0)
        >>> X.shape, X.dtype
        ((1, 8), dtype('int32'))
        >>> symbols = X[0, :3]
        >>> X[0, 3:].tolist(), bool(np.all(y[0, 5:] == symbols)), y[0, :5].tolist()
        ([0, 5, 0, 0, 0], True, [0, 0, 0, 0, 0])
    """
    n = check_int(n, "n", minimum=1)
    length = check_int(length, "length", minimum=1)
    n_symbols = check_int(n_symbols, "n_symbols", minimum=1)
    delay = check_int(delay, "delay", minimum=1)
    rng = _rng(seed)
    timesteps = 2 * length + delay
    symbols = rng.integers(1, n_symbols + 1, size=(n, length), dtype=np.int32)
    X = np.zeros((n, timesteps), dtype=np.int32)
    y = np.zeros((n, timesteps), dtype=np.int32)
    X[:, :length] = symbols
    X[:, length + delay - 1] = n_symbols + 1
    y[:, length + delay :] = symbols
    return X, y


def make_addition_pairs(
    n: int,
    *,
    digits: int = 3,
    reverse: bool = False,
    seed: int | np.random.Generator | None = None,
) -> tuple[list[str], list[str]]:
    """Generate distinct addition questions and answers as fixed-width strings.

    As in the keras-io ``addition_rnn`` example ("learning to execute"): a question
    ``"a+b"`` right-padded with spaces to ``2 * digits + 1`` characters and its
    answer ``str(a + b)`` right-padded to ``digits + 1`` characters. The ordered
    pairs ``(a, b)`` are drawn uniformly *without replacement* from
    ``0 .. 10**digits - 1`` squared, so no question repeats (hence most operands
    have ``digits`` digits) and ``n`` may be at most ``10 ** (2 * digits)``.

    Args:
        n: Number of pairs, ``1 <= n <= 10 ** (2 * digits)``.
        digits: Maximum digits per operand, 1 to 9. Default 3.
        reverse: If True, each padded question is reversed character by character
            (e.g. ``"12+345 "`` -> ``" 543+21"``), which shortens the paths an
            encoder-decoder must learn; answers are never reversed. Default False.
        seed: None, a non-negative int or a ``numpy.random.Generator``. Default None.

    Returns:
        ``(questions, answers)``: two lists of ``n`` strings of widths
        ``2 * digits + 1`` and ``digits + 1``.

    Raises:
        TypeError / ValueError: If ``n`` or ``digits`` is out of range or
            ``reverse`` is not a bool.

    Example:
        >>> questions, answers = make_addition_pairs(3, digits=2, seed=0)
        >>> [len(q) for q in questions], [len(a) for a in answers]
        ([5, 5, 5], [3, 3, 3])
        >>> all(eval(q) == int(a) for q, a in zip(questions, answers))
        True
        >>> make_addition_pairs(1, digits=1, reverse=True, seed=0)[0][0][::-1] == (
        ...     make_addition_pairs(1, digits=1, seed=0)[0][0])
        True
    """
    digits = check_int(digits, "digits", minimum=1, maximum=9)
    limit = 10**digits
    n = check_int(n, "n", minimum=1, maximum=limit * limit)
    check_type(reverse, "reverse", bool, "a bool")
    rng = _rng(seed)
    codes = rng.choice(limit * limit, size=n, replace=False)
    questions, answers = [], []
    for code in codes.tolist():
        a, b = divmod(code, limit)
        question = f"{a}+{b}".ljust(2 * digits + 1)
        questions.append(question[::-1] if reverse else question)
        answers.append(str(a + b).ljust(digits + 1))
    return questions, answers
