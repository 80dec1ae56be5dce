"""Setting up multi-worker training: TF_CONFIG, the strategy's timing, folders.

In this process TensorFlow has run operations already, so the strategy itself
cannot be created here (that is the point of one test); the two-worker runs
are in test_multiworker.py.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from rnn_zoo.tasks.run_folder import RunFolderError, training_out
from rnn_zoo.training import fit
from rnn_zoo.training.multiworker import (
    is_chief,
    is_multi_worker,
    multiworker_strategy,
    worker_folder,
    worker_name,
)


@pytest.mark.parametrize(
    "config",
    [
        "not json",
        '{"cluster": {}, "task": {"type": "worker", "index": 0}}',
        '{"cluster": {"worker": ["127.0.0.1:1"]}}',
        '{"cluster": {"worker": ["127.0.0.1:1"]}, "task": {"type": "ps", "index": 0}}',
        '{"cluster": {"worker": ["127.0.0.1:1"]}, "task": {"type": "worker", '
        '"index": 1}}',
    ],
)
def test_a_bad_tf_config_is_named(monkeypatch, config):
    monkeypatch.setenv("TF_CONFIG", config)
    with pytest.raises(ValueError, match=r"`TF_CONFIG` must be JSON like \{"):
        multiworker_strategy()
    with pytest.raises(RunFolderError, match="`TF_CONFIG` must be JSON like"):
        with training_out("out", "multiworker"):
            pass


def test_the_strategy_must_come_before_tensorflow_runs(monkeypatch):
    from rnn_zoo.training import multiworker

    hosts = '["127.0.0.1:1", "127.0.0.1:2"]'  # never contacted: it fails first
    config = f'{{"cluster": {{"worker": {hosts}}}, "task": {{"type": "worker", '
    monkeypatch.setenv("TF_CONFIG", config + '"index": 1}}')
    monkeypatch.setattr(multiworker, "_STRATEGY", None)
    tf.constant(1.0)  # TensorFlow has run an operation in this process
    with pytest.raises(RuntimeError, match="before TensorFlow runs its first"):
        multiworker_strategy()
    x, y = np.zeros((4, 5, 2), "float32"), np.zeros((4, 1), "float32")
    with pytest.raises(RuntimeError, match="Call `rnn_zoo.training.multiworker_st"):
        fit(lambda: None, (x, y), loss="mse", strategy="multiworker")


def test_one_process_is_its_own_chief(tmp_path):
    default = tf.distribute.get_strategy()
    assert is_chief(None) and is_chief(default)
    assert not is_multi_worker(None) and not is_multi_worker(default)
    assert worker_name(default) == "chief"
    with worker_folder(tmp_path / "run", default) as folder:
        assert folder == str(tmp_path / "run")
    with worker_folder(None, default) as folder:
        assert folder is None


def test_training_out_without_a_strategy_is_the_folder_itself(tmp_path):
    with training_out(tmp_path / "lm") as (folder, strategy):
        assert folder == tmp_path / "lm" and strategy is None
    with pytest.raises(RunFolderError, match="--strategy must be one of none, mult"):
        with training_out(tmp_path / "lm", "mirrored"):
            pass
