"""LLM answering over numbered source sentences: prompt builder, token budget, transport, parser.

``LlmAnswerer.stream`` builds the prompt (``prompt``) within the budget (``budget``), streams the
reply under the answer's deadline and output cap (``transport``), and reads it as it arrives
(``parser``): verbatim quotes of numbered source sentences and one bottom-line sentence, each citing
real passages. Support is decided afterwards by the chat stage, sentence by sentence.

A server that is down, errs, times out or sends nothing becomes ``BackendUnavailableError`` (a
``DeadlineExceededError`` when the deadline passed); the chat stage falls back to extractive.
The local model (``local``) is one more OpenAI-compatible server, started in-process on loopback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from assistant import prompts, tokens
from assistant.answer.base import Answerer, AnswerEvent, Deadline, Delta
from assistant.answer.llm import prompt as promptlib
from assistant.answer.llm.budget import TokenBudget
from assistant.answer.llm.parser import (
    NOT_ADDRESSED,
    Numbered,
    ReplyParser,
    is_usable,
    marker_numbers,
    parse_answer,
    prompt_runs,
    split_sentences,
)
from assistant.answer.llm.transport import BoundedStream, DeadlineExceededError, describe_error
from assistant.errors import BackendUnavailableError
from assistant.models import AnswerSentence, Hit, Mode, Turn
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.retrieve import Retriever


@dataclass
class StreamStats:
    """What the last ``stream`` call measured (read by the chat stage for timings and notices)."""

    first_token_s: float | None = None
    capped: bool = False
    invalid_numbers: int = 0
    declined: bool = False  # the model said that no source sentence answers
    sources: int = 0
    prompt_tokens: int = 0


class LlmAnswerer(Answerer):
    """Answers with a chat model over numbered source sentences; see the module docstring."""

    mode: ClassVar[Mode] = "llm"

    def __init__(self, settings: Settings, chat_model: BaseChatModel | None = None,
                 retriever: Retriever | None = None) -> None:
        self.settings = settings
        self.retriever = retriever
        self._injected = chat_model is not None
        self._model = chat_model
        self._encoding = ""
        self._base_url = ""
        self.stats = StreamStats()
        tokens.ensure_cache(settings.data_dir / "cache" / "tiktoken")

    # -- plumbing

    @property
    def base_url(self) -> str:
        """The server's URL: the configured one, or the local model's (started on first use)."""
        if not self._base_url:
            if self.settings.llm == "local" and not self.settings.llm_base_url:
                from assistant.answer.llm.local import local_base_url

                self._base_url = local_base_url(self.settings)
            else:
                self._base_url = self.settings.llm_base_url
        return self._base_url

    @property
    def model(self) -> BaseChatModel:
        """The chat model, built from settings on first use."""
        if self._model is None:
            from assistant.llm_adapter import build_chat_model

            settings = self.settings.with_overrides(llm_base_url=self.base_url)
            self._model = build_chat_model(settings)
        return self._model

    @property
    def budget(self) -> TokenBudget:
        """Input and output token limits, counted in the encoding that suits the model."""
        if not self._encoding:
            self._encoding = tokens.encoding_name_for_model(self.settings.llm_model)
        s = self.settings
        return TokenBudget(s.llm_context_tokens, s.llm_max_tokens, self._encoding)

    def prepare(self) -> None:
        """Do the one-time set-up now: build the client (and start the local model)."""
        _ = self.model, self.budget.encoding_name

    def _where(self) -> str:
        if self._injected:
            return self.settings.llm_base_url or type(self._model).__name__
        return self.settings.llm_base_url or f"local:{self.settings.llm_local_model}"

    def system_prompt(self) -> str:
        """The fixed system prompt (nothing from documents or questions is ever put in it)."""
        return prompts.render("system", self.settings.prompts_dir)

    def prompt_shingles(self) -> set[tuple[str, ...]]:
        """Word runs of our fixed prompt wording, used to spot an answer that repeats them."""
        out: set[tuple[str, ...]] = set()
        for name in prompts.PROMPT_NAMES:
            out |= prompt_runs(prompts.static_text(name, self.settings.prompts_dir))
        return out

    # -- prompt

    def source_pairs(self, question: str, hits: list[Hit]) -> list[tuple[Hit, str]]:
        """The sentences offered to the model: query-focused when a retriever is at hand."""
        limit = self.settings.llm_source_sentences
        if self.retriever is None:
            return promptlib.candidate_sentences(hits, limit)
        from assistant.answer.extractive import select_sentences

        chosen = select_sentences(question, hits, self.retriever, max_words=limit * 40,
                                  max_sentences=limit)
        return promptlib.from_selection(chosen, hits) or promptlib.candidate_sentences(hits, limit)

    def build_prompt(self, question: str, hits: list[Hit]) -> promptlib.Prompt:
        """Numbered sentences within ``settings.llm_context_tokens``."""
        pairs = self.source_pairs(question, hits)
        return promptlib.build(question, pairs, self.budget, self.settings.prompts_dir)

    def _call_kwargs(self, n_sources: int) -> dict[str, Any]:
        body: dict[str, Any] = {"max_tokens": self.settings.llm_max_tokens}
        if self.settings.llm_json_schema:
            body["response_format"] = promptlib.response_format(
                n_sources, self.settings.llm_max_quotes)
        return {"extra_body": body}

    # -- answering

    def stream(self, question: str, hits: list[Hit],
               deadline: Deadline | None = None) -> Iterator[AnswerEvent]:
        """Quotes, the bottom line and draft deltas as the model writes them."""
        deadline = deadline or Deadline(self.settings.llm_timeout_s)
        prompt = self.build_prompt(question, hits)
        self.stats = StreamStats(sources=len(prompt.numbered), prompt_tokens=prompt.tokens)
        if not prompt.numbered:
            raise BackendUnavailableError("no source sentence fits the LLM context budget")
        parser = ReplyParser(prompt.numbered, self.prompt_shingles(), self.settings.llm_max_quotes)
        reply = BoundedStream(self.model.stream,
                              promptlib.messages(question, prompt, self.settings.prompts_dir),
                              deadline, self.budget.meter(), self._where(),
                              **self._call_kwargs(len(prompt.numbered)))
        produced = False
        try:
            for delta in reply:
                produced = produced or bool(delta.strip())
                yield from parser.feed(delta)
        finally:
            self.stats.first_token_s = reply.first_token_s
            self.stats.capped = reply.capped
            self.stats.invalid_numbers = parser.invalid_numbers
        if not produced:
            raise BackendUnavailableError(f"LLM server at {self._where()} returned an empty answer")
        yield from parser.finish()
        self.stats.declined = parser.declined

    def parse(self, text: str, numbered: list[Numbered]) -> list[AnswerSentence]:
        """All sentences of a complete reply (JSON or prose) over ``numbered`` sources."""
        parser = ReplyParser(numbered, self.prompt_shingles(), self.settings.llm_max_quotes)
        events = [*parser.feed(text), *parser.finish()]
        return [e for e in events if isinstance(e, AnswerSentence)]

    def condense(self, question: str, history: list[Turn], deadline: Deadline | None = None) -> str:
        """A standalone version of a follow-up ``question``; unchanged when there is no history."""
        if not history:
            return question
        from langchain_core.messages import HumanMessage

        text = prompts.render("condense", self.settings.prompts_dir,
                              history=promptlib.history_text(history, self.budget),
                              question=promptlib.neutralize(question.strip()))
        reply = BoundedStream(self.model.stream, [HumanMessage(content=text)],
                              deadline or Deadline(self.settings.llm_timeout_s),
                              self.budget.meter(), self._where(),
                              extra_body={"max_tokens": min(96, self.settings.llm_max_tokens)})
        return self._clean_condensed("".join(reply), question)

    def _clean_condensed(self, text: str, question: str) -> str:
        """First non-empty line without a "Standalone question:" prefix or quotes.

        "" when the model wrote nothing usable: the caller keeps its own rewrite, and the answer
        itself still goes to the model (a weak rewrite is a quality problem, not a server failure).
        """
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        line = re.sub(r"^(?:standalone question|question)\s*:\s*", "", lines[0], flags=re.I) \
            if lines else ""
        line = line.strip("\"'“”` ")
        if not is_usable(line) or len(line) > max(400, 3 * len(question)):
            return ""
        return line

    def health(self) -> bool:
        """True when the configured server answers; an injected model without a URL counts as up."""
        if self._injected and not self.settings.llm_base_url:
            return True
        from assistant.llm_adapter import check_health

        try:
            url = self.base_url
        except BackendUnavailableError:
            return False
        return check_health(self.settings.with_overrides(llm_base_url=url))


__all__ = [
    "NOT_ADDRESSED", "BackendUnavailableError", "Deadline", "DeadlineExceededError", "Delta",
    "LlmAnswerer", "Numbered", "StreamStats", "describe_error", "marker_numbers", "parse_answer",
    "split_sentences",
]
