"""Learn the query adapter (``embed.QueryAdapter``) from read question sets and their gold paragraphs.

    .venv/bin/python scripts/train_query_adapter.py [--check] [--out assistant/weights/query_adapter.minilm.npy]

The adapter is one 384 x 384 matrix applied to a question's embedding before the dense search. It is
learned on the live index of the seed texts (``tipguide index`` first) from every answerable question
of the sets in ``TRAINING`` whose gold paragraphs are in it: a contrastive loss (the gold paragraphs'
windows against every window, temperature ``--tau``) plus ``--lam`` times the squared distance to the
identity, so a question nothing was learned about keeps close to where MiniLM put it. Paragraph
vectors are not touched, so the index is not rebuilt and added documents are searched the same way.

Held out of the training, so that what the README reports on them stays a measurement: the
evaluator's own test split (``eval/questions.jsonl``, ``eval/practitioners.jsonl``: ``test`` and
``blind`` rows), the instrument sets (their treaty is not among the seed texts: they measure how the
adapter carries to a text it never saw), and any set listed in ``KEPT``.

``--check`` first trains on half of the sets and reports dense recall@5 / @10 on the other half,
both ways round, then trains on everything and writes the matrix (float32, deterministic: full
batches, a fixed seed).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.chat import rewrite_followup  # noqa: E402
from assistant.models import Turn  # noqa: E402
from assistant.retrieve import Retriever, clean_query  # noqa: E402
from assistant.settings import Settings  # noqa: E402

# Sets whose every row is read (development data); the two first sets contribute their dev rows only.
TRAINING = ["questions", "practitioners", *(f"practitioners{n}" for n in range(2, 91))]
# Sets not trained on yet: kept unrun until a round's end, or first run at its end on the final code.
KEPT = {"practitioners90"}
# How the adapter is fitted (``train``'s keyword arguments; the command line may override them).
FIT = {"lam": 0.1, "tau": 0.05, "epochs": 60, "lr": 1e-3}


@dataclass
class Example:
    """One question as the dense search sees it, and the windows of its gold paragraphs."""

    qid: str
    group: str
    query: str
    gold_rows: list[int]


def training_rows(name: str) -> list[dict]:
    """The answerable rows with gold of one set that may be trained on."""
    rows = [json.loads(line) for line in (ROOT / "eval" / f"{name}.jsonl").read_text().splitlines() if line.strip()]
    if name in ("questions", "practitioners"):
        rows = [r for r in rows if r.get("split") == "dev"]
    return [r for r in rows if r.get("answerable") and r.get("gold")]


def examples(retriever: Retriever, names: list[str]) -> list[Example]:
    """Each row's question as searched (a follow-up rewritten with its history, cleaned and
    respelled as ``Retriever.search`` does) with the window rows of its gold paragraphs."""
    out = []
    for name in names:
        if name in KEPT:
            continue
        for row in training_rows(name):
            history = [Turn(**t) for t in row.get("history") or []]
            q = clean_query(rewrite_followup(row["question"], history), retriever.settings.max_query_chars * 2)
            q = retriever.corpus.respell(q).text if retriever.settings.spelling else q
            gold = [i for g in row["gold"] for i in retriever.units_by_passage.get(g["passage_id"], [])]
            if gold:
                out.append(Example(f"{name}/{row['id']}", name, q, gold))
    return out


def train(queries: np.ndarray, gold: list[list[int]], windows: np.ndarray, lam: float, tau: float,
          epochs: int, lr: float) -> np.ndarray:
    """The matrix W minimising the mean contrastive loss of ``normalise(q @ W)`` against every
    window (the gold windows the positives) plus ``lam * |W - I|^2``."""
    import torch

    torch.manual_seed(0)
    dim = queries.shape[1]
    q, u = torch.tensor(queries), torch.tensor(windows)
    positive = torch.zeros((len(gold), len(windows)), dtype=torch.bool)
    for i, rows in enumerate(gold):
        positive[i, rows] = True
    eye = torch.eye(dim)
    w = eye.clone().requires_grad_(True)
    opt = torch.optim.Adam([w], lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        s = torch.nn.functional.normalize(q @ w, dim=1) @ u.T / tau
        loss = (torch.logsumexp(s, 1) - torch.logsumexp(s.masked_fill(~positive, -1e9), 1)).mean()
        (loss + lam * ((w - eye) ** 2).sum()).backward()
        opt.step()
    return w.detach().numpy().astype(np.float32)


def dense_recall(queries: np.ndarray, gold: list[list[int]], windows: np.ndarray, passage_of: np.ndarray,
                 k: int) -> float:
    """Share of questions with a gold paragraph among the ``k`` best paragraphs (best window)."""
    sims = queries @ windows.T
    n_passages = int(passage_of.max()) + 1
    hits = 0
    for row, rows in zip(sims, gold, strict=True):
        best = np.full(n_passages, -9.0, dtype=np.float32)
        np.maximum.at(best, passage_of, row)
        hits += bool(set(np.argsort(-best)[:k]) & set(passage_of[rows]))
    return hits / max(len(gold), 1)


def adapt(queries: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Adapted, re-normalised question vectors."""
    out = queries @ w
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "assistant" / "weights" / "query_adapter.minilm.npy")
    ap.add_argument("--lam", type=float, default=FIT["lam"])
    ap.add_argument("--tau", type=float, default=FIT["tau"])
    ap.add_argument("--epochs", type=int, default=FIT["epochs"])
    ap.add_argument("--lr", type=float, default=FIT["lr"])
    ap.add_argument("--check", action="store_true", help="report two-fold dense recall before training")
    args = ap.parse_args()
    retriever = Retriever.open(Settings(query_adapter=False))
    windows = np.asarray(retriever.handle.unit_vecs, dtype=np.float32)
    pix = {pid: i for i, pid in enumerate(retriever.units_by_passage)}
    passage_of = np.array([pix[u.passage_id] for u in retriever.handle.units])
    data = examples(retriever, TRAINING)
    queries = retriever.embedder.embed([e.query for e in data])
    gold = [e.gold_rows for e in data]
    print(f"{len(data)} questions from {len({e.group for e in data})} sets; {len(windows)} windows")
    fit = {"lam": args.lam, "tau": args.tau, "epochs": args.epochs, "lr": args.lr}
    if args.check:
        groups = sorted({e.group for e in data})
        half = np.array([groups.index(e.group) % 2 for e in data])
        for fold in (0, 1):
            tr, te = np.flatnonzero(half != fold), np.flatnonzero(half == fold)
            w = train(queries[tr], [gold[i] for i in tr], windows, **fit)
            before = [dense_recall(queries[te], [gold[i] for i in te], windows, passage_of, k) for k in (5, 10)]
            after = [dense_recall(adapt(queries[te], w), [gold[i] for i in te], windows, passage_of, k)
                     for k in (5, 10)]
            print(f"fold {fold}: {len(te)} held-out questions, dense recall@5 {before[0]:.3f} -> {after[0]:.3f}, "
                  f"@10 {before[1]:.3f} -> {after[1]:.3f}")
    w = train(queries, gold, windows, **fit)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.save(args.out, w)
    print(f"wrote {args.out} (|W - I| = {np.linalg.norm(w - np.eye(w.shape[0])):.2f})")


if __name__ == "__main__":
    main()
