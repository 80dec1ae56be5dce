"""Addition problems by operand length, and curricula over them.

"Learning to execute" (Zaremba & Sutskever, 2014) trains a sequence model to read
a program as text and write its output. Its simplest program is an addition,
``"123+456"`` -> ``"579"``; how hard it is depends on the number of digits.

- `make_addition_problems`: ``n`` problems whose two operands both have exactly
  ``k`` digits, ``k`` drawn per problem from ``digits``; returned with ``k``, so
  accuracy can be broken down by length. (``make_addition_pairs`` in
  ``rnn_zoo.datasets.synthetic`` is the keras-io variant: operands uniform on
  ``0 .. 10**digits - 1``, fixed-width padded strings.)
- `make_addition_curriculum`: the same problems cut into ``max_digits`` stages,
  the data of each stage chosen by a curriculum strategy from the paper:
  ``"mix"`` (every stage mixes all lengths, uniformly: the paper's *mix*
  strategy), ``"naive"`` (stage ``s`` has only ``s``-digit problems: short
  numbers first) or ``"combined"`` (each problem from the naive stage or from
  the mix, with equal odds).
- `addition_test_set`: a fixed test set with the same number of problems for
  every operand length from 1 to one digit more than trained.

Strings carry no padding (a seq2seq model pads and masks them). With
``reverse=True`` a question is reversed character by character (``"123+45"`` ->
``"54+321"``), the input-reversal trick; answers are never reversed.
Pure NumPy: importing this module does not import TensorFlow.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from rnn_zoo._validation import check_int, check_one_of, check_type, error_message
from rnn_zoo.datasets.synthetic import _rng

__all__ = [
    "CURRICULA",
    "AdditionProblems",
    "make_addition_problems",
    "make_addition_curriculum",
    "addition_test_set",
]

CURRICULA = ("mix", "naive", "combined")
MAX_DIGITS = 9


class AdditionProblems(NamedTuple):
    """Addition questions, their answers and the operands' number of digits.

    Attributes:
        questions: ``"a+b"`` strings (reversed when generated with
            ``reverse=True``), no padding.
        answers: ``str(a + b)``, never reversed.
        digits: int array ``(n,)``: how many digits each operand of the problem
            has.
    """

    questions: list[str]
    answers: list[str]
    digits: np.ndarray


def _check_digits(digits: Any, name: str = "digits") -> list[int]:
    allowed = f"an integer in [1, {MAX_DIGITS}] or a non-empty list of them"
    if isinstance(digits, numbers.Integral) and not isinstance(digits, bool):
        digits = [digits]
    if isinstance(digits, np.ndarray):
        digits = digits.tolist()
    if not isinstance(digits, Sequence) or isinstance(digits, str):
        raise TypeError(error_message(name, allowed, digits))
    if not digits:
        raise ValueError(error_message(name, allowed, digits))
    for k in digits:
        if not isinstance(k, numbers.Integral) or isinstance(k, bool):
            raise TypeError(error_message(name, allowed, digits))
        if not 1 <= k <= MAX_DIGITS:
            raise ValueError(error_message(name, allowed, digits))
    return [int(k) for k in digits]


def _problems(lengths: np.ndarray, reverse: bool, rng) -> AdditionProblems:
    low = np.where(lengths == 1, 0, 10 ** (lengths - 1))  # 1 digit: 0 .. 9
    high = 10**lengths
    a = rng.integers(low, high)
    b = rng.integers(low, high)
    questions, answers = [], []
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        question = f"{x}+{y}"
        questions.append(question[::-1] if reverse else question)
        answers.append(str(x + y))
    return AdditionProblems(questions, answers, lengths.astype("int64"))


def make_addition_problems(
    n: int,
    digits: int | Sequence[int],
    *,
    reverse: bool = False,
    seed: int | np.random.Generator | None = None,
) -> AdditionProblems:
    """Generate ``n`` addition problems with operands of a chosen length.

    Each problem draws its length ``k`` uniformly from ``digits``, then both
    operands uniformly among the ``k``-digit numbers (``10**(k-1) ..
    10**k - 1``; for ``k = 1``, ``0 .. 9``). Problems may repeat (there are only
    100 one-digit ones).

    Args:
        n: Number of problems, a positive integer.
        digits: The operand length, 1 to 9, or a non-empty list of lengths to
            draw from (e.g. ``[1, 2, 3]``; repeat a length to weight it).
        reverse: If True, reverse each question character by character (the
            input-reversal trick). Default False.
        seed: None, a non-negative int or a ``numpy.random.Generator``. Default
            None.

    Returns:
        An `AdditionProblems` ``(questions, answers, digits)``.

    Raises:
        TypeError / ValueError: If ``n``, ``digits``, ``reverse`` or ``seed`` is
            of the wrong type or out of range (named in the message).

    Example:
        >>> p = make_addition_problems(3, 2, seed=0)
        >>> [len(q) for q in p.questions], p.digits.tolist()
        ([5, 5, 5], [2, 2, 2])
        >>> all(eval(q) == int(a) for q, a in zip(p.questions, p.answers))
        True
        >>> r = make_addition_problems(3, 2, reverse=True, seed=0)
        >>> r.questions[0] == p.questions[0][::-1], r.answers == p.answers
        (True, True)
        >>> make_addition_problems(2, [1, 10])
        Traceback (most recent call last):
        ...
        ValueError: `digits` must be an integer in [1, 9] or a non-empty list of them. Received: digits=[1, 10]
    """  # noqa: E501
    n = check_int(n, "n", minimum=1)
    choices = np.array(_check_digits(digits))
    check_type(reverse, "reverse", bool, "a bool")
    rng = _rng(seed)
    lengths = choices[rng.integers(0, len(choices), size=n)]
    return _problems(lengths, reverse, rng)


def make_addition_curriculum(
    n_per_stage: int,
    max_digits: int,
    *,
    strategy: str = "naive",
    reverse: bool = False,
    seed: int | np.random.Generator | None = None,
) -> list[AdditionProblems]:
    """Addition problems for ``max_digits`` training stages, in training order.

    Stage ``s`` (1-based) draws each problem's operand length by ``strategy``:

    - ``"mix"``: uniformly from ``1 .. max_digits`` in every stage (Zaremba &
      Sutskever's *mix* strategy: no ordering by difficulty, every length
      from the start; their "no curriculum" baseline would train on
      ``max_digits``-digit problems only);
    - ``"naive"``: exactly ``s`` (short numbers first, the longest last);
    - ``"combined"``: with probability 1/2 as ``"naive"``, else as ``"mix"``
      (Zaremba & Sutskever's combined strategy, which keeps every length in
      view and so avoids forgetting the short ones).

    Args:
        n_per_stage: Problems per stage, a positive integer.
        max_digits: The longest operand length (and the number of stages), 1 to 9.
        strategy: ``"mix"``, ``"naive"`` (default) or ``"combined"``.
        reverse: Reverse each question (input-reversal trick). Default False.
        seed: None, a non-negative int or a ``numpy.random.Generator``. Default
            None.

    Returns:
        A list of ``max_digits`` `AdditionProblems`, one per stage.

    Raises:
        TypeError / ValueError: If an argument has the wrong type or is out of
            range (named in the message).

    Example:
        >>> stages = make_addition_curriculum(4, 3, strategy="naive", seed=0)
        >>> [s.digits.tolist() for s in stages]
        [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]
        >>> stages = make_addition_curriculum(1000, 3, strategy="mix", seed=0)
        >>> sorted(set(stages[0].digits.tolist()))
        [1, 2, 3]
    """
    n_per_stage = check_int(n_per_stage, "n_per_stage", minimum=1)
    max_digits = check_int(max_digits, "max_digits", minimum=1, maximum=MAX_DIGITS)
    check_one_of(strategy, "strategy", CURRICULA)
    check_type(reverse, "reverse", bool, "a bool")
    rng = _rng(seed)
    stages = []
    for stage in range(1, max_digits + 1):
        mixed = rng.integers(1, max_digits + 1, size=n_per_stage)
        if strategy == "mix":
            lengths = mixed
        elif strategy == "naive":
            lengths = np.full(n_per_stage, stage)
        else:
            lengths = np.where(rng.random(n_per_stage) < 0.5, stage, mixed)
        stages.append(_problems(lengths, reverse, rng))
    return stages


def addition_test_set(
    max_digits: int, per_digit: int, *, seed: int = 1234
) -> AdditionProblems:
    """``per_digit`` problems of each operand length ``1 .. max_digits + 1``.

    The last length is one digit more than a model trained on ``max_digits``
    ever saw, so the same set measures accuracy by length and generalisation.

    Args:
        max_digits: Longest operand length in training, 1 to 8.
        per_digit: Problems per length, a positive integer.
        seed: Seed of the test problems. Default 1234 (keep it fixed so every
            recipe and seed is scored on the same problems).

    Returns:
        `AdditionProblems` (not reversed), lengths in increasing order.

    Raises:
        TypeError / ValueError: If an argument is of the wrong type or out of
            range (named in the message).

    Example:
        >>> test = addition_test_set(2, 3)
        >>> test.digits.tolist()
        [1, 1, 1, 2, 2, 2, 3, 3, 3]
        >>> addition_test_set(2, 3).questions == test.questions  # fixed seed
        True
    """
    max_digits = check_int(max_digits, "max_digits", minimum=1, maximum=MAX_DIGITS - 1)
    per_digit = check_int(per_digit, "per_digit", minimum=1)
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    parts = [
        make_addition_problems(per_digit, k, seed=rng) for k in range(1, max_digits + 2)
    ]
    return AdditionProblems(
        [q for p in parts for q in p.questions],
        [a for p in parts for a in p.answers],
        np.concatenate([p.digits for p in parts]),
    )
