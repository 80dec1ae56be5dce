"""Seq2SeqTranslator: learns a tiny mapping, bundle round trip, clear errors."""

from __future__ import annotations

import json

import keras
import numpy as np
import pytest

from rnn_zoo.preprocessing import CharTokenizer
from rnn_zoo.tasks.translator import BUNDLE_FILES, Seq2SeqTranslator
from rnn_zoo.training import fit

SOURCES = ["one", "two", "three", "four", "five", "six"]
TARGETS = ["1", "2", "3", "4", "5", "6"]
KWARGS = dict(embedding_dim=8, units=16, attention="luong")


@pytest.fixture(scope="module")
def trained():
    """A translator that has memorised SOURCES -> TARGETS (a few seconds)."""
    keras.utils.set_random_seed(0)
    translator = Seq2SeqTranslator.create(SOURCES, TARGETS, **KWARGS)
    x, y = translator.teacher_forcing(SOURCES * 30, TARGETS * 30)
    fit(
        translator.model,
        (x, y),
        epochs=2,
        batch_size=len(SOURCES),
        learning_rate=0.03,
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        early_stopping=None,
        verbose=0,
    )
    return translator


def test_teacher_forcing_arrays():
    translator = Seq2SeqTranslator.create(["ab", "b"], ["xy", "y"], units=2)
    (source, target_in), target_out = translator.teacher_forcing(
        ["  AB ", "b"], ["xy", "y"]
    )
    # source vocab: pad, unk, then 'b' (2 uses), 'a'; lower-cased, stripped
    assert source.tolist() == [[3, 2], [2, 0]]
    # target vocab: pad, unk, <s>=2, </s>=3, 'y' (2 uses)=4, 'x'=5
    assert target_in.tolist() == [[2, 5, 4], [2, 4, 0]]
    assert target_out.tolist() == [[5, 4, 3], [4, 3, 0]]
    with pytest.raises(ValueError, match=r"`targets\[0\]` must be at most 2 tokens"):
        translator.teacher_forcing(["ab"], ["xyx"])
    with pytest.raises(ValueError, match="`targets` must be one target per source"):
        translator.teacher_forcing(["ab", "b"], ["x"])


def test_learns_and_translates_greedy_and_beam(trained):
    assert trained.translate(SOURCES) == TARGETS
    assert trained.translate([s.upper() for s in SOURCES], beam_width=3) == TARGETS
    assert trained.translate("  Two ") == ["2"]
    details = trained.decode(["three", "six"], beam_width=2)
    for detail, source in zip(details, ["three", "six"], strict=True):
        assert detail.finished and detail.score > np.log(0.5)
        assert detail.source_tokens == list(source)
        assert detail.attention.shape == (1, len(source))
        np.testing.assert_allclose(detail.attention.sum(-1), 1.0, atol=1e-5)
    assert trained.attention == "luong"
    scores = trained.score(["three", "three"], ["3", "4"])
    assert scores[0] == pytest.approx(details[0].score, abs=1e-5)
    assert scores[0] > np.log(0.5) > scores[1]  # the right answer is far likelier
    assert np.isfinite(trained.score(["three"], ["333333"])[0])  # any length scores


def test_bundle_round_trip(trained, tmp_path):
    folder = trained.save(tmp_path / "bundle")
    # the bundle's files, and the manifest that lists them (written last)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*BUNDLE_FILES, "manifest.json"]
    )
    config = json.loads((folder / "translator.json").read_text())
    assert config["attention"] == "luong" and config["max_source_length"] == 5
    loaded = Seq2SeqTranslator.load(folder)
    assert loaded.translate(SOURCES) == TARGETS
    before = [d.score for d in trained.decode(SOURCES, beam_width=2)]
    after = [d.score for d in loaded.decode(SOURCES, beam_width=2)]
    np.testing.assert_allclose(after, before, atol=1e-6)


def test_bad_texts_get_one_clear_message_each(trained):
    assert trained.problems(["one", "", "seventeen", "on€"]) == [
        None,
        "`texts[1]` must be a non-empty string (not only whitespace). "
        "Received: texts[1]=''",
        "`texts[2]` must have at most 5 characters (the maximum source length of "
        "this model). Received: texts[2]='seventeen' (9 characters)",
        "`texts[3]` must use only characters seen in training. Received: "
        "texts[3]='on€', with unseen character '€'",
    ]
    with pytest.raises(ValueError, match=r"`texts\[1\]` must be a non-empty"):
        trained.translate(["one", " \t "])
    with pytest.raises(ValueError, match=r"`texts\[0\]` must have at most 5"):
        trained.translate(["seventeen"])
    with pytest.raises(ValueError, match="unseen character '€'"):
        trained.translate(["on€"])
    assert len(trained.translate(["on€"], unknown="keep")) == 1  # unknown id 1
    with pytest.raises(ValueError, match="`beam_width` must be a positive integer"):
        trained.translate(["one"], beam_width=0)
    with pytest.raises(ValueError, match="`unknown` must be one of 'error', 'keep'"):
        trained.translate(["one"], unknown="skip")
    with pytest.raises(TypeError, match=r"`texts\[0\]` must be a string"):
        trained.translate([1])
    assert trained.translate([]) == []


