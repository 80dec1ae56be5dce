"""Scoring models that add numbers: accuracy by operand length, a no-carry baseline.

- `accuracy_by_digits`: exact match (or token accuracy) for each number of
  operand digits, so "how far does it get" reads as one row of a table.
- `no_carry_answers`: the answers of a rule that adds digit by digit and drops
  every carry. It is right exactly when no column carries, so a model that does
  no better has not learned the carry, the one hard part of addition.

Pure Python and NumPy: importing this module does not import TensorFlow.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from rnn_zoo._validation import check_one_of, check_type, error_message
from rnn_zoo.evaluation.sequences import _paired, exact_match, token_accuracy

__all__ = ["accuracy_by_digits", "no_carry_answers"]

_METRICS = {"exact_match": exact_match, "token_accuracy": token_accuracy}
_QUESTION = re.compile(r"\d+\+\d+")


def accuracy_by_digits(
    predictions: Any, answers: Any, digits: Any, *, metric: str = "exact_match"
) -> dict[int, float]:
    """Score predictions separately for each operand length.

    Args:
        predictions: A list of predicted answer strings, one per problem.
        answers: The list of true answers (same length).
        digits: Operand length of each problem (a list or int array of the same
            length), e.g. ``AdditionProblems.digits``.
        metric: ``"exact_match"`` (default: the whole answer right) or
            ``"token_accuracy"`` (share of characters right, position by
            position; see ``rnn_zoo.evaluation.sequences``).

    Returns:
        ``{length: score}`` for every length present, in increasing order.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If the lengths of the three lists differ, they are empty, or
            ``metric`` is unknown.

    Example:
        >>> accuracy_by_digits(["3", "12", "99"], ["3", "13", "99"], [1, 2, 2])
        {1: 1.0, 2: 0.5}
        >>> accuracy_by_digits(["12"], ["13"], [2], metric="token_accuracy")
        {2: 0.5}
    """
    score = _METRICS[check_one_of(metric, "metric", tuple(_METRICS))]
    predictions, answers = _paired(predictions, answers)
    digits = np.asarray(digits)
    if digits.ndim != 1 or len(digits) != len(answers):
        raise ValueError(
            error_message(
                "digits",
                f"one operand length per answer ({len(answers)})",
                digits,
            )
        )
    if not np.issubdtype(digits.dtype, np.integer):
        raise TypeError(error_message("digits", "a list of integers", digits))
    out = {}
    for k in np.unique(digits).tolist():
        rows = np.flatnonzero(digits == k).tolist()
        out[int(k)] = score([predictions[i] for i in rows], [answers[i] for i in rows])
    return out


def no_carry_answers(questions: Any, *, reverse: bool = False) -> list[str]:
    """Answer ``"a+b"`` questions digit by digit, dropping every carry.

    Column ``i`` of the answer is ``(a_i + b_i) mod 10`` (operands aligned on the
    right, the shorter one padded with zeros); leading zeros are dropped. The
    answer equals ``a + b`` exactly when no column carries.

    Args:
        questions: A list of ``"a+b"`` strings (surrounding spaces allowed).
        reverse: True if the questions are reversed (``"54+321"`` for
            ``"123+45"``). Default False.

    Returns:
        One answer string per question.

    Raises:
        TypeError: If ``questions`` is not a list of strings.
        ValueError: If a question is not of the form ``digits+digits``.

    Example:
        >>> no_carry_answers(["123+45", "58+67", "5+5"])  # 168 right; 125, 10 not
        ['168', '15', '0']
        >>> no_carry_answers(["54+321"], reverse=True)
        ['168']
    """
    check_type(questions, "questions", (list, tuple), "a list of strings")
    check_type(reverse, "reverse", bool, "a bool")
    answers = []
    for i, question in enumerate(questions):
        check_type(question, f"questions[{i}]", str, "a string")
        text = question.strip()[::-1] if reverse else question.strip()
        if not _QUESTION.fullmatch(text):
            raise ValueError(
                error_message(
                    f"questions[{i}]",
                    "a string of the form 'digits+digits'"
                    + (" (reversed)" if reverse else ""),
                    question,
                )
            )
        a, b = text.split("+")
        width = max(len(a), len(b))
        columns = zip(a.zfill(width), b.zfill(width), strict=True)
        answers.append(
            str(int("".join(str((int(x) + int(y)) % 10) for x, y in columns)))
        )
    return answers
