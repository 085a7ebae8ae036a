"""Per-question scores: retrieval ranks, ALCE-style citation recall/precision, gold-paragraph hits,
key-point coverage, refusal and the CRAG-style score — as one flat ``{metric: value}`` dict per
question, ``None`` where a metric does not apply (e.g. retrieval for an unanswerable question).

Definitions (ALCE, Gao et al. 2023, with the project's support checker as the judge; a sentence
counts as supported only on a ``supported`` verdict — ``weak`` is not support):
- citation recall of an answer = share of its sentences supported by the union of what they cite
  (an uncited sentence is unsupported);
- citation precision = share of its (sentence, citation) pairs where the citation is needed:
  it supports the sentence alone, or the sentence is supported by all its citations but no longer
  without this one;
- gold-paragraph hit rate = share of the distinct cited passages that are gold (answerable only);
- evidence hit = does the answer cite at least one gold paragraph (answerable, answered).
- key-point coverage = share of key points conveyed (``keypoints``); a refusal conveys nothing.
- correct (for CRAG) = answered, answerable, at least ``CRAG_MIN_COVERAGE`` of the key points
  conveyed and citation recall >= ``CRAG_MIN_SUPPORT``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.evaluate.keypoints import KeyPointMatcher
from assistant.evaluate.metrics import crag_score, mrr_at_k, ndcg_at_k, recall_at_k
from assistant.evaluate.questions import Question
from assistant.models import Passage

KS = (1, 3, 5, 10)
CRAG_MIN_COVERAGE = 0.5
CRAG_MIN_SUPPORT = 0.8

# (sentence, cited passages) -> "supported" | "weak" | "unsupported"
SupportFn = Callable[[str, list[Passage]], str]


@dataclass
class SentenceView:
    """One answer sentence and the passage ids it cites."""

    text: str
    citations: list[str] = field(default_factory=list)


@dataclass
class AnswerView:
    """A system's answer reduced to what the metrics need (tipguide's own or an external one)."""

    text: str
    refused: bool
    sentences: list[SentenceView] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    unresolved_citations: int = 0
    error: str = ""

    @property
    def cited(self) -> list[str]:
        """Distinct cited passage ids in order of first citation."""
        return list(dict.fromkeys(c for s in self.sentences for c in s.citations))


def retrieval_scores(prefix: str, ranked: Sequence[str], gold: set[str]) -> dict[str, float]:
    """recall@1/3/5/10, mrr@10 and ndcg@10 under ``prefix`` (e.g. ``retrieval.hybrid``)."""
    out = {f"{prefix}.recall@{k}": recall_at_k(ranked, gold, k) for k in KS}
    out[f"{prefix}.mrr@10"] = mrr_at_k(ranked, gold, 10)
    out[f"{prefix}.ndcg@10"] = ndcg_at_k(ranked, gold, 10)
    return out


def _supported(support: SupportFn, sentence: str, passages: list[Passage]) -> bool:
    return bool(passages) and support(sentence, passages) == "supported"


def sentence_citation_check(
    sentence: SentenceView, by_id: dict[str, Passage], support: SupportFn
) -> tuple[bool, list[bool]]:
    """(sentence supported by its citations?, per-citation precision flags) — ALCE's rules."""
    cited = [by_id[c] for c in dict.fromkeys(sentence.citations) if c in by_id]
    full = _supported(support, sentence.text, cited)
    precise = []
    for i, p in enumerate(cited):
        alone = _supported(support, sentence.text, [p])
        rest = cited[:i] + cited[i + 1 :]
        needed = full and bool(rest) and not _supported(support, sentence.text, rest)
        precise.append(alone or needed)
    return full, precise


def citation_scores(
    answer: AnswerView, by_id: dict[str, Passage], support: SupportFn
) -> tuple[dict[str, float | None], list[bool]]:
    """Citation recall and precision of one answer, plus each sentence's supported flag."""
    if answer.refused or not answer.sentences:
        return {"citation.recall": None, "citation.precision": None}, []
    flags: list[bool] = []
    precise: list[bool] = []
    for s in answer.sentences:
        full, prec = sentence_citation_check(s, by_id, support)
        flags.append(full)
        precise += prec
    # Citations naming no known passage count as imprecise: they point nowhere.
    precise += [False] * answer.unresolved_citations
    recall = sum(flags) / len(flags)
    precision = sum(precise) / len(precise) if precise else None
    return {"citation.recall": recall, "citation.precision": precision}, flags


def answer_scores(
    q: Question, answer: AnswerView, matcher: KeyPointMatcher, citation_recall: float | None
) -> tuple[dict[str, float | None], list[bool]]:
    """Key-point coverage, refusal flags and the CRAG-style score of one answer."""
    out: dict[str, float | None] = {"refusal.refused": float(answer.refused)}
    out["refusal.recall"] = None if q.answerable else float(answer.refused)
    out["refusal.false_refusal"] = float(answer.refused) if q.answerable else None
    conveyed: list[bool] = []
    out["answer.kp_coverage"] = out["answer.kp_all"] = None
    if q.answerable:
        text = "" if answer.refused else answer.text
        conveyed = matcher.conveyed(q.key_points, text)
        out["answer.kp_coverage"] = sum(conveyed) / len(conveyed)
        out["answer.kp_all"] = float(all(conveyed))
    correct = (
        q.answerable and not answer.refused
        and sum(conveyed) >= CRAG_MIN_COVERAGE * len(conveyed)
        and (citation_recall or 0.0) >= CRAG_MIN_SUPPORT
    )
    out["answer.correct"] = float(correct) if q.answerable else None
    out["crag"] = float(crag_score(q.answerable, answer.refused, correct))
    return out, conveyed


def gold_hit_rate(q: Question, answer: AnswerView) -> float | None:
    """Share of the distinct cited passages that are gold (answerable, answered, citing)."""
    cited = answer.cited
    if not q.answerable or answer.refused or not cited:
        return None
    return sum(c in q.gold_ids for c in cited) / len(cited)


def evidence_hit(q: Question, answer: AnswerView) -> float | None:
    """1 when the answer cites at least one gold paragraph (answerable, answered questions): the
    answer's citations hit the gold evidence."""
    if not q.answerable or answer.refused:
        return None
    return float(bool(set(answer.cited) & q.gold_ids))


def score_answer(
    q: Question, answer: AnswerView, by_id: dict[str, Passage], support: SupportFn,
    matcher: KeyPointMatcher,
) -> tuple[dict[str, float | None], dict[str, object]]:
    """All answer-side metrics of one question and the per-question details for the report."""
    cites, flags = citation_scores(answer, by_id, support)
    scores, conveyed = answer_scores(q, answer, matcher, cites["citation.recall"])
    scores.update(cites)
    scores["citation.gold_hit"] = gold_hit_rate(q, answer)
    scores["citation.evidence_hit"] = evidence_hit(q, answer)
    for stage, seconds in answer.timings.items():
        scores[f"latency.{stage}"] = float(seconds)
    details = {
        "answer": answer.text, "refused": answer.refused, "error": answer.error,
        "sentences": [
            {"text": s.text, "citations": s.citations, "supported": f}
            for s, f in zip(answer.sentences, flags or [False] * len(answer.sentences), strict=True)
        ],
        "key_points": [{"text": k, "conveyed": c} for k, c in zip(q.key_points, conveyed, strict=False)],
        "unresolved_citations": answer.unresolved_citations,
    }
    return scores, details
