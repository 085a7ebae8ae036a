"""LLM-mode figures in the evaluator: answered, fallback, withdrawn share."""

from __future__ import annotations

from assistant.evaluate.llm_metrics import llm_scores
from assistant.models import Answer, AnswerSentence
from assistant.settings import Settings


def test_llm_scores(settings: Settings) -> None:
    llm = settings.with_overrides(llm="local")
    shown = [AnswerSentence(text="a", citations=["p"])] * 3
    gone = [AnswerSentence(text="b")]
    answered = Answer(question="q", answer="a", mode="llm", sentences=shown, withdrawn=gone)
    assert llm_scores(answered, llm) == {"llm.answered": 1.0, "llm.fallback": 0.0,
                                         "llm.withdrawn_share": 0.25}
    fallback = Answer(question="q", answer="a", mode="extractive", sentences=shown)
    assert llm_scores(fallback, llm)["llm.fallback"] == 1.0
    assert llm_scores(fallback, llm)["llm.withdrawn_share"] is None
    refused = Answer(question="q", answer="no", mode="llm", refused=True)
    assert llm_scores(refused, llm)["llm.answered"] == 0.0
    assert llm_scores(answered, settings) == {}  # extractive runs get no LLM rows
    assert llm_scores(None, llm) == {}