def test_mismatched_tokenizers_fail_before_the_model_runs():
    translator = Seq2SeqTranslator.create(SOURCES, TARGETS, units=2)
    other_source = CharTokenizer(lower=True).fit(["xyz"])
    with pytest.raises(ValueError, match="`source_tokenizer` must have vocab_size 15"):
        Seq2SeqTranslator(
            translator.model,
            other_source,
            translator.target_tokenizer,
            max_source_length=5,
            max_target_length=2,
        )
    other_target = CharTokenizer(start_token="<s>", end_token="</s>").fit("12")
    with pytest.raises(ValueError, match="`target_tokenizer` must have vocab_size 10"):
        Seq2SeqTranslator(
            translator.model,
            translator.source_tokenizer,
            other_target,
            max_source_length=5,
            max_target_length=2,
        )
    with pytest.raises(ValueError, match="with `start_token` and `end_token`"):
        Seq2SeqTranslator(
            translator.model,
            translator.source_tokenizer,
            CharTokenizer().fit("123456789x"),
            max_source_length=5,
            max_target_length=2,
        )
    with pytest.raises(ValueError, match="`attention` must be one of 'bahdanau'"):
        Seq2SeqTranslator.create(SOURCES, TARGETS, attention="self")


def test_corrupted_bundles(tmp_path):
    translator = Seq2SeqTranslator.create(SOURCES, TARGETS, units=2)
    folder = translator.save(tmp_path / "bundle")
    (folder / "source_tokenizer.json").unlink()
    with pytest.raises(ValueError, match="Missing: source_tokenizer.json"):
        Seq2SeqTranslator.load(folder)

    folder = translator.save(tmp_path / "truncated")
    text = (folder / "target_tokenizer.json").read_text()
    (folder / "target_tokenizer.json").write_text(text[: len(text) // 2])
    with pytest.raises(ValueError, match="is torn: target_tokenizer.json has"):
        Seq2SeqTranslator.load(folder)

    folder = translator.save(tmp_path / "swapped")
    (folder / "target_tokenizer.json").write_text(
        (folder / "source_tokenizer.json").read_text()
    )
    with pytest.raises(ValueError, match="target_tokenizer.json has .* says"):
        Seq2SeqTranslator.load(folder)  # the manifest sees the file changed
    (folder / "manifest.json").unlink()  # a bundle saved before manifests
    with pytest.raises(ValueError, match="start_token|vocab_size"):
        Seq2SeqTranslator.load(folder)

    folder = translator.save(tmp_path / "config")
    (folder / "translator.json").write_text("{not json")
    with pytest.raises(ValueError, match="is torn: translator.json has 9 bytes"):
        Seq2SeqTranslator.load(folder)
    (folder / "manifest.json").unlink()
    with pytest.raises(ValueError, match="translator.json is not valid JSON"):
        Seq2SeqTranslator.load(folder)

    with pytest.raises(FileNotFoundError, match="No such folder"):
        Seq2SeqTranslator.load(tmp_path / "nowhere")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ValueError, match="It is not a folder"):
        Seq2SeqTranslator.load(tmp_path / "file.txt")


def test_confidence_is_the_models_probability_of_the_answer(trained):
    answers = trained.translate(SOURCES)
    sure = trained.confidence(SOURCES, answers)
    # the memorised answers are near-certain; someone else's answer is not
    assert answers == TARGETS and np.all(sure > 0.9)
    wrong = trained.confidence(SOURCES, TARGETS[1:] + TARGETS[:1])
    assert np.all(wrong < 0.1)
    # one teacher-forced pass equals the step-by-step score, whatever the
    # batching and padding (outputs of other lengths included)
    outputs = ["1", "22", "", "4", "5555", "6"]
    np.testing.assert_allclose(
        trained.confidence(SOURCES, outputs),
        np.exp(trained.score(SOURCES, outputs)),
        rtol=1e-4,
    )
    np.testing.assert_allclose(
        trained.confidence(SOURCES, outputs, batch_size=1),
        trained.confidence(SOURCES, outputs),
        rtol=1e-5,
    )
    with pytest.raises(ValueError, match="`outputs` must be one output per text"):
        trained.confidence(SOURCES, TARGETS[:2])
