"""Notebook 04 (stock prediction) with its quick parameters: its recorded numbers
agree with each other and with what the lesson claims about leakage."""

from __future__ import annotations

import pytest


def test_04_stock_prediction(run_notebook):
    results, _ = run_notebook("04_stock_prediction")

    # Leakage: the shuffled split had shown the model (almost) every test price in
    # some training window; the time split none.
    assert results["leaky_seen_share"] > 0.9
    assert results["honest_seen_share"] == 0.0
    assert results["leaky_rmse"] > 0 and results["honest_rmse"] > 0

    # Quick parameters: 15 test days at a 1-day horizon -> 15 forecasts per model.
    assert set(results["n_forecasts"].values()) == {15}

    # The conclusion is the one its numbers support.
    tests = results["paired_tests"]
    assert len(tests) == results["n_configurations"] == 1
    edge = any(t["mase"] < t["naive_mase"] and t["p_value"] < 0.05 for t in tests)
    assert results["edge_shown"] is edge
    best = min(tests, key=lambda t: t["mase"] / t["naive_mase"])
    assert results["best_mase"] == pytest.approx(best["mase"])
    worse = [t for t in tests if t["mase"] > t["naive_mase"] and t["p_value"] < 0.05]
    assert results["n_significantly_worse"] == len(worse)
    assert results["min_p_value"] == pytest.approx(min(t["p_value"] for t in tests))
    assert 0.0 <= results["up_share"] <= 1.0
    assert 0.0 <= results["rnn_up_calls"] <= 1.0

    # The naive forecast is scored like every model, from the same table.
    naive = [v for k, v in results["mase_table"].items() if k.endswith("naive")]
    assert len(naive) == 1
    assert results["best_naive_mase"] == pytest.approx(naive[0])
