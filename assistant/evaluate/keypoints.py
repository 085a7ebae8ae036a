"""The offline key-point matcher: is a key point conveyed by an answer?

No judge model can be had offline, so the matcher is lexical first, with embeddings as a second
opinion. A key point is **conveyed** when

1. every number in it (``€25,000`` -> ``25000``, ``2.5``, ``174``) also appears in the answer —
   a wrong figure is never "conveyed" however many words match; and
2. either its content-word recall against the whole answer is >= ``LEXICAL_MIN`` (0.6): the share of
   the key point's stemmed, stopword-free words (``assistant.text.tokenize`` plus a second light
   stem so "prosecution"/"prosecute" meet) that occur anywhere in the answer;
   or, when an embedder is given, the best cosine between the key point and one answer sentence
   is >= ``COSINE_MIN`` (0.75) *and* the lexical recall is at least ``LEXICAL_FLOOR`` (0.34) — so a
   paraphrase can pass but a topically similar sentence without the substance cannot.

Thresholds were fixed before any system output was scored and are the same for every system and
for the baseline; they are documented here rather than tuned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from assistant.text import number_tokens, split_sentences, tokenize

LEXICAL_MIN = 0.6
LEXICAL_FLOOR = 0.34
COSINE_MIN = 0.75
_EXTRA_SUFFIXES = ("ions", "ion", "ive", "ity", "al", "ly", "or", "er")


class _Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


def numbers(text: str) -> set[str]:
    """Numbers with thousands separators removed and trailing punctuation dropped."""
    out = set()
    for raw in number_tokens(text):
        n = raw.replace(",", "")
        if n:
            out.add(n)
    return out


def _stem2(token: str) -> str:
    for suffix in _EXTRA_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 5:
            return token[: -len(suffix)]
    return token


def words(text: str) -> set[str]:
    """Stemmed content words, numbers excluded (they are checked separately)."""
    return {_stem2(t) for t in tokenize(text) if not t.isdigit()}


def lexical_recall(key_point: str, answer: str) -> float:
    """Share of the key point's content words found in the answer (1.0 for a point with none)."""
    kp = words(key_point)
    return len(kp & words(answer)) / len(kp) if kp else 1.0


class KeyPointMatcher:
    """Decides, per key point, whether an answer conveys it (see the module docstring)."""

    def __init__(self, embedder: _Embedder | None = None) -> None:
        self.embedder = embedder

    def conveyed(self, key_points: Sequence[str], answer: str) -> list[bool]:
        """One verdict per key point."""
        if not answer.strip():
            return [False] * len(key_points)
        answer_numbers = numbers(answer)
        out = []
        undecided = []  # key points only the embedding can decide: embed those alone (cost)
        for i, kp in enumerate(key_points):
            recall = lexical_recall(kp, answer)
            numbers_ok = numbers(kp) <= answer_numbers
            out.append(numbers_ok and recall >= LEXICAL_MIN)
            if numbers_ok and LEXICAL_FLOOR <= recall < LEXICAL_MIN:
                undecided.append(i)
        for i, cosine in zip(undecided, self._cosines([key_points[i] for i in undecided], answer),
                             strict=True):
            out[i] = cosine >= COSINE_MIN
        return out

    def _cosines(self, key_points: Sequence[str], answer: str) -> list[float]:
        """Best cosine of each key point against any answer sentence (0.0 without an embedder)."""
        if self.embedder is None or not key_points:
            return [0.0] * len(key_points)
        sentences = split_sentences(answer) or [answer]
        vecs = self.embedder.embed([*key_points, *sentences])
        sims = vecs[: len(key_points)] @ vecs[len(key_points) :].T
        return [float(x) for x in sims.max(axis=1)]
