"""The transport: one chat request streamed under a wall-clock deadline and an output cap.

The model is consumed in a worker thread so that a server that never connects, never sends a first
token, stalls mid-stream or trickles one byte at a time (which resets any per-read timeout forever)
cannot hold the caller past the answer's ``Deadline``. A reply that passes the token cap is cut
and closed on our side. Every failure becomes ``BackendUnavailableError`` with a one-line reason.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from assistant.answer.base import Deadline
from assistant.answer.llm.budget import OutputMeter
from assistant.errors import BackendUnavailableError

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage


class DeadlineExceededError(BackendUnavailableError):
    """The answer's wall-clock deadline passed before the reply was complete."""


class BoundedStream:
    """Text deltas of one request; ``first_token_s`` and ``capped`` are known as it runs."""

    def __init__(self, stream: Callable[..., Iterable[Any]], messages: list[BaseMessage],
                 deadline: Deadline, meter: OutputMeter, where: str, **kwargs: Any) -> None:
        self.deadline = deadline
        self.meter = meter
        self.where = where
        self.first_token_s: float | None = None
        self.capped = False
        self._inbox: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._stop = threading.Event()
        self._worker = threading.Thread(
            target=_pump, args=(stream, messages, kwargs, self._inbox, self._stop), daemon=True)

    def __iter__(self) -> Iterator[str]:
        self._worker.start()
        try:
            yield from self._drain()
        finally:
            self._stop.set()  # the worker closes the HTTP stream at its next chunk

    def _drain(self) -> Iterator[str]:
        while True:
            kind, value = self._next()
            if kind == "end":
                return
            if kind == "error":
                raise BackendUnavailableError(describe_error(value, self.where)) from value
            if not value:
                continue
            if self.first_token_s is None:
                self.first_token_s = time.monotonic() - self.deadline.start
            yield value
            if self.meter.add(value):
                self.capped = True
                return

    def _next(self) -> tuple[str, Any]:
        try:
            remaining = self.deadline.remaining()
            if remaining <= 0:
                raise queue.Empty
            return self._inbox.get(timeout=remaining)
        except queue.Empty:
            raise DeadlineExceededError(
                f"LLM server at {self.where} did not finish within the {self.deadline.seconds:g} s "
                "deadline") from None


def _pump(stream: Callable[..., Iterable[Any]], messages: list[BaseMessage], kwargs: dict[str, Any],
          inbox: queue.Queue[tuple[str, Any]], stop: threading.Event) -> None:
    """Runs in the worker: put each chunk's text, then "end" or the exception, into ``inbox``."""
    try:
        for chunk in stream(messages, **kwargs):
            if stop.is_set():
                return  # the consumer gave up; leaving the loop closes the HTTP stream
            inbox.put(("delta", _chunk_text(chunk)))
        inbox.put(("end", None))
    except BaseException as exc:  # handed to the consumer, which re-raises it as one line
        inbox.put(("error", exc))


def _chunk_text(chunk: Any) -> str:
    text = getattr(chunk, "text", chunk)
    return str(text) if text is not None else ""


def describe_error(exc: BaseException, where: str) -> str:
    """A one-line reason for a failed call (connection, timeout, HTTP status, malformed reply)."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    if "Timeout" in name:
        return f"LLM server at {where} timed out ({name})"
    if "Connection" in name or "Connect" in name:
        return f"LLM server at {where} is unreachable ({name})"
    if status is not None:
        return f"LLM server at {where} answered HTTP {status}: {first}"
    return f"LLM server at {where} sent an unusable reply ({name}: {first})"
