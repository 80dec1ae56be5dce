"""Tests for rnn_zoo.saving: safe `.keras` loading and saving."""

from __future__ import annotations

import importlib
import json
import re
import sys
import warnings
import zipfile

import keras
import numpy as np
import pytest

from rnn_zoo import saving as serialization
from rnn_zoo.saving import load_model, save_model


def _lstm_model() -> keras.Model:
    inputs = keras.Input((5, 3), name="series")
    hidden = keras.layers.LSTM(4, return_sequences=True, name="lstm")(inputs)
    hidden = keras.layers.GRU(3, name="gru")(hidden)
    outputs = keras.layers.Dense(2, name="head")(hidden)
    return keras.Model(inputs, outputs, name="tiny")


@pytest.fixture
def saved(tmp_path):
    model = _lstm_model()
    path = tmp_path / "tiny.keras"
    model.save(path)
    return model, path


@pytest.fixture
def unsafe_deserialization(monkeypatch):
    """Turn Keras' global unsafe flag on for one test, and back off afterwards.

    `keras.config.enable_unsafe_deserialization()` has no "disable"; the flag is
    the thread-local attribute `safe_mode_saving` of Keras' global state tracker.
    Setting it through monkeypatch first records the old value (or its absence),
    so teardown restores it exactly.
    """
    from keras.src.backend.common import global_state

    monkeypatch.setattr(
        global_state.GLOBAL_STATE_TRACKER, "safe_mode_saving", None, raising=False
    )
    keras.config.enable_unsafe_deserialization()
    yield global_state


def _lambda_model_file(tmp_path) -> tuple:
    inputs = keras.Input((5, 3))
    doubled = keras.layers.Lambda(lambda x: x * 2.0, name="double")(inputs)
    model = keras.Model(inputs, keras.layers.LSTM(2)(doubled))
    path = tmp_path / "lambda.keras"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that lambdas are unsafe
        model.save(path)
    return model, path


def test_round_trip_gives_identical_predictions(saved, rng):
    model, path = saved
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model(x).numpy())
    assert [layer.name for layer in loaded.layers] == [
        "series",
        "lstm",
        "gru",
        "head",
    ]


@pytest.mark.filterwarnings("ignore:Skipping variable loading for optimizer")
def test_compile_flag_is_passed_through(tmp_path):
    model = _lstm_model()
    model.compile(optimizer="adam", loss="mse")
    path = save_model(model, tmp_path / "compiled.keras")
    assert load_model(path).compiled
    assert not load_model(path, compile=False).compiled


def test_save_model_creates_parent_dirs_and_round_trips(tmp_path, rng):
    model = _lstm_model()
    path = save_model(model, str(tmp_path / "a" / "b" / "m.keras"))
    assert path == tmp_path / "a" / "b" / "m.keras"
    assert zipfile.is_zipfile(path)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    np.testing.assert_array_equal(load_model(path)(x).numpy(), model(x).numpy())


def test_save_model_refuses_overwrite_when_asked(saved):
    model, path = saved
    with pytest.raises(FileExistsError, match="Pass `overwrite=True`"):
        save_model(model, path, overwrite=False)


def test_save_model_rejects_bad_suffix_lambda_and_non_model(tmp_path):
    with pytest.raises(ValueError, match=r"the suffix given is '\.h5'"):
        save_model(_lstm_model(), tmp_path / "m.h5")
    model, _ = _lambda_model_file(tmp_path)
    with pytest.raises(ValueError, match=r"Lambda layer \('double'\)"):
        save_model(model, tmp_path / "again.keras")
    with pytest.raises(TypeError, match="`model` must be a keras.Model"):
        save_model("model", tmp_path / "m.keras")


def test_registered_custom_layer_loads_without_custom_objects(tmp_path, rng):
    @keras.saving.register_keras_serializable(package="rnn_zoo_tests")
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    inputs = keras.Input((5, 3))
    model = keras.Model(inputs, keras.layers.LSTM(2)(Scale(3.0, name="scale")(inputs)))
    path = save_model(model, tmp_path / "custom.keras")
    loaded = load_model(path)
    assert loaded.get_layer("scale").factor == 3.0
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())


def test_unsafe_flag_on_refuses_to_load(saved, unsafe_deserialization):
    _, path = saved
    with pytest.raises(RuntimeError, match="unsafe deserialization is enabled") as e:
        load_model(path)
    assert "arbitrary Python code through a Lambda layer" in str(e.value)
    assert "clear_session" in str(e.value)


def test_unsafe_flag_restored_by_monkeypatch_allows_loading_again(saved):
    from keras.src.backend.common import global_state
    from keras.src.saving.serialization_lib import in_safe_mode

    _, path = saved
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            global_state.GLOBAL_STATE_TRACKER, "safe_mode_saving", None, raising=False
        )
        keras.config.enable_unsafe_deserialization()
        assert in_safe_mode() is False
        with pytest.raises(RuntimeError, match="unsafe deserialization"):
            load_model(path)
    assert in_safe_mode() is None
    assert load_model(path).name == "tiny"


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("model.h5", r"keras\.saving\.load_model\('model\.h5'\)\.save"),
        ("model.hdf5", "Legacy HDF5 files are not accepted"),
        ("model.pkl", "Pickled models can run arbitrary code"),
        ("saved_model.pb", "TensorFlow SavedModels are not accepted"),
        ("model.json", r"Save the model with `model\.save\('model\.keras'\)`"),
    ],
)
def test_non_keras_suffix_is_rejected(tmp_path, name, hint):
    path = tmp_path / name
    path.write_bytes(b"not a model")
    suffix = path.suffix
    with pytest.raises(ValueError, match="only `.keras` archives are accepted") as e:
        load_model(path)
    message = str(e.value)
    assert message.startswith("`path` must be a `.keras` archive")
    assert f"the suffix given is '{suffix}'" in message
    assert f"Received: path='{path}'" in message
    assert len(re.findall(hint, message)) == 1


