"""pad and mask_of: Keras semantics, right padding, no silent loss, masks, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_zoo.preprocessing.sequences import mask_of, pad

RAGGED = [[1], [2, 3], [4, 5, 6, 7]]


# --------------------------------------------------------------------------- pad


def test_pad_defaults_pad_and_truncate_at_the_end():
    np.testing.assert_array_equal(
        pad(RAGGED), [[1, 0, 0, 0], [2, 3, 0, 0], [4, 5, 6, 7]]
    )
    np.testing.assert_array_equal(pad(RAGGED, maxlen=2), [[1, 0], [2, 3], [4, 5]])
    assert pad(RAGGED).dtype == np.int32


def test_pad_pre_options_and_value():
    np.testing.assert_array_equal(
        pad(RAGGED, maxlen=3, padding="pre", truncating="pre", value=-1),
        [[-1, -1, 1], [-1, 2, 3], [5, 6, 7]],
    )
    np.testing.assert_array_equal(
        pad(RAGGED, maxlen=3, padding="pre"), [[0, 0, 1], [0, 2, 3], [4, 5, 6]]
    )
    np.testing.assert_array_equal(
        pad(RAGGED, maxlen=3, truncating="pre"), [[1, 0, 0], [2, 3, 0], [5, 6, 7]]
    )


def test_pad_matches_keras_pad_sequences(subtests):
    import keras

    for maxlen in (None, 1, 2, 5):
        for padding in ("pre", "post"):
            for truncating in ("pre", "post"):
                options = {
                    "maxlen": maxlen,
                    "padding": padding,
                    "truncating": truncating,
                }
                with subtests.test(**options):
                    np.testing.assert_array_equal(
                        pad(RAGGED, **options),
                        keras.utils.pad_sequences(RAGGED, **options),
                    )


def test_pad_floats_keep_their_values():
    out = pad([[0.5, 1.25], [2.0]], dtype="float32", value=-1.5)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[0.5, 1.25], [2.0, -1.5]])
    # integral floats may go into an integer dtype
    np.testing.assert_array_equal(pad([[1.0, 2.0], [3.0]]), [[1, 2], [3, 0]])


def test_pad_step_shapes_empty_sequences_and_arrays():
    steps = [np.ones((1, 2)), np.full((3, 2), 2.0)]
    out = pad(steps, dtype="float64")
    assert out.shape == (2, 3, 2)
    np.testing.assert_array_equal(out[0], [[1, 1], [0, 0], [0, 0]])
    np.testing.assert_array_equal(pad([[], [1, 2]]), [[0, 0], [1, 2]])
    np.testing.assert_array_equal(pad([[], []], maxlen=2), [[0, 0], [0, 0]])
    np.testing.assert_array_equal(
        pad(np.array([[1, 2], [3, 4]]), maxlen=3),
        [
            [1, 2, 0],
            [3, 4, 0],
        ],
    )
    np.testing.assert_array_equal(pad(([True, False],), dtype="uint8"), [[1, 0]])


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    sequences=st.lists(
        st.lists(st.integers(1, 1000), max_size=8), min_size=1, max_size=5
    ).filter(lambda seqs: any(seqs)),
    maxlen=st.one_of(st.none(), st.integers(1, 10)),
)
def test_pad_post_property(sequences, maxlen):
    out = pad(sequences, maxlen=maxlen)
    width = max(map(len, sequences)) if maxlen is None else maxlen
    assert out.shape == (len(sequences), width)
    for row, sequence in zip(out, sequences, strict=True):
        kept = sequence[:width]
        np.testing.assert_array_equal(row[: len(kept)], kept)
        assert (row[len(kept) :] == 0).all()
    # tokens are >= 1, so the mask counts exactly the kept tokens
    np.testing.assert_array_equal(
        mask_of(out).sum(axis=1), [min(len(s), width) for s in sequences]
    )


# (kwargs, error, match)
PAD_ERRORS = [
    ({"sequences": []}, ValueError, "`sequences` must be a non-empty list"),
    ({"sequences": 5}, TypeError, "`sequences` must be a list of sequences"),
    ({"sequences": "abc"}, TypeError, "`sequences` must be a list of sequences"),
    ({"sequences": {"a": [1]}}, TypeError, "`sequences` must be a list of sequences"),
    (
        {"sequences": (s for s in [[1]])},
        TypeError,
        r"Pass a list, e\.g\. `list\(generator\)`",
    ),
    ({"sequences": [1, 2, 3]}, TypeError, r"`sequences\[0\]` must be a list or array"),
    ({"sequences": [[1], "ab"]}, TypeError, r"`sequences\[1\]`.*Tokenize text first"),
    ({"sequences": [["a", "b"]]}, TypeError, r"`sequences\[0\]` must be a list"),
    (
        {"sequences": [[1, [2, 3]]]},
        ValueError,
        r"`sequences\[0\]` must be a rectangular",
    ),
    (
        {"sequences": [[[1, 2]], [[1, 2, 3]]]},
        ValueError,
        r"`sequences\[1\]` must be a sequence of steps of shape \(2,\)",
    ),
    ({"sequences": RAGGED, "maxlen": 0}, ValueError, "`maxlen` must be a positive"),
    ({"sequences": RAGGED, "maxlen": -3}, ValueError, "Received: maxlen=-3"),
    ({"sequences": RAGGED, "maxlen": 2.0}, TypeError, "`maxlen` must be a positive"),
    (
        {"sequences": [[], []]},
        ValueError,
        "`maxlen` must be an integer >= 1 when every sequence is empty",
    ),
    (
        {"sequences": RAGGED, "padding": "left"},
        ValueError,
        "`padding` must be one of 'pre', 'post'. Received: padding='left'",
    ),
    (
        {"sequences": RAGGED, "truncating": "middle"},
        ValueError,
        "`truncating` must be one of 'pre', 'post'",
    ),
    (
        {"sequences": [[1, 2], [0.5]]},
        ValueError,
        r"`dtype` must hold every value of `sequences` exactly\. Received: "
        r"dtype='int32', but sequences\[1\] holds 0\.5.*dtype=\"float32\"",
    ),
    ({"sequences": [[1.0, np.nan]]}, ValueError, "holds nan, which is not an integer"),
    ({"sequences": [[np.inf]]}, ValueError, "holds inf, which is not an integer"),
    (
        {"sequences": [[300]], "dtype": "int8"},
        ValueError,
        r"`dtype` must hold.*300, which is outside \[-128, 127\].*dtype='int64'",
    ),
    ({"sequences": [[-1]], "dtype": "uint8"}, ValueError, r"outside \[0, 255\]"),
    (
        {"sequences": [[1e300]], "dtype": "float32"},
        ValueError,
        "too large for float32.*dtype='float64'",
    ),
    (
        {"sequences": RAGGED, "value": 0.5},
        ValueError,
        r"`value` must be representable in dtype 'int32'\. Received: value=0\.5",
    ),
    (
        {"sequences": RAGGED, "value": -1, "dtype": "uint8"},
        ValueError,
        "`value` must be representable in dtype 'uint8'",
    ),
    ({"sequences": RAGGED, "value": "x"}, TypeError, "`value` must be a number"),
    ({"sequences": RAGGED, "dtype": "str"}, ValueError, "`dtype` must be a NumPy"),
    ({"sequences": RAGGED, "dtype": "nonsense"}, TypeError, "`dtype` must be a NumPy"),
    ({"sequences": RAGGED, "dtype": None}, TypeError, "Received: dtype=None"),
]


def test_pad_errors(subtests):
    for kwargs, error, match in PAD_ERRORS:
        with subtests.test(match=match), pytest.raises(error, match=match):
            pad(**kwargs)


# --------------------------------------------------------------------------- masks


def test_mask_of_2d_and_value():
    padded = np.array([[3, 4, 0], [5, 0, 0]])
    np.testing.assert_array_equal(
        mask_of(padded), [[True, True, False], [True, False, False]]
    )
    np.testing.assert_array_equal(
        mask_of([[3, -1], [-1, -1]], value=-1), [[True, False], [False, False]]
    )
    np.testing.assert_array_equal(
        mask_of(np.array([[1.0, np.nan]]), value=np.nan), [[True, False]]
    )


def test_mask_of_3d_needs_all_features_equal_like_keras_masking():
    import keras

    x = np.array(
        [[[1.0, 0.0], [0.0, 0.0], [0.0, 2.0]], [[0.0, 0.0], [3.0, 3.0], [0.0, 0.0]]],
        dtype="float32",
    )
    expected = [[True, False, True], [False, True, False]]
    np.testing.assert_array_equal(mask_of(x), expected)
    keras_mask = keras.layers.Masking(mask_value=0.0).compute_mask(x)
    np.testing.assert_array_equal(mask_of(x), keras.ops.convert_to_numpy(keras_mask))


# (padded, kwargs, error, match)
MASK_ERRORS = [
    (np.zeros(3), {}, ValueError, r"`padded` must be a 2-D \(batch, timesteps\)"),
    (np.zeros((1, 1, 1, 1)), {}, ValueError, "`padded` must be a 2-D"),
    ([["a", "b"]], {}, TypeError, "`padded` must be an array of numbers"),
    (np.zeros((2, 2)), {"value": "pad"}, TypeError, "`value` must be a number"),
]


def test_mask_of_errors(subtests):
    for padded, kwargs, error, match in MASK_ERRORS:
        with subtests.test(match=match), pytest.raises(error, match=match):
            mask_of(padded, **kwargs)


# ---------------------------------------- issue 11 row 7: mask_of on ragged input


def test_mask_of_ragged_list_says_to_pad_first():
    with pytest.raises(
        ValueError, match=r"`padded` must be a rectangular.*mask_of\(pad\(sequences\)\)"
    ):
        mask_of([[1, 2, 3], [4]])


# ----------------------------------- issue 11 row 3: integers above 2**24 in float


def test_pad_float32_refuses_integers_float32_would_round():
    with pytest.raises(ValueError, match="16777217.*float32"):
        pad([[16_777_217, 1]], dtype="float32")


def test_pad_float64_keeps_large_integers_exact():
    out = pad([[16_777_217, 1], [2]], dtype="float64")
    assert out[0, 0] == 16_777_217
    # negative control: integers float32 holds exactly still pad to float32
    assert pad([[16_777_216, 1]], dtype="float32")[0, 0] == 16_777_216
