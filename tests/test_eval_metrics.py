"""Metric functions against hand-computed values."""

from __future__ import annotations

import math

import pytest

from assistant.evaluate.metrics import (
    bootstrap_ci,
    confusion,
    crag_score,
    mrr_at_k,
    ndcg_at_k,
    paired_bootstrap,
    percentile,
    recall_at_k,
    verdict,
)

RANKED = ["a", "b", "c", "d", "e"]


def test_recall_counts_any_gold_in_top_k() -> None:
    assert recall_at_k(RANKED, {"c"}, 1) == 0.0
    assert recall_at_k(RANKED, {"c"}, 3) == 1.0
    assert recall_at_k(RANKED, {"c", "z"}, 5) == 1.0
    assert recall_at_k(RANKED, {"z"}, 10) == 0.0


def test_mrr_is_reciprocal_rank_of_first_gold_within_k() -> None:
    assert mrr_at_k(RANKED, {"c", "e"}) == pytest.approx(1 / 3)
    assert mrr_at_k(RANKED, {"e"}, k=4) == 0.0
    assert mrr_at_k(RANKED, {"a"}) == 1.0


def test_ndcg_by_hand() -> None:
    # one of two gold ids found at rank 3: DCG = 1/log2(4) = 0.5; IDCG = 1 + 1/log2(3)
    assert ndcg_at_k(RANKED, {"c", "z"}) == pytest.approx(0.5 / (1 + 1 / math.log2(3)))
    assert ndcg_at_k(RANKED, {"a", "b"}) == pytest.approx(1.0)
    assert ndcg_at_k(["a", "a", "b"], {"a"}) == pytest.approx(1.0)  # duplicates count once
    assert ndcg_at_k(RANKED, set()) == 0.0


def test_confusion_and_refusal_rates() -> None:
    c = confusion([True, True, False, False, False], [False, True, True, False, True])
    assert (c.answerable_answered, c.answerable_refused) == (1, 1)
    assert (c.unanswerable_answered, c.unanswerable_refused) == (1, 2)
    assert c.refusal_recall == pytest.approx(2 / 3)
    assert c.false_refusal_rate == pytest.approx(0.5)
    assert confusion([True], [False]).refusal_recall is None


def test_crag_score() -> None:
    assert crag_score(answerable=True, refused=False, correct=True) == 1
    assert crag_score(answerable=True, refused=False, correct=False) == -1
    assert crag_score(answerable=False, refused=False, correct=True) == -1
    assert crag_score(answerable=True, refused=True, correct=False) == 0
    assert crag_score(answerable=False, refused=True, correct=False) == 0


def test_percentiles() -> None:
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)
    assert percentile([], 50) is None


def test_bootstrap_by_hand_and_reproducible() -> None:
    ci = bootstrap_ci([1.0, 1.0, 1.0])
    assert ci is not None and (ci.mean, ci.low, ci.high, ci.n) == (1.0, 1.0, 1.0, 3)
    # [0,0,1,1]: a resample mean of 0 (or 1) has probability 1/16 > 2.5 %, so the interval is [0, 1]
    ci = bootstrap_ci([0.0, 0.0, 1.0, 1.0])
    assert ci is not None and (ci.mean, ci.low, ci.high) == (0.5, 0.0, 1.0)
    values = [0.1 * i for i in range(30)]
    assert bootstrap_ci(values) == bootstrap_ci(values)  # fixed seed
    wide = bootstrap_ci(values)
    assert wide is not None and wide.low < wide.mean < wide.high
    assert bootstrap_ci([]) is None


def test_paired_bootstrap_and_verdicts() -> None:
    diff = paired_bootstrap([0, 0, 0, 0], [1, 1, 1, 1])
    assert diff is not None and (diff.mean, diff.low, diff.high) == (1.0, 1.0, 1.0)
    assert verdict(diff) == "B better"
    assert verdict(diff, higher_is_better=False) == "B worse"  # e.g. latency went up
    mixed = paired_bootstrap([0, 1, 0, 1], [1, 0, 1, 0])
    assert verdict(mixed) == "no significant difference"
    with pytest.raises(ValueError):
        paired_bootstrap([1], [1, 2])