def test_path_without_suffix_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="the suffix given is no suffix"):
        load_model(tmp_path / "model")


def test_directory_is_rejected(tmp_path):
    folder = tmp_path / "saved_model"
    folder.mkdir()
    (folder / "saved_model.pb").write_bytes(b"")
    with pytest.raises(ValueError, match="not a directory") as e:
        load_model(folder)
    assert f"Received: path='{folder}'" in str(e.value)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.keras"
    with pytest.raises(FileNotFoundError, match="`path` must be an existing") as e:
        load_model(path)
    assert f"Received: path='{path}'" in str(e.value)


def test_truncated_archive(saved, tmp_path):
    _, path = saved
    data = path.read_bytes()
    cut = tmp_path / "cut.keras"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="corrupted or truncated") as e:
        load_model(cut)
    assert f"Received: path='{cut}'" in str(e.value)
    assert "not a readable zip file" in str(e.value)


def test_random_bytes_with_keras_suffix(tmp_path, rng):
    path = tmp_path / "noise.keras"
    path.write_bytes(rng.integers(0, 256, size=4096, dtype=np.uint8).tobytes())
    with pytest.raises(ValueError, match="corrupted or truncated"):
        load_model(path)


def test_zip_without_config(tmp_path):
    path = tmp_path / "empty.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", "{}")
    with pytest.raises(ValueError, match="corrupted or truncated: it has no config"):
        load_model(path)


def test_zip_with_invalid_config_json(tmp_path):
    path = tmp_path / "bad.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", "{not json")
    with pytest.raises(ValueError, match="config.json is not valid JSON"):
        load_model(path)


def test_corrupted_weights_are_reported_as_corrupted(saved, tmp_path):
    _, path = saved
    broken = tmp_path / "broken.keras"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith(".h5"):
                data = data[: len(data) // 3]
            dst.writestr(item, data)
    with pytest.raises(ValueError, match="corrupted or truncated"):
        load_model(broken)


def test_unregistered_custom_layer_is_explained(tmp_path):
    class Unregistered(keras.layers.Layer):
        def call(self, x):
            return x

    inputs = keras.Input((5, 3))
    model = keras.Model(inputs, keras.layers.LSTM(2)(Unregistered(name="odd")(inputs)))
    path = save_model(model, tmp_path / "unregistered.keras")
    with pytest.raises(
        ValueError, match="a `.keras` archive that Keras can rebuild"
    ) as e:
        load_model(path)
    message = str(e.value)
    assert "Unregistered" in message
    assert "register_keras_serializable" in message
    assert len(message) < 1000


def test_lambda_layer_is_refused(tmp_path):
    _, path = _lambda_model_file(tmp_path)
    with pytest.raises(ValueError, match="Lambda layer") as e:
        load_model(path)
    message = str(e.value)
    assert "contains a Lambda layer ('double')" in message
    assert "not loadable in safe mode" in message
    assert "rnn_zoo models never use them" in message


def test_python_lambda_anywhere_in_config_is_refused(tmp_path):
    path = tmp_path / "lambda_loss.keras"
    config = {
        "class_name": "Functional",
        "compile_config": {"loss": {"class_name": "__lambda__", "config": {}}},
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
    with pytest.raises(ValueError, match="It contains a Python lambda"):
        load_model(path)


def test_keras_lambda_error_is_rewrapped(tmp_path, monkeypatch):
    """If the pre-scan missed a lambda, Keras' safe mode error is still rewrapped."""
    _, path = _lambda_model_file(tmp_path)
    monkeypatch.setattr(serialization, "_find_lambda", lambda config: None)
    with pytest.raises(ValueError, match="not loadable in safe mode") as e:
        load_model(path)
    assert "Lambda" in str(e.value.__cause__)


def test_bad_argument_types(saved):
    _, path = saved
    with pytest.raises(TypeError, match="`path` must be a str or os.PathLike"):
        load_model(3)
    with pytest.raises(TypeError, match="`compile` must be True or False"):
        load_model(path, compile="yes")


def test_only_rnn_zoo_modules_are_imported(monkeypatch):
    imported = []
    monkeypatch.setattr(importlib, "import_module", imported.append)
    config = {
        "layers": [
            {"registered_name": "rnn_zoo>A", "module": "rnn_zoo._validation"},
            {"registered_name": "rnn_zoo>B", "module": "rnn_zoo.models.not_there"},
            {"registered_name": "rnn_zoo>C", "module": "os"},
            {"registered_name": "rnn_zoo>D", "module": "rnn_zoo_evil.x"},
            {"registered_name": "other>E", "module": "rnn_zoo.models"},
        ]
    }
    serialization._import_registered_modules(config)
    assert imported == ["rnn_zoo._validation"]
    assert "rnn_zoo.models.not_there" not in sys.modules


# ------------------------------------ issue 11 row 5: suffix rule shared with load


def test_save_model_accepts_an_upper_case_suffix_like_load_model(tmp_path):
    inputs = keras.Input((3, 2))
    model = keras.Model(inputs, keras.layers.GRU(2, name="gru")(inputs))
    path = save_model(model, tmp_path / "m.KERAS")
    assert path == tmp_path / "m.KERAS" and path.is_file()
    loaded = load_model(path)
    x = np.ones((1, 3, 2), "float32")
    np.testing.assert_allclose(
        loaded.predict(x, verbose=0), model.predict(x, verbose=0)
    )
    assert [p.name for p in tmp_path.iterdir()] == ["m.KERAS"]
