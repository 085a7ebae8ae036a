"""A scripted chat model for tests: returns the next scripted reply, streamed in small pieces.

It records every prompt it receives (so tests can assert what the model was shown), can fail with a
given exception, and can sleep between chunks (to test the wall-clock bound).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field


class ScriptedChatModel(BaseChatModel):
    """Replies with ``replies`` in order (the last repeats), streamed ``chunk_chars`` at a time."""

    replies: list[str] = Field(default_factory=lambda: ["A reply [1]."])
    # Optional: compute the reply from the prompt (e.g. quote the numbered sentences it was shown).
    reply_fn: Callable[[str], str] | None = None
    chunk_chars: int = 7
    delay_s: float = 0.0
    error: Exception | None = None
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    call_kwargs: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _next_reply(self, messages: list[BaseMessage]) -> str:
        self.calls.append(list(messages))
        if self.error is not None:
            raise self.error
        if self.reply_fn is not None:
            return self.reply_fn("\n".join(str(m.content) for m in messages))
        index = min(len(self.calls) - 1, len(self.replies) - 1)
        return self.replies[index]

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = self._next_reply(messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        self.call_kwargs.append(dict(kwargs))
        text = self._next_reply(messages)
        for start in range(0, len(text), self.chunk_chars):
            if self.delay_s:
                time.sleep(self.delay_s)
            piece = text[start : start + self.chunk_chars]
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))

    def prompt_text(self, call: int = -1) -> str:
        """All message contents of one recorded call, joined (for assertions)."""
        return "\n".join(str(m.content) for m in self.calls[call])
