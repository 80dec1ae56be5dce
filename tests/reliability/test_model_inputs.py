"""Bad-input tables for datasets, builders, fit and save/load.

Each row is an input a learner plausibly passes and the error type and message
fragment expected: a ValueError/TypeError (or the package's own error) naming the
argument, before any TensorFlow traceback and before any training.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_zoo.datasets import (
    fetch,
    load_shakespeare,
    load_stock_prices,
    make_adding_problem,
    make_sine_waves,
)
from rnn_zoo.models import (
    build_char_lm,
    build_forecaster,
    build_sequence_classifier,
    build_sequence_regressor,
    load_model,
    recurrent_stack,
    save_model,
)
from rnn_zoo.training import fit
from tests.reliability.table import check_row, row

DATASETS = [
    row(
        lambda: fetch("shakespear"),
        ValueError,
        "`name` must be one of 'tinyshakespeare'",
        "fetch-typo",
    ),
    row(
        lambda: fetch("tinyshakespeare", path="/no/such/file.txt"),
        ValueError,
        "`path` must be an existing file",
        "fetch-missing-path",
    ),
    row(
        lambda: fetch("tinyshakespeare", download="no"),
        TypeError,
        "`download` must be a bool",
        "fetch-download-str",
    ),
    row(
        lambda: load_shakespeare(path="/no/such/file.txt"),
        ValueError,
        "`path` must be an existing file",
        "shakespeare-missing-path",
    ),
    row(
        lambda: load_stock_prices("/no/such/prices.csv"),
        ValueError,
        "/no/such/prices.csv",
        "stocks-missing-csv",
    ),
    row(lambda: make_sine_waves(0), ValueError, "`n` must be a positive", "sine-n-0"),
    row(
        lambda: make_sine_waves(2, noise=-1.0),
        ValueError,
        "`noise` must be",
        "sine-negative-noise",
    ),
    row(
        lambda: make_adding_problem(2, length=1),
        ValueError,
        "`length` must be",
        "adding-length-1",
    ),
]

BUILDERS = [
    row(
        lambda: build_forecaster(0, 2),
        ValueError,
        "`lookback` must be a positive",
        "forecaster-lookback-0",
    ),
    row(
        lambda: build_forecaster(10, 2, horizon=0),
        ValueError,
        "`horizon` must be a positive",
        "forecaster-horizon-0",
    ),
    row(
        lambda: build_forecaster(10, 2, cell="transformer"),
        ValueError,
        "`cell` must be one of 'lstm', 'gru', 'rnn'",
        "forecaster-cell",
    ),
    row(
        lambda: build_forecaster(10, 2, dropout=1.0),
        ValueError,
        "`dropout` must be a number in [0.0, 1.0)",
        "forecaster-dropout-1",
    ),
    row(
        lambda: build_forecaster(10, 2, units=[8, 4], num_layers=3),
        ValueError,
        "`num_layers`",
        "forecaster-units-layers-mismatch",
    ),
    row(
        lambda: build_char_lm(2),
        ValueError,
        "`vocab_size` must be an integer >= 3",
        "lm-vocab-2",
    ),
    row(
        lambda: build_char_lm(40, stateful=True),
        ValueError,
        "`batch_size` must be a positive integer when",
        "lm-stateful-no-batch",
    ),
    row(
        lambda: build_char_lm(40, units=0),
        ValueError,
        "`units` must be a positive",
        "lm-units-0",
    ),
    row(
        lambda: build_sequence_classifier(vocab_size=1),
        ValueError,
        "`vocab_size` must be an integer >= 2",
        "classifier-vocab-1",
    ),
    row(
        lambda: build_sequence_classifier(5, 3, num_classes=1),
        ValueError,
        "`num_classes`",
        "classifier-one-class",
    ),
    row(
        lambda: build_sequence_regressor(5, 0),
        ValueError,
        "`n_features` must be a positive",
        "regressor-features-0",
    ),
    row(
        lambda: recurrent_stack(np.zeros((2, 5, 3)), units=4),
        TypeError,
        "`inputs`",
        "stack-numpy-input",
    ),
]


def _forecaster(horizon=1, features=2):
    return build_forecaster(5, features, horizon=horizon, units=4)


X = np.zeros((8, 5, 2), "float32")
Y1 = np.zeros((8, 1, 1), "float32")
Y3 = np.zeros((8, 3, 1), "float32")

FIT = [
    row(
        lambda: fit(_forecaster(), (X, Y3), loss="mse", verbose=0),
        ValueError,
        "targets of the model's shape (None, 1, 1)",
        "horizon-mismatch",
    ),
    row(
        lambda: fit(_forecaster(), (np.zeros((8, 5, 3)), Y1), loss="mse", verbose=0),
        ValueError,
        "inputs of the model's shape (None, 5, 2)",
        "feature-mismatch",
    ),
    row(
        lambda: fit(
            _forecaster(),
            tf.data.Dataset.from_tensor_slices((X, Y1)),
            loss="mse",
            verbose=0,
        ),
        ValueError,
        "`train` must be a batched dataset",
        "unbatched-dataset",
    ),
    row(
        lambda: fit(_forecaster(), (X, Y1[:4]), loss="mse", verbose=0),
        ValueError,
        "as many samples in X as in y",
        "sample-count-mismatch",
    ),
    row(
        lambda: fit(_forecaster(), X, loss="mse", verbose=0),
        TypeError,
        "`train` must be a batched tf.data.Dataset",
        "x-without-y",
    ),
    row(
        lambda: fit(_forecaster(), (X, Y1), verbose=0),
        ValueError,
        "`loss` must be given when `model` is not compiled",
        "no-loss",
    ),
    row(
        lambda: fit(_forecaster(), (X, Y1), loss="mse", epochs=0),
        ValueError,
        "`epochs` must be a positive",
        "epochs-0",
    ),
    row(
        lambda: fit(_forecaster(), (X, Y1), loss="mse", learning_rate=0),
        ValueError,
        "`learning_rate` must be a number > 0",
        "lr-0",
    ),
    row(
        lambda: fit(_forecaster(), (X, Y1), loss="mse", optimizer="adamm"),
        ValueError,
        "`optimizer` must be a Keras optimizer name",
        "optimizer-typo",
    ),
    row(
        lambda: fit(_forecaster(), (X, Y1), loss="mse", recompile="yes"),
        TypeError,
        "`recompile` must be True, False or None",
        "recompile-str",
    ),
    row(
        lambda: fit(keras.layers.LSTM(4), (X, Y1), loss="mse"),
        TypeError,
        "`model` must be a keras.Model or a callable",
        "layer-not-model",
    ),
    row(
        lambda: fit(
            _forecaster(),
            tf.data.Dataset.from_tensor_slices((X, Y1)).batch(4),
            loss="mse",
            batch_size=4,
        ),
        ValueError,
        "`batch_size` must be None when `train` is a dataset",
        "dataset-with-batch-size",
    ),
]


def _tiny_model():
    inputs = keras.Input((3, 2))
    return keras.Model(inputs, keras.layers.GRU(2, name="gru")(inputs))


SAVE_LOAD = [
    row(
        lambda: load_model("model.h5"),
        ValueError,
        "`path` must be a `.keras` archive",
        "load-h5",
    ),
    row(
        lambda: load_model("model.pkl"),
        ValueError,
        "Pickled models can run arbitrary code",
        "load-pickle",
    ),
    row(
        lambda: load_model("/no/such/model.keras"),
        FileNotFoundError,
        "`path` must be an existing `.keras` file",
        "load-missing",
    ),
    row(
        lambda: load_model(42),
        TypeError,
        "`path` must be a str or os.PathLike",
        "load-int",
    ),
    row(
        lambda: save_model(_tiny_model(), "model.h5"),
        ValueError,
        "`path` must be a `.keras` archive",
        "save-h5",
    ),
    row(
        lambda: save_model("model", "m.keras"),
        TypeError,
        "`model` must be a keras.Model",
        "save-not-model",
    ),
]


@pytest.mark.parametrize(("call", "error", "fragment"), DATASETS)
def test_datasets(call, error, fragment):
    check_row(call, error, fragment)


@pytest.mark.parametrize(("call", "error", "fragment"), BUILDERS)
def test_builders(call, error, fragment):
    check_row(call, error, fragment)


@pytest.mark.parametrize(("call", "error", "fragment"), FIT)
def test_fit(call, error, fragment):
    check_row(call, error, fragment)


@pytest.mark.parametrize(("call", "error", "fragment"), SAVE_LOAD)
def test_save_load(call, error, fragment):
    check_row(call, error, fragment)


def test_corrupt_archive_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.keras"
    path.write_bytes(b"not a zip")
    check_row(lambda: load_model(path), ValueError, "not a readable zip file")


def test_tables_cover_at_least_sixty_inputs():
    from tests.reliability import test_preprocessing_inputs as pre

    tables = [pre.WINDOWS, pre.SPLITS, pre.PAD, pre.TOKENIZERS, pre.SCALER]
    tables += [pre.RETURNS, DATASETS, BUILDERS, FIT, SAVE_LOAD]
    assert sum(len(table) for table in tables) >= 60
