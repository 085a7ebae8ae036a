"""LLM-mode figures for the evaluator, beside the metrics every system gets.

- ``llm.answered``: the model's own answer was shown (not a fallback to extractive, not refused);
- ``llm.fallback``: the extractive answer was shown instead (server failure, deadline, nothing
  supported), with its notice;
- ``llm.withdrawn_share``: of the sentences the model wrote or picked, the share that failed the
  support checker and was withdrawn (the "unsupported share" of what the model produced).
Time to first token is ``latency.first_token`` (from ``Answer.timings``), total ``latency.total``.
"""

from __future__ import annotations

from assistant.models import Answer
from assistant.settings import Settings


def llm_scores(answer: Answer | None, settings: Settings) -> dict[str, float | None]:
    """The LLM-mode scores of one answer; empty in extractive mode."""
    if answer is None or not settings.llm_enabled:
        return {}
    produced = len(answer.sentences) + len(answer.withdrawn) if answer.mode == "llm" else 0
    return {
        "llm.answered": float(answer.mode == "llm" and not answer.refused),
        "llm.fallback": float(answer.mode == "extractive" and not answer.refused),
        "llm.withdrawn_share": len(answer.withdrawn) / produced if produced else None,
    }
