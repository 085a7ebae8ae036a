"""Per-question scoring: ALCE citation recall/precision, gold hits, key points, refusal, CRAG."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.evaluate.keypoints import KeyPointMatcher, numbers
from assistant.evaluate.questions import Question
from assistant.evaluate.scoring import AnswerView, SentenceView, citation_scores, score_answer
from assistant.models import Passage


def _p(pid: str, text: str) -> Passage:
    return Passage(id=pid, document_id="d", label=pid, text=text)


BY_ID = {p.id: p for p in (_p("p1", "alpha beta"), _p("p2", "gamma delta"), _p("p3", "unrelated"))}


def word_judge(sentence: str, passages: list[Passage]) -> str:
    """Supported when every word of the sentence occurs in the cited passages."""
    words = set(" ".join(p.text for p in passages).split())
    return "supported" if set(sentence.split()) <= words else "unsupported"


def test_alce_citation_recall_and_precision_by_hand() -> None:
    answer = AnswerView("", False, [
        SentenceView("alpha beta", ["p1", "p3"]),   # supported; p1 precise, p3 not needed
        SentenceView("alpha gamma", ["p1", "p2"]),  # supported only jointly: both needed
        SentenceView("zeta", []),                   # uncited: unsupported
    ])
    scores, flags = citation_scores(answer, BY_ID, word_judge)
    assert flags == [True, True, False]
    assert scores["citation.recall"] == pytest.approx(2 / 3)
    assert scores["citation.precision"] == pytest.approx(3 / 4)


def test_unresolved_citations_lower_precision_and_refusals_have_none() -> None:
    answer = AnswerView("", False, [SentenceView("alpha beta", ["p1"])], unresolved_citations=1)
    scores, _ = citation_scores(answer, BY_ID, word_judge)
    assert scores["citation.precision"] == pytest.approx(0.5)
    refused, _ = citation_scores(AnswerView("no", True), BY_ID, word_judge)
    assert refused == {"citation.recall": None, "citation.precision": None}


def _q(**kw: object) -> Question:
    base = {"id": "q", "question": "what?", "kind": "single", "answerable": True, "split": "test",
            "gold": [{"passage_id": "p1", "document_id": "d", "quote": "alpha beta"}],
            "key_points": ["alpha beta"]}
    return Question.model_validate({**base, **kw})


def test_score_answer_correct_wrong_refused() -> None:
    m = KeyPointMatcher()
    good = AnswerView("alpha beta", False, [SentenceView("alpha beta", ["p1", "p2"])])
    s, details = score_answer(_q(), good, BY_ID, word_judge, m)
    assert s["answer.kp_coverage"] == 1.0 and s["crag"] == 1.0
    assert s["citation.gold_hit"] == pytest.approx(0.5)  # p1 gold, p2 not
    assert s["citation.evidence_hit"] == 1.0  # at least one cited paragraph is gold
    assert details["key_points"] == [{"text": "alpha beta", "conveyed": True}]
    unsupported = AnswerView("alpha beta", False, [SentenceView("alpha beta", ["p3"])])
    assert score_answer(_q(), unsupported, BY_ID, word_judge, m)[0]["crag"] == -1.0
    assert score_answer(_q(), unsupported, BY_ID, word_judge, m)[0]["citation.evidence_hit"] == 0.0
    refused = score_answer(_q(), AnswerView("not addressed", True), BY_ID, word_judge, m)[0]
    assert (refused["crag"], refused["answer.kp_coverage"], refused["refusal.false_refusal"]) == (0.0, 0.0, 1.0)
    assert refused["citation.evidence_hit"] is None
    near = _q(kind="near_miss", answerable=False, gold=[], key_points=[])
    answered = score_answer(near, good, BY_ID, word_judge, m)[0]
    assert (answered["crag"], answered["refusal.recall"], answered["answer.kp_coverage"]) == (-1.0, 0.0, None)


class _SameVector:
    """Every text gets the same unit vector: cosine 1 between anything."""

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32) / 2


def test_key_point_matcher_numbers_lexical_and_semantic() -> None:
    assert numbers("€25,000 and 2.5 and 174.") == {"25000", "2.5", "174"}
    answer = "The Court awarded each applicant €25,000 in respect of non-pecuniary damage."
    m = KeyPointMatcher()
    assert m.conveyed(["€25,000 for non-pecuniary damage", "€30,000 for non-pecuniary damage"],
                      answer) == [True, False]
    para = "An unpenalized conviction is in fact a punishment."
    point = "a conviction without a penalty is still a punishment"  # lexical recall 0.5
    assert m.conveyed([point], para) == [False]
    assert KeyPointMatcher(_SameVector()).conveyed([point], para) == [True]
    # below the lexical floor even a perfect cosine does not convey the point
    assert KeyPointMatcher(_SameVector()).conveyed(["shelter housing food"], para) == [False]
    assert m.conveyed(["anything"], "") == [False]
