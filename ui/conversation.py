"""The conversation the chat tab keeps, and the history it feeds follow-ups.

The conversation lives in the user's browser (Gradio's ``BrowserState``, i.e. ``localStorage``), not
in one worker's memory: it survives a page reload, and a follow-up is read in context whichever
worker behind a proxy answers it. ``to_state`` / ``from_state`` convert to and from the JSON the
browser keeps. What comes back from a browser is untrusted input: it is validated, and entries that do
not validate are dropped rather than failing the request.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from assistant.models import Answer, Citation, Draft, Turn

# The browser keeps at most this many exchanges: each carries its cited paragraphs whole (a few KB),
# and the whole conversation travels with every request.
MAX_KEPT_EXCHANGES = 40
VOTES = ("up", "down")


def new_id() -> str:
    """A random id for an exchange (feedback on an answer is keyed by it)."""
    return uuid.uuid4().hex[:16]


@dataclass
class Exchange:
    """One question and what came back: a final ``Answer``, a streaming draft, or an error."""

    question: str
    answer: Answer | None = None
    partial: str = ""
    error: str = ""
    id: str = field(default_factory=new_id)
    vote: str = ""  # "", "up" or "down": the user's current vote on this answer
    asked_at: float = 0.0  # time.time() when the question was sent
    note: str = ""  # why a refusal happened when the chat filters caused it
    draft: Draft | None = None  # an LLM answer while it streams (verified sentences so far)

    @property
    def done(self) -> bool:
        """True once the exchange has a final answer or failed."""
        return self.answer is not None or bool(self.error)


def to_state(exchanges: list[Exchange]) -> list[dict[str, Any]]:
    """Finished exchanges as JSON for the browser (the newest ``MAX_KEPT_EXCHANGES``)."""
    out = []
    for ex in exchanges:
        if not ex.done:
            continue
        answer = ex.answer.model_dump(mode="json", exclude={"timings"}) if ex.answer else None
        out.append({"id": ex.id, "question": ex.question, "answer": answer, "error": ex.error,
                    "vote": ex.vote, "asked_at": ex.asked_at, "note": ex.note})
    return out[-MAX_KEPT_EXCHANGES:]


def from_state(data: object) -> list[Exchange]:
    """Exchanges from the browser's JSON; malformed entries are skipped, never trusted."""
    if not isinstance(data, list):
        return []
    out = []
    for item in data[-MAX_KEPT_EXCHANGES:]:
        ex = _exchange(item)
        if ex is not None:
            out.append(ex)
    return out


def _exchange(item: object) -> Exchange | None:
    """One exchange from its JSON form, or None when it does not validate."""
    if isinstance(item, Exchange):  # already parsed (unit tests, in-process callers)
        return item
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        return None
    try:
        answer = Answer.model_validate(item["answer"]) if item.get("answer") else None
    except ValidationError:
        return None
    error = item.get("error") if isinstance(item.get("error"), str) else ""
    if answer is None and not error:
        return None
    vote = item.get("vote") if item.get("vote") in VOTES else ""
    ex_id = item.get("id") if isinstance(item.get("id"), str) and item.get("id") else new_id()
    asked = item.get("asked_at")
    note = item.get("note") if isinstance(item.get("note"), str) else ""
    return Exchange(question=item["question"], answer=answer, error=str(error), id=str(ex_id)[:64],
                    vote=str(vote), asked_at=float(asked) if isinstance(asked, (int, float)) else 0.0,
                    note=str(note))


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
    """The most recent exchange that has a final answer."""
    return next((ex for ex in reversed(exchanges) if ex.answer is not None), None)
