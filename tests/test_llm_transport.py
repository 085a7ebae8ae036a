"""The transport: one deadline for the whole stream, the output cap, one-line errors; the breaker."""

from __future__ import annotations

import time

import pytest

from assistant.answer.base import Deadline
from assistant.answer.llm.breaker import CircuitBreaker
from assistant.answer.llm.budget import TokenBudget
from assistant.answer.llm.transport import BoundedStream, DeadlineExceededError, describe_error
from assistant.errors import BackendUnavailableError
from tests.fakes_llm import ScriptedChatModel


def run(model: ScriptedChatModel, seconds: float = 5.0, cap: int = 1000) -> BoundedStream:
    return BoundedStream(model.stream, [("user", "hi")], Deadline(seconds),  # type: ignore[list-item]
                         TokenBudget(3000, cap).meter(), "fake")


def test_deltas_arrive_in_order_and_first_token_is_timed() -> None:
    stream = run(ScriptedChatModel(replies=["Victims are protected [1]."], chunk_chars=4))
    assert "".join(stream) == "Victims are protected [1]."
    assert stream.first_token_s is not None and stream.first_token_s < 5 and not stream.capped


def test_slow_stream_is_cut_at_the_deadline() -> None:
    model = ScriptedChatModel(replies=["word " * 100], chunk_chars=5, delay_s=0.2)
    start = time.monotonic()
    with pytest.raises(DeadlineExceededError, match="deadline"):
        list(run(model, seconds=0.6))
    assert time.monotonic() - start < 3.0  # the scripted stream would take 20 s


def test_rambling_reply_is_cut_at_the_output_cap() -> None:
    model = ScriptedChatModel(replies=["Victims are protected [1]. " * 2000], chunk_chars=30)
    stream = run(model, cap=50)
    text = "".join(stream)
    assert stream.capped and len(text) < 600


def test_errors_become_one_line_backend_errors() -> None:
    model = ScriptedChatModel(error=ConnectionError("refused\nsecond line"))
    with pytest.raises(BackendUnavailableError, match="unreachable") as info:
        list(run(model))
    assert "\n" not in str(info.value)


def test_describe_error_is_one_line() -> None:
    class APIStatusError(Exception):
        status_code = 503

    assert describe_error(APIStatusError("busy\nmore"), "u") == "LLM server at u answered HTTP 503: busy"
    assert "timed out" in describe_error(type("APITimeoutError", (Exception,), {})(), "u")
    assert "unusable reply" in describe_error(ValueError("Expecting value"), "u")


def test_breaker_opens_after_repeated_failures_and_probes_after_the_cooldown() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures=3, cooldown_s=60, clock=lambda: now[0])
    for _ in range(2):
        assert breaker.allow()
        breaker.failure("down")
    assert breaker.allow()
    breaker.failure("down")
    assert not breaker.allow() and 59 <= breaker.retry_in() <= 60
    assert "skipped for the next 60 s" in breaker.notice()
    now[0] = 61
    assert breaker.allow()  # one probe…
    assert not breaker.allow()  # …and only one
    breaker.failure("still down")
    assert not breaker.allow()
    now[0] = 200
    assert breaker.allow()
    breaker.success()
    assert breaker.allow() and breaker.retry_in() == 0
