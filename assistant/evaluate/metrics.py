"""Pure metric functions: ranking quality, refusal confusion, CRAG score, percentiles and bootstrap
intervals. No I/O and no model here, so every number in a report can be checked by hand.

Conventions
- Ranking metrics use binary relevance: a ranked id is relevant when it is one of the gold ids.
  ``recall@k`` is 1 when *any* gold passage is in the top k (the answer needs one paragraph that
  says it), ``mrr@k`` is 1/rank of the first relevant id, ``ndcg@k`` rewards every gold passage found,
  discounted by log2(rank + 1), normalised by the best possible ordering.
- Bootstrap intervals resample questions with replacement (fixed seed, 2,000 resamples) and report
  the 2.5th and 97.5th percentiles of the resampled means.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_SEED = 20240611
BOOTSTRAP_RESAMPLES = 2000


def recall_at_k(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """1.0 if any gold id is among the first ``k`` ranked ids, else 0.0."""
    return 1.0 if any(r in gold for r in ranked[:k]) else 0.0


def mrr_at_k(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    """Reciprocal rank of the first gold id within the first ``k`` (0.0 if none)."""
    for rank, r in enumerate(ranked[:k], 1):
        if r in gold:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    """Binary-relevance nDCG@k; duplicates in ``ranked`` count once."""
    if not gold:
        return 0.0
    seen: set[str] = set()
    dcg = 0.0
    for rank, r in enumerate(ranked[:k], 1):
        if r in gold and r not in seen:
            dcg += 1.0 / math.log2(rank + 1)
        seen.add(r)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(gold), k) + 1))
    return dcg / ideal


def first_hit_rank(ranked: Sequence[str], gold: set[str]) -> int | None:
    """1-based rank of the first gold id, or None."""
    return next((i for i, r in enumerate(ranked, 1) if r in gold), None)


@dataclass(frozen=True)
class Confusion:
    """Answerable x (answered, refused) counts."""

    answerable_answered: int = 0
    answerable_refused: int = 0
    unanswerable_answered: int = 0
    unanswerable_refused: int = 0

    @property
    def refusal_recall(self) -> float | None:
        """Share of unanswerable questions that were refused."""
        n = self.unanswerable_answered + self.unanswerable_refused
        return self.unanswerable_refused / n if n else None

    @property
    def false_refusal_rate(self) -> float | None:
        """Share of answerable questions that were refused."""
        n = self.answerable_answered + self.answerable_refused
        return self.answerable_refused / n if n else None

    def as_dict(self) -> dict[str, object]:
        return {
            "answerable_answered": self.answerable_answered,
            "answerable_refused": self.answerable_refused,
            "unanswerable_answered": self.unanswerable_answered,
            "unanswerable_refused": self.unanswerable_refused,
            "refusal_recall": self.refusal_recall,
            "false_refusal_rate": self.false_refusal_rate,
        }


def confusion(answerable: Sequence[bool], refused: Sequence[bool]) -> Confusion:
    """Count the four cells."""
    cells = [0, 0, 0, 0]
    for a, r in zip(answerable, refused, strict=True):
        cells[(0 if a else 2) + (1 if r else 0)] += 1
    return Confusion(*cells)


def crag_score(answerable: bool, refused: bool, correct: bool) -> int:
    """CRAG-style: +1 a correct answer, 0 a refusal, -1 a wrong/unsupported answer or any answer to
    an unanswerable question (a refusal scores 0 whether or not the question was answerable)."""
    if refused:
        return 0
    return 1 if answerable and correct else -1


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (linear interpolation), None for no values."""
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else None


def mean(values: Sequence[float]) -> float | None:
    """Arithmetic mean, None for no values."""
    return float(np.mean(np.asarray(values, dtype=float))) if len(values) else None


@dataclass(frozen=True)
class Interval:
    """A mean with its bootstrap 95 % interval over ``n`` questions."""

    mean: float
    low: float
    high: float
    n: int

    def as_dict(self) -> dict[str, float | int]:
        return {"mean": self.mean, "low": self.low, "high": self.high, "n": self.n}


def bootstrap_ci(
    values: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED,
    alpha: float = 0.05,
) -> Interval | None:
    """Mean and percentile-bootstrap (1 - alpha) interval of ``values`` (None when empty)."""
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return None
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, arr.size, size=(resamples, arr.size))
    means = arr[idx].mean(axis=1)
    low, high = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    return Interval(float(arr.mean()), float(low), float(high), int(arr.size))


def paired_bootstrap(
    a: Sequence[float], b: Sequence[float], resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED, alpha: float = 0.05,
) -> Interval | None:
    """Mean of the paired differences b - a with a bootstrap interval (questions resampled)."""
    if len(a) != len(b):
        raise ValueError("paired samples must have the same length")
    diffs = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    return bootstrap_ci(diffs.tolist(), resamples, seed, alpha)


def verdict(diff: Interval | None, higher_is_better: bool = True) -> str:
    """A plain reading of a paired difference: "B better", "B worse" or no significant difference."""
    if diff is None:
        return "not comparable"
    if diff.low > 0:
        return "B better" if higher_is_better else "B worse"
    if diff.high < 0:
        return "B worse" if higher_is_better else "B better"
    return "no significant difference"
