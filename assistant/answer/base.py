"""One small interface for every answerer: extractive and LLM answer through ``Answerer.stream``.

An answerer turns a question and its retrieved hits into a stream of events: ``Delta`` text as it is
being written (for display only, never trusted) and finished ``AnswerSentence`` objects, each with
the passage ids it cites. Support is not the answerer's business: the chat stage verifies each
finished sentence and decides whether it is shown or withdrawn. ``answer`` is derived.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from assistant.models import AnswerSentence, Hit, Mode

if TYPE_CHECKING:
    from assistant.retrieve import Retriever
    from assistant.settings import Settings


@dataclass(frozen=True)
class Delta:
    """Text of the sentence being written, as it arrives (shown as a draft, never as an answer)."""

    text: str


AnswerEvent = Delta | AnswerSentence


class Deadline:
    """One wall-clock bound for a whole answer: connect, first token and the full stream."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.monotonic()
        self.at = self.start + seconds

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.at - time.monotonic())

    @property
    def expired(self) -> bool:
        """True once the bound has passed."""
        return time.monotonic() >= self.at


class Answerer(ABC):
    """Something that answers from hits; subclasses implement ``stream`` only."""

    mode: ClassVar[Mode]

    @abstractmethod
    def stream(self, question: str, hits: list[Hit],
               deadline: Deadline | None = None) -> Iterator[AnswerEvent]:
        """Deltas and finished sentences, in the order they are written."""

    def answer(self, question: str, hits: list[Hit],
               deadline: Deadline | None = None) -> list[AnswerSentence]:
        """The finished sentences only (support still unchecked)."""
        return [e for e in self.stream(question, hits, deadline) if isinstance(e, AnswerSentence)]


class ExtractiveAnswerer(Answerer):
    """Verbatim, query-focused sentences of the hits (see ``assistant.answer.extractive``)."""

    mode: ClassVar[Mode] = "extractive"

    def __init__(self, settings: Settings, retriever: Retriever, already_said: str = "") -> None:
        self.settings = settings
        self.retriever = retriever
        self.already_said = already_said  # the previous answer: its sentences are demoted

    def stream(self, question: str, hits: list[Hit],
               deadline: Deadline | None = None) -> Iterator[AnswerEvent]:
        """Each selected sentence as one finished event (the selection takes milliseconds)."""
        from assistant.answer.extractive import select_sentences

        s = self.settings
        yield from select_sentences(question, hits, self.retriever, s.answer_words, s.max_sentences,
                                    n_passages=s.answer_passages, per_paragraph=s.paragraph_sentences,
                                    per_other_paragraph=s.other_paragraph_sentences,
                                    already_said=self.already_said, direct_at=s.relevance_direct,
                                    related_at=s.relevance_related, notion_weight=s.notion_sentence_weight)
