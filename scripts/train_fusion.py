"""Learn the fusion of BM25 and the adapted dense search (``retrieve.LearnedFusion``) from read question sets.

    .venv/bin/python scripts/train_fusion.py [--check] [--out assistant/weights/fusion.minilm.json]

The fusion scores each paragraph either retriever returned by a linear function of
``retrieve.FUSION_FEATURES`` (both ranks, the adapted similarity's distance below the best, BM25's
share of its best score), fitted as a logistic model of "this paragraph is gold" over the same
questions the query adapter learns from (``scripts/train_query_adapter.py``: ``TRAINING`` less
``KEPT``; the instrument sets and the evaluator's test splits are never used).

Its inputs must look as they will at answer time, when the question was not among the adapter's
training data: so the sets are split in four, and each quarter's features are read off the
rankings of an adapter trained on the other three. ``--check`` first does all of that on half of
the sets and compares, on the other half (both ways round), the full search's recall@5 / @10 with
reciprocal rank fusion and with the learned fusion, each through its own held-out adapter.
Deterministic: full batches, fixed folds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_query_adapter import FIT, TRAINING, Example, adapt, examples, train  # noqa: E402

from assistant.retrieve import FUSION_FEATURES, LearnedFusion, Retriever, fusion_features  # noqa: E402
from assistant.settings import Settings  # noqa: E402

INNER_FOLDS = 4


class Data:
    """The training questions as the search sees them, their embeddings and gold."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever
        self.windows = np.asarray(retriever.handle.unit_vecs, dtype=np.float32)
        self.items: list[Example] = examples(retriever, TRAINING)
        self.queries = retriever.embedder.embed([e.query for e in self.items])
        units = retriever.handle.units
        self.gold_pids = [{units[i].passage_id for i in e.gold_rows} for e in self.items]
        groups = sorted({e.group for e in self.items})
        self.group_no = np.array([groups.index(e.group) for e in self.items])

    def adapter(self, rows: np.ndarray) -> np.ndarray:
        """An adapter trained on the questions ``rows`` only."""
        return train(self.queries[rows], [self.items[i].gold_rows for i in rows], self.windows, **FIT)

    def use(self, w: np.ndarray | None) -> None:
        """Search with adapter matrix ``w`` (None: the plain embedding)."""
        self.retriever.adapter = None if w is None else (lambda v: adapt(v[None, :], w)[0].astype(np.float32))


def features(data: Data, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and gold labels of every candidate of each question in ``rows``, each read
    off an adapter trained on the other inner folds of ``rows`` (never on the question itself)."""
    xs, ys = [], []
    inner = data.group_no[rows] % INNER_FOLDS
    n = data.retriever.settings.candidates
    for fold in range(INNER_FOLDS):
        data.use(data.adapter(rows[inner != fold]))
        for i in rows[inner == fold]:
            q = data.items[i].query
            bm = data.retriever.bm25_search(q, n, None)
            ranking = data.retriever.dense_ranking(q, n, None)
            pids, x = fusion_features(bm, [(p, plain) for p, _, plain in ranking], [s for _, s, _ in ranking])
            xs.append(x)
            ys.append(np.array([p in data.gold_pids[i] for p in pids], dtype=np.float64))
    return np.vstack(xs), np.concatenate(ys)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 3000, lr: float = 0.1) -> dict:
    """Standardised logistic regression (full-batch gradient descent) as the weights file's dict;
    the intercept is dropped (a shift changes no ranking)."""
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        w -= lr * (z.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0.0])
    return {"features": list(FUSION_FEATURES), "mean": mean.round(8).tolist(), "scale": scale.round(8).tolist(),
            "weights": w[:-1].round(8).tolist()}


def recall(data: Data, rows: np.ndarray, fusion: LearnedFusion | None) -> tuple[int, int]:
    """How many of ``rows`` have a gold paragraph in the search's top 5 / top 10."""
    data.retriever.fusion = fusion
    at5 = at10 = 0
    for i in rows:
        top = [h.passage.id for h in data.retriever.search(data.items[i].query, k=10)]
        at5 += bool(data.gold_pids[i] & set(top[:5]))
        at10 += bool(data.gold_pids[i] & set(top))
    return at5, at10


def check(data: Data, tmp: Path) -> None:
    """Two folds by set: fusion and adapter learned on one half, the search measured on the other."""
    for fold in (0, 1):
        tr, te = np.flatnonzero(data.group_no % 2 != fold), np.flatnonzero(data.group_no % 2 == fold)
        tmp.write_text(json.dumps(fit(*features(data, tr))))
        data.use(data.adapter(tr))
        rrf, learned = recall(data, te, None), recall(data, te, LearnedFusion(tmp))
        print(f"fold {fold}: {len(te)} held-out questions, search recall@5 {rrf[0]} -> {learned[0]}, "
              f"@10 {rrf[1]} -> {learned[1]} (reciprocal rank -> learned fusion)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "assistant" / "weights" / "fusion.minilm.json")
    ap.add_argument("--check", action="store_true", help="report two-fold search recall before training")
    args = ap.parse_args()
    data = Data(Retriever.open(Settings(query_adapter=False, learned_fusion=False)))
    print(f"{len(data.items)} questions from {len(set(data.group_no))} sets")
    if args.check:
        check(data, args.out.with_suffix(".check.json"))
        args.out.with_suffix(".check.json").unlink()
    spec = fit(*features(data, np.arange(len(data.items))))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: " + ", ".join(f"{f} {w:+.2f}" for f, w in zip(FUSION_FEATURES, spec["weights"], strict=True)))


if __name__ == "__main__":
    main()
