"""units_for_budget: the width whose parameter count is nearest the budget."""

from __future__ import annotations

import keras
import pytest

from rnn_zoo.models import build_sequence_tagger, units_for_budget


def dense(units):
    inputs = keras.Input((3,))
    return keras.Model(inputs, keras.layers.Dense(units)(inputs))


@pytest.mark.parametrize(
    "budget, expected",
    [(1, 1), (6, 1), (8, 2), (12, 3), (17, 4), (18, 4), (19, 5), (10_000, 64)],
)
def test_dense_widths_by_hand(budget, expected):
    # Dense(u) on 3 inputs has 4u parameters
    assert units_for_budget(dense, budget, max_units=64) == expected


def test_bidirectional_tagger_matches_a_unidirectional_budget():
    def tagger(bidirectional):
        return lambda units: build_sequence_tagger(
            9, 5, embedding_dim=4, units=units, bidirectional=bidirectional
        )

    budget = tagger(False)(24).count_params()
    units = units_for_budget(tagger(True), budget, max_units=64)
    counts = {u: tagger(True)(u).count_params() for u in (units - 1, units, units + 1)}
    assert units < 24
    # the chosen width is the nearest of its neighbours
    assert abs(counts[units] - budget) <= abs(counts[units - 1] - budget)
    assert abs(counts[units] - budget) <= abs(counts[units + 1] - budget)


def test_bad_arguments():
    with pytest.raises(TypeError, match="`build` must be a function"):
        units_for_budget(3, 10)
    with pytest.raises(ValueError, match="`budget` must be a positive integer"):
        units_for_budget(dense, 0)
    with pytest.raises(ValueError, match="`max_units` must be a positive integer"):
        units_for_budget(dense, 10, max_units=0)
    with pytest.raises(TypeError, match="returning a keras.Model"):
        units_for_budget(lambda units: units, 10)
