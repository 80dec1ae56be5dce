"""The char LM of `benchmarks/language_model.py` trained by PyTorch's own layers.

`train_torch` trains ``nn.Embedding -> nn.GRU/nn.LSTM -> nn.Linear`` on exactly
the batches `rnn_zoo.fit` sees (the same `char_dataset`, same seed), with the
same recipe (Adam, the config's learning rate, each gradient's norm clipped to 1
as Keras' ``clipnorm`` does, the same wall-clock budget checked after every
batch), then copies the weights into the Keras model `build_char_lm` makes, so
`language_model.py` scores and times it like every other configuration. The copy
is checked: the Keras model's logits must equal PyTorch's on a batch.

PyTorch is a benchmark-only dependency (``pip install -r
benchmarks/requirements.txt``).
"""

from __future__ import annotations

import time

import numpy as np


def train_torch(config: dict, corpus, minutes: float, seed: int, build, dataset):
    """Train ``config``'s model in PyTorch for ``minutes``; return (model, steps, s).

    Args:
        config: A `language_model.SWEEP` entry (cell, units, layers, sizes, lr).
        corpus: The `CharCorpus`.
        minutes: The wall-clock budget.
        seed: Seeds PyTorch's initialisation and the batch order.
        build: ``config, vocab_size -> keras.Model`` (`language_model._build`).
        dataset: ``config, corpus, seed -> tf.data.Dataset`` of (x, y) batches.

    Returns:
        ``(keras_model, steps, seconds)``: the Keras model holds the trained
        weights.
    """
    import torch

    torch.manual_seed(seed)
    vocab = corpus.tokenizer.vocab_size
    rnn_class = {"gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[config["cell"]]
    net = torch.nn.ModuleDict(
        {
            "emb": torch.nn.Embedding(vocab, config["embedding_dim"]),
            "rnn": rnn_class(
                config["embedding_dim"],
                config["units"],
                config["layers"],
                batch_first=True,
            ),
            "out": torch.nn.Linear(config["units"], vocab),
        }
    )
    optimizer = torch.optim.Adam(net.parameters(), config["learning_rate"])
    loss_fn = torch.nn.CrossEntropyLoss()
    data = dataset(config, corpus, seed)
    steps, start, budget = 0, time.perf_counter(), minutes * 60
    while time.perf_counter() - start < budget:
        for x, y in data.as_numpy_iterator():
            x, y = torch.from_numpy(x).long(), torch.from_numpy(y).long()
            optimizer.zero_grad()
            logits = net["out"](net["rnn"](net["emb"](x))[0])
            loss_fn(logits.reshape(-1, vocab), y.reshape(-1)).backward()
            for parameter in net.parameters():  # Keras' clipnorm: per variable
                torch.nn.utils.clip_grad_norm_([parameter], 1.0)
            optimizer.step()
            steps += 1
            if time.perf_counter() - start >= budget:
                break
    seconds = time.perf_counter() - start
    model = build(config, vocab)
    copy_weights(net, model, config)
    _check_same_logits(net, model, x.numpy(), torch)
    return model, steps, seconds


def copy_weights(net, model, config: dict) -> None:
    """Put PyTorch's weights into the Keras char LM, in Keras' layouts.

    GRU: PyTorch's gates are (r, z, n), Keras' (z, r, h); both apply the reset
    gate after the recurrent matmul (Keras ``reset_after=True``), and Keras keeps
    the input and recurrent biases as the two rows of ``bias``. LSTM: both use
    (i, f, g/c, o); Keras has one bias, the sum of PyTorch's two.
    """

    def numpy(tensor):
        return tensor.detach().numpy()

    model.get_layer("embedding").set_weights([numpy(net["emb"].weight)])
    units = config["units"]
    for index in range(config["layers"]):
        w_ih = numpy(getattr(net["rnn"], f"weight_ih_l{index}"))
        w_hh = numpy(getattr(net["rnn"], f"weight_hh_l{index}"))
        b_ih = numpy(getattr(net["rnn"], f"bias_ih_l{index}"))
        b_hh = numpy(getattr(net["rnn"], f"bias_hh_l{index}"))
        if config["cell"] == "gru":
            order = np.r_[units : 2 * units, 0:units, 2 * units : 3 * units]
            biases = np.stack([b_ih[order], b_hh[order]])
            weights = [w_ih[order].T, w_hh[order].T, biases]
        else:
            weights = [w_ih.T, w_hh.T, b_ih + b_hh]
        model.get_layer(f"rnn_{index}").set_weights(weights)
    model.get_layer("logits").set_weights(
        [numpy(net["out"].weight).T, numpy(net["out"].bias)]
    )


def _check_same_logits(net, model, x: np.ndarray, torch) -> None:
    with torch.no_grad():
        expected = net["out"](net["rnn"](net["emb"](torch.from_numpy(x).long()))[0])
    got = model.predict_on_batch(x)
    gap = float(np.max(np.abs(got - expected.numpy())))
    if gap > 1e-3:
        raise RuntimeError(f"the copied weights give other logits (max gap {gap:g})")
