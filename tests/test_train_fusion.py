"""The learned fusion's fitting (scripts/train_fusion.py) on synthetic features: it learns which of
them mark the gold paragraph, writes weights ``retrieve.LearnedFusion`` loads, and is deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from assistant.retrieve import FUSION_FEATURES, LearnedFusion
from scripts.train_fusion import fit, fit_both


def _synthetic(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidates whose dense log rank says whether they are gold; the other features are noise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(600, len(FUSION_FEATURES)))
    y = (x[:, FUSION_FEATURES.index("dense_log_rank")] + 0.3 * rng.normal(size=600) < -0.8).astype(np.float64)
    return x, y


def test_fitting_learns_the_feature_that_marks_gold_and_loads(tmp_path: Path) -> None:
    spec = fit(*_synthetic(0))
    assert spec["features"] == list(FUSION_FEATURES)
    weights = dict(zip(FUSION_FEATURES, spec["weights"], strict=True))
    assert weights["dense_log_rank"] < -1.0
    assert all(abs(w) < 0.5 for f, w in weights.items() if f != "dense_log_rank")
    path = tmp_path / "fusion.json"
    path.write_text(json.dumps(spec))
    fusion = LearnedFusion(path)
    scores = fusion.scores([("b", 3.0)], [("a", 0.5), ("b", 0.4)], [0.5, 0.4])
    assert scores["a"] > scores["b"]  # the dense search's first, though BM25 found only the other


def test_fitting_is_deterministic() -> None:
    assert fit(*_synthetic(1)) == fit(*_synthetic(1))


def test_weights_for_questions_the_memory_is_silent_on_are_learned_without_votes(tmp_path: Path) -> None:
    """Gold marked by the vote and, less clearly, by the dense rank: with votes the fusion leans on
    them; the ``alone`` weights, learned with every vote taken away, lean on the dense rank, and are
    the ones used when there are no votes."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(800, len(FUSION_FEATURES)))
    gold = x[:, FUSION_FEATURES.index("dense_log_rank")] + 0.8 * rng.normal(size=800) < -0.8
    x[:, FUSION_FEATURES.index("vote_share")] = gold + 0.1 * rng.normal(size=800)
    spec = fit_both(x, gold.astype(np.float64))
    voted = dict(zip(FUSION_FEATURES, spec["weights"], strict=True))
    alone = dict(zip(FUSION_FEATURES, spec["alone"]["weights"], strict=True))
    assert voted["vote_share"] > 1.0 and alone["vote_share"] == alone["voted"] == 0.0
    assert alone["dense_log_rank"] < voted["dense_log_rank"] < 0
    path = tmp_path / "fusion.json"
    path.write_text(json.dumps(spec))
    fusion = LearnedFusion(path)
    bm, de = [("b", 3.0), ("a", 1.0)], [("a", 0.5), ("b", 0.4)]
    assert fusion.scores(bm, de, [0.5, 0.4])["a"] > fusion.scores(bm, de, [0.5, 0.4])["b"]
    assert fusion.scores(bm, de, [0.5, 0.4], {"b": 1.0})["b"] > fusion.scores(bm, de, [0.5, 0.4], {"b": 1.0})["a"]
