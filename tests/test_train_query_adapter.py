"""The query adapter's training (scripts/train_query_adapter.py) on synthetic vectors: it learns a
systematic shift between how questions and paragraphs are put, and stays at the identity when there
is nothing to learn."""

from __future__ import annotations

import numpy as np

from scripts.train_query_adapter import adapt, dense_recall, train

FIT = {"lam": 0.01, "tau": 0.05, "epochs": 150, "lr": 1e-2}


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_training_learns_how_questions_differ_from_their_paragraphs() -> None:
    rng = np.random.default_rng(0)
    windows = _unit(rng.normal(size=(40, 16)))
    passage_of = np.arange(40) // 2  # two windows a paragraph
    twist = np.linalg.qr(rng.normal(size=(16, 16)))[0]  # questions put their paragraph's content otherwise
    gold = [[2 * (i % 20)] for i in range(60)]
    queries = _unit(windows[[g[0] for g in gold]] @ twist.T + 0.1 * rng.normal(size=(60, 16)))
    train_idx, test_idx = np.arange(40), np.arange(40, 60)
    w = train(queries[train_idx], [gold[i] for i in train_idx], windows, **FIT)
    held_out = [gold[i] for i in test_idx]
    before = dense_recall(queries[test_idx], held_out, windows, passage_of, 1)
    after = dense_recall(adapt(queries[test_idx], w), held_out, windows, passage_of, 1)
    assert before < 0.5 and after > 0.9


def test_with_nothing_to_learn_the_adapter_stays_near_the_identity() -> None:
    rng = np.random.default_rng(1)
    windows = _unit(rng.normal(size=(30, 16)))
    gold = [[i] for i in range(30)]
    w = train(windows.copy(), gold, windows, lam=1.0, tau=0.05, epochs=50, lr=1e-2)
    assert float(np.linalg.norm(w - np.eye(16))) < 0.5
    assert dense_recall(adapt(windows, w), gold, windows, np.arange(30), 1) == 1.0
