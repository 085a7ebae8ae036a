"""Verify stage: does the cited paragraph support the sentence? supported / weak / unsupported.

No NLI or reranker model can be had offline, so the checker combines signals that run anywhere:
- lexical coverage: the share of the sentence's content words (stemmed, IDF-free) found in the cited
  paragraphs — a verbatim extract scores 1.0;
- embedding similarity: the best cosine between the sentence and the cited paragraphs' windows
  (when an embedder is given);
- agreement of numbers and document symbols: a figure or a symbol ("A/RES/55/25") in the sentence
  that no cited paragraph contains caps the verdict at "unsupported" — the failure that hurts a
  brief most.
An optional ``SupportModel`` (e.g. an NLI cross-encoder, where one is configured) can add its score.
Thresholds live in Settings (``support_threshold``, ``weak_threshold``); they were set on the dev
split of the curated question set (see README, Evaluation).
"""

from __future__ import annotations

import re
from typing import Protocol

import numpy as np

from assistant.embed import Embedder
from assistant.models import Passage, Support
from assistant.text import (
    content_words,
    normalize_space,
    number_tokens,
    split_sentences,
    strip_markers,
)

# A document symbol such as "A/RES/55/25" or "CTOC/COP/WG.4/2022/2": a slash-joined token with a digit.
RE_SYMBOL = re.compile(r"\b[A-Za-z0-9.]+(?:/[A-Za-z0-9.]+)+\b")


class SupportModel(Protocol):
    """A pluggable entailment scorer returning P(passage entails sentence) in [0, 1]."""

    def entailment(self, premise: str, hypothesis: str) -> float: ...


def lexical_coverage(sentence: str, passages: list[Passage]) -> float:
    """Share of the sentence's content words present in the passages."""
    words = content_words(sentence)
    if not words:
        return 0.0
    evidence: set[str] = set()
    for p in passages:
        evidence |= content_words(p.text)
    return len(words & evidence) / len(words)


def numbers_agree(sentence: str, passages: list[Passage]) -> bool:
    """Every number in the sentence appears in some cited passage."""
    nums = set(number_tokens(sentence))
    text = " ".join(p.text for p in passages)
    return all(n in text for n in nums)


def symbols_agree(sentence: str, passages: list[Passage]) -> bool:
    """Every document symbol in the sentence (one with a digit) appears in some cited passage.

    An invented reference ("A/RES/99/999") must never borrow the support of a real paragraph.
    """
    text = " ".join(p.text for p in passages).lower()
    symbols = [m.group(0) for m in RE_SYMBOL.finditer(sentence) if any(c.isdigit() for c in m.group(0))]
    return all(sym.lower().rstrip(".") in text for sym in symbols)


def embedding_similarity(sentence: str, passages: list[Passage], embedder: Embedder) -> float:
    """Best cosine between the sentence and any sentence window of the passages."""
    pieces = [s for p in passages for s in split_sentences(p.text)][:60]
    if not pieces:
        return 0.0
    vecs = embedder.embed([sentence, *pieces])
    return float(np.max(vecs[1:] @ vecs[0]))


def support_score(
    sentence: str, passages: list[Passage], embedder: Embedder | None = None,
    model: SupportModel | None = None,
) -> float:
    """A score in [0, 1]; 1.0 for a verbatim extract."""
    if not passages or not sentence.strip():
        return 0.0
    clean = normalize_space(strip_markers(sentence))
    if any(clean and clean in normalize_space(p.text) for p in passages):
        return 1.0
    score = lexical_coverage(sentence, passages)
    if embedder is not None:
        score = 0.5 * score + 0.5 * max(0.0, embedding_similarity(sentence, passages, embedder))
    if model is not None:
        score = 0.5 * score + 0.5 * max(model.entailment(p.text, sentence) for p in passages)
    if not numbers_agree(sentence, passages) or not symbols_agree(sentence, passages):
        score = min(score, 0.2)
    return round(score, 4)


def verdict(score: float, supported_at: float, weak_at: float) -> Support:
    """Map a score to the three-level verdict."""
    if score >= supported_at:
        return "supported"
    return "weak" if score >= weak_at else "unsupported"


def check_support(
    sentence: str, passages: list[Passage], embedder: Embedder | None = None,
    supported_at: float = 0.55, weak_at: float = 0.35, model: SupportModel | None = None,
) -> tuple[Support, float]:
    """(verdict, score) of ``sentence`` against the passages it cites."""
    score = support_score(sentence, passages, embedder, model)
    return verdict(score, supported_at, weak_at), score
