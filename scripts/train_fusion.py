"""Learn the fusion of BM25 and the adapted dense search (``retrieve.LearnedFusion``) and the question
memory it reads (``retrieve.QuestionMemory``) from read question sets.

    .venv/bin/python scripts/train_fusion.py [--check] [--out assistant/weights/fusion.minilm.json]

The fusion scores each paragraph either retriever returned by a linear function of
``retrieve.FUSION_FEATURES`` (both ranks, the adapted similarity's distance below the best, BM25's
share of its best score, the memory's vote), fitted as a logistic model of "this paragraph is gold"
over the same questions the query adapter learns from (``scripts/train_query_adapter.py``:
``TRAINING`` less ``KEPT``; the instrument sets and the evaluator's test splits are never used).
The memory is those questions' embeddings and gold paragraphs (``memory.<embedder>.json`` beside
the fusion).

Its inputs must look as they will at answer time, when the question was neither among the
adapter's training data nor in the memory: so the sets are split in four, and each quarter's
features are read off the rankings of an adapter trained on the other three, and the votes of a
memory of the other three. ``--check`` first does all of that on half of the sets and compares, on
the other half (both ways round), the full search's recall@5 / @10 with reciprocal rank fusion,
the learned fusion without the memory and with it, each through its own held-out adapter.
Deterministic: full batches, fixed folds.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_query_adapter import FIT, TRAINING, Example, adapt, examples, train  # noqa: E402

from assistant.retrieve import (  # noqa: E402
    FUSION_FEATURES,
    LearnedFusion,
    QuestionMemory,
    Retriever,
    fusion_features,
)
from assistant.settings import Settings  # noqa: E402

INNER_FOLDS = 4
VOTE_FEATURES = ("vote_share", "voted")  # what the question memory adds to the features
MEMORY_K = 10  # the nearest read questions that vote (the first value tried; 5 and 20 were not measured)


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

    def memory(self, rows: np.ndarray, w: np.ndarray) -> QuestionMemory:
        """A memory of the questions ``rows`` only, read through adapter matrix ``w``."""
        return QuestionMemory(adapt(self.queries[rows], w), [sorted(self.gold_pids[i]) for i in rows], MEMORY_K)

    def inner_folds(self, rows: np.ndarray) -> np.ndarray:
        """Each of ``rows``' inner fold, by set (its set's place among the sets of ``rows``)."""
        groups = sorted(set(self.group_no[rows].tolist()))
        return np.array([groups.index(g) % INNER_FOLDS for g in self.group_no[rows]])


def features(data: Data, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and gold labels of every candidate of each question in ``rows``, each read
    off an adapter trained on, and a memory of, the other inner folds of ``rows`` (never the
    question's own set)."""
    xs, ys = [], []
    inner = data.inner_folds(rows)
    n = data.retriever.settings.candidates
    for fold in range(INNER_FOLDS):
        if not (inner == fold).any():
            continue
        w = data.adapter(rows[inner != fold])
        data.use(w)
        memory = data.memory(rows[inner != fold], w)
        for i in rows[inner == fold]:
            q = data.items[i].query
            bm = data.retriever.bm25_search(q, n, None)
            ranking = data.retriever.dense_ranking(q, n, None)
            votes = memory.votes(adapt(data.queries[i][None, :], w)[0])
            pids, x = fusion_features(bm, [(p, plain) for p, _, plain in ranking], [s for _, s, _ in ranking], votes)
            xs.append(x)
            ys.append(np.array([p in data.gold_pids[i] for p in pids], dtype=np.float64))
    return np.vstack(xs), np.concatenate(ys)


def fit_both(x: np.ndarray, y: np.ndarray) -> dict:
    """The weights file's dict: weights read with the memory's votes, and (``alone``) weights
    learned with every vote taken away, for questions the memory is silent on."""
    spec = fit(x, y)
    silent = x.copy()
    silent[:, [FUSION_FEATURES.index(f) for f in VOTE_FEATURES]] = 0.0
    spec["alone"] = {key: value for key, value in fit(silent, y).items() if key != "features"}
    return spec


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 3000, lr: float = 0.1) -> dict:
    """Standardised logistic regression (full-batch gradient descent) as the weights file's dict;
    the intercept is dropped (a shift changes no ranking). A feature constant over ``x`` keeps
    weight 0."""
    mean, std = x.mean(0), x.std(0)
    scale = np.where(std > 1e-9, std, 1.0)  # a constant feature: (its value - its mean) is 0 anyway
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        w -= lr * (z.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0.0])
    return {"features": list(FUSION_FEATURES), "mean": mean.round(8).tolist(), "scale": scale.round(8).tolist(),
            "weights": w[:-1].round(8).tolist()}


def recall(data: Data, rows: np.ndarray, fusion: LearnedFusion | None,
           memory: QuestionMemory | None = None) -> tuple[int, int]:
    """How many of ``rows`` have a gold paragraph in the search's top 5 / top 10."""
    data.retriever.fusion, data.retriever.memory = fusion, memory
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
        tmp.write_text(json.dumps(fit_both(*features(data, tr))))
        w = data.adapter(tr)
        data.use(w)
        fusion = LearnedFusion(tmp)
        rrf, alone, voted = (recall(data, te, None), recall(data, te, fusion),
                             recall(data, te, fusion, data.memory(tr, w)))
        own = te[[data.items[i].group == "questions" for i in te]]
        if len(own):
            print(f"  of which the curated set's {len(own)}: @5 {recall(data, own, None)[0]} -> "
                  f"{recall(data, own, fusion)[0]} -> {recall(data, own, fusion, data.memory(tr, w))[0]}", flush=True)
        print(f"fold {fold}: {len(te)} held-out questions, search recall@5 {rrf[0]} -> {alone[0]} -> {voted[0]}, "
              f"@10 {rrf[1]} -> {alone[1]} -> {voted[1]} (reciprocal rank -> learned fusion -> with the "
              f"question memory)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "assistant" / "weights" / "fusion.minilm.json")
    ap.add_argument("--memory-out", type=Path, default=ROOT / "assistant" / "weights" / "memory.minilm.json")
    ap.add_argument("--check", action="store_true", help="report two-fold search recall before training")
    args = ap.parse_args()
    data = Data(Retriever.open(Settings(query_adapter=False, learned_fusion=False)))
    print(f"{len(data.items)} questions from {len(set(data.group_no))} sets")
    if args.check:
        check(data, args.out.with_suffix(".check.json"))
        args.out.with_suffix(".check.json").unlink()
    spec = fit_both(*features(data, np.arange(len(data.items))))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: " + ", ".join(f"{f} {w:+.2f}" for f, w in zip(FUSION_FEATURES, spec["weights"], strict=True)))
    args.memory_out.write_text(json.dumps(memory_spec(data)) + "\n", encoding="utf-8")
    print(f"wrote {args.memory_out}: {len(data.items)} questions, the nearest {MEMORY_K} vote")


def memory_spec(data: Data) -> dict:
    """The weights file of a memory of every training question: plain embeddings (float16; the
    adapter is applied when it is loaded, so the two never disagree) and their gold paragraphs."""
    vectors = data.queries.astype(np.float16)
    return {"k": MEMORY_K, "dim": int(vectors.shape[1]), "vectors": base64.b64encode(vectors.tobytes()).decode("ascii"),
            "gold": [sorted(pids) for pids in data.gold_pids]}


if __name__ == "__main__":
    main()
