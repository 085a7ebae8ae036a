"""The conversation the chat tab keeps per browser session, and the history it feeds follow-ups."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.models import Answer, Citation, Turn


@dataclass
class Exchange:
    """One question and what came back: a final ``Answer``, a streaming draft, or an error."""

    question: str
    answer: Answer | None = None
    partial: str = ""
    error: str = ""

    @property
    def done(self) -> bool:
        """True once the exchange has a final answer or failed."""
        return self.answer is not None or bool(self.error)


def history_turns(exchanges: list[Exchange]) -> list[Turn]:
    """Earlier finished exchanges as ``Turn``s, so a follow-up question is read in context.

    Failed exchanges are left out: an error message is not something the user and the assistant
    said to each other.
    """
    turns: list[Turn] = []
    for ex in exchanges:
        if ex.answer is None:
            continue
        turns.append(Turn(role="user", content=ex.question))
        turns.append(Turn(role="assistant", content=ex.answer.answer))
    return turns


def find_citation(answer: Answer, n: int) -> Citation | None:
    """The citation shown as chip ``[n]`` in ``answer``."""
    return next((c for c in answer.citations if c.n == n), None)


def last_answered(exchanges: list[Exchange]) -> Exchange | None:
    """The most recent exchange that has a final answer (what feedback refers to)."""
    return next((ex for ex in reversed(exchanges) if ex.answer is not None), None)
