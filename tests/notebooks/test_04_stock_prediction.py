"""Notebook 04 (stock prediction) with its quick parameters: what the lesson
teaches about leakage (measured on the same test days, next to naive) and about
the backtest (a verdict against naive only where every seed agrees).

At the quick size (one epoch, four units) the LSTM learns too little for the
leak to flatter it measurably, and at the default size the seed ranges overlap
too (see the notebook), so the test asserts what holds at any size: the
headline compares scores from the same days, each next to the naive forecast
on those days, the verdict follows the seed ranges, and the two day sets the
tutorials compare differ for the naive forecast itself.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # notebook run


def check_leak_lesson(results):
    """Part 1: the leaky-vs-honest headline is measured on the same days."""
    runs = results["level_runs"]
    seeds = results["seeds"]
    assert len(seeds) >= 2
    same = {(r["seed"], r["config"]): r for r in runs if r["test days of"] == "same"}
    own = {(r["seed"], r["config"]): r for r in runs if r["test days of"] == "own"}
    assert set(same) == set(own) == {(s, c) for s in seeds for c in ("leaky", "honest")}
    for seed in seeds:
        leaky, honest = same[seed, "leaky"], same[seed, "honest"]
        # The headline's two scores come from the same days (the same set, not
        # only as many), which lie in the honest test period.
        assert leaky["day set"] == honest["day set"] and leaky["test days"] > 0
        assert leaky["test days"] == honest["test days"]
        assert leaky["first day"] >= own[seed, "honest"]["first day"]
        assert leaky["naive RMSE (USD)"] == pytest.approx(honest["naive RMSE (USD)"])
        for r in (leaky, honest):
            assert r["RMSE / naive"] == pytest.approx(
                r["RMSE (USD)"] / r["naive RMSE (USD)"]
            )
        # The confound the tutorials miss: the shuffled split's days, spread over
        # all the years, are calmer for the naive forecast than the last days, so
        # scores on the two day sets differ even for a forecaster that cannot leak.
        assert own[seed, "leaky"]["test days"] == own[seed, "honest"]["test days"]
        assert own[seed, "leaky"]["day set"] != own[seed, "honest"]["day set"]
        assert own[seed, "leaky"]["first day"] < own[seed, "honest"]["first day"]
        assert (
            own[seed, "leaky"]["naive RMSE (USD)"]
            < (own[seed, "honest"]["naive RMSE (USD)"])
        )
        # The shuffled split had shown the model (almost) every test price in
        # some training window; the time split none.
        assert own[seed, "leaky"]["seen in training"] > 0.9
        assert own[seed, "honest"]["seen in training"] == 0.0

    # The verdict: the leak is named only where it flattered the model on every
    # seed, judged relative to naive on the same days.
    leaky_ratios = [same[s, "leaky"]["RMSE / naive"] for s in seeds]
    honest_ratios = [same[s, "honest"]["RMSE / naive"] for s in seeds]
    flatters = max(leaky_ratios) < min(honest_ratios)
    hurts = max(honest_ratios) < min(leaky_ratios)
    expected = "leaky" if flatters else "honest" if hurts else None
    assert results["leak_winner"] == expected
    assert results["leaky_vs_naive"] == pytest.approx(sum(leaky_ratios) / len(seeds))
    assert results["honest_vs_naive"] == pytest.approx(sum(honest_ratios) / len(seeds))
    # What the headline says about the tutorials' numbers is on their own days.
    assert results["own_naive_rmse"]["leaky"] < results["own_naive_rmse"]["honest"]


def check_backtest_lesson(results):
    """Part 3: better or worse than naive only where every seed agrees."""
    seeds = results["seeds"]
    tests = results["paired_tests"]
    configs = {(t["horizon (days)"], t["forecaster"]) for t in tests}
    assert len(configs) == results["n_configurations"]
    assert len(tests) == len(configs) * len(seeds)
    better = worse = 0
    for config in configs:
        rows = [t for t in tests if (t["horizon (days)"], t["forecaster"]) == config]
        assert sorted(t["seed"] for t in rows) == sorted(seeds)
        naive = {t["naive MASE"] for t in rows}
        assert len(naive) == 1  # naive learns nothing: the same on every seed
        significant = all(t["p-value"] < 0.05 for t in rows)
        better += significant and all(t["MASE"] < min(naive) for t in rows)
        worse += significant and all(t["MASE"] > min(naive) for t in rows)
    assert results["n_significantly_better"] == better
    assert results["n_significantly_worse"] == worse
    assert 0.0 <= results["up_share"] <= 1.0
    assert 0.0 <= results["rnn_up_calls"] <= 1.0


def test_04_stock_prediction(run_notebook):
    results, _ = run_notebook("04_stock_prediction")

    # The hand-built model is the one rnn_zoo.build_forecaster builds.
    assert results["builder_matches"] is True
    check_leak_lesson(results)
    check_backtest_lesson(results)
    # Quick parameters: 15 test days at a 1-day horizon -> 15 forecasts per model.
    assert results["n_forecasts"] == [15]
